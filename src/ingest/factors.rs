//! Reference tables under `inputs/factors/`: emission factors per energy carrier (dated, by
//! sector where it differs) and per-hectare land-use fluxes with the mapping from statistical
//! land-use classes to inventory categories. Every row keeps its citation.

use std::path::Path;
use std::sync::Arc;

use super::error::InputError;
use super::registry::{read_text, skip_comments, SourceRegistry};
use super::table;
use super::text::{parse_number, NumberStyle};
use crate::model::Source;

#[derive(Debug, Clone)]
pub struct EmissionFactor {
    pub carrier: String,
    /// `*` applies to all sectors; a named sector overrides it.
    pub sector: String,
    pub valid_year: i32,
    pub g_co2e_per_kwh: f64,
    pub source: String,
    pub note: String,
}

#[derive(Debug, Clone)]
pub struct LandFlux {
    pub category: String,
    pub soil: String,
    pub t_co2e_per_ha: f64,
    pub source: String,
}

#[derive(Debug, Clone)]
pub struct LandMapping {
    pub area_variable: String,
    pub category: String,
    pub soil: String,
    pub share: f64,
}

/// A national average intensity for BISKO start balances: MWh per driver unit and year.
#[derive(Debug, Clone)]
pub struct StartIntensity {
    pub sector: String,
    pub carrier: String,
    /// `population`, `residential_area` (1000 m² living space) or `industry_area` (ha).
    pub driver: String,
    pub mwh_per_unit: f64,
    pub unit: String,
    pub valid_year: i32,
    pub grade: crate::model::Grade,
    pub source: String,
}

/// All factor tables, loaded once per run.
#[derive(Debug, Clone, Default)]
pub struct Factors {
    pub start: Vec<StartIntensity>,
    pub emission: Vec<EmissionFactor>,
    pub land_flux: Vec<LandFlux>,
    pub land_mapping: Vec<LandMapping>,
}

impl Factors {
    /// The factor for a carrier in a sector, valid in the latest year ≤ `year`
    /// (a sector-specific row wins over `*`).
    pub fn emission_factor(&self, carrier: &str, sector: &str, year: i32) -> Option<&EmissionFactor> {
        self.emission
            .iter()
            .filter(|f| f.carrier == carrier && f.valid_year <= year && (f.sector == sector || f.sector == "*"))
            .max_by_key(|f| (f.valid_year, f.sector != "*"))
    }

    pub fn land_flux(&self, category: &str, soil: &str) -> Option<&LandFlux> {
        self.land_flux.iter().find(|f| f.category == category && f.soil == soil)
    }
}

struct Sheet {
    rel: String,
    t: table::TextTable,
    cols: Vec<usize>,
}

impl Sheet {
    fn open(inputs: &Path, rel: &str, header: &[&str]) -> Result<Sheet, InputError> {
        let text = read_text(inputs, rel)?;
        let (body, first) = skip_comments(&text);
        let t = table::read(rel, body, b',', true, first)?;
        let cols = header
            .iter()
            .map(|n| t.require(rel, n, first, format!("the header must contain: {}", header.join(","))))
            .collect::<Result<_, _>>()?;
        Ok(Sheet {
            rel: rel.to_string(),
            t,
            cols,
        })
    }

    fn text(&self, r: usize, i: usize) -> String {
        self.t.cell(r, self.cols[i]).trim().to_string()
    }

    fn number(&self, r: usize, i: usize, name: &str) -> Result<f64, InputError> {
        let raw = self.t.cell(r, self.cols[i]);
        parse_number(raw, NumberStyle::Plain).ok_or_else(|| {
            InputError::new(
                &self.rel,
                format!("`{raw}` is not a number"),
                "write numbers with a decimal point, e.g. 247.0",
            )
            .at(self.t.line(r))
            .column(name)
        })
    }
}

pub fn load(inputs: &Path, registry: &SourceRegistry) -> Result<(Factors, Vec<Arc<Source>>), InputError> {
    let mut f = Factors::default();
    let mut sources = Vec::new();

    let rel = "factors/emission_factors.csv";
    let s = Sheet::open(
        inputs,
        rel,
        &["carrier", "sector", "valid_year", "g_co2e_per_kwh", "source", "note"],
    )?;
    for r in 0..s.t.height() {
        let year = s.number(r, 2, "valid_year")?;
        f.emission.push(EmissionFactor {
            carrier: s.text(r, 0),
            sector: s.text(r, 1),
            valid_year: year as i32,
            g_co2e_per_kwh: s.number(r, 3, "g_co2e_per_kwh")?,
            source: s.text(r, 4),
            note: s.text(r, 5),
        });
    }
    sources.push(Arc::new(
        registry.lookup(rel).unwrap_or_else(|| SourceRegistry::unknown(rel)),
    ));

    let rel = "factors/land_use_fluxes.csv";
    let s = Sheet::open(inputs, rel, &["category", "soil", "t_co2e_per_ha_year", "source"])?;
    for r in 0..s.t.height() {
        f.land_flux.push(LandFlux {
            category: s.text(r, 0),
            soil: s.text(r, 1),
            t_co2e_per_ha: s.number(r, 2, "t_co2e_per_ha_year")?,
            source: s.text(r, 3),
        });
    }
    sources.push(Arc::new(
        registry.lookup(rel).unwrap_or_else(|| SourceRegistry::unknown(rel)),
    ));

    let rel = "factors/land_use_mapping.csv";
    let s = Sheet::open(inputs, rel, &["area_variable", "category", "soil", "share"])?;
    for r in 0..s.t.height() {
        let m = LandMapping {
            area_variable: s.text(r, 0),
            category: s.text(r, 1),
            soil: s.text(r, 2),
            share: s.number(r, 3, "share")?,
        };
        if f.land_flux(&m.category, &m.soil).is_none() {
            return Err(InputError::new(
                rel,
                format!(
                    "no flux for category `{}` and soil `{}` in land_use_fluxes.csv",
                    m.category, m.soil
                ),
                "add the flux or correct the category",
            )
            .at(s.t.line(r)));
        }
        f.land_mapping.push(m);
    }
    sources.push(Arc::new(
        registry.lookup(rel).unwrap_or_else(|| SourceRegistry::unknown(rel)),
    ));
    load_start_balance(inputs, registry, &mut f, &mut sources)?;
    Ok((f, sources))
}

/// `factors/start_balance.csv` (optional): national intensities for start balances.
fn load_start_balance(
    inputs: &Path,
    registry: &SourceRegistry,
    f: &mut Factors,
    sources: &mut Vec<Arc<Source>>,
) -> Result<(), InputError> {
    let rel = "factors/start_balance.csv";
    if !super::policy::present(&inputs.join(rel)) {
        return Ok(());
    }
    let s = Sheet::open(
        inputs,
        rel,
        &[
            "sector",
            "carrier",
            "driver",
            "value",
            "unit",
            "valid_year",
            "grade",
            "source",
        ],
    )?;
    for r in 0..s.t.height() {
        let grade = match s.text(r, 6).as_str() {
            "A" => crate::model::Grade::A,
            "B" => crate::model::Grade::B,
            "C" => crate::model::Grade::C,
            "D" => crate::model::Grade::D,
            g => {
                return Err(InputError::new(
                    rel,
                    format!("grade `{g}` is not A, B, C or D"),
                    "write the BISKO data-quality grade",
                )
                .at(s.t.line(r))
                .column("grade"))
            }
        };
        let carrier = s.text(r, 1);
        if !f.emission.iter().any(|e| e.carrier == carrier) {
            return Err(InputError::new(
                rel,
                format!("carrier `{carrier}` has no emission factor in factors/emission_factors.csv"),
                "use a carrier code of emission_factors.csv or add its factor there",
            )
            .at(s.t.line(r))
            .column("carrier"));
        }
        let driver = s.text(r, 2);
        if !["population", "residential_area", "industry_area"].contains(&driver.as_str()) {
            return Err(InputError::new(
                rel,
                format!("driver `{driver}` is not known"),
                "use population, residential_area or industry_area",
            )
            .at(s.t.line(r))
            .column("driver"));
        }
        f.start.push(StartIntensity {
            sector: s.text(r, 0),
            carrier,
            driver,
            mwh_per_unit: s.number(r, 3, "value")?,
            unit: s.text(r, 4),
            valid_year: s.number(r, 5, "valid_year")? as i32,
            grade,
            source: s.text(r, 7),
        });
    }
    let mut src = registry.lookup(rel).unwrap_or_else(|| SourceRegistry::unknown(rel));
    src.grade = src.grade.worst(crate::model::Grade::C);
    sources.push(Arc::new(src));
    Ok(())
}
