//! Maps of the members for the documents: emissions per inhabitant, rating score and the
//! offset potential per hectare. Members without a boundary get no map, and no empty frame; nor
//! does a document whose members include fewer than two with a boundary.

use super::super::common::{alt_for, fig, Chart, ChartKey};
use super::super::spread::{Legend, Spread};
use super::super::Renderer;
use crate::chart::map::{choropleth, Area, MapSpec};
use crate::compute::Facts;
use crate::ingest::geometry::Boundary;

/// Which value a map shows.
#[derive(Debug, Clone, Copy)]
pub enum Metric {
    GhgPerInhabitant,
    RatingScore,
    OffsetPerHa,
}

/// The map of one metric over `boundaries`, the member `highlight` outlined.
pub fn map(
    r: &Renderer,
    boundaries: &[Boundary],
    facts: &Facts,
    metric: Metric,
    highlight: Option<&str>,
) -> Option<Chart> {
    if boundaries.is_empty() {
        return None;
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
    let areas: Vec<Area> = boundaries
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
        return None;
    }
    let (key, title_key, unit, decimals) = match metric {
        Metric::GhgPerInhabitant => (ChartKey::MapGhg, "map_ghg", r.locale.unit("t CO2e/EW"), 1),
        Metric::RatingScore => (ChartKey::MapScore, "map_score", r.locale.text("score"), 1),
        Metric::OffsetPerHa => (ChartKey::MapOffset, "map_offset", r.locale.unit("t CO2e/(ha·a)"), 2),
    };
    let svg = choropleth(&MapSpec {
        style: r.locale.style,
        areas: areas.clone(),
        unit: unit.clone(),
        decimals,
        no_data: r.locale.text("no_data"),
    });
    let title = map_title(r, facts, metric, title_key, &areas);
    let values: Vec<(String, String)> = areas
        .iter()
        .map(|a| {
            (
                a.name.clone(),
                a.value
                    .map(|v| format!("{} {unit}", r.locale.number(v, decimals)))
                    .unwrap_or_else(|| r.locale.text("no_data")),
            )
        })
        .collect();
    let alt = format!("{} {}", r.locale.text("map_alt"), alt_for(r, &title, &values));
    Some(Chart::new(key, svg, title, alt, r.locale.text("map_source")))
}

/// The map's caption: what it shows, the years of the values (balance or land-survey years) and,
/// where it shows start balances, how far off they typically are.
fn map_title(r: &Renderer, facts: &Facts, metric: Metric, title_key: &str, areas: &[Area]) -> String {
    let shown: Vec<&crate::compute::MemberFacts> = facts
        .members
        .iter()
        .filter(|m| areas.iter().any(|a| a.name == m.member.name && a.value.is_some()))
        .collect();
    let mut legend = Legend::default();
    let years: Vec<i32> = match metric {
        Metric::GhgPerInhabitant => shown
            .iter()
            .filter_map(|m| {
                legend.add("total", Spread::of_member(m, fig::GHG_T_PER_INHABITANT));
                m.balance.as_ref().map(|b| b.date.year)
            })
            .collect(),
        Metric::OffsetPerHa => shown
            .iter()
            .filter_map(|m| m.land.as_ref().map(|l| l.date.year))
            .collect(),
        Metric::RatingScore => vec![facts.year],
    };
    let mut title = r.locale.text(title_key);
    if let (Some(lo), Some(hi)) = (years.iter().min(), years.iter().max()) {
        let span = if lo == hi {
            lo.to_string()
        } else {
            format!("{lo}–{hi}")
        };
        title = format!("{title}, {}", r.locale.fill("text", "map_years", &[("years", span)]));
    }
    if !legend.is_empty() {
        title = format!(
            "{title}. {}",
            legend.sentence(r, "range_mark_map").trim_end_matches('.')
        );
    }
    title
}
