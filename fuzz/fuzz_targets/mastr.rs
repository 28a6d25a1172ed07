#![no_main]
// Marktstammdatenregister export: BOM, quoted header (with the stray TAB), arbitrary rows.
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

const HEADER: &str = "\u{feff}\"MaStR-Nr. der Einheit\";\"Betriebs-Status\";\"Energieträger\";\"Nettonennleistung der Einheit\";\"Inbetriebnahmedatum der Einheit\";\"Meldedatum der Einheit\";\"Gemeindeschlüssel\";\"\tLetzte Aktualisierung\";\"Datum der endgültigen Stilllegung\"\r\n";

fuzz_target!(|data: &[u8]| {
    common::read("statistics/mastr/export.csv", HEADER.as_bytes(), data);
});
