//! Reads delimited text into a polars frame of strings. Every cell stays text here: numbers are
//! converted by [`super::text::parse_cell`], because polars' own decimal-comma parsing reads a German
//! `1.234` as 1.234 (see STACK.md).

use std::io::Cursor;

use polars::prelude::*;

use super::error::InputError;

/// A table of text cells with the 1-based file line of each row.
pub struct TextTable {
    pub columns: Vec<String>,
    pub frame: DataFrame,
    /// File line of row 0.
    pub first_line: usize,
}

impl TextTable {
    pub fn height(&self) -> usize {
        self.frame.height()
    }

    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// The cell at row `r`, column `c`; empty cells come back as `""`.
    pub fn cell(&self, r: usize, c: usize) -> &str {
        self.frame.columns()[c]
            .str()
            .ok()
            .and_then(|ca| ca.get(r))
            .unwrap_or("")
    }

    pub fn line(&self, r: usize) -> usize {
        self.first_line + r
    }
}

/// Parses `text` (already decoded, footer and metadata removed) with polars. `first_line` is the
/// file line of the first line of `text`, for messages.
pub fn read(
    file: &str,
    text: &str,
    separator: u8,
    has_header: bool,
    first_line: usize,
) -> Result<TextTable, InputError> {
    check_field_counts(file, text, separator, first_line)?;
    let bytes = text.as_bytes().to_vec();
    let frame = CsvReadOptions::default()
        .with_has_header(has_header)
        .with_infer_schema_length(Some(0))
        .with_raise_if_empty(false)
        .with_parse_options(
            CsvParseOptions::default()
                .with_separator(separator)
                .with_missing_is_null(true),
        )
        .into_reader_with_file_handle(Cursor::new(bytes))
        .finish()
        .map_err(|e| {
            InputError::new(
                file,
                format!("the table could not be parsed: {e}"),
                "save the file as semicolon- or comma-separated text as downloaded from the office",
            )
            .at(first_line)
        })?;
    let columns = frame
        .get_column_names()
        .iter()
        .map(|s| s.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    Ok(TextTable {
        columns,
        frame,
        first_line: if has_header { first_line + 1 } else { first_line },
    })
}

/// Finds the first line whose number of fields differs from the header's, so the message can
/// name the line (polars' own error does not).
fn check_field_counts(file: &str, text: &str, sep: u8, first_line: usize) -> Result<(), InputError> {
    let mut expected = None;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let n = count_fields(line, sep as char);
        match expected {
            None => expected = Some(n),
            Some(e) if e != n => {
                return Err(InputError::new(
                    file,
                    format!(
                        "this line has {n} fields, the first line has {e} (separator `{}`): `{}`",
                        sep as char,
                        shorten(line)
                    ),
                    "check that the file was not cut off or edited by hand, and that fields with separators are quoted",
                )
                .at(first_line + i));
            }
            _ => {}
        }
    }
    Ok(())
}

fn count_fields(line: &str, sep: char) -> usize {
    let mut n = 1;
    let mut quoted = false;
    for c in line.chars() {
        if c == '"' {
            quoted = !quoted;
        } else if c == sep && !quoted {
            n += 1;
        }
    }
    n
}

pub fn shorten(s: &str) -> String {
    let s = s.trim_end();
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s.to_string()
    }
}
