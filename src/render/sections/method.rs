//! The handbook's method chapter: start-balance intensities, the emission-factor matrix, the
//! measured error of the start balance and the land-use fluxes per hectare.

use serde::Serialize;

use super::super::Renderer;
use crate::config::Partnership;
use crate::ingest::Factors;

/// One sector and driver of the start balance: the intensities it applies and their grade.
#[derive(Serialize)]
pub struct StartBalanceRow {
    pub sector: String,
    pub driver: String,
    /// Carrier and intensity per driver unit, joined by `; `.
    pub intensities: String,
    pub grade: String,
}

/// One row of the emission-factor matrix.
#[derive(Serialize)]
pub struct EmissionFactorRow {
    pub carrier: String,
    /// The sector (`–` for all sectors).
    pub sector: String,
    /// Federal or the member the factor applies to.
    pub scope: String,
    /// One factor (g CO2e/kWh) per year of the matrix, empty where none.
    pub values: Vec<String>,
}

/// The measured error of the start balance in one scope.
#[derive(Serialize)]
pub struct StartErrorRow {
    pub scope: String,
    /// Number of members compared.
    pub n: String,
    /// Median absolute error (±%).
    pub median: String,
    /// 80th percentile of the absolute error (±%).
    pub p80: String,
}

/// One land-use flux per hectare the area mapping applies.
#[derive(Serialize)]
pub struct FluxRow {
    pub category: String,
    pub soil: String,
    /// Flux (t CO2e/(ha·a)).
    pub t_per_ha: String,
    pub source: String,
}

/// A start-balance driver in words: the base and, where it applies, the state or settlement class.
pub fn driver_label(r: &Renderer, d: &crate::ingest::factors::Driver) -> String {
    use crate::ingest::factors::{DriverBase, DriverFilter};
    let base = match &d.base {
        DriverBase::EtsShare(branch) => r.locale.fill(
            "text",
            "driver_ets_share",
            &[("branch", r.locale.label("branch", branch))],
        ),
        DriverBase::Population => r.locale.label("driver", "population"),
        DriverBase::Employees => r.locale.label("driver", "employees"),
        DriverBase::ResidentialArea => r.locale.label("driver", "residential_area"),
        DriverBase::IndustryArea => r.locale.label("driver", "industry_area"),
        DriverBase::SettlementArea => r.locale.label("driver", "settlement_area"),
        DriverBase::AgriArea => r.locale.label("driver", "agri_area"),
        DriverBase::HeatDemandHeatnet => r.locale.label("driver", "heat_demand_heatnet"),
        DriverBase::HeatDemandOther => r.locale.label("driver", "heat_demand_other"),
    };
    match &d.filter {
        DriverFilter::All => base,
        DriverFilter::State(code) => format!("{base} ({})", r.locale.label("state", code)),
        DriverFilter::Settlement(class) => format!("{base} ({})", r.locale.label("settlement_class", class)),
    }
}

/// The start-balance intensities for the method chapter, one row per sector and driver: the
/// carriers it feeds and the grade.
pub fn start_balance_rows(r: &Renderer, factors: &Factors, p: &Partnership) -> Vec<StartBalanceRow> {
    use crate::ingest::factors::DriverFilter;
    let mut rows: Vec<(String, String, Vec<String>, String, crate::model::Grade)> = Vec::new();
    // State-level rows are shown for the members' states only.
    let applies = |f: &DriverFilter| match f {
        DriverFilter::State(code) => p.members.iter().any(|m| m.ags.as_str().starts_with(code.as_str())),
        _ => true,
    };
    for s in factors.start.iter().filter(|s| applies(&s.parsed.filter)) {
        let carrier = if s.sector.starts_with(crate::ingest::factors::MEMO_PREFIX) {
            r.locale.label("memo_item", &s.carrier)
        } else {
            r.locale.label("carrier", &s.carrier)
        };
        let v = s.mwh_per_unit;
        let decimals = if v >= 100.0 {
            0
        } else if v >= 1.0 {
            2
        } else {
            3
        };
        let item = format!("{carrier} {} {}", r.locale.number(v, decimals), s.unit);
        match rows.iter_mut().find(|x| x.0 == s.sector && *x.1 == *s.driver) {
            Some(x) => {
                x.2.push(item);
                x.4 = x.4.worst(s.grade);
            }
            None => rows.push((
                s.sector.clone(),
                s.driver.to_string(),
                vec![item],
                s.unit.clone(),
                s.grade,
            )),
        }
    }
    rows.into_iter()
        .map(|(sector, driver, items, _, grade)| {
            let parsed = factors.start.iter().find(|s| *s.driver == *driver).map(|s| &s.parsed);
            StartBalanceRow {
                sector: r.locale.label("sector_short", &sector),
                driver: parsed.map(|d| driver_label(r, d)).unwrap_or(driver),
                intensities: items.join("; "),
                grade: grade.letter().to_string(),
            }
        })
        .collect()
}

/// The emission factors as a carrier × year matrix (one row per carrier, sector and municipality).
pub fn emission_factor_matrix(
    r: &Renderer,
    factors: &Factors,
    p: &Partnership,
) -> (Vec<String>, Vec<EmissionFactorRow>) {
    let mut years: Vec<i32> = factors.emission.iter().map(|f| f.valid_year).collect();
    years.sort_unstable();
    years.dedup();
    let mut keys: Vec<(String, String, Option<String>)> = Vec::new();
    for f in &factors.emission {
        let k = (f.carrier.clone(), f.sector.clone(), f.ags.clone());
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    let rows = keys
        .iter()
        .map(|(carrier, sector, ags)| EmissionFactorRow {
            carrier: r.locale.label("carrier", carrier),
            sector: if sector == "*" {
                "–".to_string()
            } else {
                r.locale.label("sector_short", sector)
            },
            scope: match ags {
                None => r.locale.text("factor_federal"),
                Some(a) => p
                    .members
                    .iter()
                    .find(|m| m.ags.as_str() == a)
                    .map_or_else(|| a.clone(), |m| m.name.clone()),
            },
            values: years
                .iter()
                .map(|y| {
                    factors
                        .emission
                        .iter()
                        .find(|f| &f.carrier == carrier && &f.sector == sector && &f.ags == ags && f.valid_year == *y)
                        .map(|f| r.locale.number(f.g_co2e_per_kwh, 1))
                        .unwrap_or_default()
                })
                .collect(),
        })
        .collect();
    (years.iter().map(ToString::to_string).collect(), rows)
}

/// The measured error of the start balance for the method chapter: scope, n, median, P80.
pub fn start_error_rows(r: &Renderer, factors: &Factors) -> Vec<StartErrorRow> {
    factors
        .start_error
        .iter()
        .map(|e| StartErrorRow {
            scope: if e.scope == "total" {
                r.locale.text("error_scope_total")
            } else {
                r.locale.label("sector", &e.scope)
            },
            n: e.n.to_string(),
            median: format!("±{} %", r.locale.number(e.median_abs_pct, 1)),
            p80: format!("±{} %", r.locale.number(e.p80_abs_pct, 1)),
        })
        .collect()
}

/// The land-use fluxes per hectare: only those the area mapping applies (the inventory's flux for
/// land converted to water, for instance, stays in the data file with its reasoning but is not used).
pub fn flux_rows(r: &Renderer, factors: &Factors) -> Vec<FluxRow> {
    factors
        .land_flux
        .iter()
        .filter(|f| {
            factors
                .land_mapping
                .iter()
                .any(|m| m.category == f.category && m.soil == f.soil)
        })
        .map(|f| FluxRow {
            category: r.locale.label("land_category", &f.category),
            soil: r.locale.label("soil", &f.soil),
            t_per_ha: r.locale.number(f.t_co2e_per_ha, 2),
            source: f.source.clone(),
        })
        .collect()
}
