//! Characters the bundled fonts lack (an emoji in a member name) make a PDF/A export fail. They are
//! replaced visibly with U+FFFD (�) — in `partnership.toml`'s names with a warning naming file and
//! field, and as a backstop in every value a template prints.

use std::borrow::Cow;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::world::Typesetter;

/// Shown in place of a character no bundled font has.
pub const REPLACEMENT: char = '\u{FFFD}';

/// True if typst can set `c` with one of the bundled fonts (it falls back across all of them), or
/// if `c` needs no glyph (line breaks, joiners, variation selectors, soft hyphen).
pub fn printable(c: char) -> bool {
    if (c as u32) < 0x250 || c.is_whitespace() {
        return true;
    }
    if matches!(c, '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{206F}' | '\u{FE00}'..='\u{FE0F}') {
        return true;
    }
    Typesetter::shared().covers(c)
}

/// `s` in composed form (NFC: `a` + U+0308 becomes `ä`), with every character no bundled font has
/// replaced by [`REPLACEMENT`]. A combining mark left after composition is replaced too: a PDF/A
/// export fails on a base letter and mark set as one glyph without its own code point.
pub fn visible(s: &str) -> Cow<'_, str> {
    let plain = |c: char| printable(c) && !is_combining_mark(c);
    if s.chars().all(plain) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.nfc().map(|c| if plain(c) { c } else { REPLACEMENT }).collect())
}

/// Replaces unprintable characters in `text` in place; returns a warning naming `file`, `field`
/// and the characters, if there were any.
pub fn replace_in(file: &str, field: &str, text: &mut String) -> Option<String> {
    let after = visible(text).into_owned();
    if after == *text {
        return None;
    }
    let missing: Vec<String> = text
        .nfc()
        .filter(|c| !printable(*c) || is_combining_mark(*c))
        .map(|c| format!("U+{:04X}", c as u32))
        .collect();
    if missing.is_empty() {
        // Only composed (`a` + U+0308 → `ä`): nothing to warn about.
        *text = after;
        return None;
    }
    let before = std::mem::replace(text, after);
    Some(format!(
        "{file}: {field} `{before}`: {} cannot be set with the bundled fonts (no glyph, or a combining mark without a composed form); printed as {REPLACEMENT}",
        missing.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_are_replaced_umlauts_and_symbols_kept() {
        assert!(printable('ä') && printable('€') && printable('₂') && printable('–'));
        assert!(printable(REPLACEMENT));
        assert!(!printable('🌳'));
        assert_eq!(visible("Wurzen 🌳"), "Wurzen \u{FFFD}");
        let mut s = "Thallwitz 🌳".to_string();
        let w = replace_in("partnership.toml", "member[4].name", &mut s).unwrap();
        assert_eq!(s, "Thallwitz \u{FFFD}");
        assert!(w.contains("member[4].name") && w.contains("U+1F333"), "{w}");
        assert!(replace_in("p", "f", &mut "Böhlen".to_string()).is_none());
        let mut composed = "Bo\u{308}hlen".to_string();
        assert!(replace_in("p", "f", &mut composed).is_none());
        assert_eq!(composed, "Böhlen");
        assert_eq!(visible("x\u{301}"), "x\u{FFFD}");
    }
}
