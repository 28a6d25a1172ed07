//! The renewables section: installed capacity by technology at two dates, and PV per inhabitant
//! of every member.

use serde::Serialize;

use super::super::common::{
    alt_for, fig, members_figure_sources, members_with, source_line, Chart, ChartKey, SourceBook,
};
use super::super::Renderer;
use crate::chart::{self, PairedChart};
use crate::compute::{Facts, MemberFacts};
use crate::model::RefDate;

#[derive(Serialize)]
pub struct RenewablesView {
    pub date: String,
    pub previous_date: String,
    pub rows: Vec<CapacityRow>,
    pub refs: String,
}

/// Installed capacity of one technology.
#[derive(Serialize)]
pub struct CapacityRow {
    pub technology: String,
    /// Capacity at the earlier date (kW).
    pub previous_kw: String,
    /// Capacity at the later date (kW).
    pub kw: String,
    /// Capacity per inhabitant (kW).
    pub kw_per_inhabitant: String,
}

pub fn renewables_view(r: &Renderer, m: &MemberFacts, book: &mut SourceBook) -> Option<RenewablesView> {
    let x = m.renewables.as_ref()?;
    let refs = book.figure_refs(m, fig::RE_PV_KW);
    Some(RenewablesView {
        date: x.date.display(r.locale.style),
        previous_date: x.previous_date.map(|d| d.display(r.locale.style)).unwrap_or_default(),
        rows: x
            .capacities
            .iter()
            .map(|c| CapacityRow {
                technology: r.locale.label("technology", &c.technology),
                previous_kw: c
                    .previous_kw
                    .map(|v| r.locale.number(v, 0))
                    .unwrap_or_else(|| r.locale.text("no_data")),
                kw: r.locale.number(c.kw, 0),
                kw_per_inhabitant: c
                    .kw_per_inhabitant
                    .map(|v| r.locale.number(v, 3))
                    .unwrap_or_else(|| r.locale.text("no_data")),
            })
            .collect(),
        refs,
    })
}

pub fn re_chart(r: &Renderer, facts: &Facts, highlight: Option<&str>) -> Option<Chart> {
    let res = members_with(facts, |m| m.renewables.as_ref())?;
    let pop_src = facts.members.iter().find_map(|m| m.population.as_ref())?;
    let now = res.iter().map(|(_, x)| x.date).max();
    let prev = res.iter().filter_map(|(_, x)| x.previous_date).max();
    let per_inh = |m: &MemberFacts, kw: Option<f64>, date: Option<RefDate>| -> Option<f64> {
        Some(kw? / m.population.as_ref()?.for_date(date?)?.0)
    };
    let rows: Vec<(String, [Option<f64>; 2], bool)> = res
        .iter()
        .map(|(m, x)| {
            let pv = x.capacities.iter().find(|c| c.technology == "pv");
            (
                m.member.name.clone(),
                [
                    per_inh(m, pv.and_then(|c| c.previous_kw), x.previous_date),
                    per_inh(m, pv.map(|c| c.kw), Some(x.date)),
                ],
                highlight == Some(m.member.ags.as_str()),
            )
        })
        .collect();
    let series = [
        prev.map(|d| d.display(r.locale.style)).unwrap_or_default(),
        now.map(|d| d.display(r.locale.style)).unwrap_or_default(),
    ];
    let title = format!(
        "{} ({})",
        r.locale.text("chart_re_per_inhabitant"),
        series
            .iter()
            .filter(|d| !d.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(" / ")
    );
    let values: Vec<(String, String)> = rows
        .iter()
        .map(|(n, v, _)| {
            (
                n.clone(),
                v.iter()
                    .zip(&series)
                    .filter_map(|(v, s)| v.map(|v| format!("{s}: {}", r.locale.number(v, 2))))
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        })
        .collect();
    let svg = chart::paired(&PairedChart {
        style: r.locale.style,
        unit: r.locale.unit("kW/EW"),
        series,
        rows,
        decimals: 2,
    });
    let alt = alt_for(r, &title, &values);
    let mut sources = members_figure_sources(res.iter().map(|(m, _)| *m), fig::RE_PV_KW);
    sources.extend(pop_src.running.sources.iter().map(AsRef::as_ref));
    Some(Chart::new(
        ChartKey::PvPerInhabitant,
        svg,
        title,
        alt,
        source_line(&sources),
    ))
}
