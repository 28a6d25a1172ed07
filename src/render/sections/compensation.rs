//! The compensation section: the region's balance of emissions, land flux and measures, the offer
//! to land users, with the waterfall and the offer chart; and the briefing's one-line summary.

use serde::Serialize;

use super::super::common::{alt_for, Chart, ChartKey, Section};
use super::super::Renderer;
use crate::chart::{self, PairedChart, Step, Waterfall};
use crate::compute::compensation::{Compensation, MemberCompensation, Offer, Potential};
use crate::compute::{Facts, MemberFacts};
use crate::model::Role;

#[derive(Serialize)]
pub struct CompensationView {
    pub price: String,
    pub price_source: String,
    pub buffer_pct: String,
    pub contract_years: u32,
    pub region_gross: String,
    pub city_gross: String,
    pub existing_sink: String,
    /// The existing land-use flux with the forest range, as a sentence (empty without a range).
    pub existing_sink_range: String,
    pub measures_removal: String,
    pub remaining: String,
    pub offset_region: String,
    pub offset_city: String,
    pub payment_total: String,
    pub headline: String,
    pub members: Vec<CompensationMemberRow>,
    pub potentials: Vec<PotentialRow>,
    pub offers: Vec<OfferRow>,
    pub offer_sources: Vec<OfferSourceRow>,
}

/// One member's part of the compensation balance.
#[derive(Serialize)]
pub struct CompensationMemberRow {
    pub member: String,
    /// Gross emissions (t CO2e).
    pub gross: String,
    /// Existing land-use flux (t CO2e).
    pub land_flux: String,
    /// Removal by measures (t CO2e).
    pub removal: String,
    /// Payment per year (€).
    pub payment: String,
}

/// What one measure could achieve in one member.
#[derive(Serialize)]
pub struct PotentialRow {
    pub member: String,
    /// The measure's title, marked if it rests on an assumption.
    pub measure: String,
    pub eligible: String,
    /// Uptake (%).
    pub uptake: String,
    pub contracted: String,
    /// Removal (t CO2e).
    pub removal: String,
    /// Payment per year (€).
    pub payment: String,
}

/// The offer to land users for one measure, per unit and year.
#[derive(Serialize)]
pub struct OfferRow {
    pub measure: String,
    pub unit: String,
    pub removal_per_unit: String,
    pub payment_per_unit: String,
    pub cost_per_unit: String,
    /// Whether the payment covers the cost (locale words).
    pub covers: String,
    /// The price per tonne at which payment equals cost, `–` if none.
    pub break_even: String,
    /// The assumption mark (empty if the figures are sourced).
    pub assumption: String,
}

/// Where an offer's effect and cost come from.
#[derive(Serialize)]
pub struct OfferSourceRow {
    pub measure: String,
    pub effect_source: String,
    pub cost_source: String,
}

/// The compensation section with the waterfall and the offer chart; `only` restricts the member
/// tables to one member (a report), `None` shows all (the handbook).
pub fn compensation_view(r: &Renderer, facts: &Facts, only: Option<&str>) -> Option<Section<CompensationView>> {
    let c = facts.region.compensation.as_ref()?;
    let t = |v: f64| r.locale.number(v, 0);
    let eur = |v: f64| format!("{} €", r.locale.number(v, 0));
    let members_in = |ags: &str| only.is_none_or(|o| o == ags);
    let view = CompensationView {
        price: format!("{} €/t", r.locale.number(c.price_eur_per_t, 0)),
        price_source: c.price_source.clone(),
        buffer_pct: format!("{} %", r.locale.number(c.buffer_share * 100.0, 0)),
        contract_years: c.contract_years,
        region_gross: t(c.region_gross_t),
        city_gross: c.city_gross_t.map(t).unwrap_or_default(),
        existing_sink: t(c.existing_sink_t),
        existing_sink_range: c
            .existing_sink_range_t
            .map(|(lo, hi)| {
                r.locale.fill(
                    "text",
                    "sink_range_sentence",
                    &[("low", r.locale.number(lo, 0)), ("high", r.locale.number(hi, 0))],
                )
            })
            .unwrap_or_default(),
        measures_removal: t(c.measures_removal_t),
        remaining: t(c.remaining_t),
        offset_region: format!("{} %", r.locale.number(c.offset_region_pct, 1)),
        offset_city: c
            .offset_city_pct
            .map(|v| format!("{} %", r.locale.number(v, 2)))
            .unwrap_or_default(),
        payment_total: eur(c.payment_total_eur),
        headline: headline(r, c),
        members: c
            .members
            .iter()
            .filter(|m| members_in(&m.ags))
            .map(|m| CompensationMemberRow {
                member: m.name.clone(),
                gross: m.gross_t.map(t).unwrap_or_default(),
                land_flux: m.land_sink_t.map(t).unwrap_or_default(),
                removal: t(m.removal_t),
                payment: eur(m.payment_eur),
            })
            .collect(),
        potentials: c
            .members
            .iter()
            .filter(|m| members_in(&m.ags))
            .flat_map(|m| m.potentials.iter().map(move |p| potential_row(r, m, p)))
            .collect(),
        offers: c.offers.iter().map(|o| offer_row(r, o)).collect(),
        offer_sources: c
            .offers
            .iter()
            .map(|o| OfferSourceRow {
                measure: o.title.clone(),
                effect_source: o.effect_source.clone(),
                cost_source: o.cost_source.clone(),
            })
            .collect(),
    };
    let charts = vec![waterfall_chart(r, c), offer_chart(r, c)];
    Some(Section { view, charts })
}

/// The section's opening sentence: gross, land flux, measures, remaining, and the shares offset.
fn headline(r: &Renderer, c: &Compensation) -> String {
    let t = |v: f64| r.locale.number(v, 0);
    r.locale.fill(
        "text",
        "compensation_headline",
        &[
            ("gross", t(c.region_gross_t)),
            ("sink", t(-c.existing_sink_t)),
            ("measures", t(c.measures_removal_t)),
            ("remaining", t(c.remaining_t)),
            ("pct_region", format!("{} %", r.locale.number(c.offset_region_pct, 1))),
            (
                "pct_city",
                c.offset_city_pct
                    .map(|v| format!("{} %", r.locale.number(v, 1)))
                    .unwrap_or_else(|| "–".into()),
            ),
            ("city", city_phrase(r, c)),
        ],
    )
}

fn potential_row(r: &Renderer, m: &MemberCompensation, p: &Potential) -> PotentialRow {
    PotentialRow {
        member: m.name.clone(),
        measure: format!(
            "{}{}",
            p.title,
            if p.assumption {
                format!(" ({})", r.locale.text("assumption"))
            } else {
                String::new()
            }
        ),
        eligible: r.locale.number(p.eligible, 0),
        uptake: format!("{} %", r.locale.number(p.uptake * 100.0, 0)),
        contracted: r.locale.number(p.contracted, 0),
        removal: r.locale.number(p.removal_t, 0),
        payment: format!("{} €", r.locale.number(p.payment_eur, 0)),
    }
}

fn offer_row(r: &Renderer, o: &Offer) -> OfferRow {
    OfferRow {
        measure: o.title.clone(),
        unit: o.unit.clone(),
        removal_per_unit: r.locale.number(o.removal_per_unit, 2),
        payment_per_unit: format!("{} €", r.locale.number(o.payment_per_unit, 0)),
        cost_per_unit: format!("{} €", r.locale.number(o.cost_per_unit, 0)),
        covers: r.locale.text(if o.covers_cost { "yes" } else { "no" }),
        break_even: o
            .break_even_price
            .map(|v| format!("{} €/t", r.locale.number(v, 0)))
            .unwrap_or_else(|| "–".into()),
        assumption: if o.assumption {
            r.locale.text("assumption")
        } else {
            String::new()
        },
    }
}

/// Waterfall: gross → existing land flux → measures → remaining.
fn waterfall_chart(r: &Renderer, c: &Compensation) -> Chart {
    let steps = vec![
        Step {
            label: r.locale.text("wf_gross"),
            value: c.region_gross_t / 1000.0,
            total: true,
        },
        Step {
            label: r.locale.text("wf_sink"),
            value: c.existing_sink_t / 1000.0,
            total: false,
        },
        Step {
            label: r.locale.text("wf_measures"),
            value: -c.measures_removal_t / 1000.0,
            total: false,
        },
        Step {
            label: r.locale.text("wf_remaining"),
            value: c.remaining_t / 1000.0,
            total: true,
        },
    ];
    let title = r.locale.text("chart_waterfall");
    let values: Vec<(String, String)> = steps
        .iter()
        .map(|s| (s.label.clone(), format!("{} kt", r.locale.number(s.value, 1))))
        .collect();
    let alt = alt_for(r, &title, &values);
    let svg = chart::waterfall(&Waterfall {
        style: r.locale.style,
        unit: r.locale.text("unit_kt_per_year"),
        steps,
    });
    Chart::new(
        ChartKey::Compensation,
        svg,
        title,
        alt,
        r.locale.text("compensation_source"),
    )
}

/// The offer: payment against cost per unit and year.
fn offer_chart(r: &Renderer, c: &Compensation) -> Chart {
    let rows: Vec<(String, [Option<f64>; 2], bool)> = c
        .offers
        .iter()
        .map(|o| {
            (
                o.title.clone(),
                [Some(o.cost_per_unit), Some(o.payment_per_unit)],
                false,
            )
        })
        .collect();
    let title = r.locale.fill(
        "text",
        "chart_offer",
        &[("price", r.locale.number(c.price_eur_per_t, 0))],
    );
    let values: Vec<(String, String)> = c
        .offers
        .iter()
        .map(|o| {
            (
                o.title.clone(),
                format!(
                    "{} € / {} €",
                    r.locale.number(o.payment_per_unit, 0),
                    r.locale.number(o.cost_per_unit, 0)
                ),
            )
        })
        .collect();
    let svg = chart::paired(&PairedChart {
        style: r.locale.style,
        unit: r.locale.text("eur_per_unit_year"),
        series: [r.locale.text("cost"), r.locale.text("payment")],
        rows,
        decimals: 0,
    });
    let alt = alt_for(r, &title, &values);
    Chart::new(ChartKey::Offer, svg, title, alt, r.locale.text("compensation_source"))
}

/// One sentence on compensation for a council: what the member's land users could earn, or how much
/// of the city's emissions the region can offset.
pub fn briefing_compensation(r: &Renderer, facts: &Facts, m: &MemberFacts) -> String {
    let Some(c) = facts.region.compensation.as_ref() else {
        return String::new();
    };
    match m.member.role {
        Role::Rural => c
            .members
            .iter()
            .find(|x| x.ags == m.member.ags.as_str())
            .filter(|x| x.removal_t > 0.0)
            .map(|x| {
                r.locale.fill(
                    "text",
                    "briefing_offer_rural",
                    &[
                        ("removal", r.locale.number(x.removal_t, 0)),
                        ("payment", r.locale.number(x.payment_eur, 0)),
                        ("price", r.locale.number(c.price_eur_per_t, 0)),
                    ],
                )
            })
            .unwrap_or_default(),
        Role::City => r.locale.fill(
            "text",
            "briefing_offer_city",
            &[
                (
                    "pct",
                    c.offset_city_pct
                        .map(|v| r.locale.number(v, 1))
                        .unwrap_or_else(|| "–".into()),
                ),
                ("payment", r.locale.number(c.payment_total_eur, 0)),
                ("city", city_phrase(r, c)),
            ],
        ),
    }
}

/// "von Leipzig" for one city member, "der 106 Städte der Partnerschaft" for several.
pub fn city_phrase(r: &Renderer, c: &Compensation) -> String {
    match c.cities.as_slice() {
        [one] => r.locale.fill("text", "city_one", &[("name", one.clone())]),
        many => r
            .locale
            .fill("text", "city_many", &[("n", r.locale.number(many.len() as f64, 0))]),
    }
}
