//! Zipped downloads (`*_flat.zip`: GENESIS ships each flat file alone in a ZIP archive). The one
//! CSV inside is read in memory, with a limit on its unpacked size.

use std::io::{Cursor, Read};

use crate::error::InputError;

/// The name and bytes of the single `.csv` file in a ZIP archive.
pub fn single_csv(rel: &str, bytes: &[u8], limit: u64) -> Result<(String, Vec<u8>), InputError> {
    let hint = "download the table again, or unpack the archive and put its CSV file into inputs/";
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| InputError::new(rel, format!("is not a readable ZIP archive: {e}"), hint))?;
    let csv: Vec<usize> = (0..archive.len())
        .filter(|&i| {
            archive
                .by_index_raw(i)
                .map(|f| {
                    f.is_file()
                        && f.name()
                            .map(|n| n.to_ascii_lowercase().ends_with(".csv"))
                            .unwrap_or(false)
                })
                .unwrap_or(false)
        })
        .collect();
    let index = match csv.as_slice() {
        [one] => *one,
        [] => {
            return Err(InputError::new(
                rel,
                "the ZIP archive holds no .csv file (an Excel .xlsx workbook is such an archive)",
                "save the sheet as CSV, or unpack the download and put its CSV file into inputs/",
            ));
        }
        more => {
            return Err(InputError::new(
                rel,
                format!("the ZIP archive holds {} .csv files; one is expected", more.len()),
                "unpack the archive and put the CSV files into inputs/ one by one",
            ));
        }
    };
    let mut file = archive
        .by_index(index)
        .map_err(|e| InputError::new(rel, format!("the ZIP archive cannot be unpacked: {e}"), hint))?;
    let name = file.name().map(|n| n.to_string()).unwrap_or_else(|_| "?".into());
    if file.size() > limit {
        return Err(InputError::new(
            rel,
            format!(
                "`{name}` in the ZIP archive unpacks to {} MB, more than the {} MB that are read",
                file.size() >> 20,
                limit >> 20
            ),
            "cut the export to your region before downloading",
        ));
    }
    let mut data = Vec::new();
    (&mut file).take(limit + 1).read_to_end(&mut data).map_err(|e| {
        InputError::new(
            rel,
            format!("`{name}` in the ZIP archive cannot be unpacked: {e}"),
            hint,
        )
    })?;
    if data.len() as u64 > limit {
        return Err(InputError::new(
            rel,
            format!("`{name}` in the ZIP archive unpacks to more than {} MB", limit >> 20),
            "cut the export to your region before downloading",
        ));
    }
    Ok((name, data))
}
