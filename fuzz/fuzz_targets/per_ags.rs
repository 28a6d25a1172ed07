#![no_main]
// Plain per-AGS tables (LocalZero): header `ags,…`, year from the file name.
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::read("statistics/national/area_2021.csv", b"ags,", data);
});
