//! The handbook's catalogue chapters: the indicator system, the toolbox of measures, and the field
//! scores of every member against the partnership mean.

use serde::Serialize;

use super::super::common::fill_text;
use super::super::Renderer;
use super::assessment::{target_text, unit};
use crate::compute::cost::{unit_cost, Economics};
use crate::compute::Facts;
use crate::ingest::catalogues::{Catalogues, DataKind, Direction, Indicator, Measure};
use crate::model::Role;

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

/// A field of action and its indicators.
#[derive(Serialize)]
pub struct FieldIndicators {
    pub field: String,
    pub indicators: Vec<IndicatorDef>,
}

/// A field of action and its measures.
#[derive(Serialize)]
pub struct FieldMeasures {
    pub field: String,
    pub measures: Vec<MeasureEntry>,
}

/// The score of one field: one per member (in the members' order) and the partnership mean.
#[derive(Serialize)]
pub struct ScoreRow {
    pub field: String,
    pub members: Vec<String>,
    pub mean: String,
}

/// The overall score: one per member and the partnership mean.
#[derive(Serialize)]
pub struct OverallRow {
    pub members: Vec<String>,
    pub mean: String,
}

#[derive(Serialize)]
pub struct CatalogueView {
    pub indicators: Vec<FieldIndicators>,
    pub measures: Vec<FieldMeasures>,
    pub scores: Vec<ScoreRow>,
    pub overall: OverallRow,
    pub joint: Vec<String>,
}

pub fn catalogue_view(r: &Renderer, facts: &Facts, cat: &Catalogues, economics: &Economics) -> CatalogueView {
    let indicators = per_field(cat, &cat.indicators, |i| &i.field, |i| indicator_def(r, i))
        .map(|(field, indicators)| FieldIndicators { field, indicators })
        .collect();
    let measures = per_field(cat, &cat.measures, |m| &m.field, |m| measure_entry(r, m, economics))
        .map(|(field, measures)| FieldMeasures { field, measures })
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
                        .map(|v| r.locale.number(v, 1))
                        .unwrap_or_else(|| "–".into())
                })
                .collect();
            let mean = pa
                .and_then(|p| p.fields.iter().find(|x| x.field == f.id)?.score)
                .map(|v| r.locale.number(v, 1))
                .unwrap_or_else(|| "–".into());
            ScoreRow {
                field: f.name.clone(),
                members: per_member,
                mean,
            }
        })
        .collect();
    let overall = OverallRow {
        members: facts
            .members
            .iter()
            .map(|m| {
                m.assessment
                    .as_ref()
                    .and_then(|a| {
                        let n = a.fields.iter().filter(|f| f.score.is_some()).count();
                        Some(format!("{} ({n}/{})", r.locale.number(a.overall?, 1), a.fields.len()))
                    })
                    .unwrap_or_else(|| "–".into())
            })
            .collect(),
        mean: pa
            .and_then(|p| p.overall)
            .map(|v| r.locale.number(v, 1))
            .unwrap_or_else(|| "–".into()),
    };
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

/// Each field's name with its entries (indicators or measures), in the catalogue's order of fields.
fn per_field<'a, T, V>(
    cat: &'a Catalogues,
    entries: &'a [T],
    field_of: impl Fn(&T) -> &str + 'a,
    view: impl Fn(&T) -> V + 'a,
) -> impl Iterator<Item = (String, Vec<V>)> + 'a {
    cat.fields.iter().map(move |f| {
        let views = entries.iter().filter(|e| field_of(e) == f.id).map(&view).collect();
        (f.name.clone(), views)
    })
}

fn indicator_def(r: &Renderer, i: &Indicator) -> IndicatorDef {
    IndicatorDef {
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
            .map(|v| r.locale.number(*v, if v.abs() < 10.0 { 2 } else { 0 }))
            .collect::<Vec<_>>()
            .join(" | "),
        levels_source: i.levels_source.clone(),
        weight: r.locale.number(i.weight, 1),
        data: if i.data == DataKind::Local {
            format!("{} ({})", r.locale.text("data_local"), i.supplier)
        } else {
            r.locale.text("data_public")
        },
    }
}

/// The locale's labels of some ids of one section, joined by commas.
fn labels(r: &Renderer, section: &str, ids: &[String]) -> String {
    ids.iter()
        .map(|id| r.locale.label(section, id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Investment, running cost and the cost model's net € per tonne (the same figure as in every
/// other table), with revenues where the measure earns money.
fn cost_line(r: &Renderer, m: &Measure, economics: &Economics) -> String {
    let c = unit_cost(m, economics);
    let mut s = format!(
        "{} {} {} · {} {} {}",
        r.locale.text("investment"),
        r.locale.number(m.investment, 0),
        m.cost_unit,
        r.locale.text("running"),
        r.locale.number(m.running_cost, 0),
        m.cost_unit
    );
    if c.opportunity > 0.0 || c.revenue > 0.0 || c.public_funding > 0.0 {
        s.push_str(&fill_text(
            r,
            "cost_line_economics",
            &[
                ("land", r.locale.number(c.opportunity, 0)),
                ("income", r.locale.number(c.revenue + c.public_funding, 0)),
                ("unit", m.cost_unit.clone()),
            ],
        ));
    }
    if let Some(t) = c.net_per_t {
        s.push_str(&fill_text(r, "cost_line_net", &[("net", r.locale.number(t, 0))]));
    }
    s
}

fn measure_entry(r: &Renderer, m: &Measure, economics: &Economics) -> MeasureEntry {
    MeasureEntry {
        title: m.title.clone(),
        description: m.description.clone(),
        actors: labels(r, "actor", &m.actors),
        roles: m
            .roles
            .iter()
            .map(|x| {
                r.locale.label(
                    "role",
                    match x {
                        Role::City => "city",
                        Role::Rural => "rural",
                    },
                )
            })
            .collect::<Vec<_>>()
            .join(", "),
        applies: m.applies.clone(),
        effect: format!(
            "{} {} ({} {})",
            r.locale.number(m.effect, 2),
            m.effect_unit,
            r.locale.text("eligible_share"),
            if m.eligible_share <= 1.0 {
                format!("{} %", r.locale.number(m.eligible_share * 100.0, 0))
            } else {
                fill_text(
                    r,
                    "units_per_basis",
                    &[
                        ("n", r.locale.number(m.eligible_share, 2)),
                        ("basis", r.locale.label("basis", &m.basis)),
                    ],
                )
            }
        ),
        effect_source: m.effect_source.clone(),
        cost: cost_line(r, m, economics),
        cost_source: m.cost_source.clone(),
        time: fill_text(
            r,
            "time_text",
            &[
                ("effect", r.locale.number(m.years_to_effect, 0)),
                ("life", r.locale.number(m.lifetime_years, 0)),
            ],
        ),
        co_benefits: labels(r, "co_benefit", &m.co_benefits),
        sources: m.sources.join("; "),
        assumption: if m.assumption {
            m.assumption_note.clone()
        } else {
            String::new()
        },
        compensation: m.compensation,
        joint: m.joint,
    }
}
