#![no_main]
// The quote-aware record scanner.
// The body is `klimapartner::fuzzing::scan`, compiled and replayed by the main crate's tests.
libfuzzer_sys::fuzz_target!(|data: &[u8]| klimapartner::fuzzing::scan(data));
