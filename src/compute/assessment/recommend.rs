//! Ranked measure recommendations for one member, with potentials a planner can follow:
//! potential = (basis × eligible share − what exists) × uptake × mean effect per unit (ramp-up,
//! saturation, additional share: `compute::cost`, computed once per measure by the caller), split into the effect on the member's own BISKO
//! balance, avoided emissions elsewhere (grid electricity) and land-use removals. Own effects are
//! capped by the emissions of the sectors they act on, shared in ranking order, so the sum of the
//! recommended own effects never exceeds the balance.
//!
//! Ranking: measures with a quantified effect first, by a score of 0.5 × own effect + 0.1 × effect
//! outside the balance + 0.2 × cost + 0.2 × weak field; each effect against 2 % of the member's
//! gross emissions (capped at 1); cost = 1 where the measure saves money, else 1 / (1 + net €/t ÷
//! 100), 0.5 where the catalogue gives no cost; weak field = 1 if it lifts one of the member's two weakest fields, 0.5 if it lifts an
//! indicator rated 1–2. Measures without a quantified effect follow, by the same weak-field term and
//! then by the rating of the indicator they lift.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{applies, FieldScore, Rating};
use crate::compute::balance::group_of;
use crate::compute::compensation::figure;
use crate::compute::cost::UnitCost;
use crate::compute::MemberFacts;
use crate::ingest::catalogues::{Catalogues, EffectScope, Measure};

/// Whether a recommendation's effect is quantified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Quantified,
    Unquantified,
}

impl Group {
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Quantified => "quantified",
            Group::Unquantified => "unquantified",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Recommendation {
    pub measure: std::sync::Arc<str>,
    /// Position of the measure in the catalogue.
    #[serde(skip)]
    pub catalogue_index: usize,
    pub score: f64,
    pub group: Group,
    /// Total effect in t CO2e per year (own + elsewhere + removal; positive = reduction or removal).
    pub potential_t: f64,
    /// Effect on the member's own BISKO balance, after the sector cap.
    pub own_t: f64,
    /// Avoided emissions outside the balance (grid electricity).
    pub elsewhere_t: f64,
    /// Land-use removal (outside BISKO; the compensation offer).
    pub removal_t: f64,
    /// The own effect was cut to what the capped sectors still emit.
    pub capped: bool,
    /// Units taking part: (basis × eligible share − existing) × uptake.
    pub eligible: f64,
    /// What already exists and was deducted, in the units of the eligible basis.
    pub existing: Option<f64>,
    /// Net € per tonne from the cost model (negative: the measure saves money).
    pub cost_per_t: Option<f64>,
    /// Net cost per year for the units taking part, €.
    pub net_cost_eur: f64,
    /// The catalogue gives no cost at all (neither cost nor revenue): unknown, not free.
    pub unknown_cost: bool,
    /// The indicator the measure lifts that is rated worst for this member, with its rating.
    pub weak_indicator: Option<(std::sync::Arc<str>, Option<u8>, Option<f64>)>,
    pub lifts_weak_field: bool,
}

pub fn recommend(
    m: &MemberFacts,
    cat: &Catalogues,
    costs: &[UnitCost],
    ratings: &[Rating],
    fields: &[FieldScore],
) -> Vec<Recommendation> {
    let weak = weakest_fields(fields);
    let mut recs: Vec<Recommendation> = cat
        .measures
        .iter()
        .zip(costs)
        .enumerate()
        .filter(|(_, (x, _))| applies(x, m))
        .map(|(i, (x, cost))| potential(m, i, x, cost, ratings, &weak))
        .collect();
    let gross = m.balance.as_ref().map(|b| b.total_t).filter(|t| *t > 0.0);
    for r in &mut recs {
        r.score = score(r, gross);
    }
    sort(&mut recs);
    apply_caps(m, cat, &mut recs);
    for r in &mut recs {
        r.score = score(r, gross);
    }
    sort(&mut recs);
    // Kept for every member of a national run: no spare capacity from the filtered collect.
    recs.shrink_to_fit();
    recs
}

/// The two weakest scored fields of action.
fn weakest_fields(fields: &[FieldScore]) -> Vec<&str> {
    let mut scored: Vec<&FieldScore> = fields.iter().filter(|f| f.score.is_some()).collect();
    scored.sort_by(|a, b| a.score.unwrap_or(5.0).total_cmp(&b.score.unwrap_or(5.0)));
    scored.iter().take(2).map(|f| f.field.as_str()).collect()
}

/// Units taking part: (basis × eligible share − what already exists, never below 0) × uptake.
pub fn taking_part(basis: f64, eligible_share: f64, existing: f64, uptake: f64) -> f64 {
    (basis * eligible_share - existing).max(0.0) * uptake
}

/// One measure's potential for the member, before the sector cap.
fn potential(
    m: &MemberFacts,
    index: usize,
    x: &Measure,
    cost: &UnitCost,
    ratings: &[Rating],
    weak: &[&str],
) -> Recommendation {
    let existing = (!x.existing.is_empty()).then(|| figure(m, &x.existing).unwrap_or(0.0));
    let eligible = taking_part(
        figure(m, &x.basis).unwrap_or(0.0),
        x.eligible_share,
        existing.unwrap_or(0.0),
        x.uptake,
    );
    let effect_t = (eligible * cost.effect_t).max(0.0);
    let (own_t, elsewhere_t, removal_t) = match x.scope() {
        EffectScope::Own => (effect_t, 0.0, 0.0),
        EffectScope::Elsewhere => (0.0, effect_t, 0.0),
        EffectScope::Sink => (0.0, 0.0, effect_t),
    };
    let weak_indicator = x
        .lifts
        .iter()
        .filter_map(|id| ratings.iter().find(|r| *r.indicator == **id))
        .min_by_key(|r| r.level.unwrap_or(6))
        .map(|r| (r.indicator.clone(), r.level, r.value));
    let lifts_weak_field = weak.contains(&x.field.as_str())
        || x.lifts.iter().any(|id| {
            ratings
                .iter()
                .any(|r| *r.indicator == **id && weak.contains(&&*r.field))
        });
    Recommendation {
        measure: x.key.clone(),
        catalogue_index: index,
        score: 0.0,
        group: if effect_t > 0.0 {
            Group::Quantified
        } else {
            Group::Unquantified
        },
        potential_t: effect_t,
        own_t,
        elsewhere_t,
        removal_t,
        capped: false,
        eligible,
        existing,
        cost_per_t: cost.net_per_t,
        net_cost_eur: eligible * cost.net,
        unknown_cost: cost.full == 0.0 && cost.revenue == 0.0 && cost.public_funding == 0.0,
        weak_indicator,
        lifts_weak_field,
    }
}

fn weak_term(r: &Recommendation) -> f64 {
    let low_rated = r.weak_indicator.as_ref().and_then(|w| w.1).is_some_and(|l| l <= 2);
    if r.lifts_weak_field {
        1.0
    } else if low_rated {
        0.5
    } else {
        0.0
    }
}

fn score(r: &Recommendation, gross_t: Option<f64>) -> f64 {
    let w = weak_term(r);
    if r.group == Group::Unquantified {
        return 0.2 * w;
    }
    // Against 2 % of the member's gross emissions: a measure that lowers the balance by that much
    // scores fully; effects outside the balance count in their own, smaller term.
    let scale = |t: f64| match gross_t {
        Some(g) => (t / (0.02 * g)).min(1.0),
        None => f64::from(u8::from(t > 0.0)),
    };
    let e = scale(r.own_t);
    let x = scale(r.elsewhere_t + r.removal_t);
    // A measure without any cost figure in the catalogue is not "free": its cost is unknown.
    let c = match r.cost_per_t {
        _ if r.unknown_cost => 0.5,
        Some(c) if c <= 0.0 => 1.0,
        Some(c) => 1.0 / (1.0 + c / 100.0),
        None => 0.0,
    };
    0.5 * e + 0.1 * x + 0.2 * c + 0.2 * w
}

/// Quantified before unquantified; then by score; unquantified by the rating they would lift.
fn sort(recs: &mut [Recommendation]) {
    recs.sort_by(|a, b| {
        let group = |r: &Recommendation| u8::from(r.group == Group::Unquantified);
        let level = |r: &Recommendation| r.weak_indicator.as_ref().and_then(|w| w.1).unwrap_or(6);
        group(a)
            .cmp(&group(b))
            .then_with(|| b.score.total_cmp(&a.score))
            .then_with(|| level(a).cmp(&level(b)))
            .then_with(|| a.measure.cmp(&b.measure))
    });
}

/// Shares the emissions of each capped sector between the measures in ranking order, and caps
/// every own effect at what the whole balance still emits.
fn apply_caps(m: &MemberFacts, cat: &Catalogues, recs: &mut [Recommendation]) {
    let Some(balance) = m.balance.as_ref() else {
        return;
    };
    let mut left: BTreeMap<String, f64> = balance.sectors.iter().map(|s| (s.sector.clone(), s.t)).collect();
    let mut total_left = balance.total_t.max(0.0);
    for r in recs.iter_mut().filter(|r| r.own_t > 0.0) {
        let x = &cat.measures[r.catalogue_index];
        // The sectors the balance has: a sector itself, or its group (Leipzig: buildings).
        let mut keys: Vec<String> = x
            .cap_sectors
            .iter()
            .filter_map(|s| {
                [s.as_str(), group_of(s)]
                    .into_iter()
                    .find(|k| left.contains_key(*k))
                    .map(str::to_string)
            })
            .collect();
        keys.sort();
        keys.dedup();
        let sector_room: f64 = if x.cap_sectors.is_empty() {
            total_left
        } else {
            keys.iter().map(|k| left[k]).sum::<f64>().min(total_left)
        };
        let own = r.own_t.min(sector_room.max(0.0));
        r.capped = own < r.own_t;
        r.potential_t -= r.own_t - own;
        r.own_t = own;
        // Take what the measure uses from its sectors, in proportion to what each still emits.
        let room: f64 = keys.iter().map(|k| left[k]).sum();
        for k in &keys {
            if room > 0.0 {
                let v = left[k];
                left.insert(k.clone(), v - own * v / room);
            }
        }
        total_left -= own;
    }
}

#[cfg(test)]
mod tests {
    use super::taking_part;

    #[test]
    fn potential_with_uptake_and_deduction_by_hand() {
        // 6,050 inhabitants × 1.769 kW rooftop PV each = 10,702 kW, less 4,000 kW installed = 6,702 kW,
        // of which half take part: 3,351 kW.
        assert!((taking_part(6050.0, 1.769, 4000.0, 0.5) - 3351.225).abs() < 1e-9);
        // More installed than the potential: nothing left, never negative.
        assert_eq!(taking_part(1000.0, 1.0, 2000.0, 0.5), 0.0);
    }
}
