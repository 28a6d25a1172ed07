//! Land use (areas, shares, land take) and the land-use sink or source from per-hectare fluxes.
//! Shown beside, never inside, the BISKO energy balance.

use std::sync::Arc;

use serde::Serialize;

use super::select::ObsIndex;
use super::{Figure, Note};
use crate::ingest::Factors;
use crate::model::{Ags, Observation, RefDate, Source};

/// Land-use classes as printed, each a sum of statistical categories of variable `land_area`.
pub const CLASSES: &[(&str, &[&str])] = &[
    ("settlement", &["land_settlement"]),
    ("traffic", &["land_traffic"]),
    ("agriculture", &["veg_agri"]),
    ("forest", &["veg_forrest"]),
    ("woody", &["veg_wood"]),
    ("water", &["water_total"]),
    (
        "other",
        &["veg_heath", "veg_moor", "veg_marsh", "veg_plant_uncover_com"],
    ),
];

#[derive(Debug, Clone, Serialize)]
pub struct LandClass {
    pub id: String,
    pub ha: f64,
    pub share_pct: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct LandUse {
    pub date: RefDate,
    pub total_ha: f64,
    pub classes: Vec<LandClass>,
    /// Statistical categories on `date` (category → ha), the input of the sink.
    #[serde(skip)]
    pub categories: Vec<(String, f64, Arc<Source>)>,
    pub previous_date: Option<RefDate>,
    /// Settlement and traffic area change per year between the two dates (land take).
    pub land_take_ha_per_year: Option<f64>,
    /// This part's figures; `member_facts` moves them into `MemberFacts::figures` (empty afterwards).
    pub figures: Vec<Figure>,
}

pub fn land_use(ags: &Ags, index: &ObsIndex<'_>, year: i32) -> Option<LandUse> {
    let total = index.latest(ags, "land_area", Some("land_total"), year)?;
    let date = total.date;
    let total_ha = total.value.ok()?;
    let on = |d: RefDate, cat: &str| -> Option<&Observation> {
        index
            .latest(ags, "land_area", Some(cat), d.year)
            .filter(|o| o.date == d)
    };
    let mut figures = vec![Figure::from_obs("land_total", total)];
    let mut classes = Vec::new();
    for (id, cats) in CLASSES {
        let obs: Vec<&Observation> = cats.iter().filter_map(|c| on(date, c)).collect();
        if obs.is_empty() {
            continue;
        }
        let ha: f64 = obs.iter().filter_map(|o| o.value.ok()).sum();
        classes.push(LandClass {
            id: id.to_string(),
            ha,
            share_pct: ha / total_ha * 100.0,
        });
        figures.push(Figure::derived(&format!("area_{id}"), ha, "ha", date, &obs, &[]));
    }
    let categories = index
        .all_on(ags, "land_area", date.year)
        .into_iter()
        .filter(|o| o.date == date && o.category.as_deref() != Some("land_total"))
        .filter_map(|o| Some((o.category.clone()?, o.value.ok()?, o.source.clone())))
        .collect();

    // Settlement and traffic area: share and change against the previous date (land take).
    let st_now: Vec<&Observation> = ["land_settlement", "land_traffic"]
        .iter()
        .filter_map(|c| on(date, c))
        .collect();
    let mut previous_date = None;
    let mut land_take = None;
    if st_now.len() == 2 {
        let st: f64 = st_now.iter().filter_map(|o| o.value.ok()).sum();
        figures.push(Figure::derived(
            "share_settlement_traffic",
            st / total_ha * 100.0,
            "%",
            date,
            &[st_now[0], st_now[1], total],
            &[],
        ));
        if let Some(prev) = index.previous(ags, "land_area", Some("land_settlement"), date.year) {
            let pd = prev.date;
            let st_prev: Vec<&Observation> = ["land_settlement", "land_traffic"]
                .iter()
                .filter_map(|c| on(pd, c))
                .collect();
            if st_prev.len() == 2 {
                let before: f64 = st_prev.iter().filter_map(|o| o.value.ok()).sum();
                let years = f64::from(date.year - pd.year);
                let rate = (st - before) / years;
                let inputs = [st_now[0], st_now[1], st_prev[0], st_prev[1]];
                figures.push(
                    Figure::derived("land_take_ha_per_year", rate, "ha/a", date, &inputs, &[])
                        .with_note(Note::Between { from: pd, to: date }),
                );
                previous_date = Some(pd);
                land_take = Some(rate);
            }
        }
    }
    for (id, cat) in [("share_agriculture", "veg_agri"), ("share_forest", "veg_forrest")] {
        if let Some(o) = on(date, cat) {
            figures.push(Figure::derived(
                id,
                o.value.unwrap_or(0.0) / total_ha * 100.0,
                "%",
                date,
                &[o, total],
                &[],
            ));
        }
    }
    Some(LandUse {
        date,
        total_ha,
        classes,
        categories,
        previous_date,
        land_take_ha_per_year: land_take,
        figures,
    })
}

/// One line of the sink calculation: area of an inventory category × its per-hectare flux.
#[derive(Debug, Clone, Serialize)]
pub struct SinkRow {
    pub category: String,
    pub soil: String,
    pub area_ha: f64,
    pub t_per_ha: f64,
    pub t: f64,
}

/// The land-use total with one bound of the forest flux range.
#[derive(Debug, Clone, Serialize)]
pub struct ForestRangeRow {
    pub bound: String,
    pub period: String,
    pub t_per_ha: f64,
    pub forest_t: f64,
    pub total_t: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct LandSink {
    pub date: RefDate,
    pub rows: Vec<SinkRow>,
    /// Net flux in t CO2e per year; negative = uptake (sink).
    pub total_t: f64,
    /// State and year of the cropland/grassland split used, if the state's own was found.
    pub state_split: Option<(String, i32)>,
    /// The total with each bound of the forest range (inventory mean, forest inventory 2022).
    pub forest_range: Vec<ForestRangeRow>,
    /// This part's figures; `member_facts` moves them into `MemberFacts::figures` (empty afterwards).
    pub figures: Vec<Figure>,
}

/// Net land-use flux: Σ area(category) × share × flux(category, soil), from `land_use_mapping.csv`
/// and `land_use_fluxes.csv`.
/// Cropland and grassland use the member's state split of agricultural land where
/// `agri_split_states.csv` has its state, else the mapping's national split; the forest sink is
/// also computed with every bound of `forest_range.csv`.
pub fn sink(land: &LandUse, factors: &Factors, factor_sources: &[Arc<Source>], ags: &Ags) -> Option<LandSink> {
    if factors.land_mapping.is_empty() {
        return None;
    }
    let mut rows: Vec<SinkRow> = Vec::new();
    let mut area_sources: Vec<Arc<Source>> = Vec::new();
    let state_split = factors
        .agri_split
        .iter()
        .find(|s| ags.as_str().starts_with(s.state.as_str()));
    for m in &factors.land_mapping {
        let Some((_, ha, src)) = land.categories.iter().find(|(c, _, _)| *c == m.area_variable) else {
            continue;
        };
        let flux = factors.land_flux(&m.category, &m.soil)?;
        if !area_sources.iter().any(|s| s.file == src.file) {
            area_sources.push(src.clone());
        }
        let share = match (m.area_variable.as_str(), m.category.as_str(), state_split) {
            ("veg_agri", "cropland", Some(sp)) => sp.cropland_share,
            ("veg_agri", "grassland", Some(sp)) => sp.grassland_share,
            _ => m.share,
        };
        let area = ha * share;
        match rows.iter_mut().find(|r| r.category == m.category && r.soil == m.soil) {
            Some(r) => {
                r.area_ha += area;
                r.t += area * flux.t_co2e_per_ha;
            }
            None => rows.push(SinkRow {
                category: m.category.clone(),
                soil: m.soil.clone(),
                area_ha: area,
                t_per_ha: flux.t_co2e_per_ha,
                t: area * flux.t_co2e_per_ha,
            }),
        }
    }
    let total_t: f64 = rows.iter().map(|r| r.t).sum();
    // The forest flux as a range: the total with each bound's flux in place of the inventory mean.
    let forest_ha: f64 = rows.iter().filter(|r| r.category == "forest").map(|r| r.area_ha).sum();
    let forest_t: f64 = rows.iter().filter(|r| r.category == "forest").map(|r| r.t).sum();
    let forest_range: Vec<ForestRangeRow> = factors
        .forest_range
        .iter()
        .map(|b| ForestRangeRow {
            bound: b.bound.clone(),
            period: b.period.clone(),
            t_per_ha: b.t_co2e_per_ha,
            forest_t: forest_ha * b.t_co2e_per_ha,
            total_t: total_t - forest_t + forest_ha * b.t_co2e_per_ha,
        })
        .collect();
    let mut sources = area_sources;
    sources.extend(
        factor_sources
            .iter()
            .filter(|s| {
                s.file.contains("land_use")
                    || s.file.contains("forest_range")
                    || (state_split.is_some() && s.file.contains("agri_split"))
            })
            .cloned(),
    );
    let fig = |id: &str, v: f64, unit: &str| {
        let mut f = Figure::derived(id, v, unit, land.date, &[], &sources);
        f.grade = sources
            .iter()
            .map(|s| s.grade)
            .fold(crate::model::Grade::A, crate::model::Grade::worst);
        f
    };
    let mut figures = vec![
        fig("land_sink_t", total_t, "t CO2e/a"),
        fig("land_sink_t_per_ha", total_t / land.total_ha, "t CO2e/(ha·a)"),
    ];
    if let Some(b) = forest_range.iter().find(|b| b.bound == "bwi_2022") {
        let mut f = fig("land_sink_t_bwi_2022", b.total_t, "t CO2e/a");
        f.grade = crate::model::Grade::D;
        figures.push(f);
    }
    Some(LandSink {
        date: land.date,
        rows,
        total_t,
        state_split: state_split.map(|s| (s.state.clone(), s.year)),
        forest_range,
        figures,
    })
}
