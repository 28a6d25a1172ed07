//! Bytes to text and cells to numbers, the way German statistical offices write them.

use crate::error::{line_of_offset, InputError};
use crate::model::Missing;

/// Decodes a file's bytes: UTF-16 with a byte-order mark, UTF-8 (with or without BOM) when valid,
/// else ISO-8859-1/Windows-1252. A byte-order mark at the start is dropped; one inside the text
/// (two files pasted together) is kept, so that the checks of statistics cells
/// ([`check_cells`]) and configuration texts ([`check_control_chars`]) can name its line.
/// Returns the text and the name of the encoding that was used.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (
            encoding_rs::UTF_16LE.decode_without_bom_handling(rest).0.into_owned(),
            "UTF-16",
        )
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (
            encoding_rs::UTF_16BE.decode_without_bom_handling(rest).0.into_owned(),
            "UTF-16",
        )
    } else {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        match std::str::from_utf8(bytes) {
            Ok(s) => (s.to_string(), "UTF-8"),
            Err(_) => {
                let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
                (text.into_owned(), "ISO-8859-1")
            }
        }
    };
    (text, encoding)
}

/// Like [`decode`], but refuses bytes that are not text: NUL bytes or many control characters
/// (a spreadsheet, an image, a PDF saved under a `.csv` name). The error says what was found.
pub fn decode_text(bytes: &[u8]) -> Result<(String, &'static str), String> {
    let utf16 = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
    if !utf16 {
        let sample = &bytes[..bytes.len().min(64 * 1024)];
        let control = sample
            .iter()
            .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
            .count();
        if let Some(pos) = bytes.iter().position(|&b| b == 0) {
            return Err(format!(
                "is not a text file (a zero byte at byte {pos}{})",
                magic_name(bytes)
                    .map(|n| format!("; it looks like {n}"))
                    .unwrap_or_default()
            ));
        }
        if control * 50 > sample.len().max(1) {
            return Err(format!(
                "is not a text file ({control} control characters in the first {} bytes{})",
                sample.len(),
                magic_name(bytes)
                    .map(|n| format!("; it looks like {n}"))
                    .unwrap_or_default()
            ));
        }
    }
    let (text, encoding) = decode(bytes);
    if encoding == "ISO-8859-1" {
        // Invalid UTF-8, read as Latin-1: if it still holds UTF-8 umlauts (`Ã¤` for `ä`), the file
        // mixes two encodings (edited in two programs) and no single reading is right.
        let found = ["Ã¤", "Ã¶", "Ã¼", "ÃŸ", "Ã„", "Ã–", "Ãœ"]
            .iter()
            .filter_map(|m| text.find(m).map(|p| (p, *m)))
            .min();
        if let Some((pos, pattern)) = found {
            let line = line_of_offset(&text, pos);
            let bad = bytes
                .split(|&b| b == b'\n')
                .enumerate()
                .find_map(|(i, l)| (std::str::from_utf8(l).is_err()).then_some(i + 1));
            return Err(format!(
                "mixes two encodings: line {line} is UTF-8 (`{}`), {} is ISO-8859-1",
                pattern,
                bad.map(|b| format!("line {b}"))
                    .unwrap_or_else(|| "another line".into())
            ));
        }
    }
    Ok((text, encoding))
}

/// Names a few binary formats a clerk might drop into inputs/ by mistake.
fn magic_name(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"PK\x03\x04") {
        Some("a ZIP archive or an Excel .xlsx workbook")
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        Some("an old Excel .xls workbook")
    } else if bytes.starts_with(b"%PDF") {
        Some("a PDF")
    } else if bytes.starts_with(b"\x1F\x8B") {
        Some("a gzip archive")
    } else if bytes.starts_with(b"\x89PNG") {
        Some("a PNG image")
    } else {
        None
    }
}

/// Repairs text that was UTF-8, read as Latin-1 and saved again as UTF-8 (`WaldflÃ¤che`).
pub fn repair_double_utf8(s: &str) -> String {
    if !s.contains('Ã') && !s.contains('â') {
        return s.to_string();
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(s);
    if unmappable {
        return s.to_string();
    }
    match String::from_utf8(bytes.into_owned()) {
        Ok(fixed) => fixed,
        Err(_) => s.to_string(),
    }
}

/// A cell as the statistical offices write it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Number(f64),
    /// `-`: nothing there (an exact zero), unless the unit did not exist.
    Dash,
    Missing(Missing),
}

/// How numbers are written in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberStyle {
    /// `1.234,5`: point groups thousands, comma is the decimal mark.
    German,
    /// `1234.5`: point is the decimal mark, no grouping.
    Plain,
}

/// Parses one cell. Returns the value, the flag found in it (symbol or trailing quality letter),
/// or an error message that says what was expected.
pub fn parse_cell(raw: &str, style: NumberStyle) -> Result<(Cell, Option<String>), String> {
    let t = raw.trim().trim_matches('"').trim();
    match t {
        "" => return Ok((Cell::Missing(Missing::Empty), None)),
        "-" => return Ok((Cell::Dash, Some("-".into()))),
        "." => return Ok((Cell::Missing(Missing::Unknown), Some(".".into()))),
        "x" | "X" => return Ok((Cell::Missing(Missing::Locked), Some("x".into()))),
        "..." | "…" => return Ok((Cell::Missing(Missing::NotYetAvailable), Some("...".into()))),
        "/" => return Ok((Cell::Missing(Missing::TooUncertain), Some("/".into()))),
        _ => {}
    }
    // A value in brackets is of limited reliability; a trailing letter is a quality flag.
    let (t, mut flag) = if t.starts_with('(') && t.ends_with(')') {
        (&t[1..t.len() - 1], Some("()".to_string()))
    } else {
        (t, None)
    };
    let (number, letter) = match t.char_indices().last() {
        Some((i, c)) if matches!(c, 'e' | 'p' | 'r' | 's') && i > 0 => (t[..i].trim(), Some(c)),
        _ => (t, None),
    };
    if let Some(c) = letter {
        flag = Some(c.to_string());
    }
    if let Some(v) = parse_number(number, style) {
        if v.abs() >= MAX_ABS_VALUE {
            return Err(format!(
                "`{}` is too large for a statistical figure (the limit is 10^15); expected a number such as 1.234,5",
                super::table::shorten(raw.trim())
            ));
        }
        return Ok((Cell::Number(v), flag));
    }
    let raw = super::table::shorten(raw.trim());
    let raw = raw.as_str();
    Err(match style {
        NumberStyle::German => format!(
            "`{raw}` is not a number; expected a German number such as 1.234,5 or one of the symbols - . x ... /"
        ),
        NumberStyle::Plain => {
            format!("`{raw}` is not a number; expected a number such as 1234.5")
        }
    })
}

/// Figures at or beyond this size are refused: no municipal statistic comes near it (Germany's area
/// is 3.6 × 10^7 ha, its population 8.3 × 10^7), and above 9 × 10^15 doubles lose whole units.
pub const MAX_ABS_VALUE: f64 = 1e15;

/// Parses a number in the given style. Returns `None` on anything else (never guesses).
pub fn parse_number(t: &str, style: NumberStyle) -> Option<f64> {
    let t = t.trim();
    if t.is_empty() {
        return None;
    }
    let normalised = match style {
        NumberStyle::German => {
            let (int, frac) = match t.split_once(',') {
                Some((i, f)) => (i, Some(f)),
                None => (t, None),
            };
            // Thousands points must group exactly three digits.
            let mut groups = int.trim_start_matches(['-', '+']).split('.');
            let first = groups.next()?;
            if first.is_empty() || first.len() > 3 && int.contains('.') {
                return None;
            }
            if groups.any(|g| g.len() != 3) {
                return None;
            }
            let mut s = int.replace('.', "");
            if let Some(f) = frac {
                if f.is_empty() || !f.chars().all(|c| c.is_ascii_digit()) {
                    return None;
                }
                s.push('.');
                s.push_str(f);
            }
            s
        }
        NumberStyle::Plain => t.to_string(),
    };
    // Plain numbers may carry an exponent (`2.33888E-05`, as spreadsheets write small values).
    let (mantissa, exponent) = match (style, normalised.find(['e', 'E'])) {
        (NumberStyle::Plain, Some(i)) => (&normalised[..i], Some(&normalised[i + 1..])),
        _ => (normalised.as_str(), None),
    };
    let valid = mantissa.chars().any(|c| c.is_ascii_digit())
        && mantissa
            .chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+')))
        && exponent.is_none_or(|e| {
            let digits = e.strip_prefix(['-', '+']).unwrap_or(e);
            !digits.is_empty() && digits.len() <= 3 && digits.chars().all(|c| c.is_ascii_digit())
        });
    if !valid {
        return None;
    }
    normalised.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Names (of the partnership, a member, an assessment field) longer than this are refused: a
/// 100 kB name once drove a run to 24 GB of memory.
pub const MAX_NAME_CHARS: usize = 200;
/// Free-text fields (notes, descriptions, sources) longer than this are refused.
pub const MAX_TEXT_CHARS: usize = 2_000;

/// Keys whose values are names (one line, at most [`MAX_NAME_CHARS`]).
const NAME_KEYS: &[&str] = &["name"];

/// Characters no configuration text may hold: C0 controls other than tab and line breaks, DEL,
/// C1 controls, and a byte-order mark inside the text. They cannot be printed (or, like ESC,
/// reach a terminal raw), and Typst reads U+000B and U+000C as line breaks.
pub fn forbidden_char(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{feff}')
}

/// `U+001B (ESC)` for messages.
fn describe(c: char) -> String {
    let name = match c {
        '\u{0}' => " (NUL)",
        '\u{7}' => " (BEL)",
        '\u{8}' => " (backspace)",
        '\u{1b}' => " (ESC)",
        '\u{7f}' => " (DEL)",
        '\u{feff}' => " (byte-order mark)",
        '\t' => " (tab)",
        '\n' | '\r' => " (line break)",
        _ => "",
    };
    format!("U+{:04X}{name}", c as u32)
}

/// The first character that cannot be printed in a configuration file, as an error naming line and
/// column. A byte-order mark at the very start is allowed.
pub fn check_control_chars(rel: &str, text: &str) -> Result<(), InputError> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (line_no, line) in body.split('\n').enumerate() {
        if let Some((col, c)) = line.chars().enumerate().find(|(_, c)| forbidden_char(*c)) {
            return Err(InputError::new(
                rel,
                format!("the control character {} cannot be printed", describe(c)),
                "delete it (it often comes with text copied from another program)",
            )
            .at(line_no + 1)
            .column((col + 1).to_string()));
        }
    }
    Ok(())
}

/// The first unprintable character in a statistics file (C0 and C1 controls other than tab and
/// line breaks, DEL, a byte-order mark inside the text), as an error naming line, column (the
/// cell's number, counted with `sep`; the character's position in the line) and the character.
/// A byte-order mark at the very start is allowed. Statistics cells are checked like
/// configuration texts: an ESC in a cell would reach the terminal and the documents raw.
pub fn check_cells(rel: &str, text: &str, sep: char) -> Result<(), InputError> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Fast path over bytes: every forbidden character's UTF-8 starts with a C0 byte other than
    // tab and line breaks, DEL, 0xC2 (U+0080–U+009F) or 0xEF (U+FEFF); most files have none of
    // the first two and few of the others, so the character scan below runs rarely.
    let suspicious = |b: &u8| (*b < 0x20 && !matches!(*b, b'\t' | b'\n' | b'\r')) || matches!(*b, 0x7f | 0xc2 | 0xef);
    let Some(first) = body.bytes().position(|b| suspicious(&b)) else {
        return Ok(());
    };
    let Some(pos) = body[first..].find(forbidden_char).map(|p| p + first) else {
        return Ok(());
    };
    let c = body[pos..].chars().next().unwrap_or_default();
    let line_start = body[..pos].rfind('\n').map_or(0, |p| p + 1);
    let before = &body[line_start..pos];
    let cell = before.matches(sep).count() + 1;
    let char_col = before.chars().count() + 1;
    Err(InputError::new(
        rel,
        format!(
            "the control character {} (character {char_col} of the line) cannot be printed",
            describe(c)
        ),
        "delete it and save the file again (it often comes from copying out of another program or from pasting two files together)",
    )
    .at(line_of_offset(body, pos))
    .column(cell.to_string()))
}

/// One text field: no unprintable characters (tab and line breaks only where `multiline`) and at
/// most `max` characters. The message names the field.
pub fn check_field(field: &str, value: &str, max: usize, multiline: bool) -> Result<(), String> {
    if let Some(c) = value
        .chars()
        .find(|c| forbidden_char(*c) || (!multiline && matches!(c, '\t' | '\n' | '\r')))
    {
        return Err(format!("{field}: the character {} cannot be printed here", describe(c)));
    }
    let n = value.chars().count();
    if n > max {
        return Err(format!("{field} has {n} characters; at most {max} are allowed"));
    }
    Ok(())
}

/// `text` shortened to at most `max` characters for quoting in a message.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max).collect();
    s.push('…');
    s
}

/// Every text of a TOML configuration file: unprintable characters (also when written as escapes
/// like `\u001b`) and the length of each string value (names [`MAX_NAME_CHARS`], other texts
/// [`MAX_TEXT_CHARS`]). Errors name the file, the line where it can be found, and the field.
/// A file that is not TOML passes here; the typed parser reports it.
pub fn check_toml_texts(rel: &str, text: &str) -> Result<(), InputError> {
    check_control_chars(rel, text)?;
    let Ok(table) = text.parse::<toml::Table>() else {
        return Ok(());
    };
    fn walk(path: &str, key: &str, v: &toml::Value, out: &mut Option<(String, String)>) {
        if out.is_some() {
            return;
        }
        match v {
            toml::Value::String(s) => {
                let name = NAME_KEYS.contains(&key);
                let max = if name { MAX_NAME_CHARS } else { MAX_TEXT_CHARS };
                if let Err(m) = check_field(path, s, max, !name) {
                    *out = Some((m, s.clone()));
                }
            }
            toml::Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(&format!("{path}[{}]", i + 1), key, x, out);
                }
            }
            toml::Value::Table(t) => {
                for (k, x) in t {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    walk(&p, k, x, out);
                }
            }
            _ => {}
        }
    }
    let mut found = None;
    for (k, v) in &table {
        walk(k, k, v, &mut found);
    }
    let Some((message, value)) = found else {
        return Ok(());
    };
    let mut e = InputError::new(
        rel,
        message,
        "shorten the text or delete the character (names: one line of at most 200 characters; other texts at most 2,000)",
    );
    // The line: where the value's first characters are written (not found if written with escapes).
    let head: String = value.chars().take(40).collect();
    if !head.is_empty() {
        if let Some(off) = text.find(&head) {
            e = e.at(line_of_offset(text, off));
        }
    }
    Err(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unprintable_and_overlong_texts_are_refused() {
        let e = check_toml_texts("p.toml", "name = \"A\"\n[[member]]\nname = \"Wur\u{1b}zen\"\n").unwrap_err();
        let s = e.to_string();
        assert!(
            s.contains("p.toml, line 3, column 12") && s.contains("U+001B (ESC)"),
            "{s}"
        );
        let e = check_toml_texts("p.toml", "name = \"A\"\n[[member]]\nname = \"Wur\\u0007zen\"\n").unwrap_err();
        assert!(
            e.to_string().contains("member[1].name: the character U+0007 (BEL)"),
            "{e}"
        );
        let long = "x".repeat(201);
        let e = check_toml_texts("p.toml", &format!("name = \"A\"\n[[member]]\nname = \"{long}\"\n")).unwrap_err();
        assert!(
            e.to_string().contains("line 3") && e.to_string().contains("member[1].name has 201 characters"),
            "{e}"
        );
        assert!(check_toml_texts("p.toml", "\u{feff}name = \"A\"\nnote = \"a\\tb\\nc\"\n").is_ok());
        assert!(check_toml_texts("p.toml", "name = \"A\u{feff}B\"\n").is_err());
        assert_eq!(shorten("abcdef", 3), "abc…");
    }

    #[test]
    fn german_thousands_point_is_not_a_decimal_point() {
        assert_eq!(parse_number("1.234", NumberStyle::German), Some(1234.0));
        assert_eq!(parse_number("1.234,5", NumberStyle::German), Some(1234.5));
        assert_eq!(parse_number("3.060", NumberStyle::German), Some(3060.0));
        assert_eq!(parse_number("-12,25", NumberStyle::German), Some(-12.25));
        assert_eq!(parse_number("16238", NumberStyle::German), Some(16238.0));
        assert_eq!(parse_number("1.23", NumberStyle::German), None);
        assert_eq!(parse_number("12a", NumberStyle::German), None);
        assert_eq!(parse_number("30050.392", NumberStyle::Plain), Some(30050.392));
        assert_eq!(parse_number("2.33888E-05", NumberStyle::Plain), Some(2.33888e-5));
        assert_eq!(parse_number("1e", NumberStyle::Plain), None);
        assert_eq!(parse_number("1e5", NumberStyle::German), None);
        assert_eq!(parse_number(".", NumberStyle::Plain), None);
        assert_eq!(parse_number("8.478e-05", NumberStyle::Plain), Some(8.478e-05));
    }

    #[test]
    fn symbols_are_missing_and_dash_is_distinct() {
        let m = |s| parse_cell(s, NumberStyle::German).unwrap().0;
        assert_eq!(m("-"), Cell::Dash);
        assert_eq!(m("."), Cell::Missing(Missing::Unknown));
        assert_eq!(m("x"), Cell::Missing(Missing::Locked));
        assert_eq!(m("..."), Cell::Missing(Missing::NotYetAvailable));
        assert_eq!(m("/"), Cell::Missing(Missing::TooUncertain));
        let (c, f) = parse_cell("1.234p", NumberStyle::German).unwrap();
        assert_eq!((c, f.as_deref()), (Cell::Number(1234.0), Some("p")));
        assert!(parse_cell("abc", NumberStyle::German).unwrap_err().contains("`abc`"));
    }

    #[test]
    fn latin1_and_bom_are_decoded() {
        let (t, enc) = decode(b"Bev\xf6lkerung");
        assert_eq!((t.as_str(), enc), ("Bevölkerung", "ISO-8859-1"));
        let (t, enc) = decode("\u{feff}Größe".as_bytes());
        assert_eq!((t.as_str(), enc), ("Größe", "UTF-8"));
        assert_eq!(repair_double_utf8("WaldflÃ¤che"), "Waldfläche");
        assert_eq!(repair_double_utf8("Waldfläche"), "Waldfläche");
    }

    #[test]
    fn control_characters_in_statistics_cells_are_errors_naming_line_cell_and_character() {
        assert!(check_cells("s.csv", "\u{feff}ags;total\n14729030;1\t2\r\n", ';').is_ok());
        let e = check_cells("s.csv", "ags;total\n1;2\n14729030;3\u{1b}[31m\n", ';').unwrap_err();
        assert_eq!((e.line, e.column.as_deref()), (Some(3), Some("2")), "{e}");
        assert!(
            e.message.contains("U+001B (ESC)") && e.message.contains("character 11"),
            "{e}"
        );
        let e = check_cells("s.csv", "ags,total\n\u{feff}14729030,3\n", ',').unwrap_err();
        assert_eq!((e.line, e.column.as_deref()), (Some(2), Some("1")));
        assert!(e.message.contains("byte-order mark"), "{e}");
        for c in ['\u{7}', '\u{85}', '\u{7f}', '\u{c}'] {
            assert!(check_cells("s.csv", &format!("a,b\n1,{c}\n"), ',').is_err(), "{c:?}");
        }
        // A byte-order mark inside the text is no longer dropped by decoding.
        assert_eq!(decode("a\u{feff}b".as_bytes()).0, "a\u{feff}b");
    }
}
