#![no_main]
// Catalogue formulas: never a panic or a stack overflow.
// The body is `klimapartner::fuzzing::formula`, compiled and replayed by the main crate's tests.
libfuzzer_sys::fuzz_target!(|data: &[u8]| klimapartner::fuzzing::formula(data));
