//! Issue 14, item 1: the offices' own downloads work with no hand-written mapping and no
//! hand-written source entry — population (12411), land use (33111) and residential buildings
//! (31231) are recognised by the built-in knowledge of the official tables and cite themselves.

use std::fs;
use std::path::{Path, PathBuf};

use super::{bin, build, copy_fixture, fixture, indicators, pdfs, pdftotext, stderr};

/// The small fixture with Leipzig's population, area and building figures only in the offices'
/// originals: its rows of the national per-AGS tables removed, the `12411` lines of variables.csv and the
/// sources.toml entry of the 12411 table removed, the 33111 and 31231 originals added (no entries).
fn offices_downloads_only(dir: &Path) -> PathBuf {
    let inputs = copy_fixture("small", dir);
    for rel in [
        "population_2018.csv",
        "population_2021.csv",
        "area_2018.csv",
        "area_2021.csv",
        "buildings_2021.csv",
        "flats_2021.csv",
    ] {
        let path = inputs.join("statistics/national").join(rel);
        let text = fs::read_to_string(&path).unwrap();
        let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with("14713000")).collect();
        assert!(kept.len() < text.lines().count(), "{rel} had a Leipzig row");
        fs::write(&path, kept.join("\n") + "\n").unwrap();
    }
    let variables = inputs.join("variables.csv");
    let text = fs::read_to_string(&variables).unwrap();
    let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with("12411")).collect();
    assert!(kept.len() < text.lines().count(), "variables.csv had 12411 lines");
    fs::write(&variables, kept.join("\n") + "\n").unwrap();
    let sources = inputs.join("sources.toml");
    let text = fs::read_to_string(&sources).unwrap();
    let start = text.find("path = \"statistics/regionalstatistik/").unwrap();
    let block_start = text[..start].rfind("[[source]]").unwrap();
    let block_end = start + text[start..].find("[[source]]").unwrap();
    fs::write(&sources, format!("{}{}", &text[..block_start], &text[block_end..])).unwrap();
    for name in [
        "33111-01-01-5_00_extract_Sachsen-Leipzig.csv",
        "31231-01-02-5_00_extract_Sachsen-Leipzig.csv",
    ] {
        fs::copy(
            fixture("known_tables").join(name),
            inputs.join("statistics/regionalstatistik").join(name),
        )
        .unwrap();
    }
    inputs
}

#[test]
fn offices_downloads_are_mapped_and_cite_themselves() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = offices_downloads_only(tmp.path());
    let text = fs::read_to_string(inputs.join("sources.toml")).unwrap();
    assert!(
        !text.contains("statistics/regionalstatistik/"),
        "no hand-written source entry"
    );

    let check = bin().args(["check", "--inputs"]).arg(&inputs).output().unwrap();
    let out = String::from_utf8_lossy(&check.stdout);
    let leipzig = out
        .lines()
        .find(|l| l.trim_start().starts_with("14713000 Leipzig: population"))
        .unwrap_or_else(|| panic!("no core-data line for Leipzig in: {out}"));
    for part in [
        "population 2015 (statistics/regionalstatistik/12411-01-01-5_00_extract_Sachsen-Leipzig.csv)",
        "area and land use 2015 (statistics/regionalstatistik/33111-01-01-5_00_extract_Sachsen-Leipzig.csv)",
        "buildings 2010 (statistics/regionalstatistik/31231-01-02-5_00_extract_Sachsen-Leipzig.csv)",
    ] {
        assert!(leipzig.contains(part), "`{part}` missing in: {leipzig}");
    }

    let out_dir = tmp.path().join("out");
    let args = ["--member", "14713000", "--documents", "briefing"];
    let o = build(&inputs, &out_dir, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    let ind = indicators(&out_dir);
    let get = |k: &str| ind[&("14713000".to_string(), k.to_string())].clone();
    assert_eq!(get("population"), (560_472.0, 2015, "A".into()));
    assert_eq!(get("land_total"), (29_780.0, 2015, "A".into()));
    assert_eq!(get("area_agriculture").0, 10_223.0);
    assert_eq!(get("area_forest").0, 2_184.0);
    let pdf = pdfs(&out_dir);
    assert_eq!(pdf.len(), 1, "{pdf:?}");
    let text = pdftotext(&out_dir.join(&pdf[0]));
    for part in [
        "560.472 Einw.",
        "29.780 ha",
        "Bevölkerung nach Geschlecht - Stichtag 31.12. - (12411-01-01-5)",
        "Bodenfläche nach Art der tatsächlichen Nutzung - Stichtag 31.12. - (33111-01-01-5)",
    ] {
        assert!(text.contains(part), "`{part}` missing in:\n{text}");
    }
    assert!(!text.contains("Quelle nicht angegeben"), "{text}");
}

/// Issue 14, item 7: a second, made-up partnership in Rhineland-Palatinate (Cochem and five
/// neighbours, Altlay under 1,000 inhabitants) whose core data come in layouts the bundled inputs do
/// not use — population as an older flat file and a long table CSV, land use as an older flat file
/// by ALKIS codes, buildings as an XLSX workbook (`tests/fixtures/second_partnership/make_second.py`).
fn second_partnership(dir: &Path) -> PathBuf {
    let inputs = copy_fixture("small", dir);
    for sub in ["statistics", "geometry"] {
        fs::remove_dir_all(inputs.join(sub)).unwrap();
    }
    for rel in ["local/measure_status.csv", "local/council_decisions.csv"] {
        fs::remove_file(inputs.join(rel)).unwrap();
    }
    let fixture_dir = fixture("second_partnership");
    super::copy_dir(&fixture_dir.join("statistics"), &inputs.join("statistics"));
    fs::copy(fixture_dir.join("partnership.toml"), inputs.join("partnership.toml")).unwrap();
    // No hand-written source entry either: the flat files, the table CSV and the workbook cite themselves.
    // No hand-written mapping: the 12411 lines of the bundled variables.csv go.
    let variables = inputs.join("variables.csv");
    let text = fs::read_to_string(&variables).unwrap();
    let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with("12411")).collect();
    fs::write(&variables, kept.join("\n") + "\n").unwrap();
    inputs
}

#[test]
fn a_second_partnership_elsewhere_from_other_layouts() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = second_partnership(tmp.path());
    let check = bin().args(["check", "--inputs"]).arg(&inputs).output().unwrap();
    let out = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{out}{}", stderr(&check));
    for part in [
        "statistics/12411_flat.csv                            GENESIS flat (ffcsv, old columns)  ISO-8859-1 12411",
        "statistics/12411-01-01-5_long.csv                    GENESIS-Tabelle (CSV)              ISO-8859-1 12411-01-01-5",
        "statistics/31231-01-02-5.xlsx                        GENESIS-Tabelle (XLSX)",
        "buildings, flats, residential_area",
        "07135003 Altlay: population 2021 (statistics/12411_flat.csv); area and land use 2021 (statistics/33111_flat.csv)",
    ] {
        assert!(out.contains(part), "`{part}` missing in:\n{out}");
    }

    let out_dir = tmp.path().join("out");
    let o = build(&inputs, &out_dir, &["--documents", "briefing"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("no entry in sources.toml"), "{}", stderr(&o));
    assert_eq!(pdfs(&out_dir).len(), 6, "{:?}", pdfs(&out_dir));
    let ind = indicators(&out_dir);
    let get = |ags: &str, k: &str| ind[&(ags.to_string(), k.to_string())].clone();
    // The national tables' figures, through the other layouts (make_second.py).
    assert_eq!(get("07135003", "population"), (445.0, 2021, "A".into()));
    assert_eq!(get("07135020", "population"), (5_199.0, 2021, "A".into()));
    assert_eq!(get("07135003", "land_total"), (575.0, 2021, "A".into()));
    assert_eq!(get("07135003", "area_settlement").0, 36.0);
    assert_eq!(get("07135003", "area_traffic").0, 35.0);
    assert_eq!(get("07135003", "area_forest").0, 237.0);
    assert_eq!(get("07135020", "land_total").0, 2_118.0);
    let text = pdftotext(&out_dir.join("ratsinfo_2024_07135003_altlay.pdf"));
    for part in [
        "Ratsinformation Klima: Altlay",
        "445 Einw.",
        "575 ha",
        "41,2 %",
        "(31231-01-02-5)",
    ] {
        assert!(text.contains(part), "`{part}` missing in:\n{text}");
    }
    assert!(
        !text.contains("31231-01-02-5;"),
        "the workbook's code is cited alone: {text}"
    );
}
