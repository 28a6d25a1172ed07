//! Crate-level error types, shared by the stages without importing each other: [`InputError`], an
//! input error a clerk can act on (which file, where, what was found, what was expected, how to fix
//! it), with [`line_of_offset`] to place it; and [`ComputeError`], a computation that needs a change
//! to the inputs.

use std::fmt;

/// An input error: file, line and column where known, the message and how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct InputError {
    /// File path as the user gave it (relative to the inputs folder where possible).
    pub file: String,
    pub line: Option<usize>,
    /// Column name or 1-based column number.
    pub column: Option<String>,
    /// What is wrong, quoting the offending text.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl InputError {
    pub fn new(file: impl Into<String>, message: impl Into<String>, hint: impl Into<String>) -> Self {
        InputError {
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            hint: hint.into(),
        }
    }

    pub fn at(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        if let Some(col) = &self.column {
            write!(f, ", column {col}")?;
        }
        write!(f, ": {}", self.message)?;
        if !self.hint.is_empty() {
            write!(f, "\n  how to fix: {}", self.hint)?;
        }
        Ok(())
    }
}

impl std::error::Error for InputError {}

/// 1-based line number of a byte offset in a text.
pub fn line_of_offset(text: &str, offset: usize) -> usize {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].matches('\n').count() + 1
}

/// A computation that cannot go on without a change to the inputs.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ComputeError {
    /// A balance cell whose carrier has no emission factor for its sector and year.
    #[error(
        "no emission factor for carrier `{carrier}` (sector `{sector}`) valid in {year}; add a row to inputs/factors/emission_factors.csv"
    )]
    MissingEmissionFactor { carrier: String, sector: String, year: i32 },
}

/// Compute's per-member results still carry their failures as text.
impl From<ComputeError> for String {
    fn from(e: ComputeError) -> String {
        e.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_emission_factor_names_carrier_sector_year_and_the_fix() {
        let e = ComputeError::MissingEmissionFactor {
            carrier: "oil".into(),
            sector: "households".into(),
            year: 2022,
        };
        assert_eq!(
            e.to_string(),
            "no emission factor for carrier `oil` (sector `households`) valid in 2022; add a row to inputs/factors/emission_factors.csv"
        );
    }

    #[test]
    fn line_of_offset_counts_from_one_on_char_boundaries() {
        let text = "a\nä\nb";
        assert_eq!(line_of_offset(text, 0), 1);
        assert_eq!(line_of_offset(text, 3), 2); // inside `ä`
        assert_eq!(line_of_offset(text, 5), 3);
        assert_eq!(line_of_offset(text, 100), 3);
    }

    #[test]
    fn input_error_shows_place_and_fix() {
        let e = InputError::new("f.csv", "bad", "fix it").at(3).column("x");
        assert_eq!(e.to_string(), "f.csv, line 3, column x: bad\n  how to fix: fix it");
    }
}
