//! The compensation section: the region's balance of emissions and additional removals (today's
//! land flux shown beside, not counted), the offer to land users against their full cost, the
//! supply curve and what it buys the city, with the waterfall, the offer and the supply chart; and
//! the briefing's one-line summary.

use serde::Serialize;

use super::super::common::{alt_for, fig, fill_text, Chart, ChartKey, Section};
use super::super::spread::{Legend, Spread};
use super::super::Renderer;
use crate::chart::supply::{supply, Block, SupplyChart};
use crate::chart::{self, PairedChart, Step, Waterfall};
use crate::compute::compensation::{Compensation, MemberCompensation, Offer, OfferNote, Potential, SupplyPoint};
use crate::compute::{Facts, MemberFacts};
use crate::model::Role;

#[derive(Serialize)]
pub struct CompensationView {
    pub price: String,
    pub price_source: String,
    pub buffer_pct: String,
    pub contract_years: u32,
    /// Discount rate and farmland rent with their sources, one line.
    pub economics: String,
    /// The uptake rule and the cost model in two sentences.
    pub uptake_rule: String,
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
    /// What the ranges of the member table mean (empty without estimates or a forest range).
    pub members_legend: String,
    pub members: Vec<CompensationMemberRow>,
    pub potentials: Vec<PotentialRow>,
    pub offers: Vec<OfferRow>,
    pub offer_sources: Vec<OfferSourceRow>,
    /// The supply curve's steps and its reading at the configured prices.
    pub supply: Vec<SupplyRow>,
    pub supply_points: Vec<SupplyPointRow>,
    /// What the region can supply at the offered and at any price, against the city's gross and
    /// residual emissions.
    pub supply_answer: String,
}

/// One step of the supply curve.
#[derive(Serialize)]
pub struct SupplyRow {
    pub price: String,
    pub measure: String,
    pub tonnes: String,
    pub cumulative: String,
}

/// The supply curve at one price.
#[derive(Serialize)]
pub struct SupplyPointRow {
    pub price: String,
    pub tonnes: String,
    /// What the city pays per year (€).
    pub cost: String,
    /// Share of the city's gross emissions (%).
    pub city_pct: String,
    /// Share of the city's residual emissions in its target year (%).
    pub residual_pct: String,
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
    /// The existing flux over the forest range ("−4.759 bis 1.130"; empty without a range).
    pub land_flux_range: String,
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
    /// Removal where the break-even price is paid (t CO2e).
    pub supply: String,
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
    /// Full cost: annuity + running cost + rent or forgone margin.
    pub full_cost: String,
    /// Revenues and public payments.
    pub income: String,
    /// Net cost: what the payment has to cover.
    pub cost_per_unit: String,
    /// Whether the payment covers the cost (locale words).
    pub covers: String,
    /// Uptake at the offered price.
    pub uptake: String,
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
    /// Ramp-up, saturation, additional share and what happens after the contract.
    pub time_and_permanence: String,
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
        economics: economics_line(r, c),
        uptake_rule: r.locale.text("offer_uptake_rule"),
        region_gross: t(c.region_gross_t),
        city_gross: c.city_gross_t.map(t).unwrap_or_default(),
        existing_sink: t(c.existing_sink_t),
        existing_sink_range: c
            .existing_sink_range_t
            .map(|(lo, hi)| {
                fill_text(
                    r,
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
        members_legend: members_legend(r, facts, c, &members_in),
        members: c
            .members
            .iter()
            .filter(|m| members_in(&m.ags))
            .map(|m| CompensationMemberRow {
                member: m.name.clone(),
                gross: m
                    .gross_t
                    .map(|g| {
                        let v = match gross_spread(facts, &m.ags) {
                            Some(s) => s.approx(r, &t(g)),
                            None => t(g),
                        };
                        format!("{v} ({})", m.gross_year.unwrap_or_default())
                    })
                    .unwrap_or_default(),
                land_flux: m.land_sink_t.map(t).unwrap_or_default(),
                land_flux_range: m
                    .land_sink_range_t
                    .map(|(lo, hi)| fill_text(r, "flux_range", &[("lo", t(lo)), ("hi", t(hi))]))
                    .unwrap_or_default(),
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
        offer_sources: c.offers.iter().map(|o| offer_source_row(r, o)).collect(),
        supply: supply_rows(r, c),
        supply_points: c.supply_points.iter().map(|p| supply_point_row(r, p)).collect(),
        supply_answer: supply_answer(r, c),
    };
    let mut charts = vec![waterfall_chart(r, c), offer_chart(r, c)];
    charts.extend(supply_chart(r, c));
    Some(Section { view, charts })
}

/// Discount rate and farmland rent, each with its source (or "not given").
fn economics_line(r: &Renderer, c: &Compensation) -> String {
    let with_source = |v: String, src: &str| {
        if src.is_empty() {
            v
        } else {
            format!("{v} ({src})")
        }
    };
    fill_text(
        r,
        "offer_economics",
        &[
            (
                "rate",
                with_source(
                    format!("{} %", r.locale.number(c.discount_rate * 100.0, 1)),
                    &c.discount_rate_source,
                ),
            ),
            (
                "rent",
                if c.farmland_rent_eur_per_ha > 0.0 {
                    with_source(
                        format!("{} €/ha", r.locale.number(c.farmland_rent_eur_per_ha, 0)),
                        &c.farmland_rent_source,
                    )
                } else {
                    r.locale.text("not_given")
                },
            ),
        ],
    )
}

fn supply_rows(r: &Renderer, c: &Compensation) -> Vec<SupplyRow> {
    c.supply
        .iter()
        .map(|s| SupplyRow {
            price: format!("{} €/t", r.locale.number(s.price_eur_per_t, 0)),
            measure: s.title.clone(),
            tonnes: r.locale.number(s.tonnes, 0),
            cumulative: r.locale.number(s.cumulative_tonnes, 0),
        })
        .collect()
}

fn supply_point_row(r: &Renderer, p: &SupplyPoint) -> SupplyPointRow {
    let pct = |v: Option<f64>| {
        v.map(|v| format!("{} %", r.locale.number(v, 2)))
            .unwrap_or_else(|| "–".into())
    };
    SupplyPointRow {
        price: format!("{} €/t", r.locale.number(p.price_eur_per_t, 0)),
        tonnes: r.locale.number(p.tonnes, 0),
        cost: format!("{} €", r.locale.number(p.cost_eur, 0)),
        city_pct: pct(p.city_pct),
        residual_pct: pct(p.residual_pct),
    }
}

/// What the region supplies at the offered price and at any price, in plain words.
fn supply_answer(r: &Renderer, c: &Compensation) -> String {
    let n = |v: f64| r.locale.number(v, 0);
    let pct = |v: Option<f64>| v.map(|v| r.locale.number(v, 1)).unwrap_or_else(|| "–".into());
    let at_offer = c.supply_points.iter().find(|p| p.price_eur_per_t == c.price_eur_per_t);
    let mut out = fill_text(
        r,
        "supply_at_offer",
        &[
            ("price", n(c.price_eur_per_t)),
            ("tonnes", n(at_offer.map_or(0.0, |p| p.tonnes))),
            ("pct", pct(at_offer.and_then(|p| p.city_pct))),
            ("city", city_phrase(r, c)),
        ],
    );
    let Some(last) = c.supply.last() else {
        out.push(' ');
        out.push_str(&r.locale.text("supply_none"));
        return out;
    };
    let city_pct = c
        .city_gross_t
        .filter(|g| *g > 0.0)
        .map(|g| last.cumulative_tonnes / g * 100.0);
    out.push(' ');
    out.push_str(&fill_text(
        r,
        "supply_at_any_price",
        &[
            ("price", n(last.price_eur_per_t)),
            ("tonnes", n(last.cumulative_tonnes)),
            ("pct", pct(city_pct)),
            ("city", city_phrase(r, c)),
        ],
    ));
    if let Some(res) = c.residual.as_ref().filter(|x| x.t > 0.0) {
        out.push(' ');
        out.push_str(&fill_text(
            r,
            "supply_residual",
            &[
                ("year", res.year.to_string()),
                ("residual", n(res.t)),
                ("source", res.source.clone()),
                ("pct", pct(Some(last.cumulative_tonnes / res.t * 100.0))),
            ],
        ));
    }
    out
}

/// The section's opening sentence: gross (with its years), additional removals at the offered
/// price, what remains, the shares offset; today's land flux beside it, not counted.
fn headline(r: &Renderer, c: &Compensation) -> String {
    let t = |v: f64| r.locale.number(v, 0);
    let years = match c.gross_years.as_slice() {
        [one] => fill_text(r, "gross_year_one", &[("year", one.to_string())]),
        many => fill_text(
            r,
            "gross_years_mixed",
            &[(
                "years",
                many.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
            )],
        ),
    };
    fill_text(
        r,
        "compensation_headline",
        &[
            ("gross", t(c.region_gross_t)),
            ("years", years),
            ("price", t(c.price_eur_per_t)),
            ("sink", t(c.existing_sink_t)),
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
        uptake: format!("{} %", r.locale.number(p.uptake_applied * 100.0, 0)),
        contracted: r.locale.number(p.contracted, 0),
        removal: r.locale.number(p.removal_t, 0),
        supply: r.locale.number(p.supply_t, 0),
        payment: format!("{} €", r.locale.number(p.payment_eur, 0)),
    }
}

fn offer_row(r: &Renderer, o: &Offer) -> OfferRow {
    let eur = |v: f64| format!("{} €", r.locale.number(v, 0));
    OfferRow {
        measure: o.title.clone(),
        unit: o.unit.clone(),
        removal_per_unit: r.locale.number(o.removal_per_unit, 2),
        payment_per_unit: eur(o.payment_per_unit),
        full_cost: eur(o.cost.full),
        income: eur(o.cost.revenue + o.cost.public_funding),
        cost_per_unit: eur(o.cost_per_unit),
        covers: r.locale.text(if o.covers_cost { "yes" } else { "no" }),
        uptake: format!("{} %", r.locale.number(o.uptake_applied * 100.0, 0)),
        break_even: match (o.break_even_price, o.note) {
            (_, Some(OfferNote::NoRemoval)) | (None, _) => r.locale.text("break_even_none"),
            (_, Some(OfferNote::PaysForItself)) => r.locale.text("break_even_pays_itself"),
            (Some(v), None) => format!("{} €/t", r.locale.number(v, 0)),
        },
        assumption: if o.assumption {
            r.locale.text("assumption")
        } else {
            String::new()
        },
    }
}

fn offer_source_row(r: &Renderer, o: &Offer) -> OfferSourceRow {
    let mut time = Vec::new();
    if o.ramp_years > 0.0 {
        time.push(fill_text(
            r,
            "offer_ramp",
            &[("years", r.locale.number(o.ramp_years, 0))],
        ));
    }
    if o.saturation_years > 0.0 {
        time.push(fill_text(
            r,
            "offer_saturation",
            &[("years", r.locale.number(o.saturation_years, 0))],
        ));
    }
    if o.additional_share < 1.0 {
        time.push(fill_text(
            r,
            "offer_additional",
            &[
                ("pct", r.locale.number(o.additional_share * 100.0, 0)),
                ("why", o.additionality_source.clone()),
            ],
        ));
    }
    if !o.permanence_note.is_empty() {
        time.push(o.permanence_note.clone());
    }
    OfferSourceRow {
        measure: o.title.clone(),
        effect_source: o.effect_source.clone(),
        cost_source: if o.economics_source.is_empty() {
            o.cost_source.clone()
        } else {
            format!("{} {}", o.cost_source, o.economics_source)
        },
        time_and_permanence: time.join(" "),
    }
}

/// The supply curve as blocks of tonnes from each break-even price, up to 1.25 × the highest
/// tabulated price; `None` without steps.
fn supply_chart(r: &Renderer, c: &Compensation) -> Option<Chart> {
    if c.supply.is_empty() {
        return None;
    }
    let top = c
        .supply_points
        .iter()
        .map(|p| p.price_eur_per_t)
        .fold(c.price_eur_per_t, f64::max);
    let blocks: Vec<Block> = c
        .supply
        .iter()
        .map(|s| Block {
            label: s.title.clone(),
            price: s.price_eur_per_t,
            tonnes: s.tonnes,
        })
        .collect();
    let left_out: Vec<String> = blocks
        .iter()
        .filter(|b| b.price > top * 1.25)
        .map(|b| format!("{} ({} €/t)", b.label, r.locale.number(b.price, 0)))
        .collect();
    let mut title = r.locale.text("chart_supply");
    if !left_out.is_empty() {
        title = format!(
            "{title}; {}: {}",
            r.locale.text("chart_supply_left_out"),
            left_out.join(", ")
        );
    }
    let values: Vec<(String, String)> = c
        .supply
        .iter()
        .map(|s| {
            (
                s.title.clone(),
                format!(
                    "{} €/t: {} t",
                    r.locale.number(s.price_eur_per_t, 0),
                    r.locale.number(s.tonnes, 0)
                ),
            )
        })
        .collect();
    let svg = supply(&SupplyChart {
        blocks,
        offered: c.price_eur_per_t,
        price_limit: top * 1.25,
        x_unit: r.locale.text("supply_x_unit"),
        y_unit: r.locale.text("supply_y_unit"),
        offered_label: fill_text(r, "supply_offered", &[("price", r.locale.number(c.price_eur_per_t, 0))]),
        style: r.locale.style,
    });
    let alt = alt_for(r, &title, &values);
    Some(Chart::new(
        ChartKey::Supply,
        svg,
        title,
        alt,
        r.locale.text("compensation_source"),
    ))
}

/// Waterfall: gross → additional removals → remaining (today's flux is not compensation).
fn waterfall_chart(r: &Renderer, c: &Compensation) -> Chart {
    let steps = vec![
        Step {
            label: r.locale.text("wf_gross"),
            value: c.region_gross_t / 1000.0,
            total: true,
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
    let title = fill_text(r, "chart_offer", &[("price", r.locale.number(c.price_eur_per_t, 0))]);
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
        Role::Rural => {
            let Some(x) = c.members.iter().find(|x| x.ags == m.member.ags.as_str()) else {
                return String::new();
            };
            if x.removal_t > 0.0 {
                return fill_text(
                    r,
                    "briefing_offer_rural",
                    &[
                        ("removal", r.locale.number(x.removal_t, 0)),
                        ("payment", r.locale.number(x.payment_eur, 0)),
                        ("price", r.locale.number(c.price_eur_per_t, 0)),
                    ],
                );
            }
            // Nothing pays at the offered price: from which price the first measure on the
            // member's land would.
            let first = x
                .potentials
                .iter()
                .filter(|p| p.supply_t > 0.0)
                .filter_map(|p| {
                    let o = c.offers.iter().find(|o| o.measure == p.measure)?;
                    Some((o.break_even_price?, o.title.clone()))
                })
                .min_by(|a, b| a.0.total_cmp(&b.0));
            match first {
                Some((price, title)) => fill_text(
                    r,
                    "briefing_offer_rural_none",
                    &[
                        ("price", r.locale.number(c.price_eur_per_t, 0)),
                        ("from", r.locale.number(price, 0)),
                        ("measure", title),
                    ],
                ),
                None => String::new(),
            }
        }
        // Never "– %" or "0 €" for a share or payment that could not be computed (issue 14).
        Role::City => match c.offset_city_pct.filter(|v| v.is_finite()) {
            Some(pct) => fill_text(
                r,
                "briefing_offer_city",
                &[
                    ("pct", r.locale.number(pct, 1)),
                    ("payment", r.locale.number(c.payment_total_eur, 0)),
                    ("city", city_phrase(r, c)),
                ],
            ),
            None => r
                .locale
                .fill("text", "briefing_offer_city_no_data", &[("city", city_phrase(r, c))]),
        },
    }
}

/// "von Leipzig" for one city member, "der 106 Städte der Partnerschaft" for several.
pub fn city_phrase(r: &Renderer, c: &Compensation) -> String {
    match c.cities.as_slice() {
        [one] => fill_text(r, "city_one", &[("name", one.clone())]),
        many => r
            .locale
            .fill("text", "city_many", &[("n", r.locale.number(many.len() as f64, 0))]),
    }
}

/// The measured error of a member's gross emissions where they are a start balance.
fn gross_spread(facts: &Facts, ags: &str) -> Option<Spread> {
    let m = facts.members.iter().find(|m| m.member.ags.as_str() == ags)?;
    Spread::of_member(m, fig::GHG_T)
}

/// The legend under the member table: the error of estimated gross emissions, and what the second
/// line of the land flux is.
fn members_legend(r: &Renderer, facts: &Facts, c: &Compensation, members_in: &dyn Fn(&str) -> bool) -> String {
    let shown = c.members.iter().filter(|m| members_in(&m.ags));
    let mut legend = Legend::default();
    let mut has_range = false;
    for m in shown {
        if m.gross_t.is_some() {
            legend.add("total", gross_spread(facts, &m.ags));
        }
        has_range |= m.land_sink_range_t.is_some();
    }
    let mut parts = vec![legend.sentence(r, "range_mark_values")];
    let bounds: Vec<String> = facts
        .members
        .iter()
        .find_map(|m| m.sink.as_ref().filter(|s| !s.forest_range.is_empty()))
        .map(|s| {
            s.forest_range
                .iter()
                .map(|b| r.locale.label("forest_bound", &b.bound))
                .collect()
        })
        .unwrap_or_default();
    if has_range && !bounds.is_empty() {
        parts.push(fill_text(
            r,
            "flux_range_legend",
            &[("bounds", bounds.join(r.locale.text("or_else").as_str()))],
        ));
    }
    parts.retain(|p| !p.is_empty());
    parts.join(" ")
}
