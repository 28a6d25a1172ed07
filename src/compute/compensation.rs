//! The partnership's compensation balance and the offer to land users: gross emissions, the
//! existing land sink (shown, never counted as compensation), what land-use measures on the
//! members' eligible land would ADDITIONALLY remove where the offer covers the land user's full
//! cost, what remains, the supply curve (tonnes available at each carbon price) and what that
//! buys the city against its gross and its target-year residual emissions. Every cost comes from
//! the one cost model in `compute::cost`.

use serde::Serialize;

use super::cost::{break_even_price, unit_cost, Economics, UnitCost};
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
    /// Eligible units (basis × eligible share).
    pub eligible: f64,
    /// Share taken up where the offer covers the full cost (configured), and the share that
    /// follows from the offer at the configured price (the configured share or 0).
    pub uptake: f64,
    pub uptake_applied: f64,
    /// Contracted units at the configured price (eligible × applied uptake).
    pub contracted: f64,
    /// Credited removal at the configured price, t CO2e per year: contracted × mean additional
    /// removal × (1 − buffer).
    pub removal_t: f64,
    /// What the same measure would credit where its break-even price is paid.
    pub supply_t: f64,
    /// Payment to land users per year at the configured price, €.
    pub payment_eur: f64,
    pub assumption: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct MemberCompensation {
    pub name: String,
    pub ags: String,
    pub role: Role,
    pub gross_t: Option<f64>,
    /// Year of the balance behind `gross_t`.
    pub gross_year: Option<i32>,
    /// Net land-use flux today (negative = sink).
    pub land_sink_t: Option<f64>,
    /// The same flux with the lowest and highest bound of the forest range.
    pub land_sink_range_t: Option<(f64, f64)>,
    pub potentials: Vec<Potential>,
    pub removal_t: f64,
    pub payment_eur: f64,
}

/// Why an offer has no or a zero break-even price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferNote {
    /// The measure's revenues and public payments already cover its cost: it needs no carbon
    /// payment, so a payment would not make it additional.
    PaysForItself,
    /// The measure removes nothing that can be credited: no price covers its cost.
    NoRemoval,
}

/// The offer per measure: what a land user gets per unit and year, against the full cost.
#[derive(Debug, Clone, Serialize)]
pub struct Offer {
    pub measure: String,
    pub title: String,
    pub unit: String,
    /// Mean additional removal per unit and year over the lifetime (t CO2e, positive).
    pub removal_per_unit: f64,
    /// Paid per unit and year: removal × price × (1 − buffer).
    pub payment_per_unit: f64,
    /// The cost model per unit and year (annuity, running, opportunity, revenue, funding, net).
    pub cost: UnitCost,
    /// Net cost per unit and year: what the payment has to cover.
    pub cost_per_unit: f64,
    pub covers_cost: bool,
    /// Carbon price at which the payment covers the net cost, €/t; `None` with a note where
    /// no price does.
    pub break_even_price: Option<f64>,
    pub note: Option<OfferNote>,
    /// Configured uptake where the offer covers the cost, and the uptake at the configured price.
    pub uptake: f64,
    pub uptake_applied: f64,
    pub ramp_years: f64,
    pub saturation_years: f64,
    pub permanence_note: String,
    pub additional_share: f64,
    pub additionality_source: String,
    pub effect_source: String,
    pub cost_source: String,
    pub economics_source: String,
    pub assumption: bool,
}

/// One step of the supply curve: a measure's credited tonnes from the rural partners, available
/// from its break-even price on.
#[derive(Debug, Clone, Serialize)]
pub struct SupplyStep {
    pub price_eur_per_t: f64,
    pub measure: String,
    pub title: String,
    pub tonnes: f64,
    pub cumulative_tonnes: f64,
}

/// The supply curve read at one price: tonnes, what they cost the buyer, and what they cover.
#[derive(Debug, Clone, Serialize)]
pub struct SupplyPoint {
    pub price_eur_per_t: f64,
    pub tonnes: f64,
    /// What the city pays per year for these tonnes at this price, €.
    pub cost_eur: f64,
    /// Share of the city's gross emissions, %.
    pub city_pct: Option<f64>,
    /// Share of the city's residual emissions in its target year, %.
    pub residual_pct: Option<f64>,
}

/// The city's residual emissions in its target year (the latest target above zero).
#[derive(Debug, Clone, Serialize)]
pub struct Residual {
    pub year: i32,
    pub t: f64,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Compensation {
    pub price_eur_per_t: f64,
    pub price_source: String,
    pub buffer_share: f64,
    pub contract_years: u32,
    pub discount_rate: f64,
    pub discount_rate_source: String,
    pub farmland_rent_eur_per_ha: f64,
    pub farmland_rent_source: String,
    pub members: Vec<MemberCompensation>,
    pub offers: Vec<Offer>,
    pub region_gross_t: f64,
    /// The balance years added into `region_gross_t` (more than one: the sum mixes years).
    pub gross_years: Vec<i32>,
    pub city_gross_t: Option<f64>,
    /// Names of the members in the city role (the text names one city, or counts several).
    pub cities: Vec<String>,
    /// Net land-use flux of all members today (negative = sink): shown, not counted as compensation.
    pub existing_sink_t: f64,
    /// The same with the forest flux at the lowest and highest bound of its range (inventory mean,
    /// forest inventory 2022): the existing sink is uncertain, and may be a source.
    pub existing_sink_range_t: Option<(f64, f64)>,
    /// Additional removals credited at the configured price (positive).
    pub measures_removal_t: f64,
    /// Gross − additional removals (the existing flux is not subtracted).
    pub remaining_t: f64,
    /// Share of the region's gross emissions offset by additional removals, %.
    pub offset_region_pct: f64,
    /// Share of the city's gross emissions the rural partners' additional removals offset, %.
    pub offset_city_pct: Option<f64>,
    /// Annual sum from the city to the rural partners' land users at the configured price, €.
    pub payment_total_eur: f64,
    /// The supply curve from the rural partners' land: steps in price order.
    pub supply: Vec<SupplyStep>,
    /// The curve at the configured prices (and the offer's price).
    pub supply_points: Vec<SupplyPoint>,
    pub residual: Option<Residual>,
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
    let economics = Economics::of(sc);
    let offers: Vec<Offer> = land_measures.iter().map(|m| offer(m, sc, &economics)).collect();
    let out: Vec<MemberCompensation> = members
        .iter()
        .map(|mf| member_compensation(mf, &land_measures, &offers, sc))
        .collect();
    let region_gross_t: f64 = out.iter().filter_map(|m| m.gross_t).sum();
    let mut gross_years: Vec<i32> = out.iter().filter_map(|m| m.gross_year).collect();
    gross_years.sort_unstable();
    gross_years.dedup();
    let city_gross_t = sum_some(out.iter().filter(|m| m.role == Role::City).filter_map(|m| m.gross_t));
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
    let supply = supply_curve(&out, &offers);
    let residual = residual(members);
    let supply_points = supply_points(sc, &supply, city_gross_t, residual.as_ref());
    Some(Compensation {
        price_eur_per_t: sc.carbon_price_eur_per_t,
        price_source: sc.carbon_price_source.clone(),
        buffer_share: sc.buffer_share,
        contract_years: sc.contract_years,
        discount_rate: sc.discount_rate,
        discount_rate_source: sc.discount_rate_source.clone(),
        farmland_rent_eur_per_ha: sc.farmland_rent_eur_per_ha,
        farmland_rent_source: sc.farmland_rent_source.clone(),
        offset_region_pct: if region_gross_t > 0.0 {
            measures_removal_t / region_gross_t * 100.0
        } else {
            f64::NAN
        },
        offset_city_pct: city_gross_t.map(|c| rural_removal / c * 100.0),
        payment_total_eur: out
            .iter()
            .filter(|m| m.role == Role::Rural)
            .map(|m| m.payment_eur)
            .sum(),
        remaining_t: region_gross_t - measures_removal_t,
        members: out,
        offers,
        region_gross_t,
        gross_years,
        city_gross_t,
        cities,
        existing_sink_t,
        existing_sink_range_t,
        measures_removal_t,
        supply,
        supply_points,
        residual,
    })
}

fn sum_some(values: impl Iterator<Item = f64>) -> Option<f64> {
    values.fold(None, |acc, v| Some(acc.unwrap_or(0.0) + v))
}

/// The offer to land users for one measure: removal, payment and the full cost per unit of land.
/// Uptake rule: land users take part (with the configured uptake) where the payment covers the
/// net cost, i.e. where the configured price reaches the break-even price; otherwise nobody does.
fn offer(m: &Measure, sc: &Scenario, e: &Economics) -> Offer {
    let cost = unit_cost(m, e);
    let paid_share = 1.0 - sc.buffer_share;
    let removal = cost.effect_t.max(0.0);
    let payment = removal * sc.carbon_price_eur_per_t * paid_share;
    let break_even = break_even_price(&cost, sc.buffer_share);
    let note = match break_even {
        None => Some(OfferNote::NoRemoval),
        Some(_) if cost.net <= 0.0 => Some(OfferNote::PaysForItself),
        Some(_) => None,
    };
    let uptake = sc.uptake.get(&m.id).copied().unwrap_or(sc.default_uptake);
    let covers = break_even.is_some_and(|b| b <= sc.carbon_price_eur_per_t) && note.is_none();
    Offer {
        measure: m.id.clone(),
        title: m.title.clone(),
        unit: m.cost_unit.trim_start_matches("€/").to_string(),
        removal_per_unit: removal,
        payment_per_unit: payment,
        cost_per_unit: cost.net,
        cost,
        covers_cost: covers,
        break_even_price: break_even,
        note,
        uptake,
        uptake_applied: if covers { uptake } else { 0.0 },
        ramp_years: m.ramp_years,
        saturation_years: m.saturation_years,
        permanence_note: m.permanence_note.clone(),
        additional_share: m.additional_share,
        additionality_source: m.additionality_source.clone(),
        effect_source: m.effect_source.clone(),
        cost_source: m.cost_source.clone(),
        economics_source: m.economics_source.clone(),
        assumption: m.assumption,
    }
}

/// A member's potentials under the scenario: the land measures that apply and whose basis is known.
fn member_compensation(
    mf: &MemberFacts,
    land_measures: &[&Measure],
    offers: &[Offer],
    sc: &Scenario,
) -> MemberCompensation {
    let paid_share = 1.0 - sc.buffer_share;
    let mut potentials = Vec::new();
    for (m, o) in land_measures.iter().zip(offers).filter(|(m, _)| applies(m, mf)) {
        let Some(basis_value) = figure(mf, &m.basis) else {
            continue;
        };
        let eligible = basis_value * m.eligible_share;
        let credited_per_unit = o.removal_per_unit * paid_share;
        let contracted = eligible * o.uptake_applied;
        let removal_t = contracted * credited_per_unit;
        potentials.push(Potential {
            measure: m.id.clone(),
            title: m.title.clone(),
            basis: m.basis.clone(),
            basis_value,
            eligible,
            uptake: o.uptake,
            uptake_applied: o.uptake_applied,
            contracted,
            removal_t,
            supply_t: if o.note.is_none() {
                eligible * o.uptake * credited_per_unit
            } else {
                0.0
            },
            payment_eur: removal_t * sc.carbon_price_eur_per_t,
            assumption: m.assumption,
        });
    }
    MemberCompensation {
        name: mf.member.name.clone(),
        ags: mf.member.ags.to_string(),
        role: mf.member.role,
        gross_t: mf.balance.as_ref().map(|b| b.total_t),
        gross_year: mf.balance.as_ref().map(|b| b.date.year),
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

/// The supply curve from the rural partners' land: per measure with a break-even price, the
/// credited tonnes at full uptake, in order of the price from which they are available.
pub fn supply_curve(members: &[MemberCompensation], offers: &[Offer]) -> Vec<SupplyStep> {
    let mut steps: Vec<SupplyStep> = offers
        .iter()
        .filter(|o| o.note.is_none())
        .filter_map(|o| {
            let tonnes: f64 = members
                .iter()
                .filter(|m| m.role == Role::Rural)
                .flat_map(|m| m.potentials.iter().filter(|p| p.measure == o.measure))
                .map(|p| p.supply_t)
                .sum();
            (tonnes > 0.0).then(|| SupplyStep {
                price_eur_per_t: o.break_even_price.unwrap_or(0.0),
                measure: o.measure.clone(),
                title: o.title.clone(),
                tonnes,
                cumulative_tonnes: 0.0,
            })
        })
        .collect();
    steps.sort_by(|a, b| {
        a.price_eur_per_t
            .total_cmp(&b.price_eur_per_t)
            .then_with(|| a.measure.cmp(&b.measure))
    });
    let mut sum = 0.0;
    for s in &mut steps {
        sum += s.tonnes;
        s.cumulative_tonnes = sum;
    }
    steps
}

/// Tonnes the curve offers at a price (every step whose break-even is reached).
pub fn tonnes_at(steps: &[SupplyStep], price: f64) -> f64 {
    steps
        .iter()
        .filter(|s| s.price_eur_per_t <= price)
        .map(|s| s.tonnes)
        .sum()
}

fn supply_points(
    sc: &Scenario,
    steps: &[SupplyStep],
    city_gross_t: Option<f64>,
    residual: Option<&Residual>,
) -> Vec<SupplyPoint> {
    let mut prices = sc.supply_prices.clone();
    prices.push(sc.carbon_price_eur_per_t);
    prices.sort_by(f64::total_cmp);
    prices.dedup();
    prices
        .into_iter()
        .map(|p| {
            let tonnes = tonnes_at(steps, p);
            SupplyPoint {
                price_eur_per_t: p,
                tonnes,
                cost_eur: tonnes * p,
                city_pct: city_gross_t.filter(|c| *c > 0.0).map(|c| tonnes / c * 100.0),
                residual_pct: residual.filter(|r| r.t > 0.0).map(|r| tonnes / r.t * 100.0),
            }
        })
        .collect()
}

/// The city's residual emissions in the year of its latest own target above zero, from the
/// target's level (t per inhabitant × inhabitants, or total t).
fn residual(members: &[MemberFacts]) -> Option<Residual> {
    let city = members.iter().find(|m| m.member.role == Role::City)?;
    let progress = city.progress.as_ref()?;
    let inhabitants = city.population.as_ref().and_then(|p| p.running.value);
    progress
        .targets
        .iter()
        .filter(|t| t.level > 0.0)
        .filter_map(|t| {
            let t_total = match t.indicator.as_str() {
                "ghg_t_per_inhabitant" => t.level * inhabitants?,
                _ => t.level,
            };
            Some(Residual {
                year: t.year,
                t: t_total,
                source: t.source.clone(),
            })
        })
        .max_by_key(|r| r.year)
}
