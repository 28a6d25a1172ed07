//! Municipal mergers: figures of the predecessors (Falkenhain and Hohburg before 2012) add up under
//! today's municipality (Lossatal), so a series runs back past the merger.
//!
//! Per file, for every variable, breakdown and date before the merger: if every predecessor has a
//! figure, their sum becomes an observation of the successor with the flag `merged`; if one of them
//! is missing, the sum is missing too (never a partial sum). Where the file already has a value
//! of the successor itself for that date (a table recomputed to today's boundaries), that value wins.
//! The successor's own `-` before the merger stays "did not exist" beside the merged sum. Shares,
//! rates and averages (unit `%`, `Prozent`, `… je …`, `…/…`) are not summed.

use std::collections::BTreeMap;

use super::registry::MunicipalChanges;
use super::FileReport;
use crate::model::{Ags, Missing, Observation, RefDate};

type Key = (Ags, String, Option<String>, Option<String>, RefDate);

pub fn merge_predecessors(
    changes: &MunicipalChanges,
    out: &mut Vec<Observation>,
    preds: Vec<Observation>,
    report: &mut FileReport,
) {
    if changes.formations.is_empty() {
        return;
    }
    // A successor that is also its own predecessor (a town absorbing neighbours keeps its key):
    // its own figures before the merger count as a predecessor's.
    let mut pool = preds;
    let mut kept = Vec::with_capacity(out.len());
    for o in out.drain(..) {
        match changes.formations.get(&o.ags) {
            Some(f) if f.predecessors.contains(&o.ags) && o.date < f.valid_from => pool.push(o),
            _ => kept.push(o),
        }
    }
    *out = kept;
    if pool.is_empty() {
        return;
    }

    let mut groups: BTreeMap<Key, Vec<Observation>> = BTreeMap::new();
    for o in pool {
        let successor = match changes.successor_of(&o.ags) {
            Some(f) => f,
            None => match changes.formations.get(&o.ags) {
                Some(f) => f,
                None => continue,
            },
        };
        if o.date >= successor.valid_from || !additive(&o.unit) {
            continue;
        }
        let key = (
            successor.ags.clone(),
            o.variable.clone(),
            o.sector.clone(),
            o.category.clone(),
            o.date,
        );
        groups.entry(key).or_default().push(o);
    }

    for ((successor, variable, sector, category, date), parts) in groups {
        let Some(f) = changes.formations.get(&successor) else {
            continue;
        };
        let complete = f.predecessors.iter().all(|p| parts.iter().any(|o| &o.ags == p));
        if !complete {
            continue;
        }
        let own_value = out.iter().any(|o| {
            o.ags == successor
                && o.variable == variable
                && o.sector == sector
                && o.category == category
                && o.date == date
                && o.value.is_ok()
        });
        if own_value {
            continue;
        }
        // One value per predecessor (the first, should a file repeat a row).
        let mut value: Result<f64, Missing> = Ok(0.0);
        for p in &f.predecessors {
            if let Some(o) = parts.iter().find(|o| &o.ags == p) {
                value = match (value, o.value) {
                    (Ok(a), Ok(b)) => Ok(a + b),
                    (Err(m), _) | (Ok(_), Err(m)) => Err(m),
                };
            }
        }
        let first = &parts[0];
        report.merged += 1;
        report.members.insert(successor.clone());
        out.push(Observation {
            ags: successor,
            variable,
            sector,
            category,
            date,
            value,
            unit: first.unit.clone(),
            source: first.source.clone(),
            line: parts.iter().map(|o| o.line).min().unwrap_or(first.line),
            flag: Some("merged".into()),
        });
    }
}

/// Only counts, areas, capacities and money add up; a share, a rate or an average of two
/// municipalities is not the sum of theirs (turnout 52 % and 55 % is not 107 %).
fn additive(unit: &str) -> bool {
    let u = unit.trim().to_lowercase();
    !(u == "%"
        || u.contains("prozent")
        || u.contains('/')
        || u.starts_with("je ")
        || u.contains(" je ")
        || u.contains(" pro ")
        || u.contains("index")
        || u.contains("=100"))
}
