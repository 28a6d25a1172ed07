//! The partnership's compensation balance and the offer to land users: gross emissions, the
//! existing land sink, what land-use measures on the members' eligible land could remove, what
//! remains, and what a land user would be paid per hectare at the configured carbon price.

use serde::Serialize;

use super::MemberFacts;
use crate::config::Scenario;
use crate::ingest::catalogues::Measure;
use crate::model::Role;

/// One measure on one member's land.
#[derive(Debug, Clone, Serialize)]
pub struct Potential {
    pub measure: String,
    pub title: String,
    /// Basis figure (e.g. farmland in ha) and its value for the member.
    pub basis: String,
    pub basis_value: f64,
    /// Eligible units (basis × eligible share) and contracted units (× uptake).
    pub eligible: f64,
    pub uptake: f64,
    pub contracted: f64,
    /// Removal in t CO2e per year (positive = taken up).
    pub removal_t: f64,
    /// Payment to land users per year for the contracted units, in €.
    pub payment_eur: f64,
    pub assumption: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct MemberCompensation {
    pub name: String,
    pub ags: String,
    pub role: Role,
    pub gross_t: Option<f64>,
    /// Net land-use flux today (negative = sink).
    pub land_sink_t: Option<f64>,
    /// The same flux with the lowest and highest bound of the forest range.
    pub land_sink_range_t: Option<(f64, f64)>,
    pub potentials: Vec<Potential>,
    pub removal_t: f64,
    pub payment_eur: f64,
}

/// The offer per measure: what a land user gets per unit and year, against what it costs.
#[derive(Debug, Clone, Serialize)]
pub struct Offer {
    pub measure: String,
    pub title: String,
    pub unit: String,
    /// Removal per unit and year (t CO2e, positive).
    pub removal_per_unit: f64,
    /// Paid per unit and year: removal × price × (1 − buffer).
    pub payment_per_unit: f64,
    /// Cost per unit and year: running cost + investment spread over the contract.
    pub cost_per_unit: f64,
    pub covers_cost: bool,
    /// Carbon price at which the payment covers the cost, €/t.
    pub break_even_price: Option<f64>,
    pub effect_source: String,
    pub cost_source: String,
    pub assumption: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Compensation {
    pub price_eur_per_t: f64,
    pub price_source: String,
    pub buffer_share: f64,
    pub contract_years: u32,
    pub members: Vec<MemberCompensation>,
    pub offers: Vec<Offer>,
    pub region_gross_t: f64,
    pub city_gross_t: Option<f64>,
    /// Names of the members in the city role (the text names one city, or counts several).
    pub cities: Vec<String>,
    /// Net land-use flux of all members today (negative = sink).
    pub existing_sink_t: f64,
    /// The same with the forest flux at the lowest and highest bound of its range (inventory mean,
    /// forest inventory 2022): the existing sink is uncertain, and may be a source.
    pub existing_sink_range_t: Option<(f64, f64)>,
    /// What the measures would remove per year (positive).
    pub measures_removal_t: f64,
    /// Gross + existing net flux − measures.
    pub remaining_t: f64,
    /// Share of the region's gross emissions offset by existing sink and measures, %.
    pub offset_region_pct: f64,
    /// Share of the city's gross emissions the measures on rural land could offset, %.
    pub offset_city_pct: Option<f64>,
    /// Annual sum from the city to the rural partners' land users, €.
    pub payment_total_eur: f64,
}

/// A member's value for a name: a computed figure, else a locally supplied one.
pub fn figure(m: &MemberFacts, id: &str) -> Option<f64> {
    match m.figures.iter().find(|f| f.id == id) {
        Some(f) => f.value,
        None => m.local.get(id).copied(),
    }
}

/// Whether a measure's rule and roles let it apply to a member.
pub fn applies(measure: &Measure, m: &MemberFacts) -> bool {
    if !measure.roles.is_empty() && !measure.roles.contains(&m.member.role) {
        return false;
    }
    measure
        .rule
        .as_ref()
        .and_then(|r| r.eval(&|id| figure(m, id)))
        .is_some_and(|v| v != 0.0)
}

pub fn compensation(members: &[MemberFacts], measures: &[Measure], sc: &Scenario) -> Option<Compensation> {
    let land_measures: Vec<&Measure> = measures.iter().filter(|m| m.compensation).collect();
    if land_measures.is_empty() || !sc.carbon_price_eur_per_t.is_finite() {
        return None;
    }
    let price = sc.carbon_price_eur_per_t;
    let offers: Vec<Offer> = land_measures.iter().map(|m| offer(m, sc)).collect();
    let out: Vec<MemberCompensation> = members
        .iter()
        .map(|mf| member_compensation(mf, &land_measures, sc))
        .collect();
    let region_gross_t: f64 = out.iter().filter_map(|m| m.gross_t).sum();
    let city_gross_t = {
        let v: Vec<f64> = out
            .iter()
            .filter(|m| m.role == Role::City)
            .filter_map(|m| m.gross_t)
            .collect();
        (!v.is_empty()).then(|| v.iter().sum())
    };
    let cities: Vec<String> = out
        .iter()
        .filter(|m| m.role == Role::City)
        .map(|m| m.name.clone())
        .collect();
    let existing_sink_t: f64 = out.iter().filter_map(|m| m.land_sink_t).sum();
    let existing_sink_range_t = out.iter().any(|m| m.land_sink_range_t.is_some()).then(|| {
        out.iter()
            .map(|m| {
                m.land_sink_range_t
                    .or(m.land_sink_t.map(|t| (t, t)))
                    .unwrap_or((0.0, 0.0))
            })
            .fold((0.0, 0.0), |(a, b), (lo, hi)| (a + lo, b + hi))
    });
    let measures_removal_t: f64 = out.iter().map(|m| m.removal_t).sum();
    let rural_removal: f64 = out.iter().filter(|m| m.role == Role::Rural).map(|m| m.removal_t).sum();
    let remaining_t = region_gross_t + existing_sink_t - measures_removal_t;
    Some(Compensation {
        price_eur_per_t: price,
        price_source: sc.carbon_price_source.clone(),
        buffer_share: sc.buffer_share,
        contract_years: sc.contract_years,
        offset_region_pct: if region_gross_t > 0.0 {
            (measures_removal_t - existing_sink_t) / region_gross_t * 100.0
        } else {
            f64::NAN
        },
        offset_city_pct: city_gross_t.map(|c| rural_removal / c * 100.0),
        payment_total_eur: out
            .iter()
            .filter(|m| m.role == Role::Rural)
            .map(|m| m.payment_eur)
            .sum(),
        members: out,
        offers,
        region_gross_t,
        city_gross_t,
        cities,
        existing_sink_t,
        existing_sink_range_t,
        measures_removal_t,
        remaining_t,
    })
}

/// The offer to land users for one measure: removal, payment and cost per unit of land.
fn offer(m: &Measure, sc: &Scenario) -> Offer {
    let paid_share = 1.0 - sc.buffer_share;
    let contract = f64::from(sc.contract_years.max(1));
    let removal = -m.effect;
    let payment = removal.max(0.0) * sc.carbon_price_eur_per_t * paid_share;
    let cost = m.running_cost + m.investment / contract.min(m.lifetime_years);
    let break_even = (removal > 0.0).then(|| cost / (removal * paid_share));
    Offer {
        measure: m.id.clone(),
        title: m.title.clone(),
        unit: m.cost_unit.trim_start_matches("€/").to_string(),
        removal_per_unit: removal,
        payment_per_unit: payment,
        cost_per_unit: cost,
        covers_cost: payment >= cost,
        break_even_price: break_even,
        effect_source: m.effect_source.clone(),
        cost_source: m.cost_source.clone(),
        assumption: m.assumption,
    }
}

/// A member's potentials under the scenario: the land measures that apply and whose basis is known.
fn member_compensation(mf: &MemberFacts, land_measures: &[&Measure], sc: &Scenario) -> MemberCompensation {
    let paid_share = 1.0 - sc.buffer_share;
    let mut potentials = Vec::new();
    for m in land_measures.iter().filter(|m| applies(m, mf)) {
        let Some(basis_value) = figure(mf, &m.basis) else {
            continue;
        };
        let uptake = sc.uptake.get(&m.id).copied().unwrap_or(sc.default_uptake);
        let eligible = basis_value * m.eligible_share;
        let contracted = eligible * uptake;
        let removal_t = contracted * (-m.effect).max(0.0);
        potentials.push(Potential {
            measure: m.id.clone(),
            title: m.title.clone(),
            basis: m.basis.clone(),
            basis_value,
            eligible,
            uptake,
            contracted,
            removal_t,
            payment_eur: removal_t * sc.carbon_price_eur_per_t * paid_share,
            assumption: m.assumption,
        });
    }
    MemberCompensation {
        name: mf.member.name.clone(),
        ags: mf.member.ags.to_string(),
        role: mf.member.role,
        gross_t: mf.balance.as_ref().map(|b| b.total_t),
        land_sink_t: mf.sink.as_ref().map(|s| s.total_t),
        land_sink_range_t: mf.sink.as_ref().and_then(|s| {
            let lo = s.forest_range.iter().map(|b| b.total_t).reduce(f64::min)?;
            let hi = s.forest_range.iter().map(|b| b.total_t).reduce(f64::max)?;
            Some((lo, hi))
        }),
        removal_t: potentials.iter().map(|p| p.removal_t).sum(),
        payment_eur: potentials.iter().map(|p| p.payment_eur).sum(),
        potentials,
    }
}
