//! Escaping for Typst: data from CSV cells and the config must never act as markup or code.

/// Escapes text for Typst markup: every character with a markup meaning is preceded by a
/// backslash, which Typst reads as "this character, literally". Line breaks become spaces.
pub fn markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '#' | '$' | '*' | '_' | '`' | '<' | '>' | '@' | '[' | ']' | '~' | '/' | '"' | '\'' | '=' | '-'
            | '+' | '.' | ':' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            // Every character Typst treats as a line end or tab becomes a space, so data can never
            // start a paragraph, a list item or a heading.
            '\n' | '\r' | '\t' | '\u{000B}' | '\u{000C}' | '\u{0085}' | '\u{2028}' | '\u{2029}' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Like [`markup`], but a word of `min_chars` or more characters (a German compound such as
/// "Flächenneuinanspruchnahme") may be hyphenated, so in a narrow table column it breaks instead of
/// running into the next one. Shorter words keep typst's default (no hyphenation in ragged text).
pub fn markup_hyphenating_long_words(s: &str, min_chars: usize) -> String {
    s.split(' ')
        .map(|word| {
            if word.chars().count() >= min_chars {
                format!("#text(hyphenate: true)[{}]", markup(word))
            } else {
                markup(word)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A Typst string literal (with quotes), for values in code positions such as `alt:` or a title.
pub fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_long_words_may_be_hyphenated_and_all_stay_escaped() {
        assert_eq!(
            markup_hyphenating_long_words("Flächenneuinanspruchnahme je 1.000 Einwohner", 18),
            "#text(hyphenate: true)[Flächenneuinanspruchnahme] je 1\\.000 Einwohner"
        );
        assert_eq!(
            markup_hyphenating_long_words("#evil]-[code(x)#xxxxxxxx", 18),
            "#text(hyphenate: true)[\\#evil\\]\\-\\[code(x)\\#xxxxxxxx]"
        );
    }

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(markup("#read(\"/etc/passwd\")"), "\\#read(\\\"\\/etc\\/passwd\\\")");
        assert_eq!(markup("*x* $y$ <z> @w"), "\\*x\\* \\$y\\$ \\<z\\> \\@w");
        assert_eq!(markup("1.234,5"), "1\\.234,5");
        assert_eq!(markup("Größe"), "Größe");
        assert_eq!(markup("a\u{2028}\u{2029}b\u{000C}c"), "a  b c");
    }

    #[test]
    fn string_literals_are_closed() {
        assert_eq!(string_literal("a\"b\\"), "\"a\\\"b\\\\\"");
    }
}
