//! The land sections: land use by class and land take, the land-use flux (sink) of a member with
//! its forest range, and the charts comparing members.

use serde::Serialize;

use super::super::common::{
    alt_for, bar_chart, fig, figure_sources, fill_text, members_figure_sources, members_with, source_line,
    title_at_latest, BarNumbers, Chart, ChartKey, SourceBook,
};
use super::super::Renderer;
use crate::chart::{self, Bar, StackedChart, LAND_COLOURS};
use crate::compute::{Facts, MemberFacts};
use crate::model::Source;

#[derive(Serialize)]
pub struct LandView {
    pub date: String,
    pub total: String,
    pub classes: Vec<LandClassRow>,
    pub land_take: String,
}

#[derive(Serialize)]
pub struct SinkView {
    pub date: String,
    pub rows: Vec<SinkRow>,
    pub total: String,
    pub refs: String,
    /// The forest range: the flux with the low and the high forest estimate.
    pub forest_range: Vec<ForestBoundRow>,
    /// Which split of agricultural land into cropland and grassland was used.
    pub split_note: String,
}

/// One land-use class.
#[derive(Serialize)]
pub struct LandClassRow {
    pub name: String,
    /// Area (ha).
    pub area: String,
    /// Share of the total area (%).
    pub share: String,
}

/// One land category on one soil and its flux.
#[derive(Serialize)]
pub struct SinkRow {
    pub category: String,
    pub soil: String,
    /// Area (ha).
    pub area: String,
    /// Flux per hectare (t CO2e/ha).
    pub flux_per_ha: String,
    /// Flux (t CO2e/a).
    pub flux: String,
}

/// One bound of the forest range.
#[derive(Serialize)]
pub struct ForestBoundRow {
    pub bound: String,
    pub period: String,
    /// Forest flux per hectare (t CO2e/ha).
    pub flux_per_ha: String,
    /// Forest flux (t CO2e/a).
    pub forest_flux: String,
    /// The member's total flux with this bound (t CO2e/a).
    pub total: String,
}

pub fn land_view(r: &Renderer, m: &MemberFacts) -> Option<LandView> {
    let l = m.land.as_ref()?;
    let land_take = match (l.land_take_ha_per_year, l.previous_date) {
        (Some(rate), Some(pd)) => fill_text(
            r,
            "land_take",
            &[
                ("from", pd.display(r.locale.style)),
                ("to", l.date.display(r.locale.style)),
                (
                    "rate",
                    format!("{}{}", if rate > 0.0 { "+" } else { "" }, r.locale.number(rate, 1)),
                ),
            ],
        ),
        _ => String::new(),
    };
    Some(LandView {
        date: l.date.display(r.locale.style),
        total: r.locale.number(l.total_ha, 0),
        classes: l
            .classes
            .iter()
            .map(|c| LandClassRow {
                name: r.locale.label("land_class", &c.id),
                area: r.locale.number(c.ha, 0),
                share: r.locale.number(c.share_pct, 1),
            })
            .collect(),
        land_take,
    })
}

pub fn sink_view(r: &Renderer, m: &MemberFacts, book: &mut SourceBook) -> Option<SinkView> {
    let s = m.sink.as_ref()?;
    let refs = book.figure_refs(m, fig::LAND_SINK_T);
    Some(SinkView {
        date: s.date.display(r.locale.style),
        rows: s
            .rows
            .iter()
            .map(|x| SinkRow {
                category: r.locale.label("land_category", &x.category),
                soil: r.locale.label("soil", &x.soil),
                area: r.locale.number(x.area_ha, 0),
                flux_per_ha: r.locale.number(x.t_per_ha, 2),
                flux: r.locale.number(x.t, 0),
            })
            .collect(),
        total: r.locale.number(s.total_t, 0),
        refs,
        forest_range: s
            .forest_range
            .iter()
            .map(|b| ForestBoundRow {
                bound: r.locale.label("forest_bound", &b.bound),
                period: b.period.clone(),
                flux_per_ha: r.locale.number(b.t_per_ha, 2),
                forest_flux: r.locale.number(b.forest_t, 0),
                total: r.locale.number(b.total_t, 0),
            })
            .collect(),
        split_note: match &s.state_split {
            Some((state, year)) => fill_text(
                r,
                "agri_split_state",
                &[("state", r.locale.label("state", state)), ("year", year.to_string())],
            ),
            None => r.locale.text("agri_split_national"),
        },
    })
}

pub fn land_use_chart(r: &Renderer, facts: &Facts, highlight: Option<&str>) -> Option<Chart> {
    let lands = members_with(facts, |m| m.land.as_ref())?;
    let ids: Vec<&str> = crate::compute::land::CLASSES.iter().map(|(id, _)| *id).collect();
    let segments = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (r.locale.label("land_class", id), LAND_COLOURS[i % LAND_COLOURS.len()]))
        .collect();
    let rows = lands
        .iter()
        .map(|(m, l)| {
            let shares = ids
                .iter()
                .map(|id| l.classes.iter().find(|c| c.id == *id).map_or(0.0, |c| c.share_pct))
                .collect();
            (m.member.name.clone(), shares, highlight == Some(m.member.ags.as_str()))
        })
        .collect();
    let svg = chart::stacked(&StackedChart {
        style: r.locale.style,
        absolute: None,
        segments,
        rows,
    });
    let title = title_at_latest(r, "chart_land_use", lands.iter().map(|(_, l)| l.date));
    let values: Vec<(String, String)> = lands
        .iter()
        .map(|(m, l)| {
            let parts = l
                .classes
                .iter()
                .map(|c| {
                    format!(
                        "{} {} %",
                        r.locale.label("land_class", &c.id),
                        r.locale.number(c.share_pct, 0)
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            (m.member.name.clone(), parts)
        })
        .collect();
    let alt = alt_for(r, &title, &values);
    let sources: Vec<&Source> = lands
        .iter()
        .filter_map(|(_, l)| l.categories.first().map(|c| c.2.as_ref()))
        .collect();
    Some(Chart::new(ChartKey::LandUse, svg, title, alt, source_line(&sources)))
}

pub fn sink_members_chart(r: &Renderer, facts: &Facts, highlight: Option<&str>) -> Option<Chart> {
    let sinks = members_with(facts, |m| m.sink.as_ref())?;
    let bars: Vec<Bar> = sinks
        .iter()
        .map(|(m, s)| Bar {
            label: m.member.name.clone(),
            value: s.total_t,
            highlight: highlight == Some(m.member.ags.as_str()),
            range: None,
        })
        .collect();
    let title = title_at_latest(r, "chart_sink_members", sinks.iter().map(|(_, s)| s.date));
    let numbers = BarNumbers {
        unit: "t CO2e/a",
        decimals: 0,
        alt_unit: Some(r.locale.unit("t CO2e/a")),
    };
    let sources = members_figure_sources(sinks.iter().map(|(m, _)| *m), fig::LAND_SINK_T);
    Some(bar_chart(r, ChartKey::SinkMembers, title, bars, &numbers, &sources))
}

pub fn sink_chart(r: &Renderer, m: &MemberFacts) -> Option<Chart> {
    let Some(s) = &m.sink else { return None };
    let bars: Vec<Bar> = s
        .rows
        .iter()
        .map(|row| Bar {
            label: format!(
                "{} ({})",
                r.locale.label("land_category", &row.category),
                r.locale.label("soil", &row.soil)
            ),
            value: row.t,
            highlight: false,
            range: None,
        })
        .collect();
    let title = format!(
        "{} – {} ({})",
        r.locale.text("chart_sink"),
        m.member.name,
        s.date.display(r.locale.style)
    );
    let numbers = BarNumbers {
        unit: "t CO2e/a",
        decimals: 0,
        alt_unit: None,
    };
    let sources = figure_sources(m, fig::LAND_SINK_T);
    Some(bar_chart(r, ChartKey::Sink, title, bars, &numbers, &sources))
}
