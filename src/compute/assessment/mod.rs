//! The assessment system: indicators rated 1–5 against their levels, weighted scores per field of
//! action and overall, the trend against the previous year, and ranked measure recommendations
//! with a reason. Missing data is "no data", never zero.

use std::collections::BTreeMap;

use serde::Serialize;

use super::cost::UnitCost;
use super::select::ObsIndex;
use super::MemberFacts;
use crate::ingest::catalogues::{Catalogues, Direction, Indicator, Measure};
use crate::model::{Grade, RefDate, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    Better,
    Same,
    Worse,
}

#[derive(Debug, Clone, Serialize)]
pub struct Rating {
    pub indicator: std::sync::Arc<str>,
    pub field: std::sync::Arc<str>,
    pub value: Option<f64>,
    pub date: Option<RefDate>,
    /// 1 (worst) to 5 (best); `None` = no data.
    pub level: Option<u8>,
    pub previous_value: Option<f64>,
    pub previous_date: Option<RefDate>,
    pub trend: Option<Trend>,
    pub grade: Grade,
    /// Names used in the formula that had no value (what is missing).
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldScore {
    pub field: String,
    /// Weighted mean rating 1–5 of the rated indicators; `None` if none is rated.
    pub score: Option<f64>,
    pub rated: usize,
    pub total: usize,
}

pub mod recommend;

pub use recommend::{Group, Recommendation};

#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub ratings: Vec<Rating>,
    pub fields: Vec<FieldScore>,
    pub overall: Option<f64>,
    pub recommendations: Vec<Recommendation>,
}

/// Value of a name for a member: a computed figure, else a locally supplied variable.
pub fn lookup(m: &MemberFacts, index: &ObsIndex<'_>, year: i32, name: &str) -> Option<(f64, Option<RefDate>, Grade)> {
    if let Some(f) = m.figures.iter().find(|f| f.id == name) {
        return Some((f.value?, f.date, f.grade));
    }
    let o = index.latest(&m.member.ags, name, None, year)?;
    Some((o.value.ok()?, Some(o.date), o.grade()))
}

fn evaluate(
    ind: &Indicator,
    m: &MemberFacts,
    index: &ObsIndex<'_>,
    year: i32,
) -> (Option<f64>, Option<RefDate>, Grade, Vec<String>) {
    let Some(expr) = &ind.expr else {
        return (None, None, Grade::D, Vec::new());
    };
    let mut date = None;
    let mut grade = Grade::A;
    let mut missing = Vec::new();
    for v in expr.variables() {
        match lookup(m, index, year, &v) {
            Some((_, d, g)) => {
                date = date.max(d);
                grade = grade.worst(g);
            }
            None => missing.push(v),
        }
    }
    let value = expr
        .eval(&|name| lookup(m, index, year, name).map(|x| x.0))
        .filter(|v| v.is_finite());
    (value, date, grade, missing)
}

/// Rates one member. `previous` holds the member's facts computed for earlier years (for trends).
pub fn assess(
    m: &MemberFacts,
    previous: &BTreeMap<i32, MemberFacts>,
    index: &ObsIndex<'_>,
    cat: &Catalogues,
    costs: &[UnitCost],
    year: i32,
) -> Assessment {
    let ratings: Vec<Rating> = cat
        .indicators
        .iter()
        .map(|ind| {
            let (value, date, grade, missing) = evaluate(ind, m, index, year);
            let (previous_value, previous_date) = match (date.and_then(|d| previous.get(&(d.year - 1))), date) {
                (Some(p), Some(d)) => {
                    let (v, pd, _, _) = evaluate(ind, p, index, d.year - 1);
                    match pd {
                        Some(pd) if pd < d => (v, Some(pd)),
                        _ => (None, None),
                    }
                }
                _ => (None, None),
            };
            // Trends only between like figures: not from or to a start balance (an estimate moves
            // with its drivers, not with emissions), and not across different data grades.
            let uses_balance = ind.expr.as_ref().is_some_and(|e| {
                e.variables()
                    .iter()
                    .any(|v| v.starts_with("ghg_t") || v.starts_with("final_energy"))
            });
            let estimated = |f: &MemberFacts| f.balance.as_ref().is_some_and(|b| b.estimated_cells > 0);
            let comparable = !(uses_balance
                && (estimated(m) || date.and_then(|d| previous.get(&(d.year - 1))).is_some_and(estimated)));
            let trend = match (value, previous_value.filter(|_| comparable)) {
                (Some(v), Some(p)) => {
                    let rel = if p.abs() > f64::EPSILON {
                        (v - p) / p.abs()
                    } else {
                        v - p
                    };
                    Some(if rel.abs() < 0.01 {
                        Trend::Same
                    } else if (rel < 0.0) == (ind.direction == Direction::Lower) {
                        Trend::Better
                    } else {
                        Trend::Worse
                    })
                }
                _ => None,
            };
            Rating {
                indicator: ind.key.clone(),
                field: ind.field_key.clone(),
                value,
                date,
                level: value.map(|v| ind.rate(v)),
                previous_value,
                previous_date,
                trend,
                grade,
                missing,
            }
        })
        .collect();
    let fields: Vec<FieldScore> = cat
        .fields
        .iter()
        .map(|f| {
            let inds: Vec<(&Indicator, &Rating)> = cat
                .indicators
                .iter()
                .zip(&ratings)
                .filter(|(i, _)| i.field == f.id)
                .collect();
            let rated: Vec<(f64, f64)> = inds
                .iter()
                .filter_map(|(i, r)| Some((i.weight, f64::from(r.level?))))
                .collect();
            let w: f64 = rated.iter().map(|x| x.0).sum();
            FieldScore {
                field: f.id.clone(),
                score: (w > 0.0).then(|| rated.iter().map(|x| x.0 * x.1).sum::<f64>() / w),
                rated: rated.len(),
                total: inds.len(),
            }
        })
        .collect();
    let scored: Vec<(f64, f64)> = cat
        .fields
        .iter()
        .zip(&fields)
        .filter_map(|(f, s)| Some((f.weight, s.score?)))
        .collect();
    let wsum: f64 = scored.iter().map(|x| x.0).sum();
    let overall = (wsum > 0.0).then(|| scored.iter().map(|x| x.0 * x.1).sum::<f64>() / wsum);
    let recommendations = recommend::recommend(m, cat, costs, &ratings, &fields);
    Assessment {
        ratings,
        fields,
        overall,
        recommendations,
    }
}

/// Whether a measure applies to a member (role and rule).
pub fn applies(measure: &Measure, m: &MemberFacts) -> bool {
    super::compensation::applies(measure, m)
}

/// Partnership-wide: mean field scores over the members and joint measures (city and rural act
/// together), computed once.
#[derive(Debug, Clone, Serialize)]
pub struct PartnershipAssessment {
    pub fields: Vec<FieldScore>,
    pub overall: Option<f64>,
    pub joint: Vec<String>,
}

pub fn partnership(members: &[(&MemberFacts, &Assessment)], cat: &Catalogues) -> PartnershipAssessment {
    let fields = cat
        .fields
        .iter()
        .map(|f| {
            let scores: Vec<f64> = members
                .iter()
                .filter_map(|(_, a)| a.fields.iter().find(|x| x.field == f.id)?.score)
                .collect();
            FieldScore {
                field: f.id.clone(),
                score: (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64),
                rated: scores.len(),
                total: members.len(),
            }
        })
        .collect();
    let overall_scores: Vec<f64> = members.iter().filter_map(|(_, a)| a.overall).collect();
    let overall =
        (!overall_scores.is_empty()).then(|| overall_scores.iter().sum::<f64>() / overall_scores.len() as f64);
    let joint = cat
        .measures
        .iter()
        .filter(|x| x.joint)
        .filter(|x| {
            let city = members
                .iter()
                .any(|(m, _)| m.member.role == Role::City && applies(x, m));
            let rural = members
                .iter()
                .any(|(m, _)| m.member.role == Role::Rural && applies(x, m));
            city && rural
        })
        .map(|x| x.id.clone())
        .collect();
    PartnershipAssessment { fields, overall, joint }
}

/// Field scores by member, for comparison tables.
pub fn score_table(members: &[(&MemberFacts, &Assessment)]) -> BTreeMap<String, Vec<Option<f64>>> {
    let mut out: BTreeMap<String, Vec<Option<f64>>> = BTreeMap::new();
    for (_, a) in members {
        for f in &a.fields {
            out.entry(f.field.clone()).or_default().push(f.score);
        }
    }
    out
}
