//! View models of the assessment system and the toolbox: ratings with trend, field scores,
//! recommendations with their reasons, measure status, and the catalogues for the handbook.

use serde::Serialize;

use super::Renderer;
use crate::compute::assessment::{Assessment, Trend};
use crate::compute::{Facts, MemberFacts};
use crate::format::fmt_number;
use crate::ingest::catalogues::{Catalogues, DataKind, Direction, Indicator, Measure};
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

#[derive(Serialize)]
pub struct AssessmentView {
    pub ratings: Vec<RatingRow>,
    /// Field name, score text, level (rounded), rated/total.
    pub fields: Vec<(String, String, u8, String)>,
    pub overall: String,
    pub missing: Vec<MissingRow>,
    pub recommendations: Vec<RecommendationRow>,
    pub status: Vec<StatusRow>,
    pub overdue: usize,
    pub done_effect: String,
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

fn unit(r: &Renderer, u: &str) -> String {
    r.locale.unit(u)
}

fn value_text(v: f64, u: &str) -> String {
    let d = if v.abs() >= 100.0 {
        0
    } else if v.abs() >= 10.0 {
        1
    } else {
        2
    };
    format!("{} {u}", fmt_number(v, d))
}

fn target_text(r: &Renderer, ind: &Indicator) -> String {
    match (ind.target, ind.target_year) {
        (Some(t), Some(y)) => format!(
            "{} {} ({y})",
            fmt_number(t, if t.abs() < 10.0 { 2 } else { 0 }),
            unit(r, &ind.unit)
        ),
        _ => String::new(),
    }
}

/// The reason a measure is recommended, in one sentence.
fn reason(r: &Renderer, cat: &Catalogues, m: &Measure, rec: &crate::compute::assessment::Recommendation) -> String {
    let mut parts = Vec::new();
    if let Some((id, level, value)) = &rec.weak_indicator {
        if let Some(ind) = cat.indicators.iter().find(|i| &i.id == id) {
            let vals = match (value, level) {
                (Some(v), Some(l)) => r.locale.fill(
                    "text",
                    "reason_rated",
                    &[("value", value_text(*v, &unit(r, &ind.unit))), ("level", l.to_string())],
                ),
                _ => r.locale.text("reason_no_data"),
            };
            parts.push(r.locale.fill(
                "text",
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
        parts.push(r.locale.fill(
            "text",
            "reason_potential",
            &[
                ("t", fmt_number(rec.potential_t, 0)),
                ("eligible", fmt_number(rec.eligible, 0)),
                ("basis", r.locale.label("basis", &m.basis)),
            ],
        ));
    }
    if let Some(c) = rec.cost_per_t.filter(|c| *c > 0.0) {
        parts.push(r.locale.fill("text", "reason_cost", &[("cost", fmt_number(c, 0))]));
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

pub fn assessment_view(
    r: &Renderer,
    facts: &Facts,
    cat: &Catalogues,
    m: &MemberFacts,
    a: &Assessment,
    status: &[MeasureStatus],
    limit: Option<usize>,
) -> AssessmentView {
    let ratings = cat
        .indicators
        .iter()
        .zip(&a.ratings)
        .map(|(ind, x)| RatingRow {
            field: field_name(cat, &ind.field),
            name: ind.name.clone(),
            value: x
                .value
                .map(|v| value_text(v, &unit(r, &ind.unit)))
                .unwrap_or_else(|| r.locale.text("no_data")),
            date: x.date.map(|d| d.display()).unwrap_or_default(),
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
        })
        .collect();
    let fields = cat
        .fields
        .iter()
        .zip(&a.fields)
        .map(|(f, s)| {
            (
                f.name.clone(),
                s.score
                    .map(|v| fmt_number(v, 1))
                    .unwrap_or_else(|| r.locale.text("no_data")),
                s.score.map_or(0, |v| v.round() as u8),
                format!("{}/{}", s.rated, s.total),
            )
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
    let recommendations = a
        .recommendations
        .iter()
        .take(limit.unwrap_or(usize::MAX))
        .enumerate()
        .filter_map(|(i, rec)| {
            let meas = cat.measures.iter().find(|x| x.id == rec.measure)?;
            Some(RecommendationRow {
                rank: i + 1,
                title: meas.title.clone(),
                field: field_name(cat, &meas.field),
                potential: if rec.potential_t > 0.0 {
                    fmt_number(rec.potential_t, 0)
                } else {
                    "–".into()
                },
                cost: rec
                    .cost_per_t
                    .filter(|c| *c > 0.0)
                    .map(|c| fmt_number(c, 0))
                    .unwrap_or_else(|| "–".into()),

                reason: reason(r, cat, meas, rec),
            })
        })
        .collect();
    let today = RefDate::end_of_year(facts.year);
    let mine: Vec<&MeasureStatus> = status.iter().filter(|s| s.ags == m.member.ags).collect();
    let mut done_effect = 0.0;
    let status_rows: Vec<StatusRow> = mine
        .iter()
        .filter_map(|s| {
            let meas = cat.measures.iter().find(|x| x.id == s.measure)?;
            let overdue = s.status != Status::Done && s.due.is_some_and(|d| d < today);
            let effect = match (s.status, s.quantity) {
                (Status::Done, Some(q)) => {
                    done_effect += -meas.effect * q;
                    format!(
                        "{} {}",
                        fmt_number(-meas.effect * q, 0),
                        r.locale.text("unit_t_per_year")
                    )
                }
                _ => String::new(),
            };
            Some(StatusRow {
                title: meas.title.clone(),
                status: r.locale.text(match s.status {
                    Status::Planned => "status_planned",
                    Status::InProgress => "status_in_progress",
                    Status::Done => "status_done",
                    Status::Delayed => "status_delayed",
                }),
                start: s.start.map(|d| d.display()).unwrap_or_default(),
                due: s.due.map(|d| d.display()).unwrap_or_default(),
                overdue,
                responsible: s.responsible.clone(),
                effect,
            })
        })
        .collect();
    AssessmentView {
        ratings,
        fields,
        overall: a
            .overall
            .map(|v| fmt_number(v, 1))
            .unwrap_or_else(|| r.locale.text("no_data")),
        missing,
        recommendations,
        overdue: status_rows.iter().filter(|s| s.overdue).count(),
        status: status_rows,
        done_effect: fmt_number(done_effect, 0),
    }
}

#[derive(Serialize)]
pub struct IndicatorDef {
    pub name: String,
    pub explanation: String,
    pub formula: String,
    pub unit: String,
    pub direction: String,
    pub target: String,
    pub target_source: String,
    pub levels: String,
    pub levels_source: String,
    pub weight: String,
    pub data: String,
}

#[derive(Serialize)]
pub struct MeasureEntry {
    pub title: String,
    pub description: String,
    pub actors: String,
    pub roles: String,
    pub applies: String,
    pub effect: String,
    pub effect_source: String,
    pub cost: String,
    pub cost_source: String,
    pub time: String,
    pub co_benefits: String,
    pub sources: String,
    pub assumption: String,
    pub compensation: bool,
    pub joint: bool,
}

#[derive(Serialize)]
pub struct CatalogueView {
    /// Field name and its indicators.
    pub indicators: Vec<(String, Vec<IndicatorDef>)>,
    /// Field name and its measures.
    pub measures: Vec<(String, Vec<MeasureEntry>)>,
    /// Field name, one score per member, partnership mean.
    pub scores: Vec<(String, Vec<String>, String)>,
    pub overall: (Vec<String>, String),
    pub joint: Vec<String>,
}

pub fn catalogue_view(r: &Renderer, facts: &Facts, cat: &Catalogues) -> CatalogueView {
    let indicators = cat
        .fields
        .iter()
        .map(|f| {
            let defs = cat
                .indicators
                .iter()
                .filter(|i| i.field == f.id)
                .map(|i| IndicatorDef {
                    name: i.name.clone(),
                    explanation: i.explanation.clone(),
                    formula: i.formula.clone(),
                    unit: unit(r, &i.unit),
                    direction: r.locale.text(if i.direction == Direction::Lower {
                        "lower_better"
                    } else {
                        "higher_better"
                    }),
                    target: target_text(r, i),
                    target_source: i.target_source.clone(),
                    levels: i
                        .levels
                        .iter()
                        .map(|v| fmt_number(*v, if v.abs() < 10.0 { 2 } else { 0 }))
                        .collect::<Vec<_>>()
                        .join(" | "),
                    levels_source: i.levels_source.clone(),
                    weight: fmt_number(i.weight, 1),
                    data: if i.data == DataKind::Local {
                        format!("{} ({})", r.locale.text("data_local"), i.supplier)
                    } else {
                        r.locale.text("data_public")
                    },
                })
                .collect();
            (f.name.clone(), defs)
        })
        .collect();
    let measures = cat
        .fields
        .iter()
        .map(|f| {
            let entries = cat
                .measures
                .iter()
                .filter(|m| m.field == f.id)
                .map(|m| MeasureEntry {
                    title: m.title.clone(),
                    description: m.description.clone(),
                    actors: m
                        .actors
                        .iter()
                        .map(|a| r.locale.label("actor", a))
                        .collect::<Vec<_>>()
                        .join(", "),
                    roles: m
                        .roles
                        .iter()
                        .map(|x| {
                            r.locale.label(
                                "role",
                                match x {
                                    crate::model::Role::City => "city",
                                    crate::model::Role::Rural => "rural",
                                },
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                    applies: m.applies.clone(),
                    effect: format!(
                        "{} {} ({} {} {})",
                        fmt_number(m.effect, 2),
                        m.effect_unit,
                        r.locale.text("eligible_share"),
                        fmt_number(m.eligible_share * 100.0, 0),
                        "%"
                    ),
                    effect_source: m.effect_source.clone(),
                    cost: format!(
                        "{} {} {} · {} {} {}",
                        r.locale.text("investment"),
                        fmt_number(m.investment, 0),
                        m.cost_unit,
                        r.locale.text("running"),
                        fmt_number(m.running_cost, 0),
                        m.cost_unit
                    ),
                    cost_source: m.cost_source.clone(),
                    time: r.locale.fill(
                        "text",
                        "time_text",
                        &[
                            ("effect", fmt_number(m.years_to_effect, 0)),
                            ("life", fmt_number(m.lifetime_years, 0)),
                        ],
                    ),
                    co_benefits: m
                        .co_benefits
                        .iter()
                        .map(|c| r.locale.label("co_benefit", c))
                        .collect::<Vec<_>>()
                        .join(", "),
                    sources: m.sources.join("; "),
                    assumption: if m.assumption {
                        m.assumption_note.clone()
                    } else {
                        String::new()
                    },
                    compensation: m.compensation,
                    joint: m.joint,
                })
                .collect();
            (f.name.clone(), entries)
        })
        .collect();
    let pa = facts.region.assessment.as_ref();
    let scores = cat
        .fields
        .iter()
        .map(|f| {
            let per_member = facts
                .members
                .iter()
                .map(|m| {
                    m.assessment
                        .as_ref()
                        .and_then(|a| a.fields.iter().find(|x| x.field == f.id)?.score)
                        .map(|v| fmt_number(v, 1))
                        .unwrap_or_else(|| "–".into())
                })
                .collect();
            let mean = pa
                .and_then(|p| p.fields.iter().find(|x| x.field == f.id)?.score)
                .map(|v| fmt_number(v, 1))
                .unwrap_or_else(|| "–".into());
            (f.name.clone(), per_member, mean)
        })
        .collect();
    let overall = (
        facts
            .members
            .iter()
            .map(|m| {
                m.assessment
                    .as_ref()
                    .and_then(|a| a.overall)
                    .map(|v| fmt_number(v, 1))
                    .unwrap_or_else(|| "–".into())
            })
            .collect(),
        pa.and_then(|p| p.overall)
            .map(|v| fmt_number(v, 1))
            .unwrap_or_else(|| "–".into()),
    );
    let joint = pa
        .map(|p| {
            p.joint
                .iter()
                .filter_map(|id| cat.measures.iter().find(|m| &m.id == id).map(|m| m.title.clone()))
                .collect()
        })
        .unwrap_or_default();
    CatalogueView {
        indicators,
        measures,
        scores,
        overall,
        joint,
    }
}
