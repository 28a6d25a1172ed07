//! Writing results: every file appears whole (temp file in the same folder, then rename) or not
//! at all, so a failed run leaves earlier outputs untouched.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;

use crate::compute::Facts;

/// Writes `bytes` to `dir/name` atomically.
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".part")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    tmp.write_all(bytes).with_context(|| format!("cannot write {name}"))?;
    tmp.as_file().sync_all().ok();
    tmp.persist(dir.join(name))
        .with_context(|| format!("cannot move {name} into place in {}", dir.display()))?;
    Ok(())
}

/// One row of `indicators.csv` / `indicators.json`: a figure shown in the documents.
#[derive(Debug, Serialize)]
pub struct IndicatorRow {
    pub ags: String,
    pub name: String,
    pub indicator: String,
    pub label: String,
    pub year: Option<i32>,
    pub reference_date: String,
    pub value: Option<f64>,
    pub unit: String,
    pub source: String,
    pub quality: String,
    pub flag: String,
}

pub fn indicator_rows(facts: &Facts, label: impl Fn(&str) -> String) -> Vec<IndicatorRow> {
    facts
        .members
        .iter()
        .flat_map(|m| {
            m.figures.iter().map(|f| IndicatorRow {
                ags: m.member.ags.to_string(),
                name: m.member.name.clone(),
                indicator: f.id.clone(),
                label: label(&f.id),
                year: f.date.map(|d| d.year),
                reference_date: f.date.map(|d| d.iso()).unwrap_or_default(),
                value: f.value.map(|v| (v * 1e6).round() / 1e6),
                unit: f.unit.clone(),
                source: f
                    .sources
                    .iter()
                    .map(|s| format!("{} [{}]", s.citation(), s.file))
                    .collect::<Vec<_>>()
                    .join("; "),
                quality: f.grade.letter().to_string(),
                flag: f.flag.clone().unwrap_or_default(),
            })
        })
        .collect()
}

pub fn indicators_csv(rows: &[IndicatorRow]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.serialize(r)?;
    }
    Ok(w.into_inner()?)
}

pub fn indicators_json(rows: &[IndicatorRow]) -> Result<Vec<u8>> {
    let mut v = serde_json::to_vec_pretty(rows)?;
    v.push(b'\n');
    Ok(v)
}

/// One row of `ratings.csv`: an indicator of the assessment system rated for a member.
#[derive(Debug, Serialize)]
pub struct RatingRow {
    pub ags: String,
    pub name: String,
    pub field: String,
    pub indicator: String,
    pub value: Option<f64>,
    pub reference_date: String,
    /// 1 (weak) to 5 (good); empty = no data.
    pub level: Option<u8>,
    pub trend: String,
    pub quality: String,
}

/// One row of `recommendations.csv`.
#[derive(Debug, Serialize)]
pub struct RecommendationRow {
    pub ags: String,
    pub name: String,
    pub rank: usize,
    pub measure: String,
    pub potential_t_per_year: f64,
    pub cost_eur_per_t: Option<f64>,
    pub score: f64,
}

pub fn rating_rows(facts: &Facts) -> (Vec<RatingRow>, Vec<RecommendationRow>) {
    let mut ratings = Vec::new();
    let mut recs = Vec::new();
    for m in &facts.members {
        let Some(a) = &m.assessment else { continue };
        for r in &a.ratings {
            ratings.push(RatingRow {
                ags: m.member.ags.to_string(),
                name: m.member.name.clone(),
                field: r.field.clone(),
                indicator: r.indicator.clone(),
                value: r.value.map(|v| (v * 1e6).round() / 1e6),
                reference_date: r.date.map(|d| d.iso()).unwrap_or_default(),
                level: r.level,
                trend: r.trend.map(|t| format!("{t:?}").to_lowercase()).unwrap_or_default(),
                quality: if r.value.is_some() {
                    r.grade.letter().to_string()
                } else {
                    String::new()
                },
            });
        }
        for (i, x) in a.recommendations.iter().enumerate() {
            recs.push(RecommendationRow {
                ags: m.member.ags.to_string(),
                name: m.member.name.clone(),
                rank: i + 1,
                measure: x.measure.clone(),
                potential_t_per_year: (x.potential_t * 100.0).round() / 100.0,
                cost_eur_per_t: x.cost_per_t.map(|c| (c * 100.0).round() / 100.0),
                score: (x.score * 1e4).round() / 1e4,
            });
        }
    }
    (ratings, recs)
}

/// Any serialisable rows as CSV.
pub fn to_csv<T: Serialize>(rows: &[T]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.serialize(r)?;
    }
    Ok(w.into_inner()?)
}
