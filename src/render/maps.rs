//! Maps of the members for the documents: emissions per inhabitant, rating score and the
//! offset potential per hectare. Members without a boundary get no map, and no empty frame; nor
//! does a document whose members include fewer than two with a boundary.

use super::views::{alt_for, ChartSet};
use super::Renderer;
use crate::chart::map::{choropleth, Area, MapSpec};
use crate::compute::Facts;
use crate::format::fmt_number;
use crate::ingest::ReferenceTables;

/// Which value a map shows.
#[derive(Debug, Clone, Copy)]
pub enum Metric {
    GhgPerInhabitant,
    RatingScore,
    OffsetPerHa,
}

pub fn map(
    r: &Renderer,
    data: &ReferenceTables,
    facts: &Facts,
    metric: Metric,
    highlight: Option<&str>,
    set: &mut ChartSet,
) {
    if data.boundaries.is_empty() {
        return;
    }
    let value = |ags: &str| -> Option<f64> {
        let m = facts.members.iter().find(|m| m.member.ags.as_str() == ags)?;
        match metric {
            Metric::GhgPerInhabitant => m.balance.as_ref()?.t_per_inhabitant,
            Metric::RatingScore => m.assessment.as_ref()?.overall,
            Metric::OffsetPerHa => {
                let c = facts
                    .region
                    .compensation
                    .as_ref()?
                    .members
                    .iter()
                    .find(|c| c.ags == ags)?;
                Some(c.removal_t / m.land.as_ref()?.total_ha)
            }
        }
    };
    let areas: Vec<Area> = data
        .boundaries
        .iter()
        .filter_map(|b| {
            let m = facts.members.iter().find(|m| m.member.ags == b.ags)?;
            Some(Area {
                name: m.member.name.clone(),
                rings: b.rings.clone(),
                value: value(b.ags.as_str()),
                highlight: highlight == Some(b.ags.as_str()),
            })
        })
        .collect();
    // A choropleth compares areas: a map of the member alone (in a national run only few members
    // have a boundary in the inputs) would be a figure that says nothing.
    if areas.len() < 2 {
        return;
    }
    let (key, title_key, unit, decimals) = match metric {
        Metric::GhgPerInhabitant => ("karte_thg", "map_ghg", r.locale.unit("t CO2e/EW"), 1),
        Metric::RatingScore => ("karte_bewertung", "map_score", r.locale.text("score"), 1),
        Metric::OffsetPerHa => ("karte_ausgleich", "map_offset", r.locale.unit("t CO2e/(ha·a)"), 2),
    };
    let svg = choropleth(&MapSpec {
        areas: areas.clone(),
        unit: unit.clone(),
        decimals,
        no_data: r.locale.text("no_data"),
    });
    let title = r.locale.text(title_key);
    let values: Vec<(String, String)> = areas
        .iter()
        .map(|a| {
            (
                a.name.clone(),
                a.value
                    .map(|v| format!("{} {unit}", fmt_number(v, decimals)))
                    .unwrap_or_else(|| r.locale.text("no_data")),
            )
        })
        .collect();
    let alt = format!("{} {}", r.locale.text("map_alt"), alt_for(r, &title, &values));
    set.add(key, svg, title, alt, r.locale.text("map_source"));
}
