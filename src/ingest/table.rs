//! Delimited text → a table of text cells. Every cell stays text here: numbers are converted by
//! [`super::text::parse_cell`], because polars' own decimal-comma parsing reads a German `1.234` as
//! 1.234 (see STACK.md).
//!
//! Records are split by [`scan`], a small quote-aware scanner, so that every row knows its exact
//! file line (a quoted field may hold a line break, as in the Marktstammdatenregister export),
//! `\r\n`, `\n` and a lone `\r` all end a line, and a field count that differs from the header's is
//! an error naming the line. The cells are then held column by column in a polars frame of strings.

use polars::prelude::*;

use crate::error::InputError;

/// One record of a delimited file: its fields and the 1-based file line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

/// Why [`scan`] stopped.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanError {
    pub line: usize,
    pub message: String,
}

/// Splits `text` into records. `first_line` is the file line of the text's first line. Blank lines
/// are skipped. A quoted field (`"…"`, with `""` for a quote) may contain separators and line
/// breaks; a quote inside an unquoted field is kept as a character. An unclosed quote is an error.
pub fn scan(text: &str, sep: char, first_line: usize) -> Result<Vec<Record>, ScanError> {
    let mut records = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut line = first_line;
    let mut record_line = first_line;
    let mut quote_line = first_line;
    let mut in_quotes = false;
    let mut at_field_start = true;
    let mut blank = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\r' => {
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    line += 1;
                    field.push('\n');
                }
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if at_field_start => {
                in_quotes = true;
                quote_line = line;
                at_field_start = false;
                blank = false;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                if !blank || !fields.is_empty() {
                    fields.push(std::mem::take(&mut field));
                    records.push(Record {
                        line: record_line,
                        fields: std::mem::take(&mut fields),
                    });
                }
                field.clear();
                line += 1;
                record_line = line;
                at_field_start = true;
                blank = true;
            }
            c if c == sep => {
                fields.push(std::mem::take(&mut field));
                at_field_start = true;
                blank = false;
            }
            _ => {
                field.push(c);
                at_field_start = false;
                if !c.is_whitespace() {
                    blank = false;
                }
            }
        }
    }
    if in_quotes {
        return Err(ScanError {
            line: quote_line,
            message: format!("a quoted field opened on line {quote_line} is never closed"),
        });
    }
    if !blank || !fields.is_empty() {
        fields.push(field);
        records.push(Record {
            line: record_line,
            fields,
        });
    }
    Ok(records)
}

/// Scans and turns a scan error into an input error for `file`.
pub fn scan_file(file: &str, text: &str, sep: char, first_line: usize) -> Result<Vec<Record>, InputError> {
    scan(text, sep, first_line).map_err(|e| {
        InputError::new(
            file,
            e.message,
            "the file is cut off or a quote `\"` is missing: download it again, or close the quote",
        )
        .at(e.line)
    })
}

/// A table of text cells with the 1-based file line of each row.
pub struct TextTable {
    pub columns: Vec<String>,
    pub frame: DataFrame,
    /// File line of row 0.
    pub first_line: usize,
    /// File line of every row (rows may span lines when a quoted field holds a line break).
    pub lines: Vec<usize>,
}

impl TextTable {
    pub fn height(&self) -> usize {
        self.lines.len()
    }

    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// The index of a column the file must have; if it is missing, an error for file `rel` at the
    /// header line `line` that names the column and gives `hint` as the fix.
    pub fn require(&self, rel: &str, name: &str, line: usize, hint: impl Into<String>) -> Result<usize, InputError> {
        self.column_index(name)
            .ok_or_else(|| InputError::new(rel, format!("the column `{name}` is missing"), hint).at(line))
    }

    /// A table with a header and nothing below is an incomplete download: an error for file `rel` at
    /// `line` (the first line of the table's text).
    pub fn require_rows(&self, rel: &str, line: usize) -> Result<(), InputError> {
        if self.height() == 0 {
            return Err(InputError::new(
                rel,
                "the file has a header but no data rows",
                "the download is incomplete: download the table again",
            )
            .at(line));
        }
        Ok(())
    }

    /// The cell at row `r`, column `c`; empty or absent cells come back as `""`.
    pub fn cell(&self, r: usize, c: usize) -> &str {
        self.frame
            .columns()
            .get(c)
            .and_then(|col| col.str().ok())
            .and_then(|ca| ca.get(r))
            .unwrap_or("")
    }

    pub fn line(&self, r: usize) -> usize {
        self.lines.get(r).copied().unwrap_or(self.first_line + r)
    }
}

/// Parses `text` (already decoded, footer and metadata removed). `first_line` is the file line of
/// the first line of `text`, for messages. Every row must have as many fields as the first.
pub fn read(
    file: &str,
    text: &str,
    separator: u8,
    has_header: bool,
    first_line: usize,
) -> Result<TextTable, InputError> {
    let sep = separator as char;
    let mut records = scan_file(file, text, sep, first_line)?;
    let width = records.first().map_or(0, |r| r.fields.len());
    for r in &records {
        if r.fields.len() != width {
            return Err(field_count_error(file, r, width, sep, has_header));
        }
    }
    let (columns, header_line) = if has_header && !records.is_empty() {
        let h = records.remove(0);
        let cols = h
            .fields
            .iter()
            .map(|s| s.trim().trim_start_matches('\u{feff}').trim().to_string())
            .collect();
        (cols, h.line)
    } else {
        (
            (1..=width).map(|i| format!("column_{i}")).collect::<Vec<_>>(),
            first_line,
        )
    };
    from_records(columns, records, if has_header { header_line + 1 } else { first_line })
}

/// Builds a table from records already checked to have `columns.len()` fields each.
pub fn from_records(columns: Vec<String>, records: Vec<Record>, first_line: usize) -> Result<TextTable, InputError> {
    let lines: Vec<usize> = records.iter().map(|r| r.line).collect();
    let mut cols: Vec<Vec<String>> = vec![Vec::with_capacity(records.len()); columns.len()];
    for r in records {
        for (c, v) in r.fields.into_iter().enumerate() {
            if let Some(col) = cols.get_mut(c) {
                col.push(v);
            }
        }
    }
    let series: Vec<Column> = cols
        .into_iter()
        .enumerate()
        .map(|(i, v)| Column::new(format!("c{i}").into(), v))
        .collect();
    let frame = DataFrame::new_infer_height(series).map_err(|e| {
        InputError::new(
            "",
            format!("internal: the table could not be assembled: {e}"),
            "report this as a bug",
        )
    })?;
    Ok(TextTable {
        columns,
        frame,
        first_line: lines.first().copied().unwrap_or(first_line),
        lines,
    })
}

fn field_count_error(file: &str, r: &Record, width: usize, sep: char, has_header: bool) -> InputError {
    let n = r.fields.len();
    let shown = shorten(&r.fields.join(&sep.to_string()));
    let what = if has_header {
        "the header has"
    } else {
        "the first line has"
    };
    let hint = if width == 1 || n == 1 {
        format!(
            "the fields must be separated by `{sep}`; if the file uses another separator (e.g. `;` or a tab), save it again as it was downloaded"
        )
    } else {
        "check that the file was not cut off or edited by hand, and that fields containing the separator are quoted"
            .to_string()
    };
    InputError::new(
        file,
        format!("this line has {n} fields, {what} {width} (separator `{sep}`): `{shown}`"),
        hint,
    )
    .at(r.line)
}

pub fn shorten(s: &str) -> String {
    let s: String = s
        .trim_end()
        .chars()
        .map(|c| if c.is_control() { '�' } else { c })
        .collect();
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_may_hold_separators_quotes_and_line_breaks() {
        let r = scan("a;\"b;c\";\"x\"\"y\"\r\n\"1\r\n2\";3;4\n\n5;6;7", ';', 1).unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].fields, ["a", "b;c", "x\"y"]);
        assert_eq!((r[1].line, r[1].fields[0].as_str()), (2, "1\n2"));
        assert_eq!(r[2].line, 5);
    }

    #[test]
    fn lone_cr_and_mixed_line_endings_end_lines() {
        let r = scan("a,b\rc,d\r\ne,f\ng,h", ',', 10).unwrap();
        assert_eq!(r.iter().map(|r| r.line).collect::<Vec<_>>(), [10, 11, 12, 13]);
    }

    #[test]
    fn unclosed_quote_names_its_line() {
        let e = scan("a,b\n\"c,d\ne,f\n", ',', 1).unwrap_err();
        assert_eq!(e.line, 2);
    }

    #[test]
    fn field_count_mismatch_names_the_line() {
        let e = read("f.csv", "a,b\n1,2\n3\n", b',', true, 1).err().unwrap();
        assert_eq!(e.line, Some(3));
        let t = read("f.csv", "a,b\n1,2\n\n3,4\n", b',', true, 1).unwrap();
        assert_eq!((t.height(), t.line(1), t.cell(1, 1)), (2, 4, "4"));
    }
}
