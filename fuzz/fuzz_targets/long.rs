#![no_main]
// Our long format for transcribed tables.
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::read(
        "statistics/leipzig/b.csv",
        b"ags,variable,sector,carrier,date,value,unit,note\n",
        data,
    );
});
