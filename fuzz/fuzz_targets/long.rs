#![no_main]
// Our long format for transcribed tables.
// The body is `klimapartner::fuzzing::long`, compiled and replayed by the main crate's tests.
libfuzzer_sys::fuzz_target!(|data: &[u8]| klimapartner::fuzzing::long(data));
