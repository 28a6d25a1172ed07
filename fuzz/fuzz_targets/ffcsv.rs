#![no_main]
// GENESIS flat files: the first byte picks the current column set (Zensus 2022) or the old one.
// The body is `klimapartner::fuzzing::ffcsv`, compiled and replayed by the main crate's tests.
libfuzzer_sys::fuzz_target!(|data: &[u8]| klimapartner::fuzzing::ffcsv(data));
