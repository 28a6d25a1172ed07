//! Every sample format of ../shared/data (copied or cut into tests/fixtures/formats) is read with
//! correct values: a few figures pinned per format, read through the library as `check` reads them.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use klimapartner::ingest::{self, Outcome};
use klimapartner::model::{Ags, Missing, Observation, RefDate};

use super::fixture;

fn data() -> &'static Outcome {
    static DATA: OnceLock<Outcome> = OnceLock::new();
    DATA.get_or_init(|| {
        let dir = fixture("formats");
        let p = klimapartner::config::load(&dir).unwrap();
        let o = ingest::read_all(&dir, &p.member_keys());
        assert!(o.errors.is_empty(), "{:?}", o.errors);
        o
    })
}

fn ags(s: &str) -> Ags {
    Ags::parse(s).unwrap()
}

fn date(y: i32, m: u8, d: u8) -> RefDate {
    RefDate::new(y, m, d).unwrap()
}

/// The observations of one file for a member, variable, category and date.
fn find<'a>(
    obs: &'a [Observation],
    file: &str,
    a: &str,
    var: &str,
    cat: Option<&str>,
    d: RefDate,
) -> Vec<&'a Observation> {
    obs.iter()
        .filter(|o| {
            o.source.file.ends_with(file)
                && o.ags == ags(a)
                && o.variable == var
                && o.category.as_deref() == cat
                && o.date == d
        })
        .collect()
}

fn one<'a>(obs: &'a [Observation], file: &str, a: &str, var: &str, cat: Option<&str>, d: RefDate) -> &'a Observation {
    let v = find(obs, file, a, var, cat, d);
    assert_eq!(v.len(), 1, "{file} {a} {var} {cat:?} {d:?}: {v:#?}");
    v[0]
}

fn value(obs: &[Observation], file: &str, a: &str, var: &str, cat: Option<&str>, d: RefDate) -> f64 {
    one(obs, file, a, var, cat, d).value.unwrap_or(f64::NAN)
}

fn report(file: &str) -> &'static ingest::FileReport {
    data()
        .files
        .iter()
        .find(|f| f.path.ends_with(file))
        .unwrap_or_else(|| panic!("{file} was not read"))
}

#[test]
fn iso_8859_1_originals_read_with_umlauts_and_district_keys() {
    let o = &data().observations;
    let f = report("regionalstatistik/12411-01-01-4.csv");
    assert_eq!((f.encoding, f.table.as_str()), ("ISO-8859-1", "12411-01-01-4"));
    // The district table is known by its code (built-in knowledge of 12411-01-01), not only the
    // municipal one that variables.csv names.
    assert!(f.variables.contains("population_male"), "{:?}", f.variables);
    // District level: Leipzig's 5-digit key is the member 14713000 ...
    let leipzig = one(
        o,
        "12411-01-01-4.csv",
        "14713000",
        "population",
        None,
        date(2015, 12, 31),
    );
    assert_eq!((leipzig.value, leipzig.unit.as_str()), (Ok(560472.0), "Personen"));
    // ... and Landkreis Leipzig (14729) is kept as regional context under 14729000, not as a member.
    assert!(f.districts.contains("14729"));
    let lk = data()
        .regional
        .iter()
        .find(|r| r.source.file.ends_with("12411-01-01-4.csv") && r.variable == "population")
        .unwrap();
    assert_eq!((lk.ags.as_str(), lk.value), ("14729000", Ok(258408.0)));
    assert!(!o.iter().any(|x| x.ags.as_str() == "14729000"));

    let f = report("regionalstatistik/14111-01-03-4.csv");
    assert_eq!(f.encoding, "ISO-8859-1");
    assert!(
        f.variables.iter().any(|v| v.ends_with("Parteien / GRÜNE")),
        "{:?}",
        f.variables
    );
    assert!(f.variables.iter().any(|v| v.starts_with("14111-01-03-4:Gültige")));
}

#[test]
fn genesis_long_layout_dates_in_the_first_column_and_units_from_the_header() {
    let o = &data().observations;
    let f = "14111-01-03-4.csv";
    let turnout = one(
        o,
        f,
        "14713000",
        "14111-01-03-4:Wahlbeteiligung",
        None,
        date(2013, 9, 22),
    );
    assert_eq!((turnout.value, turnout.unit.as_str()), (Ok(67.9), "Prozent"));
    assert_eq!(
        value(
            o,
            f,
            "14713000",
            "14111-01-03-4:Wahlberechtigte",
            None,
            date(2013, 9, 22)
        ),
        430321.0
    );
    // `-` (AfD did not stand in 2013) is an exact zero.
    assert_eq!(
        value(
            o,
            f,
            "14713000",
            "14111-01-03-4:Gültige Zweitstimmen / Parteien / AfD",
            None,
            date(2013, 9, 22)
        ),
        0.0
    );
    // 1994–2013, one block per election date.
    assert_eq!(
        report(f).years.iter().copied().collect::<Vec<_>>(),
        [1994, 1998, 2002, 2005, 2009, 2013]
    );
    // A bare year in the first column (73111) is the year's end.
    let f = "73111-01-01-5_00_extract_Sachsen-Leipzig.csv";
    assert_eq!(
        value(
            o,
            f,
            "14729030",
            "73111-01-01-5:Lohn- und Einkommensteuerpflichtige",
            None,
            date(2010, 12, 31)
        ),
        2255.0
    );
    // The car stock table (46251), district level, dated 1 January.
    let cars = one(o, "46251-01-02-4_00.csv", "14713000", "cars", None, date(2017, 1, 1));
    assert_eq!(cars.value, Ok(220026.0));
}

#[test]
fn land_use_extract_keeps_dot_as_unknown_and_dash_as_zero() {
    let o = &data().observations;
    let f = "33111-01-01-5_00_extract_Sachsen-Leipzig.csv";
    let d = date(2015, 12, 31);
    let l = one(o, f, "14713000", "land_area", Some("land_total"), d);
    assert_eq!((l.value, l.unit.as_str()), (Ok(29780.0), "ha"));
    // The district's municipal cells are `.` (cadastre changeover): unknown, never zero.
    let b = one(o, f, "14729030", "land_area", Some("land_total"), d);
    assert_eq!((b.value, b.flag.as_deref()), (Err(Missing::Unknown), Some(".")));
    // A wide table with its date on a line of its own: every column dated 31.12.2015.
    assert_eq!(report(f).years.iter().copied().collect::<Vec<_>>(), [2015]);
}

#[test]
fn lossatal_predecessors_add_up_before_2012_and_its_own_dash_stays_did_not_exist() {
    let o = &data().observations;
    let f = "12411-01-01-5_00_extract_Sachsen-Leipzig.csv";
    let d = date(2011, 12, 31);
    let all = find(o, f, "14729245", "population", None, d);
    assert_eq!(all.len(), 2, "{all:#?}");
    let own = all.iter().find(|x| x.flag.as_deref() == Some("-")).unwrap();
    assert_eq!(own.value, Err(Missing::NotExisting));
    let merged = all.iter().find(|x| x.flag.as_deref() == Some("merged")).unwrap();
    assert_eq!(merged.value, Ok(3572.0 + 2728.0), "Falkenhain + Hohburg");
    // From 2012 on, Lossatal's own figure; no merged one.
    assert_eq!(value(o, f, "14729245", "population", None, date(2012, 12, 31)), 6223.0);
    assert!(report(f).merged > 0);
    // Shares are never summed: turnout of Falkenhain and Hohburg in 2009 gives no Lossatal value.
    let f = "14111-01-02-5_00_extract_Sachsen-Leipzig.csv";
    assert!(find(
        o,
        f,
        "14729245",
        "14111-01-02-5:Wahlbeteiligung",
        None,
        date(2009, 9, 27)
    )
    .iter()
    .all(|x| x.value.is_err()));
    let voters = find(
        o,
        f,
        "14729245",
        "14111-01-02-5:Wahlberechtigte",
        None,
        date(2009, 9, 27),
    );
    assert!(voters
        .iter()
        .any(|x| x.value == Ok(3207.0 + 2505.0) && x.flag.as_deref() == Some("merged")));
}

#[test]
fn zensus_flat_file_plain_and_zipped_with_quality_flag() {
    let o = &data().observations;
    for f in [
        "zensus2022/1000A-0000_de_flat.csv",
        "zensus2022_zip/1000A-0000_de_flat.zip",
    ] {
        let w = one(o, f, "14729410", "population_census", None, date(2022, 5, 15));
        assert_eq!((w.value, w.flag.as_deref()), (Ok(15902.0), Some("e")), "{f}");
    }
    assert_eq!(report("1000A-0000_de_flat.zip").format, "GENESIS flat (ffcsv, ZIP)");
}

#[test]
fn old_flat_file_columns_flags_and_brackets() {
    let o = &data().observations;
    let f = "variants/12411-0015_de_flat_old.csv";
    let d = date(2015, 12, 31);
    let b = one(o, f, "14729030", "population", None, d);
    assert_eq!(
        (b.value, b.flag.as_deref(), b.unit.as_str()),
        (Ok(4906.0), Some("p"), "Personen")
    );
    assert_eq!(one(o, f, "14729245", "population", None, d).flag.as_deref(), Some("r"));
    let t = one(o, f, "14729380", "population", None, d);
    assert_eq!((t.value, t.flag.as_deref()), (Ok(3563.0), Some("()s")));
    assert_eq!(
        one(o, f, "14729410", "population_male", None, d).value,
        Err(Missing::Locked)
    );
    // The old file's merger rows: Falkenhain + Hohburg under Lossatal.
    let m = find(o, f, "14729245", "population", None, date(2011, 12, 31));
    assert!(
        m.iter()
            .any(|x| x.value == Ok(6300.0) && x.flag.as_deref() == Some("merged")),
        "{m:#?}"
    );
}

#[test]
fn genesis_table_flags_are_kept() {
    let o = &data().observations;
    let f = "variants/12411-01-01-5_flags.csv";
    let d = date(2015, 12, 31);
    let b = one(o, f, "14729030", "population", None, d);
    assert_eq!((b.value, b.flag.as_deref()), (Ok(4906.0), Some("()")));
    assert_eq!(
        one(o, f, "14729030", "population_male", None, d).flag.as_deref(),
        Some("p")
    );
    assert_eq!(
        one(o, f, "14729030", "population_female", None, d).flag.as_deref(),
        Some("r")
    );
    assert_eq!(one(o, f, "14729380", "population", None, d).flag.as_deref(), Some("s"));
    assert_eq!(
        one(o, f, "14729410", "population_male", None, d).value,
        Err(Missing::TooUncertain)
    );
    assert_eq!(
        one(o, f, "14729410", "population_female", None, d).value,
        Err(Missing::NotYetAvailable)
    );
}

#[test]
fn mastr_export_sums_capacity_per_member_and_carrier() {
    let o = &data().observations;
    let f = "mastr/mastr-sample-ags-147-2014f.csv";
    let d = date(2020, 4, 27); // the latest registration/update date in the export
    let pv = one(o, f, "14729380", "mastr_capacity", Some("pv"), d);
    assert_eq!(pv.unit, "kW");
    assert!((pv.value.unwrap() - 195.41).abs() < 1e-9, "{pv:?}");
    assert!((value(o, f, "14729410", "mastr_capacity", Some("pv"), d) - 801.098).abs() < 1e-9);
    assert_eq!(value(o, f, "14729410", "mastr_capacity", Some("biomass"), d), 340.0);
    assert!((value(o, f, "14713000", "mastr_capacity", Some("storage"), d) - 40.15).abs() < 1e-9);
    // The register's own DD.MM.YYYY dates.
    let f = "variants/mastr_register_dates_ddmmyyyy.csv";
    let d = date(2020, 1, 22);
    assert!((value(o, f, "14729410", "mastr_capacity", Some("pv"), d) - 51.02).abs() < 1e-9);
    assert_eq!(value(o, f, "14729410", "mastr_capacity", Some("natural_gas"), d), 115.5);
}

#[test]
fn per_ags_tables_key_lists_and_text_columns() {
    let o = &data().observations;
    let f = "mastr/nettonennleistung_by_AGS_2020.csv";
    let d = date(2020, 12, 31);
    assert_eq!(
        value(
            o,
            f,
            "14713000",
            "nettonennleistung_by_AGS:Solare Strahlungsenergie",
            None,
            d
        ),
        134409.22
    );
    assert_eq!(
        one(o, f, "14713000", "nettonennleistung_by_AGS:Braunkohle", None, d).value,
        Err(Missing::Empty)
    );
    // area_kinds: the numeric RegioStaR column is read, the text column `rt3` is not a figure.
    let f = report("national/area_kinds/2021.csv");
    assert!(f.variables.contains("area_kinds:rt7") && !f.variables.contains("area_kinds:rt3"));
    let keys = report("national/ags/master.csv");
    assert_eq!(keys.format, "AGS-Verzeichnis (CSV)");
    assert_eq!(keys.members.len(), 5);
}

#[test]
fn every_sample_file_is_recognised() {
    let formats: BTreeSet<&str> = data().files.iter().map(|f| f.format).collect();
    for f in [
        "GENESIS-Tabelle (CSV)",
        "GENESIS flat (ffcsv)",
        "GENESIS flat (ffcsv, ZIP)",
        "GENESIS flat (ffcsv, old columns)",
        "Marktstammdatenregister (Export)",
        "Tabelle je AGS (CSV)",
        "AGS-Verzeichnis (CSV)",
        "GeoJSON (Gemeindegrenzen)",
    ] {
        assert!(formats.contains(f), "{f} missing in {formats:?}");
    }
    assert_eq!(data().files.len(), 25);
}
