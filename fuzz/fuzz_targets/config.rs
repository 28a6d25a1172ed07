#![no_main]
// partnership.toml: a config it accepts has 8-digit member keys, each once.
// The body is `klimapartner::fuzzing::config`, compiled and replayed by the main crate's tests.
libfuzzer_sys::fuzz_target!(|data: &[u8]| klimapartner::fuzzing::config(data));
