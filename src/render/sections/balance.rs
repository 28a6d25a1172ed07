//! The BISKO balance section (local or start balance): sectors, carriers, cells, memo items and the
//! plausibility note, with the sector chart and the members' emissions per inhabitant.

use serde::Serialize;

use super::super::common::{
    bar_chart, fig, figure_sources, fill_text, members_figure_sources, BarNumbers, Chart, ChartKey, SourceBook,
};
use super::super::spread::{Legend, Spread};
use super::super::Renderer;
use crate::chart::Bar;
use crate::compute::balance::{Balance, BalanceRow, SectorTotal, ETS};
use crate::compute::{Facts, MemberFacts};

#[derive(Serialize)]
pub struct MemoView {
    pub label: String,
    pub t: String,
    pub grade: String,
}

#[derive(Serialize)]
pub struct BalanceView {
    pub year: i32,
    /// Memo sentence on the estimated local renewable generation (empty without capacities).
    pub generation: String,
    pub sectors: Vec<SectorRow>,
    pub cells: Vec<CellRow>,
    pub carriers: Vec<CarrierRow>,
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
    pub validation: Vec<ValidationRow>,
    pub refs: String,
    /// The typical error of the total ("±8 %"; empty for a balance of the member's own data).
    pub total_range: String,
    /// What the ranges of the sector table mean (empty when it shows none).
    pub range_legend: String,
}

/// One sector of the balance.
#[derive(Serialize)]
pub struct SectorRow {
    pub sector: String,
    /// Final energy (MWh).
    pub mwh: String,
    /// Emissions (t CO2e).
    pub t: String,
    /// Share of the total (%).
    pub share: String,
    /// The member's own published emissions (t), empty if none.
    pub published: String,
    /// Deviation of the balance from the published value, empty if none.
    pub deviation: String,
    /// The typical error of an estimated sector ("±10 %"), empty for local data.
    pub range: String,
}

/// One cell of the balance: a sector and a carrier.
#[derive(Serialize)]
pub struct CellRow {
    pub sector: String,
    pub carrier: String,
    /// Final energy (MWh).
    pub mwh: String,
    /// Emission factor (g CO2e/kWh).
    pub factor: String,
    /// Emissions (t CO2e).
    pub t: String,
    /// Local data or estimate (locale words).
    pub origin: String,
    pub grade: String,
}

/// One carrier of the balance.
#[derive(Serialize)]
pub struct CarrierRow {
    pub carrier: String,
    /// Final energy (MWh).
    pub mwh: String,
    /// Emissions (t CO2e).
    pub t: String,
    /// Share of the total (%).
    pub share: String,
}

/// A sector of a member's own balance against the start balance's estimate.
#[derive(Serialize)]
pub struct ValidationRow {
    pub sector: String,
    /// The member's own balance (t CO2e).
    pub local_t: String,
    /// The start balance's estimate (t CO2e).
    pub estimate_t: String,
    pub deviation: String,
}

pub fn balance_view(r: &Renderer, m: &MemberFacts, book: &mut SourceBook) -> Option<BalanceView> {
    let b = m.balance.as_ref()?;
    let refs = book.figure_refs(m, fig::GHG_T);
    let total = Spread::of_member(m, fig::GHG_T);
    let mut legend = Legend::default();
    legend.add("total", total);
    for s in &b.sectors {
        legend.add(&s.sector, sector_spread(m, &s.sector));
    }
    Some(BalanceView {
        year: b.date.year,
        generation: m
            .generation
            .as_ref()
            .map(|g| generation_sentence(r, g))
            .unwrap_or_default(),
        sectors: b.sectors.iter().map(|s| sector_row(r, m, s)).collect(),
        cells: b.rows.iter().map(|x| cell_row(r, x)).collect(),
        carriers: b
            .carriers
            .iter()
            .map(|c| CarrierRow {
                carrier: r.locale.label("carrier", &c.carrier),
                mwh: r.locale.number(c.mwh, 0),
                t: r.locale.number(c.t, 0),
                share: r.locale.number(c.share_pct, 1),
            })
            .collect(),
        total_mwh: r.locale.number(b.total_mwh, 0),
        total_t: r.locale.number(b.total_t, 0),
        per_inhabitant: b
            .t_per_inhabitant
            .map(|v| {
                let v = r.locale.number(v, 2);
                match Spread::of_member(m, fig::GHG_T_PER_INHABITANT) {
                    Some(s) => s.approx(r, &v),
                    None => v,
                }
            })
            .unwrap_or_default(),
        quality: r.locale.number(b.quality, 2),
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
                t: r.locale.number(x.t, 0),
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
        factor_years: factor_years(b),
        validation: b
            .validation
            .iter()
            .map(|v| ValidationRow {
                sector: r.locale.label("sector", &v.sector),
                local_t: r.locale.number(v.local_t, 0),
                estimate_t: r.locale.number(v.estimate_t, 0),
                deviation: r.locale.signed_pct(v.deviation_pct),
            })
            .collect(),
        refs,
        total_range: total.map(|s| s.pm(r)).unwrap_or_default(),
        range_legend: legend.sentence(r, "range_mark_column"),
    })
}

/// The measured error of an estimated sector (from its `ghg_t_<sector>` figure).
fn sector_spread(m: &MemberFacts, sector: &str) -> Option<Spread> {
    Spread::of_member(m, &format!("ghg_t_{sector}"))
}

fn sector_row(r: &Renderer, m: &MemberFacts, s: &SectorTotal) -> SectorRow {
    SectorRow {
        sector: r.locale.label("sector", &s.sector),
        mwh: r.locale.number(s.mwh, 0),
        t: r.locale.number(s.t, 0),
        share: r.locale.number(s.share_pct, 1),
        published: s.published_t.map(|v| r.locale.number(v, 0)).unwrap_or_default(),
        deviation: s.deviation_pct.map(|v| r.locale.signed_pct(v)).unwrap_or_default(),
        range: sector_spread(m, &s.sector).map(|x| x.pm(r)).unwrap_or_default(),
    }
}

fn cell_row(r: &Renderer, x: &BalanceRow) -> CellRow {
    CellRow {
        sector: r.locale.label("sector_short", &x.sector),
        carrier: r.locale.label("carrier", &x.carrier),
        mwh: r.locale.number(x.mwh, 0),
        factor: r.locale.number(x.g_per_kwh, 1),
        t: r.locale.number(x.t, 0),
        origin: r.locale.text(if x.local { "origin_local" } else { "origin_estimate" }),
        grade: x.grade.letter().to_string(),
    }
}

/// The years of emission factors applied other than the balance year ("2022, 2023"; empty if none).
fn factor_years(b: &Balance) -> String {
    let mut years: Vec<i32> = b
        .rows
        .iter()
        .map(|x| x.factor_year)
        .filter(|y| *y != b.date.year)
        .collect();
    years.sort_unstable();
    years.dedup();
    years.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(", ")
}

/// "Local renewable generation (memo, estimate): … ≈ X MWh a year (parts); Y % of the electricity
/// consumption of the balance year." The share clause only where the balance has electricity.
pub fn generation_sentence(r: &Renderer, g: &crate::compute::generation::Generation) -> String {
    let parts: Vec<String> = g
        .rows
        .iter()
        .map(|x| {
            format!(
                "{} {} MWh",
                r.locale.label("technology", &x.technology),
                r.locale.number(x.mwh, 0)
            )
        })
        .collect();
    let share = match (g.share_pct, g.balance_year) {
        (Some(p), Some(y)) => fill_text(
            r,
            "generation_share",
            &[("share", r.locale.number(p, 0)), ("year", y.to_string())],
        ),
        _ => String::new(),
    };
    fill_text(
        r,
        "generation_sentence",
        &[
            ("date", g.date.display(r.locale.style)),
            ("hours_year", g.hours_year.to_string()),
            ("mwh", r.locale.number(g.total_mwh, 0)),
            ("parts", parts.join(", ")),
            ("share", share),
        ],
    )
}

/// "Auffällig: 15,2 t je Einwohner, das 2,3-Fache …; 58 % davon aus energieintensiver Industrie (…)."
pub fn plausibility_sentence(r: &Renderer, p: &crate::compute::balance::Plausibility) -> String {
    let driver = match p.driver.strip_prefix("ets_share:") {
        Some(branch) => fill_text(r, "plausibility_ets", &[("branch", r.locale.label("branch", branch))]),
        None => r.locale.label("sector", &p.driver),
    };
    fill_text(
        r,
        "plausibility_sentence",
        &[
            ("value", r.locale.number(p.t_per_inhabitant, 1)),
            ("ratio", r.locale.number(p.ratio, 1)),
            ("national", r.locale.number(p.national_t_per_inhabitant, 1)),
            ("share", r.locale.number(p.share_pct, 0)),
            ("driver", driver),
        ],
    )
}

pub fn sector_chart(r: &Renderer, m: &MemberFacts) -> Option<Chart> {
    let Some(b) = &m.balance else { return None };
    let bars: Vec<Bar> = b
        .sectors
        .iter()
        .map(|s| Bar {
            label: r.locale.label("sector_short", &s.sector),
            value: s.t,
            highlight: false,
            range: sector_spread(m, &s.sector).map(|x| x.range(s.t)),
        })
        .collect();
    let mut legend = Legend::default();
    for s in &b.sectors {
        legend.add(&s.sector, sector_spread(m, &s.sector));
    }
    let kind = if b.estimated_cells > 0 {
        format!(" – {}", r.locale.text("start_balance"))
    } else {
        String::new()
    };
    let kind = if legend.is_empty() {
        kind
    } else {
        format!("{kind}. {}", legend.caption(r))
    };
    let title = format!(
        "{} – {} ({}){kind}",
        r.locale.text("chart_sectors"),
        m.member.name,
        b.date.year
    );
    let numbers = BarNumbers {
        unit: "t CO2e",
        decimals: 0,
        alt_unit: Some("t CO₂e".to_string()),
    };
    let sources = figure_sources(m, fig::GHG_T);
    Some(bar_chart(r, ChartKey::Sectors, title, bars, &numbers, &sources).of_member(m.member.ags.as_str()))
}

/// Emissions per inhabitant of every member (start balances marked), for comparison.
pub fn members_per_inhabitant_chart(r: &Renderer, facts: &Facts, highlight: Option<&str>) -> Option<Chart> {
    let mut legend = Legend::default();
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
            let value = b.t_per_inhabitant?;
            let spread = Spread::of_member(m, fig::GHG_T_PER_INHABITANT);
            legend.add("total", spread);
            Some(Bar {
                label: format!("{}{mark}", m.member.name),
                value,
                highlight: highlight == Some(m.member.ags.as_str()),
                range: spread.map(|s| s.range(value)),
            })
        })
        .collect();
    if bars.is_empty() {
        return None;
    }
    let title = match legend.caption(r) {
        l if l.is_empty() => r.locale.text("chart_members_per_inhabitant"),
        l => format!("{}. {l}", r.locale.text("chart_members_per_inhabitant")),
    };
    let numbers = BarNumbers {
        unit: "t CO2e/EW",
        decimals: 2,
        alt_unit: None,
    };
    let sources = members_figure_sources(&facts.members, fig::GHG_T_PER_INHABITANT);
    Some(bar_chart(
        r,
        ChartKey::GhgPerInhabitant,
        title,
        bars,
        &numbers,
        &sources,
    ))
}
