//! Citations read from the file itself (issue 14): a GENESIS / Regionalstatistik table CSV names
//! its table code (first line), title (the lines after it), publisher and year (the `©` line),
//! licence (Datenlizenz Deutschland and its version) and `Stand:` date (last line). Where
//! `sources.toml` has no entry for the file, these become its source entry; `sources.toml` only
//! overrides. Grade: a table at municipal depth is the member's own official statistic (A); a
//! table of districts or states applied to a municipality is a regional key figure (C).

use crate::model::{Grade, Source};

/// Publisher named for a flat file: the file states none; GENESIS and Regionalstatistik are both
/// published by the statistical offices of the Federation and the Länder.
const FLAT_PUBLISHER: &str = "Statistische Ämter des Bundes und der Länder (GENESIS/Regionalstatistik, Flatfile)";

/// What the annex says of a flat file's licence: the file states none, and none is assumed.
const FLAT_LICENCE: &str = "in der Datei nicht angegeben (Flatfile ohne Lizenz- und Standangabe)";

/// The citation a GENESIS flat file (ffcsv, old or new column scheme) gives of itself: the
/// statistic's code and label from its first data row. A flat file states no licence, publisher or
/// "Stand"; those stay empty rather than assumed. Grade A where the rows are municipalities
/// (`GEMEIN`), C for districts or states.
pub fn from_flat(rel: &str, text: &str) -> Option<Source> {
    let mut lines = text
        .lines()
        .map(|l| l.trim_start_matches('\u{feff}'))
        .filter(|l| !l.trim().is_empty());
    let header: Vec<String> = lines
        .next()?
        .split(';')
        .map(|c| c.trim().trim_matches('"').to_string())
        .collect();
    let code_col = header
        .iter()
        .position(|h| h.eq_ignore_ascii_case("statistics_code") || h == "Statistik_Code")?;
    let label_col = header
        .iter()
        .position(|h| h.eq_ignore_ascii_case("statistics_label") || h == "Statistik_Label")?;
    let row: Vec<String> = lines
        .next()?
        .split(';')
        .map(|c| c.trim().trim_matches('"').to_string())
        .collect();
    let code = row.get(code_col)?.clone();
    if code.is_empty() {
        return None;
    }
    let municipal = row.iter().any(|c| c == "GEMEIN");
    Some(Source {
        file: rel.to_string(),
        publisher: FLAT_PUBLISHER.to_string(),
        title: row.get(label_col).cloned().unwrap_or_default(),
        table: code,
        licence: FLAT_LICENCE.to_string(),
        attribution: String::new(),
        grade: if municipal { Grade::A } else { Grade::C },
    })
}

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
    fn flat_files_cite_their_statistic_in_both_column_schemes() {
        let old = "Statistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;1_Merkmal_Code;1_Merkmal_Label;1_Auspraegung_Code;1_Auspraegung_Label;BEVSTD__Bevoelkerungsstand__Anzahl\n\
                   12411;Fortschreibung des Bevölkerungsstandes;STAG;Stichtag;31.12.2021;GEMEIN;Gemeinden;07135020;Cochem, Stadt;5199\n";
        let s = from_flat("statistics/a.csv", old).unwrap();
        assert_eq!(
            (s.table.as_str(), s.title.as_str()),
            ("12411", "Fortschreibung des Bevölkerungsstandes")
        );
        assert_eq!(s.grade, Grade::A);
        assert_eq!(
            s.licence, FLAT_LICENCE,
            "a flat file states no licence; none is assumed"
        );
        let new = "statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;1_variable_attribute_code;1_variable_attribute_label;value\n\
                   12411;Fortschreibung des Bevölkerungsstandes;STAG;Stichtag;2021-12-31;KREISE;Kreise;14729;Leipzig, Landkreis;250000\n";
        let s = from_flat("statistics/b.csv", new).unwrap();
        assert_eq!((s.table.as_str(), s.grade), ("12411", Grade::C));
        assert!(from_flat("x.csv", "ags,population\n14729410,16000\n").is_none());
    }

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
