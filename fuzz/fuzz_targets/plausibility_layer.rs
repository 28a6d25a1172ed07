#![no_main]
// The plausibility layer (ranges, kinds, cross-check with the national table) on arbitrary observations.
// The body is `klimapartner::fuzzing::plausibility_layer`, compiled and replayed by the main crate's tests.
libfuzzer_sys::fuzz_target!(|data: &[u8]| klimapartner::fuzzing::plausibility_layer(data));
