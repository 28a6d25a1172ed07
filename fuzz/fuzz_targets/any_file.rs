#![no_main]
// Any bytes under any of the names the readers look at (the first byte picks the name).
// The body is `klimapartner::fuzzing::any_file`, compiled and replayed by the main crate's tests.
libfuzzer_sys::fuzz_target!(|data: &[u8]| klimapartner::fuzzing::any_file(data));
