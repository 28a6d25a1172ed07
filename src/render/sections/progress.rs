//! The progress section: the emission series, changes, trend, targets and budget, with the sector
//! history and the per-inhabitant target path as charts.

use serde::Serialize;

use super::super::common::{alt_for, fig, fill_text, Chart, ChartKey, Section};
use super::super::spread::{Legend, Spread};
use super::super::Renderer;
use crate::chart::{self, Line, LineChart, LineStyle, StackedChart, LAND_COLOURS};
use crate::compute::progress::{BudgetStatus, MethodBreak, Point, Progress, TargetStatus};
use crate::compute::MemberFacts;

#[derive(Serialize)]
pub struct ProgressView {
    pub points: Vec<PointRow>,
    pub change_previous: String,
    pub change_base: String,
    pub base_year: String,
    pub trend: String,
    /// How the verdicts are reached: a linear trend over which years (empty without a trend).
    pub verdict_method: String,
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
    /// The member's own target or the national path (locale words).
    pub scope: String,
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
        change_previous: change_text(r, p.change_previous_pct, p.previous_break.as_ref()),
        change_base: change_text(r, p.change_base_pct, p.base_break.as_ref()),
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
        verdict_method: verdict_method(r, p),
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

/// A change in %, or the method break that stands in for it.
fn change_text(r: &Renderer, pct: Option<f64>, method_break: Option<&MethodBreak>) -> String {
    match (pct, method_break) {
        (_, Some(b)) => fill_text(
            r,
            "change_method_break",
            &[("year", b.year.to_string()), ("method", break_method(r, b))],
        ),
        (Some(v), None) => r.locale.signed_pct(v),
        (None, None) => String::new(),
    }
}

/// "veröffentlichte Reihe statt BISKO-Bilanz".
fn break_method(r: &Renderer, b: &MethodBreak) -> String {
    fill_text(
        r,
        "method_instead",
        &[
            ("kind", kind_word(r, &b.kind)),
            ("latest", kind_word(r, &b.latest_kind)),
        ],
    )
}

fn kind_word(r: &Renderer, kind: &str) -> String {
    r.locale.text(if kind == "balance" {
        "point_balance"
    } else {
        "point_series"
    })
}

/// "Urteil aus dem linearen Trend der Werte je Einwohner 2011–2019 (5 Werte), fortgeschrieben bis
/// zum Zieljahr."
pub fn verdict_method(r: &Renderer, p: &Progress) -> String {
    p.trend_years
        .map(|(from, to, n)| {
            fill_text(
                r,
                "verdict_method",
                &[("from", from.to_string()), ("to", to.to_string()), ("n", n.to_string())],
            )
        })
        .unwrap_or_default()
}

/// The verdict on a target: on track, behind, no trend, or the method break of its base year.
pub fn verdict(r: &Renderer, t: &TargetStatus) -> String {
    if let Some(b) = &t.method_break {
        return fill_text(
            r,
            "verdict_method_break",
            &[("year", b.year.to_string()), ("method", break_method(r, b))],
        );
    }
    match t.on_track {
        Some(true) => r.locale.text("on_track"),
        Some(false) => r.locale.text("behind"),
        None => r.locale.text("no_trend"),
    }
}

/// The target as a phrase: "1,90 t CO₂e/Einw." or "−65 % gegenüber dem Basisjahr (… t)".
pub fn target_text(r: &Renderer, t: &TargetStatus, per_inh_unit: &str) -> String {
    if t.indicator == fig::GHG_T_PER_INHABITANT {
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
    }
}

/// "eigenes Ziel" or "Bundesziel (national)".
pub fn scope_word(r: &Renderer, national: bool) -> String {
    r.locale.text(if national { "target_national" } else { "target_own" })
}

fn point_row(r: &Renderer, x: &Point) -> PointRow {
    PointRow {
        year: x.year.to_string(),
        total_t: x.total_t.map(|v| r.locale.number(v, 0)).unwrap_or_else(|| "–".into()),
        per_inhabitant: x
            .per_inhabitant
            .map(|v| r.locale.number(v, 2))
            .unwrap_or_else(|| "–".into()),
        kind: kind_word(r, &x.kind),
    }
}

fn target_row(r: &Renderer, t: &TargetStatus, per_inh_unit: &str) -> TargetRow {
    let per_inhabitant = t.indicator == fig::GHG_T_PER_INHABITANT;
    let target = target_text(r, t, per_inh_unit);
    let unit = if per_inhabitant {
        per_inh_unit.to_string()
    } else {
        r.locale.unit("t CO2e")
    };
    TargetRow {
        scope: scope_word(r, t.national),
        year: t.year.to_string(),
        target,
        trend_at_target: t
            .trend_at_target
            .map(|v| format!("{} {unit}", r.locale.number(v, if per_inhabitant { 2 } else { 0 })))
            .unwrap_or_else(|| "–".into()),
        verdict: verdict(r, t),
        required_per_year: t
            .required_per_year
            .map(|v| format!("{} {unit}", r.locale.number(v, if per_inhabitant { 3 } else { 0 })))
            .unwrap_or_else(|| "–".into()),
        source: t.source.clone(),
    }
}

/// The short budget line of the briefing: the rest and the year it runs out.
pub fn budget_short(r: &Renderer, b: &BudgetStatus) -> String {
    let runs_out = match b.runs_out_year {
        Some(y) => fill_text(r, "budget_runs_out", &[("year", y.to_string())]),
        None => r.locale.text("budget_used_up"),
    };
    fill_text(
        r,
        "budget_short",
        &[
            ("from", b.from_year.to_string()),
            ("budget", r.locale.number(b.budget_t / 1e6, 1)),
            ("until", b.until_year.to_string()),
            ("remaining", r.locale.number(b.remaining_t / 1e6, 1)),
            ("runs_out", runs_out),
        ],
    )
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
    // A start balance among the points carries its typical error as an error bar.
    let spread = Spread::of_member(m, fig::GHG_T_PER_INHABITANT);
    let ranges: Vec<(f64, f64, f64)> = match (spread, &m.balance) {
        (Some(s), Some(b)) => p
            .points
            .iter()
            .filter(|x| x.kind == "balance" && x.year == b.date.year)
            .filter_map(|x| {
                let (lo, hi) = s.range(x.per_inhabitant?);
                Some((f64::from(x.year), lo, hi))
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut legend = Legend::default();
    if !ranges.is_empty() {
        legend.add("total", spread);
    }
    let mut lines = vec![Line {
        name: r.locale.text("actual"),
        points: actual.clone(),
        style: LineStyle::Actual,
        ranges,
    }];
    if path.len() > 1 {
        lines.push(Line {
            name: r.locale.text("target_path"),
            points: path,
            style: LineStyle::Target,
            ranges: Vec::new(),
        });
    }
    let mut title = format!("{} – {}", r.locale.text("chart_per_inhabitant_path"), m.member.name);
    if !legend.is_empty() {
        title = format!("{title}. {}", legend.caption(r));
    }
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

/// Targets and progress on page 1 of the briefing: every target that applies to the member (its
/// own and the national path, each saying which), the verdict with its method and the budget.
#[derive(Serialize)]
pub struct BriefingTargets {
    pub rows: Vec<BriefingTargetRow>,
    /// How the verdicts are reached (empty without a trend).
    pub method: String,
    /// Remaining budget and the year it runs out (empty without a budget).
    pub budget: String,
}

#[derive(Serialize)]
pub struct BriefingTargetRow {
    pub scope: String,
    pub year: String,
    pub target: String,
    pub verdict: String,
}

/// The briefing's target block from the member's progress (its target statuses, not recomputed);
/// a target without a status (no value for its base year) is listed with the reason there is no
/// verdict. `None` if no target applies.
pub fn briefing_targets(r: &Renderer, p: &crate::config::Partnership, m: &MemberFacts) -> Option<BriefingTargets> {
    let per_inh_unit = r.locale.unit("t CO2e/EW");
    let statuses: &[TargetStatus] = m.progress.as_ref().map_or(&[], |x| x.targets.as_slice());
    let rows: Vec<BriefingTargetRow> = p
        .targets_for(&m.member.ags)
        .into_iter()
        .filter(|t| m.progress.as_ref().is_none_or(|x| t.year > x.latest_year))
        .map(
            |t| match statuses.iter().find(|s| s.year == t.year && s.indicator == t.indicator) {
                Some(s) => BriefingTargetRow {
                    scope: scope_word(r, s.national),
                    year: s.year.to_string(),
                    target: target_text(r, s, &per_inh_unit),
                    verdict: verdict(r, s),
                },
                None => BriefingTargetRow {
                    scope: scope_word(r, t.ags.is_none()),
                    year: t.year.to_string(),
                    target: match t.base_year {
                        Some(base) => fill_text(
                            r,
                            "target_reduction_plain",
                            &[("pct", r.locale.number(t.value, 0)), ("base", base.to_string())],
                        ),
                        None => format!("{} {per_inh_unit}", r.locale.number(t.value, 2)),
                    },
                    verdict: match t.base_year {
                        Some(base) => fill_text(r, "target_no_base", &[("year", base.to_string())]),
                        None => r.locale.text("no_trend"),
                    },
                },
            },
        )
        .collect();
    if rows.is_empty() {
        return None;
    }
    let progress = m.progress.as_ref();
    Some(BriefingTargets {
        rows,
        method: progress.map(|x| verdict_method(r, x)).unwrap_or_default(),
        budget: progress
            .and_then(|x| x.budget.as_ref())
            .map(|b| budget_short(r, b))
            .unwrap_or_default(),
    })
}
