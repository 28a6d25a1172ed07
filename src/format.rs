//! German number formatting (`1.234,5`), shared by charts and documents.

/// Formats a number with `decimals` places, a comma as decimal mark and points grouping thousands.
pub fn de_number(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s.clone(), None),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('.');
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
        out.push(',');
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
pub fn de_signed_pct(v: f64) -> String {
    if v > 0.0 {
        format!("+{} %", de_number(v, 1))
    } else {
        format!("{} %", de_number(v, 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_format() {
        assert_eq!(de_number(1234.5, 1), "1.234,5");
        assert_eq!(de_number(1440023.0, 0), "1.440.023");
        assert_eq!(de_number(-3.88, 2), "−3,88");
        assert_eq!(de_number(-0.001, 1), "0,0");
        assert_eq!(de_number(999.0, 0), "999");
        assert_eq!(de_signed_pct(2.26), "+2,3 %");
    }
}
