//! Reference tables under `inputs/factors/`: emission factors per energy carrier (dated, by
//! sector where it differs) and per-hectare land-use fluxes with the mapping from statistical
//! land-use classes to inventory categories. Every row keeps its citation.

use std::path::Path;
use std::sync::Arc;

use super::registry::{read_text, skip_comments, SourceRegistry};
use super::table;
use super::text::{parse_number, NumberStyle};
use crate::error::InputError;
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
    /// A municipality's own published factor (8-digit AGS); `None` = the federal default.
    pub ags: Option<String>,
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

/// A national (or state) average intensity for BISKO start balances: MWh per driver unit and
/// year; for memo sectors (`memo_…`, outside the BISKO total) t CO2e per driver unit.
#[derive(Debug, Clone)]
pub struct StartIntensity {
    pub sector: String,
    pub carrier: String,
    /// The driver as written, e.g. `population@settlement=rural` (see [`Driver`]); shared by
    /// every cell that rests on it.
    pub driver: Arc<str>,
    pub parsed: Driver,
    pub mwh_per_unit: f64,
    pub unit: String,
    pub valid_year: i32,
    pub grade: crate::model::Grade,
    pub source: String,
}

/// Prefix of start-balance sectors that are memo items outside the BISKO total.
pub const MEMO_PREFIX: &str = "memo_";

/// The structural quantity a start-balance intensity is multiplied with.
#[derive(Debug, Clone, PartialEq)]
pub enum DriverBase {
    /// Inhabitants on 31.12. of the balance year.
    Population,
    /// Living area in residential buildings, 1000 m².
    ResidentialArea,
    /// Industrial and commercial land, ha.
    IndustryArea,
    /// Settlement land, ha.
    SettlementArea,
    /// Agricultural land, ha.
    AgriArea,
    /// Employees subject to social insurance at their place of work.
    Employees,
    /// The member's share of national verified ETS emissions of an industry branch
    /// (`factors/industry_branches.csv`).
    EtsShare(String),
    /// Household heat demand (MWh) of the flats on a heat network.
    HeatDemandHeatnet,
    /// Household heat demand (MWh) of the other flats.
    HeatDemandOther,
}

/// Where a driver counts: everywhere, in one state (first two AGS digits) or one settlement class.
#[derive(Debug, Clone, PartialEq)]
pub enum DriverFilter {
    All,
    State(String),
    Settlement(String),
}

/// A parsed driver: `<base>[@state=NN|@settlement=<class>]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Driver {
    pub base: DriverBase,
    pub filter: DriverFilter,
}

impl Driver {
    /// Parses a driver; `branches` and `classes` are the known branch and settlement-class codes.
    pub fn parse(text: &str, branches: &[IndustryBranch], classes: &[SettlementType]) -> Result<Driver, String> {
        let (base, filter) = match text.split_once('@') {
            Some((b, f)) => (b, Some(f)),
            None => (text, None),
        };
        let base = match base {
            "population" => DriverBase::Population,
            "residential_area" => DriverBase::ResidentialArea,
            "industry_area" => DriverBase::IndustryArea,
            "settlement_area" => DriverBase::SettlementArea,
            "agri_area" => DriverBase::AgriArea,
            "employees" => DriverBase::Employees,
            "heat_demand_heatnet" => DriverBase::HeatDemandHeatnet,
            "heat_demand_other" => DriverBase::HeatDemandOther,
            b => match b.strip_prefix("ets_share:") {
                Some(branch) if branches.iter().any(|x| x.branch == branch) => DriverBase::EtsShare(branch.to_string()),
                Some(branch) => return Err(format!("industry branch `{branch}` is not in factors/industry_branches.csv")),
                None => {
                    return Err(format!(
                        "driver `{b}` is not known (known: population, employees, residential_area, industry_area, settlement_area, agri_area, heat_demand_heatnet, heat_demand_other, ets_share:<branch>)"
                    ))
                }
            },
        };
        let filter = match filter {
            None => DriverFilter::All,
            Some(f) => match f.split_once('=') {
                Some(("state", s)) if s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()) => {
                    DriverFilter::State(s.to_string())
                }
                Some(("settlement", c)) if classes.iter().any(|x| x.class == c) => {
                    DriverFilter::Settlement(c.to_string())
                }
                Some(("settlement", c)) => {
                    return Err(format!("settlement class `{c}` is not in factors/settlement_types.csv"))
                }
                _ => {
                    return Err(format!(
                        "filter `@{f}` is not known (known: @state=NN, @settlement=<class>)"
                    ))
                }
            },
        };
        Ok(Driver { base, filter })
    }
}

/// An energy-intensive industry branch keyed by ETS emissions (`factors/industry_branches.csv`).
#[derive(Debug, Clone)]
pub struct IndustryBranch {
    pub branch: String,
    /// ETS columns (`ets_emissions` categories) whose emissions key the branch.
    pub ets_columns: Vec<String>,
    /// National verified emissions of those columns, t CO2 (the denominator of the share).
    pub national_ets_t: f64,
}

/// Specific household heat final energy of a flat age class (`factors/household_heat_by_age.csv`).
#[derive(Debug, Clone)]
pub struct HeatByAge {
    /// Category of the `flats` variable, e.g. `flats_1949_1978`.
    pub flats_class: String,
    pub kwh_per_m2: f64,
}

/// RegioStaR7 code → settlement class of the transport intensities (`factors/settlement_types.csv`).
#[derive(Debug, Clone)]
pub struct SettlementType {
    pub rt7: i32,
    pub class: String,
    pub label: String,
}

/// The measured error of the start balance for one scope (`total` or a sector), from
/// `factors/start_balance_error.csv` (written by `klimapartner validate`).
#[derive(Debug, Clone)]
pub struct StartError {
    pub scope: String,
    pub n: usize,
    pub median_abs_pct: f64,
    pub p80_abs_pct: f64,
    pub measured_on: String,
}

/// A state's split of agricultural land into cropland and grassland (`factors/agri_split_states.csv`).
#[derive(Debug, Clone)]
pub struct AgriSplit {
    /// Two-digit state code (first two digits of the AGS).
    pub state: String,
    pub cropland_share: f64,
    pub grassland_share: f64,
    pub year: i32,
}

/// One bound of the forest flux range (`factors/forest_range.csv`).
#[derive(Debug, Clone)]
pub struct ForestBound {
    /// `inventory_mean` or `bwi_2022`.
    pub bound: String,
    pub t_co2e_per_ha: f64,
    pub period: String,
}

/// National full-load hours of a renewable technology (`factors/renewable_full_load_hours.csv`):
/// national generation ÷ registered capacity, for the memo line of local generation.
#[derive(Debug, Clone)]
pub struct FullLoadHours {
    /// `pv`, `wind`, `biomass` or `hydro` (the technologies of `re_capacity`).
    pub technology: String,
    pub year: i32,
    pub hours: f64,
}

/// A national reference value (`factors/national_reference.csv`), e.g. the BISKO emissions per
/// inhabitant of Germany at the start balance's key figures.
#[derive(Debug, Clone)]
pub struct NationalRef {
    pub indicator: String,
    pub year: i32,
    pub value: f64,
}

/// All factor tables, loaded once per run.
#[derive(Debug, Clone, Default)]
pub struct Factors {
    pub national: Vec<NationalRef>,
    pub agri_split: Vec<AgriSplit>,
    pub forest_range: Vec<ForestBound>,
    pub full_load_hours: Vec<FullLoadHours>,
    pub start: Vec<StartIntensity>,
    pub start_error: Vec<StartError>,
    pub branches: Vec<IndustryBranch>,
    pub heat_by_age: Vec<HeatByAge>,
    pub settlement_types: Vec<SettlementType>,
    pub emission: Vec<EmissionFactor>,
    pub land_flux: Vec<LandFlux>,
    pub land_mapping: Vec<LandMapping>,
}

impl Factors {
    /// The factor for a carrier in a sector for a member's balance of `year`: the latest valid
    /// year ≤ `year`; in the same year a municipality's own factor wins over the federal one and a
    /// sector-specific row over `*`.
    ///
    /// A balance year before the table's first year takes the earliest year instead (e.g. a start
    /// balance dated 2015 by its population figure); the balance labels the year applied.
    pub fn emission_factor(&self, carrier: &str, sector: &str, year: i32, ags: &str) -> Option<&EmissionFactor> {
        let rows = self.emission.iter().filter(|f| {
            f.carrier == carrier && (f.sector == sector || f.sector == "*") && f.ags.as_deref().is_none_or(|a| a == ags)
        });
        let first_year = rows.clone().map(|f| f.valid_year).min()?;
        let year = year.max(first_year);
        rows.filter(|f| f.valid_year <= year)
            .max_by_key(|f| (f.valid_year, f.ags.is_some(), f.sector != "*"))
    }

    /// A national reference value of an indicator (the latest year ≤ `year`, else the earliest).
    pub fn national(&self, indicator: &str, year: i32) -> Option<&NationalRef> {
        let all = self.national.iter().filter(|n| n.indicator == indicator);
        all.clone()
            .filter(|n| n.year <= year)
            .max_by_key(|n| n.year)
            .or_else(|| all.min_by_key(|n| n.year))
    }

    /// The measured error of the start balance for a sector, else for the total.
    pub fn start_error(&self, scope: &str) -> Option<&StartError> {
        let find = |s: &str| self.start_error.iter().find(|e| e.scope == s && e.n > 0);
        find(scope).or_else(|| find("total"))
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
    let ags_col = s.t.column_index("ags");
    for r in 0..s.t.height() {
        let year = s.number(r, 2, "valid_year")?;
        let ags = ags_col
            .map(|c| s.t.cell(r, c).trim().to_string())
            .filter(|a| !a.is_empty());
        if let Some(a) = &ags {
            if crate::model::Ags::parse(a).is_err() {
                return Err(InputError::new(
                    rel,
                    format!("`{a}` is not an 8-digit AGS"),
                    "leave `ags` empty for a federal factor, or write the municipality's 8-digit AGS",
                )
                .at(s.t.line(r))
                .column("ags"));
            }
        }
        f.emission.push(EmissionFactor {
            carrier: s.text(r, 0),
            sector: s.text(r, 1),
            valid_year: year as i32,
            g_co2e_per_kwh: s.number(r, 3, "g_co2e_per_kwh")?,
            source: s.text(r, 4),
            note: s.text(r, 5),
            ags,
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
    load_land_extras(inputs, &mut f)?;
    for rel in [
        "factors/agri_split_states.csv",
        "factors/forest_range.csv",
        FULL_LOAD_HOURS,
    ] {
        if inputs.join(rel).exists() {
            sources.push(Arc::new(
                registry.lookup(rel).unwrap_or_else(|| SourceRegistry::unknown(rel)),
            ));
        }
    }
    load_start_balance(inputs, registry, &mut f, &mut sources)?;
    Ok((f, sources))
}

/// The optional table of national full-load hours per renewable technology.
pub const FULL_LOAD_HOURS: &str = "factors/renewable_full_load_hours.csv";

/// Reads [`FULL_LOAD_HOURS`] if present: hours must lie between 0 and the hours of a year.
fn load_full_load_hours(inputs: &Path, f: &mut Factors) -> Result<(), InputError> {
    if !inputs.join(FULL_LOAD_HOURS).exists() {
        return Ok(());
    }
    let s = Sheet::open(inputs, FULL_LOAD_HOURS, &["technology", "year", "full_load_hours"])?;
    for r in 0..s.t.height() {
        let hours = s.number(r, 2, "full_load_hours")?;
        if !(0.0..=HOURS_PER_YEAR).contains(&hours) {
            return Err(InputError::new(
                FULL_LOAD_HOURS,
                format!("full-load hours `{hours}` are not between 0 and {HOURS_PER_YEAR}"),
                "write the technology's national generation (MWh) divided by its capacity (MW)",
            )
            .at(s.t.line(r))
            .column("full_load_hours"));
        }
        f.full_load_hours.push(FullLoadHours {
            technology: s.text(r, 0),
            year: s.number(r, 1, "year")? as i32,
            hours,
        });
    }
    Ok(())
}

/// Hours of a (leap) year: the upper bound of full-load hours.
const HOURS_PER_YEAR: f64 = 8784.0;

/// Optional land-use tables: the state split of agricultural land and the forest flux range.
fn load_land_extras(inputs: &Path, f: &mut Factors) -> Result<(), InputError> {
    load_full_load_hours(inputs, f)?;
    let rel = "factors/agri_split_states.csv";
    if inputs.join(rel).exists() {
        let s = Sheet::open(inputs, rel, &["state", "year", "cropland_share", "grassland_share"])?;
        for r in 0..s.t.height() {
            let (c, g) = (s.number(r, 2, "cropland_share")?, s.number(r, 3, "grassland_share")?);
            if !(0.0..=1.0).contains(&c) || !(0.0..=1.0).contains(&g) || (c + g - 1.0).abs() > 0.02 {
                return Err(InputError::new(
                    rel,
                    format!("cropland share {c} and grassland share {g} must be between 0 and 1 and add up to 1"),
                    "write the shares of the state's agricultural land as fractions",
                )
                .at(s.t.line(r)));
            }
            f.agri_split.push(AgriSplit {
                state: s.text(r, 0),
                cropland_share: c,
                grassland_share: g,
                year: s.number(r, 1, "year")? as i32,
            });
        }
    }
    let rel = "factors/national_reference.csv";
    if inputs.join(rel).exists() {
        let s = Sheet::open(inputs, rel, &["indicator", "year", "value"])?;
        for r in 0..s.t.height() {
            f.national.push(NationalRef {
                indicator: s.text(r, 0),
                year: s.number(r, 1, "year")? as i32,
                value: s.number(r, 2, "value")?,
            });
        }
    }
    let rel = "factors/forest_range.csv";
    if inputs.join(rel).exists() {
        let s = Sheet::open(inputs, rel, &["bound", "t_co2e_per_ha_year", "period"])?;
        for r in 0..s.t.height() {
            f.forest_range.push(ForestBound {
                bound: s.text(r, 0),
                t_co2e_per_ha: s.number(r, 1, "t_co2e_per_ha_year")?,
                period: s.text(r, 2),
            });
        }
    }
    Ok(())
}

/// The optional keys of the start balance: industry branches, heat demand by flat age class and
/// settlement classes. Each file is read only if it exists; a driver that needs a missing one is
/// reported by [`Driver::parse`].
fn load_start_keys(inputs: &Path, f: &mut Factors) -> Result<(), InputError> {
    let rel = "factors/industry_branches.csv";
    if inputs.join(rel).exists() {
        let s = Sheet::open(inputs, rel, &["branch", "ets_columns", "national_ets_t"])?;
        for r in 0..s.t.height() {
            // A branch without ETS columns (the remainder) is keyed by area, not by a share.
            if s.text(r, 1).is_empty() {
                continue;
            }
            let national_ets_t = s.number(r, 2, "national_ets_t")?;
            if national_ets_t <= 0.0 {
                return Err(InputError::new(
                    rel,
                    format!("national ETS emissions `{national_ets_t}` must be positive"),
                    "write the national sum of the branch's ETS columns in t CO2",
                )
                .at(s.t.line(r))
                .column("national_ets_t"));
            }
            f.branches.push(IndustryBranch {
                branch: s.text(r, 0),
                ets_columns: s.text(r, 1).split('+').map(|c| c.trim().to_string()).collect(),
                national_ets_t,
            });
        }
    }
    let rel = "factors/household_heat_by_age.csv";
    if inputs.join(rel).exists() {
        let s = Sheet::open(inputs, rel, &["flats_class", "kwh_per_m2"])?;
        for r in 0..s.t.height() {
            f.heat_by_age.push(HeatByAge {
                flats_class: s.text(r, 0),
                kwh_per_m2: s.number(r, 1, "kwh_per_m2")?,
            });
        }
    }
    let rel = "factors/start_balance_error.csv";
    if inputs.join(rel).exists() {
        let s = Sheet::open(
            inputs,
            rel,
            &["scope", "n", "median_abs_pct", "p80_abs_pct", "measured_on"],
        )?;
        for r in 0..s.t.height() {
            f.start_error.push(StartError {
                scope: s.text(r, 0),
                n: s.number(r, 1, "n")? as usize,
                median_abs_pct: s.number(r, 2, "median_abs_pct")?,
                p80_abs_pct: s.number(r, 3, "p80_abs_pct")?,
                measured_on: s.text(r, 4),
            });
        }
    }
    let rel = "factors/settlement_types.csv";
    if inputs.join(rel).exists() {
        let s = Sheet::open(inputs, rel, &["rt7", "class", "label"])?;
        for r in 0..s.t.height() {
            f.settlement_types.push(SettlementType {
                rt7: s.number(r, 0, "rt7")? as i32,
                class: s.text(r, 1),
                label: s.text(r, 2),
            });
        }
    }
    Ok(())
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
    load_start_keys(inputs, f)?;
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
        let sector = s.text(r, 0);
        let carrier = s.text(r, 1);
        if !sector.starts_with(MEMO_PREFIX) && !f.emission.iter().any(|e| e.carrier == carrier) {
            return Err(InputError::new(
                rel,
                format!("carrier `{carrier}` has no emission factor in factors/emission_factors.csv"),
                "use a carrier code of emission_factors.csv or add its factor there",
            )
            .at(s.t.line(r))
            .column("carrier"));
        }
        let driver = s.text(r, 2);
        let parsed = Driver::parse(&driver, &f.branches, &f.settlement_types).map_err(|m| {
            InputError::new(
                rel,
                m,
                "write a known driver, optionally with @state=NN or @settlement=<class>",
            )
            .at(s.t.line(r))
            .column("driver")
        })?;
        let value = s.number(r, 3, "value")?;
        if !value.is_finite() || value < 0.0 {
            return Err(InputError::new(
                rel,
                format!("intensity `{value}` must be zero or positive"),
                "write the national intensity per driver unit",
            )
            .at(s.t.line(r))
            .column("value"));
        }
        f.start.push(StartIntensity {
            sector,
            carrier,
            driver: driver.into(),
            parsed,
            mwh_per_unit: value,
            unit: s.text(r, 4),
            valid_year: s.number(r, 5, "valid_year")? as i32,
            grade,
            source: s.text(r, 7),
        });
    }
    let mut src = registry.lookup(rel).unwrap_or_else(|| SourceRegistry::unknown(rel));
    // National key figures: BISKO grade D (C only for the rows with a state-level figure, which
    // carry their own grade).
    src.grade = src.grade.worst(crate::model::Grade::D);
    sources.push(Arc::new(src));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drivers_parse_with_filters_and_unknown_ones_are_refused() {
        let branches = vec![IndustryBranch {
            branch: "miner_glasceram".into(),
            ets_columns: vec!["miner_glas".into(), "miner_ceram".into()],
            national_ets_t: 5_498_299.0,
        }];
        let classes = vec![SettlementType {
            rt7: 77,
            class: "rural".into(),
            label: String::new(),
        }];
        let d = Driver::parse("population@settlement=rural", &branches, &classes).unwrap();
        assert_eq!(d.base, DriverBase::Population);
        assert_eq!(d.filter, DriverFilter::Settlement("rural".into()));
        let d = Driver::parse("agri_area@state=14", &branches, &classes).unwrap();
        assert_eq!(d.filter, DriverFilter::State("14".into()));
        let d = Driver::parse("ets_share:miner_glasceram", &branches, &classes).unwrap();
        assert_eq!(d.base, DriverBase::EtsShare("miner_glasceram".into()));
        assert!(Driver::parse("ets_share:steel", &branches, &classes).is_err());
        assert!(Driver::parse("population@settlement=urban", &branches, &classes).is_err());
        assert!(Driver::parse("population@state=1", &branches, &classes).is_err());
        assert!(Driver::parse("households", &branches, &classes).is_err());
    }
}
