//! Citations read from the file itself (issue 14): a GENESIS / Regionalstatistik table CSV names
//! its table code (first line), title (the lines after it), publisher and year (the `©` line),
//! licence (Datenlizenz Deutschland and its version) and `Stand:` date (last line). Where
//! `sources.toml` has no entry for the file, these become its source entry; `sources.toml` only
//! overrides. Grade: a table at municipal depth is the member's own official statistic (A); a
//! table of districts or states applied to a municipality is a regional key figure (C).

use crate::model::{Grade, Source};

/// The file's own citation, if it is a GENESIS table CSV with its header.
pub fn from_genesis(rel: &str, text: &str) -> Option<Source> {
    let mut lines = text
        .lines()
        .map(|l| l.trim_matches(|c| c == '"' || c == ' ' || c == '\r'));
    let code = lines.next()?.strip_prefix("GENESIS-Tabelle:")?.trim().to_string();
    let first_cell = |l: &str| l.split(';').next().unwrap_or("").trim().trim_matches('"').to_string();
    let mut title = first_cell(lines.next()?);
    let third = lines.next().map(first_cell).unwrap_or_default();
    if third.starts_with('-') {
        title = format!("{title} {third}");
    }
    let copyright = text
        .lines()
        .map(|l| l.trim().trim_matches('"'))
        .find(|l| l.starts_with('©'))
        .map(|l| l.trim_end_matches('.').to_string());
    let publisher = copyright
        .as_deref()
        .map(|c| {
            let body = c.trim_start_matches('©').trim();
            body.split(", Deutschland").next().unwrap_or(body).to_string()
        })
        .unwrap_or_else(|| "Statistische Ämter des Bundes und der Länder".into());
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let licence = if flat.contains("Datenlizenz Deutschland - Namensnennung - Version 2.0") {
        "dl-de/by-2-0".to_string()
    } else if flat.contains("Datenlizenz Deutschland") {
        "Datenlizenz Deutschland".to_string()
    } else {
        String::new()
    };
    let stand = text
        .lines()
        .rev()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("Stand:"))
        .and_then(|s| s.split('/').next())
        .map(|s| s.trim().to_string());
    let mut attribution = copyright.unwrap_or_default();
    if let Some(s) = stand {
        attribution = format!("{attribution}; Stand {s}").trim_start_matches("; ").to_string();
    }
    let municipal = flat.contains("regionale Tiefe: Gemeinden");
    Some(Source {
        file: rel.to_string(),
        publisher,
        title,
        table: code,
        licence,
        attribution,
        grade: if municipal { Grade::A } else { Grade::C },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn genesis_original_cites_itself() {
        // The office's own download (ISO-8859-1 in the original; decoded here as the reader does).
        let bytes =
            include_bytes!("../../tests/fixtures/genesis_original/12411-01-01-5_00_extract_Sachsen-Leipzig.csv");
        let (text, _) = crate::ingest::text::decode(bytes);
        let s = from_genesis("statistics/x.csv", &text).unwrap();
        assert_eq!(s.table, "12411-01-01-5");
        assert_eq!(
            s.title,
            "Bevölkerungsstand: Bevölkerung nach Geschlecht - Stichtag 31.12. -"
        );
        assert_eq!(s.publisher, "Statistische Ämter des Bundes und der Länder");
        assert_eq!(s.licence, "dl-de/by-2-0");
        assert_eq!(
            s.attribution,
            "© Statistische Ämter des Bundes und der Länder, Deutschland, 2017; Stand 10.10.2017"
        );
        assert_eq!(s.grade, Grade::A, "municipal depth: the member's own statistic");
        assert!(from_genesis("x.csv", "ags;value\n1;2\n").is_none());
    }
}
