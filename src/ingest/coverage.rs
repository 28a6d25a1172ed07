//! What each member has of the core variables the documents are built on — population, area and
//! land use, renewables, buildings — with the year and file of the newest figure, and for what is
//! missing the official table to download (issue 14). `check` and `build` print it; `build` stops
//! when a member lacks population or area, unless `--allow-incomplete`.

use std::collections::BTreeMap;

use crate::model::{Ags, Observation};

/// One core variable: the canonical variables (and category; `None` = any) that provide it, and
/// the official table that does.
pub struct Core {
    pub key: &'static str,
    /// English label for the terminal.
    pub label: &'static str,
    /// (variable, category) pairs, any of which provides it.
    pub provided_by: &'static [(&'static str, Option<&'static str>)],
    /// Without it `build` stops (population divides every per-inhabitant figure, the area every
    /// share and per-hectare figure).
    pub required: bool,
    /// The table to download, with its code where it is verified: against an original download
    /// (`../shared/data/regionalstatistik/`, `inputs/statistics/`, `tests/fixtures/known_tables/`), or
    /// for the municipal tables from 2011/2016 (33111-01-02-5, 31231-02-01-5) by the office's table
    /// address cited in public documentation and a user's download named by its code.
    pub table: &'static str,
}

/// The core variables, in the order they are printed.
pub const CORE: &[Core] = &[
    Core {
        key: "population",
        label: "population",
        provided_by: &[("population", None)],
        required: true,
        table: "Regionalstatistik/GENESIS table 12411-01-01-5 \"Bevölkerungsstand: Bevölkerung nach \
                Geschlecht – Stichtag 31.12.\" (regional depth Gemeinden), as CSV",
    },
    Core {
        key: "area",
        label: "area and land use",
        provided_by: &[("land_area", Some("land_total"))],
        required: true,
        table: "Regionalstatistik/GENESIS table 33111-01-02-5 \"Bodenfläche nach Art der tatsächlichen \
                Nutzung – Stichtag 31.12.\" (ALKIS classes, from 2016; regional depth Gemeinden; until 2015: \
                33111-01-01-5), as CSV, XLSX or flat file",
    },
    Core {
        key: "renewables",
        label: "renewables",
        provided_by: &[("re_capacity", None), ("mastr_capacity", None)],
        required: false,
        table: "Marktstammdatenregister, unit list (Einheitenübersicht) of the electricity generation \
                units filtered to the municipality, exported as CSV",
    },
    Core {
        key: "buildings",
        label: "buildings",
        provided_by: &[("flats", Some("flats_total")), ("buildings", None)],
        required: false,
        table: "Regionalstatistik/GENESIS table 31231-02-01-5 \"Bestand an Wohngebäuden und Wohnungen in \
                Wohn- und Nichtwohngebäuden – Stichtag 31.12.\" (from 2011; regional depth Gemeinden; until \
                2010: 31231-01-02-5), as CSV, XLSX or flat file",
    },
];

/// The newest figure of a core variable for a member: year and file.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub year: i32,
    pub file: String,
}

/// One member's core variables, in the order of [`CORE`] (`None`: not found up to the year).
pub struct MemberCoverage<'a> {
    pub ags: &'a Ags,
    pub name: &'a str,
    pub found: Vec<Option<Found>>,
}

impl MemberCoverage<'_> {
    /// True if every required core variable was found.
    pub fn complete(&self) -> bool {
        CORE.iter().zip(&self.found).all(|(c, f)| !c.required || f.is_some())
    }

    /// One line for the terminal: `14729380 Thallwitz: population 2021 (statistics/…), area MISSING, …`.
    pub fn line(&self) -> String {
        let parts: Vec<String> = CORE
            .iter()
            .zip(&self.found)
            .map(|(c, f)| match f {
                Some(f) => format!("{} {} ({})", c.label, f.year, f.file),
                None if c.required => format!("{} MISSING", c.label),
                None => format!("{} not found", c.label),
            })
            .collect();
        format!("{} {}: {}", self.ags, self.name, parts.join("; "))
    }

    /// The errors for required variables that are missing: member, variable, table to download.
    pub fn gaps(&self, year: i32) -> Vec<String> {
        CORE.iter()
            .zip(&self.found)
            .filter(|(c, f)| c.required && f.is_none())
            .map(|(c, _)| {
                format!(
                    "{} ({}): no {} up to {year} in any input file; download the {} and put it into \
                     statistics/ (or run with --allow-incomplete to write the documents with the gap marked)",
                    self.name, self.ags, c.label, c.table
                )
            })
            .collect()
    }
}

/// Which core variables each member has, up to `year` (values only; a missing cell is not found).
pub fn coverage<'a>(
    obs: &[Observation],
    members: impl IntoIterator<Item = (&'a Ags, &'a str)>,
    year: i32,
) -> Vec<MemberCoverage<'a>> {
    let mut best: BTreeMap<(&Ags, usize), (crate::model::RefDate, &str)> = BTreeMap::new();
    for o in obs.iter().filter(|o| o.value.is_ok() && o.date.year <= year) {
        for (i, c) in CORE.iter().enumerate() {
            let provides = c
                .provided_by
                .iter()
                .any(|(v, cat)| o.variable == *v && cat.is_none_or(|cat| o.category.as_deref() == Some(cat)));
            if provides && best.get(&(&o.ags, i)).is_none_or(|(d, _)| *d <= o.date) {
                best.insert((&o.ags, i), (o.date, o.source.file.as_str()));
            }
        }
    }
    members
        .into_iter()
        .map(|(ags, name)| MemberCoverage {
            ags,
            name,
            found: (0..CORE.len())
                .map(|i| {
                    best.get(&(ags, i)).map(|(d, file)| Found {
                        year: d.year,
                        file: (*file).to_string(),
                    })
                })
                .collect(),
        })
        .collect()
}

/// The core variables of a member that are missing (keys of [`CORE`]), for marking gaps.
pub fn missing_keys(cov: &MemberCoverage<'_>) -> Vec<&'static str> {
    CORE.iter()
        .zip(&cov.found)
        .filter(|(_, f)| f.is_none())
        .map(|(c, _)| c.key)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{RefDate, Source};
    use std::sync::Arc;

    fn obs(ags: &str, variable: &str, category: Option<&str>, year: i32, file: &str) -> Observation {
        Observation {
            ags: Ags::parse(ags).unwrap(),
            variable: variable.into(),
            sector: None,
            category: category.map(str::to_string),
            date: RefDate::new(year, 12, 31).unwrap(),
            value: Ok(1.0),
            unit: String::new(),
            source: Arc::new(Source {
                file: file.into(),
                publisher: String::new(),
                title: String::new(),
                table: String::new(),
                licence: String::new(),
                attribution: String::new(),
                grade: crate::model::Grade::D,
            }),
            line: 2,
            flag: None,
        }
    }

    #[test]
    fn newest_figure_per_core_variable_and_the_gaps() {
        let a = Ags::parse("14729380").unwrap();
        let o = vec![
            obs("14729380", "population", None, 2018, "p18.csv"),
            obs("14729380", "population", None, 2021, "p21.csv"),
            obs("14729380", "population", None, 2030, "future.csv"),
            obs("14729380", "land_area", Some("veg_agri"), 2021, "area.csv"),
            obs("14729380", "re_capacity", Some("pv"), 2024, "re.csv"),
        ];
        let cov = coverage(&o, [(&a, "Thallwitz")], 2024);
        let c = &cov[0];
        assert_eq!(
            c.found[0],
            Some(Found {
                year: 2021,
                file: "p21.csv".into()
            })
        );
        assert_eq!(c.found[1], None, "a land-use class alone is not the area");
        assert!(c.found[2].is_some() && c.found[3].is_none());
        assert!(!c.complete());
        let gaps = c.gaps(2024);
        assert_eq!(gaps.len(), 1);
        assert!(gaps[0].contains("Thallwitz (14729380): no area and land use") && gaps[0].contains("33111-01-02-5"));
        assert_eq!(missing_keys(c), vec!["area", "buildings"]);
        assert!(c.line().contains("population 2021 (p21.csv)") && c.line().contains("area and land use MISSING"));
    }
}
