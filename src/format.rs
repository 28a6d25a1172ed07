//! Number formatting in the documents' style — German `1.234,5` by default, English `1,234.5` —
//! shared by charts and documents. The style travels with the documents' locale
//! (`Locale::style`, from `--lang`) and is passed to every function that writes a number or date.

/// How numbers and dates are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    /// `1.234,5` and `31.12.2021` (also the style of messages about the inputs).
    #[default]
    German,
    /// `1,234.5` and `2021-12-31`.
    English,
}

impl Style {
    /// The style of a document language: German for `de`, English for every other.
    pub fn for_lang(lang: &str) -> Style {
        if lang == "de" {
            Style::German
        } else {
            Style::English
        }
    }
}

/// Formats a number with `decimals` places in `style`: German with a comma as decimal mark and
/// points grouping thousands, English the other way round.
pub fn fmt_number(v: f64, decimals: usize, style: Style) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s.clone(), None),
    };
    let (group, decimal) = match style {
        Style::German => ('.', ','),
        Style::English => (',', '.'),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(c);
    }
    let negative = v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0');
    let mut out = String::new();
    if negative {
        out.push('−');
    }
    out.push_str(&grouped);
    if let Some(f) = frac {
        out.push(decimal);
        out.push_str(&f);
    }

    out
}

/// Sensible decimals for a value of this size: big numbers without, small ones with two.
pub fn auto_decimals(v: f64) -> usize {
    let a = v.abs();
    if a >= 100.0 {
        0
    } else if a >= 10.0 {
        1
    } else {
        2
    }
}

/// A signed percentage change, `+3,4 %` / `−1,2 %`.
pub fn fmt_signed_pct(v: f64, style: Style) -> String {
    if v > 0.0 {
        format!("+{} %", fmt_number(v, 1, style))
    } else {
        format!("{} %", fmt_number(v, 1, style))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_format() {
        assert_eq!(fmt_number(1234.5, 1, Style::German), "1.234,5");
        assert_eq!(fmt_number(1440023.0, 0, Style::German), "1.440.023");
        assert_eq!(fmt_number(-3.88, 2, Style::German), "−3,88");
        assert_eq!(fmt_number(-0.001, 1, Style::German), "0,0");
        assert_eq!(fmt_number(999.0, 0, Style::German), "999");
        assert_eq!(fmt_signed_pct(2.26, Style::German), "+2,3 %");
    }

    #[test]
    fn english_format() {
        assert_eq!(fmt_number(1234.5, 1, Style::English), "1,234.5");
        assert_eq!(fmt_signed_pct(-1.24, Style::English), "−1.2 %");
        assert_eq!(Style::for_lang("en"), Style::English);
        assert_eq!(Style::for_lang("de"), Style::German);
    }
}
