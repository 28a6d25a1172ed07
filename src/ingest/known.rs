//! Built-in knowledge of the official tables the documents use (issue 14): the statistical offices'
//! table codes, value-variable and Merkmal codes (`BEVSTD`, `FLC005A` with `ADVN09-1` …) and
//! column labels, mapped to the canonical variables compute uses. A download needs no line in
//! `variables.csv`; that file still overrides (see [`FileCtx::emit_to`](super::FileCtx)).
//!
//! The table is compiled in from `src/ingest/known_tables.csv`, which says where each code or
//! label was read; nothing in it is guessed.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

use super::registry::Alias;

const BUILT_IN: &str = include_str!("known_tables.csv");

/// The built-in entries by (table code or prefix, normalised key).
pub struct KnownTables {
    map: BTreeMap<(String, String), Alias>,
}

impl KnownTables {
    /// Parses the table; a malformed line is a defect of the program, reported with its line.
    fn parse(text: &str) -> Result<KnownTables, String> {
        let mut reader = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .flexible(false)
            .from_reader(text.as_bytes());
        let header = reader.headers().map_err(|e| e.to_string())?.clone();
        let want = ["table", "key", "variable", "category", "unit", "evidence"];
        if header.iter().collect::<Vec<_>>() != want {
            return Err(format!("known_tables.csv: the header must be {}", want.join(",")));
        }
        let mut map = BTreeMap::new();
        for record in reader.records() {
            let r = record.map_err(|e| format!("known_tables.csv: {e}"))?;
            let line = r.position().map_or(0, |p| p.line());
            let opt = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
            let (table, key) = (r[0].trim().to_string(), normalise_key(&r[1]));
            if table.is_empty() || key.is_empty() || r[2].trim().is_empty() || r[5].trim().is_empty() {
                return Err(format!(
                    "known_tables.csv, line {line}: table, key, variable and evidence must not be empty"
                ));
            }
            let alias = Alias {
                variable: r[2].trim().to_string(),
                category: opt(&r[3]),
                unit: opt(&r[4]),
            };
            if map.insert((table.clone(), key.clone()), alias).is_some() {
                return Err(format!(
                    "known_tables.csv, line {line}: `{table}` / `{key}` appears twice"
                ));
            }
        }
        Ok(KnownTables { map })
    }

    /// The compiled-in table.
    pub fn built_in() -> &'static KnownTables {
        static TABLE: OnceLock<KnownTables> = OnceLock::new();
        TABLE.get_or_init(|| KnownTables::parse(BUILT_IN).expect("the built-in table of official tables parses"))
    }

    /// The canonical variable of a reader's raw name `<table or statistic code>:<key>`, trying the
    /// table code and each of its prefixes at a `-` (longest first).
    pub fn lookup(&self, raw: &str) -> Option<&Alias> {
        let (table, rest) = raw.split_once(':')?;
        let key = normalise_key(rest);
        let table = table.trim();
        let mut prefixes: Vec<&str> = table.match_indices('-').map(|(i, _)| &table[..i]).collect();
        prefixes.push(table);
        prefixes
            .iter()
            .rev()
            .find_map(|t| self.map.get(&(t.to_string(), key.clone())))
    }

    /// Number of entries (for tests).
    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// Lower case, NFC, parts split at `/` and trimmed, inner spaces collapsed, empty parts dropped.
fn normalise_key(key: &str) -> String {
    let lower: String = key.nfc().collect::<String>().to_lowercase();
    lower
        .split('/')
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_table_parses_and_keys_match_every_form() {
        let k = KnownTables::built_in();
        assert!(k.len() > 30, "{}", k.len());
        let var = |raw: &str| k.lookup(raw).map(|a| (a.variable.as_str(), a.category.as_deref()));
        // Table CSV labels, by table code (municipal and district depth) …
        assert_eq!(var("12411-01-01-5:Insgesamt"), Some(("population", None)));
        assert_eq!(var("12411-01-01-4:Insgesamt"), Some(("population", None)));
        // … but a label is not known for another table of the same statistic.
        assert_eq!(var("12411-07-01-4:Insgesamt"), None);
        // Flat-file codes by statistic, with the total's empty attribute code left out.
        assert_eq!(var("12411:BEVSTD/"), Some(("population", None)));
        assert_eq!(var("12411:BEVSTD/GESW"), Some(("population_female", None)));
        assert_eq!(var("33111:FLC005A/ADVN09-32"), Some(("land_area", Some("veg_forrest"))));
        // Labels: case, spaces and the order of header rows as the office writes them.
        assert_eq!(
            var("33111-01-01-5:Bodenfläche /  landwirtschaftsfläche / Insgesamt"),
            Some(("land_area", Some("veg_agri")))
        );
        assert_eq!(var("33111-01-01-5:Bodenfläche / Landwirtschaftsfläche / Moor"), None);
        assert_eq!(
            var("46251-01-02-4:Kraftfahrzeugarten / Pkw"),
            Some(("vehicles", Some("cars")))
        );
        assert_eq!(
            var("31231-01-02-5:Wohnfläche in Wohngebäuden"),
            Some(("residential_area", Some("residential_buildings_area_total")))
        );
        assert_eq!(var("1000A:PRS018"), Some(("population_census", None)));
        assert_eq!(var("population:total"), None);
        assert_eq!(var("no colon"), None);
    }

    /// (variable, AGS, year, value) of every member observation a file gives.
    fn read(name: &str) -> (String, Vec<(String, String, i32, String)>) {
        let (report, v) = read_with_report(name);
        (report.format.to_string(), v)
    }

    fn read_with_report(name: &str) -> (crate::ingest::FileReport, Vec<(String, String, i32, String)>) {
        read_as(name, &["14729410", "14729380", "14729090"], |o| o.variable.clone())
    }

    /// (variable/category, AGS, year, value) of every member observation a file gives, for the given members.
    fn read_for(name: &str, members: &[&str]) -> (crate::ingest::FileReport, Vec<(String, String, i32, String)>) {
        read_as(name, members, |o| {
            format!("{}/{}", o.variable, o.category.as_deref().unwrap_or(""))
        })
    }

    /// The member observations of a fixture, each as (name(o), AGS, year, value), sorted.
    fn read_as(
        name: &str,
        members: &[&str],
        name_of: impl Fn(&crate::model::Observation) -> String,
    ) -> (crate::ingest::FileReport, Vec<(String, String, i32, String)>) {
        let bytes = std::fs::read(format!("tests/fixtures/known_tables/{name}")).unwrap();
        let members = members.iter().map(|a| crate::model::Ags::parse(a).unwrap()).collect();
        let changes = crate::ingest::registry::MunicipalChanges::default();
        let (report, obs, _) = crate::ingest::parse_file(name, &bytes, &members, &changes)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .unwrap();
        let mut v: Vec<_> = obs
            .iter()
            .map(|o| {
                let value = o.value.as_ref().map_or_else(|m| format!("{m:?}"), |v| v.to_string());
                (name_of(o), o.ags.to_string(), o.date.year, value)
            })
            .collect();
        v.sort();
        (report, v)
    }

    /// One real table (12411-01-01-5) in every layout: the same canonical figures from each,
    /// with no `variables.csv` (parse_file maps nothing itself) — only the built-in knowledge.
    #[test]
    fn every_layout_of_12411_gives_the_same_population() {
        let (report, wide) = read_with_report("12411_wide.xlsx");
        assert_eq!(report.format, "GENESIS-Tabelle (XLSX)");
        assert_eq!(report.table, "12411-01-01-5", "the first line alone, as in the CSV");
        assert_eq!(wide.len(), 3 * 3 * 8, "3 members × 3 variables × 8 dates: {wide:?}");
        assert!(wide.contains(&("population".into(), "14729410".into(), 2015, "16364".into())));
        assert!(wide.contains(&("population_female".into(), "14729380".into(), 2008, "1862".into())));
        assert!(
            wide.contains(&("population".into(), "14729090".into(), 2015, "0".into())),
            "`-` is 0"
        );
        for (name, want) in [
            ("12411_long.csv", "GENESIS-Tabelle (CSV)"),
            ("12411_flat_old.csv", "GENESIS flat (ffcsv, old columns)"),
            ("12411_flat_new.csv", "GENESIS flat (ffcsv)"),
        ] {
            let (format, got) = read(name);
            assert_eq!(format, want, "{name}");
            assert_eq!(got, wide, "{name}");
        }
    }

    /// Land use and buildings from the offices' originals, by their column labels.
    #[test]
    fn land_use_and_buildings_originals_are_mapped() {
        let (_, land) = read("33111-01-01-5_00_extract_Sachsen-Leipzig.csv");
        // 2015 had no municipal results in Saxony (`.`); the variables are mapped nonetheless.
        assert!(land
            .iter()
            .any(|(v, a, y, _)| v == "land_area" && a == "14729410" && *y == 2015));
        let (_, homes) = read("31231-01-02-5_00_extract_Sachsen-Leipzig.csv");
        let get = |v: &str, y: i32| {
            homes
                .iter()
                .filter(|o| o.0 == v && o.1 == "14729410" && o.2 == y)
                .map(|o| o.3.clone())
                .collect::<Vec<_>>()
        };
        // Wurzen: 3 building classes and the living area are mapped; flats as one total.
        assert_eq!(get("flats", 2010).len(), 1, "{homes:?}");
        assert_eq!(get("buildings", 2010).len(), 3, "{homes:?}");
        assert_eq!(get("residential_area", 2010).len(), 1, "{homes:?}");
    }

    #[test]
    fn alkis_classes_buildings_vehicles_and_employees_are_known_by_code() {
        let k = KnownTables::built_in();
        let var = |raw: &str| k.lookup(raw).map(|a| (a.variable.as_str(), a.category.as_deref()));
        assert_eq!(var("33111:FLC005A/ADVN09-31"), Some(("land_area", Some("veg_agri"))));
        assert_eq!(var("33111:FLC005/ADVN09-35"), Some(("land_area", Some("veg_moor"))));
        assert_eq!(var("33111:FLC005A/ADVN09-4"), Some(("land_area", Some("water_total"))));
        // Totals of classes whose parts are mapped are not mapped themselves (no double count).
        assert_eq!(var("33111:FLC005A/ADVN09-3"), None);
        assert_eq!(var("33111:FLC005A/ADVN09-41"), None);
        assert_eq!(var("31231:BAUNW9/GEBW01"), Some(("buildings", Some("buildings_1flat"))));
        assert_eq!(var("31231:WOHN01"), Some(("flats", Some("flats_total"))));
        assert_eq!(var("46251:VER012/PKWINS"), Some(("vehicles", Some("cars"))));
        assert_eq!(var("13111:ERW032//"), Some(("employees", Some("employees_total"))));
        assert_eq!(var("13111:ERW032/NATA/"), None, "foreign employees only");
        assert_eq!(var("13111:ERW032//GESW"), None, "women only");
    }

    /// A real flat download of employees at the place of work (13111-01-03-5, recorded from
    /// regionalstatistik.de): a district-free city under `KREISE`, a municipality under `GEMEIN`.
    #[test]
    fn employees_flat_download_is_mapped() {
        let (report, got) = read_for("13111-01-03-5_ffcsv_extract.csv", &["09162000", "09184119"]);
        assert_eq!(report.format, "GENESIS flat (ffcsv)");
        let employees: Vec<_> = got.iter().filter(|o| o.0 == "employees/employees_total").collect();
        let want = [
            ("09162000", 2008, "687000"),
            ("09162000", 2016, "823095"),
            ("09162000", 2025, "976230"),
            ("09184119", 2008, "13163"),
            ("09184119", 2016, "22486"),
            ("09184119", 2025, "32823"),
        ];
        assert_eq!(employees.len(), want.len(), "{got:?}");
        for (ags, year, value) in want {
            assert!(
                employees.iter().any(|o| o.1 == ags && o.2 == year && o.3 == value),
                "{ags} {year}: {got:?}"
            );
        }
    }

    /// Three district tables as the office writes them to Excel (merged header cells) and to CSV
    /// (labels repeated): the same figures from both, with no `variables.csv`.
    #[test]
    fn office_xlsx_and_csv_of_land_use_buildings_and_employees_agree() {
        for (code, want) in [
            (
                "33111-01-02-4",
                vec![
                    ("land_area/land_total", 2018, "29780"),
                    ("land_area/land_settlement", 2018, "12657"),
                    ("land_area/land_traffic", 2018, "3601"),
                    ("land_area/veg_agri", 2018, "9878"),
                    ("land_area/veg_forrest", 2018, "1947"),
                    ("land_area/veg_wood", 2018, "290"),
                    ("land_area/veg_heath", 2018, "2"),
                    ("land_area/veg_moor", 2018, "0"),
                    ("land_area/veg_marsh", 2018, "9"),
                    ("land_area/veg_plant_uncover_com", 2018, "224"),
                    ("land_area/water_total", 2018, "1172"),
                    ("land_area/veg_agri", 2017, "9971"),
                ],
            ),
            (
                "31231-02-01-4",
                vec![
                    ("buildings/residential_buildings_total", 2019, "61282"),
                    ("buildings/buildings_1flat", 2019, "30016"),
                    ("buildings/buildings_2flats", 2019, "3448"),
                    ("residential_area/residential_buildings_area_total", 2019, "23454.9"),
                    ("flats/flats_total", 2019, "341419"),
                    ("flats/flats_total", 2018, "339094"),
                ],
            ),
            ("13111-01-03-4", vec![("employees/employees_total", 2019, "272873")]),
        ] {
            let (report, xlsx) = read_for(&format!("{code}_extract.xlsx"), &["14713000"]);
            assert_eq!(report.format, "GENESIS-Tabelle (XLSX)", "{code}");
            assert_eq!(report.table, code);
            let (report, csv) = read_for(&format!("{code}_extract.csv"), &["14713000"]);
            assert_eq!(report.format, "GENESIS-Tabelle (CSV)", "{code}");
            assert_eq!(xlsx, csv, "{code}: XLSX and CSV differ");
            for (var, year, value) in &want {
                assert!(
                    csv.iter()
                        .any(|o| &o.0 == var && o.1 == "14713000" && o.2 == *year && &o.3 == value),
                    "{code}: {var} {year} = {value} missing in {csv:?}"
                );
            }
            // Mapped are exactly these columns: not the Vegetation total or the water sub-classes (their
            // parts or their total are mapped), flats by rooms, foreigners; those keep the office's name.
            let per_date = csv.iter().filter(|o| o.2 == want[0].1 && !o.0.contains(':')).count();
            let expected = want.iter().filter(|w| w.1 == want[0].1).count();
            assert_eq!(per_date, expected, "{code}: {csv:?}");
        }
    }

    #[test]
    fn malformed_tables_are_refused_with_the_line() {
        let head = "table,key,variable,category,unit,evidence\n";
        assert!(KnownTables::parse(&format!("{head}12411,BEVSTD,population,,,x\n")).is_ok());
        let twice = KnownTables::parse(&format!("{head}1,A,v,,,x\n1,a,w,,,y\n"))
            .err()
            .unwrap();
        assert!(twice.contains("line 3") && twice.contains("twice"), "{twice}");
        let empty = KnownTables::parse(&format!("{head}1,A,v,,,\n")).err().unwrap();
        assert!(empty.contains("line 2"), "{empty}");
        assert!(KnownTables::parse("a,b\n").is_err());
    }
}
