#![no_main]
// GENESIS / Regionalstatistik table CSV: arbitrary bytes after a real first line.
// The body is `klimapartner::fuzzing::genesis_table`, compiled and replayed by the main crate's tests.
libfuzzer_sys::fuzz_target!(|data: &[u8]| klimapartner::fuzzing::genesis_table(data));
