#![no_main]
// The plausibility table (plausibility.csv).
// The body is `klimapartner::fuzzing::plausibility`, compiled and replayed by the main crate's tests.
libfuzzer_sys::fuzz_target!(|data: &[u8]| klimapartner::fuzzing::plausibility(data));
