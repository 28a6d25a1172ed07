//! BISKO energy and GHG balance: final energy by sector and carrier × life-cycle emission
//! factors (dated, by sector where they differ), compared with published totals where a member
//! publishes its own balance.

use std::sync::Arc;

use serde::Serialize;

use super::select::ObsIndex;
use super::{Figure, Note, Population};
use crate::ingest::Factors;
use crate::model::{Ags, Grade, Observation, RefDate, Source};

#[derive(Debug, Clone, Serialize)]
pub struct BalanceRow {
    pub sector: String,
    pub carrier: String,
    pub mwh: f64,
    pub g_per_kwh: f64,
    pub t: f64,
    pub published_t: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectorTotal {
    pub sector: String,
    pub mwh: f64,
    pub t: f64,
    pub share_pct: f64,
    pub published_t: Option<f64>,
    pub deviation_pct: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Balance {
    pub date: RefDate,
    pub rows: Vec<BalanceRow>,
    pub sectors: Vec<SectorTotal>,
    pub total_mwh: f64,
    pub total_t: f64,
    pub t_per_inhabitant: Option<f64>,
    pub grade: Grade,
    pub figures: Vec<Figure>,
}

/// Computes the balance of the latest year ≤ `year` with final-energy data. `Ok(None)` if the
/// member has none; `Err` if a carrier has no emission factor.
pub fn balance(
    ags: &Ags,
    index: &ObsIndex<'_>,
    factors: &Factors,
    factor_sources: &[Arc<Source>],
    year: i32,
    pop: Option<&Population>,
) -> Result<Option<Balance>, String> {
    let Some(date) = index.latest_date(ags, "final_energy", year) else {
        return Ok(None);
    };
    let energy: Vec<&Observation> = index
        .all_on(ags, "final_energy", date.year)
        .into_iter()
        .filter(|o| o.date == date && o.value.is_ok())
        .collect();
    let published: Vec<&Observation> = index.all_on(ags, "ghg_published", date.year);
    let published_totals: Vec<&Observation> = index.all_on(ags, "ghg_published_total", date.year);
    let ef_sources: Vec<Arc<Source>> = factor_sources
        .iter()
        .filter(|s| s.file.contains("emission"))
        .cloned()
        .collect();

    let mut rows = Vec::new();
    for o in &energy {
        let sector = o.sector.clone().unwrap_or_default();
        let carrier = o.category.clone().unwrap_or_default();
        let f = factors.emission_factor(&carrier, &sector, date.year).ok_or_else(|| {
            format!(
                "no emission factor for carrier `{carrier}` (sector `{sector}`) valid in {}; add a row to inputs/factors/emission_factors.csv",
                date.year
            )
        })?;
        let mwh = o.value.unwrap_or(0.0);
        let published_t = published
            .iter()
            .find(|p| p.sector == o.sector && p.category == o.category)
            .and_then(|p| p.value.ok());
        rows.push(BalanceRow {
            sector,
            carrier,
            mwh,
            g_per_kwh: f.g_co2e_per_kwh,
            t: mwh * f.g_co2e_per_kwh / 1000.0,
            published_t,
        });
    }
    let total_mwh: f64 = rows.iter().map(|r| r.mwh).sum();
    let total_t: f64 = rows.iter().map(|r| r.t).sum();
    let mut sectors: Vec<SectorTotal> = Vec::new();
    for r in &rows {
        match sectors.iter_mut().find(|s| s.sector == r.sector) {
            Some(s) => {
                s.mwh += r.mwh;
                s.t += r.t;
            }
            None => sectors.push(SectorTotal {
                sector: r.sector.clone(),
                mwh: r.mwh,
                t: r.t,
                share_pct: 0.0,
                published_t: None,
                deviation_pct: None,
            }),
        }
    }
    // Energy-weighted data-quality grade of the inputs (BISKO): here one grade per source file.
    let grade = energy
        .iter()
        .map(|o| o.grade())
        .chain(ef_sources.iter().map(|s| s.grade))
        .fold(Grade::A, Grade::worst);

    let mut figures = Vec::new();
    figures.push(Figure::derived(
        "final_energy_mwh",
        total_mwh,
        "MWh",
        date,
        &energy,
        &[],
    ));
    for s in &mut sectors {
        s.share_pct = s.t / total_t * 100.0;
        let sector_obs: Vec<&Observation> = energy
            .iter()
            .copied()
            .filter(|o| o.sector.as_deref() == Some(&s.sector))
            .collect();
        let mut f = Figure::derived(
            &format!("ghg_t_{}", s.sector),
            s.t,
            "t CO2e",
            date,
            &sector_obs,
            &ef_sources,
        );
        if let Some(p) = published_totals
            .iter()
            .find(|p| p.sector.as_deref() == Some(&s.sector))
            .and_then(|p| p.value.ok())
        {
            let dev = (s.t - p) / p * 100.0;
            s.published_t = Some(p);
            s.deviation_pct = Some(dev);
            f.note = Some(Note::DeviationFromPublished {
                published: p,
                deviation_pct: dev,
            });
        }
        figures.push(f);
    }
    figures.push(Figure::derived("ghg_t", total_t, "t CO2e", date, &energy, &ef_sources));
    let mut t_per_inhabitant = None;
    if let Some((inhabitants, pop_fig, note)) = pop.and_then(|p| p.for_date(date)) {
        let v = total_t / inhabitants;
        t_per_inhabitant = Some(v);
        let mut f = Figure::derived(
            "ghg_t_per_inhabitant",
            v,
            "t CO2e/EW",
            date,
            &energy,
            &[ef_sources.clone(), pop_fig.sources.clone()].concat(),
        );
        f.note = note;
        figures.push(f);
    }
    Ok(Some(Balance {
        date,
        rows,
        sectors,
        total_mwh,
        total_t,
        t_per_inhabitant,
        grade,
        figures,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::factors::EmissionFactor;

    fn ef(carrier: &str, sector: &str, year: i32, g: f64) -> EmissionFactor {
        EmissionFactor {
            carrier: carrier.into(),
            sector: sector.into(),
            valid_year: year,
            g_co2e_per_kwh: g,
            source: String::new(),
            note: String::new(),
        }
    }

    #[test]
    fn sector_specific_factor_overrides_default_and_latest_year_wins() {
        let f = Factors {
            emission: vec![
                ef("natural_gas", "*", 2019, 247.0),
                ef("natural_gas", "transport", 2019, 257.3),
                ef("natural_gas", "*", 2022, 240.0),
            ],
            ..Default::default()
        };
        assert_eq!(
            f.emission_factor("natural_gas", "transport", 2019)
                .unwrap()
                .g_co2e_per_kwh,
            257.3
        );
        assert_eq!(
            f.emission_factor("natural_gas", "buildings", 2019)
                .unwrap()
                .g_co2e_per_kwh,
            247.0
        );
        assert_eq!(
            f.emission_factor("natural_gas", "buildings", 2024)
                .unwrap()
                .g_co2e_per_kwh,
            240.0
        );
        assert!(f.emission_factor("natural_gas", "buildings", 2018).is_none());
    }
}
