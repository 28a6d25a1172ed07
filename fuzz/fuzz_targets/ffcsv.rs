#![no_main]
// GENESIS flat files: the first byte picks the current column set (Zensus 2022) or the old one.
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

const NEW: &[u8] = b"statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;1_variable_attribute_code;1_variable_attribute_label;value;value_unit;value_variable_code;value_variable_label;value_q\n";
const OLD: &[u8] = b"Statistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;1_Merkmal_Code;1_Merkmal_Label;1_Auspraegung_Code;1_Auspraegung_Label;BEVSTD__Bevoelkerungsstand__Anzahl;BEVSTD__Bevoelkerungsstand__q\n";

fuzz_target!(|data: &[u8]| {
    match data.split_first() {
        Some((b, rest)) if b % 2 == 0 => common::read("statistics/x_flat.csv", NEW, rest),
        Some((_, rest)) => common::read("statistics/x_flat.csv", OLD, rest),
        None => {}
    }
});
