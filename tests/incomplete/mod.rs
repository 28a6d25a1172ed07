//! Issue 14: a member lacking core data never yields a PDF silently. Without population the build
//! stops naming member, variable and the table to download; `--allow-incomplete` writes the
//! documents with the gap marked ("keine Daten"), never "– %".

use std::fs;
use std::path::Path;

use super::{build, copy_fixture, pdfs, pdftotext, stderr};

/// The small fixture with every population row of Thallwitz (14729380) removed.
fn without_thallwitz_population(dir: &Path) -> std::path::PathBuf {
    let inputs = copy_fixture("small", dir);
    for rel in [
        "statistics/national/population_2018.csv",
        "statistics/national/population_2021.csv",
        "statistics/regionalstatistik/12411-01-01-5_00_extract_Sachsen-Leipzig.csv",
    ] {
        let path = inputs.join(rel);
        let bytes = fs::read(&path).unwrap();
        let kept: Vec<&[u8]> = bytes
            .split(|&b| b == b'\n')
            .filter(|l| !l.starts_with(b"14729380"))
            .collect();
        assert!(
            kept.len() < bytes.split(|&b| b == b'\n').count(),
            "{rel} had no Thallwitz row"
        );
        fs::write(&path, kept.join(&b'\n')).unwrap();
    }
    inputs
}

#[test]
fn member_without_population_stops_the_build_or_is_marked() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = without_thallwitz_population(tmp.path());
    let out = tmp.path().join("out");
    let args = ["--member", "14729380", "--documents", "briefing"];
    let o = build(&inputs, &out, &args);
    let err = stderr(&o);
    assert!(!o.status.success(), "{err}");
    for part in [
        "Thallwitz (14729380): no population",
        "12411-01-01-5",
        "Bevölkerung nach Geschlecht",
        "--allow-incomplete",
        "population MISSING",
    ] {
        assert!(err.contains(part), "`{part}` missing in: {err}");
    }
    assert!(
        pdfs(&out).is_empty() && !out.join("indicators.csv").exists(),
        "nothing is written"
    );

    let o = build(&inputs, &out, &[&args[..], &["--allow-incomplete"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = out.join("ratsinfo_2024_14729380_thallwitz.pdf");
    let text = pdftotext(&pdf);
    assert!(
        text.contains("keine Daten") && text.contains("fehlt: Tabelle 12411-01-01-5"),
        "{text}"
    );
    assert!(!text.contains("– %") && !text.contains("rund 0 €"), "{text}");
}

/// `init` for three AGS: the file loads (`check --config`), names are the official ones from the
/// Zensus table, roles follow the rule (no member ≥ 100,000 nor 5 × the next: all rural; with
/// Leipzig: Leipzig is the city), and an existing file is not overwritten without --force.
#[test]
fn init_writes_a_partnership_file_that_loads() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = super::fixture("small");
    let file = tmp.path().join("p.toml");
    let init = |ags: &str, force: bool| {
        let mut c = super::bin();
        c.args(["init", "--ags", ags, "--inputs"])
            .arg(&inputs)
            .arg("--output")
            .arg(&file);
        if force {
            c.arg("--force");
        }
        c.output().unwrap()
    };
    let o = init("14729410,14729030,14729380", false);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("12411-01-01-5") && out.contains("grade D"), "{out}");
    let text = fs::read_to_string(&file).unwrap();
    for part in [
        "name = \"Wurzen, Stadt\"",
        "name = \"Bennewitz\"",
        "name = \"Thallwitz\"",
        "reporting_year = 2024",
    ] {
        assert!(text.contains(part), "`{part}` missing in:\n{text}");
    }
    assert_eq!(text.matches("role = \"rural\"").count(), 3, "{text}");
    let check = super::bin()
        .args(["check", "--inputs"])
        .arg(&inputs)
        .arg("--config")
        .arg(&file)
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", stderr(&check));

    let o = init("14713000,14729410", false);
    assert!(!o.status.success() && stderr(&o).contains("--force"), "{}", stderr(&o));
    let o = init("14713000,14729410", true);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = fs::read_to_string(&file).unwrap();
    assert!(text.contains("name = \"Leipzig, Stadt\"\nrole = \"city\""), "{text}");
}
