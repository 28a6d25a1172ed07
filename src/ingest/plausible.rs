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

    /// `variable,min,max,kind,unit,warn_above`; `#` lines are comments.
    pub fn parse(rel: &str, text: &str) -> Result<Rules, InputError> {
        let mut out = BTreeMap::new();
        let mut header = true;
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let l = raw.trim();
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let cells: Vec<&str> = l.split(',').map(str::trim).collect();
            if header {
                header = false;
                if cells != ["variable", "min", "max", "kind", "unit", "warn_above"] {
                    return Err(InputError::new(
                        rel,
                        format!("the header is `{l}`"),
                        "write the header variable,min,max,kind,unit,warn_above",
                    )
                    .at(line));
                }
                continue;
            }
            let bad = |col: &str, msg: String, hint: &str| InputError::new(rel, msg, hint).at(line).column(col);
            if cells.len() != 6 {
                return Err(bad(
                    "variable",
                    format!("{} cells instead of 6", cells.len()),
                    "write variable,min,max,kind,unit,warn_above",
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
                },
            );
        }
        Ok(Rules(out))
    }

    pub fn covers(&self, variable: &str) -> bool {
        self.0.contains_key(variable)
    }

    /// Errors (impossible values) and warnings (implausible ones) of the members' observations.
    pub fn check(&self, obs: &[Observation]) -> (Vec<InputError>, Vec<String>) {
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
            let at = if o.line > 0 {
                format!("{} line {}", o.source.file, o.line)
            } else {
                o.source.file.clone()
            };
            if rule.kind == Kind::Integer && v.fract() != 0.0 && o.flag.as_deref() != Some("merged") {
                let thousand = v * 1000.0;
                let hint = if v < 1000.0 && (thousand - thousand.round()).abs() < 1e-6 {
                    format!(
                        " — a German-formatted number (`{}` meaning {}) read with a decimal point? Write it without a thousands point",
                        show(v),
                        show(thousand.round())
                    )
                } else {
                    String::new()
                };
                warnings.push(format!("{at}: {about}, but {what} is a count (whole numbers){hint}"));
            }
            if let Some(w) = rule.warn_above.filter(|w| v > *w) {
                warnings.push(format!(
                    "{at}: {about}, more than {} — orders of magnitude above any municipality",
                    show(w)
                ));
            }
        }
        (errors, warnings)
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
            w[0].contains("line 5") && w[0].contains("3.548") && w[0].contains("3548"),
            "{w:?}"
        );
        let (e, w) = r.check(&[obs("population", 1e14, 5)]);
        assert!(e.is_empty() && w[0].contains("orders of magnitude"), "{w:?}");
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
}
