#![no_main]
// The cell parser: German and plain numbers, office symbols, flags. Never panics; a number it
// returns is finite and below the absurdity limit; German `1.234` is never read as 1.234.
use klimapartner::ingest::text::{parse_cell, parse_number, Cell, NumberStyle, MAX_ABS_VALUE};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    for style in [NumberStyle::German, NumberStyle::Plain] {
        if let Ok((Cell::Number(v), _)) = parse_cell(s, style) {
            assert!(v.is_finite() && v.abs() < MAX_ABS_VALUE, "{s:?} → {v}");
        }
        let _ = parse_number(s, style);
    }
    if let Some(v) = parse_number(s, NumberStyle::German) {
        // A German thousands point groups exactly three digits: `d.ddd` is never a fraction.
        if s.contains('.') && !s.contains(',') {
            assert_eq!(v.fract(), 0.0, "{s:?} → {v}");
        }
    }
});
