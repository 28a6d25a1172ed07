//! View models: one `Serialize` struct per document kind. Numbers are formatted here (German
//! style), words come from the locale; templates only place them.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::accounting::{self, BalanceView, CompensationView, ProgressView};
use super::assessment::{self as rating, AssessmentView, CatalogueView};
use super::{maps, Renderer};
use crate::chart::{self, Bar, BarChart, PairedChart, StackedChart, LAND_COLOURS};
use crate::compute::{Facts, Figure, MemberFacts};
use crate::config::{Partnership, Role};
use crate::format::fmt_number;
use crate::ingest::{Factors, ReferenceTables};
use crate::model::{RefDate, Source};

#[derive(Serialize)]
pub struct Meta {
    pub title: String,
    pub subtitle: String,
    pub partnership: String,
    pub publisher: String,
    pub year: i32,
    pub data_date: String,
    #[serde(skip)]
    pub date: RefDate,
    pub date_text: String,
    pub lang: String,
}

#[derive(Serialize, Clone)]
pub struct FigureRow {
    pub id: String,
    pub label: String,
    pub value: String,
    pub unit: String,
    pub date: String,
    pub grade: String,
    pub refs: String,
    pub flag: String,
    pub note: String,
}

#[derive(Serialize)]
pub struct ChartView {
    pub path: String,
    pub title: String,
    pub alt: String,
    pub source: String,
}

#[derive(Serialize)]
pub struct SourceRow {
    pub n: usize,
    pub citation: String,
    /// Publisher without detail, and the table code: the briefing's compact list.
    pub short: String,
    pub file: String,
    pub licence: String,
    pub attribution: String,
    pub grade: String,
}

/// A source in a few words: the publisher without its parenthesised detail or "via" chain, the
/// title cut at a word boundary, and the table code if it is short.
fn short_citation(s: &Source) -> String {
    const TITLE_MAX: usize = 70;
    let publisher = s.publisher.split([',', '(', ';']).next().unwrap_or("").trim();
    let publisher = publisher.split(" via ").next().unwrap_or(publisher).trim();
    let mut title = String::new();
    for word in s.title.split_whitespace() {
        if title.chars().count() + word.chars().count() + 1 > TITLE_MAX {
            title.push_str(" …");
            break;
        }
        if !title.is_empty() {
            title.push(' ');
        }
        title.push_str(word);
    }
    let mut out = publisher.to_string();
    if !title.is_empty() {
        out.push_str(": ");
        out.push_str(&title);
    }
    let table = s.table.trim();
    if !table.is_empty() && table.chars().count() <= 24 {
        out.push_str(&format!(" ({table})"));
    }
    out
}

/// Numbers the sources a document cites, in order of first use.
#[derive(Default)]
pub struct SourceBook {
    list: Vec<Arc<Source>>,
}

impl SourceBook {
    pub fn refs(&mut self, sources: &[Arc<Source>]) -> String {
        let mut ns = Vec::new();
        for s in sources {
            let n = match self.list.iter().position(|x| x.file == s.file) {
                Some(i) => i + 1,
                None => {
                    self.list.push(s.clone());
                    self.list.len()
                }
            };
            if !ns.contains(&n) {
                ns.push(n);
            }
        }
        ns.sort_unstable();
        if ns.is_empty() {
            return String::new();
        }
        // Runs of three or more consecutive numbers are written as a range: [1, 3, 9–13].
        let mut parts: Vec<String> = Vec::new();
        let mut i = 0;
        while i < ns.len() {
            let mut j = i;
            while j + 1 < ns.len() && ns[j + 1] == ns[j] + 1 {
                j += 1;
            }
            if j >= i + 2 {
                parts.push(format!("{}–{}", ns[i], ns[j]));
            } else {
                parts.extend(ns[i..=j].iter().map(ToString::to_string));
            }
            i = j + 1;
        }
        format!("[{}]", parts.join(", "))
    }

    pub fn rows(&self, r: &Renderer) -> Vec<SourceRow> {
        self.list
            .iter()
            .enumerate()
            .map(|(i, s)| SourceRow {
                n: i + 1,
                citation: s.citation(),
                short: short_citation(s),
                file: s.file.clone(),
                licence: s.licence.clone(),
                attribution: s.attribution.clone(),
                grade: r.locale.label("grade", s.grade.letter()),
            })
            .collect()
    }
}

/// Decimals by unit: counts and areas whole, shares and small ratios with decimals.
pub fn decimals(unit: &str, v: f64) -> usize {
    match unit {
        "Personen" | "ha" | "MWh" | "t CO2e" | "t CO2e/a" | "kW" => 0,
        "%" | "ha/a" => 1,
        "kW/EW" | "t CO2e/EW" | "t CO2e/(ha·a)" => 2,
        _ => crate::format::auto_decimals(v),
    }
}

fn row(r: &Renderer, f: &Figure, book: &mut SourceBook) -> FigureRow {
    let value = match f.value {
        Some(v) => fmt_number(v, decimals(&f.unit, v)),
        None => r.locale.text("no_data"),
    };
    FigureRow {
        id: f.id.clone(),
        label: r.locale.label("label", &f.id),
        value,
        unit: r.locale.unit(&f.unit),
        date: f.date.map(|d| d.display()).unwrap_or_default(),
        grade: f.grade.letter().to_string(),
        refs: book.refs(&f.sources),
        flag: f.flag.clone().unwrap_or_default(),
        note: f.note.as_ref().map(|n| r.locale.note(n)).unwrap_or_default(),
    }
}

fn meta(r: &Renderer, p: &Partnership, facts: &Facts, title_key: &str, subtitle: String) -> Meta {
    // The document date is the latest reference date used (never the clock), unless given.
    let latest = facts
        .members
        .iter()
        .flat_map(|m| m.figures.iter())
        .filter_map(|f| f.date)
        .max()
        .unwrap_or(RefDate::end_of_year(facts.year));
    let date = r.date_override.unwrap_or(latest);
    Meta {
        title: r.locale.text(title_key),
        subtitle,
        partnership: p.name.clone(),
        publisher: p.publisher.clone(),
        year: facts.year,
        data_date: latest.display(),
        date,
        date_text: date.display(),
        lang: r.locale.lang.clone(),
    }
}

pub(super) fn alt_for(r: &Renderer, title: &str, values: &[(String, String)]) -> String {
    let vals = values
        .iter()
        .map(|(l, v)| format!("{l} {v}"))
        .collect::<Vec<_>>()
        .join("; ");
    r.locale.fill(
        "text",
        "chart_alt_bars",
        &[("title", title.to_string()), ("values", vals)],
    )
}

pub(super) fn source_line(sources: &[&Source]) -> String {
    /// Beyond this many sources a caption names the publishers only (the annex has the rest).
    const FULL_CITATIONS_MAX: usize = 3;
    let mut seen: Vec<String> = Vec::new();
    for s in sources {
        let c = s.citation();
        if !seen.contains(&c) {
            seen.push(c);
        }
    }
    if seen.len() <= FULL_CITATIONS_MAX {
        return seen.join("; ");
    }
    let mut publishers: Vec<String> = Vec::new();
    for s in sources {
        // The publisher's name without its parenthesised detail or the "via …" chain.
        let p = s.publisher.split([',', '(']).next().unwrap_or("").trim().to_string();
        if !p.is_empty() && !publishers.contains(&p) {
            publishers.push(p);
        }
    }
    publishers.join("; ")
}

/// Charts shared by several documents.
pub(super) struct ChartSet {
    files: Vec<(String, Vec<u8>)>,
    views: Vec<ChartView>,
}

impl ChartSet {
    pub(super) fn new() -> Self {
        ChartSet {
            files: Vec::new(),
            views: Vec::new(),
        }
    }

    pub(super) fn add(&mut self, name: &str, svg: String, title: String, alt: String, source: String) -> usize {
        let path = format!("/charts/{name}.svg");
        self.files.push((path.clone(), svg.into_bytes()));
        self.views.push(ChartView {
            path,
            title,
            alt,
            source,
        });
        self.views.len() - 1
    }
}

fn land_use_chart(r: &Renderer, facts: &Facts, highlight: Option<&str>, set: &mut ChartSet) {
    let lands: Vec<(&MemberFacts, &crate::compute::land::LandUse)> = facts
        .members
        .iter()
        .filter_map(|m| m.land.as_ref().map(|l| (m, l)))
        .collect();
    if lands.is_empty() {
        return;
    }
    let ids: Vec<&str> = crate::compute::land::CLASSES.iter().map(|(id, _)| *id).collect();
    let segments = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (r.locale.label("land_class", id), LAND_COLOURS[i % LAND_COLOURS.len()]))
        .collect();
    let rows = lands
        .iter()
        .map(|(m, l)| {
            let shares = ids
                .iter()
                .map(|id| l.classes.iter().find(|c| c.id == *id).map_or(0.0, |c| c.share_pct))
                .collect();
            (m.member.name.clone(), shares, highlight == Some(m.member.ags.as_str()))
        })
        .collect();
    let svg = chart::stacked(&StackedChart {
        absolute: None,
        segments,
        rows,
    });
    let date = lands
        .iter()
        .map(|(_, l)| l.date)
        .max()
        .map(|d| d.display())
        .unwrap_or_default();
    let title = format!("{} ({date})", r.locale.text("chart_land_use"));
    let values: Vec<(String, String)> = lands
        .iter()
        .map(|(m, l)| {
            let parts = l
                .classes
                .iter()
                .map(|c| {
                    format!(
                        "{} {} %",
                        r.locale.label("land_class", &c.id),
                        fmt_number(c.share_pct, 0)
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            (m.member.name.clone(), parts)
        })
        .collect();
    let alt = alt_for(r, &title, &values);
    let sources: Vec<&Source> = lands
        .iter()
        .filter_map(|(_, l)| l.categories.first().map(|c| c.2.as_ref()))
        .collect();
    set.add("flaechennutzung", svg, title, alt, source_line(&sources));
}

fn re_chart(r: &Renderer, facts: &Facts, highlight: Option<&str>, set: &mut ChartSet) {
    let res: Vec<(&MemberFacts, &crate::compute::renewables::Renewables)> = facts
        .members
        .iter()
        .filter_map(|m| m.renewables.as_ref().map(|x| (m, x)))
        .collect();
    let Some(pop_src) = facts.members.iter().find_map(|m| m.population.as_ref()) else {
        return;
    };
    if res.is_empty() {
        return;
    }
    let now = res.iter().map(|(_, x)| x.date).max();
    let prev = res.iter().filter_map(|(_, x)| x.previous_date).max();
    let per_inh = |m: &MemberFacts, kw: Option<f64>, date: Option<RefDate>| -> Option<f64> {
        Some(kw? / m.population.as_ref()?.for_date(date?)?.0)
    };
    let rows: Vec<(String, [Option<f64>; 2], bool)> = res
        .iter()
        .map(|(m, x)| {
            let pv = x.capacities.iter().find(|c| c.technology == "pv");
            (
                m.member.name.clone(),
                [
                    per_inh(m, pv.and_then(|c| c.previous_kw), x.previous_date),
                    per_inh(m, pv.map(|c| c.kw), Some(x.date)),
                ],
                highlight == Some(m.member.ags.as_str()),
            )
        })
        .collect();
    let series = [
        prev.map(|d| d.display()).unwrap_or_default(),
        now.map(|d| d.display()).unwrap_or_default(),
    ];
    let title = r.locale.text("chart_re_per_inhabitant");
    let values: Vec<(String, String)> = rows
        .iter()
        .map(|(n, v, _)| {
            (
                n.clone(),
                v.iter()
                    .zip(&series)
                    .filter_map(|(v, s)| v.map(|v| format!("{s}: {}", fmt_number(v, 2))))
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        })
        .collect();
    let svg = chart::paired(&PairedChart {
        unit: r.locale.unit("kW/EW"),
        series,
        rows,
        decimals: 2,
    });
    let alt = alt_for(r, &title, &values);
    let mut sources: Vec<&Source> = res
        .iter()
        .filter_map(|(m, _)| m.figures.iter().find(|f| f.id == "re_pv_kw"))
        .flat_map(|f| f.sources.iter().map(AsRef::as_ref))
        .collect();
    sources.extend(pop_src.running.sources.iter().map(AsRef::as_ref));
    set.add("pv_je_einwohner", svg, title, alt, source_line(&sources));
}

fn sink_members_chart(r: &Renderer, facts: &Facts, highlight: Option<&str>, set: &mut ChartSet) {
    let sinks: Vec<(&MemberFacts, &crate::compute::land::LandSink)> = facts
        .members
        .iter()
        .filter_map(|m| m.sink.as_ref().map(|s| (m, s)))
        .collect();
    if sinks.is_empty() {
        return;
    }
    let bars: Vec<Bar> = sinks
        .iter()
        .map(|(m, s)| Bar {
            label: m.member.name.clone(),
            value: s.total_t,
            highlight: highlight == Some(m.member.ags.as_str()),
            range: None,
        })
        .collect();
    let date = sinks
        .iter()
        .map(|(_, s)| s.date)
        .max()
        .map(|d| d.display())
        .unwrap_or_default();
    let title = format!("{} ({date})", r.locale.text("chart_sink_members"));
    let values: Vec<(String, String)> = bars
        .iter()
        .map(|b| {
            (
                b.label.clone(),
                format!("{} {}", fmt_number(b.value, 0), r.locale.unit("t CO2e/a")),
            )
        })
        .collect();
    let svg = chart::bars(&BarChart {
        unit: r.locale.unit("t CO2e/a"),
        bars,
        decimals: 0,
    });
    let alt = alt_for(r, &title, &values);
    let sources: Vec<&Source> = sinks
        .iter()
        .filter_map(|(m, _)| m.figures.iter().find(|f| f.id == "land_sink_t"))
        .flat_map(|f| f.sources.iter().map(AsRef::as_ref))
        .collect();
    set.add("senke_mitglieder", svg, title, alt, source_line(&sources));
}

fn sink_chart(r: &Renderer, m: &MemberFacts, set: &mut ChartSet) {
    let Some(s) = &m.sink else { return };
    let bars: Vec<Bar> = s
        .rows
        .iter()
        .map(|row| Bar {
            label: format!(
                "{} ({})",
                r.locale.label("land_category", &row.category),
                r.locale.label("soil", &row.soil)
            ),
            value: row.t,
            highlight: false,
            range: None,
        })
        .collect();
    let title = format!(
        "{} – {} ({})",
        r.locale.text("chart_sink"),
        m.member.name,
        s.date.display()
    );
    let values: Vec<(String, String)> = bars.iter().map(|b| (b.label.clone(), fmt_number(b.value, 0))).collect();
    let svg = chart::bars(&BarChart {
        unit: r.locale.unit("t CO2e/a"),
        bars,
        decimals: 0,
    });
    let alt = alt_for(r, &title, &values);
    let sources: Vec<&Source> = m
        .figures
        .iter()
        .find(|f| f.id == "land_sink_t")
        .map(|f| f.sources.iter().map(AsRef::as_ref).collect())
        .unwrap_or_default();
    set.add("senke", svg, title, alt, source_line(&sources));
}

#[derive(Serialize)]
pub struct MemberView {
    pub name: String,
    pub ags: String,
    pub role: String,
    /// The data years of this member's figures, e.g. "Bilanz 2021 (Startbilanz) · Statistik 2021–2024".
    pub data_years: String,
}

fn member_view(r: &Renderer, m: &MemberFacts) -> MemberView {
    let role = match m.member.role {
        Role::City => "city",
        Role::Rural => "rural",
    };
    MemberView {
        name: m.member.name.clone(),
        ags: m.member.ags.to_string(),
        role: r.locale.label("role", role),
        data_years: data_years(r, m),
    }
}

/// The years a member's figures refer to: the balance year (and whether it is a start balance),
/// then the span of the other figures' reference dates.
fn data_years(r: &Renderer, m: &MemberFacts) -> String {
    let years: Vec<i32> = m.figures.iter().filter_map(|f| f.date.map(|d| d.year)).collect();
    let (Some(lo), Some(hi)) = (years.iter().min(), years.iter().max()) else {
        return String::new();
    };
    let span = if lo == hi {
        lo.to_string()
    } else {
        format!("{lo}–{hi}")
    };
    let stats = r.locale.fill("text", "data_years_statistics", &[("years", span)]);
    match &m.balance {
        Some(b) => {
            let key = if b.estimated_cells > 0 && b.local_cells == 0 {
                "data_years_start_balance"
            } else {
                "data_years_balance"
            };
            format!(
                "{} · {stats}",
                r.locale.fill("text", key, &[("year", b.date.year.to_string())])
            )
        }
        None => stats,
    }
}

#[derive(Serialize)]
pub struct LandView {
    pub date: String,
    pub total: String,
    pub classes: Vec<(String, String, String)>,
    pub land_take: String,
}

#[derive(Serialize)]
pub struct SinkView {
    pub date: String,
    pub rows: Vec<[String; 5]>,
    pub total: String,
    pub refs: String,
    /// The forest range: bound, period, t/ha, forest t, total t.
    pub forest_range: Vec<[String; 5]>,
    /// Which split of agricultural land into cropland and grassland was used.
    pub split_note: String,
}

#[derive(Serialize)]
pub struct RenewablesView {
    pub date: String,
    pub previous_date: String,
    pub rows: Vec<[String; 4]>,
    pub refs: String,
}

fn land_view(r: &Renderer, m: &MemberFacts) -> Option<LandView> {
    let l = m.land.as_ref()?;
    let land_take = match (l.land_take_ha_per_year, l.previous_date) {
        (Some(rate), Some(pd)) => r.locale.fill(
            "text",
            "land_take",
            &[
                ("from", pd.display()),
                ("to", l.date.display()),
                (
                    "rate",
                    format!("{}{}", if rate > 0.0 { "+" } else { "" }, fmt_number(rate, 1)),
                ),
            ],
        ),
        _ => String::new(),
    };
    Some(LandView {
        date: l.date.display(),
        total: fmt_number(l.total_ha, 0),
        classes: l
            .classes
            .iter()
            .map(|c| {
                (
                    r.locale.label("land_class", &c.id),
                    fmt_number(c.ha, 0),
                    fmt_number(c.share_pct, 1),
                )
            })
            .collect(),
        land_take,
    })
}

fn sink_view(r: &Renderer, m: &MemberFacts, book: &mut SourceBook) -> Option<SinkView> {
    let s = m.sink.as_ref()?;
    let refs = m
        .figures
        .iter()
        .find(|f| f.id == "land_sink_t")
        .map(|f| book.refs(&f.sources))
        .unwrap_or_default();
    Some(SinkView {
        date: s.date.display(),
        rows: s
            .rows
            .iter()
            .map(|x| {
                [
                    r.locale.label("land_category", &x.category),
                    r.locale.label("soil", &x.soil),
                    fmt_number(x.area_ha, 0),
                    fmt_number(x.t_per_ha, 2),
                    fmt_number(x.t, 0),
                ]
            })
            .collect(),
        total: fmt_number(s.total_t, 0),
        refs,
        forest_range: s
            .forest_range
            .iter()
            .map(|b| {
                [
                    r.locale.label("forest_bound", &b.bound),
                    b.period.clone(),
                    fmt_number(b.t_per_ha, 2),
                    fmt_number(b.forest_t, 0),
                    fmt_number(b.total_t, 0),
                ]
            })
            .collect(),
        split_note: match &s.state_split {
            Some((state, year)) => r.locale.fill(
                "text",
                "agri_split_state",
                &[("state", r.locale.label("state", state)), ("year", year.to_string())],
            ),
            None => r.locale.text("agri_split_national"),
        },
    })
}

fn renewables_view(r: &Renderer, m: &MemberFacts, book: &mut SourceBook) -> Option<RenewablesView> {
    let x = m.renewables.as_ref()?;
    let refs = m
        .figures
        .iter()
        .find(|f| f.id == "re_pv_kw")
        .map(|f| book.refs(&f.sources))
        .unwrap_or_default();
    Some(RenewablesView {
        date: x.date.display(),
        previous_date: x.previous_date.map(|d| d.display()).unwrap_or_default(),
        rows: x
            .capacities
            .iter()
            .map(|c| {
                [
                    r.locale.label("technology", &c.technology),
                    c.previous_kw
                        .map(|v| fmt_number(v, 0))
                        .unwrap_or_else(|| r.locale.text("no_data")),
                    fmt_number(c.kw, 0),
                    c.kw_per_inhabitant
                        .map(|v| fmt_number(v, 3))
                        .unwrap_or_else(|| r.locale.text("no_data")),
                ]
            })
            .collect(),
        refs,
    })
}

#[derive(Serialize)]
pub struct ReportView {
    pub meta: Meta,
    pub member: MemberView,
    pub figures: Vec<FigureRow>,
    pub population_note: String,
    pub land: Option<LandView>,
    pub sink: Option<SinkView>,
    pub renewables: Option<RenewablesView>,
    pub balance: Option<BalanceView>,
    pub progress: Option<ProgressView>,
    pub compensation: Option<CompensationView>,
    pub assessment: Option<AssessmentView>,
    pub charts: BTreeMap<String, ChartView>,
    pub sources: Vec<SourceRow>,
}

/// In-memory files a document embeds (virtual path, bytes).
pub type Files = Vec<(String, Vec<u8>)>;

fn chart_map(set: ChartSet) -> (BTreeMap<String, ChartView>, Files) {
    let map = set
        .views
        .into_iter()
        .map(|v| {
            let key = v
                .path
                .trim_start_matches("/charts/")
                .trim_end_matches(".svg")
                .split('-')
                .next()
                .unwrap_or_default()
                .to_string();
            (key, v)
        })
        .collect();
    (map, set.files)
}

pub fn report(
    r: &Renderer,
    p: &Partnership,
    data: &ReferenceTables,
    facts: &Facts,
    m: &MemberFacts,
) -> (ReportView, Files) {
    let mut book = SourceBook::default();
    let figures: Vec<FigureRow> = m.figures.iter().map(|f| row(r, f, &mut book)).collect();
    let population_note = m
        .population
        .as_ref()
        .and_then(|p| p.census.as_ref())
        .and_then(|c| c.note.as_ref())
        .map(|n| r.locale.note(n))
        .unwrap_or_default();
    let land = land_view(r, m);
    let sink = sink_view(r, m, &mut book);
    let renewables = renewables_view(r, m, &mut book);
    let balance = accounting::balance_view(r, m, &mut book);
    let mut set = ChartSet::new();
    let hl = Some(m.member.ags.as_str());
    accounting::sector_chart(r, m, &mut set);
    land_use_chart(r, facts, hl, &mut set);
    sink_chart(r, m, &mut set);
    re_chart(r, facts, hl, &mut set);
    maps::map(r, data, facts, maps::Metric::GhgPerInhabitant, hl, &mut set);
    let progress = accounting::progress_view(r, m, &mut set);
    let compensation = accounting::compensation_view(r, facts, Some(m.member.ags.as_str()), &mut set);
    let (charts, files) = chart_map(set);
    let subtitle = m.member.name.clone();
    let view = ReportView {
        meta: meta(r, p, facts, "report_title", subtitle),
        member: member_view(r, m),
        figures,
        population_note,
        land,
        sink,
        renewables,
        balance,
        progress,
        compensation,
        assessment: m
            .assessment
            .as_ref()
            .map(|a| rating::assessment_view(r, facts, &data.catalogues, m, a, &data.measure_status, None)),
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
    pub figures: Vec<FigureRow>,
    pub insights: Vec<Insight>,
    pub has_balance: bool,
    pub balance_note: String,
    pub compensation_line: String,
    pub assessment: Option<AssessmentView>,
    pub charts: BTreeMap<String, ChartView>,
    pub sources: Vec<SourceRow>,
}

/// One item of "Zur Entscheidung".
#[derive(Serialize)]
pub struct DecisionRow {
    pub date: String,
    /// Council decision, start of an adopted measure, or overdue measure (locale words).
    pub kind: String,
    pub subject: String,
    /// Who decides or acts.
    pub body: String,
    pub link: String,
}

#[derive(Serialize)]
pub struct DecisionsView {
    /// The sentence that opens the section, with the window's dates.
    pub intro: String,
    pub rows: Vec<DecisionRow>,
}

/// What a council decides next: council decisions (`local/council_decisions.csv`) and starts of
/// adopted measures in the twelve months after the document's date, and adopted measures that are
/// overdue on it. The date is the document's (data date or `SOURCE_DATE_EPOCH`), never the clock.
fn decisions_view(r: &Renderer, data: &ReferenceTables, m: &MemberFacts, date: RefDate) -> DecisionsView {
    use crate::ingest::local::Status;
    let until = RefDate::new(date.year + 1, date.month, date.day)
        .or_else(|| RefDate::new(date.year + 1, date.month, 28))
        .unwrap_or(date);
    let within = |d: RefDate| d > date && d <= until;
    let title = |id: &str| {
        data.catalogues
            .measures
            .iter()
            .find(|x| x.id == id)
            .map_or_else(|| id.to_string(), |x| x.title.clone())
    };
    let mut rows: Vec<(RefDate, DecisionRow)> = Vec::new();
    for d in data
        .council_decisions
        .iter()
        .filter(|d| d.ags == m.member.ags && within(d.date))
    {
        rows.push((
            d.date,
            DecisionRow {
                date: d.date.display(),
                kind: r.locale.text("decision_council"),
                subject: d.subject.clone(),
                body: d.body.clone(),
                link: d.link.clone(),
            },
        ));
    }
    for s in data
        .measure_status
        .iter()
        .filter(|s| s.ags == m.member.ags && s.status != Status::Done)
    {
        if let Some(start) = s.start.filter(|d| within(*d)) {
            rows.push((
                start,
                DecisionRow {
                    date: start.display(),
                    kind: r.locale.text("decision_start"),
                    subject: title(&s.measure),
                    body: s.responsible.clone(),
                    link: String::new(),
                },
            ));
        }
        if let Some(due) = s.due.filter(|d| *d < date) {
            rows.push((
                due,
                DecisionRow {
                    date: due.display(),
                    kind: r.locale.text("decision_overdue"),
                    subject: title(&s.measure),
                    body: s.responsible.clone(),
                    link: String::new(),
                },
            ));
        }
    }
    rows.sort_by_key(|(d, _)| *d);
    DecisionsView {
        intro: r.locale.fill(
            "text",
            "decisions_intro",
            &[("from", date.display()), ("until", until.display())],
        ),
        rows: rows.into_iter().map(|(_, row)| row).collect(),
    }
}

/// "Wurzen verursacht rund 9,5 t CO₂e je Einwohner (Startbilanz 2021, Schätzung) – mehr als der
/// Bundeswert von 8,7 t. Den größten Anteil hat die Industrie (41 %): …"
fn key_message(r: &Renderer, data: &ReferenceTables, m: &MemberFacts) -> String {
    let Some(b) = &m.balance else {
        return String::new();
    };
    let (Some(per_inh), Some(top)) = (b.t_per_inhabitant, b.sectors.iter().max_by(|a, c| a.t.total_cmp(&c.t))) else {
        return String::new();
    };
    let kind = if b.estimated_cells > 0 && b.local_cells == 0 {
        r.locale
            .fill("text", "key_message_estimate", &[("year", b.date.year.to_string())])
    } else {
        r.locale
            .fill("text", "key_message_own", &[("year", b.date.year.to_string())])
    };
    let comparison = match data.factors.national("ghg_t_per_inhabitant", b.date.year) {
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
                &[("national", fmt_number(n.value, 1)), ("nyear", n.year.to_string())],
            )
        }
        None => String::new(),
    };
    r.locale.fill(
        "text",
        "key_message",
        &[
            ("name", m.member.name.clone()),
            ("value", fmt_number(per_inh, 1)),
            ("kind", kind),
            ("comparison", comparison),
            ("sector", r.locale.label("sector", &top.sector)),
            ("share", fmt_number(top.share_pct, 0)),
        ],
    )
}

/// Figures a council member needs first.
const BRIEFING_FIGURES: &[&str] = &[
    "population",
    "land_total",
    "share_settlement_traffic",
    "land_take_ha_per_year",
    "share_forest",
    "re_pv_kw",
    "pv_kw_per_inhabitant",
    "pv_growth_pct",
    "land_sink_t",
    "ghg_t",
    "ghg_t_per_inhabitant",
];

/// Figures compared across the partnership (size-independent ones only), with their favourable
/// end: `true` = higher is better (more PV, more forest, faster PV growth), `false` = lower is
/// better (less settlement and traffic area, a more negative land-use flux = a larger sink).
const COMPARED: &[(&str, bool)] = &[
    ("pv_kw_per_inhabitant", true),
    ("share_forest", true),
    ("share_settlement_traffic", false),
    ("land_sink_t_per_ha", false),
    ("pv_growth_pct", true),
];

pub fn briefing(
    r: &Renderer,
    p: &Partnership,
    data: &ReferenceTables,
    facts: &Facts,
    m: &MemberFacts,
) -> (BriefingView, Files) {
    let mut book = SourceBook::default();
    let figures: Vec<FigureRow> = BRIEFING_FIGURES
        .iter()
        .filter_map(|id| m.figures.iter().find(|f| f.id == *id))
        .map(|f| row(r, f, &mut book))
        .collect();
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
        let avg_text = format!("{} {unit}", fmt_number(avg, d));
        let key = if v >= avg { "above_average" } else { "below_average" };
        let text = format!(
            "{}; {}.",
            r.locale.fill("text", key, &[("avg", avg_text)]),
            r.locale
                .fill("text", "rank", &[("rank", rank.to_string()), ("n", n.to_string())])
        );
        let _ = book.refs(&f.sources);
        insights.push(Insight {
            label: r.locale.label("label", id),
            value: format!("{} {unit}", fmt_number(v, d)),
            text,
        });
    }
    let mut set = ChartSet::new();
    let hl = Some(m.member.ags.as_str());
    re_chart(r, facts, hl, &mut set);
    maps::map(r, data, facts, maps::Metric::GhgPerInhabitant, hl, &mut set);
    let (charts, files) = chart_map(set);
    let meta = meta(r, p, facts, "briefing_title", m.member.name.clone());
    let view = BriefingView {
        decisions: decisions_view(r, data, m, meta.date),
        meta,
        key_message: key_message(r, data, m),
        member: member_view(r, m),
        figures,
        insights,
        has_balance: m.balance.is_some(),
        balance_note: m
            .balance
            .as_ref()
            .filter(|b| b.estimated_cells > 0)
            .map(|b| {
                let note = r.locale.fill(
                    "text",
                    "briefing_start_balance",
                    &[
                        ("quality", fmt_number(b.quality, 2)),
                        ("grade", b.grade.letter().to_string()),
                    ],
                );
                match &b.plausibility {
                    Some(p) => format!("{note} {}", super::accounting::plausibility_sentence(r, p)),
                    None => note,
                }
            })
            .unwrap_or_default(),
        compensation_line: briefing_compensation(r, facts, m),
        assessment: m
            .assessment
            .as_ref()
            .map(|a| rating::assessment_view(r, facts, &data.catalogues, m, a, &data.measure_status, Some(5))),
        charts,
        sources: book.rows(r),
    };
    (view, files)
}

/// One sentence on compensation for a council: what the member's land users could earn, or how much
/// of the city's emissions the region can offset.
fn briefing_compensation(r: &Renderer, facts: &Facts, m: &MemberFacts) -> String {
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
                        ("removal", fmt_number(x.removal_t, 0)),
                        ("payment", fmt_number(x.payment_eur, 0)),
                        ("price", fmt_number(c.price_eur_per_t, 0)),
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
                        .map(|v| fmt_number(v, 1))
                        .unwrap_or_else(|| "–".into()),
                ),
                ("payment", fmt_number(c.payment_total_eur, 0)),
                ("city", city_phrase(r, c)),
            ],
        ),
    }
}

/// "von Leipzig" for one city member, "der 106 Städte der Partnerschaft" for several.
pub fn city_phrase(r: &Renderer, c: &crate::compute::compensation::Compensation) -> String {
    match c.cities.as_slice() {
        [one] => r.locale.fill("text", "city_one", &[("name", one.clone())]),
        many => r
            .locale
            .fill("text", "city_many", &[("n", fmt_number(many.len() as f64, 0))]),
    }
}

#[derive(Serialize)]
pub struct ComparisonRow {
    pub label: String,
    pub unit: String,
    pub values: Vec<String>,
    pub refs: String,
}

#[derive(Serialize)]
pub struct HandbookView {
    pub meta: Meta,
    pub members: Vec<MemberView>,
    pub member_names: Vec<String>,
    pub comparison: Vec<ComparisonRow>,
    pub balances: Vec<(String, BalanceView)>,
    /// Years of the emission-factor matrix (its columns after carrier, sector and scope).
    pub emission_factor_years: Vec<String>,
    /// Carrier, sector, scope (federal or a member), then one factor per year (empty: none).
    pub emission_factors: Vec<Vec<String>>,
    /// Measured error of the start balance: scope, n, median, 80th percentile.
    pub start_error: Vec<[String; 4]>,
    pub fluxes: Vec<[String; 4]>,
    pub compensation: Option<CompensationView>,
    pub progress: Vec<(String, ProgressView)>,
    pub start_balance_method: Vec<[String; 5]>,
    pub catalogue: Option<CatalogueView>,
    pub charts: BTreeMap<String, ChartView>,
    pub sources: Vec<SourceRow>,
}

/// A start-balance driver in words: the base and, where it applies, the state or settlement class.
pub fn driver_label(r: &Renderer, d: &crate::ingest::factors::Driver) -> String {
    use crate::ingest::factors::{DriverBase, DriverFilter};
    let base = match &d.base {
        DriverBase::EtsShare(branch) => r.locale.fill(
            "text",
            "driver_ets_share",
            &[("branch", r.locale.label("branch", branch))],
        ),
        DriverBase::Population => r.locale.label("driver", "population"),
        DriverBase::Employees => r.locale.label("driver", "employees"),
        DriverBase::ResidentialArea => r.locale.label("driver", "residential_area"),
        DriverBase::IndustryArea => r.locale.label("driver", "industry_area"),
        DriverBase::SettlementArea => r.locale.label("driver", "settlement_area"),
        DriverBase::AgriArea => r.locale.label("driver", "agri_area"),
        DriverBase::HeatDemandHeatnet => r.locale.label("driver", "heat_demand_heatnet"),
        DriverBase::HeatDemandOther => r.locale.label("driver", "heat_demand_other"),
    };
    match &d.filter {
        DriverFilter::All => base,
        DriverFilter::State(code) => format!("{base} ({})", r.locale.label("state", code)),
        DriverFilter::Settlement(class) => format!("{base} ({})", r.locale.label("settlement_class", class)),
    }
}

/// The start-balance intensities for the method chapter, one row per sector and driver: the
/// carriers it feeds and the grade.
fn start_balance_rows(r: &Renderer, factors: &Factors, p: &Partnership) -> Vec<[String; 5]> {
    use crate::ingest::factors::DriverFilter;
    let mut rows: Vec<(String, String, Vec<String>, String, crate::model::Grade)> = Vec::new();
    // State-level rows are shown for the members' states only.
    let applies = |f: &DriverFilter| match f {
        DriverFilter::State(code) => p.members.iter().any(|m| m.ags.as_str().starts_with(code.as_str())),
        _ => true,
    };
    for s in factors.start.iter().filter(|s| applies(&s.parsed.filter)) {
        let carrier = if s.sector.starts_with(crate::ingest::factors::MEMO_PREFIX) {
            r.locale.label("memo_item", &s.carrier)
        } else {
            r.locale.label("carrier", &s.carrier)
        };
        let v = s.mwh_per_unit;
        let decimals = if v >= 100.0 {
            0
        } else if v >= 1.0 {
            2
        } else {
            3
        };
        let item = format!("{carrier} {} {}", fmt_number(v, decimals), s.unit);
        match rows.iter_mut().find(|x| x.0 == s.sector && *x.1 == *s.driver) {
            Some(x) => {
                x.2.push(item);
                x.4 = x.4.worst(s.grade);
            }
            None => rows.push((
                s.sector.clone(),
                s.driver.to_string(),
                vec![item],
                s.unit.clone(),
                s.grade,
            )),
        }
    }
    rows.into_iter()
        .map(|(sector, driver, items, _, grade)| {
            let parsed = factors.start.iter().find(|s| *s.driver == *driver).map(|s| &s.parsed);
            [
                r.locale.label("sector_short", &sector),
                parsed.map(|d| driver_label(r, d)).unwrap_or(driver),
                items.join("; "),
                String::new(),
                grade.letter().to_string(),
            ]
        })
        .collect()
}

/// The emission factors as a carrier × year matrix (one row per carrier, sector and municipality).
fn emission_factor_matrix(r: &Renderer, factors: &Factors, p: &Partnership) -> (Vec<String>, Vec<Vec<String>>) {
    let mut years: Vec<i32> = factors.emission.iter().map(|f| f.valid_year).collect();
    years.sort_unstable();
    years.dedup();
    let mut keys: Vec<(String, String, Option<String>)> = Vec::new();
    for f in &factors.emission {
        let k = (f.carrier.clone(), f.sector.clone(), f.ags.clone());
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    let rows = keys
        .iter()
        .map(|(carrier, sector, ags)| {
            let mut row = vec![
                r.locale.label("carrier", carrier),
                if sector == "*" {
                    "–".to_string()
                } else {
                    r.locale.label("sector_short", sector)
                },
                match ags {
                    None => r.locale.text("factor_federal"),
                    Some(a) => p
                        .members
                        .iter()
                        .find(|m| m.ags.as_str() == a)
                        .map_or_else(|| a.clone(), |m| m.name.clone()),
                },
            ];
            for y in &years {
                row.push(
                    factors
                        .emission
                        .iter()
                        .find(|f| &f.carrier == carrier && &f.sector == sector && &f.ags == ags && f.valid_year == *y)
                        .map(|f| fmt_number(f.g_co2e_per_kwh, 1))
                        .unwrap_or_default(),
                );
            }
            row
        })
        .collect();
    (years.iter().map(ToString::to_string).collect(), rows)
}

/// The measured error of the start balance for the method chapter: scope, n, median, P80.
fn start_error_rows(r: &Renderer, factors: &Factors) -> Vec<[String; 4]> {
    factors
        .start_error
        .iter()
        .map(|e| {
            [
                if e.scope == "total" {
                    r.locale.text("error_scope_total")
                } else {
                    r.locale.label("sector", &e.scope)
                },
                e.n.to_string(),
                format!("±{} %", fmt_number(e.median_abs_pct, 1)),
                format!("±{} %", fmt_number(e.p80_abs_pct, 1)),
            ]
        })
        .collect()
}

pub fn handbook(r: &Renderer, p: &Partnership, data: &ReferenceTables, facts: &Facts) -> (HandbookView, Files) {
    let factors = &data.factors;
    let mut book = SourceBook::default();
    // Comparison matrix: one row per figure id, one column per member, in first-seen order.
    let mut ids: Vec<(String, String)> = Vec::new();
    for f in facts.members.iter().flat_map(|m| m.figures.iter()) {
        if !ids.iter().any(|(i, _)| *i == f.id) {
            ids.push((f.id.clone(), f.unit.clone()));
        }
    }
    let comparison = ids
        .iter()
        .map(|(id, unit)| {
            let figs: Vec<Option<&Figure>> = facts
                .members
                .iter()
                .map(|m| m.figures.iter().find(|f| f.id == *id))
                .collect();
            let sources: Vec<Arc<Source>> = figs.iter().flatten().flat_map(|f| f.sources.iter().cloned()).collect();
            ComparisonRow {
                label: r.locale.label("label", id),
                unit: r.locale.unit(unit),
                values: figs
                    .iter()
                    .map(|f| match f.map(|f| f.value) {
                        Some(Some(v)) => fmt_number(v, decimals(unit, v)),
                        Some(None) => r.locale.text("no_data"),
                        None => "–".into(),
                    })
                    .collect(),
                refs: book.refs(&sources),
            }
        })
        .collect();
    let balances = facts
        .members
        .iter()
        .filter_map(|m| Some((m.member.name.clone(), accounting::balance_view(r, m, &mut book)?)))
        .collect();
    let (emission_factor_years, emission_factors) = emission_factor_matrix(r, factors, p);
    // Only the fluxes the area mapping applies (the inventory's flux for land converted to water,
    // for instance, stays in the data file with its reasoning but is not used).
    let fluxes = factors
        .land_flux
        .iter()
        .filter(|f| {
            factors
                .land_mapping
                .iter()
                .any(|m| m.category == f.category && m.soil == f.soil)
        })
        .map(|f| {
            [
                r.locale.label("land_category", &f.category),
                r.locale.label("soil", &f.soil),
                fmt_number(f.t_co2e_per_ha, 2),
                f.source.clone(),
            ]
        })
        .collect();
    let mut set = ChartSet::new();
    accounting::members_per_inhabitant_chart(r, facts, None, &mut set);
    maps::map(r, data, facts, maps::Metric::GhgPerInhabitant, None, &mut set);
    maps::map(r, data, facts, maps::Metric::RatingScore, None, &mut set);
    maps::map(r, data, facts, maps::Metric::OffsetPerHa, None, &mut set);

    land_use_chart(r, facts, None, &mut set);
    re_chart(r, facts, None, &mut set);
    sink_members_chart(r, facts, None, &mut set);
    let compensation = accounting::compensation_view(r, facts, None, &mut set);
    let progress: Vec<(String, ProgressView)> = facts
        .members
        .iter()
        .filter_map(|m| {
            Some((
                m.member.name.clone(),
                accounting::progress_view(r, m, &mut set).filter(|p| p.has_series)?,
            ))
        })
        .collect();
    let (charts, files) = chart_map(set);
    let view = HandbookView {
        meta: meta(r, p, facts, "handbook_title", p.name.clone()),
        members: facts.members.iter().map(|m| member_view(r, m)).collect(),
        member_names: facts.members.iter().map(|m| m.member.name.clone()).collect(),
        comparison,
        balances,
        emission_factor_years,
        emission_factors,
        fluxes,
        compensation,
        progress,
        start_balance_method: start_balance_rows(r, factors, p),
        start_error: start_error_rows(r, factors),
        catalogue: (!data.catalogues.indicators.is_empty()).then(|| rating::catalogue_view(r, facts, &data.catalogues)),
        charts,
        sources: book.rows(r),
    };
    (view, files)
}
