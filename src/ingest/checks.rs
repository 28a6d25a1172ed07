//! Checks on what was read: one file giving two values for the same thing (an error), and
//! warnings for missing values, implausible values and figures older than the reporting year.

use std::collections::{BTreeMap, BTreeSet};

use super::plausible::{Concern, DataWarning};
use crate::error::InputError;
use crate::model::{Ags, Missing, Observation, RefDate};

/// `check` warns when a member's newest figure of a variable (up to the reporting year) is older
/// than the reporting year by more than this many years. Five years: BISKO balances are redone
/// every few years and the land survey is annual, so anything older has most likely been superseded
/// by a newer download.
pub const STALE_AFTER_YEARS: i32 = 5;

/// A municipality's area is below this (Germany's largest, Gardelegen, has 63,200 ha).
const MAX_MUNICIPAL_AREA_HA: f64 = 1_000_000.0;
/// A municipality's population is below this (Berlin has 3.9 million).
const MAX_MUNICIPAL_POPULATION: f64 = 10_000_000.0;

/// One file giving two different values for the same member, variable, breakdown and date on two
/// different lines is an error: the program cannot tell which is right.
pub fn duplicates_in_file(rel: &str, obs: &[Observation]) -> Result<(), InputError> {
    type Key<'a> = (&'a Ags, &'a str, &'a Option<String>, &'a Option<String>, RefDate);
    let mut seen: BTreeMap<Key<'_>, &Observation> = BTreeMap::new();
    for o in obs {
        let key = (&o.ags, o.variable.as_str(), &o.sector, &o.category, o.date);
        if let Some(prev) = seen.insert(key, o) {
            if prev.line == o.line || o.flag.as_deref() == Some("merged") || prev.flag.as_deref() == Some("merged") {
                continue;
            }
            let same = match (prev.value, o.value) {
                (Ok(a), Ok(b)) => (a - b).abs() <= 1e-9 * a.abs().max(1.0),
                (a, b) => a == b,
            };
            if !same {
                return Err(InputError::new(
                    rel,
                    format!(
                        "duplicate row: AGS {} {} {} is {} on line {} and {} here",
                        o.ags,
                        o.variable,
                        o.date.display(crate::format::Style::German),
                        show(prev.value),
                        prev.line,
                        show(o.value)
                    ),
                    "keep one of the two rows (the file was probably pasted together from two downloads)",
                )
                .at(o.line));
            }
        }
    }
    Ok(())
}

fn show(v: Result<f64, Missing>) -> String {
    match v {
        Ok(v) => format!("{v}"),
        Err(m) => format!("missing ({m:?})"),
    }
}

/// Per file: how many member cells are missing, by symbol; and how many are "did not exist".
pub fn missing_summary(rel: &str, obs: &[Observation]) -> Vec<String> {
    let mut by_kind: BTreeMap<&'static str, BTreeSet<&str>> = BTreeMap::new();
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for o in obs {
        let Err(m) = o.value else { continue };
        let kind = match m {
            Missing::NotExisting => continue,
            Missing::Unknown => "`.` unknown",
            Missing::Locked => "`x` locked",
            Missing::NotYetAvailable => "`...` not yet available",
            Missing::TooUncertain => "`/` too uncertain",
            Missing::Empty => "empty",
        };
        *counts.entry(kind).or_default() += 1;
        by_kind.entry(kind).or_default().insert(o.variable.as_str());
    }
    if counts.is_empty() {
        return Vec::new();
    }
    let total: usize = counts.values().sum();
    let parts: Vec<String> = counts
        .iter()
        .map(|(k, n)| {
            let vars: Vec<&str> = by_kind[k].iter().copied().take(4).collect();
            let more = if by_kind[k].len() > 4 { ", …" } else { "" };
            format!("{n} {k} ({}{more})", vars.join(", "))
        })
        .collect();
    vec![format!(
        "{rel}: {total} member value(s) missing: {}; shown as “no data”, never as zero",
        parts.join("; ")
    )]
}

/// Values that cannot be right: a negative area, count or capacity, a share over 100 %, an area
/// or population no municipality has, a land-use class larger than the municipality. Variables
/// the plausibility table covers (`covered`) get only the land-class check here; the table's
/// ranges apply to them (see `plausible`). Typed, for the terminal and the documents' quality notes.
pub fn plausibility(obs: &[Observation], covered: impl Fn(&str) -> bool) -> Vec<DataWarning> {
    let mut out = Vec::new();
    let mut totals: BTreeMap<(&Ags, RefDate, &str), f64> = BTreeMap::new();
    for o in obs {
        if o.variable == "land_area" && o.category.as_deref() == Some("land_total") {
            if let Ok(v) = o.value {
                totals.insert((&o.ags, o.date, o.source.file.as_str()), v);
            }
        }
    }
    for o in obs {
        let Ok(v) = o.value else { continue };
        let ranged = !covered(&o.variable);
        let unit = o.unit.to_lowercase();
        let is_share = unit == "%" || unit == "prozent";
        let is_area = unit == "ha" || unit == "km²" || unit == "qm" || o.variable.contains("area");
        let is_count = matches!(unit.as_str(), "anzahl" | "personen" | "kw" | "mw" | "kwh" | "mwh")
            || o.variable.starts_with("population")
            || o.variable.contains("capacity");
        if ranged && v < 0.0 && (is_share || is_area || is_count) {
            out.push(DataWarning::of(o, v, Concern::Negative));
        }
        if ranged && is_share && v > 100.0 {
            out.push(DataWarning::of(o, v, Concern::ShareOver100));
        }
        if ranged && unit == "ha" && v > MAX_MUNICIPAL_AREA_HA {
            let limit = MAX_MUNICIPAL_AREA_HA;
            out.push(DataWarning::of(o, v, Concern::AboveAny { limit }));
        }
        if ranged && o.variable.starts_with("population") && v > MAX_MUNICIPAL_POPULATION {
            let limit = MAX_MUNICIPAL_POPULATION;
            out.push(DataWarning::of(o, v, Concern::AboveAny { limit }));
        }
        if o.variable == "land_area" && o.category.as_deref() != Some("land_total") {
            if let Some(&total) = totals.get(&(&o.ags, o.date, o.source.file.as_str())) {
                if total > 0.0 && v > total * 1.0001 {
                    out.push(DataWarning::of(o, v, Concern::ClassOverTotal { total }));
                }
            }
        }
    }
    out
}

/// Members that would get a document without a single figure: an AGS that no input file has (a
/// typo, or a municipality that does not exist), or a reporting year before all data. One message
/// per member, naming it and the year; the caller treats them as errors.
pub fn without_data<'a>(
    obs: &[Observation],
    members: impl IntoIterator<Item = (&'a Ags, &'a str)>,
    year: i32,
) -> Vec<String> {
    // Per member: any observation at all, and the first year with a value.
    let mut first: BTreeMap<&Ags, Option<i32>> = BTreeMap::new();
    for o in obs {
        let e = first.entry(&o.ags).or_insert(None);
        if o.value.is_ok() {
            *e = Some(e.map_or(o.date.year, |y| y.min(o.date.year)));
        }
    }
    let mut out = Vec::new();
    for (ags, name) in members {
        match first.get(ags) {
            None => out.push(format!(
                "member {name} ({ags}): no input file has a figure for AGS {ags}; its documents would be empty — \
                 check the AGS in partnership.toml (8 digits, e.g. 14729410) or add the member's data"
            )),
            Some(None) => out.push(format!(
                "member {name} ({ags}): every figure for AGS {ags} is missing (office symbols or empty cells); \
                 its documents would be empty"
            )),
            Some(Some(y)) if *y > year => out.push(format!(
                "member {name} ({ags}): reporting year {year} is before all data (the first figure is from {y}); \
                 its documents would be empty — choose --year {y} or later"
            )),
            Some(Some(_)) => {}
        }
    }
    out
}

/// Variables whose newest figure (up to `year`) is more than `max_age` years older than `year`,
/// one line per variable naming the members and the year.
pub fn stale(obs: &[Observation], members: &BTreeSet<Ags>, year: i32, max_age: i32) -> Vec<String> {
    let mut newest: BTreeMap<(&str, &Ags), i32> = BTreeMap::new();
    for o in obs {
        // Only the variables the documents use (named in variables.csv or by a reader), not the
        // raw columns of tables nobody mapped (`12411-02-03-5:…`).
        if o.value.is_err() || o.date.year > year || !members.contains(&o.ags) || o.variable.contains(':') {
            continue;
        }
        let e = newest.entry((o.variable.as_str(), &o.ags)).or_insert(o.date.year);
        *e = (*e).max(o.date.year);
    }
    let mut by_var: BTreeMap<&str, Vec<(&Ags, i32)>> = BTreeMap::new();
    for ((var, ags), y) in newest {
        if year - y > max_age {
            by_var.entry(var).or_default().push((ags, y));
        }
    }
    by_var
        .into_iter()
        .map(|(var, list)| {
            let years: BTreeSet<i32> = list.iter().map(|(_, y)| *y).collect();
            let who = if list.len() == members.len() && years.len() == 1 {
                format!("all {} members ({})", list.len(), years.first().copied().unwrap_or(year))
            } else {
                list.iter()
                    .map(|(a, y)| format!("{a} ({y})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            format!(
                "{var}: the newest figure is more than {max_age} years older than the reporting year {year} for {who}; download a newer table"
            )
        })
        .collect()
}
