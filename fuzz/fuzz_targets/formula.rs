#![no_main]
// Catalogue formulas: never panics and never overflows the stack, however deep the brackets and
// signs (10,000 nested brackets used to abort); an accepted formula is within the limits.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    if let Ok(e) = klimapartner::formula::Expr::parse(s) {
        assert!(s.chars().count() <= klimapartner::formula::MAX_FORMULA_CHARS);
        let _ = e.variables();
    }
});
