#![no_main]
// The plausibility table (`plausibility.csv`): never panics; an accepted table has no rule whose
// bounds are not numbers.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    if let Ok(rules) = klimapartner::ingest::plausible::Rules::parse("plausibility.csv", s) {
        for r in rules.0.values() {
            assert!(r.min.is_none_or(|m| m.is_finite()));
            assert!(r.warn_above.is_none_or(|w| w.is_finite()));
        }
    }
});
