#![no_main]
// Any bytes under any of the names the readers look at: detection, decoding (UTF-8, UTF-16,
// Latin-1, binary), ZIP archives, GeoJSON.
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

const NAMES: &[&str] = &[
    "statistics/a_2021.csv",
    "statistics/x_flat.zip",
    "geometry/g.geojson",
    "statistics/notes.bin",
];

fuzz_target!(|data: &[u8]| {
    if let Some((b, rest)) = data.split_first() {
        common::read(NAMES[*b as usize % NAMES.len()], b"", rest);
    }
});
