//! View models of the accounting chapters: the BISKO balance (local or start balance), progress
//! against targets, and the compensation balance with the offer to land users.

use serde::Serialize;

use super::views::{alt_for, source_line, ChartSet, SourceBook};
use super::Renderer;
use crate::chart::{
    self, Bar, BarChart, Line, LineChart, LineStyle, PairedChart, StackedChart, Step, Waterfall, LAND_COLOURS,
};
use crate::compute::balance::ETS;
use crate::compute::{Facts, MemberFacts};
use crate::format::{fmt_number, fmt_signed_pct};
use crate::model::Role;
use crate::model::Source;

#[derive(Serialize)]
pub struct MemoView {
    pub label: String,
    pub t: String,
    pub grade: String,
}

#[derive(Serialize)]
pub struct BalanceView {
    pub year: i32,
    /// Sector, MWh, t, share %, published t, deviation.
    pub sectors: Vec<[String; 6]>,
    /// Sector, carrier, MWh, g/kWh, t, origin (local / estimate), grade.
    pub cells: Vec<[String; 7]>,
    /// Carrier, MWh, t, share %.
    pub carriers: Vec<[String; 4]>,
    pub total_mwh: String,
    pub total_t: String,
    pub per_inhabitant: String,
    pub quality: String,
    pub grade: String,
    pub is_start_balance: bool,
    pub has_published: bool,
    pub local_cells: usize,
    pub estimated_cells: usize,
    /// Memo items outside the BISKO total: label, t CO2e, grade.
    pub memo: Vec<MemoView>,
    pub has_ets: bool,
    /// A sentence when the estimate is far from the national value per inhabitant.
    pub plausibility: String,
    /// The method of the start balance changed since earlier editions.
    pub method_changed: bool,
    /// Emission factors of an earlier year were applied (the balance year has none).
    pub factor_years: String,
    /// Sector, local t, estimate t, deviation.
    pub validation: Vec<[String; 4]>,
    pub refs: String,
}

pub fn balance_view(r: &Renderer, m: &MemberFacts, book: &mut SourceBook) -> Option<BalanceView> {
    let b = m.balance.as_ref()?;
    let refs = m
        .figures
        .iter()
        .find(|f| f.id == "ghg_t")
        .map(|f| book.refs(&f.sources))
        .unwrap_or_default();
    let dev = |v: Option<f64>| v.map(fmt_signed_pct).unwrap_or_default();
    Some(BalanceView {
        year: b.date.year,
        sectors: b
            .sectors
            .iter()
            .map(|s| {
                [
                    r.locale.label("sector", &s.sector),
                    fmt_number(s.mwh, 0),
                    fmt_number(s.t, 0),
                    fmt_number(s.share_pct, 1),
                    s.published_t.map(|v| fmt_number(v, 0)).unwrap_or_default(),
                    dev(s.deviation_pct),
                ]
            })
            .collect(),
        cells: b
            .rows
            .iter()
            .map(|x| {
                [
                    r.locale.label("sector_short", &x.sector),
                    r.locale.label("carrier", &x.carrier),
                    fmt_number(x.mwh, 0),
                    fmt_number(x.g_per_kwh, 1),
                    fmt_number(x.t, 0),
                    r.locale.text(if x.local { "origin_local" } else { "origin_estimate" }),
                    x.grade.letter().to_string(),
                ]
            })
            .collect(),
        carriers: b
            .carriers
            .iter()
            .map(|c| {
                [
                    r.locale.label("carrier", &c.carrier),
                    fmt_number(c.mwh, 0),
                    fmt_number(c.t, 0),
                    fmt_number(c.share_pct, 1),
                ]
            })
            .collect(),
        total_mwh: fmt_number(b.total_mwh, 0),
        total_t: fmt_number(b.total_t, 0),
        per_inhabitant: b.t_per_inhabitant.map(|v| fmt_number(v, 2)).unwrap_or_default(),
        quality: fmt_number(b.quality, 2),
        grade: b.grade.letter().to_string(),
        is_start_balance: b.estimated_cells > 0,
        has_published: b.sectors.iter().any(|s| s.published_t.is_some()),
        local_cells: b.local_cells,
        estimated_cells: b.estimated_cells,
        memo: b
            .memo
            .iter()
            .map(|x| MemoView {
                label: r.locale.label("memo_item", &x.item),
                t: fmt_number(x.t, 0),
                grade: x.grade.letter().to_string(),
            })
            .collect(),
        has_ets: b.memo.iter().any(|x| x.item == ETS),
        plausibility: b
            .plausibility
            .as_ref()
            .map(|p| plausibility_sentence(r, p))
            .unwrap_or_default(),
        method_changed: b.estimated_cells > 0,
        factor_years: {
            let mut years: Vec<i32> = b
                .rows
                .iter()
                .map(|x| x.factor_year)
                .filter(|y| *y != b.date.year)
                .collect();
            years.sort_unstable();
            years.dedup();
            years.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(", ")
        },
        validation: b
            .validation
            .iter()
            .map(|v| {
                [
                    r.locale.label("sector", &v.sector),
                    fmt_number(v.local_t, 0),
                    fmt_number(v.estimate_t, 0),
                    fmt_signed_pct(v.deviation_pct),
                ]
            })
            .collect(),
        refs,
    })
}

/// "Auffällig: 15,2 t je Einwohner, das 2,3-Fache …; 58 % davon aus energieintensiver Industrie (…)."
pub fn plausibility_sentence(r: &Renderer, p: &crate::compute::balance::Plausibility) -> String {
    let driver = match p.driver.strip_prefix("ets_share:") {
        Some(branch) => r.locale.fill(
            "text",
            "plausibility_ets",
            &[("branch", r.locale.label("branch", branch))],
        ),
        None => r.locale.label("sector", &p.driver),
    };
    r.locale.fill(
        "text",
        "plausibility_sentence",
        &[
            ("value", fmt_number(p.t_per_inhabitant, 1)),
            ("ratio", fmt_number(p.ratio, 1)),
            ("national", fmt_number(p.national_t_per_inhabitant, 1)),
            ("share", fmt_number(p.share_pct, 0)),
            ("driver", driver),
        ],
    )
}

pub fn sector_chart(r: &Renderer, m: &MemberFacts, set: &mut ChartSet) {
    let Some(b) = &m.balance else { return };
    let bars: Vec<Bar> = b
        .sectors
        .iter()
        .map(|s| Bar {
            label: r.locale.label("sector_short", &s.sector),
            value: s.t,
            highlight: false,
            range: s
                .typical_error_pct
                .map(|e| (s.t * (1.0 - e / 100.0), s.t * (1.0 + e / 100.0))),
        })
        .collect();
    let kind = if b.estimated_cells > 0 {
        format!(" – {}", r.locale.text("start_balance"))
    } else {
        String::new()
    };
    let kind = if b.sectors.iter().any(|s| s.typical_error_pct.is_some()) {
        format!("{kind}; {}", r.locale.text("error_bar_legend"))
    } else {
        kind
    };
    let title = format!(
        "{} – {} ({}){kind}",
        r.locale.text("chart_sectors"),
        m.member.name,
        b.date.year
    );
    let values: Vec<(String, String)> = bars
        .iter()
        .map(|x| (x.label.clone(), format!("{} t CO₂e", fmt_number(x.value, 0))))
        .collect();
    let svg = chart::bars(&BarChart {
        unit: r.locale.unit("t CO2e"),
        bars,
        decimals: 0,
    });
    let alt = alt_for(r, &title, &values);
    let sources: Vec<&Source> = m
        .figures
        .iter()
        .find(|f| f.id == "ghg_t")
        .map(|f| f.sources.iter().map(AsRef::as_ref).collect())
        .unwrap_or_default();
    set.add(
        &format!("sektoren-{}", m.member.ags),
        svg,
        title,
        alt,
        source_line(&sources),
    );
}

#[derive(Serialize)]
pub struct ProgressView {
    /// Year, total t, per inhabitant, kind.
    pub points: Vec<[String; 4]>,
    pub change_previous: String,
    pub change_base: String,
    pub base_year: String,
    pub trend: String,
    /// Year, target, trend in target year, verdict, required reduction per year, source.
    pub targets: Vec<[String; 6]>,
    pub has_series: bool,
    pub budget: String,
}

pub fn progress_view(r: &Renderer, m: &MemberFacts, set: &mut ChartSet) -> Option<ProgressView> {
    let p = m.progress.as_ref()?;
    let per_inh_unit = r.locale.unit("t CO2e/EW");
    let view = ProgressView {
        points: p
            .points
            .iter()
            .map(|x| {
                [
                    x.year.to_string(),
                    x.total_t.map(|v| fmt_number(v, 0)).unwrap_or_else(|| "–".into()),
                    x.per_inhabitant.map(|v| fmt_number(v, 2)).unwrap_or_else(|| "–".into()),
                    r.locale.text(if x.kind == "balance" {
                        "point_balance"
                    } else {
                        "point_series"
                    }),
                ]
            })
            .collect(),
        change_previous: p.change_previous_pct.map(fmt_signed_pct).unwrap_or_default(),
        change_base: p.change_base_pct.map(fmt_signed_pct).unwrap_or_default(),
        base_year: p.base_year.map(|y| y.to_string()).unwrap_or_default(),
        trend: p
            .trend_per_year
            .map(|v| format!("{} {per_inh_unit}/{}", fmt_number(v, 3), r.locale.text("year_short")))
            .unwrap_or_default(),
        targets: p
            .targets
            .iter()
            .map(|t| {
                let target = match t.indicator.as_str() {
                    "ghg_t_per_inhabitant" => format!("{} {per_inh_unit}", fmt_number(t.value, 2)),
                    _ => r.locale.fill(
                        "text",
                        "target_reduction",
                        &[("pct", fmt_number(t.value, 0)), ("level", fmt_number(t.level, 0))],
                    ),
                };
                let unit = if t.indicator == "ghg_t_per_inhabitant" {
                    per_inh_unit.clone()
                } else {
                    r.locale.unit("t CO2e")
                };
                [
                    t.year.to_string(),
                    target,
                    t.trend_at_target
                        .map(|v| {
                            format!(
                                "{} {unit}",
                                fmt_number(v, if t.indicator == "ghg_t_per_inhabitant" { 2 } else { 0 })
                            )
                        })
                        .unwrap_or_else(|| "–".into()),
                    match t.on_track {
                        Some(true) => r.locale.text("on_track"),
                        Some(false) => r.locale.text("behind"),
                        None => r.locale.text("no_trend"),
                    },
                    t.required_per_year
                        .map(|v| {
                            format!(
                                "{} {unit}",
                                fmt_number(v, if t.indicator == "ghg_t_per_inhabitant" { 3 } else { 0 })
                            )
                        })
                        .unwrap_or_default(),
                    t.source.clone(),
                ]
            })
            .collect(),
        has_series: p.points.len() > 1,
        budget: p
            .budget
            .as_ref()
            .map(|b| {
                r.locale.fill(
                    "text",
                    "budget_text",
                    &[
                        ("from", b.from_year.to_string()),
                        ("budget", fmt_number(b.budget_t, 0)),
                        ("until", b.until_year.to_string()),
                        ("used", fmt_number(b.used_t, 0)),
                        ("remaining", fmt_number(b.remaining_t, 0)),
                        (
                            "years",
                            b.years_left.map(|y| fmt_number(y, 1)).unwrap_or_else(|| "–".into()),
                        ),
                        ("source", b.source.clone()),
                    ],
                )
            })
            .unwrap_or_default(),
    };

    if p.points.len() > 1 {
        // Emissions by sector over the years (stacked, absolute).
        let mut segments: Vec<String> = Vec::new();
        for x in &p.points {
            for (s, _) in &x.sectors {
                if !segments.contains(s) {
                    segments.push(s.clone());
                }
            }
        }
        let rows: Vec<(String, Vec<f64>, bool)> = p
            .points
            .iter()
            .filter(|x| !x.sectors.is_empty())
            .map(|x| {
                (
                    x.year.to_string(),
                    segments
                        .iter()
                        .map(|s| x.sectors.iter().find(|(k, _)| k == s).map_or(0.0, |(_, v)| v / 1000.0))
                        .collect(),
                    false,
                )
            })
            .collect();
        if rows.len() > 1 {
            let title = format!("{} – {}", r.locale.text("chart_sector_history"), m.member.name);
            let values: Vec<(String, String)> = rows
                .iter()
                .map(|(y, v, _)| (y.clone(), format!("{} kt", fmt_number(v.iter().sum(), 0))))
                .collect();
            let svg = chart::stacked(&StackedChart {
                absolute: Some("kt".into()),
                segments: segments
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        (
                            r.locale.label("sector_short", s),
                            LAND_COLOURS[[0, 2, 3, 5, 1, 4, 6][i % 7]],
                        )
                    })
                    .collect(),
                rows,
            });
            let alt = alt_for(r, &title, &values);
            set.add("verlauf", svg, title, alt, series_source(r, p));
        }
        // Per inhabitant against the target path.
        let actual: Vec<(f64, f64)> = p
            .points
            .iter()
            .filter_map(|x| Some((f64::from(x.year), x.per_inhabitant?)))
            .collect();
        if let Some(&(ly, lv)) = actual.last() {
            let mut path = vec![(ly, lv)];
            path.extend(
                p.targets
                    .iter()
                    .filter(|t| t.indicator == "ghg_t_per_inhabitant")
                    .map(|t| (f64::from(t.year), t.level)),
            );
            let mut lines = vec![Line {
                name: r.locale.text("actual"),
                points: actual.clone(),
                style: LineStyle::Actual,
            }];
            if path.len() > 1 {
                lines.push(Line {
                    name: r.locale.text("target_path"),
                    points: path,
                    style: LineStyle::Target,
                });
            }
            let title = format!("{} – {}", r.locale.text("chart_per_inhabitant_path"), m.member.name);
            let values: Vec<(String, String)> = actual
                .iter()
                .map(|(y, v)| (format!("{y}"), fmt_number(*v, 2)))
                .collect();
            let svg = chart::lines(&LineChart {
                unit: per_inh_unit.clone(),
                lines,
            });
            let alt = alt_for(r, &title, &values);
            set.add("zielpfad", svg, title, alt, series_source(r, p));
        }
    }
    Some(view)
}

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
    /// Member, gross t, land flux t, removal by measures t, payment €.
    pub members: Vec<[String; 5]>,
    /// Member, measure, eligible units, uptake %, contracted, removal t, payment €.
    pub potentials: Vec<[String; 7]>,
    /// Measure, unit, removal per unit, payment per unit, cost per unit, covers?, break-even price, assumption mark.
    pub offers: Vec<[String; 8]>,
    pub offer_sources: Vec<[String; 3]>,
}

pub fn compensation_view(
    r: &Renderer,
    facts: &Facts,
    only: Option<&str>,
    set: &mut ChartSet,
) -> Option<CompensationView> {
    let c = facts.region.compensation.as_ref()?;
    let t = |v: f64| fmt_number(v, 0);
    let eur = |v: f64| format!("{} €", fmt_number(v, 0));
    let headline = r.locale.fill(
        "text",
        "compensation_headline",
        &[
            ("gross", t(c.region_gross_t)),
            ("sink", t(-c.existing_sink_t)),
            ("measures", t(c.measures_removal_t)),
            ("remaining", t(c.remaining_t)),
            ("pct_region", format!("{} %", fmt_number(c.offset_region_pct, 1))),
            (
                "pct_city",
                c.offset_city_pct
                    .map(|v| format!("{} %", fmt_number(v, 1)))
                    .unwrap_or_else(|| "–".into()),
            ),
            ("city", super::views::city_phrase(r, c)),
        ],
    );
    let members_in = |ags: &str| only.is_none_or(|o| o == ags);
    let view = CompensationView {
        price: format!("{} €/t", fmt_number(c.price_eur_per_t, 0)),
        price_source: c.price_source.clone(),
        buffer_pct: format!("{} %", fmt_number(c.buffer_share * 100.0, 0)),
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
                    &[("low", fmt_number(lo, 0)), ("high", fmt_number(hi, 0))],
                )
            })
            .unwrap_or_default(),
        measures_removal: t(c.measures_removal_t),
        remaining: t(c.remaining_t),
        offset_region: format!("{} %", fmt_number(c.offset_region_pct, 1)),
        offset_city: c
            .offset_city_pct
            .map(|v| format!("{} %", fmt_number(v, 2)))
            .unwrap_or_default(),
        payment_total: eur(c.payment_total_eur),
        headline,
        members: c
            .members
            .iter()
            .filter(|m| members_in(&m.ags))
            .map(|m| {
                [
                    m.name.clone(),
                    m.gross_t.map(t).unwrap_or_default(),
                    m.land_sink_t.map(t).unwrap_or_default(),
                    t(m.removal_t),
                    eur(m.payment_eur),
                ]
            })
            .collect(),
        potentials: c
            .members
            .iter()
            .filter(|m| members_in(&m.ags))
            .flat_map(|m| {
                m.potentials.iter().map(move |p| {
                    [
                        m.name.clone(),
                        format!(
                            "{}{}",
                            p.title,
                            if p.assumption {
                                format!(" ({})", r.locale.text("assumption"))
                            } else {
                                String::new()
                            }
                        ),
                        fmt_number(p.eligible, 0),
                        format!("{} %", fmt_number(p.uptake * 100.0, 0)),
                        fmt_number(p.contracted, 0),
                        fmt_number(p.removal_t, 0),
                        format!("{} €", fmt_number(p.payment_eur, 0)),
                    ]
                })
            })
            .collect(),
        offers: c
            .offers
            .iter()
            .map(|o| {
                [
                    o.title.clone(),
                    o.unit.clone(),
                    fmt_number(o.removal_per_unit, 2),
                    format!("{} €", fmt_number(o.payment_per_unit, 0)),
                    format!("{} €", fmt_number(o.cost_per_unit, 0)),
                    r.locale.text(if o.covers_cost { "yes" } else { "no" }),
                    o.break_even_price
                        .map(|v| format!("{} €/t", fmt_number(v, 0)))
                        .unwrap_or_else(|| "–".into()),
                    if o.assumption {
                        r.locale.text("assumption")
                    } else {
                        String::new()
                    },
                ]
            })
            .collect(),
        offer_sources: c
            .offers
            .iter()
            .map(|o| [o.title.clone(), o.effect_source.clone(), o.cost_source.clone()])
            .collect(),
    };
    // Waterfall: gross → existing land flux → measures → remaining.
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
        .map(|s| (s.label.clone(), format!("{} kt", fmt_number(s.value, 1))))
        .collect();
    let alt = alt_for(r, &title, &values);
    set.add(
        "kompensation",
        chart::waterfall(&Waterfall {
            unit: r.locale.text("unit_kt_per_year"),
            steps,
        }),
        title,
        alt,
        r.locale.text("compensation_source"),
    );
    // The offer: payment against cost per unit and year.
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
    let title = r
        .locale
        .fill("text", "chart_offer", &[("price", fmt_number(c.price_eur_per_t, 0))]);
    let values: Vec<(String, String)> = c
        .offers
        .iter()
        .map(|o| {
            (
                o.title.clone(),
                format!(
                    "{} € / {} €",
                    fmt_number(o.payment_per_unit, 0),
                    fmt_number(o.cost_per_unit, 0)
                ),
            )
        })
        .collect();
    let svg = chart::paired(&PairedChart {
        unit: r.locale.text("eur_per_unit_year"),
        series: [r.locale.text("cost"), r.locale.text("payment")],
        rows,
        decimals: 0,
    });
    let alt = alt_for(r, &title, &values);
    set.add("angebot", svg, title, alt, r.locale.text("compensation_source"));
    let _ = Role::City;
    Some(view)
}

/// Emissions per inhabitant of every member (start balances marked), for comparison.
pub fn members_per_inhabitant_chart(r: &Renderer, facts: &Facts, highlight: Option<&str>, set: &mut ChartSet) {
    let bars: Vec<Bar> = facts
        .members
        .iter()
        .filter_map(|m| {
            let b = m.balance.as_ref()?;
            let mark = if b.estimated_cells > 0 {
                format!(" ({} {})", r.locale.text("start_balance_short"), b.date.year)
            } else {
                format!(" ({})", b.date.year)
            };
            Some(Bar {
                label: format!("{}{mark}", m.member.name),
                value: b.t_per_inhabitant?,
                highlight: highlight == Some(m.member.ags.as_str()),
                range: None,
            })
        })
        .collect();
    if bars.is_empty() {
        return;
    }
    let title = r.locale.text("chart_members_per_inhabitant");
    let values: Vec<(String, String)> = bars.iter().map(|b| (b.label.clone(), fmt_number(b.value, 2))).collect();
    let svg = chart::bars(&BarChart {
        unit: r.locale.unit("t CO2e/EW"),
        bars,
        decimals: 2,
    });
    let alt = alt_for(r, &title, &values);
    let sources: Vec<&Source> = facts
        .members
        .iter()
        .filter_map(|m| m.figures.iter().find(|f| f.id == "ghg_t_per_inhabitant"))
        .flat_map(|f| f.sources.iter().map(AsRef::as_ref))
        .collect();
    set.add("thg_je_einwohner", svg, title, alt, source_line(&sources));
}

/// Where the emission series of a member comes from: the files of its published points, and this
/// program's own BISKO balance if it is one of the points.
fn series_source(r: &Renderer, p: &crate::compute::progress::Progress) -> String {
    let mut parts: Vec<String> = p.sources.iter().map(|s| s.citation()).collect();
    if p.points.iter().any(|x| x.kind == "balance") {
        parts.push(r.locale.text("series_source"));
    }
    parts.join("; ")
}
