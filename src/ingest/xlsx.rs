//! Excel workbooks (`.xlsx`), as GENESIS / Regionalstatistik and the Zensus database offer every
//! table: the first sheet is turned into the text of the same table as CSV (`;` between cells,
//! numbers with a decimal comma as in the offices' CSV), and the text readers take it from there —
//! one set of layout rules for both.

use std::io::Cursor;

use calamine::{Data, DataType, Reader, Xlsx};

use crate::error::InputError;

/// True if the bytes are an Excel workbook (a ZIP archive holding `xl/workbook.xml`), or the name says so.
pub fn is_workbook(rel: &str, bytes: &[u8]) -> bool {
    rel.to_ascii_lowercase().ends_with(".xlsx")
        || bytes.starts_with(b"PK\x03\x04") && bytes.windows(16).any(|w| w == b"xl/workbook.xml")
}

/// The first sheet of the workbook as `;`-separated text, one line per row: rows of the table keep
/// the sheet's width (trailing empty cells too), a row with only its first cell filled is that cell.
/// Merged header cells are written as the office's CSV writes them (see [`unmerge`]).
pub fn first_sheet_as_text(rel: &str, bytes: &[u8]) -> Result<String, InputError> {
    // A damaged workbook must be an input error naming the file, never a crash of the run.
    std::panic::catch_unwind(|| sheet_text(rel, bytes)).unwrap_or_else(|_| {
        Err(InputError::new(
            rel,
            "is a damaged Excel workbook (it cannot be read)",
            "download the table again as XLSX, or as CSV",
        ))
    })
}

fn sheet_text(rel: &str, bytes: &[u8]) -> Result<String, InputError> {
    let hint = "download the table again as XLSX, or as CSV";
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| InputError::new(rel, format!("is not a readable Excel workbook: {e}"), hint))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| InputError::new(rel, "the workbook has no sheet", hint))?
        .map_err(|e| InputError::new(rel, format!("the first sheet cannot be read: {e}"), hint))?;
    let merges = book.merge_cells_by_sheet_id(0).unwrap_or_default();
    let mut out = String::new();
    // Rows above the used range (the sheet's first row may be empty) keep their line numbers.
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    for _ in 0..first_row {
        out.push('\n');
    }
    let mut grid: Vec<Vec<String>> = range
        .rows()
        .map(|row| {
            let mut cells: Vec<String> = (0..first_col).map(|_| String::new()).collect();
            cells.extend(row.iter().map(cell_text));
            cells
        })
        .collect();
    unmerge(&mut grid, first_row, &merges);
    for mut cells in grid {
        // A line of text alone (title, date line, footer) is written alone, as in the offices'
        // CSV, whose first line reads `GENESIS-Tabelle: <code>` with nothing after it.
        if cells.iter().skip(1).all(String::is_empty) {
            cells.truncate(1);
        }
        out.push_str(&cells.join(";"));
        out.push('\n');
    }
    Ok(out)
}

/// One cell as the offices' CSV writes it: text as is (quoted if it holds `;`, `"` or a line
/// break), whole numbers without decimals, others with a decimal comma, dates as `DD.MM.YYYY`.
/// GENESIS writes a table's header to Excel with merged cells, to CSV with the label repeated: a
/// label spanning several columns (`Bodenfläche` over all classes, `Vegetation` over its eight)
/// stands in each of them, as in the CSV; the merged head of the region columns (`Stichtag /
/// Kreise und kreisfreie Städte`, several rows high from the first column) is empty in the CSV and
/// is left out, so the header rows start with two empty cells. Title lines merged across the sheet
/// keep their text in the first cell alone. `grid` starts at sheet row `first_row`.
fn unmerge(grid: &mut [Vec<String>], first_row: u32, merges: &[calamine::Dimensions]) {
    for m in merges {
        let (r0, c0) = (m.start.0 as usize, m.start.1 as usize);
        let (r1, c1) = (m.end.0 as usize, m.end.1 as usize);
        let Some(row) = r0.checked_sub(first_row as usize).and_then(|r| grid.get_mut(r)) else {
            continue;
        };
        if c0 == 0 {
            if r1 > r0 {
                if let Some(cell) = row.get_mut(0) {
                    cell.clear();
                }
            }
            continue;
        }
        let Some(value) = row.get(c0).cloned() else { continue };
        for c in c0 + 1..=c1.min(row.len().saturating_sub(1)) {
            row[c].clone_from(&value);
        }
    }
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => quote(s),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => german_number(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(_) => d
            .as_date()
            .map(|x| x.format("%d.%m.%Y").to_string())
            .unwrap_or_default(),
        Data::Error(e) => quote(&e.to_string()),
    }
}

fn german_number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.0}")
    } else {
        f.to_string().replace('.', ",")
    }
}

fn quote(s: &str) -> String {
    if s.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_written_as_the_offices_csv_writes_them() {
        assert_eq!(cell_text(&Data::Float(8090.0)), "8090");
        assert_eq!(cell_text(&Data::Float(334.6)), "334,6");
        assert_eq!(cell_text(&Data::Int(-3)), "-3");
        assert_eq!(cell_text(&Data::String("Leipzig, Stadt".into())), "Leipzig, Stadt");
        assert_eq!(cell_text(&Data::String("a;b \"c\"".into())), "\"a;b \"\"c\"\"\"");
        assert_eq!(cell_text(&Data::Empty), "");
    }

    /// A GENESIS table saved as XLSX cites itself like its CSV: the first line holds the code alone.
    #[test]
    fn a_workbook_table_cites_itself() {
        let bytes = include_bytes!("../../tests/fixtures/known_tables/12411_wide.xlsx");
        let text = first_sheet_as_text("x.xlsx", bytes).unwrap();
        assert!(text.starts_with("GENESIS-Tabelle: 12411-01-01-5\n"), "{text}");
        let s = super::super::citation::from_genesis("x.xlsx", &text).unwrap();
        assert_eq!(s.table, "12411-01-01-5");
        assert_eq!(s.licence, "dl-de/by-2-0");
        assert!(
            text.contains("\n14729410;        Wurzen, Stadt;16364;7850;8514;"),
            "{text}"
        );
    }

    #[test]
    fn a_zip_that_is_no_workbook_is_an_error_naming_the_file() {
        let e = first_sheet_as_text("x.xlsx", b"PK\x03\x04 not really").unwrap_err();
        assert!(e.to_string().contains("x.xlsx"), "{e}");
        let whole = include_bytes!("../../tests/fixtures/known_tables/12411_wide.xlsx");
        for cut in [whole.len() / 2, whole.len() - 30] {
            let e = first_sheet_as_text("cut.xlsx", &whole[..cut]).unwrap_err();
            assert!(e.to_string().contains("cut.xlsx"), "{e}");
        }
        assert!(!is_workbook("x.csv", b"a;b"));
        assert!(is_workbook("X.XLSX", b""));
    }
}
