//! The plausibility layer: per canonical variable a range, a kind (integer count, share, real) and
//! a threshold for values orders of magnitude off. Impossible values (a negative count, a share
//! over 100 %, a population of 0 that would divide per-inhabitant figures, more electric cars than
//! cars) are input errors naming file, line and value; implausible ones (a fraction where a count
//! is expected, as when a German `3.548` is read in a comma-separated file, or a value far above
//! anything a municipality has) are warnings.
//!
//! The table is compiled in (`src/ingest/plausibility.csv`); `inputs/plausibility.csv`, if present,
//! replaces rows by variable.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::InputError;
use crate::model::{Ags, Observation, RefDate};

/// The optional table in `inputs/`.
pub const FILE: &str = "plausibility.csv";
const BUILT_IN: &str = include_str!("plausibility.csv");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Integer,
    Share,
    Real,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Max {
    None,
    Value(f64),
    /// Not above another variable of the same member and date.
    Variable(String),
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub min: Option<f64>,
    pub max: Max,
    pub kind: Kind,
    pub unit: String,
    pub warn_above: Option<f64>,
    /// How far (in %) a member's own figure may lie from the national per-municipality table's
    /// figure for the same date before it is a warning (`national_tolerance_pct`; empty: the `*`
    /// row's).
    pub national_tolerance_pct: Option<f64>,
}

/// A warning about one of a member's figures: for the terminal and the manifest (as text, see
/// `Display`) and, typed, for the documents' quality notes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DataWarning {
    pub ags: Ags,
    pub variable: String,
    pub category: Option<String>,
    pub date: RefDate,
    pub value: f64,
    /// The file (relative to `inputs/`) and line (0: unknown) the value comes from.
    pub file: String,
    pub line: usize,
    pub concern: Concern,
}

/// What is wrong with a figure.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub enum Concern {
    /// A fraction where a count is expected; `meant`: the whole number a German-formatted `3.548`
    /// read with a decimal point stood for.
    NotWhole { meant: Option<f64> },
    /// Above `limit`: orders of magnitude above any municipality.
    AboveAny { limit: f64 },
    /// The national per-municipality table gives `value` (file, line) for the same date, more than
    /// `tolerance_pct` away; `magnitude` where the two are an order of magnitude or more apart.
    National {
        file: String,
        line: usize,
        value: f64,
        tolerance_pct: f64,
        magnitude: Option<Magnitude>,
    },
    /// Another file gives another value for the same date; this one (read later) is used.
    Conflict { file: String, line: usize, value: f64 },
    /// An area, count or capacity below zero (variables outside the plausibility table).
    Negative,
    /// A share over 100 % (variables outside the plausibility table).
    ShareOver100,
    /// A land-use class larger than the municipality's total area (`total`, ha) in the same file.
    ClassOverTotal { total: f64 },
}

/// The likely cause of a figure an order of magnitude or more off the national table's.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub enum Magnitude {
    /// A factor of about 1000: a German thousands point read as a decimal point (or the reverse).
    GermanNumber,
    /// Another factor (own / national): another unit, or a shifted column.
    Factor(f64),
}

/// Ten: values this many times apart are "an order of magnitude" apart.
const ORDER_OF_MAGNITUDE: f64 = 10.0;
/// A thousands point misread as a decimal point (or a decimal comma as a thousands one) changes a
/// value by this factor.
const THOUSANDS: f64 = 1000.0;
/// The `variable` of the row that sets defaults (today the national tolerance) for variables
/// without their own.
const DEFAULT_ROW: &str = "*";
/// The prefix of the bundled national per-municipality tables.
pub const NATIONAL_DIR: &str = "statistics/national/";

impl DataWarning {
    pub fn of(o: &Observation, value: f64, concern: Concern) -> DataWarning {
        DataWarning {
            ags: o.ags.clone(),
            variable: o.variable.clone(),
            category: o.category.clone(),
            date: o.date,
            value,
            file: o.source.file.clone(),
            line: o.line,
            concern,
        }
    }

    /// The variable as messages name it: `land_area (land_total)` where the category differs.
    pub fn what(&self) -> String {
        match &self.category {
            Some(c) if *c != self.variable => format!("{} ({c})", self.variable),
            _ => self.variable.clone(),
        }
    }

    /// `file line N` (or the file alone when the line is unknown).
    fn at(file: &str, line: usize) -> String {
        if line > 0 {
            format!("{file} line {line}")
        } else {
            file.to_string()
        }
    }
}

impl std::fmt::Display for DataWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = self.what();
        let date = self.date.display(crate::format::Style::German);
        let about = format!("{what} of {} on {date} is {}", self.ags, show(self.value));
        let at = DataWarning::at(&self.file, self.line);
        match &self.concern {
            Concern::NotWhole { meant } => {
                write!(f, "{at}: {about}, but {what} is a count (whole numbers)")?;
                if let Some(m) = meant {
                    write!(
                        f,
                        " — a German-formatted number (`{}` meaning {}) read with a decimal point? Write it without a thousands point",
                        show(self.value),
                        show(*m)
                    )?;
                }
                Ok(())
            }
            Concern::AboveAny { limit } => write!(
                f,
                "{at}: {about}, more than {} — orders of magnitude above any municipality",
                show(*limit)
            ),
            Concern::National {
                file,
                line,
                value,
                tolerance_pct,
                magnitude,
            } => {
                write!(
                    f,
                    "{at}: {about}, but the national table {} gives {} ({} % apart, more than the {} % allowed by plausibility.csv)",
                    DataWarning::at(file, *line),
                    show(*value),
                    show(difference_pct(self.value, *value).round()),
                    show(*tolerance_pct)
                )?;
                match magnitude {
                    Some(Magnitude::GermanNumber) => write!(
                        f,
                        "; a factor of about 1000: likely a German-formatted number (thousands point read as a decimal point) — write it without a thousands point"
                    ),
                    Some(Magnitude::Factor(x)) => write!(
                        f,
                        "; an order of magnitude off (factor {}): likely another unit or a shifted column",
                        show((x * 100.0).round() / 100.0)
                    ),
                    None => Ok(()),
                }
            }
            Concern::Negative => write!(
                f,
                "{at}: {about}, negative; an area, count or capacity cannot be below zero"
            ),
            Concern::ShareOver100 => write!(f, "{at}: {about} %, a share over 100 %"),
            Concern::ClassOverTotal { total } => write!(
                f,
                "{at}: {about} ha, {} % of the municipality's {} ha",
                show((self.value / total * 100.0).round()),
                show(*total)
            ),
            Concern::Conflict { file, line, value } => write!(
                f,
                "{} {} {date}: {file} (line {line}) says {}, {} (line {}) says {}; the later file is used",
                self.ags,
                self.variable,
                show(*value),
                self.file,
                self.line,
                show(self.value)
            ),
        }
    }
}

/// How far `own` lies from `reference`, in % of the reference.
fn difference_pct(own: f64, reference: f64) -> f64 {
    if reference == 0.0 {
        return if own == 0.0 { 0.0 } else { f64::INFINITY };
    }
    ((own - reference) / reference).abs() * 100.0
}

/// Where two values an order of magnitude apart likely come from.
fn magnitude(own: f64, national: f64) -> Option<Magnitude> {
    if own <= 0.0 || national <= 0.0 {
        return None;
    }
    let ratio = own / national;
    if ratio < ORDER_OF_MAGNITUDE && ratio > 1.0 / ORDER_OF_MAGNITUDE {
        return None;
    }
    // Within a tenth of a power of ten of 1000 (either way): the thousands point.
    let off_thousand = (ratio.log10().abs() - THOUSANDS.log10()).abs();
    if off_thousand < 1.0 / ORDER_OF_MAGNITUDE {
        Some(Magnitude::GermanNumber)
    } else {
        Some(Magnitude::Factor(ratio))
    }
}

/// Rules by canonical variable.
#[derive(Debug, Clone, Default)]
pub struct Rules(pub BTreeMap<String, Rule>);

impl Rules {
    /// The built-in table, with the rows of `inputs/plausibility.csv` (if present) replacing its own.
    pub fn load(inputs: &Path) -> Result<Rules, InputError> {
        let mut rules = Rules::parse("(built-in plausibility table)", BUILT_IN)?;
        if inputs.join(FILE).exists() {
            let text = super::registry::read_text(inputs, FILE)?;
            rules.0.extend(Rules::parse(FILE, &text)?.0);
        }
        Ok(rules)
    }

    pub fn built_in() -> Rules {
        Rules::parse("", BUILT_IN).expect("the built-in plausibility table parses")
    }

    /// `variable,min,max,kind,unit,warn_above[,national_tolerance_pct]`; `#` lines are comments.
    pub fn parse(rel: &str, text: &str) -> Result<Rules, InputError> {
        let mut out = BTreeMap::new();
        let mut header = true;
        let mut columns = 6;
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let l = raw.trim();
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let cells: Vec<&str> = l.split(',').map(str::trim).collect();
            if header {
                header = false;
                const COLUMNS: [&str; 7] = [
                    "variable",
                    "min",
                    "max",
                    "kind",
                    "unit",
                    "warn_above",
                    "national_tolerance_pct",
                ];
                if cells != COLUMNS[..6] && cells != COLUMNS {
                    return Err(InputError::new(
                        rel,
                        format!("the header is `{l}`"),
                        "write the header variable,min,max,kind,unit,warn_above,national_tolerance_pct (the last column may be left out)",
                    )
                    .at(line));
                }
                columns = cells.len();
                continue;
            }
            let bad = |col: &str, msg: String, hint: &str| InputError::new(rel, msg, hint).at(line).column(col);
            if cells.len() != columns {
                return Err(bad(
                    "variable",
                    format!("{} cells instead of {columns}", cells.len()),
                    "write one cell per column of the header",
                ));
            }
            let number = |col: &str, s: &str| -> Result<Option<f64>, InputError> {
                if s.is_empty() {
                    return Ok(None);
                }
                match s.parse::<f64>() {
                    Ok(v) if v.is_finite() => Ok(Some(v)),
                    _ => Err(bad(
                        col,
                        format!("`{s}` is not a number"),
                        "write a plain number or leave it empty",
                    )),
                }
            };
            let kind = match cells[3] {
                "integer" => Kind::Integer,
                "share" => Kind::Share,
                "real" => Kind::Real,
                other => {
                    return Err(bad(
                        "kind",
                        format!("`{other}` is not a kind"),
                        "write integer, share or real",
                    ))
                }
            };
            let max = match cells[2] {
                "" if kind == Kind::Share => Max::Value(100.0),
                "" => Max::None,
                s if s.starts_with(|c: char| c.is_ascii_lowercase()) => Max::Variable(s.to_string()),
                s => Max::Value(number("max", s)?.unwrap_or(f64::INFINITY)),
            };
            let min = match number("min", cells[1])? {
                None if kind == Kind::Share => Some(0.0),
                m => m,
            };
            out.insert(
                cells[0].to_string(),
                Rule {
                    min,
                    max,
                    kind,
                    unit: cells[4].to_string(),
                    warn_above: number("warn_above", cells[5])?,
                    national_tolerance_pct: match cells.get(6) {
                        Some(c) => match number("national_tolerance_pct", c)? {
                            Some(t) if t < 0.0 => {
                                return Err(bad(
                                    "national_tolerance_pct",
                                    format!("`{c}` is negative"),
                                    "write a percentage of 0 or more, or leave it empty",
                                ))
                            }
                            t => t,
                        },
                        None => None,
                    },
                },
            );
        }
        Ok(Rules(out))
    }

    pub fn covers(&self, variable: &str) -> bool {
        self.0.contains_key(variable)
    }

    /// Errors (impossible values) and warnings (implausible ones) of the members' observations.
    pub fn check(&self, obs: &[Observation]) -> (Vec<InputError>, Vec<DataWarning>) {
        type Key<'a> = (&'a Ags, &'a str, &'a Option<String>, &'a Option<String>, RefDate);
        // The largest value of every variable per member, breakdown and date (for `max = variable`).
        let mut reference: BTreeMap<Key<'_>, f64> = BTreeMap::new();
        for o in obs {
            if let Ok(v) = o.value {
                let e = reference
                    .entry((&o.ags, o.variable.as_str(), &o.sector, &o.category, o.date))
                    .or_insert(v);
                *e = e.max(v);
            }
        }
        let (mut errors, mut warnings) = (Vec::new(), Vec::new());
        for o in obs {
            let Some(rule) = self.0.get(&o.variable) else { continue };
            let Ok(v) = o.value else { continue };
            let what = match &o.category {
                Some(c) if *c != o.variable => format!("{} ({c})", o.variable),
                _ => o.variable.clone(),
            };
            let about = format!(
                "{what} of {} on {} is {}",
                o.ags,
                o.date.display(crate::format::Style::German),
                show(v)
            );
            let error = |msg: String| {
                let mut e = InputError::new(
                    o.source.file.clone(),
                    msg,
                    "correct the value in the file, or delete it: a missing value is shown as “no data”",
                );
                if o.line > 0 {
                    e = e.at(o.line);
                }
                e
            };
            if !v.is_finite() {
                errors.push(error(format!("{about}, not a number")));
                continue;
            }
            if let Some(min) = rule.min.filter(|m| v < *m) {
                let why = if o.variable.starts_with("population") && min >= 1.0 {
                    " (per-inhabitant figures are divided by it)".to_string()
                } else {
                    String::new()
                };
                errors.push(error(format!("{about}; {what} cannot be below {}{why}", show(min))));
                continue;
            }
            match &rule.max {
                Max::Value(max) if v > *max => {
                    let unit = if rule.kind == Kind::Share { " %" } else { "" };
                    errors.push(error(format!(
                        "{about}{unit}; {what} cannot be above {}{unit}",
                        show(*max)
                    )));
                    continue;
                }
                Max::Variable(other) => {
                    if let Some(&limit) = reference.get(&(&o.ags, other.as_str(), &o.sector, &None, o.date)) {
                        if v > limit * (1.0 + 1e-9) {
                            errors.push(error(format!(
                                "{about}, more than the {other} of the same date ({}); a part cannot exceed its whole",
                                show(limit)
                            )));
                            continue;
                        }
                    }
                }
                _ => {}
            }
            if rule.kind == Kind::Integer && v.fract() != 0.0 && o.flag.as_deref() != Some("merged") {
                let thousand = v * THOUSANDS;
                let meant = (v < THOUSANDS && (thousand - thousand.round()).abs() < 1e-6).then(|| thousand.round());
                warnings.push(DataWarning::of(o, v, Concern::NotWhole { meant }));
            }
            if let Some(w) = rule.warn_above.filter(|w| v > *w) {
                warnings.push(DataWarning::of(o, v, Concern::AboveAny { limit: w }));
            }
        }
        (errors, warnings)
    }

    /// The tolerance of the cross-check with the national table for `variable`: its own row's,
    /// else the `*` row's; none: not cross-checked.
    fn tolerance(&self, variable: &str) -> Option<f64> {
        self.0
            .get(variable)
            .and_then(|r| r.national_tolerance_pct)
            .or_else(|| self.0.get(DEFAULT_ROW).and_then(|r| r.national_tolerance_pct))
    }

    /// Cross-checks a member's own statistics against the bundled national per-municipality table
    /// (`statistics/national/`): where both give a variable for the same member and date, a
    /// difference beyond the tolerance is a warning naming both files and values (and the likely
    /// cause where they are an order of magnitude apart).
    pub fn cross_check(&self, obs: &[Observation]) -> Vec<DataWarning> {
        type Key<'a> = (&'a Ags, &'a str, &'a Option<String>, &'a Option<String>, RefDate);
        let mut national: BTreeMap<Key<'_>, (&Observation, f64)> = BTreeMap::new();
        for o in obs.iter().filter(|o| o.source.file.starts_with(NATIONAL_DIR)) {
            if let Ok(v) = o.value {
                national.insert((&o.ags, o.variable.as_str(), &o.sector, &o.category, o.date), (o, v));
            }
        }
        let mut out = Vec::new();
        for o in obs.iter().filter(|o| !o.source.file.starts_with(NATIONAL_DIR)) {
            let (Ok(v), Some(tolerance)) = (o.value, self.tolerance(&o.variable)) else {
                continue;
            };
            let key = (&o.ags, o.variable.as_str(), &o.sector, &o.category, o.date);
            let Some(&(n, nv)) = national.get(&key) else { continue };
            if !v.is_finite() || !nv.is_finite() || difference_pct(v, nv) <= tolerance {
                continue;
            }
            out.push(DataWarning::of(
                o,
                v,
                Concern::National {
                    file: n.source.file.clone(),
                    line: n.line,
                    value: nv,
                    tolerance_pct: tolerance,
                    magnitude: magnitude(v, nv),
                },
            ));
        }
        out
    }
}

fn show(v: f64) -> String {
    format!("{v}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Grade, Source};
    use std::sync::Arc;

    fn obs(var: &str, v: f64, line: usize) -> Observation {
        Observation {
            ags: Ags::parse("14729030").unwrap(),
            variable: var.into(),
            sector: None,
            category: None,
            date: RefDate::end_of_year(2021),
            value: Ok(v),
            unit: String::new(),
            source: Arc::new(Source {
                file: "statistics/x.csv".into(),
                publisher: String::new(),
                title: String::new(),
                table: String::new(),
                licence: String::new(),
                attribution: String::new(),
                grade: Grade::C,
            }),
            line,
            flag: None,
        }
    }

    #[test]
    fn impossible_values_are_errors_with_file_line_and_value() {
        let r = Rules::built_in();
        let (e, _) = r.check(&[obs("population", 0.0, 4)]);
        assert_eq!(e.len(), 1);
        let s = e[0].to_string();
        assert!(
            s.contains("statistics/x.csv, line 4") && s.contains("is 0") && s.contains("divided"),
            "{s}"
        );
        let (e, _) = r.check(&[obs("recycling_rate_pct", 250.0, 7)]);
        assert!(e[0].to_string().contains("250 %"), "{}", e[0]);
        let (e, _) = r.check(&[obs("buildings", -3.0, 2)]);
        assert!(e[0].to_string().contains("is -3"), "{}", e[0]);
        let (e, _) = r.check(&[
            obs("municipal_fleet_vehicles", 10.0, 2),
            obs("municipal_fleet_ev", 40.0, 3),
        ]);
        assert_eq!(e.len(), 1);
        assert!(
            e[0].to_string().contains("line 3") && e[0].to_string().contains("is 40"),
            "{}",
            e[0]
        );
        let (e, w) = r.check(&[
            obs("municipal_fleet_vehicles", 10.0, 2),
            obs("municipal_fleet_ev", 4.0, 3),
        ]);
        assert!(e.is_empty() && w.is_empty());
    }

    #[test]
    fn implausible_values_are_warnings() {
        let r = Rules::built_in();
        let (e, w) = r.check(&[obs("population", 3.548, 5)]);
        assert!(e.is_empty());
        assert!(
            w[0].to_string().contains("line 5")
                && w[0].to_string().contains("3.548")
                && w[0].to_string().contains("3548"),
            "{w:?}"
        );
        let (e, w) = r.check(&[obs("population", 1e14, 5)]);
        assert!(
            e.is_empty() && w[0].to_string().contains("orders of magnitude"),
            "{w:?}"
        );
        let (e, w) = r.check(&[obs("land_area", 12.5, 5), obs("unknown_thing", -1.0, 1)]);
        assert!(e.is_empty() && w.is_empty());
    }

    #[test]
    fn inputs_table_replaces_rows_by_variable() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(FILE),
            "variable,min,max,kind,unit,warn_above\npopulation,100,,integer,Personen,\n",
        )
        .unwrap();
        let r = Rules::load(dir.path()).unwrap();
        assert_eq!(r.0["population"].min, Some(100.0));
        assert!(r.covers("land_area"));
        let (e, _) = r.check(&[obs("population", 50.0, 4)]);
        assert!(e[0].to_string().contains("cannot be below 100"), "{}", e[0]);
    }

    #[test]
    fn table_rows_are_checked() {
        let e = Rules::parse(
            "plausibility.csv",
            "variable,min,max,kind,unit,warn_above\nx,a,,real,,\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("line 2") && e.to_string().contains("`a`"), "{e}");
        let r = Rules::parse("p", "variable,min,max,kind,unit,warn_above\ns,,,share,%,\n").unwrap();
        assert_eq!(r.0["s"].max, Max::Value(100.0));
    }

    fn national(var: &str, v: f64, line: usize) -> Observation {
        let mut o = obs(var, v, line);
        let mut source = (*o.source).clone();
        source.file = format!("{NATIONAL_DIR}population_2021.csv");
        o.source = Arc::new(source);
        o
    }

    #[test]
    fn own_figures_are_cross_checked_with_the_national_table() {
        let r = Rules::built_in();
        assert_eq!(r.tolerance("population"), Some(5.0), "the `*` row's default");
        // Within the tolerance: nothing; the same file twice: nothing.
        assert!(r
            .cross_check(&[national("population", 5014.0, 4), obs("population", 5100.0, 9)])
            .is_empty());
        assert!(r.cross_check(&[national("population", 5014.0, 4)]).is_empty());
        // Beyond it: both files and values, the difference and the tolerance.
        let w = r.cross_check(&[national("population", 5014.0, 4), obs("population", 6000.0, 9)]);
        assert_eq!(w.len(), 1);
        let s = w[0].to_string();
        assert!(
            s.starts_with("statistics/x.csv line 9: population of 14729030 on 31.12.2021 is 6000")
                && s.contains("statistics/national/population_2021.csv line 4 gives 5014")
                && s.contains("20 % apart, more than the 5 %"),
            "{s}"
        );
        assert!(matches!(w[0].concern, Concern::National { magnitude: None, .. }));
        // A German `5.014` read as 5.014: a factor of 1000, named as the likely cause.
        let w = r.cross_check(&[national("population", 5014.0, 4), obs("population", 5.014, 9)]);
        assert!(w[0].to_string().contains("German-formatted number"), "{}", w[0]);
        // Another order of magnitude (hectares given in km²): the factor.
        let w = r.cross_check(&[national("land_area", 4681.0, 4), obs("land_area", 46.81, 9)]);
        assert!(
            matches!(w[0].concern, Concern::National { magnitude: Some(Magnitude::Factor(f)), .. } if (f - 0.01).abs() < 1e-9),
            "{:?}",
            w[0]
        );
        assert!(w[0].to_string().contains("factor 0.01"), "{}", w[0]);
        // A row's own tolerance wins over the default; 0 means any difference.
        let strict = Rules::parse(
            "p",
            "variable,min,max,kind,unit,warn_above,national_tolerance_pct\n*,,,real,,,5\npopulation,,,integer,,,0\n",
        )
        .unwrap();
        assert_eq!(
            strict
                .cross_check(&[national("population", 5014.0, 4), obs("population", 5015.0, 9)])
                .len(),
            1
        );
        // Without a `*` row and a row's tolerance: not cross-checked; the six-column table still reads.
        let old = Rules::parse("p", "variable,min,max,kind,unit,warn_above\npopulation,1,,integer,,\n").unwrap();
        assert!(old
            .cross_check(&[national("population", 5014.0, 4), obs("population", 6000.0, 9)])
            .is_empty());
        let e = Rules::parse(
            "p",
            "variable,min,max,kind,unit,warn_above,national_tolerance_pct\nx,,,real,,,-1\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("`-1` is negative"), "{e}");
    }
}
