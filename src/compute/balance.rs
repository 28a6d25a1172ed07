//! BISKO energy and GHG balance: final energy by sector and carrier × life-cycle emission
//! factors (dated, by sector where they differ).
//!
//! Members without local energy data get a start balance: each sector × carrier cell is a
//! national average intensity (`factors/start_balance.csv`) times a structural driver of the
//! member (inhabitants, living space, industrial area). Local data, where a file provides it,
//! replaces the estimate cell by cell; a sector with a published total counts as complete and
//! replaces all estimates of that sector. Verified emissions of emissions-trading installations
//! are added as their own line.

use std::sync::Arc;

use serde::Serialize;

use super::select::ObsIndex;
use super::{Figure, Note, Population};
use crate::error::ComputeError;
use crate::ingest::factors::{Driver, DriverBase, DriverFilter, SettlementType, MEMO_PREFIX};
use crate::ingest::Factors;
use crate::model::{Ags, Grade, Observation, RefDate, Source};

/// Sectors that a coarser local balance groups (Leipzig's "buildings").
const GROUPS: &[(&str, &[&str])] = &[("buildings", &["households", "commerce", "municipal"])];

/// Memo item code of the verified direct emissions of emissions-trading installations.
pub const ETS: &str = "ets_direct";

fn covers(local_sector: &str, sector: &str) -> bool {
    local_sector == sector
        || GROUPS
            .iter()
            .any(|(g, members)| *g == local_sector && members.contains(&sector))
}

/// The sector group a sector belongs to for comparisons (households → buildings).
pub fn group_of(sector: &str) -> &str {
    GROUPS
        .iter()
        .find(|(_, m)| m.contains(&sector))
        .map_or(sector, |(g, _)| g)
}

#[derive(Debug, Clone, Serialize)]
pub struct BalanceRow {
    pub sector: String,
    pub carrier: String,
    /// Final energy in MWh.
    pub mwh: f64,
    pub g_per_kwh: f64,
    /// The year of the emission factor applied (the balance year or the nearest earlier one).
    pub factor_year: i32,
    pub t: f64,
    pub published_t: Option<f64>,
    /// Local data (true) or start-balance estimate (false).
    pub local: bool,
    pub grade: Grade,
    /// Drivers of an estimated cell (`factors/start_balance.csv`), empty for local data.
    pub drivers: Vec<Arc<str>>,
}

/// A start balance whose t per inhabitant is above twice or below half the national value: the
/// driver that contributes most, so the reader sees why.
#[derive(Debug, Clone, Serialize)]
pub struct Plausibility {
    pub t_per_inhabitant: f64,
    pub national_t_per_inhabitant: f64,
    pub ratio: f64,
    /// `ets_share:<branch>` for an energy-intensive branch, else the sector.
    pub driver: String,
    pub share_pct: f64,
}

/// Flags an estimated balance whose t per inhabitant is off the national value by more than a
/// factor of two, naming the largest contributor (an ETS branch or a sector).
/// `contributions`: t CO2e per energy-intensive branch (`ets_share:<branch>`) or sector.
fn plausibility(
    rows: &[BalanceRow],
    contributions: Vec<(String, f64)>,
    total_t: f64,
    per_inh: Option<f64>,
    national: Option<f64>,
) -> Option<Plausibility> {
    let (v, nat) = (per_inh?, national?);
    if rows.iter().any(|r| r.local) || nat <= 0.0 || total_t <= 0.0 {
        return None;
    }
    let ratio = v / nat;
    if (0.5..=2.0).contains(&ratio) {
        return None;
    }
    let (driver, t) = contributions.into_iter().max_by(|a, b| a.1.total_cmp(&b.1))?;
    Some(Plausibility {
        t_per_inhabitant: v,
        national_t_per_inhabitant: nat,
        ratio,
        driver,
        share_pct: t / total_t * 100.0,
    })
}

/// A memo item ("nachrichtlich"): shown beside the balance, never part of its total.
#[derive(Debug, Clone, Serialize)]
pub struct MemoItem {
    /// `process` (industrial process emissions), `agriculture` (non-energy emissions of
    /// agriculture) or `ets` (verified direct emissions of ETS installations, DEHSt).
    pub kind: String,
    /// Sub-item, e.g. `process_miner_glasceram`, `agri_animals`, `ets_direct`.
    pub item: String,
    pub t: f64,
    pub grade: Grade,
    pub drivers: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectorTotal {
    pub sector: String,
    pub mwh: f64,
    pub t: f64,
    pub share_pct: f64,
    pub published_t: Option<f64>,
    pub deviation_pct: Option<f64>,
    /// For an estimated sector: the typical error of the start balance (median |error| %, measured
    /// by `klimapartner validate`), drawn as an error bar.
    pub typical_error_pct: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CarrierTotal {
    pub carrier: String,
    pub mwh: f64,
    pub t: f64,
    pub share_pct: f64,
}

/// A start balance computed for a member that has its own data, compared sector by sector.
#[derive(Debug, Clone, Serialize)]
pub struct Validation {
    pub sector: String,
    pub local_t: f64,
    pub estimate_t: f64,
    pub deviation_pct: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Balance {
    pub date: RefDate,
    pub rows: Vec<BalanceRow>,
    pub sectors: Vec<SectorTotal>,
    pub carriers: Vec<CarrierTotal>,
    pub total_mwh: f64,
    pub total_t: f64,
    pub t_per_inhabitant: Option<f64>,
    /// Energy-weighted BISKO data quality (1.0 = all local, 0.25 = all national averages).
    pub quality: f64,
    /// The grade nearest to `quality`.
    pub grade: Grade,
    /// Number of cells from local data and from estimates.
    pub local_cells: usize,
    pub estimated_cells: usize,
    pub validation: Vec<Validation>,
    /// Memo items outside the BISKO total.
    pub memo: Vec<MemoItem>,
    /// A start balance far from the national value per inhabitant, with its largest driver.
    pub plausibility: Option<Plausibility>,
    /// This part's figures; `member_facts` moves them into `MemberFacts::figures` (empty afterwards).
    pub figures: Vec<Figure>,
}

fn nearest_grade(q: f64) -> Grade {
    [Grade::A, Grade::B, Grade::C, Grade::D]
        .into_iter()
        .min_by(|a, b| (a.weight() - q).abs().total_cmp(&(b.weight() - q).abs()))
        .unwrap_or(Grade::D)
}

/// Looks up a member's structural observations around a year (latest ≤ year, else the earliest).
struct Structure<'i, 'a> {
    ags: &'i Ags,
    index: &'i ObsIndex<'a>,
    year: i32,
}

impl<'a> Structure<'_, 'a> {
    fn obs(&self, variable: &str, category: Option<&str>) -> Option<&'a Observation> {
        self.index.latest(self.ags, variable, category, self.year).or_else(|| {
            self.index
                .series(self.ags, variable, category)
                .iter()
                .find(|o| o.value.is_ok())
                .copied()
        })
    }

    fn value(&self, variable: &str, category: &str, sources: &mut Vec<Arc<Source>>) -> Option<f64> {
        let o = self.obs(variable, Some(category))?;
        let v = o.value.ok()?;
        push_source(sources, &o.source);
        Some(v)
    }

    /// Household heat final energy (MWh): flats per age class × mean flat area × specific final
    /// energy of the class; and the share of flats on a heat network.
    fn heat_demand(&self, factors: &Factors, sources: &mut Vec<Arc<Source>>) -> Option<(f64, f64)> {
        let flats_total = self.value("flats", "flats_total", sources)?;
        let area_1000m2 = self.value("residential_area", "residential_buildings_area_total", sources)?;
        if flats_total <= 0.0 || factors.heat_by_age.is_empty() {
            return None;
        }
        let mean_m2 = area_1000m2 * 1000.0 / flats_total;
        let mut mwh = 0.0;
        for c in &factors.heat_by_age {
            mwh += self.value("flats", &c.flats_class, sources).unwrap_or(0.0) * mean_m2 * c.kwh_per_m2 / 1000.0;
        }
        let heatnet = self.value("flats", "flats_heatnet", sources).unwrap_or(0.0);
        Some((mwh, (heatnet / flats_total).clamp(0.0, 1.0)))
    }
}

fn push_source(sources: &mut Vec<Arc<Source>>, s: &Arc<Source>) {
    if !sources.iter().any(|x| x.file == s.file) {
        sources.push(s.clone());
    }
}

/// The member's settlement class (RegioStaR7 → `factors/settlement_types.csv`).
fn settlement_class<'f>(st: &Structure<'_, '_>, factors: &'f Factors) -> Option<&'f SettlementType> {
    let o = st.obs("settlement_type", None)?;
    let rt7 = o.value.ok()?.round() as i32;
    factors.settlement_types.iter().find(|t| t.rt7 == rt7)
}

/// Value of a start-balance driver for a member around `year`, with the sources it rests on.
fn driver(
    st: &Structure<'_, '_>,
    factors: &Factors,
    pop: Option<&Population>,
    d: &Driver,
) -> Option<(f64, Vec<Arc<Source>>)> {
    let mut sources = Vec::new();
    match &d.filter {
        DriverFilter::All => {}
        DriverFilter::State(code) => {
            if !st.ags.as_str().starts_with(code.as_str()) {
                return Some((0.0, sources));
            }
        }
        DriverFilter::Settlement(class) => {
            let t = settlement_class(st, factors)?;
            if let Some(o) = st.obs("settlement_type", None) {
                push_source(&mut sources, &o.source);
            }
            if &t.class != class {
                return Some((0.0, sources));
            }
        }
    }
    let v = match &d.base {
        DriverBase::Population => {
            let (v, f, _) = pop?.for_date(RefDate::end_of_year(st.year))?;
            sources.extend(f.sources.iter().cloned());
            v
        }
        DriverBase::IndustryArea => st.value("land_area", "settlement_ghd", &mut sources)?,
        DriverBase::SettlementArea => st.value("land_area", "land_settlement", &mut sources)?,
        DriverBase::AgriArea => st.value("land_area", "veg_agri", &mut sources)?,
        DriverBase::Employees => st.value("employees", "employees_total", &mut sources)?,
        DriverBase::ResidentialArea => {
            st.value("residential_area", "residential_buildings_area_total", &mut sources)?
        }
        DriverBase::HeatDemandHeatnet => {
            let (mwh, share) = st.heat_demand(factors, &mut sources)?;
            mwh * share
        }
        DriverBase::HeatDemandOther => {
            let (mwh, share) = st.heat_demand(factors, &mut sources)?;
            mwh * (1.0 - share)
        }
        DriverBase::EtsShare(branch) => {
            let b = factors.branches.iter().find(|b| &b.branch == branch)?;
            let mut t = 0.0;
            for c in &b.ets_columns {
                if let Some(o) = st.obs("ets_emissions", Some(c)) {
                    if let Ok(v) = o.value {
                        t += v;
                        push_source(&mut sources, &o.source);
                    }
                }
            }
            t / b.national_ets_t
        }
    };
    Some((v, sources))
}

struct Cell {
    sector: String,
    carrier: String,
    mwh: f64,
    grade: Grade,
    local: bool,
    sources: Vec<Arc<Source>>,
    /// The drivers the estimate rests on with the MWh (memo: t) each contributes; empty for local data.
    parts: Vec<(Arc<str>, f64)>,
}

/// Start-balance cells for a member in `year` (no local data involved): BISKO cells in MWh and,
/// separately, memo cells (`memo_…` sectors) in t CO2e. Rows of one sector and carrier are summed.
fn estimate(
    ags: &Ags,
    index: &ObsIndex<'_>,
    pop: Option<&Population>,
    factors: &Factors,
    year: i32,
    start_source: Option<&Arc<Source>>,
) -> (Vec<Cell>, Vec<Cell>) {
    let st = Structure { ags, index, year };
    let (mut cells, mut memo): (Vec<Cell>, Vec<Cell>) = (Vec::new(), Vec::new());
    for s in &factors.start {
        let Some((d, mut sources)) = driver(&st, factors, pop, &s.parsed) else {
            continue;
        };
        let v = s.mwh_per_unit * d;
        if v == 0.0 {
            continue;
        }
        sources.extend(start_source.cloned());
        let target = if s.sector.starts_with(MEMO_PREFIX) {
            &mut memo
        } else {
            &mut cells
        };
        match target
            .iter_mut()
            .find(|c| c.sector == s.sector && c.carrier == s.carrier)
        {
            Some(c) => {
                c.mwh += v;
                c.grade = c.grade.worst(s.grade);
                for x in &sources {
                    push_source(&mut c.sources, x);
                }
                match c
                    .parts
                    .iter_mut()
                    .find(|(d, _)| Arc::ptr_eq(d, &s.driver) || *d == s.driver)
                {
                    Some(part) => part.1 += v,
                    None => c.parts.push((s.driver.clone(), v)),
                }
            }
            None => target.push(Cell {
                sector: s.sector.clone(),
                carrier: s.carrier.clone(),
                mwh: v,
                grade: s.grade,
                local: false,
                sources,
                parts: vec![(s.driver.clone(), v)],
            }),
        }
    }
    (cells, memo)
}

/// Computes the balance of the latest year ≤ `year`. `Ok(None)` if the member has neither local
/// data nor the structural data for a start balance; `Err` if a carrier has no emission factor.
pub fn balance(
    ags: &Ags,
    index: &ObsIndex<'_>,
    factors: &Factors,
    factor_sources: &[Arc<Source>],
    year: i32,
    pop: Option<&Population>,
) -> Result<Option<Balance>, ComputeError> {
    let local_date = index.latest_date(ags, "final_energy", year);
    // The balance year: that of the local data, else the latest population date (structural data).
    let Some(date) = local_date.or_else(|| pop.and_then(|p| p.running.date)) else {
        return Ok(None);
    };
    let member = MemberYear {
        ags,
        index,
        factors,
        pop,
        date,
        start_source: factor_sources.iter().find(|s| s.file.contains("start_balance")),
    };
    let local = member.local_energy();
    let published_totals: Vec<&Observation> = index.all_on(ags, "ghg_published_total", date.year);
    let (cells, memo_cells) = member.cells(&local, &published_totals);
    if cells.is_empty() {
        return Ok(None);
    }
    let Priced {
        rows,
        mut sources,
        contributions,
    } = member.price(&cells)?;
    let memo = memo_items(ags, index, date.year.max(year), memo_cells, &mut sources);
    let Totals {
        total_mwh,
        total_t,
        mut sectors,
        carriers,
    } = Totals::of(&rows);
    // Energy-weighted quality (memo items are outside the balance and do not count).
    let quality = if total_mwh > 0.0 {
        rows.iter().map(|r| r.mwh * r.grade.weight()).sum::<f64>() / total_mwh
    } else {
        0.0
    };
    let grade = nearest_grade(quality);
    let ef_sources = factor_sources.iter().filter(|s| s.file.contains("emission")).cloned();
    let all_sources: Vec<Arc<Source>> = sources.iter().cloned().chain(ef_sources).collect();
    let basis = FigureBasis {
        date,
        grade,
        sources: &all_sources,
        factors,
        all_estimated: rows.iter().all(|r| !r.local),
    };
    let mut figures = vec![basis.total_figure("final_energy_mwh", total_mwh, "MWh")];
    basis.sector_figures(&mut sectors, &rows, &published_totals, &mut figures);
    figures.push(basis.total_figure("ghg_t", total_t, "t CO2e"));
    let t_per_inhabitant = basis.per_inhabitant_figures(pop, total_mwh, total_t, &mut figures);
    let validation = if local.is_empty() {
        Vec::new()
    } else {
        member.validation(&sectors)
    };
    basis.validation_and_memo_figures(&validation, &memo, &mut figures);
    figures.push(basis.figure("balance_quality", quality, "0–1"));
    let local_cells = rows.iter().filter(|r| r.local).count();
    let estimated_cells = rows.len() - local_cells;
    let plaus = plausibility(
        &rows,
        contributions,
        total_t,
        t_per_inhabitant,
        factors.national("ghg_t_per_inhabitant", date.year).map(|n| n.value),
    );
    Ok(Some(Balance {
        date,
        rows,
        sectors,
        carriers,
        total_mwh,
        total_t,
        t_per_inhabitant,
        quality,
        grade,
        local_cells,
        estimated_cells,
        validation,
        memo,
        plausibility: plaus,
        figures,
    }))
}

/// A member and its balance date: what every step of [`balance`] looks up.
struct MemberYear<'a, 'i> {
    ags: &'a Ags,
    index: &'a ObsIndex<'i>,
    factors: &'a Factors,
    pop: Option<&'a Population>,
    date: RefDate,
    start_source: Option<&'a Arc<Source>>,
}

/// The balance rows with the sources they rest on and the t CO2e per plausibility driver.
struct Priced {
    rows: Vec<BalanceRow>,
    sources: Vec<Arc<Source>>,
    /// t CO2e per energy-intensive branch (`ets_share:<branch>`) or sector.
    contributions: Vec<(String, f64)>,
}

impl<'i> MemberYear<'_, 'i> {
    /// The member's local final energy of the balance date.
    fn local_energy(&self) -> Vec<&'i Observation> {
        self.index
            .all_on(self.ags, "final_energy", self.date.year)
            .into_iter()
            .filter(|o| o.date == self.date && o.value.is_ok())
            .collect()
    }

    fn estimate(&self) -> (Vec<Cell>, Vec<Cell>) {
        estimate(
            self.ags,
            self.index,
            self.pop,
            self.factors,
            self.date.year,
            self.start_source,
        )
    }

    /// The balance cells: local data, then the estimates that no local cell and no published sector
    /// total replaces; and the memo cells of the start balance.
    fn cells(&self, local: &[&Observation], published_totals: &[&Observation]) -> (Vec<Cell>, Vec<Cell>) {
        let complete: Vec<&str> = published_totals.iter().filter_map(|o| o.sector.as_deref()).collect();
        let mut cells: Vec<Cell> = local
            .iter()
            .map(|o| Cell {
                sector: o.sector.clone().unwrap_or_default(),
                carrier: o.category.clone().unwrap_or_default(),
                mwh: o.value.unwrap_or(0.0),
                grade: o.grade(),
                local: true,
                sources: vec![o.source.clone()],
                parts: Vec::new(),
            })
            .collect();
        let (estimates, memo_cells) = self.estimate();
        for e in estimates {
            let replaced = complete.iter().any(|c| covers(c, &e.sector))
                || cells
                    .iter()
                    .any(|c| c.local && c.carrier == e.carrier && covers(&c.sector, &e.sector));
            if !replaced {
                cells.push(e);
            }
        }
        (cells, memo_cells)
    }

    /// Applies the emission factors: one row per cell; an error names the first cell without one.
    fn price(&self, cells: &[Cell]) -> Result<Priced, ComputeError> {
        let published: Vec<&Observation> = self.index.all_on(self.ags, "ghg_published", self.date.year);
        let mut out = Priced {
            rows: Vec::new(),
            sources: Vec::new(),
            contributions: Vec::new(),
        };
        for c in cells {
            let f = self
                .factors
                .emission_factor(&c.carrier, &c.sector, self.date.year, self.ags.as_str())
                .ok_or_else(|| ComputeError::MissingEmissionFactor {
                    carrier: c.carrier.clone(),
                    sector: c.sector.clone(),
                    year: self.date.year,
                })?;
            let published_t = published
                .iter()
                .find(|p| p.sector.as_deref() == Some(&c.sector) && p.category.as_deref() == Some(&c.carrier))
                .and_then(|p| p.value.ok());
            out.rows.push(BalanceRow {
                sector: c.sector.clone(),
                carrier: c.carrier.clone(),
                mwh: c.mwh,
                g_per_kwh: f.g_co2e_per_kwh,
                factor_year: f.valid_year,
                t: c.mwh * f.g_co2e_per_kwh / 1000.0,
                published_t,
                local: c.local,
                grade: c.grade,
                drivers: c.parts.iter().map(|(d, _)| d.clone()).collect(),
            });
            add_contributions(&mut out.contributions, c, f.g_co2e_per_kwh);
            for s in &c.sources {
                push_source(&mut out.sources, s);
            }
        }
        Ok(out)
    }

    /// Where local data exists: what the start balance would have said, sector by sector.
    fn validation(&self, sectors: &[SectorTotal]) -> Vec<Validation> {
        let (est, _) = self.estimate();
        let mut validation = Vec::new();
        for s in sectors {
            let est_t: f64 = est
                .iter()
                .filter(|e| group_of(&e.sector) == s.sector)
                .filter_map(|e| {
                    Some(
                        e.mwh
                            * self
                                .factors
                                .emission_factor(&e.carrier, &e.sector, self.date.year, self.ags.as_str())?
                                .g_co2e_per_kwh
                            / 1000.0,
                    )
                })
                .sum();
            if est_t > 0.0 {
                validation.push(Validation {
                    sector: s.sector.clone(),
                    local_t: s.t,
                    estimate_t: est_t,
                    deviation_pct: (est_t - s.t) / s.t * 100.0,
                });
            }
        }
        validation
    }
}

/// Adds a cell's t CO2e per driver to the contributions: energy-intensive branches by name,
/// everything else by sector (for the plausibility note).
fn add_contributions(contributions: &mut Vec<(String, f64)>, c: &Cell, g_per_kwh: f64) {
    for (d, mwh) in &c.parts {
        let key = if d.starts_with("ets_share:") {
            d.to_string()
        } else {
            c.sector.clone()
        };
        let t = mwh * g_per_kwh / 1000.0;
        match contributions.iter_mut().find(|(k, _)| *k == key) {
            Some(x) => x.1 += t,
            None => contributions.push((key, t)),
        }
    }
}

/// Totals of the balance rows: overall, per sector (in order of first appearance, with shares) and
/// per carrier (largest first, with shares).
struct Totals {
    total_mwh: f64,
    total_t: f64,
    sectors: Vec<SectorTotal>,
    carriers: Vec<CarrierTotal>,
}

/// Energy and emissions summed under one key (a sector or a carrier).
struct KeySum {
    key: String,
    mwh: f64,
    t: f64,
}

/// The rows' energy and emissions summed per key, in the order the keys first appear.
fn sums_by(rows: &[BalanceRow], key: impl Fn(&BalanceRow) -> &str) -> Vec<KeySum> {
    let mut sums: Vec<KeySum> = Vec::new();
    for r in rows {
        match sums.iter_mut().find(|s| s.key == key(r)) {
            Some(s) => {
                s.mwh += r.mwh;
                s.t += r.t;
            }
            None => sums.push(KeySum {
                key: key(r).to_string(),
                mwh: r.mwh,
                t: r.t,
            }),
        }
    }
    sums
}

impl Totals {
    fn of(rows: &[BalanceRow]) -> Totals {
        let total_mwh: f64 = rows.iter().map(|r| r.mwh).sum();
        let total_t: f64 = rows.iter().map(|r| r.t).sum();
        let share = |t: f64| t / total_t * 100.0;
        let sectors: Vec<SectorTotal> = sums_by(rows, |r| &r.sector)
            .into_iter()
            .map(|s| SectorTotal {
                sector: s.key,
                share_pct: share(s.t),
                mwh: s.mwh,
                t: s.t,
                published_t: None,
                deviation_pct: None,
                typical_error_pct: None,
            })
            .collect();
        let mut carriers: Vec<CarrierTotal> = sums_by(rows, |r| &r.carrier)
            .into_iter()
            .map(|c| CarrierTotal {
                carrier: c.key,
                share_pct: share(c.t),
                mwh: c.mwh,
                t: c.t,
            })
            .collect();
        carriers.sort_by(|a, b| b.t.total_cmp(&a.t));
        Totals {
            total_mwh,
            total_t,
            sectors,
            carriers,
        }
    }
}

/// What the figures of a balance share: date, grade, sources and whether all of it is estimated.
struct FigureBasis<'a> {
    date: RefDate,
    grade: Grade,
    sources: &'a [Arc<Source>],
    factors: &'a Factors,
    all_estimated: bool,
}

impl FigureBasis<'_> {
    fn figure(&self, id: &str, v: f64, unit: &str) -> Figure {
        let mut f = Figure::derived(id, v, unit, self.date, &[], self.sources);
        f.grade = self.grade;
        f
    }

    /// A start-balance figure says how far off such estimates typically are.
    fn estimate_note(&self, scope: &str) -> Option<Note> {
        self.factors.start_error(scope).map(|e| Note::Estimate {
            median_pct: e.median_abs_pct,
            p80_pct: e.p80_abs_pct,
            n: e.n,
        })
    }

    /// A balance total; an estimate's typical error if nothing is local.
    fn total_figure(&self, id: &str, v: f64, unit: &str) -> Figure {
        let mut f = self.figure(id, v, unit);
        if self.all_estimated {
            f.note = self.estimate_note("total");
        }
        f
    }

    /// `ghg_t_<sector>` per sector, noting an estimate's typical error or the deviation from a
    /// published total (which are also entered in the sector totals).
    fn sector_figures(
        &self,
        sectors: &mut [SectorTotal],
        rows: &[BalanceRow],
        published_totals: &[&Observation],
        figures: &mut Vec<Figure>,
    ) {
        for s in sectors {
            let mut f = self.figure(&format!("ghg_t_{}", s.sector), s.t, "t CO2e");
            if rows.iter().any(|r| r.sector == s.sector && !r.local) {
                f.note = self.estimate_note(&s.sector);
                s.typical_error_pct = self.factors.start_error(&s.sector).map(|e| e.median_abs_pct);
            }
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
    }

    /// t CO2e and MWh per inhabitant, where the population of the balance date is known; returns
    /// the t CO2e per inhabitant.
    fn per_inhabitant_figures(
        &self,
        pop: Option<&Population>,
        total_mwh: f64,
        total_t: f64,
        figures: &mut Vec<Figure>,
    ) -> Option<f64> {
        let (inhabitants, pop_fig, note) = pop.and_then(|p| p.for_date(self.date))?;
        let v = total_t / inhabitants;
        let mut srcs = self.sources.to_vec();
        srcs.extend(pop_fig.sources.iter().cloned());
        let mut f = Figure::derived("ghg_t_per_inhabitant", v, "t CO2e/EW", self.date, &[], &srcs);
        f.grade = self.grade;
        f.note = if self.all_estimated {
            self.estimate_note("total").or(note)
        } else {
            note
        };
        figures.push(f);
        let per_inh_mwh = total_mwh / inhabitants;
        let mut f = Figure::derived(
            "final_energy_mwh_per_inhabitant",
            per_inh_mwh,
            "MWh/EW",
            self.date,
            &[],
            &srcs,
        );
        f.grade = self.grade;
        figures.push(f);
        Some(v)
    }

    /// The start balance's deviation per validated sector, then the memo items as figures of their
    /// own (outside the BISKO total), one per kind.
    fn validation_and_memo_figures(&self, validation: &[Validation], memo: &[MemoItem], figures: &mut Vec<Figure>) {
        for v in validation {
            let mut f = self.figure(
                &format!("start_balance_deviation_pct_{}", v.sector),
                v.deviation_pct,
                "%",
            );
            f.grade = Grade::C;
            figures.push(f);
        }
        for (kind, id) in [
            ("process", "memo_process_t"),
            ("agriculture", "memo_agriculture_t"),
            ("ets", "ets_verified_t"),
        ] {
            let items: Vec<&MemoItem> = memo.iter().filter(|m| m.kind == kind).collect();
            if items.is_empty() {
                continue;
            }
            let t = items.iter().map(|m| m.t).sum();
            let mut f = Figure::derived(id, t, "t CO2e", self.date, &[], self.sources);
            f.grade = items.iter().map(|m| m.grade).fold(Grade::A, Grade::worst);
            figures.push(f);
        }
    }
}

/// Memo items outside the BISKO total: estimated process and agricultural emissions, and the
/// verified direct emissions of emissions-trading installations (DEHSt) as a cross-check of the
/// industry estimate — never added to the balance.
fn memo_items(
    ags: &Ags,
    index: &ObsIndex<'_>,
    year: i32,
    cells: Vec<Cell>,
    sources: &mut Vec<Arc<Source>>,
) -> Vec<MemoItem> {
    let mut memo: Vec<MemoItem> = cells
        .into_iter()
        .map(|c| {
            for s in &c.sources {
                push_source(sources, s);
            }
            MemoItem {
                kind: c.sector.trim_start_matches(MEMO_PREFIX).to_string(),
                item: c.carrier,
                t: c.mwh,
                grade: c.grade,
                drivers: c.parts.into_iter().map(|(d, _)| d.to_string()).collect(),
            }
        })
        .collect();
    let ets: Vec<&Observation> = index
        .all_on_all_years(ags, "ets_emissions")
        .into_iter()
        .filter(|o| o.date.year <= year && o.value.is_ok_and(|v| v > 0.0))
        .collect();
    let latest = ets.iter().map(|o| o.date).max();
    let t: f64 = ets
        .iter()
        .filter(|o| Some(o.date) == latest)
        .filter_map(|o| o.value.ok())
        .sum();
    if t > 0.0 {
        let src = ets[0].source.clone();
        memo.push(MemoItem {
            kind: "ets".into(),
            item: ETS.into(),
            t,
            grade: src.grade,
            drivers: Vec::new(),
        });
        push_source(sources, &src);
    }
    memo
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
            ags: None,
        }
    }

    #[test]
    fn municipal_factor_wins_in_its_year_and_federal_factor_of_a_later_year_wins_after() {
        let mut own = ef("district_heat", "*", 2019, 235.5);
        own.ags = Some("14713000".into());
        let f = Factors {
            emission: vec![
                ef("district_heat", "*", 2019, 180.0),
                own,
                ef("district_heat", "*", 2021, 175.0),
            ],
            ..Default::default()
        };
        let g = |ags: &str, year: i32| {
            f.emission_factor("district_heat", "households", year, ags)
                .unwrap()
                .g_co2e_per_kwh
        };
        assert_eq!(g("14713000", 2019), 235.5);
        assert_eq!(g("14729410", 2019), 180.0);
        assert_eq!(g("14713000", 2020), 235.5);
        assert_eq!(g("14713000", 2021), 175.0);
        assert_eq!(
            f.emission_factor("district_heat", "households", 2021, "14713000")
                .unwrap()
                .valid_year,
            2021
        );
    }

    #[test]
    fn sector_specific_factor_overrides_default_and_latest_year_wins_and_early_years_take_the_first() {
        let f = Factors {
            emission: vec![
                ef("natural_gas", "*", 2019, 247.0),
                ef("natural_gas", "transport", 2019, 257.3),
                ef("natural_gas", "*", 2022, 240.0),
            ],
            ..Default::default()
        };
        assert_eq!(
            f.emission_factor("natural_gas", "transport", 2019, "14729410")
                .unwrap()
                .g_co2e_per_kwh,
            257.3
        );
        assert_eq!(
            f.emission_factor("natural_gas", "buildings", 2019, "14729410")
                .unwrap()
                .g_co2e_per_kwh,
            247.0
        );
        assert_eq!(
            f.emission_factor("natural_gas", "buildings", 2024, "14729410")
                .unwrap()
                .g_co2e_per_kwh,
            240.0
        );
        // Before the table's first year: the first year's factor (labelled by its valid year).
        let early = f.emission_factor("natural_gas", "buildings", 2015, "14729410").unwrap();
        assert_eq!((early.valid_year, early.g_co2e_per_kwh), (2019, 247.0));
        assert!(f.emission_factor("lignite", "buildings", 2019, "14729410").is_none());
    }

    fn row(sector: &str, t: f64) -> BalanceRow {
        BalanceRow {
            sector: sector.into(),
            carrier: "natural_gas".into(),
            mwh: 0.0,
            g_per_kwh: 247.0,
            factor_year: 2021,
            t,
            published_t: None,
            local: false,
            grade: Grade::D,
            drivers: Vec::new(),
        }
    }

    #[test]
    fn plausibility_names_the_largest_driver_only_beyond_a_factor_of_two() {
        let rows = vec![row("households", 20.0), row("industry", 80.0)];
        let contributions = || {
            vec![
                ("households".to_string(), 20.0),
                ("ets_share:chem_basic".to_string(), 70.0),
                ("industry".to_string(), 10.0),
            ]
        };
        // 100 t for 5 inhabitants = 20 t, national 8.7 t: 2.3 times, 70 % from basic chemicals.
        let p = plausibility(&rows, contributions(), 100.0, Some(20.0), Some(8.7)).unwrap();
        assert_eq!(p.driver, "ets_share:chem_basic");
        assert!((p.share_pct - 70.0).abs() < 1e-9 && (p.ratio - 20.0 / 8.7).abs() < 1e-9);
        assert!(
            plausibility(&rows, contributions(), 100.0, Some(10.0), Some(8.7)).is_none(),
            "within a factor of two"
        );
        let p = plausibility(&rows, contributions(), 100.0, Some(4.0), Some(8.7)).unwrap();
        assert!(p.ratio < 0.5);
        let mut local = rows.clone();
        local[0].local = true;
        assert!(
            plausibility(&local, contributions(), 100.0, Some(20.0), Some(8.7)).is_none(),
            "only for estimates"
        );
    }

    #[test]
    fn grouped_local_sector_covers_its_members() {
        assert!(
            covers("buildings", "households") && covers("buildings", "municipal") && covers("transport", "transport")
        );
        assert!(!covers("buildings", "industry") && !covers("households", "commerce"));
        assert_eq!(group_of("commerce"), "buildings");
        assert_eq!(nearest_grade(0.3), Grade::C);
        assert_eq!(nearest_grade(0.9), Grade::A);
    }
}
