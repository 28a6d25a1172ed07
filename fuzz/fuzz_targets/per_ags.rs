#![no_main]
// Plain per-AGS tables (LocalZero): header `ags,…`, year from the file name.
// The body is `klimapartner::fuzzing::per_ags`, compiled and replayed by the main crate's tests.
libfuzzer_sys::fuzz_target!(|data: &[u8]| klimapartner::fuzzing::per_ags(data));
