//! Compute: from observations and factors to typed facts per member and for the partnership.
//! Compute knows meanings, not formats. Every figure keeps its reference date, its sources and a
//! BISKO data-quality grade.

pub mod assessment;
pub mod balance;
pub mod compensation;
pub mod cost;
pub mod generation;
pub mod land;
pub mod peers;
pub mod progress;
pub mod renewables;
pub mod select;

use std::sync::Arc;

use serde::Serialize;

use crate::config::{Member, Partnership};
use crate::ingest::ReferenceTables;
use crate::model::{Grade, Observation, RefDate, Source};
use select::ObsIndex;

/// Why a figure needs a remark next to it. Render turns these into sentences of the locale.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Note {
    /// Per-inhabitant value divided by the population of an earlier date.
    PopulationOfEarlierDate { population_date: RefDate },
    /// The census counts differ from the running population figure used.
    CensusDiffers {
        census: f64,
        census_date: RefDate,
        difference_pct: f64,
    },
    /// Computed: value compared with a published total.
    DeviationFromPublished { published: f64, deviation_pct: f64 },
    /// Change between two reference dates.
    Between { from: RefDate, to: RefDate },
    /// The office's value was missing (`.`, `x`, …) on the latest date.
    Missing,
    /// A start-balance estimate: its typical error measured on published balances
    /// (`factors/start_balance_error.csv`, written by `klimapartner validate`).
    Estimate { median_pct: f64, p80_pct: f64, n: usize },
}

/// One figure as shown in a document and in `indicators.csv`.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    /// Stable machine name, e.g. `population`, `pv_kw_per_inhabitant`; labels come from the locale.
    pub id: String,
    /// `None` means "no data", never zero.
    pub value: Option<f64>,
    pub unit: String,
    pub date: Option<RefDate>,
    pub grade: Grade,
    #[serde(skip)]
    pub sources: Vec<Arc<Source>>,
    /// The office's flag of the underlying cell.
    pub flag: Option<String>,
    pub note: Option<Note>,
}

impl Figure {
    /// A figure taken straight from one observation.
    pub fn from_obs(id: &str, o: &Observation) -> Figure {
        Figure {
            id: id.to_string(),
            // Nothing non-finite is ever a figure (ingest refuses such values; this is the backstop).
            value: o.value.ok().filter(|v| v.is_finite()),
            unit: o.unit.clone(),
            date: Some(o.date),
            grade: o.grade(),
            sources: vec![o.source.clone()],
            flag: o.flag.clone(),
            note: None,
        }
    }

    /// A figure computed from inputs: its grade is the weakest of theirs, its sources all of them.
    pub fn derived(
        id: &str,
        value: f64,
        unit: &str,
        date: RefDate,
        inputs: &[&Observation],
        extra: &[Arc<Source>],
    ) -> Figure {
        let mut sources: Vec<Arc<Source>> = Vec::new();
        for s in inputs.iter().map(|o| &o.source).chain(extra.iter()) {
            if !sources.iter().any(|x| x.file == s.file) {
                sources.push(s.clone());
            }
        }
        let grade = sources.iter().map(|s| s.grade).fold(Grade::A, Grade::worst);
        Figure {
            id: id.to_string(),
            // A division by zero or an overflow is "no data", never `inf` or `NaN`.
            value: value.is_finite().then_some(value),
            unit: unit.to_string(),
            date: Some(date),
            grade,
            sources,
            flag: None,
            note: None,
        }
    }

    pub fn with_note(mut self, note: Note) -> Figure {
        self.note = Some(note);
        self
    }
}

/// Population used as the denominator of per-inhabitant values.
#[derive(Debug, Clone, Serialize)]
pub struct Population {
    /// Running population of the latest date ≤ the reporting year.
    pub running: Figure,
    pub census: Option<Figure>,
    /// All running-population figures with a value, by date (denominators for other years).
    pub series: Vec<Figure>,
}

/// Everything computed for one member.
#[derive(Debug, Clone, Serialize)]
pub struct MemberFacts {
    pub member: Member,
    pub population: Option<Population>,
    pub land: Option<land::LandUse>,
    pub sink: Option<land::LandSink>,
    pub renewables: Option<renewables::Renewables>,
    pub balance: Option<balance::Balance>,
    /// Estimated local renewable generation, a memo item beside the balance.
    pub generation: Option<generation::Generation>,
    pub progress: Option<progress::Progress>,
    /// Values the administration supplied (`local/…` files): variable → latest value ≤ year.
    pub local: std::collections::BTreeMap<String, f64>,
    /// Settlement type (RegioStaR7 class, 71–77), for the comparison with similar municipalities.
    pub settlement_type: Option<i32>,
    /// Ratings and recommendations (empty without catalogues).
    pub assessment: Option<assessment::Assessment>,
    /// Flat list of all figures, in document order.
    pub figures: Vec<Figure>,
    /// Ingest's warnings about this member's figures up to the year, for the quality notes.
    pub data_warnings: Vec<crate::ingest::plausible::DataWarning>,
}

/// Partnership-wide results, computed once for all members.
#[derive(Debug, Clone, Serialize)]
pub struct RegionFacts {
    pub population: f64,
    pub area_ha: f64,
    pub land_sink_t: f64,
    /// Gross BISKO emissions of members that have a balance.
    pub ghg_t: Option<f64>,
    /// Share of those emissions the existing land sink offsets, in %.
    pub sink_offset_pct: Option<f64>,
    /// The compensation balance and the offer to land users (needs the toolbox catalogue).
    pub compensation: Option<compensation::Compensation>,
    /// Mean field scores of the partnership and the joint measures.
    pub assessment: Option<assessment::PartnershipAssessment>,
    /// Per figure id: the members' values sorted descending, for means and ranks (computed once).
    pub distributions: std::collections::BTreeMap<String, Vec<f64>>,
}

impl RegionFacts {
    pub fn mean(&self, id: &str) -> Option<f64> {
        let v = self.distributions.get(id)?;
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    }

    /// 1-based rank of `value` among the members (1 = highest) and the number of members with a value.
    pub fn rank(&self, id: &str, value: f64) -> Option<(usize, usize)> {
        let v = self.distributions.get(id)?;
        // Sorted descending: the members above `value` are a prefix.
        let rank = v.partition_point(|&x| x > value) + 1;
        Some((rank, v.len()))
    }

    /// 1-based rank counted from the favourable end: 1 = the most favourable value (the highest
    /// where higher is better, the lowest where lower is better).
    pub fn rank_favourable(&self, id: &str, value: f64, higher_is_better: bool) -> Option<(usize, usize)> {
        if higher_is_better {
            return self.rank(id, value);
        }
        let v = self.distributions.get(id)?;
        // Sorted descending: the members below `value` are a suffix.
        let below = v.len() - v.partition_point(|&x| x >= value);
        Some((below + 1, v.len()))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Facts {
    pub year: i32,
    pub members: Vec<MemberFacts>,
    /// Shared, so a document can be given a smaller member list with the same partnership figures.
    pub region: Arc<RegionFacts>,
    /// Members whose facts could not be computed, with the reason.
    pub failures: Vec<(Member, String)>,
}

impl Facts {
    /// The latest reference date of any figure of any member: the date a document of the whole
    /// partnership carries (the same rule as the documents' own, applied once).
    pub fn latest_date(&self) -> RefDate {
        self.members
            .iter()
            .flat_map(|m| m.figures.iter())
            .filter_map(|f| f.date)
            .max()
            .unwrap_or(RefDate::end_of_year(self.year))
    }
}

/// Computes facts for all members of the partnership, in parallel on the current rayon pool.
/// Nothing here is quadratic in the number of members: per-member work reads only that member's
/// observations, and partnership figures are one pass over the members. The observations are
/// taken by value: once the facts are made they are not needed any more (a national run holds
/// ~700,000), and they are dropped here.
pub fn compute(p: &Partnership, observations: Vec<Observation>, data: &ReferenceTables, year: i32) -> Facts {
    let index = ObsIndex::new(&observations);
    let (members, failures) = all_member_facts(p, &index, data, year);
    let members = if data.catalogues.indicators.is_empty() {
        members
    } else {
        assess_members(p, members, &index, data, year)
    };
    let (members, region) = region_facts(p, members, data);
    Facts {
        year,
        members,
        region: Arc::new(region),
        failures,
    }
}

/// Each member's facts, or the reason they could not be computed.
fn all_member_facts(
    p: &Partnership,
    index: &ObsIndex<'_>,
    data: &ReferenceTables,
    year: i32,
) -> (Vec<MemberFacts>, Vec<(Member, String)>) {
    use rayon::prelude::*;
    let results: Vec<Result<MemberFacts, String>> = p
        .members
        .par_iter()
        .map(|m| member_facts(p, m, index, data, year))
        .collect();
    let mut members = Vec::new();
    let mut failures = Vec::new();
    for (m, r) in p.members.iter().zip(results) {
        match r {
            Ok(f) => members.push(f),
            Err(e) => failures.push((m.clone(), e)),
        }
    }
    (members, failures)
}

/// The members' facts with their ratings and recommendations (needs the catalogues).
fn assess_members(
    p: &Partnership,
    members: Vec<MemberFacts>,
    index: &ObsIndex<'_>,
    data: &ReferenceTables,
    year: i32,
) -> Vec<MemberFacts> {
    use rayon::prelude::*;
    // The cost model depends on the measure and the partnership, not on the member: once per measure.
    let economics = cost::Economics::of(&p.scenario);
    let costs: Vec<cost::UnitCost> = data
        .catalogues
        .measures
        .iter()
        .map(|m| cost::unit_cost(m, &economics))
        .collect();
    members
        .into_par_iter()
        .map(|mf| {
            // Facts of earlier years, for the trend of each indicator against its previous year.
            let years: std::collections::BTreeSet<i32> =
                mf.figures.iter().filter_map(|f| f.date).map(|d| d.year - 1).collect();
            let previous: std::collections::BTreeMap<i32, MemberFacts> = years
                .into_iter()
                .filter_map(|y| Some((y, member_facts(p, &mf.member, index, data, y).ok()?)))
                .collect();
            let assessment = assessment::assess(&mf, &previous, index, &data.catalogues, &costs, year);
            MemberFacts {
                assessment: Some(assessment),
                ..mf
            }
        })
        .collect()
}

fn member_facts(
    p: &Partnership,
    m: &Member,
    index: &ObsIndex<'_>,
    data: &ReferenceTables,
    year: i32,
) -> Result<MemberFacts, String> {
    let population = population(m, index, year);
    let mut land = land::land_use(&m.ags, index, year);
    let mut sink = land
        .as_ref()
        .and_then(|l| land::sink(l, &data.factors, &data.factor_sources, &m.ags));
    let mut renewables = renewables::renewables(&m.ags, index, year, population.as_ref());
    let mut balance = balance::balance(
        &m.ags,
        index,
        &data.factors,
        &data.factor_sources,
        year,
        population.as_ref(),
    )?;
    let mut generation = generation::generation(
        renewables.as_ref(),
        balance.as_ref(),
        &data.factors,
        &data.factor_sources,
    );
    // The flat list in document order. The parts' own lists are moved into it, not copied: kept
    // twice, the figures of all 10,786 municipalities of a national run cost ~100 MB more.
    let mut figures = Vec::new();
    if let Some(p) = &population {
        figures.push(p.running.clone());
        figures.extend(p.census.clone());
    }
    for part in [
        land.as_mut().map(|x| &mut x.figures),
        sink.as_mut().map(|x| &mut x.figures),
        renewables.as_mut().map(|x| &mut x.figures),
        balance.as_mut().map(|x| &mut x.figures),
        generation.as_mut().map(|x| &mut x.figures),
    ]
    .into_iter()
    .flatten()
    {
        figures.append(part);
    }
    // Kept for every member of a national run (10,786 of them): no spare capacity.
    figures.shrink_to_fit();
    if let Some(b) = balance.as_mut() {
        b.rows.shrink_to_fit();
    }
    let targets = p.targets_for(&m.ags);
    let progress = progress::progress(
        &m.ags,
        index,
        balance.as_ref(),
        &targets,
        p.budgets.iter().find(|b| b.ags == m.ags),
        year,
    );
    Ok(MemberFacts {
        member: m.clone(),
        population,
        land,
        sink,
        renewables,
        balance,
        generation,
        progress,
        assessment: None,
        local: local_values(&m.ags, index, year),
        settlement_type: index
            .latest(&m.ags, "settlement_type", None, year)
            .and_then(|o| o.value.ok())
            .map(|v| v.round() as i32),
        figures,
        data_warnings: data
            .data_warnings
            .iter()
            .filter(|w| w.ags == m.ags && w.date.year <= year)
            .cloned()
            .collect(),
    })
}

/// Latest local value ≤ year per variable, from files under `local/`.
fn local_values(ags: &crate::model::Ags, index: &ObsIndex<'_>, year: i32) -> std::collections::BTreeMap<String, f64> {
    let mut best: std::collections::BTreeMap<String, (RefDate, f64)> = std::collections::BTreeMap::new();
    for o in index
        .of(ags)
        .iter()
        .filter(|o| o.source.file.starts_with("local/") && o.date.year <= year)
    {
        if let Ok(v) = o.value {
            if best.get(&o.variable).is_none_or(|(d, _)| *d <= o.date) {
                best.insert(o.variable.clone(), (o.date, v));
            }
        }
    }
    best.into_iter().map(|(k, (_, v))| (k, v)).collect()
}

/// Running population (Fortschreibung) of the latest date ≤ year, and the census beside it.
fn population(m: &Member, index: &ObsIndex<'_>, year: i32) -> Option<Population> {
    let running = index.latest(&m.ags, "population", None, year)?;
    // A population below one person cannot divide anything (ingest refuses it; this is the backstop).
    if !running.value.is_ok_and(|v| v.is_finite() && v >= 1.0) {
        return None;
    }
    let running_fig = Figure::from_obs("population", running);
    let census = index.latest(&m.ags, "population_census", None, year).map(|c| {
        let cv = c.value.unwrap_or(f64::NAN);
        let rv = running.value.unwrap_or(f64::NAN);
        Figure::from_obs("population_census", c).with_note(Note::CensusDiffers {
            census: cv,
            census_date: c.date,
            difference_pct: (cv - rv) / rv * 100.0,
        })
    });
    let series = index
        .series(&m.ags, "population", None)
        .iter()
        .filter(|o| o.value.is_ok())
        .map(|o| Figure::from_obs("population", o))
        .collect();
    Some(Population {
        running: running_fig,
        census,
        series,
    })
}

impl Population {
    /// The running population of the reporting year's latest date.
    pub fn value(&self) -> f64 {
        self.running.value.unwrap_or(f64::NAN)
    }

    /// The denominator for a per-inhabitant value of `date`: the population of the same year if
    /// there is one, else the nearest earlier, else the nearest later; with a note when the
    /// year differs.
    pub fn for_date(&self, date: RefDate) -> Option<(f64, &Figure, Option<Note>)> {
        let fig = self
            .series
            .iter()
            .rev()
            .find(|f| f.date.is_some_and(|d| d.year <= date.year))
            .or_else(|| self.series.first())?;
        let pd = fig.date?;
        let note = (pd.year != date.year).then_some(Note::PopulationOfEarlierDate { population_date: pd });
        Some((fig.value?, fig, note))
    }
}

/// The partnership's figures, complete: totals, the members' distributions, the compensation
/// scenario and the partnership's assessment. Returns the members too, with their part of the
/// compensation scenario added as figures.
fn region_facts(
    p: &Partnership,
    mut members: Vec<MemberFacts>,
    data: &ReferenceTables,
) -> (Vec<MemberFacts>, RegionFacts) {
    let totals = Totals::of(&members);
    // Means and ranks compare the members' own figures, before the compensation figures are added.
    let distributions = distributions(&members);
    let compensation = compensation::compensation(&members, &data.catalogues.measures, &p.scenario);
    add_compensation_figures(&mut members, compensation.as_ref(), &data.factor_sources);
    let assessment = (!data.catalogues.indicators.is_empty()).then(|| {
        let pairs: Vec<(&MemberFacts, &assessment::Assessment)> = members
            .iter()
            .filter_map(|m| Some((m, m.assessment.as_ref()?)))
            .collect();
        assessment::partnership(&pairs, &data.catalogues)
    });
    let region = RegionFacts {
        population: totals.population,
        area_ha: totals.area_ha,
        land_sink_t: totals.land_sink_t,
        ghg_t: totals.ghg_t,
        sink_offset_pct: totals.ghg_t.map(|g| -totals.land_sink_t / g * 100.0),
        compensation,
        assessment,
        distributions,
    };
    (members, region)
}

/// Sums over the members.
struct Totals {
    population: f64,
    area_ha: f64,
    land_sink_t: f64,
    /// Gross emissions of the members that have a balance.
    ghg_t: Option<f64>,
}

impl Totals {
    fn of(members: &[MemberFacts]) -> Totals {
        let population = members
            .iter()
            .filter_map(|m| m.population.as_ref())
            .map(Population::value)
            .sum();
        let area_ha = members.iter().filter_map(|m| m.land.as_ref()).map(|l| l.total_ha).sum();
        let land_sink_t: f64 = members.iter().filter_map(|m| m.sink.as_ref()).map(|s| s.total_t).sum();
        let balances: Vec<&balance::Balance> = members.iter().filter_map(|m| m.balance.as_ref()).collect();
        let ghg_t = (!balances.is_empty()).then(|| balances.iter().map(|b| b.total_t).sum::<f64>());
        Totals {
            population,
            area_ha,
            land_sink_t,
            ghg_t,
        }
    }
}

/// Per figure id, the members' values sorted descending.
fn distributions(members: &[MemberFacts]) -> std::collections::BTreeMap<String, Vec<f64>> {
    let mut distributions: std::collections::BTreeMap<String, Vec<f64>> = std::collections::BTreeMap::new();
    for f in members.iter().flat_map(|m| m.figures.iter()) {
        if let Some(v) = f.value.filter(|v| v.is_finite()) {
            distributions.entry(f.id.clone()).or_default().push(v);
        }
    }
    for v in distributions.values_mut() {
        v.sort_by(|a, b| b.total_cmp(a));
    }
    distributions
}

/// Each member's part of the compensation scenario as figures, so it appears in indicators.csv.
fn add_compensation_figures(
    members: &mut [MemberFacts],
    c: Option<&compensation::Compensation>,
    sources: &[Arc<Source>],
) {
    let Some(c) = c else { return };
    for m in members.iter_mut() {
        let Some(mc) = c.members.iter().find(|x| x.ags == m.member.ags.as_str()) else {
            continue;
        };
        let Some(date) = m.land.as_ref().map(|l| l.date) else {
            continue;
        };
        let srcs: Vec<Arc<Source>> = m
            .figures
            .iter()
            .find(|f| f.id == "land_total")
            .map(|f| f.sources.clone())
            .unwrap_or_default();
        let mut all = srcs;
        all.extend(sources.iter().cloned());
        let mut f = Figure::derived("compensation_removal_t", mc.removal_t, "t CO2e/a", date, &[], &all);
        f.grade = Grade::D;
        // Exactly two more (the list was shrunk to its length; a push would double it).
        m.figures.reserve_exact(2);
        m.figures.push(f);
        let mut f = Figure::derived("compensation_payment_eur", mc.payment_eur, "€/a", date, &[], &all);
        f.grade = Grade::D;
        m.figures.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_count_from_the_favourable_end() {
        let region = RegionFacts {
            population: 0.0,
            area_ha: 0.0,
            land_sink_t: 0.0,
            ghg_t: None,
            sink_offset_pct: None,
            compensation: None,
            assessment: None,
            distributions: [("x".to_string(), vec![9.0, 5.0, 5.0, 1.0])].into_iter().collect(),
        };
        // Higher is better: 9 is first, the tied 5s share rank 2, 1 is last.
        assert_eq!(region.rank_favourable("x", 9.0, true), Some((1, 4)));
        assert_eq!(region.rank_favourable("x", 5.0, true), Some((2, 4)));
        assert_eq!(region.rank_favourable("x", 1.0, true), Some((4, 4)));
        // Lower is better: 1 is first, the tied 5s share rank 2, 9 is last.
        assert_eq!(region.rank_favourable("x", 1.0, false), Some((1, 4)));
        assert_eq!(region.rank_favourable("x", 5.0, false), Some((2, 4)));
        assert_eq!(region.rank_favourable("x", 9.0, false), Some((4, 4)));
    }
}
