#![no_main]
// The cell parser: German and plain numbers, office symbols, flags.
// The body is `klimapartner::fuzzing::cell`, compiled and replayed by the main crate's tests.
libfuzzer_sys::fuzz_target!(|data: &[u8]| klimapartner::fuzzing::cell(data));
