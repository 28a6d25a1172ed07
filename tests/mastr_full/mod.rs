//! Issue 14, item 6: the Marktstammdatenregister's full export (Gesamtdatenexport), dropped into
//! `inputs/statistics/` as downloaded, gives each member's capacity per technology (the hand sums
//! of `tests/fixtures/mastr_full/README.md`), cited from the file itself, grade A.

use std::fs;
use std::path::{Path, PathBuf};

use super::{bin, build, copy_fixture, fixture, indicators, stderr};

const EXPORT: &str = "Gesamtdatenexport_20241001_24.2.zip";

/// The small fixture with the export under `statistics/mastr/` (as `name`), the national
/// renewables table of 2024 removed (so the export is the latest figure up to 2024) and
/// `mastr_capacity` mapped to the documents' `re_capacity` in `variables.csv`.
fn with_export(dir: &Path, name: &str) -> PathBuf {
    let inputs = copy_fixture("small", dir);
    fs::create_dir_all(inputs.join("statistics/mastr")).unwrap();
    fs::copy(
        fixture("mastr_full").join(EXPORT),
        inputs.join("statistics/mastr").join(name),
    )
    .unwrap();
    fs::remove_file(inputs.join("statistics/national/renewable_energy_2024.csv")).unwrap();
    let vars = inputs.join("variables.csv");
    let mut text = fs::read_to_string(&vars).unwrap();
    text.push_str("mastr_capacity,re_capacity,,kW\n");
    fs::write(&vars, text).unwrap();
    inputs
}

#[test]
fn check_recognises_the_full_export() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = with_export(tmp.path(), EXPORT);
    let out = bin().args(["check", "--inputs"]).arg(&inputs).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("Marktstammdatenregister (Gesamtdatenexport)"), "{s}");
    assert!(s.contains(&format!("statistics/mastr/{EXPORT}")), "{s}");
}

#[test]
fn capacity_per_member_and_technology_is_the_hand_sum() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = with_export(tmp.path(), EXPORT);
    let out_dir = tmp.path().join("out");
    let o = build(&inputs, &out_dir, &["--member", "14729380"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let ind = indicators(&out_dir);
    let get = |ags: &str, id: &str| {
        ind.get(&(ags.to_string(), id.to_string()))
            .cloned()
            .unwrap_or_else(|| panic!("{ags} {id} missing"))
    };
    // Units in operation on 1 Oct 2024: not the planned, shut-down, later or non-member ones; the
    // unit repeated at the boundary of two parts once.
    for (ags, id, kw) in [
        ("14729380", "re_pv_kw", 9.6 + 29.7 + 4.2),
        ("14729410", "re_pv_kw", 750.0),
        ("14729410", "re_wind_kw", 3000.0),
        ("14729245", "re_biomass_kw", 537.0),
        ("14729030", "re_hydro_kw", 22.0),
    ] {
        let (v, year, quality) = get(ags, id);
        assert!((v - kw).abs() < 1e-6, "{ags} {id}: {v} vs {kw}");
        assert_eq!((year, quality.as_str()), (2024, "A"), "{ags} {id}");
    }
    // The citation is the file's own, the date the export's.
    let text = fs::read_to_string(out_dir.join("indicators.csv")).unwrap();
    let row = text
        .lines()
        .find(|l| l.starts_with("14729380,") && l.contains(",re_pv_kw,"))
        .expect("row of re_pv_kw");
    assert!(
        row.contains("Bundesnetzagentur") && row.contains("Gesamtdatenexport") && row.contains("2024-10-01"),
        "{row}"
    );
}

#[test]
fn renamed_export_without_date_is_an_error_naming_file_and_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = with_export(tmp.path(), "mastr.zip");
    let out = bin().args(["check", "--inputs"]).arg(&inputs).output().unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("statistics/mastr/mastr.zip")
            && err.contains("no export date")
            && err.contains("Gesamtdatenexport_YYYYMMDD"),
        "{err}"
    );
}
