#![no_main]
// partnership.toml: never panics; a config it accepts has 8-digit member keys, each once.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    if let Ok(p) = klimapartner::config::parse(s) {
        let keys = p.member_keys();
        assert_eq!(keys.len(), p.members.len());
        assert!(keys.iter().all(|k| k.as_str().len() == 8));
    }
});
