#![no_main]
// Typst escaping: data must never become markup (regressions in fuzz/regressions/escape/).
// The body is `klimapartner::fuzzing::escape`, compiled and replayed by the main crate's tests.
libfuzzer_sys::fuzz_target!(|data: &[u8]| klimapartner::fuzzing::escape(data));
