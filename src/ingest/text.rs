//! Bytes to text and cells to numbers, the way German statistical offices write them.

use crate::model::Missing;

/// Decodes a file's bytes: UTF-8 (with or without BOM) when valid, else ISO-8859-1/Windows-1252.
/// Returns the text and the name of the encoding that was used.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), "UTF-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text.into_owned(), "ISO-8859-1")
        }
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
    parse_number(number, style)
        .map(|v| (Cell::Number(v), flag))
        .ok_or_else(|| match style {
            NumberStyle::German => format!(
                "`{raw}` is not a number; expected a German number such as 1.234,5 or one of the symbols - . x ... /"
            ),
            NumberStyle::Plain => {
                format!("`{raw}` is not a number; expected a number such as 1234.5")
            }
        })
}

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
    // Plain numbers may use scientific notation (`8.478e-05`); German ones never do.
    let mantissa = match style {
        NumberStyle::Plain => normalised.split(['e', 'E']).next().unwrap_or(""),
        NumberStyle::German => normalised.as_str(),
    };
    let valid = mantissa
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+')));
    if !valid {
        return None;
    }
    normalised.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// 1-based line number of a byte offset in a text.
pub fn line_of_offset(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(parse_number("8.478e-05", NumberStyle::Plain), Some(8.478e-05));
        assert_eq!(parse_number("1e5", NumberStyle::German), None);
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
}
