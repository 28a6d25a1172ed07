#![no_main]
// Marktstammdatenregister export: BOM, quoted header, arbitrary rows.
// The body is `klimapartner::fuzzing::mastr`, compiled and replayed by the main crate's tests.
libfuzzer_sys::fuzz_target!(|data: &[u8]| klimapartner::fuzzing::mastr(data));
