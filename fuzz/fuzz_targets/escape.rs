#![no_main]
// Typst escaping: data must never become markup. The escaped text, placed in markup, parses
// without errors into nothing but text, spaces, escapes and shorthands-free plain content — no
// code (`#…`), no emphasis, headings, lists, math, raw, links, labels or references.
use libfuzzer_sys::fuzz_target;
use typst_syntax::{parse, SyntaxKind, SyntaxNode};

fn check(node: &SyntaxNode, input: &str) {
    match node.kind() {
        SyntaxKind::Markup | SyntaxKind::Text | SyntaxKind::Space | SyntaxKind::Escape => {}
        // A run of text may be split where a smart quote or a line break would go; typst reads
        // `\'` and `\"` as escapes, so quotes never appear as SmartQuote here.
        kind => panic!("{kind:?} in the escaped form of {input:?}: {:?}", node.text()),
    }
    for child in node.children() {
        check(child, input);
    }
}

fuzz_target!(|s: &str| {
    let escaped = klimapartner::render::escape::markup(s);
    let root = parse(&escaped);
    assert!(root.erroneous() == false, "{s:?} → {escaped:?} does not parse");
    check(&root, s);
    // Nothing is lost: unescaping gives the input back (line breaks and tabs became spaces).
    let mut back = String::new();
    let mut chars = escaped.chars();
    while let Some(c) = chars.next() {
        back.push(if c == '\\' { chars.next().unwrap_or('\\') } else { c });
    }
    let expected: String = s.chars().map(|c| if matches!(c, '\n' | '\r' | '\t') { ' ' } else { c }).collect();
    assert_eq!(back, expected);
});
