//! Local renewable generation as a memo item ("nachrichtlich"): the member's installed capacity
//! per technology × the national full-load hours of that technology. BISKO credits no local
//! generation against the balance (electricity carries the federal mix), so the figure stands
//! beside the balance, never in it; it is an estimate (grade D: a national key applied to local
//! capacity) and says so.

use std::sync::Arc;

use serde::Serialize;

use super::balance::Balance;
use super::renewables::Renewables;
use super::Figure;
use crate::ingest::factors::{Factors, FullLoadHours};
use crate::model::{Grade, RefDate, Source};

/// Figure id of the estimated local renewable generation.
pub const GENERATION_MWH: &str = "re_generation_mwh";
/// Figure id of that generation as a share of the balance's electricity consumption.
pub const GENERATION_SHARE: &str = "re_generation_share_pct";

#[derive(Debug, Clone, Serialize)]
pub struct GenerationRow {
    pub technology: String,
    pub kw: f64,
    pub full_load_hours: f64,
    pub mwh: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Generation {
    /// Reference date of the capacities.
    pub date: RefDate,
    /// Year of the full-load hours used (the latest ≤ the capacities' year, else the earliest).
    pub hours_year: i32,
    pub rows: Vec<GenerationRow>,
    pub total_mwh: f64,
    /// Electricity consumption of the member's balance (all sectors) and its year.
    pub electricity_mwh: Option<f64>,
    pub balance_year: Option<i32>,
    /// Generation ÷ electricity consumption, in % (a bookkeeping ratio, not a BISKO credit).
    pub share_pct: Option<f64>,
    /// This part's figures; `member_facts` moves them into `MemberFacts::figures` (empty afterwards).
    pub figures: Vec<Figure>,
}

/// The full-load hours of a technology for a year: the latest year ≤ `year`, else the earliest.
fn hours_for<'a>(table: &'a [FullLoadHours], technology: &str, year: i32) -> Option<&'a FullLoadHours> {
    let rows = table.iter().filter(|h| h.technology == technology);
    rows.clone()
        .filter(|h| h.year <= year)
        .max_by_key(|h| h.year)
        .or_else(|| rows.min_by_key(|h| h.year))
}

/// The memo item, or `None` without capacities or without the full-load-hours table.
pub fn generation(
    renewables: Option<&Renewables>,
    balance: Option<&Balance>,
    factors: &Factors,
    factor_sources: &[Arc<Source>],
) -> Option<Generation> {
    let ren = renewables?;
    let mut rows = Vec::new();
    let mut hours_year = None;
    for c in ren.capacities.iter().filter(|c| c.kw > 0.0) {
        let Some(h) = hours_for(&factors.full_load_hours, &c.technology, ren.date.year) else {
            continue;
        };
        hours_year = hours_year.max(Some(h.year));
        rows.push(GenerationRow {
            technology: c.technology.clone(),
            kw: c.kw,
            full_load_hours: h.hours,
            mwh: c.kw * h.hours / 1000.0,
        });
    }
    let hours_year = hours_year?;
    let total_mwh: f64 = rows.iter().map(|r| r.mwh).sum();
    let electricity = balance.and_then(|b| {
        b.carriers
            .iter()
            .find(|c| c.carrier == "electricity")
            .map(|c| (c.mwh, b.date.year))
    });
    let share_pct = electricity
        .filter(|(mwh, _)| *mwh > 0.0)
        .map(|(mwh, _)| total_mwh / mwh * 100.0);
    let figures = memo_figures(ren, factor_sources, total_mwh, share_pct);
    Some(Generation {
        date: ren.date,
        hours_year,
        rows,
        total_mwh,
        electricity_mwh: electricity.map(|(m, _)| m),
        balance_year: electricity.map(|(_, y)| y),
        share_pct,
        figures,
    })
}

/// The figures of the memo item: sources are the capacity figures' and the hours table; the grade
/// is D at best (a national key applied to a local count).
fn memo_figures(
    ren: &Renewables,
    factor_sources: &[Arc<Source>],
    total_mwh: f64,
    share_pct: Option<f64>,
) -> Vec<Figure> {
    let mut sources: Vec<Arc<Source>> = Vec::new();
    let capacity_sources = ren
        .figures
        .iter()
        .filter(|f| f.id.starts_with("re_") && f.id.ends_with("_kw"))
        .flat_map(|f| f.sources.iter());
    let hours_sources = factor_sources.iter().filter(|s| s.file.contains("full_load_hours"));
    for s in capacity_sources.chain(hours_sources) {
        if !sources.iter().any(|x| x.file == s.file) {
            sources.push(s.clone());
        }
    }
    let mut out = vec![Figure::derived(
        GENERATION_MWH,
        total_mwh,
        "MWh",
        ren.date,
        &[],
        &sources,
    )];
    if let Some(p) = share_pct {
        out.push(Figure::derived(GENERATION_SHARE, p, "%", ren.date, &[], &sources));
    }
    for f in &mut out {
        f.grade = f.grade.worst(Grade::D);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flh(t: &str, year: i32, hours: f64) -> FullLoadHours {
        FullLoadHours {
            technology: t.into(),
            year,
            hours,
        }
    }

    #[test]
    fn hours_of_the_latest_earlier_year_else_the_earliest() {
        let table = [
            flh("pv", 2021, 823.0),
            flh("pv", 2023, 900.0),
            flh("wind", 2021, 1668.0),
        ];
        assert_eq!(hours_for(&table, "pv", 2024).map(|h| h.hours), Some(900.0));
        assert_eq!(hours_for(&table, "pv", 2022).map(|h| h.hours), Some(823.0));
        assert_eq!(hours_for(&table, "pv", 2019).map(|h| h.hours), Some(823.0));
        assert!(hours_for(&table, "hydro", 2021).is_none());
    }
}
