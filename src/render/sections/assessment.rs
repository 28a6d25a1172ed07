//! The assessment sections: ratings with trend, field scores, recommendations with their reasons
//! and the status of adopted measures.

use serde::Serialize;

use super::super::common::fill_text;
use super::super::spread::{scope_of, Legend, Spread};
use super::super::Renderer;
use crate::compute::assessment::{Assessment, Rating, Recommendation, Trend};
use crate::compute::{Facts, MemberFacts};
use crate::ingest::catalogues::{Catalogues, DataKind, Indicator, Measure};
use crate::ingest::local::{MeasureStatus, Status};
use crate::model::RefDate;

#[derive(Serialize)]
pub struct RatingRow {
    pub field: String,
    pub name: String,
    pub value: String,
    pub date: String,
    /// 0 = no data, else 1–5.
    pub level: u8,
    pub level_text: String,
    pub trend: String,
    pub target: String,
    pub grade: String,
}

#[derive(Serialize)]
pub struct MissingRow {
    pub name: String,
    pub missing: String,
    pub supplier: String,
}

#[derive(Serialize)]
pub struct RecommendationRow {
    pub rank: usize,
    pub title: String,
    pub field: String,
    pub potential: String,
    pub cost: String,
    pub reason: String,
}

#[derive(Serialize)]
pub struct StatusRow {
    pub title: String,
    pub status: String,
    pub start: String,
    pub due: String,
    pub overdue: bool,
    pub responsible: String,
    pub effect: String,
}

/// The score of one field of action.
#[derive(Serialize)]
pub struct FieldScoreRow {
    pub name: String,
    /// The score, or "no data".
    pub score: String,
    /// The score rounded, 0 = no data, else 1–5.
    pub level: u8,
    /// Indicators rated / indicators of the field.
    pub rated: String,
}

#[derive(Serialize)]
pub struct AssessmentView {
    pub ratings: Vec<RatingRow>,
    pub fields: Vec<FieldScoreRow>,
    pub overall: String,
    /// What the overall score covers: "Gesamtwert aus 3 von 6 Handlungsfeldern".
    pub overall_label: String,
    pub missing: Vec<MissingRow>,
    pub recommendations: Vec<RecommendationRow>,
    pub status: Vec<StatusRow>,
    pub overdue: usize,
    pub done_effect: String,
    /// What the ranges of ratings computed from estimates mean (empty without such ratings).
    pub ratings_legend: String,
    /// What the ranges in the recommendations' potentials and reasons mean (empty without).
    pub recommendations_legend: String,
}

fn field_name(cat: &Catalogues, id: &str) -> String {
    cat.fields
        .iter()
        .find(|f| f.id == id)
        .map_or_else(|| id.to_string(), |f| f.name.clone())
}

fn level_text(r: &Renderer, level: Option<u8>) -> String {
    match level {
        Some(1) | Some(2) => r.locale.text("level_weak"),
        Some(3) => r.locale.text("level_medium"),
        Some(_) => r.locale.text("level_good"),
        None => r.locale.text("no_data"),
    }
}

pub(super) fn unit(r: &Renderer, u: &str) -> String {
    r.locale.unit(u)
}

fn value_text(r: &Renderer, v: f64, u: &str) -> String {
    let d = if v.abs() >= 100.0 {
        0
    } else if v.abs() >= 10.0 {
        1
    } else {
        2
    };
    format!("{} {u}", r.locale.number(v, d))
}

pub(super) fn target_text(r: &Renderer, ind: &Indicator) -> String {
    match (ind.target, ind.target_year) {
        (Some(t), Some(y)) => format!(
            "{} {} ({y})",
            r.locale.number(t, if t.abs() < 10.0 { 2 } else { 0 }),
            unit(r, &ind.unit)
        ),
        _ => String::new(),
    }
}

/// Where the effect counts: the member's own BISKO balance, elsewhere (grid), or a land sink; and
/// whether the sector cap cut it.
fn effect_split(r: &Renderer, rec: &Recommendation) -> String {
    let t = |v: f64| r.locale.number(v, 0);
    let mut s = if rec.own_t > 0.0 {
        fill_text(r, "reason_own", &[("t", t(rec.own_t))])
    } else if rec.elsewhere_t > 0.0 {
        fill_text(r, "reason_elsewhere", &[("t", t(rec.elsewhere_t))])
    } else {
        fill_text(r, "reason_removal", &[("t", t(rec.removal_t))])
    };
    if rec.capped {
        s.push_str(&r.locale.text("reason_capped"));
    }
    s
}

/// The reason a measure is recommended, in one sentence.
fn reason(r: &Renderer, cat: &Catalogues, member: &MemberFacts, m: &Measure, rec: &Recommendation) -> String {
    let mut parts = Vec::new();
    if let Some((id, level, value)) = &rec.weak_indicator {
        if let Some(ind) = cat.indicators.iter().find(|i| *i.id == **id) {
            let vals = match (value, level) {
                (Some(v), Some(l)) => fill_text(
                    r,
                    "reason_rated",
                    &[
                        ("value", {
                            // A value computed from an estimate carries its range, as in the table.
                            let text = value_text(r, *v, &unit(r, &ind.unit));
                            match formula_spread(member, &ind.formula) {
                                Some((_, s)) => s.approx(r, &text),
                                None => text,
                            }
                        }),
                        ("level", l.to_string()),
                    ],
                ),
                _ => r.locale.text("reason_no_data"),
            };
            parts.push(fill_text(
                r,
                "reason_indicator",
                &[
                    ("indicator", ind.name.clone()),
                    ("rating", vals),
                    ("field", field_name(cat, &ind.field)),
                ],
            ));
        }
    }
    if rec.potential_t > 0.0 {
        // A potential keyed to an estimated figure (e.g. a start balance's industry) is as uncertain.
        let spread = Spread::of_member(member, &m.basis);
        let approx = |text: String| match spread {
            Some(s) => s.approx(r, &text),
            None => text,
        };
        parts.push(fill_text(
            r,
            // "≈ … (±…)" replaces the "about" of a figure without a measured range.
            if spread.is_some() {
                "reason_potential_estimate"
            } else {
                "reason_potential"
            },
            &[
                ("t", approx(r.locale.number(rec.potential_t, 0))),
                ("eligible", approx(r.locale.number(rec.eligible, 0))),
                ("basis", r.locale.label("basis", &m.basis)),
            ],
        ));
        parts.push(effect_split(r, rec));
    }
    match rec.cost_per_t {
        Some(c) if c < 0.0 => parts.push(fill_text(r, "reason_saving", &[("saving", r.locale.number(-c, 0))])),
        Some(c) if c > 0.0 => {
            parts.push(fill_text(r, "reason_cost", &[("cost", r.locale.number(c, 0))]));
        }
        _ => {}
    }
    if rec.lifts_weak_field {
        parts.push(r.locale.text("reason_weak_field"));
    }
    if parts.is_empty() {
        parts.push(r.locale.text("reason_applies"));
    }
    let mut s = parts.join("; ");
    s.push('.');
    if m.assumption {
        s.push_str(&format!(" {}", r.locale.text("assumption_mark")));
    }
    s
}

/// The assessment sections of a member; `limit` keeps the first recommendations only (a briefing).
pub fn assessment_view(
    r: &Renderer,
    facts: &Facts,
    cat: &Catalogues,
    m: &MemberFacts,
    a: &Assessment,
    status: &[MeasureStatus],
    limit: Option<usize>,
) -> AssessmentView {
    let mut legend = Legend::default();
    let ratings = cat
        .indicators
        .iter()
        .zip(&a.ratings)
        .map(|(ind, x)| {
            let spread = x.value.and(formula_spread(m, &ind.formula));
            if let Some((scope, s)) = spread {
                legend.add(scope, Some(s));
            }
            rating_row(r, cat, ind, x, spread.map(|x| x.1))
        })
        .collect();
    let fields = cat
        .fields
        .iter()
        .zip(&a.fields)
        .map(|(f, s)| FieldScoreRow {
            name: f.name.clone(),
            score: s
                .score
                .map(|v| r.locale.number(v, 1))
                .unwrap_or_else(|| r.locale.text("no_data")),
            level: s.score.map_or(0, |v| v.round() as u8),
            rated: format!("{}/{}", s.rated, s.total),
        })
        .collect();
    let missing = cat
        .indicators
        .iter()
        .zip(&a.ratings)
        .filter(|(_, x)| x.value.is_none())
        .map(|(ind, x)| MissingRow {
            name: ind.name.clone(),
            missing: x.missing.join(", "),
            supplier: if ind.data == DataKind::Local {
                ind.supplier.clone()
            } else {
                r.locale.text("supplier_statistics")
            },
        })
        .collect();
    let recommendations_legend = recommendations_legend(r, cat, m, a, limit);
    let recommendations = a
        .recommendations
        .iter()
        .take(limit.unwrap_or(usize::MAX))
        .enumerate()
        .filter_map(|(i, rec)| recommendation_row(r, cat, m, i + 1, rec))
        .collect();
    let today = RefDate::end_of_year(facts.year);
    let mut done_effect = 0.0;
    let status_rows: Vec<StatusRow> = status
        .iter()
        .filter(|s| s.ags == m.member.ags)
        .filter_map(|s| {
            let meas = cat.measures.iter().find(|x| x.id == s.measure)?;
            let (row, effect) = status_row(r, meas, s, today);
            if let Some(e) = effect {
                done_effect += e;
            }
            Some(row)
        })
        .collect();
    AssessmentView {
        ratings,
        fields,
        overall: a
            .overall
            .map(|v| r.locale.number(v, 1))
            .unwrap_or_else(|| r.locale.text("no_data")),
        overall_label: fill_text(
            r,
            "overall_score_of",
            &[
                ("n", a.fields.iter().filter(|f| f.score.is_some()).count().to_string()),
                ("total", a.fields.len().to_string()),
            ],
        ),
        missing,
        recommendations,
        overdue: status_rows.iter().filter(|s| s.overdue).count(),
        status: status_rows,
        done_effect: r.locale.number(done_effect, 0),
        ratings_legend: legend.sentence(r, "range_mark_values"),
        recommendations_legend,
    }
}

/// What the ranges in the recommendations mean: the estimates their potentials are keyed to and
/// the estimated values of the weak indicators their reasons quote.
fn recommendations_legend(
    r: &Renderer,
    cat: &Catalogues,
    m: &MemberFacts,
    a: &Assessment,
    limit: Option<usize>,
) -> String {
    let mut legend = Legend::default();
    for rec in a.recommendations.iter().take(limit.unwrap_or(usize::MAX)) {
        if let Some(meas) = cat.measures.iter().find(|x| *x.id == *rec.measure) {
            if rec.potential_t > 0.0 {
                legend.add(scope_of(&meas.basis), Spread::of_member(m, &meas.basis));
            }
        }
        let weak = rec.weak_indicator.as_ref().filter(|(_, _, v)| v.is_some());
        if let Some(ind) = weak.and_then(|(id, _, _)| cat.indicators.iter().find(|i| *i.id == **id)) {
            if let Some((scope, s)) = formula_spread(m, &ind.formula) {
                legend.add(scope, Some(s));
            }
        }
    }
    legend.sentence(r, "range_mark_values")
}

/// The least certain estimate an indicator's formula uses (a start-balance figure of the member
/// named in it), with the scope of its measured error; `None` if it uses no estimate.
fn formula_spread<'a>(m: &'a MemberFacts, formula: &str) -> Option<(&'a str, Spread)> {
    let names: Vec<&str> = formula
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .collect();
    m.figures
        .iter()
        .filter(|f| names.contains(&f.id.as_str()))
        .filter_map(|f| Spread::of_figure(f).map(|s| (scope_of(&f.id), s)))
        .max_by(|a, b| a.1.median_pct.total_cmp(&b.1.median_pct))
}

fn rating_row(r: &Renderer, cat: &Catalogues, ind: &Indicator, x: &Rating, spread: Option<Spread>) -> RatingRow {
    RatingRow {
        field: field_name(cat, &ind.field),
        name: ind.name.clone(),
        value: x
            .value
            .map(|v| {
                let text = value_text(r, v, &unit(r, &ind.unit));
                match spread {
                    Some(s) => s.approx(r, &text),
                    None => text,
                }
            })
            .unwrap_or_else(|| r.locale.text("no_data")),
        date: x.date.map(|d| d.display(r.locale.style)).unwrap_or_default(),
        level: x.level.unwrap_or(0),
        level_text: level_text(r, x.level),
        trend: match x.trend {
            Some(Trend::Better) => r.locale.text("trend_better"),
            Some(Trend::Same) => r.locale.text("trend_same"),
            Some(Trend::Worse) => r.locale.text("trend_worse"),
            None => "–".into(),
        },
        target: target_text(r, ind),
        grade: if x.value.is_some() {
            x.grade.letter().to_string()
        } else {
            String::new()
        },
    }
}

fn recommendation_row(
    r: &Renderer,
    cat: &Catalogues,
    member: &MemberFacts,
    rank: usize,
    rec: &Recommendation,
) -> Option<RecommendationRow> {
    let meas = cat.measures.iter().find(|x| *x.id == *rec.measure)?;
    Some(RecommendationRow {
        rank,
        title: meas.title.clone(),
        field: field_name(cat, &meas.field),
        potential: if rec.potential_t > 0.0 {
            let text = r.locale.number(rec.potential_t, 0);
            match Spread::of_member(member, &meas.basis) {
                Some(s) => s.approx(r, &text),
                None => text,
            }
        } else {
            "–".into()
        },
        // Net of revenues: a measure that saves money shows a negative cost.
        cost: rec
            .cost_per_t
            .filter(|c| *c != 0.0)
            .map(|c| r.locale.number(c, 0))
            .unwrap_or_else(|| "–".into()),
        reason: reason(r, cat, member, meas, rec),
    })
}

/// The status of an adopted measure, and its effect (t CO2e/a) if it is done.
fn status_row(r: &Renderer, meas: &Measure, s: &MeasureStatus, today: RefDate) -> (StatusRow, Option<f64>) {
    let overdue = s.status != Status::Done && s.due.is_some_and(|d| d < today);
    let done = match (s.status, s.quantity) {
        (Status::Done, Some(q)) => Some(-meas.effect * q),
        _ => None,
    };
    let effect = done
        .map(|e| format!("{} {}", r.locale.number(e, 0), r.locale.text("unit_t_per_year")))
        .unwrap_or_default();
    let row = StatusRow {
        title: meas.title.clone(),
        status: r.locale.text(match s.status {
            Status::Planned => "status_planned",
            Status::InProgress => "status_in_progress",
            Status::Done => "status_done",
            Status::Delayed => "status_delayed",
        }),
        start: s.start.map(|d| d.display(r.locale.style)).unwrap_or_default(),
        due: s.due.map(|d| d.display(r.locale.style)).unwrap_or_default(),
        overdue,
        responsible: s.responsible.clone(),
        effect,
    };
    (row, done)
}
