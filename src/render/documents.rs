//! The documents assembled from their sections: the municipal report, the council briefing and
//! the partnership handbook. Each section returns its view and its charts; a document collects
//! them. Numbers are formatted in the sections (in the locale's style), words come from the
//! locale; templates only place them.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::common::{
    data_years, decimals, fig, figure_row, figures_legend, member_view, meta, ChartView, Charts, FigureRow, Files,
    MemberView, Meta, SourceBook, SourceRow,
};
use super::sections::assessment::{assessment_view, AssessmentView};
use super::sections::balance::{self, BalanceView};
use super::sections::catalogue::{catalogue_view, CatalogueView};
use super::sections::compensation::{self, CompensationView};
use super::sections::decisions::{decisions_view, DecisionTables, DecisionsView};
use super::sections::land::{self, LandView, SinkView};
use super::sections::maps::{self, Metric};
use super::sections::method::{self, EmissionFactorRow, FluxRow, StartBalanceRow, StartErrorRow};
use super::sections::progress::{self, ProgressView};
use super::sections::quality::{self, MemberNotes};
use super::sections::renewables::{self, RenewablesView};
use super::sections::similar::{similar_view, SimilarView};
use super::spread::{scope_of, Legend, Spread};
use super::Renderer;
use crate::compute::cost::Economics;
use crate::compute::{Facts, Figure, MemberFacts};
use crate::config::Partnership;
use crate::ingest::{Factors, ReferenceTables};
use crate::model::{RefDate, Source};

#[derive(Serialize)]
pub struct ReportView {
    pub meta: Meta,
    pub member: MemberView,
    pub figures: Vec<FigureRow>,
    /// What the ranges of estimated key figures mean (empty without estimates).
    pub figures_legend: String,
    pub population_note: String,
    /// The member among similar municipalities nationally (none without the reference table).
    pub similar: Option<SimilarView>,
    pub land: Option<LandView>,
    pub sink: Option<SinkView>,
    pub renewables: Option<RenewablesView>,
    pub balance: Option<BalanceView>,
    pub progress: Option<ProgressView>,
    pub compensation: Option<CompensationView>,
    pub assessment: Option<AssessmentView>,
    /// Ingest's warnings about the member's figures, one sentence each (empty: no section).
    pub quality_notes: Vec<String>,
    pub charts: BTreeMap<String, ChartView>,
    pub sources: Vec<SourceRow>,
}

pub fn report(
    r: &Renderer,
    p: &Partnership,
    data: &ReferenceTables,
    facts: &Facts,
    m: &MemberFacts,
) -> (ReportView, Files) {
    let mut book = SourceBook::default();
    let mut figures = super::common::gap_rows(r, &m.figures);
    figures.extend(m.figures.iter().map(|f| figure_row(r, f, &mut book)));
    sink_range_note(r, m, &mut figures);
    let population_note = m
        .population
        .as_ref()
        .and_then(|p| p.census.as_ref())
        .and_then(|c| c.note.as_ref())
        .map(|n| r.locale.note(n))
        .unwrap_or_default();
    let land = land::land_view(r, m);
    let sink = land::sink_view(r, m, &mut book);
    let renewables = renewables::renewables_view(r, m, &mut book);
    let balance = balance::balance_view(r, m, &mut book);
    let mut charts = Charts::default();
    let hl = Some(m.member.ags.as_str());
    charts.add(balance::sector_chart(r, m));
    charts.add(land::land_use_chart(r, facts, hl));
    charts.add(land::sink_chart(r, m));
    charts.add(renewables::re_chart(r, facts, hl));
    charts.add(maps::map(r, &data.boundaries, facts, Metric::GhgPerInhabitant, hl));
    let progress = charts.take(progress::progress_view(r, m));
    let compensation = charts.take(compensation::compensation_view(r, facts, hl));
    let (charts, files) = charts.into_parts();
    let view = ReportView {
        meta: Meta {
            data_years: data_years(r, m),
            ..meta(r, p, facts, "report_title", m.member.name.clone())
        },
        member: member_view(r, m),
        figures,
        figures_legend: figures_legend(r, &m.figures),
        population_note,
        similar: similar_view(r, &data.similar, m),
        land,
        sink,
        renewables,
        balance,
        progress,
        compensation,
        assessment: m
            .assessment
            .as_ref()
            .map(|a| assessment_view(r, facts, &data.catalogues, m, a, &data.measure_status, None)),
        quality_notes: quality::notes(r, m),
        charts,
        sources: book.rows(r),
    };
    (view, files)
}

#[derive(Serialize)]
pub struct Insight {
    pub label: String,
    pub value: String,
    pub text: String,
}

#[derive(Serialize)]
pub struct BriefingView {
    pub meta: Meta,
    pub member: MemberView,
    /// "Zur Entscheidung": what is due in the twelve months after the document date.
    pub decisions: DecisionsView,
    /// One sentence: where the member stands per inhabitant and its largest sector (empty without
    /// a balance).
    pub key_message: String,
    /// Targets, verdicts and budget of the member (own targets and the national path).
    pub targets: Option<progress::BriefingTargets>,
    pub figures: Vec<FigureRow>,
    /// What the ranges of estimated key figures mean (empty without estimates).
    pub figures_legend: String,
    pub insights: Vec<Insight>,
    /// The member among similar municipalities nationally (none without the reference table).
    pub similar: Option<SimilarView>,
    pub has_balance: bool,
    pub balance_note: String,
    pub compensation_line: String,
    pub assessment: Option<AssessmentView>,
    /// How many quality notes the report has about the member's figures (empty: none).
    pub quality_line: String,
    pub charts: BTreeMap<String, ChartView>,
    pub sources: Vec<SourceRow>,
}

/// "Wurzen verursacht rund 9,5 t CO₂e je Einwohner (Startbilanz 2021, Schätzung) – mehr als der
/// Bundeswert von 8,7 t. Den größten Anteil hat die Industrie (41 %): …"
fn key_message(r: &Renderer, factors: &Factors, m: &MemberFacts) -> String {
    let Some(b) = &m.balance else {
        return String::new();
    };
    let (Some(per_inh), Some(top)) = (b.t_per_inhabitant, b.sectors.iter().max_by(|a, c| a.t.total_cmp(&c.t))) else {
        return String::new();
    };
    let kind = if b.estimated_cells > 0 && b.local_cells == 0 {
        let kind = r
            .locale
            .fill("text", "key_message_estimate", &[("year", b.date.year.to_string())]);
        match Spread::of_member(m, fig::GHG_T_PER_INHABITANT) {
            Some(s) => format!("{kind}, {}", s.pm(r)),
            None => kind,
        }
    } else {
        r.locale
            .fill("text", "key_message_own", &[("year", b.date.year.to_string())])
    };
    let comparison = match factors.national(fig::GHG_T_PER_INHABITANT, b.date.year) {
        Some(n) => {
            let key = if per_inh > n.value * 1.1 {
                "key_message_above"
            } else if per_inh < n.value * 0.9 {
                "key_message_below"
            } else {
                "key_message_near"
            };
            r.locale.fill(
                "text",
                key,
                &[("national", r.locale.number(n.value, 1)), ("nyear", n.year.to_string())],
            )
        }
        None => String::new(),
    };
    r.locale.fill(
        "text",
        "key_message",
        &[
            ("name", m.member.name.clone()),
            ("value", r.locale.number(per_inh, 1)),
            ("kind", kind),
            ("comparison", comparison),
            ("sector", r.locale.label("sector", &top.sector)),
            ("share", r.locale.number(top.share_pct, 0)),
        ],
    )
}

/// Figures a council member needs first.
const BRIEFING_FIGURES: &[&str] = &[
    fig::POPULATION,
    fig::LAND_TOTAL,
    fig::SHARE_SETTLEMENT_TRAFFIC,
    fig::LAND_TAKE_HA_PER_YEAR,
    fig::SHARE_FOREST,
    fig::RE_PV_KW,
    fig::PV_KW_PER_INHABITANT,
    fig::PV_GROWTH_PCT,
    fig::LAND_SINK_T,
    fig::GHG_T,
    fig::GHG_T_PER_INHABITANT,
];

/// Figures compared across the partnership (size-independent ones only), with their favourable
/// end: `true` = higher is better (more PV, more forest, faster PV growth), `false` = lower is
/// better (less settlement and traffic area, a more negative land-use flux = a larger sink).
const COMPARED: &[(&str, bool)] = &[
    (fig::PV_KW_PER_INHABITANT, true),
    (fig::SHARE_FOREST, true),
    (fig::SHARE_SETTLEMENT_TRAFFIC, false),
    (fig::LAND_SINK_T_PER_HA, false),
    (fig::PV_GROWTH_PCT, true),
];

pub fn briefing(
    r: &Renderer,
    p: &Partnership,
    data: &ReferenceTables,
    facts: &Facts,
    m: &MemberFacts,
) -> (BriefingView, Files) {
    let mut book = SourceBook::default();
    let mut figures = super::common::gap_rows(r, &m.figures);
    let shown: Vec<&Figure> = BRIEFING_FIGURES
        .iter()
        .filter_map(|id| m.figures.iter().find(|f| f.id == *id))
        .collect();
    figures.extend(shown.iter().map(|f| figure_row(r, f, &mut book)));
    sink_range_note(r, m, &mut figures);
    let figures_legend = figures_legend(r, shown);
    let insights = insights(r, facts, m, &mut book);
    let mut charts = Charts::default();
    let hl = Some(m.member.ags.as_str());
    charts.add(renewables::re_chart(r, facts, hl));
    charts.add(maps::map(r, &data.boundaries, facts, Metric::GhgPerInhabitant, hl));
    let (charts, files) = charts.into_parts();
    let meta = Meta {
        data_years: data_years(r, m),
        ..meta(r, p, facts, "briefing_title", m.member.name.clone())
    };
    let tables = DecisionTables {
        catalogues: &data.catalogues,
        council_decisions: &data.council_decisions,
        measure_status: &data.measure_status,
    };
    let view = BriefingView {
        decisions: decisions_view(r, tables, m, meta.date),
        meta,
        key_message: key_message(r, &data.factors, m),
        targets: progress::briefing_targets(r, p, m),
        member: member_view(r, m),
        figures,
        figures_legend,
        insights,
        similar: similar_view(r, &data.similar, m),
        has_balance: m.balance.is_some(),
        balance_note: balance_note(r, m),
        compensation_line: compensation::briefing_compensation(r, facts, m),
        assessment: m
            .assessment
            .as_ref()
            .map(|a| assessment_view(r, facts, &data.catalogues, m, a, &data.measure_status, Some(5))),
        quality_line: quality::briefing_line(r, m),
        charts,
        sources: book.rows(r),
    };
    (view, files)
}

/// The land-use flux in the key figures with its range over the bounds of the forest flux
/// (`factors/forest_range.csv`): the forest sink is the least certain part of it.
fn sink_range_note(r: &Renderer, m: &MemberFacts, rows: &mut [FigureRow]) {
    let Some(sink) = m.sink.as_ref().filter(|s| !s.forest_range.is_empty()) else {
        return;
    };
    let Some(row) = rows.iter_mut().find(|x| x.id == fig::LAND_SINK_T) else {
        return;
    };
    let totals = sink.forest_range.iter().map(|b| b.total_t).chain([sink.total_t]);
    let (lo, hi) = totals.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let bounds: Vec<String> = sink
        .forest_range
        .iter()
        .map(|b| r.locale.label("forest_bound", &b.bound))
        .collect();
    let note = r.locale.fill(
        "text",
        "sink_range_note",
        &[
            ("lo", r.locale.number(lo, 0)),
            ("hi", r.locale.number(hi, 0)),
            ("bounds", bounds.join(r.locale.text("or_else").as_str())),
        ],
    );
    row.note = if row.note.is_empty() {
        note
    } else {
        format!("{}; {note}", row.note)
    };
}

/// Where the member stands among the partnership in the compared figures (the figures' sources
/// are numbered, as the briefing cites them).
fn insights(r: &Renderer, facts: &Facts, m: &MemberFacts, book: &mut SourceBook) -> Vec<Insight> {
    let mut insights = Vec::new();
    for &(id, higher_is_better) in COMPARED {
        let Some(f) = m.figures.iter().find(|f| f.id == id) else {
            continue;
        };
        let (Some(v), Some(avg), Some((rank, n))) = (
            f.value,
            facts.region.mean(id),
            f.value
                .and_then(|v| facts.region.rank_favourable(id, v, higher_is_better)),
        ) else {
            continue;
        };
        if n < 2 {
            continue;
        }
        let d = decimals(&f.unit, v);
        let unit = r.locale.unit(&f.unit);
        let avg_text = format!("{} {unit}", r.locale.number(avg, d));
        let key = if v >= avg { "above_average" } else { "below_average" };
        let text = format!(
            "{}; {}.",
            r.locale.fill("text", key, &[("avg", avg_text)]),
            r.locale
                .fill("text", "rank", &[("rank", rank.to_string()), ("n", n.to_string())])
        );
        let _ = book.refs(&f.sources);
        let date = f
            .date
            .map(|x| format!(" ({})", x.display(r.locale.style)))
            .unwrap_or_default();
        insights.push(Insight {
            label: r.locale.label("label", id),
            value: format!("{} {unit}{date}", r.locale.number(v, d)),
            text,
        });
    }
    insights
}

/// The note under the briefing's figures on a start balance: its quality, and the plausibility
/// sentence if the estimate is far from the national value (empty for a member's own balance).
fn balance_note(r: &Renderer, m: &MemberFacts) -> String {
    m.balance
        .as_ref()
        .filter(|b| b.estimated_cells > 0)
        .map(|b| {
            let note = r.locale.fill(
                "text",
                "briefing_start_balance",
                &[
                    ("quality", r.locale.number(b.quality, 2)),
                    ("grade", b.grade.letter().to_string()),
                ],
            );
            match &b.plausibility {
                Some(p) => format!("{note} {}", balance::plausibility_sentence(r, p)),
                None => note,
            }
        })
        .unwrap_or_default()
}

#[derive(Serialize)]
pub struct ComparisonRow {
    pub label: String,
    pub unit: String,
    /// Per member; an estimate as "≈ 7,67 (±8 %)".
    pub values: Vec<String>,
    /// The reference date of the row when all members share it (else empty).
    pub date: String,
    /// Per member: its reference date where the members' dates differ (else all empty).
    pub dates: Vec<String>,
    pub refs: String,
}

#[derive(Serialize)]
pub struct HandbookView {
    pub meta: Meta,
    pub members: Vec<MemberView>,
    pub member_names: Vec<String>,
    pub comparison: Vec<ComparisonRow>,
    /// What the ranges of estimates in the comparison mean (empty without estimates).
    pub comparison_legend: String,
    pub balances: Vec<MemberBalance>,
    /// Years of the emission-factor matrix (its columns after carrier, sector and scope).
    pub emission_factor_years: Vec<String>,
    pub emission_factors: Vec<EmissionFactorRow>,
    /// Measured error of the start balance.
    pub start_error: Vec<StartErrorRow>,
    pub fluxes: Vec<FluxRow>,
    pub compensation: Option<CompensationView>,
    pub progress: Vec<MemberProgress>,
    /// Each member among similar municipalities nationally (empty without the reference table).
    pub similar: Vec<MemberSimilar>,
    pub start_balance_method: Vec<StartBalanceRow>,
    pub catalogue: Option<CatalogueView>,
    /// Ingest's warnings about the members' figures (members without any left out).
    pub quality_notes: Vec<MemberNotes>,
    pub charts: BTreeMap<String, ChartView>,
    pub sources: Vec<SourceRow>,
}

/// A member's balance in the handbook.
#[derive(Serialize)]
pub struct MemberBalance {
    pub name: String,
    pub balance: BalanceView,
}

/// A member among similar municipalities nationally, in the handbook.
#[derive(Serialize)]
pub struct MemberSimilar {
    pub name: String,
    pub similar: SimilarView,
}

/// A member's progress in the handbook.
#[derive(Serialize)]
pub struct MemberProgress {
    pub name: String,
    pub progress: ProgressView,
}

pub fn handbook(r: &Renderer, p: &Partnership, data: &ReferenceTables, facts: &Facts) -> (HandbookView, Files) {
    let factors = &data.factors;
    let mut book = SourceBook::default();
    let mut legend = Legend::default();
    let comparison = comparison_rows(r, facts, &mut book, &mut legend);
    let balances = facts
        .members
        .iter()
        .filter_map(|m| {
            Some(MemberBalance {
                name: m.member.name.clone(),
                balance: balance::balance_view(r, m, &mut book)?,
            })
        })
        .collect();
    let (emission_factor_years, emission_factors) = method::emission_factor_matrix(r, factors, p);
    let fluxes = method::flux_rows(r, factors);
    let mut charts = Charts::default();
    charts.add(balance::members_per_inhabitant_chart(r, facts, None));
    for metric in [Metric::GhgPerInhabitant, Metric::RatingScore, Metric::OffsetPerHa] {
        charts.add(maps::map(r, &data.boundaries, facts, metric, None));
    }
    charts.add(land::land_use_chart(r, facts, None));
    charts.add(renewables::re_chart(r, facts, None));
    charts.add(land::sink_members_chart(r, facts, None));
    let compensation = charts.take(compensation::compensation_view(r, facts, None));
    let progress: Vec<MemberProgress> = facts
        .members
        .iter()
        .filter_map(|m| {
            let progress = charts.take(progress::progress_view(r, m)).filter(|p| p.has_series)?;
            Some(MemberProgress {
                name: m.member.name.clone(),
                progress,
            })
        })
        .collect();
    let similar: Vec<MemberSimilar> = facts
        .members
        .iter()
        .filter_map(|m| {
            Some(MemberSimilar {
                name: m.member.name.clone(),
                similar: similar_view(r, &data.similar, m)?,
            })
        })
        .collect();
    let (charts, files) = charts.into_parts();
    let view = HandbookView {
        meta: meta(r, p, facts, "handbook_title", p.name.clone()),
        members: facts.members.iter().map(|m| member_view(r, m)).collect(),
        member_names: facts.members.iter().map(|m| m.member.name.clone()).collect(),
        comparison,
        comparison_legend: legend.sentence(r, "range_mark_values"),
        balances,
        emission_factor_years,
        emission_factors,
        fluxes,
        compensation,
        progress,
        similar,
        start_balance_method: method::start_balance_rows(r, factors, p),
        start_error: method::start_error_rows(r, factors),
        catalogue: (!data.catalogues.indicators.is_empty())
            .then(|| catalogue_view(r, facts, &data.catalogues, &Economics::of(&p.scenario))),
        quality_notes: quality::members_notes(r, &facts.members),
        charts,
        sources: book.rows(r),
    };
    (view, files)
}

/// The comparison matrix: one row per figure id, one column per member, in first-seen order.
fn comparison_rows(r: &Renderer, facts: &Facts, book: &mut SourceBook, legend: &mut Legend) -> Vec<ComparisonRow> {
    let mut ids: Vec<(String, String)> = Vec::new();
    for f in facts.members.iter().flat_map(|m| m.figures.iter()) {
        if !ids.iter().any(|(i, _)| *i == f.id) {
            ids.push((f.id.clone(), f.unit.clone()));
        }
    }
    ids.iter()
        .map(|(id, unit)| {
            let figs: Vec<Option<&Figure>> = facts
                .members
                .iter()
                .map(|m| m.figures.iter().find(|f| f.id == *id))
                .collect();
            let sources: Vec<Arc<Source>> = figs.iter().flatten().flat_map(|f| f.sources.iter().cloned()).collect();
            for f in figs.iter().flatten().filter(|f| f.value.is_some()) {
                legend.add(scope_of(&f.id), Spread::of_figure(f));
            }
            let mut shown: Vec<RefDate> = figs.iter().flatten().filter_map(|f| f.date).collect();
            shown.sort_unstable();
            shown.dedup();
            let one_date = shown.len() <= 1;
            ComparisonRow {
                label: r.locale.label("label", id),
                unit: r.locale.unit(unit),
                values: figs
                    .iter()
                    .map(|f| match f.map(|f| (f.value, Spread::of_figure(f))) {
                        Some((Some(v), Some(s))) => s.approx(r, &r.locale.number(v, decimals(unit, v))),
                        Some((Some(v), None)) => r.locale.number(v, decimals(unit, v)),
                        Some((None, _)) => r.locale.text("no_data"),
                        None => "–".into(),
                    })
                    .collect(),
                date: shown
                    .first()
                    .filter(|_| one_date)
                    .map(|d| d.display(r.locale.style))
                    .unwrap_or_default(),
                dates: figs
                    .iter()
                    .map(|f| match f.and_then(|f| f.date) {
                        Some(d) if !one_date => d.display(r.locale.style),
                        _ => String::new(),
                    })
                    .collect(),
                refs: book.refs(&sources),
            }
        })
        .collect()
}
