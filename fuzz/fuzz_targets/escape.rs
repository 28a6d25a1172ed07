#![no_main]
// Typst escaping: data must never become markup. The escaped text, placed in markup, parses
// without errors into nothing but text, spaces, escapes and shorthands-free plain content — no
// code (`#…`), no emphasis, headings, lists, math, raw, links, labels or references, and no
// paragraph break (found once: U+000C/U+2028 pairs, fuzz/regressions/escape/).
use libfuzzer_sys::fuzz_target;
use typst_syntax::{parse, SyntaxKind, SyntaxNode};

fn check(node: &SyntaxNode, input: &str) {
    match node.kind() {
        SyntaxKind::Markup | SyntaxKind::Text | SyntaxKind::Space | SyntaxKind::Escape => {}
        // A run of text may be split where a smart quote or a line break would go; typst reads
        // `\'` and `\"` as escapes, so quotes never appear as SmartQuote here.
        kind => panic!("{kind:?} in the escaped form of {input:?}: {:?}", node.full_text()),
    }
    for child in node.children() {
        check(child, input);
    }
}

fuzz_target!(|s: &str| {
    let escaped = klimapartner::render::escape::markup(s);
    let root = parse(&escaped);
    assert!(!root.diagnosis().errors, "{s:?} → {escaped:?} does not parse");
    check(&root, s);
    // Nothing is lost: unescaping gives the input back (line ends and tabs became spaces).
    let mut back = String::new();
    let mut chars = escaped.chars();
    while let Some(c) = chars.next() {
        back.push(if c == '\\' { chars.next().unwrap_or('\\') } else { c });
    }
    let expected: String = s
        .chars()
        .map(|c| {
            let line_end = matches!(
                c,
                '\n' | '\r' | '\t' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
            );
            if line_end {
                ' '
            } else {
                c
            }
        })
        .collect();
    assert_eq!(back, expected);
});
