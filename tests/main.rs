//! Integration tests: run the `klimapartner` binary on fixture inputs and check what it writes —
//! the figures in indicators.csv, the text of the PDFs (via `pdftotext` from poppler-utils), error
//! messages and that failed runs leave earlier output untouched.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod fail_well;
mod fuzz_replay;
mod incomplete;
mod known_tables;
mod mastr_full;
mod scale;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_klimapartner"))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// A copy of a fixture folder in a fresh temp dir, so a test can change it.
fn copy_fixture(name: &str, dir: &Path) -> PathBuf {
    let dst = dir.join(name);
    copy_dir(&fixture(name), &dst);
    dst
}

fn copy_dir(src: &Path, dst: &Path) {
    fs::create_dir_all(dst).unwrap();
    for e in fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        let to = dst.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to);
        } else {
            fs::copy(e.path(), &to).unwrap();
        }
    }
}

fn build(inputs: &Path, output: &Path, extra: &[&str]) -> Output {
    bin()
        .args(["build", "--inputs"])
        .arg(inputs)
        .arg("--output")
        .arg(output)
        .args(extra)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext is missing: install poppler-utils (scripts/test.sh does)");
    assert!(out.status.success(), "pdftotext failed on {}", pdf.display());
    String::from_utf8(out.stdout).unwrap()
}

/// The text of a PDF in reading order (not layout, so a table cell's lines stay together), up to
/// `last_page`, with whitespace collapsed.
fn pdftext_flow(pdf: &Path, last_page: usize) -> String {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-l", &last_page.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext is missing: install poppler-utils (scripts/test.sh does)");
    assert!(out.status.success(), "pdftotext failed on {}", pdf.display());
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("BISKOBilanz", "BISKO-Bilanz")
}

/// indicators.csv as (ags, indicator) → (value, year, quality).
fn indicators(dir: &Path) -> BTreeMap<(String, String), (f64, i32, String)> {
    let mut r = csv::Reader::from_path(dir.join("indicators.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |n: &str| {
        h.iter()
            .position(|x| x == n)
            .unwrap_or_else(|| panic!("column {n} missing"))
    };
    let (a, i, v, y, q) = (col("ags"), col("indicator"), col("value"), col("year"), col("quality"));
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (
                (rec[a].to_string(), rec[i].to_string()),
                (
                    rec[v].parse().unwrap_or(f64::NAN),
                    rec[y].parse().unwrap_or(0),
                    rec[q].to_string(),
                ),
            )
        })
        .collect()
}

fn pdfs(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pdf"))
        .collect();
    v.sort();
    v
}

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// One full build on the fixture, shared by the assertions of all modules (a build takes seconds).
fn pipeline_dir() -> &'static Path {
    use std::sync::OnceLock;
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let out = build(&fixture("small"), &dir, &[]);
        assert!(out.status.success(), "build failed: {}", stderr(&out));
        dir
    })
}

mod pipeline {
    use super::*;

    fn built() -> &'static Path {
        super::pipeline_dir()
    }

    #[test]
    fn writes_eleven_pdfs_and_open_data() {
        let dir = built();
        let names = pdfs(dir);
        assert_eq!(names.len(), 11, "{names:?}");
        assert_eq!(names.iter().filter(|n| n.starts_with("bericht_")).count(), 5);
        assert_eq!(names.iter().filter(|n| n.starts_with("ratsinfo_")).count(), 5);
        assert!(names.contains(&"handbuch_2024.pdf".to_string()));
        assert!(dir.join("indicators.csv").exists() && dir.join("indicators.json").exists());
        let json: serde_json::Value = serde_json::from_slice(&fs::read(dir.join("indicators.json")).unwrap()).unwrap();
        assert_eq!(json.as_array().unwrap().len(), indicators(dir).len());
        // No temporary files are left behind.
        assert!(fs::read_dir(dir)
            .unwrap()
            .all(|e| !e.unwrap().file_name().to_string_lossy().ends_with(".part")));
    }

    #[test]
    fn check_values_from_the_issue() {
        let ind = indicators(built());
        let get = |ags: &str, id: &str| {
            ind.get(&(ags.to_string(), id.to_string()))
                .cloned()
                .unwrap_or_else(|| panic!("{ags} {id} missing"))
        };
        assert_eq!(get("14729410", "population"), (16238.0, 2021, "A".into()));
        assert_eq!(get("14729410", "population_census").0, 15902.0);
        assert_eq!(get("14729410", "population_census").1, 2022);
        assert_eq!(get("14729245", "area_agriculture"), (7736.0, 2021, "A".into()));
        assert_eq!(get("14729380", "area_forest"), (417.0, 2021, "A".into()));
        assert_eq!(get("14729030", "re_pv_kw"), (30050.392, 2024, "A".into()));
    }

    #[test]
    fn leipzig_2019_sectors_match_published_totals_within_half_a_percent() {
        let ind = indicators(built());
        for (id, published) in [
            ("ghg_t_buildings", 1_440_023.0),
            ("ghg_t_transport", 801_370.0),
            ("ghg_t_industry", 860_061.0),
        ] {
            let (v, year, _) = ind[&("14713000".to_string(), id.to_string())];
            assert_eq!(year, 2019);
            assert!(((v - published) / published).abs() < 0.005, "{id}: {v} vs {published}");
        }
        let (per_inh, _, _) = ind[&("14713000".to_string(), "ghg_t_per_inhabitant".to_string())];
        assert!((5.2..=5.3).contains(&per_inh), "per inhabitant {per_inh}");
    }

    /// Thallwitz's land-use flux recomputed by hand from the 2021 areas (area_2021.csv, row
    /// 14729380) and the cited fluxes (UBA NIR 2021 via LocalZero facts, see
    /// inputs/factors/DERIVATION.md), with the LocalZero shares of land_use_mapping.csv.
    #[test]
    fn thallwitz_land_sink_by_hand() {
        let (forest, crop, grass, woody_bio, woody_soil, settl) = (-3.8809, 0.2627, -0.7801, -4.3494, -0.9357, 0.3213);
        // Saxony's own split of farmland (Bodennutzungshaupterhebung 2018: 78.8 % cropland incl.
        // permanent crops, 21.2 % grassland; factors/agri_split_states.csv), not the national one;
        // water that stays water has no flux.
        let water_remaining = 0.0;
        let by_hand = 4172.0 * 0.788 * crop     // farmland → cropland
            + 4172.0 * 0.212 * grass            // farmland → grassland
            + 417.0 * forest                    // forest
            + 18.0 * (woody_bio + woody_soil)   // woody: biomass and soil
            + (0.0 + 1.0) * grass               // heath, marsh
            + 57.0 * 0.91 * grass               // unvegetated land
            + (394.0 + 170.0) * settl           // settlement and traffic
            + 80.0 * water_remaining; // water
        let ind = indicators(built());
        let (v, year, grade) = ind[&("14729380".to_string(), "land_sink_t".to_string())].clone();
        assert!((v - by_hand).abs() < 0.01, "program {v}, by hand {by_hand}");
        // National per-hectare fluxes: national key figures, BISKO grade D.
        assert_eq!((year, grade.as_str()), (2021, "D"));
        assert!(v < 0.0, "Thallwitz's land use is a net sink");
    }

    #[test]
    fn pdfs_carry_the_figures_in_german_format() {
        let dir = built();
        let leipzig = pdftotext(&dir.join("bericht_2024_14713000_leipzig.pdf"));
        for needle in [
            "Klimabericht",
            "Leipzig",
            "1.440.015",
            "5,28",
            "Quellen und Datengüte",
            "31.12.2019",
        ] {
            assert!(leipzig.contains(needle), "Leipzig report lacks {needle}");
        }
        let thallwitz = pdftotext(&dir.join("bericht_2024_14729380_thallwitz.pdf"));
        for needle in ["Thallwitz", "417", "3.548", "Zensus", "dl-de/by-2-0"] {
            assert!(thallwitz.contains(needle), "Thallwitz report lacks {needle}");
        }
        let briefing = pdftotext(&dir.join("ratsinfo_2024_14729410_wurzen.pdf"));
        assert!(briefing.contains("Ratsinformation") && briefing.contains("16.238") && briefing.contains("Rang"));
        let handbook = pdftotext(&dir.join("handbuch_2024.pdf"));
        for needle in [
            "Handbuch",
            "Bennewitz",
            "Lossatal",
            "Thallwitz",
            "Wurzen",
            "Emissionsfaktoren",
            "478,0",
        ] {
            assert!(handbook.contains(needle), "handbook lacks {needle}");
        }
    }

    #[test]
    fn briefings_have_at_most_four_pages_and_pdfs_are_tagged() {
        let dir = built();
        for name in pdfs(dir) {
            let info = Command::new("pdfinfo")
                .arg(dir.join(&name))
                .output()
                .expect("pdfinfo (poppler-utils)");
            let text = String::from_utf8_lossy(&info.stdout);
            assert!(text.contains("Tagged:          yes"), "{name} is not tagged");
            let pages: usize = text
                .lines()
                .find(|l| l.starts_with("Pages:"))
                .unwrap()
                .split_whitespace()
                .last()
                .unwrap()
                .parse()
                .unwrap();
            if name.starts_with("ratsinfo_") {
                assert!(pages <= 4, "{name} has {pages} pages");
            }
        }
    }
}

mod safety {
    use super::*;

    /// Data cells with Typst markup come out literally, never executed.
    #[test]
    fn markup_in_data_cells_is_printed_literally() {
        let tmp = tempfile::tempdir().unwrap();
        let inputs = copy_fixture("small", tmp.path());
        let fluxes = inputs.join("factors/land_use_fluxes.csv");
        let text = fs::read_to_string(&fluxes).unwrap().replacen(
            "UBA 2023 NIR 2021 S. 611 (Tabelle 353); via LocalZero facts/2021.csv",
            "\"#read(\"\"/etc/passwd\"\")\"",
            1,
        );
        fs::write(&fluxes, text).unwrap();
        let ef = inputs.join("factors/emission_factors.csv");
        let mut text = fs::read_to_string(&ef).unwrap();
        text.push_str("*x* $y$ <z> @w,*,2019,1.0,test,test,\n");
        fs::write(&ef, text).unwrap();
        let cfg = inputs.join("partnership.toml");
        let text = fs::read_to_string(&cfg)
            .unwrap()
            .replace("name = \"Thallwitz\"", "name = \"Thallwitz #strong[x] $1$\"");
        fs::write(&cfg, text).unwrap();

        let out_dir = tmp.path().join("out");
        let out = build(&inputs, &out_dir, &[]);
        assert!(out.status.success(), "{}", stderr(&out));
        let handbook = pdftotext(&out_dir.join("handbuch_2024.pdf"));
        assert!(handbook.contains("#read(\"/etc/passwd\")"), "literal #read missing");
        assert!(handbook.contains("*x* $y$ <z> @w"), "literal markup missing");
        assert!(!handbook.contains("root:x:0:0"), "a file was read");
        let report = pdfs(&out_dir)
            .into_iter()
            .find(|n| n.contains("14729380") && n.starts_with("bericht"))
            .unwrap();
        assert!(pdftotext(&out_dir.join(report)).contains("Thallwitz #strong[x] $1$"));
    }

    #[test]
    fn config_typo_names_key_and_line_and_writes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let inputs = copy_fixture("small", tmp.path());
        let cfg = inputs.join("partnership.toml");
        let text = fs::read_to_string(&cfg)
            .unwrap()
            .replacen("\nreporting_year =", "\nreportng_year =", 1);
        fs::write(&cfg, text).unwrap();
        let out_dir = tmp.path().join("out");
        let out = build(&inputs, &out_dir, &[]);
        assert!(!out.status.success());
        let err = stderr(&out);
        assert!(
            err.contains("partnership.toml") && err.contains("reportng_year") && err.contains("line 4"),
            "{err}"
        );
        assert!(!out_dir.exists(), "no output folder on a config error");
    }

    #[test]
    fn bad_number_fails_with_file_line_column_and_keeps_earlier_output() {
        let tmp = tempfile::tempdir().unwrap();
        let inputs = copy_fixture("small", tmp.path());
        let out_dir = tmp.path().join("out");
        assert!(build(&inputs, &out_dir, &["--member", "14729380"]).status.success());
        let before = snapshot(&out_dir);
        assert_eq!(before.keys().filter(|k| k.ends_with(".pdf")).count(), 3);

        let area = inputs.join("statistics/national/area_2021.csv");
        let text = fs::read_to_string(&area)
            .unwrap()
            .replace("14729380,5309,", "14729380,53O9,");
        fs::write(&area, text).unwrap();
        let out = build(&inputs, &out_dir, &["--member", "14729380"]);
        assert!(!out.status.success());
        let err = stderr(&out);
        assert!(
            err.contains("statistics/national/area_2021.csv")
                && err.contains("`53O9`")
                && err.contains("column land_total"),
            "{err}"
        );
        assert!(err.contains("line "), "{err}");
        assert_eq!(snapshot(&out_dir), before, "earlier output must stay untouched");
    }

    #[test]
    fn unknown_member_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let out = build(&fixture("small"), tmp.path(), &["--member", "09162000"]);
        assert!(!out.status.success());
        assert!(stderr(&out).contains("not a member"));
    }

    #[test]
    fn two_runs_give_identical_pdfs() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        assert!(build(&fixture("small"), &a, &["--member", "14729410"]).status.success());
        assert!(build(&fixture("small"), &b, &["--member", "14729410"]).status.success());
        assert_eq!(snapshot(&a), snapshot(&b));
    }
}

mod corpus;

mod check {
    use super::*;

    #[test]
    fn lists_files_formats_members_and_years() {
        let out = bin()
            .args(["check", "--inputs"])
            .arg(fixture("small"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let s = String::from_utf8_lossy(&out.stdout);
        for needle in [
            "GENESIS-Tabelle (CSV)",
            "GENESIS flat (ffcsv)",
            "12411-01-01-5",
            "2008–2015",
            "Thallwitz",
            "population_census",
            "klimapartner-long",
        ] {
            assert!(s.contains(needle), "check output lacks {needle}:\n{s}");
        }
    }

    #[test]
    fn writes_no_documents() {
        let tmp = tempfile::tempdir().unwrap();
        let out = bin()
            .current_dir(tmp.path())
            .args(["check", "--inputs"])
            .arg(fixture("small"))
            .output()
            .unwrap();
        assert!(out.status.success());
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
    }
}

mod accounting {
    use super::*;

    fn built() -> &'static Path {
        super::pipeline_dir()
    }

    fn get(ind: &BTreeMap<(String, String), (f64, i32, String)>, ags: &str, id: &str) -> (f64, i32, String) {
        ind.get(&(ags.to_string(), id.to_string()))
            .cloned()
            .unwrap_or_else(|| panic!("{ags} {id} missing"))
    }

    #[test]
    fn every_member_has_a_balance_and_rural_ones_are_start_balances() {
        let ind = indicators(built());
        for ags in ["14713000", "14729030", "14729245", "14729380", "14729410"] {
            let (t, _, _) = get(&ind, ags, "ghg_t");
            assert!(t > 0.0, "{ags} has no balance");
        }
        // Leipzig: own balance, A; its transport is modelled by the city (B, weight 0.5).
        let (q, _, grade) = get(&ind, "14713000", "balance_quality");
        assert!((q - 0.8727).abs() < 0.001 && grade == "A", "Leipzig: {q} {grade}");
        // Start balances rest on national key figures: BISKO grade D (0.0).
        for ags in ["14729030", "14729245", "14729380", "14729410"] {
            let (q, year, grade) = get(&ind, ags, "balance_quality");
            assert!(q == 0.0 && year == 2021 && grade == "D", "{ags}: {q} {year} {grade}");
            let (_, _, g) = get(&ind, ags, "ghg_t");
            assert_eq!(g, "D", "{ags}: start-balance figures are graded D");
        }
    }

    /// No BISKO total contains stack emissions: the total is the sum of the five energy sectors,
    /// and Wurzen's verified ETS emissions (DEHSt, 47,919 t) appear only as a memo item.
    #[test]
    fn ets_and_process_emissions_stay_outside_the_bisko_total() {
        let ind = indicators(built());
        for ags in ["14729030", "14729245", "14729380", "14729410"] {
            let total = get(&ind, ags, "ghg_t").0;
            let sectors: f64 = ["households", "commerce", "municipal", "industry", "transport"]
                .iter()
                .map(|s| get(&ind, ags, &format!("ghg_t_{s}")).0)
                .sum();
            assert!((total - sectors).abs() < 1.0, "{ags}: total {total}, sectors {sectors}");
        }
        let report = pdftotext(&built().join("bericht_2024_14729410_wurzen.pdf"));
        let memo = report
            .split("Nachrichtlich (nicht in der BISKO-Summe)")
            .nth(2)
            .expect("memo section");
        assert!(memo.contains("47.919"), "ETS cross-check shown as memo");
        assert!(
            memo.contains("Prozessemissionen Glas und Keramik"),
            "process emissions as memo"
        );
    }

    /// Local renewable generation is a memo item outside the BISKO total: Wurzen's capacities on
    /// 31.12.2024 (MaStR per AGS: PV 12,782.034 kW, wind 1 kW, biomass 1,973 kW) × the national
    /// full-load hours 2021 (PV 823 h, wind 1,668 h, biomass 5,096 h), graded D, with the share of
    /// the electricity consumption of the 2021 balance.
    #[test]
    fn local_renewable_generation_is_a_memo_by_hand() {
        let ind = indicators(built());
        let by_hand = (12_782.034 * 823.0 + 1.0 * 1668.0 + 1973.0 * 5096.0) / 1000.0;
        let (mwh, year, grade) = get(&ind, "14729410", "re_generation_mwh");
        assert!((mwh - by_hand).abs() < 1.0, "generation {mwh} vs {by_hand}");
        assert_eq!((year, grade.as_str()), (2024, "D"));
        let (share, _, _) = get(&ind, "14729410", "re_generation_share_pct");
        let total = get(&ind, "14729410", "ghg_t").0;
        assert!(share > 0.0 && share < 100.0, "share {share}");
        let report = pdftext_flow(&built().join("bericht_2024_14729410_wurzen.pdf"), 99);
        let sentence = report
            .split("Nachrichtlich, nicht in der BISKO-Summe: lokale erneuerbare Stromerzeugung")
            .nth(1)
            .expect("generation memo in the report");
        assert_eq!(by_hand.round(), 20_576.0);
        assert!(sentence.contains("rund 20.576 MWh je Jahr"), "{sentence}");
        assert!(sentence.contains("Volllaststunden 2021") && sentence.contains("des Stromverbrauchs 2021"));
        // Not in the balance: the total is still the sum of the sectors (see above), unchanged by it.
        assert!(total > 0.0);
    }

    /// One estimated cell per sector, computed by hand from the rows of start_balance.csv and the
    /// members' statistics, as printed in the reports' table of all cells (MWh).
    #[test]
    fn start_balance_cells_by_hand() {
        // Wurzen households, natural gas: flats per age class × mean flat area × kWh/m² of the
        // class (household_heat_by_age.csv), without the flats on district heating, × national
        // share of gas (0.488159 MWh/MWh).
        let flats = [3388.0, 1662.0, 2132.0, 1464.0, 189.0, 484.0, 688.0, 92.0, 65.0, 42.0];
        let kwh = [169.0, 187.0, 208.0, 146.0, 146.0, 146.0, 102.0, 86.5, 71.0, 57.0];
        let mean_m2 = 710.0 * 1000.0 / 10206.0;
        let heat: f64 = flats.iter().zip(kwh).map(|(f, q)| f * mean_m2 * q / 1000.0).sum();
        let wurzen_gas_households = heat * (1.0 - 2085.0 / 10206.0) * 0.488159;
        // Wurzen industry, natural gas: share of the national ETS emissions of glass and ceramics
        // (47,919 t of 5,498,299 t) × the ETS-covered part (0.664) of the branch's national gas
        // (18,173,600 MWh → 12,059,100 MWh) + the remaining industry's gas, including the branches'
        // parts below the ETS threshold, per ha of industrial land (211.364 MWh/ha × 124 ha).
        let wurzen_gas_industry = 47_919.0 / 5_498_299.0 * 1.20591e7 + 211.364 * 124.0;
        // Thallwitz transport, diesel: rural settlement type (RegioStaR7 77), 3,548 inhabitants.
        let thallwitz_diesel = 3548.0 * 4.28729;
        // Bennewitz commerce, electricity: 2,268 employees at place of work (GHD less the municipal
        // share of 11.3 %) and 2,547 ha farmland.
        let bennewitz_elec = 2268.0 * 3.31937 + 2547.0 * 0.267641;
        for (file, sector, carrier, by_hand) in [
            (
                "bericht_2024_14729410_wurzen.pdf",
                "Haushalte",
                "Erdgas",
                wurzen_gas_households,
            ),
            (
                "bericht_2024_14729410_wurzen.pdf",
                "Industrie",
                "Erdgas",
                wurzen_gas_industry,
            ),
            (
                "bericht_2024_14729380_thallwitz.pdf",
                "Verkehr",
                "Diesel",
                thallwitz_diesel,
            ),
            (
                "bericht_2024_14729030_bennewitz.pdf",
                "GHD",
                "Strom (Bundesmix)",
                bennewitz_elec,
            ),
        ] {
            let text = pdftotext(&built().join(file));
            let cells = text.split("Alle Zellen der Bilanz").last().unwrap();
            let line = cells
                .lines()
                .find(|l| {
                    let w: Vec<&str> = l.split_whitespace().collect();
                    w.first() == Some(&sector) && l.contains(&format!(" {carrier} "))
                })
                .unwrap_or_else(|| panic!("{file}: no cell {sector} {carrier}"));
            let mwh = line[line.find(carrier).unwrap() + carrier.len()..]
                .split_whitespace()
                .next()
                .unwrap()
                .replace('.', "")
                .parse::<f64>()
                .unwrap();
            assert!(
                (mwh - by_hand.round()).abs() <= 1.0,
                "{file} {sector} {carrier}: printed {mwh} MWh, by hand {by_hand:.1}"
            );
        }
    }

    /// A start balance far above the national value per inhabitant says why: Böhlen (Landkreis
    /// Leipzig) hosts a basic-chemicals site, so its t per inhabitant is a multiple of the national
    /// 8.8 t, and the briefing names the branch.
    #[test]
    fn plausibility_note_names_the_driver_of_an_outlier() {
        let tmp = tempfile::tempdir().unwrap();
        let cfg = tmp.path().join("partnership.toml");
        fs::write(
            &cfg,
            "name = \"Test\"\nreporting_year = 2024\npublisher = \"Test\"\n\n[[member]]\nags = \"14729040\"\nname = \"Böhlen\"\nrole = \"rural\"\n\n[[member]]\nags = \"14729410\"\nname = \"Wurzen\"\nrole = \"rural\"\n",
        )
        .unwrap();
        let out_dir = tmp.path().join("out");
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let out = Command::new(env!("CARGO_BIN_EXE_klimapartner"))
            .args(["build", "--documents", "briefing", "--inputs"])
            .arg(root.join("inputs"))
            .arg("--config")
            .arg(&cfg)
            .arg("--output")
            .arg(&out_dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let text = pdftotext(&out_dir.join("ratsinfo_2024_14729040_boehlen.pdf")).replace('\n', " ");
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains("Auffällig:"), "{text}");
        assert!(text.contains("Bundeswerts von 8,8 t"), "{text}");
        assert!(
            text.contains("energieintensiver Industrie (Grundstoffchemie)"),
            "{text}"
        );
        let wurzen = pdftotext(&out_dir.join("ratsinfo_2024_14729410_wurzen.pdf"));
        assert!(
            !wurzen.contains("Auffällig"),
            "Wurzen is within a factor of two of the national value"
        );
    }

    /// Ranks in the briefing count from the favourable end and say so: Leipzig has the largest
    /// settlement share (last of five) and the fastest PV growth (first of five).
    #[test]
    fn briefing_ranks_count_from_the_favourable_end() {
        let text = pdftotext(&built().join("ratsinfo_2024_14713000_leipzig.pdf"));
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(!text.contains("höchster Wert"), "{text}");
        for (figure, rank) in [
            (
                "Anteil Siedlungs- und Verkehrsfläche",
                "Rang 5 von 5 (1 = günstigster Wert)",
            ),
            ("Zuwachs Photovoltaik", "Rang 1 von 5 (1 = günstigster Wert)"),
            (
                "Netto-Treibhausgasfluss je Hektar Gemeindefläche",
                "Rang 5 von 5 (1 = günstigster Wert)",
            ),
        ] {
            let after = text
                .split(&format!("• {figure}:"))
                .nth(1)
                .unwrap_or_else(|| panic!("{figure} missing"));
            let sentence = after.split('•').next().unwrap();
            assert!(sentence.contains(rank), "{figure}: {sentence}");
        }
    }

    /// Page 1 of every briefing opens with one sentence: t per inhabitant, what it is (own balance or
    /// estimate), against the national mean, and the largest sector.
    #[test]
    fn briefing_opens_with_a_key_message() {
        for (file, expected) in [
            (
                "ratsinfo_2024_14713000_leipzig.pdf",
                "Leipzig verursacht rund 5,3 t CO₂e je Einwohner (eigene Bilanz 2019) – weniger als das Bundesmittel",
            ),
            (
                "ratsinfo_2024_14729410_wurzen.pdf",
                "Wurzen verursacht rund 9,7 t CO₂e je Einwohner (Startbilanz 2021, eine Schätzung, ±",
            ),
        ] {
            let text = pdftotext(&built().join(file));
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(text.contains(expected), "{file}: {text}");
            let page1 = text.split("Bewertung").next().unwrap();
            assert!(
                page1.contains("den größten Anteil hat der Sektor")
                    || page1.contains("Den größten Anteil hat der Sektor")
            );
        }
    }

    /// Issue 16: page 1 of every briefing carries the member's targets (its own, else the national
    /// path, saying so), the verdict with its method and the budget; a base year of another method
    /// (Leipzig's 1990 figure, a published CO₂ series) is a method break and gets no verdict, in
    /// report, briefing and handbook, and no change is computed across it.
    #[test]
    fn targets_on_page_one_and_no_verdict_across_a_method_break() {
        let flat = |file: &str| pdftext_flow(&built().join(file), 999);
        let page1 = |file: &str| pdftext_flow(&built().join(file), 1);
        let leipzig = page1("ratsinfo_2024_14713000_leipzig.pdf");
        for needle in [
            "Ziele und Fortschritt",
            "eigenes Ziel 2030 1,90 t CO₂e/Einw. nicht auf Kurs",
            "Bundesziel (national) 2030",
            "Methodenbruch: Basisjahr 1990 nach anderer Methode (veröffentlichte Reihe statt BISKO-Bilanz), kein Urteil",
            "linearen Trend der Werte je Einwohner 2011–2019 (4 Werte)",
            "Restbudget ab 2020: 29,0 Mio. t CO₂e",
            "aufgebraucht im Jahr 2029",
        ] {
            assert!(leipzig.contains(needle), "Leipzig briefing page 1 lacks {needle}: {leipzig}");
        }
        assert!(!leipzig.contains("Methodenbruch: Basisjahr 1990 nach anderer Methode (veröffentlichte Reihe statt BISKO-Bilanz), kein Urteil auf Kurs"));
        for file in [
            "ratsinfo_2024_14729030_bennewitz.pdf",
            "ratsinfo_2024_14729245_lossatal.pdf",
            "ratsinfo_2024_14729380_thallwitz.pdf",
            "ratsinfo_2024_14729410_wurzen.pdf",
        ] {
            let rural = page1(file);
            assert!(
                rural.contains("Bundesziel (national) 2030 −65 % gegenüber 1990 kein Urteil: kein Emissionswert für das Basisjahr 1990"),
                "{file}: {rural}"
            );
            assert!(!rural.contains("eigenes Ziel"), "{file}");
        }
        for file in ["bericht_2024_14713000_leipzig.pdf", "handbuch_2024.pdf"] {
            let text = flat(file).replace("BISKO- Bilanz", "BISKO-Bilanz");
            // (the narrow table cell's lines may interleave with the next cell's in the text)
            assert!(
                text.contains("Methodenbruch:")
                    && text.contains(
                        "Basisjahr 1990 nach anderer Methode (veröffentlichte Reihe statt BISKO-Bilanz), kein Urteil"
                    ),
                "{file} lacks the method break"
            );
            // The press figure of 2018 and the CO₂ series of 1990 are not compared with the balance.
            assert!(!text.contains("−8,6 %") && !text.contains("−53,4 %"), "{file}");
            assert!(text.contains("Veränderung zum Basisjahr 1990: Methodenbruch"), "{file}");
        }
    }

    /// Issue 16: the overall score says how many fields of action it covers, in report and briefing.
    #[test]
    fn overall_score_names_the_fields_it_covers() {
        for file in ["ratsinfo_2024_14713000_leipzig.pdf", "bericht_2024_14729410_wurzen.pdf"] {
            let text = pdftext_flow(&built().join(file), 999);
            assert!(
                text.contains("Gesamtwert aus 3 von 6 Handlungsfeldern"),
                "{file}: {text}"
            );
        }
    }

    /// Issue 16: briefing and report place the member among similar municipalities nationally
    /// (RegioStaR7 × size class, from the shipped reference table): its value, the group's median and
    /// middle half and the quarter it falls in; ties at the median say so; no start balances.
    #[test]
    fn similar_municipalities_nationally() {
        let leipzig = pdftext_flow(&built().join("ratsinfo_2024_14713000_leipzig.pdf"), 999);
        let section = leipzig
            .split("Vergleich mit ähnlichen Gemeinden bundesweit")
            .nth(1)
            .expect("no comparison with similar municipalities");
        let section = section.split("Abbildung").next().unwrap();
        for needle in [
            // Leipzig's class alone has fewer than 30 cities of its size: the text names every
            // class merged into its group, never one settlement type for all 80.
            "derselben Größe (100.000 Einwohner und mehr)",
            "zusammengefassten Raumtypen Metropole (71); Regiopole und Großstadt (72); Mittelstadt, städtischer Raum (73)",
            "80 Gemeinden (RegioStaR7-Klassen 71–73, zusammengefasst, weil eine Klasse allein weniger als 30 Gemeinden",
        ] {
            assert!(section.contains(needle), "lacks {needle}: {section}");
        }
        // Value, median, middle half and quarter in one row; the member's value with its own
        // reference date under it (land take: its period).
        let leipzig_rows = pdftotext(&built().join("ratsinfo_2024_14713000_leipzig.pdf"));
        table_row(
            &leipzig_rows,
            "Photovoltaik je Einwohner (kW/Einw.) 0,308 0,248 0,163 – 0,330 3. Viertel",
            "31.12.2024",
        );
        table_row(
            &leipzig_rows,
            "Flächenneuinanspruchnahme je 1,19 0,31 −0,04 – 0,88 4. Viertel (hoch)",
            "31.12.2018 bis",
        );
        assert!(!section.contains("Raumtyps (Metropole)"), "{section}");
        assert!(!section.contains("CO₂e"), "start balances are not compared: {section}");
        let thallwitz = pdftext_flow(&built().join("ratsinfo_2024_14729380_thallwitz.pdf"), 999);
        assert!(
            thallwitz.contains("Gemeinden desselben Raumtyps (kleinstädtischer, dörflicher Raum im ländlichen Raum)")
                && thallwitz.contains("(RegioStaR7-Klasse 77)"),
            "an unmerged group names its one type: {thallwitz}"
        );
        table_row(
            &pdftotext(&built().join("ratsinfo_2024_14729410_wurzen.pdf")),
            "Windenergie je Einwohner (kW/Einw.) 0,000 0,000 0,000 – 0,000 am Median",
            "31.12.2024",
        );
        let report = pdftext_flow(&built().join("bericht_2024_14713000_leipzig.pdf"), 999);
        assert!(report.contains("Vergleich mit ähnlichen Gemeinden bundesweit"));
        // The handbook places every member.
        let handbook = pdftext_flow(&built().join("handbuch_2024.pdf"), 999);
        let section = handbook
            .split("Vergleich mit ähnlichen Gemeinden bundesweit")
            .nth(2)
            .expect("no similar-municipalities section in the handbook body");
        for member in ["Leipzig", "Bennewitz", "Lossatal", "Thallwitz", "Wurzen"] {
            assert!(section.contains(member), "{member} missing: {section}");
        }
        table_row(
            &pdftotext(&built().join("handbuch_2024.pdf")),
            "Photovoltaik je Einwohner (kW/Einw.) 0,308 0,248 0,163 – 0,330 3. Viertel",
            "31.12.2024",
        );
    }

    /// A table row in layout text (whitespace collapsed) and the line under it holding `below`.
    fn table_row(layout: &str, row: &str, below: &str) {
        let lines: Vec<String> = layout
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        let i = lines
            .iter()
            .position(|l| l.contains(row))
            .unwrap_or_else(|| panic!("no row {row}: {layout}"));
        assert!(
            lines.get(i + 1).is_some_and(|l| l.contains(below)),
            "{row} without {below} under it: {:?}",
            lines.get(i + 1)
        );
    }

    /// The measured error of the start balance for one scope, as the fixture's
    /// `factors/start_balance_error.csv` has it (median, P80 rounded as printed, n): the tests read
    /// it, so they hold when the estimator and its measured error change.
    fn start_error(inputs: &Path, scope: &str) -> (String, String, String) {
        let text = fs::read_to_string(inputs.join("factors/start_balance_error.csv")).unwrap();
        let row: Vec<&str> = text
            .lines()
            .find(|l| l.split(',').next() == Some(scope))
            .unwrap_or_else(|| panic!("no {scope} row"))
            .split(',')
            .collect();
        let pct = |s: &str| format!("{:.0}", s.parse::<f64>().unwrap());
        (pct(row[2]), pct(row[3]), row[1].to_string())
    }

    /// Whether `tail` follows "≈ <number> " somewhere in `text` (the number is not pinned: it
    /// changes with the estimator).
    fn approx_before(text: &str, tail: &str) -> bool {
        text.match_indices(tail).any(|(i, _)| {
            let head = text[..i].trim_end();
            let number = head.rsplit(' ').next().unwrap_or("");
            !number.is_empty()
                && number.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',')
                && head[..head.len() - number.len()].ends_with("≈ ")
        })
    }

    /// The text after `label` up to the next `len` characters.
    fn after<'a>(text: &'a str, label: &str, len: usize) -> &'a str {
        let i = text.find(label).unwrap_or_else(|| panic!("no {label}: {text}")) + label.len();
        let end = text[i..].char_indices().nth(len).map_or(text.len(), |(j, _)| i + j);
        &text[i..end]
    }

    /// Issue 16, item 7: an estimated figure carries its typical error next to it ("≈ 27.219
    /// (±8 %)") in briefing, report and handbook; every table or chart with ranges says once what the
    /// range means, with the number of balances and the 80 % bound from the measured error file; a
    /// member's own balance carries no range.
    /// A recommendation's potential keyed to an estimated figure (Wurzen's industry, a start
    /// balance) carries that figure's range, and the recommendations have their own legend.
    #[test]
    fn recommendation_potentials_keyed_to_estimates_carry_their_range() {
        let (median, p80, n) = start_error(&fixture("small"), "industry");
        let report = pdftext_flow(&built().join("bericht_2024_14729410_wurzen.pdf"), 999);
        // The list: from the chapter's heading (the last mention, after the contents) to the next section.
        let start = report.rfind("Empfohlene Maßnahmen").unwrap();
        let end = report.rfind("Stand beschlossener Maßnahmen").unwrap();
        let recs = &report[start..end.max(start)];
        assert!(
            recs.contains(&format!("(±{median} %) t CO₂e je Jahr auf ≈ ")) && recs.contains("t CO₂e Industrie"),
            "{recs}"
        );
        assert!(!recs.contains("rund ≈"), "{recs}");
        assert!(
            recs.contains(&format!(
                "Industrie ±{median} %, 80 % der Fälle innerhalb ±{p80} % ({n} Bilanzen)"
            )),
            "legend: {recs}"
        );
    }

    #[test]
    fn estimates_carry_their_range_and_its_meaning() {
        let (median, p80, n) = start_error(&fixture("small"), "total");
        let pm = format!("(±{median} %)");
        let legend = format!(
            "typische Abweichung ±{median} %, gemessen an {n} veröffentlichten Stadtbilanzen; 80 % der Fälle innerhalb ±{p80} %."
        );
        let briefing = pdftext_flow(&built().join("ratsinfo_2024_14729380_thallwitz.pdf"), 1);
        assert!(
            briefing.contains(&format!("eine Schätzung, ±{median} %)")),
            "key message: {briefing}"
        );
        for label in ["THG-Emissionen gesamt (BISKO) ", "THG-Emissionen je Einwohner (BISKO) "] {
            let cell = after(&briefing, label, 30);
            assert!(cell.starts_with("≈ ") && cell.contains(&pm), "{label}: {cell}");
        }
        assert!(briefing.contains(&format!("≈ … (±…): {legend}")), "legend: {briefing}");
        // The land-use flux with the range over the forest bounds.
        assert!(after(&briefing, "Netto-Treibhausgasfluss der Landnutzung", 200).contains("je nach Waldwert"));

        let report = pdftext_flow(&built().join("bericht_2024_14729380_thallwitz.pdf"), 999);
        assert!(approx_before(&report, &format!("{pm} t CO₂e 31.12.")), "{report}");
        assert!(approx_before(&report, &format!("{pm} t CO₂e/Einw.")), "{report}");
        assert!(report.contains(&format!("≈ … (±…): {legend}")));
        // The sector table: a range column, the total's range, one clause per sector's error.
        let (hh_median, hh_p80, hh_n) = start_error(&fixture("small"), "households");
        let table = after(&report, "Typ. Abweichung", 900);
        assert!(table.contains(&format!("±{hh_median} %")), "{table}");
        assert!(
            report.contains(&format!(
                "Private Haushalte ±{hh_median} %, 80 % der Fälle innerhalb ±{hh_p80} % ({hh_n} Bilanzen)"
            )),
            "{report}"
        );
        assert!(
            report.contains("Fehlerbalken: typische Abweichung einer Startbilanz"),
            "chart legend"
        );
        assert!(report.contains(&format!("je Einwohner: ≈ 7,67 {pm}")) || report.contains(&format!("{pm} t CO₂e")));

        // Leipzig's own balance: no range, no legend.
        let leipzig = pdftext_flow(&built().join("ratsinfo_2024_14713000_leipzig.pdf"), 1);
        let cell = after(&leipzig, "THG-Emissionen gesamt (BISKO) ", 30);
        assert!(!cell.contains('≈') && !cell.contains('±'), "{cell}");
        assert!(!leipzig.contains("≈ … (±…)"), "{leipzig}");

        // The handbook compares members with the range on each estimate and the legend under it.
        let layout = pdftotext(&built().join("handbuch_2024.pdf"));
        let mut lines = layout.lines().skip_while(|l| !l.starts_with("THG-Emissionen je "));
        let (first, second) = (lines.next().unwrap(), lines.next().unwrap());
        assert_eq!(first.matches("≈ ").count(), 4, "the four start balances: {first}");
        assert_eq!(second.matches(&pm).count(), 4, "{second}");
        let handbook = pdftext_flow(&built().join("handbuch_2024.pdf"), 999);
        assert!(handbook.contains(&format!("≈ … (±…): {legend}")));
    }

    /// The ranges come from the measured error file, never from the code: another measured
    /// error prints other ranges.
    #[test]
    fn ranges_follow_the_measured_error_file() {
        let tmp = tempfile::tempdir().unwrap();
        let inputs = copy_fixture("small", tmp.path());
        let file = inputs.join("factors/start_balance_error.csv");
        let text = fs::read_to_string(&file).unwrap();
        let changed: String = text
            .lines()
            .map(|l| {
                if l.starts_with("total,") {
                    "total,7,13.4,41.6,published_balances_cities.csv".to_string()
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        fs::write(&file, changed + "\n").unwrap();
        let out_dir = tmp.path().join("out");
        let out = build(&inputs, &out_dir, &["--documents", "briefing", "--member", "14729380"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let briefing = pdftext_flow(&out_dir.join("ratsinfo_2024_14729380_thallwitz.pdf"), 1);
        assert!(
            after(&briefing, "THG-Emissionen gesamt (BISKO) ", 30).contains("(±13 %)"),
            "{briefing}"
        );
        assert!(
            briefing.contains("typische Abweichung ±13 %, gemessen an 7 veröffentlichten Stadtbilanzen; 80 % der Fälle innerhalb ±42 %."),
            "{briefing}"
        );
    }

    /// Issue 16, item 6: no single "Datenstand" for everything; headers, footers and covers state
    /// the data years; each figure has its own reference date (key-figure rows, chart captions, the
    /// handbook's comparison where members' dates differ).
    #[test]
    fn every_figure_has_its_own_date() {
        for name in pdfs(built()) {
            let text = pdftext_flow(&built().join(&name), 999);
            for stamp in ["Datenstand", "Daten bis"] {
                assert!(!text.contains(stamp), "{name} has a single data stamp “{stamp}”");
            }
            assert!(
                text.contains("; Stichtag bei jeder Zahl"),
                "{name}: footer without the data years"
            );
        }
        let briefing = pdftext_flow(&built().join("ratsinfo_2024_14729380_thallwitz.pdf"), 999);
        assert!(
            briefing.contains("Bilanz 2021 (Startbilanz, Schätzung) · Daten 2021–2024; Stichtag bei jeder Zahl"),
            "{briefing}"
        );
        // Every key-figure row has a reference date: as many dates as rows in the table.
        let table = briefing
            .split("Kennzahlen im Überblick")
            .nth(1)
            .unwrap()
            .split("≈ … (±…)")
            .next()
            .unwrap();
        let rows = [
            "Einwohner",
            "Gemeindefläche",
            "Anteil Waldfläche",
            "Installierte Leistung Photovoltaik",
        ];
        for label in rows {
            let cell = after(table, label, 60);
            assert!(cell.contains("31.12.20"), "{label} without a date: {cell}");
        }
        // Chart captions and the comparison text carry their dates.
        assert!(
            briefing.contains("Photovoltaik-Leistung je Einwohner (31.12.2021 / 31.12.2024)"),
            "{briefing}"
        );
        assert!(briefing.contains("Stand 2019–2021"), "map caption: {briefing}");
        assert!(after(&briefing, "Photovoltaik je Einwohner: 0,67 kW/Einw.", 14).contains("(31.12.2024)"));
        let report = pdftext_flow(&built().join("bericht_2024_14729380_thallwitz.pdf"), 1);
        assert!(
            report.contains("Bilanz 2021 (Startbilanz, Schätzung) · Daten 2021–2024"),
            "cover: {report}"
        );
        // The handbook's comparison: Leipzig's balance of 2019 beside the start balances of 2021.
        let handbook = pdftext_flow(&built().join("handbuch_2024.pdf"), 999);
        let row = after(&handbook, "THG-Emissionen gesamt (BISKO) t CO₂e", 200);
        assert!(row.contains("31.12.2019") && row.contains("31.12.2021"), "{row}");
        assert!(handbook.contains("Bilanzen 2019–2021 · Daten"), "{handbook}");
    }

    /// `klimapartner reference` writes the table the build reads, with a header saying how it was
    /// made (here on the five members: Leipzig alone in its group of one).
    #[test]
    fn reference_command_writes_the_table() {
        let tmp = tempfile::tempdir().unwrap();
        let written = tmp.path().join("similar_reference.csv");
        let small = fixture("small");
        let out = bin()
            .args(["reference", "--inputs"])
            .arg(&small)
            .arg("--config")
            .arg(small.join("partnership.toml"))
            .arg("--write")
            .arg(&written)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let text = std::fs::read_to_string(&written).unwrap();
        assert!(text.starts_with("# Similar municipalities nationally"), "{text}");
        assert!(
            text.contains("\nrt7,size_class,group,indicator,unit,n,p25,median,p75\n"),
            "{text}"
        );
        assert!(
            text.contains("\n71,ge100k,71,pv_kw_per_inhabitant,kW/EW,1,0.3077,0.3077,0.3077\n"),
            "{text}"
        );
        assert!(!text.contains("ghg"), "no start balances in the reference");
    }

    /// `klimapartner validate` on the published city balances: the figures the documents quote
    /// (inputs/factors/start_balance_error.csv) are what the current method measures.
    #[test]
    fn validation_on_published_balances_matches_the_quoted_error() {
        let tmp = tempfile::tempdir().unwrap();
        let written = tmp.path().join("start_balance_error.csv");
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let out = Command::new(env!("CARGO_BIN_EXE_klimapartner"))
            .arg("validate")
            .arg("--inputs")
            .arg(root.join("inputs"))
            .arg("--balances")
            .arg(root.join("tests/fixtures/validation/published_balances_cities.csv"))
            .arg("--write")
            .arg(&written)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            text.contains("skipped: Leipzig (14713000): has its own balance"),
            "{text}"
        );
        // Pinned: change them only together with the method, and rerun
        // `klimapartner validate --write inputs/factors/start_balance_error.csv`.
        for line in [
            "total: n = 21, median |error| 7.0 %, 80th percentile 27.7 %",
            "households: n = 10, median |error| 13.4 %, 80th percentile 23.4 %",
            "municipal: n = 6, median |error| 17.3 %, 80th percentile 32.2 %",
            "transport: n = 15, median |error| 16.2 %, 80th percentile 29.0 %",
        ] {
            assert!(text.contains(line), "missing `{line}` in\n{text}");
        }
        assert_eq!(
            fs::read_to_string(&written).unwrap(),
            fs::read_to_string(root.join("inputs/factors/start_balance_error.csv")).unwrap(),
            "inputs/factors/start_balance_error.csv is not what the method measures: rerun validate --write"
        );
    }

    /// The start balance, run on Leipzig as if it had no data, against its own 2019 balance.
    /// These deviations are printed in the handbook's method chapter.
    #[test]
    fn start_balance_validation_on_leipzig_is_pinned() {
        let ind = indicators(built());
        for (sector, expected) in [("buildings", 39.08), ("transport", 57.77), ("industry", -65.91)] {
            let (v, _, _) = get(&ind, "14713000", &format!("start_balance_deviation_pct_{sector}"));
            assert!((v - expected).abs() < 0.05, "{sector}: {v} % (pinned {expected} %)");
        }
    }

    /// A local file for one sector and carrier replaces exactly that estimate and raises the grade.
    #[test]
    fn local_cell_replaces_its_estimate_and_raises_quality() {
        let tmp = tempfile::tempdir().unwrap();
        let inputs = copy_fixture("small", tmp.path());
        fs::write(
            inputs.join("statistics/thallwitz_strom_2021.csv"),
            "ags,variable,sector,carrier,date,value,unit,note\n14729380,final_energy,households,electricity,2021-12-31,5000,MWh,test\n",
        )
        .unwrap();
        let mut reg = fs::read_to_string(inputs.join("sources.toml")).unwrap();
        reg.push_str("\n[[source]]\npath = \"statistics/thallwitz_strom_2021.csv\"\npublisher = \"Netzbetreiber\"\ntitle = \"Stromabsatz Haushalte\"\nlicence = \"-\"\nattribution = \"-\"\ngrade = \"A\"\n");
        fs::write(inputs.join("sources.toml"), reg).unwrap();
        let out = tmp.path().join("out");
        let o = build(&inputs, &out, &["--member", "14729380"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let before = indicators(built());
        let after = indicators(&out);
        let q0 = get(&before, "14729380", "balance_quality").0;
        let q1 = get(&after, "14729380", "balance_quality").0;
        assert!(q1 > q0, "quality {q0} -> {q1}");
        // Estimate (start_balance.csv): 1.30531 MWh per inhabitant x 3,548 inhabitants, plus
        // direct electric heating 0.0382813 MWh per MWh of the heat demand of flats without
        // district heat (flats per age class x mean area x kWh/m², see start_balance_cells_by_hand);
        // federal electricity factor of 2021: 477 g/kWh (UBA, with upstream chains).
        let flats = [486.0, 336.0, 389.0, 136.0, 84.0, 97.0, 194.0, 28.0, 23.0, 20.0];
        let kwh = [169.0, 187.0, 208.0, 146.0, 146.0, 146.0, 102.0, 86.5, 71.0, 57.0];
        let mean_m2 = 170.7 * 1000.0 / 1793.0;
        let heat: f64 = flats.iter().zip(kwh).map(|(f, q)| f * mean_m2 * q / 1000.0).sum();
        let estimate = 1.30531 * 3548.0 + 0.0382813 * heat * (1.0 - 73.0 / 1793.0);
        let expected = (5000.0 - estimate) * 477.0 / 1000.0;
        let d = get(&after, "14729380", "ghg_t_households").0 - get(&before, "14729380", "ghg_t_households").0;
        assert!(
            (d - expected).abs() < 0.5,
            "households changed by {d}, expected {expected}"
        );
        for s in ["ghg_t_transport", "ghg_t_industry", "ghg_t_commerce"] {
            assert_eq!(
                get(&after, "14729380", s).0,
                get(&before, "14729380", s).0,
                "{s} must not change"
            );
        }
        let report = pdfs(&out).into_iter().find(|n| n.starts_with("bericht")).unwrap();
        assert!(pdftotext(&out.join(report)).contains("lokal"));
    }

    #[test]
    fn compensation_headline_is_honest_and_offer_is_shown() {
        let dir = built();
        let handbook = pdftotext(&dir.join("handbuch_2024.pdf"));
        for needle in [
            "Ausgleich",
            "Brutto-Emissionen",
            "Das Angebot je Hektar",
            "Humusaufbau",
            "Break-even",
            "Zielpfad",
            "auf Kurs",
        ] {
            assert!(handbook.contains(needle), "handbook lacks {needle}");
        }
        // Measures on rural land offset only a few percent of Leipzig's emissions: the text says how much.
        let flat = handbook.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("der Emissionen von Leipzig"),
            "no sentence on Leipzig's share"
        );
        let leipzig = pdftotext(&dir.join("bericht_2024_14713000_leipzig.pdf"));
        assert!(leipzig.contains("Entwicklung und Ziele") && leipzig.contains("1990"));
    }
}

mod assessment {
    use super::*;

    pub(super) fn csv_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
        let mut r = csv::Reader::from_path(path).unwrap();
        let h = r.headers().unwrap().clone();
        r.records()
            .map(|rec| {
                h.iter()
                    .zip(rec.unwrap().iter())
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect()
            })
            .collect()
    }

    fn rating(rows: &[BTreeMap<String, String>], ags: &str, ind: &str) -> String {
        rows.iter()
            .find(|r| r["ags"] == ags && r["indicator"] == ind)
            .map(|r| r["level"].clone())
            .unwrap_or_else(|| panic!("{ags} {ind}"))
    }

    /// One indicator per field that has public data, rated for Thallwitz and Leipzig.
    #[test]
    fn ratings_are_pinned() {
        let rows = csv_rows(&super::pipeline_dir().join("ratings.csv"));
        assert_eq!(rating(&rows, "14713000", "ghg_per_inhabitant"), "3"); // 5.28 t
        assert_eq!(rating(&rows, "14729380", "ghg_per_inhabitant"), "2"); // start balance 7.3 t
        let land = rows
            .iter()
            .find(|r| r["ags"] == "14729380" && r["field"] == "land_soil" && !r["level"].is_empty())
            .unwrap();
        assert!(!land["level"].is_empty());
        let mob = rows
            .iter()
            .find(|r| r["ags"] == "14729380" && r["field"] == "mobility" && !r["level"].is_empty())
            .unwrap();
        assert!(!mob["level"].is_empty());
        // Local indicators without data are "no data", never a rating of zero.
        let food = rows
            .iter()
            .find(|r| r["ags"] == "14729380" && r["field"] == "regional_value")
            .unwrap();
        assert_eq!(food["level"], "");
        assert_eq!(food["value"], "");
    }

    #[test]
    fn top_recommendations_and_their_reasons() {
        let dir = super::pipeline_dir();
        let rows = csv_rows(&dir.join("recommendations.csv"));
        let top = |ags: &str| rows.iter().find(|r| r["ags"] == ags && r["rank"] == "1").unwrap()["measure"].clone();
        // Own-balance effects lead (issue 13): grid effects of wind and PV no longer rank first.
        assert_eq!(top("14729380"), "industrial_waste_heat");
        assert_eq!(top("14713000"), "cycling_network");
        assert_eq!(top("14729410"), "industrial_heat_pumps");
        let briefing = pdftotext(&dir.join("ratsinfo_2024_14729380_thallwitz.pdf"));
        assert!(briefing.contains("Die wichtigsten Maßnahmen"));
        assert!(briefing.contains("Abwärme"), "top measure missing in the briefing");
        assert!(
            briefing.contains("Bewertung 1 von 5") || briefing.contains("Bewertung 2 von 5"),
            "reason text missing"
        );
        let handbook = pdftotext(&dir.join("handbuch_2024.pdf"));
        assert!(handbook.contains("Der Werkzeugkoffer") && handbook.contains("Das Bewertungssystem"));
    }

    #[test]
    fn catalogue_errors_stop_with_entry_and_fix() {
        let tmp = tempfile::tempdir().unwrap();
        let inputs = copy_fixture("small", tmp.path());
        let p = inputs.join("catalogues/measures.toml");
        let text = fs::read_to_string(&p)
            .unwrap()
            .replacen("lifts = [", "lifts = [\"no_such_indicator\", ", 1);
        fs::write(&p, text).unwrap();
        let out = bin().args(["check", "--inputs"]).arg(&inputs).output().unwrap();
        assert!(!out.status.success());
        let err = stderr(&out);
        assert!(
            err.contains("catalogues/measures.toml") && err.contains("no_such_indicator") && err.contains("measure `"),
            "{err}"
        );
    }

    #[test]
    fn a_threshold_change_in_the_catalogue_changes_the_rating() {
        let tmp = tempfile::tempdir().unwrap();
        let inputs = copy_fixture("small", tmp.path());
        let p = inputs.join("catalogues/indicators.toml");
        let text = fs::read_to_string(&p).unwrap();
        let start = text.find("id = \"ghg_per_inhabitant\"").unwrap();
        let lv = start + text[start..].find("levels = [").unwrap();
        let end = lv + text[lv..].find(']').unwrap() + 1;
        let text = format!("{}levels = [20.0, 30.0, 40.0, 50.0]{}", &text[..lv], &text[end..]);
        fs::write(&p, text).unwrap();
        let out = tmp.path().join("out");
        assert!(build(&inputs, &out, &["--member", "14729380"]).status.success());
        let rows = csv_rows(&out.join("ratings.csv"));
        assert_eq!(rating(&rows, "14729380", "ghg_per_inhabitant"), "5");
    }
}

mod documents {
    use super::*;

    /// Issue 14, item 5: the toolbox's reader-facing texts (titles, descriptions, actors,
    /// suppliers) name no place or organisation of the bundled partnership, so a partnership
    /// elsewhere gets no Leipzig-specific recommendation; citations (`*_source`, `sources`) may.
    #[test]
    fn toolbox_texts_name_no_place_of_the_bundled_partnership() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let text = fs::read_to_string(root.join("inputs/catalogues/measures.toml")).unwrap();
        let cat: toml::Value = toml::from_str(&text).unwrap();
        let places = ["Leipzig", "Wurzen", "Bennewitz", "Lossatal", "Thallwitz", "Muldental"];
        let measures = cat["measure"].as_array().unwrap();
        assert!(measures.len() > 30);
        for m in measures {
            for (key, value) in m.as_table().unwrap() {
                if key.ends_with("_source") || key == "sources" {
                    continue;
                }
                let v = value.to_string();
                for place in places {
                    assert!(!v.contains(place), "measure {}: {key} names {place}: {v}", m["id"]);
                }
            }
        }
    }

    fn tool(cmd: &str, args: &[&str], file: &Path) -> String {
        let out = Command::new(cmd)
            .args(args)
            .arg(file)
            .output()
            .unwrap_or_else(|_| panic!("{cmd} missing (scripts/test.sh installs it)"));
        assert!(out.status.success(), "{cmd} failed on {}", file.display());
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Share of non-white pixels of a page rendered in grey at low resolution.
    fn ink(pdf: &Path, page: usize) -> f64 {
        let dir = tempfile::tempdir().unwrap();
        let prefix = dir.path().join("p");
        let status = Command::new("pdftoppm")
            .args(["-gray", "-r", "20", "-f", &page.to_string(), "-l", &page.to_string()])
            .arg(pdf)
            .arg(&prefix)
            .status()
            .expect("pdftoppm (poppler-utils)");
        assert!(status.success(), "pdftoppm failed on {} page {page}", pdf.display());
        let file = fs::read_dir(dir.path()).unwrap().next().unwrap().unwrap().path();
        let bytes = fs::read(file).unwrap();
        // PGM: "P5\n<w> <h>\n255\n" then one byte per pixel.
        let mut fields = 0;
        let mut pos = 0;
        while fields < 4 {
            while bytes[pos].is_ascii_whitespace() {
                pos += 1;
            }
            while !bytes[pos].is_ascii_whitespace() {
                pos += 1;
            }
            fields += 1;
        }
        let pixels = &bytes[pos + 1..];
        pixels.iter().filter(|&&p| p < 200).count() as f64 / pixels.len() as f64
    }

    #[test]
    fn every_document_renders_pages_that_are_not_blank() {
        let dir = super::pipeline_dir();
        for name in pdfs(dir) {
            let pdf = dir.join(&name);
            let info = tool("pdfinfo", &[], &pdf);
            let pages: usize = info
                .lines()
                .find(|l| l.starts_with("Pages:"))
                .unwrap()
                .split_whitespace()
                .last()
                .unwrap()
                .parse()
                .unwrap();
            for page in [1, pages.div_ceil(2), pages] {
                let share = ink(&pdf, page);
                assert!(share > 0.003, "{name} page {page} looks blank ({share})");
            }
        }
    }

    /// PDF/A-2a + PDF/UA-1 as declared: tagged, title shown, language, output intent, alt texts,
    /// XMP identification; qpdf finds no structural errors.
    #[test]
    fn pdfs_declare_and_carry_what_the_standards_need() {
        let dir = super::pipeline_dir();
        for name in pdfs(dir) {
            let pdf = dir.join(&name);
            let info = tool("pdfinfo", &[], &pdf);
            assert!(
                info.contains("Tagged:          yes") && info.lines().any(|l| l.starts_with("Title:") && l.len() > 20),
                "{name}: {info}"
            );
            let check = tool("qpdf", &["--check"], &pdf);
            assert!(check.contains("No syntax or stream encoding errors"), "{name}: {check}");
            let tmp = tempfile::tempdir().unwrap();
            let qdf = tmp.path().join("q.pdf");
            let st = Command::new("qpdf")
                .args(["--qdf", "--object-streams=disable"])
                .arg(&pdf)
                .arg(&qdf)
                .status()
                .unwrap();
            assert!(st.success() || st.code() == Some(3));
            let raw = String::from_utf8_lossy(&fs::read(&qdf).unwrap()).into_owned();
            assert!(raw.contains("/Lang (de)"), "{name}: no document language");
            assert!(raw.contains("/DisplayDocTitle true"), "{name}");
            assert!(raw.contains("/OutputIntents"), "{name}: no PDF/A output intent");
            assert!(
                raw.contains("pdfaid:part") && raw.contains("pdfuaid:part"),
                "{name}: no PDF/A or PDF/UA identification"
            );
            let figures = raw.matches("/S /Figure").count();
            let alts = raw.matches("/Alt ").count();
            assert!(
                figures > 0 && alts >= figures,
                "{name}: {figures} figures but {alts} alt texts"
            );
            let structure = tool("pdfinfo", &["-struct"], &pdf);
            assert!(
                structure.contains("H1") && structure.contains("Table") && structure.contains("Figure"),
                "{name}"
            );
        }
    }

    #[test]
    fn an_override_template_replaces_only_its_built_in() {
        let tmp = tempfile::tempdir().unwrap();
        let tdir = tmp.path().join("tpl");
        fs::create_dir_all(&tdir).unwrap();
        let builtin =
            fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("report-templates/briefing.typ.j2")).unwrap();
        fs::write(
            tdir.join("briefing.typ.j2"),
            builtin.replace(
                "{{ t.briefing_intro }}",
                "Eigene Vorlage der Stadtverwaltung. {{ t.briefing_intro }}",
            ),
        )
        .unwrap();
        let out = tmp.path().join("out");
        let o = build(
            &fixture("small"),
            &out,
            &["--member", "14729380", "--templates", tdir.to_str().unwrap()],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let briefing = pdftotext(&out.join("ratsinfo_2024_14729380_thallwitz.pdf"));
        assert!(briefing.contains("Eigene Vorlage der Stadtverwaltung"));
        let report = pdftotext(&out.join("bericht_2024_14729380_thallwitz.pdf"));
        assert!(!report.contains("Eigene Vorlage") && report.contains("Klimabericht"));
    }

    #[test]
    fn a_template_error_names_template_line_and_variable() {
        let tmp = tempfile::tempdir().unwrap();
        let tdir = tmp.path().join("tpl");
        fs::create_dir_all(&tdir).unwrap();
        fs::write(
            tdir.join("briefing.typ.j2"),
            "#set document(title: \"x\")\nZeile zwei\n{{ meta.gibtsnicht }}\n",
        )
        .unwrap();
        let out = tmp.path().join("out");
        let o = build(
            &fixture("small"),
            &out,
            &["--member", "14729380", "--templates", tdir.to_str().unwrap()],
        );
        assert!(!o.status.success());
        let err = stderr(&o);
        assert!(
            err.contains("briefing.typ.j2") && err.contains("line 3") && err.contains("meta.gibtsnicht"),
            "{err}"
        );
        // The report of the same member was still written; the run names the failed document.
        assert!(out.join("bericht_2024_14729380_thallwitz.pdf").exists());
    }

    #[test]
    fn english_edition() {
        let tmp = tempfile::tempdir().unwrap();
        let o = build(&fixture("small"), tmp.path(), &["--member", "14713000", "--lang", "en"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let report = pdftotext(&tmp.path().join("bericht_2024_14713000_leipzig.pdf"));
        for needle in [
            "Climate report",
            "Key figures at a glance",
            "1,440,015",
            "2019-12-31",
            "Sources and data quality",
        ] {
            assert!(report.contains(needle), "English report lacks {needle}");
        }
        assert!(!report.contains("Kennzahlen im Überblick"));
        let flat = pdftext_flow(&tmp.path().join("bericht_2024_14713000_leipzig.pdf"), 999);
        assert!(
            flat.contains("Method break:")
                && flat.contains("of another method (published series instead of BISKO balance), no verdict"),
            "English report lacks the method break"
        );
    }
}

/// Issue 14: a GENESIS table without an entry in sources.toml cites itself.
mod citation {
    use super::*;

    #[test]
    fn an_office_table_without_a_sources_entry_cites_itself() {
        let tmp = tempfile::tempdir().unwrap();
        let inputs = copy_fixture("small", tmp.path());
        let p = inputs.join("sources.toml");
        let text = fs::read_to_string(&p).unwrap();
        let start = text.find("path = \"statistics/regionalstatistik/").unwrap();
        let block_start = text[..start].rfind("[[source]]").unwrap();
        let block_end = start + text[start..].find("[[source]]").unwrap();
        fs::write(&p, format!("{}{}", &text[..block_start], &text[block_end..])).unwrap();
        let out = build(&inputs, &tmp.path().join("out"), &["--documents", "none"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(
            !err.contains("12411-01-01-5_00_extract_Sachsen-Leipzig.csv: no entry in sources.toml"),
            "the file's own header should cite it: {err}"
        );
    }
}

/// Issue 13: one cost model, the offer against full cost, the supply curve, potentials a planner believes.
mod offer {
    use super::*;

    fn rows(name: &str) -> Vec<BTreeMap<String, String>> {
        super::assessment::csv_rows(&super::pipeline_dir().join(name))
    }

    fn num(s: &str) -> f64 {
        s.parse().unwrap_or_else(|_| panic!("not a number: {s:?}"))
    }

    #[test]
    fn supply_curve_tonnes_at_four_prices_are_pinned() {
        let steps = rows("supply_curve.csv");
        assert!(!steps.is_empty());
        let at = |price: f64| -> f64 {
            steps
                .iter()
                .filter(|r| num(&r["price_eur_per_t"]) <= price)
                .map(|r| num(&r["tonnes_per_year"]))
                .sum()
        };
        // Break-evens (3 % discount rate, 214 €/ha rent, 20 % buffer): near-natural forest 70.74,
        // agroforestry 77.59, afforestation 140.94, humus 144.65, hedges 267.62 €/t.
        assert_eq!(at(30.0), 0.0);
        assert_eq!(at(45.0), 0.0, "no land measure's full cost is covered at 45 €/t");
        assert!((at(100.0) - 571.42).abs() < 0.05, "{}", at(100.0));
        assert!((at(200.0) - 1900.47).abs() < 0.05, "{}", at(200.0));
        // Non-decreasing, and the cumulative column adds up.
        let mut last_price = 0.0;
        let mut sum = 0.0;
        for r in &steps {
            assert!(num(&r["price_eur_per_t"]) >= last_price);
            last_price = num(&r["price_eur_per_t"]);
            sum += num(&r["tonnes_per_year"]);
            assert!((num(&r["cumulative_tonnes_per_year"]) - sum).abs() < 0.05);
        }
    }

    #[test]
    fn recommended_own_effects_stay_below_each_balance() {
        let recs = rows("recommendations.csv");
        let indicators = rows("indicators.csv");
        for ags in ["14713000", "14729030", "14729245", "14729380", "14729410"] {
            let balance = num(&indicators
                .iter()
                .find(|r| r["ags"] == ags && r["indicator"] == "ghg_t")
                .unwrap()["value"]);
            let own: f64 = recs
                .iter()
                .filter(|r| r["ags"] == ags)
                .map(|r| num(&r["own_balance_t_per_year"]))
                .sum();
            assert!(own < balance, "{ags}: own effects {own} t ≥ balance {balance} t");
            // Wind and PV avoid grid emissions elsewhere: never counted against the own balance.
            for r in recs.iter().filter(|r| r["ags"] == ags && r["measure"].contains("pv")) {
                assert_eq!(num(&r["own_balance_t_per_year"]), 0.0, "{r:?}");
            }
        }
        // Members that differ get different lists.
        let top3 = |ags: &str| -> Vec<String> {
            recs.iter()
                .filter(|r| r["ags"] == ags)
                .take(3)
                .map(|r| r["measure"].clone())
                .collect()
        };
        assert_ne!(top3("14729410"), top3("14729030"));
        // Unquantified measures come after every quantified one.
        for ags in ["14713000", "14729380"] {
            let groups: Vec<&str> = recs
                .iter()
                .filter(|r| r["ags"] == ags)
                .map(|r| r["ranked_group"].as_str())
                .collect();
            let first_unq = groups.iter().position(|g| *g == "unquantified").unwrap_or(groups.len());
            assert!(groups[first_unq..].iter().all(|g| *g == "unquantified"), "{groups:?}");
        }
    }

    #[test]
    fn the_same_measure_shows_the_same_cost_per_tonne_everywhere() {
        let recs = rows("recommendations.csv");
        let mut seen: std::collections::BTreeMap<String, String> = Default::default();
        for r in &recs {
            let prev = seen
                .entry(r["measure"].clone())
                .or_insert_with(|| r["cost_eur_per_t"].clone());
            assert_eq!(prev, &r["cost_eur_per_t"], "{}", r["measure"]);
        }
        // The handbook's toolbox line gives the same net €/t as recommendations.csv.
        let handbook = pdftotext(&super::pipeline_dir().join("handbuch_2024.pdf"));
        let humus = num(&seen["humus_cropland"]);
        assert!(
            handbook.contains(&format!("netto {} € je t", humus.round() as i64)),
            "net cost {humus} of humus build-up not in the handbook"
        );
        // Savings are shown as negative costs, not as missing.
        assert!(num(&seen["industry_efficiency_networks"]) < 0.0);
    }

    #[test]
    fn the_headline_counts_additional_removals_only() {
        let dir = super::pipeline_dir();
        let handbook = pdftotext(&dir.join("handbuch_2024.pdf"));
        let flat = handbook.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("ist kein zusätzlicher Ausgleich und nicht eingerechnet"),
            "{flat}"
        );
        assert!(
            flat.contains("Jahre gemischt"),
            "the 2019 and 2021 balances are added: say so"
        );
        assert!(
            flat.contains("zu keinem Preis ausgleichen"),
            "the honest answer is missing"
        );
        assert!(flat.contains("Angebotskurve"));
        // At 45 €/t nothing is contracted, so no member is credited a removal or a payment.
        let indicators = rows("indicators.csv");
        for r in indicators.iter().filter(|r| r["indicator"] == "compensation_removal_t") {
            assert_eq!(num(&r["value"]), 0.0, "{r:?}");
        }
        // A rural briefing says from which price the first measure pays.
        let briefing = pdftotext(&dir.join("ratsinfo_2024_14729245_lossatal.pdf"));
        let flat = briefing.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("lohnt sich die erste"), "{flat}");
    }

    #[test]
    fn no_land_measure_cost_is_a_price_another_scheme_pays() {
        let text = fs::read_to_string(super::fixture("small").join("catalogues/measures.toml")).unwrap();
        assert!(!text.contains("× 30 €/t"), "a cost derived from the certificate price");
        assert!(!text.contains("Vergütung 30 €/t"));
    }
}

mod measure_status {
    use super::*;

    #[test]
    fn status_overdue_and_effect_of_done_measures_show_in_the_report() {
        let tmp = tempfile::tempdir().unwrap();
        let inputs = copy_fixture("small", tmp.path());
        let p = inputs.join("local/measure_status.csv");
        let mut text = fs::read_to_string(&p).unwrap();
        text.push_str("14729380,humus_cropland,done,2022-03-01,2023-12-31,100,Landwirtschaftsbetrieb Thallwitz,\n");
        text.push_str("14729380,energy_advice,planned,2023-01-01,2024-06-30,,Gemeindeverwaltung,\n");
        fs::write(&p, text).unwrap();
        let out = tmp.path().join("out");
        let o = build(&inputs, &out, &["--member", "14729380"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let report = pdftotext(&out.join("bericht_2024_14729380_thallwitz.pdf"));
        assert!(
            report.contains("umgesetzt") && report.contains("überfällig"),
            "status missing"
        );
        // 100 ha x 1.06 t/ha (humus build-up, measures.toml) = 106 t per year.
        assert!(
            report.contains("106 t CO₂e/") && report.contains("Umgesetzten: 106 t"),
            "expected effect missing:\n{report}"
        );
    }

    /// "Zur Entscheidung" in the briefing: the council's sessions and the measure starts of the twelve
    /// months after the document date (31.12.2024, the data date), and overdue measures, by date;
    /// a decision after the window and a measure already done are left out.
    #[test]
    fn briefing_lists_what_is_up_for_decision() {
        let tmp = tempfile::tempdir().unwrap();
        let inputs = copy_fixture("small", tmp.path());
        let p = inputs.join("local/measure_status.csv");
        let mut text = fs::read_to_string(&p).unwrap();
        text.push_str("14729380,energy_advice,planned,2023-01-01,2024-06-30,,Gemeindeverwaltung,\n");
        text.push_str("14729380,humus_cropland,planned,2025-04-01,2027-12-31,,Landwirtschaftsbetrieb Thallwitz,\n");
        text.push_str("14729380,rooftop_pv,done,2025-02-01,2025-12-31,10,Bauamt,\n");
        fs::write(&p, text).unwrap();
        fs::write(
            inputs.join("local/council_decisions.csv"),
            "ags,date,subject,body,link\n\
             14729380,2025-03-12,Wärmeplanung beauftragen,Gemeinderat,https://ratsinfo.example/1\n\
             14729380,2026-05-01,Haushalt 2027,Gemeinderat,\n\
             14729030,2025-02-01,Anderes Mitglied,Gemeinderat,\n",
        )
        .unwrap();
        let out = tmp.path().join("out");
        let o = build(&inputs, &out, &["--member", "14729380", "--documents", "briefing"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let text = pdftotext(&out.join("ratsinfo_2024_14729380_thallwitz.pdf"));
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let section = text.split("Zur Entscheidung").nth(1).expect("section");
        let section = section.split("Was die Zahlen bedeuten").next().unwrap();
        assert!(
            section.contains("zwischen dem 31.12.2024 und dem 31.12.2025"),
            "{section}"
        );
        let overdue = section
            .find("30.06.2024 · überfällig seit: Unabhängige Energieberatung vor Ort (Gemeindeverwaltung)")
            .unwrap_or_else(|| panic!("{section}"));
        let council = section
            .find("12.03.2025 · Beschluss: Wärmeplanung beauftragen (Gemeinderat)")
            .unwrap_or_else(|| panic!("{section}"));
        let start = section
            .find("01.04.2025 · Beginn der Maßnahme:")
            .unwrap_or_else(|| panic!("{section}"));
        assert!(overdue < council && council < start, "sorted by date: {section}");
        assert!(
            !section.contains("Haushalt 2027") && !section.contains("Anderes Mitglied"),
            "{section}"
        );
        assert!(
            !section.contains("01.02.2025"),
            "a measure already done is not up for decision: {section}"
        );
        // Without entries the section says so in a plain sentence.
        let plain = pdftotext(&super::pipeline_dir().join("ratsinfo_2024_14729410_wurzen.pdf"));
        let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            plain.contains("weder Beschlüsse noch Maßnahmenstarts eingetragen"),
            "{plain}"
        );
    }

    #[test]
    fn unknown_measure_in_status_file_is_an_error_with_line() {
        let tmp = tempfile::tempdir().unwrap();
        let inputs = copy_fixture("small", tmp.path());
        let p = inputs.join("local/measure_status.csv");
        let mut text = fs::read_to_string(&p).unwrap();
        text.push_str("14729380,no_such_measure,done,,,,,\n");
        fs::write(&p, text).unwrap();
        let o = bin().args(["check", "--inputs"]).arg(&inputs).output().unwrap();
        assert!(!o.status.success());
        let err = stderr(&o);
        assert!(
            err.contains("local/measure_status.csv") && err.contains("no_such_measure") && err.contains("line 10"),
            "{err}"
        );
    }
}
