//! The progress section: the emission series, changes, trend, targets and budget, with the sector
//! history and the per-inhabitant target path as charts.

use serde::Serialize;

use super::super::common::{alt_for, fig, fill_text, Chart, ChartKey, Section};
use super::super::Renderer;
use crate::chart::{self, Line, LineChart, LineStyle, StackedChart, LAND_COLOURS};
use crate::compute::progress::{BudgetStatus, Point, Progress, TargetStatus};
use crate::compute::MemberFacts;

#[derive(Serialize)]
pub struct ProgressView {
    pub points: Vec<PointRow>,
    pub change_previous: String,
    pub change_base: String,
    pub base_year: String,
    pub trend: String,
    pub targets: Vec<TargetRow>,
    pub has_series: bool,
    pub budget: String,
}

/// One point of the emission series.
#[derive(Serialize)]
pub struct PointRow {
    pub year: String,
    /// Total emissions (t CO2e), `–` if unknown.
    pub total_t: String,
    /// Emissions per inhabitant (t CO2e), `–` if unknown.
    pub per_inhabitant: String,
    /// Own balance or published series (locale words).
    pub kind: String,
}

/// One target and where the trend leads.
#[derive(Serialize)]
pub struct TargetRow {
    pub year: String,
    pub target: String,
    /// The trend's value in the target year, `–` without a trend.
    pub trend_at_target: String,
    /// On track, behind, or no trend (locale words).
    pub verdict: String,
    /// The reduction needed per year to reach the target.
    pub required_per_year: String,
    pub source: String,
}

/// The progress section of a member with its charts (these only with a series of two points or more).
pub fn progress_view(r: &Renderer, m: &MemberFacts) -> Option<Section<ProgressView>> {
    let p = m.progress.as_ref()?;
    let per_inh_unit = r.locale.unit("t CO2e/EW");
    let view = ProgressView {
        points: p.points.iter().map(|x| point_row(r, x)).collect(),
        change_previous: p
            .change_previous_pct
            .map(|v| r.locale.signed_pct(v))
            .unwrap_or_default(),
        change_base: p.change_base_pct.map(|v| r.locale.signed_pct(v)).unwrap_or_default(),
        base_year: p.base_year.map(|y| y.to_string()).unwrap_or_default(),
        trend: p
            .trend_per_year
            .map(|v| {
                format!(
                    "{} {per_inh_unit}/{}",
                    r.locale.number(v, 3),
                    r.locale.text("year_short")
                )
            })
            .unwrap_or_default(),
        targets: p.targets.iter().map(|t| target_row(r, t, &per_inh_unit)).collect(),
        has_series: p.points.len() > 1,
        budget: p.budget.as_ref().map(|b| budget_text(r, b)).unwrap_or_default(),
    };
    let mut charts = Vec::new();
    if p.points.len() > 1 {
        charts.extend(history_chart(r, m, p));
        charts.extend(target_path_chart(r, m, p, &per_inh_unit));
    }
    Some(Section { view, charts })
}

fn point_row(r: &Renderer, x: &Point) -> PointRow {
    PointRow {
        year: x.year.to_string(),
        total_t: x.total_t.map(|v| r.locale.number(v, 0)).unwrap_or_else(|| "–".into()),
        per_inhabitant: x
            .per_inhabitant
            .map(|v| r.locale.number(v, 2))
            .unwrap_or_else(|| "–".into()),
        kind: r.locale.text(if x.kind == "balance" {
            "point_balance"
        } else {
            "point_series"
        }),
    }
}

fn target_row(r: &Renderer, t: &TargetStatus, per_inh_unit: &str) -> TargetRow {
    let per_inhabitant = t.indicator == fig::GHG_T_PER_INHABITANT;
    let target = if per_inhabitant {
        format!("{} {per_inh_unit}", r.locale.number(t.value, 2))
    } else {
        fill_text(
            r,
            "target_reduction",
            &[
                ("pct", r.locale.number(t.value, 0)),
                ("level", r.locale.number(t.level, 0)),
            ],
        )
    };
    let unit = if per_inhabitant {
        per_inh_unit.to_string()
    } else {
        r.locale.unit("t CO2e")
    };
    TargetRow {
        year: t.year.to_string(),
        target,
        trend_at_target: t
            .trend_at_target
            .map(|v| format!("{} {unit}", r.locale.number(v, if per_inhabitant { 2 } else { 0 })))
            .unwrap_or_else(|| "–".into()),
        verdict: match t.on_track {
            Some(true) => r.locale.text("on_track"),
            Some(false) => r.locale.text("behind"),
            None => r.locale.text("no_trend"),
        },
        required_per_year: t
            .required_per_year
            .map(|v| format!("{} {unit}", r.locale.number(v, if per_inhabitant { 3 } else { 0 })))
            .unwrap_or_default(),
        source: t.source.clone(),
    }
}

fn budget_text(r: &Renderer, b: &BudgetStatus) -> String {
    fill_text(
        r,
        "budget_text",
        &[
            ("from", b.from_year.to_string()),
            ("budget", r.locale.number(b.budget_t, 0)),
            ("until", b.until_year.to_string()),
            ("used", r.locale.number(b.used_t, 0)),
            ("remaining", r.locale.number(b.remaining_t, 0)),
            (
                "years",
                b.years_left
                    .map(|y| r.locale.number(y, 1))
                    .unwrap_or_else(|| "–".into()),
            ),
            ("source", b.source.clone()),
        ],
    )
}

/// Emissions by sector over the years (stacked, absolute); none with fewer than two years of sectors.
fn history_chart(r: &Renderer, m: &MemberFacts, p: &Progress) -> Option<Chart> {
    let mut segments: Vec<String> = Vec::new();
    for x in &p.points {
        for (s, _) in &x.sectors {
            if !segments.contains(s) {
                segments.push(s.clone());
            }
        }
    }
    let rows: Vec<(String, Vec<f64>, bool)> = p
        .points
        .iter()
        .filter(|x| !x.sectors.is_empty())
        .map(|x| {
            (
                x.year.to_string(),
                segments
                    .iter()
                    .map(|s| x.sectors.iter().find(|(k, _)| k == s).map_or(0.0, |(_, v)| v / 1000.0))
                    .collect(),
                false,
            )
        })
        .collect();
    if rows.len() <= 1 {
        return None;
    }
    let title = format!("{} – {}", r.locale.text("chart_sector_history"), m.member.name);
    let values: Vec<(String, String)> = rows
        .iter()
        .map(|(y, v, _)| (y.clone(), format!("{} kt", r.locale.number(v.iter().sum(), 0))))
        .collect();
    let svg = chart::stacked(&StackedChart {
        style: r.locale.style,
        absolute: Some("kt".into()),
        segments: segments
            .iter()
            .enumerate()
            .map(|(i, s)| {
                (
                    r.locale.label("sector_short", s),
                    LAND_COLOURS[[0, 2, 3, 5, 1, 4, 6][i % 7]],
                )
            })
            .collect(),
        rows,
    });
    let alt = alt_for(r, &title, &values);
    Some(Chart::new(ChartKey::History, svg, title, alt, series_source(r, p)))
}

/// Emissions per inhabitant against the target path; none without a value per inhabitant.
fn target_path_chart(r: &Renderer, m: &MemberFacts, p: &Progress, per_inh_unit: &str) -> Option<Chart> {
    let actual: Vec<(f64, f64)> = p
        .points
        .iter()
        .filter_map(|x| Some((f64::from(x.year), x.per_inhabitant?)))
        .collect();
    let &(ly, lv) = actual.last()?;
    let mut path = vec![(ly, lv)];
    path.extend(
        p.targets
            .iter()
            .filter(|t| t.indicator == fig::GHG_T_PER_INHABITANT)
            .map(|t| (f64::from(t.year), t.level)),
    );
    let mut lines = vec![Line {
        name: r.locale.text("actual"),
        points: actual.clone(),
        style: LineStyle::Actual,
    }];
    if path.len() > 1 {
        lines.push(Line {
            name: r.locale.text("target_path"),
            points: path,
            style: LineStyle::Target,
        });
    }
    let title = format!("{} – {}", r.locale.text("chart_per_inhabitant_path"), m.member.name);
    let values: Vec<(String, String)> = actual
        .iter()
        .map(|(y, v)| (format!("{y}"), r.locale.number(*v, 2)))
        .collect();
    let svg = chart::lines(&LineChart {
        style: r.locale.style,
        unit: per_inh_unit.to_string(),
        lines,
    });
    let alt = alt_for(r, &title, &values);
    Some(Chart::new(ChartKey::TargetPath, svg, title, alt, series_source(r, p)))
}

/// Where the emission series of a member comes from: the files of its published points, and this
/// program's own BISKO balance if it is one of the points.
fn series_source(r: &Renderer, p: &Progress) -> String {
    let mut parts: Vec<String> = p.sources.iter().map(|s| s.citation()).collect();
    if p.points.iter().any(|x| x.kind == "balance") {
        parts.push(r.locale.text("series_source"));
    }
    parts.join("; ")
}
