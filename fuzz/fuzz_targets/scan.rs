#![no_main]
// The quote-aware record scanner: never panics, line numbers never go backwards, and a text
// without quotes splits into exactly its non-blank lines.
use klimapartner::ingest::table::scan;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    for sep in [';', ','] {
        if let Ok(records) = scan(s, sep, 1) {
            assert!(records.windows(2).all(|w| w[0].line < w[1].line));
            if !s.contains('"') {
                let normalised = s.replace("\r\n", "\n").replace('\r', "\n");
                let lines = normalised
                    .split('\n')
                    .filter(|l| !l.chars().all(char::is_whitespace) || l.contains(sep))
                    .count();
                assert_eq!(records.len(), lines, "{s:?}");
            }
        }
    }
});
