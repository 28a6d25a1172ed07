//! One cost model per measure, used by the offer to land users, the supply curve, the
//! recommendations and every table (issue 13): the investment as an annuity over the measure's
//! lifetime at the partnership's discount rate, running costs, the opportunity cost of the land
//! (farmland rent for the share taken out of production, forgone margins), less revenues, savings
//! and public payments already received → a net cost per unit and year and per tonne. The effect
//! is the mean over the lifetime with ramp-up and saturation, times the additional share.

use serde::Serialize;

use crate::ingest::catalogues::Measure;

/// The partnership's economic figures every cost uses (`[scenario]` in partnership.toml).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Economics {
    /// Real discount rate, e.g. 0.03.
    pub discount_rate: f64,
    /// Average farmland rent, € per ha and year.
    pub farmland_rent_eur_per_ha: f64,
}

impl Economics {
    pub fn of(sc: &crate::config::Scenario) -> Self {
        Economics {
            discount_rate: sc.discount_rate,
            farmland_rent_eur_per_ha: sc.farmland_rent_eur_per_ha,
        }
    }
}

/// Cost and effect of one unit of a measure (one ha, one inhabitant, one t of baseline …) per year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct UnitCost {
    /// Investment as an annuity over the lifetime, €.
    pub annuity: f64,
    pub running: f64,
    /// Farmland rent for the share taken out of production plus forgone margins, €.
    pub opportunity: f64,
    /// Annuity + running + opportunity, €.
    pub full: f64,
    /// Revenues and savings, €.
    pub revenue: f64,
    /// Public payments already received for the measure (eco-schemes …), €.
    pub public_funding: f64,
    /// Full cost − revenue − public funding, € (negative: the measure earns money).
    pub net: f64,
    /// Mean effect per year over the lifetime, t CO2e (positive = reduction or removal), with
    /// ramp-up, saturation and the additional share applied.
    pub effect_t: f64,
    /// Net € per tonne; `None` where the effect is not quantified (0).
    pub net_per_t: Option<f64>,
}

/// Annual payment that repays `investment` over `years` at `rate` (the annuity factor);
/// without discounting, the investment divided by the years.
pub fn annuity(investment: f64, rate: f64, years: f64) -> f64 {
    if investment == 0.0 {
        return 0.0;
    }
    let n = years.max(1.0);
    if rate.abs() < 1e-12 {
        investment / n
    } else {
        investment * rate / (1.0 - (1.0 + rate).powf(-n))
    }
}

/// Share of the full effect reached on average over the lifetime: linear ramp-up over
/// `ramp_years` (year t reaches t / ramp), nothing after `saturation_years` (0 = never saturates).
pub fn mean_effect_share(ramp_years: f64, saturation_years: f64, lifetime_years: f64) -> f64 {
    let n = lifetime_years.round().max(1.0) as u32;
    let sum: f64 = (1..=n)
        .map(|t| {
            let t = f64::from(t);
            if saturation_years > 0.0 && t > saturation_years {
                0.0
            } else if ramp_years > 0.0 {
                (t / ramp_years).min(1.0)
            } else {
                1.0
            }
        })
        .sum();
    sum / f64::from(n)
}

/// The cost model of one measure.
pub fn unit_cost(m: &Measure, e: &Economics) -> UnitCost {
    let annuity = annuity(m.investment, e.discount_rate, m.lifetime_years);
    let running = m.running_cost;
    let opportunity = m.land_out_of_production * e.farmland_rent_eur_per_ha + m.forgone_margin;
    let full = annuity + running + opportunity;
    let net = full - m.revenue - m.public_funding;
    let effect_t =
        -m.effect * m.additional_share * mean_effect_share(m.ramp_years, m.saturation_years, m.lifetime_years);
    UnitCost {
        annuity,
        running,
        opportunity,
        full,
        revenue: m.revenue,
        public_funding: m.public_funding,
        net,
        effect_t,
        net_per_t: (effect_t.abs() > 0.0).then(|| net / effect_t),
    }
}

/// Carbon price at which the payment (removal × price × (1 − buffer)) covers the net cost;
/// 0 where the measure pays for itself, `None` where it removes nothing (never infinite).
pub fn break_even_price(c: &UnitCost, buffer_share: f64) -> Option<f64> {
    let paid = c.effect_t * (1.0 - buffer_share);
    if paid <= 0.0 {
        None
    } else {
        Some((c.net / paid).max(0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annuity_by_hand() {
        // 6,000 € over 100 years at 3 %: 6000 × 0.03 / (1 − 1.03^−100) = 189.88 €.
        assert!((annuity(6000.0, 0.03, 100.0) - 189.880).abs() < 1e-3);
        // 1,000 € over 20 years at 5 %: 80.24 € (annuity tables).
        assert!((annuity(1000.0, 0.05, 20.0) - 80.243).abs() < 1e-3);
        // Without discounting, the investment spread evenly.
        assert_eq!(annuity(1000.0, 0.0, 20.0), 50.0);
        assert_eq!(annuity(0.0, 0.03, 20.0), 0.0);
    }

    #[test]
    fn ramp_up_and_saturation_by_hand() {
        // 10-year ramp over 30 years: (0.1 + … + 0.9 = 4.5) + 21 full years = 25.5 / 30 = 0.85.
        assert!((mean_effect_share(10.0, 0.0, 30.0) - 0.85).abs() < 1e-12);
        // Humus: saturated after 20 years; over a 20-year life the full effect, over 30 years 2/3.
        assert_eq!(mean_effect_share(0.0, 20.0, 20.0), 1.0);
        assert!((mean_effect_share(0.0, 20.0, 30.0) - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(mean_effect_share(0.0, 0.0, 15.0), 1.0);
    }

    fn cost(net: f64, effect_t: f64) -> UnitCost {
        UnitCost {
            annuity: 0.0,
            running: net,
            opportunity: 0.0,
            full: net,
            revenue: 0.0,
            public_funding: 0.0,
            net,
            effect_t,
            net_per_t: Some(net / effect_t),
        }
    }

    #[test]
    fn break_even_price_by_hand() {
        // 98 € net per ha, 0.85 t per ha, 20 % buffer: 98 / (0.85 × 0.8) = 144.12 €/t.
        let b = break_even_price(&cost(98.0, 0.85), 0.2).unwrap();
        assert!((b - 144.118).abs() < 1e-3);
        // Pays for itself: 0, never negative; removes nothing: none, never infinite.
        assert_eq!(break_even_price(&cost(-10.0, 1.0), 0.2), Some(0.0));
        assert_eq!(break_even_price(&cost(10.0, 0.0), 0.2), None);
    }
}
