#![no_main]
// The formula parser's nesting depth: up to 20,000 brackets and signs around any formula.
// The body is `klimapartner::fuzzing::formula_depth`, compiled and replayed by the main crate's tests.
libfuzzer_sys::fuzz_target!(|data: &[u8]| klimapartner::fuzzing::formula_depth(data));
