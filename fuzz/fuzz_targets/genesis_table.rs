#![no_main]
// GENESIS / Regionalstatistik table CSV: arbitrary bytes after the first line of a real table
// (so the format is always detected and the reader does the work).
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::read("statistics/t.csv", b"GENESIS-Tabelle: 12411-01-01-5\n", data);
});
