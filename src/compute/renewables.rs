//! Installed renewable capacity (from the Marktstammdatenregister via per-AGS tables): per
//! technology, per inhabitant and its growth since the previous reference date.

use serde::Serialize;

use super::select::ObsIndex;
use super::{Figure, Note, Population};
use crate::model::{Ags, RefDate};

pub const TECHNOLOGIES: &[&str] = &["pv", "wind", "biomass", "hydro"];

#[derive(Debug, Clone, Serialize)]
pub struct Capacity {
    pub technology: String,
    pub kw: f64,
    pub previous_kw: Option<f64>,
    pub kw_per_inhabitant: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Renewables {
    pub date: RefDate,
    pub previous_date: Option<RefDate>,
    pub capacities: Vec<Capacity>,
    pub total_kw: f64,
    /// This part's figures; `member_facts` moves them into `MemberFacts::figures` (empty afterwards).
    pub figures: Vec<Figure>,
}

pub fn renewables(ags: &Ags, index: &ObsIndex<'_>, year: i32, pop: Option<&Population>) -> Option<Renewables> {
    let mut capacities = Vec::new();
    let mut figures = Vec::new();
    let mut date = None;
    let mut previous_date = None;
    for tech in TECHNOLOGIES {
        let Some(now) = index.latest(ags, "re_capacity", Some(tech), year) else {
            continue;
        };
        let kw = now.value.ok()?;
        date = date.max(Some(now.date));
        figures.push(Figure::from_obs(&format!("re_{tech}_kw"), now));
        let prev = index.previous(ags, "re_capacity", Some(tech), now.date.year);
        let mut per_inh = None;
        if let Some((inhabitants, pop_fig, note)) = pop.and_then(|p| p.for_date(now.date)) {
            let v = kw / inhabitants;
            per_inh = Some(v);
            if matches!(*tech, "pv" | "wind") {
                let mut f = Figure::derived(
                    &format!("{tech}_kw_per_inhabitant"),
                    v,
                    "kW/EW",
                    now.date,
                    &[now],
                    &pop_fig.sources,
                );
                f.note = note;
                figures.push(f);
            }
        }
        if let Some(prev) = prev {
            previous_date = previous_date.max(Some(prev.date));
            let pv = prev.value.unwrap_or(f64::NAN);
            if matches!(*tech, "pv" | "wind") && pv > 0.0 {
                figures.push(
                    Figure::derived(
                        &format!("{tech}_growth_pct"),
                        (kw - pv) / pv * 100.0,
                        "%",
                        now.date,
                        &[now, prev],
                        &[],
                    )
                    .with_note(Note::Between {
                        from: prev.date,
                        to: now.date,
                    }),
                );
            }
        }
        capacities.push(Capacity {
            technology: tech.to_string(),
            kw,
            previous_kw: prev.and_then(|p| p.value.ok()),
            kw_per_inhabitant: per_inh,
        });
    }
    let date = date?;
    let total_kw = capacities.iter().map(|c| c.kw).sum();
    Some(Renewables {
        date,
        previous_date,
        capacities,
        total_kw,
        figures,
    })
}
