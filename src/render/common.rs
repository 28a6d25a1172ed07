//! Parts every document and section shares: the document's meta data, figure rows, numbered
//! sources, charts with their keys and captions, figure ids, and the member line.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::spread::{scope_of, Legend, Spread};
use super::Renderer;
use crate::chart::{self, Bar, BarChart};
use crate::compute::{Facts, Figure, MemberFacts};
use crate::config::Partnership;
use crate::model::Role;
use crate::model::{RefDate, Source};

#[derive(Serialize)]
pub struct Meta {
    pub title: String,
    pub subtitle: String,
    pub partnership: String,
    pub publisher: String,
    pub year: i32,
    /// The latest reference date of any figure (kept for own templates; the bundled ones print
    /// `data_years` instead of one date for everything).
    pub data_date: String,
    /// The years the document's figures refer to, e.g. "Bilanz 2021 (Startbilanz, Schätzung) ·
    /// Daten 2018–2024" for a member, "Bilanzen 2019–2021 · Daten 2018–2024" for the partnership.
    pub data_years: String,
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

/// A chart as a template sees it: the embedded file, its caption and its alternative text.
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
    /// The reference numbers of one figure of a member (empty where the member lacks it).
    pub fn figure_refs(&mut self, m: &MemberFacts, id: &str) -> String {
        m.figures
            .iter()
            .find(|f| f.id == id)
            .map(|f| self.refs(&f.sources))
            .unwrap_or_default()
    }

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

/// One key figure as a table row. An estimate reads "≈ 27.219 (±8 %)" with a short note; what the
/// range means is said once under the table ([`figures_legend`]).
pub fn figure_row(r: &Renderer, f: &Figure, book: &mut SourceBook) -> FigureRow {
    let spread = Spread::of_figure(f);
    let value = match (f.value, spread) {
        (Some(v), Some(s)) => s.approx(r, &r.locale.number(v, decimals(&f.unit, v))),
        (Some(v), None) => r.locale.number(v, decimals(&f.unit, v)),
        (None, _) => r.locale.text("no_data"),
    };
    let note = match spread {
        Some(_) => r.locale.text("estimate_short"),
        None => f.note.as_ref().map(|n| r.locale.note(n)).unwrap_or_default(),
    };
    FigureRow {
        id: f.id.clone(),
        label: r.locale.label("label", &f.id),
        value,
        unit: r.locale.unit(&f.unit),
        date: f.date.map(|d| d.display(r.locale.style)).unwrap_or_default(),
        grade: f.grade.letter().to_string(),
        refs: book.refs(&f.sources),
        flag: f.flag.clone().unwrap_or_default(),
        note,
    }
}

/// The legend line under a key-figure table: what the ranges of its estimates mean (empty when
/// it shows none).
pub fn figures_legend<'a>(r: &Renderer, figures: impl IntoIterator<Item = &'a Figure>) -> String {
    let mut legend = Legend::default();
    for f in figures {
        if f.value.is_some() {
            legend.add(scope_of(&f.id), Spread::of_figure(f));
        }
    }
    legend.sentence(r, "range_mark_values")
}

/// The core figures a document cannot do without (population, area) that the member lacks, as rows
/// marked "keine Daten" with the table to add: what `build --allow-incomplete` writes instead of
/// leaving the row out (issue 14).
pub fn gap_rows(r: &Renderer, figures: &[crate::compute::Figure]) -> Vec<FigureRow> {
    [fig::POPULATION, fig::LAND_TOTAL]
        .into_iter()
        .filter(|id| !figures.iter().any(|f| f.id == *id))
        .map(|id| FigureRow {
            id: id.to_string(),
            label: r.locale.label("label", id),
            value: r.locale.text("no_data"),
            unit: String::new(),
            date: String::new(),
            grade: String::new(),
            refs: String::new(),
            flag: String::new(),
            note: r.locale.text(if id == fig::POPULATION {
                "gap_population"
            } else {
                "gap_area"
            }),
        })
        .collect()
}

pub fn meta(r: &Renderer, p: &Partnership, facts: &Facts, title_key: &str, subtitle: String) -> Meta {
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
        data_date: latest.display(r.locale.style),
        data_years: partnership_data_years(r, facts),
        date,
        date_text: date.display(r.locale.style),
        lang: r.locale.lang.clone(),
    }
}

/// A `[text]` entry of the locale with its `{name}` places filled.
pub fn fill_text(r: &Renderer, key: &str, vars: &[(&str, String)]) -> String {
    r.locale.fill("text", key, vars)
}

pub fn alt_for(r: &Renderer, title: &str, values: &[(String, String)]) -> String {
    let vals = values
        .iter()
        .map(|(l, v)| format!("{l} {v}"))
        .collect::<Vec<_>>()
        .join("; ");
    fill_text(r, "chart_alt_bars", &[("title", title.to_string()), ("values", vals)])
}

pub fn source_line(sources: &[&Source]) -> String {
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

/// The sources of one figure of a member (none where the member lacks it).
pub fn figure_sources<'a>(m: &'a MemberFacts, id: &str) -> Vec<&'a Source> {
    m.figures
        .iter()
        .find(|f| f.id == id)
        .map(|f| f.sources.iter().map(AsRef::as_ref).collect())
        .unwrap_or_default()
}

/// The sources of one figure across members, in the members' order.
pub fn members_figure_sources<'a>(members: impl IntoIterator<Item = &'a MemberFacts>, id: &str) -> Vec<&'a Source> {
    members
        .into_iter()
        .filter_map(|m| m.figures.iter().find(|f| f.id == id))
        .flat_map(|f| f.sources.iter().map(AsRef::as_ref))
        .collect()
}

/// How a bar chart writes its numbers: the axis unit (a `[unit]` key of the locale), the decimals,
/// and the unit after each value in the alt text (`None`: the bare number).
pub struct BarNumbers<'a> {
    pub unit: &'a str,
    pub decimals: usize,
    pub alt_unit: Option<String>,
}

/// A bar chart with its alt text (every bar's label and value) and its source line.
pub fn bar_chart(
    r: &Renderer,
    key: ChartKey,
    title: String,
    bars: Vec<Bar>,
    numbers: &BarNumbers,
    sources: &[&Source],
) -> Chart {
    let values: Vec<(String, String)> = bars
        .iter()
        .map(|b| {
            let n = r.locale.number(b.value, numbers.decimals);
            let v = match &numbers.alt_unit {
                Some(u) => format!("{n} {u}"),
                None => n,
            };
            (b.label.clone(), v)
        })
        .collect();
    let svg = chart::bars(&BarChart {
        style: r.locale.style,
        unit: r.locale.unit(numbers.unit),
        bars,
        decimals: numbers.decimals,
    });
    let alt = alt_for(r, &title, &values);
    Chart::new(key, svg, title, alt, source_line(sources))
}

/// Every member that has some part of the facts, with that part (`None` where no member has it).
pub fn members_with<'a, T>(
    facts: &'a Facts,
    part: impl Fn(&'a MemberFacts) -> Option<&'a T>,
) -> Option<Vec<(&'a MemberFacts, &'a T)>> {
    let with: Vec<(&MemberFacts, &T)> = facts.members.iter().filter_map(|m| part(m).map(|x| (m, x))).collect();
    (!with.is_empty()).then_some(with)
}

/// A chart title with the latest of some reference dates: "Flächennutzung (31.12.2023)".
pub fn title_at_latest(r: &Renderer, key: &str, dates: impl Iterator<Item = RefDate>) -> String {
    let date = dates.max().map(|d| d.display(r.locale.style)).unwrap_or_default();
    format!("{} ({date})", r.locale.text(key))
}

/// In-memory files a document embeds (virtual path, bytes).
pub type Files = Vec<(String, Vec<u8>)>;

#[derive(Serialize)]
pub struct MemberView {
    pub name: String,
    pub ags: String,
    pub role: String,
    /// The data years of this member's figures, e.g. "Bilanz 2021 (Startbilanz) · Statistik 2021–2024".
    pub data_years: String,
}

pub fn member_view(r: &Renderer, m: &MemberFacts) -> MemberView {
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

/// "2018–2024", or "2021" for one year; `None` without years.
fn year_span(years: impl Iterator<Item = i32>) -> Option<String> {
    let (lo, hi) = years.fold((i32::MAX, i32::MIN), |(lo, hi), y| (lo.min(y), hi.max(y)));
    (lo <= hi).then(|| {
        if lo == hi {
            lo.to_string()
        } else {
            format!("{lo}–{hi}")
        }
    })
}

/// The years of the partnership's figures: its balance years, then the span of all figures.
fn partnership_data_years(r: &Renderer, facts: &Facts) -> String {
    let all = facts
        .members
        .iter()
        .flat_map(|m| m.figures.iter())
        .filter_map(|f| f.date.map(|d| d.year));
    let Some(span) = year_span(all) else {
        return String::new();
    };
    let stats = fill_text(r, "data_years_statistics", &[("years", span)]);
    match year_span(
        facts
            .members
            .iter()
            .filter_map(|m| m.balance.as_ref().map(|b| b.date.year)),
    ) {
        Some(b) => format!("{} · {stats}", fill_text(r, "data_years_balances", &[("years", b)])),
        None => stats,
    }
}

/// The years a member's figures refer to: the balance year (and whether it is a start balance),
/// then the span of the other figures' reference dates.
pub fn data_years(r: &Renderer, m: &MemberFacts) -> String {
    let Some(span) = year_span(m.figures.iter().filter_map(|f| f.date.map(|d| d.year))) else {
        return String::new();
    };
    let stats = fill_text(r, "data_years_statistics", &[("years", span)]);
    match &m.balance {
        Some(b) => {
            let key = if b.estimated_cells > 0 && b.local_cells == 0 {
                "data_years_start_balance"
            } else {
                "data_years_balance"
            };
            format!("{} · {stats}", fill_text(r, key, &[("year", b.date.year.to_string())]))
        }
        None => stats,
    }
}

/// The ids of the figures the documents pick by name (as `compute` names them).
pub mod fig {
    pub const POPULATION: &str = "population";
    pub const LAND_TOTAL: &str = "land_total";
    pub const SHARE_SETTLEMENT_TRAFFIC: &str = "share_settlement_traffic";
    pub const LAND_TAKE_HA_PER_YEAR: &str = "land_take_ha_per_year";
    pub const SHARE_FOREST: &str = "share_forest";
    pub const RE_PV_KW: &str = "re_pv_kw";
    pub const PV_KW_PER_INHABITANT: &str = "pv_kw_per_inhabitant";
    pub const PV_GROWTH_PCT: &str = "pv_growth_pct";
    pub const LAND_SINK_T: &str = "land_sink_t";
    pub const LAND_SINK_T_PER_HA: &str = "land_sink_t_per_ha";
    pub const GHG_T: &str = "ghg_t";
    pub const GHG_T_PER_INHABITANT: &str = "ghg_t_per_inhabitant";
}

/// The charts a template can place, by the key it reads them under (`charts.senke`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKey {
    /// Emissions by sector of one member (the file name carries the member's AGS).
    Sectors,
    /// Land use by class of every member.
    LandUse,
    /// The land-use flux of one member by category and soil.
    Sink,
    /// The land-use flux of every member.
    SinkMembers,
    /// PV capacity per inhabitant of every member at two dates.
    PvPerInhabitant,
    /// Emissions per inhabitant of every member.
    GhgPerInhabitant,
    /// Emissions by sector over the years.
    History,
    /// Emissions per inhabitant against the target path.
    TargetPath,
    /// Gross emissions → land flux → measures → remaining.
    Compensation,
    /// Payment against cost per unit of the offer to land users.
    Offer,
    /// Supply curve: tonnes available from the rural partners at each carbon price.
    Supply,
    /// Map: emissions per inhabitant.
    MapGhg,
    /// Map: rating score.
    MapScore,
    /// Map: offset potential per hectare.
    MapOffset,
}

impl ChartKey {
    /// The key in the templates' `charts` map, and the start of the chart's file name.
    pub fn as_str(self) -> &'static str {
        match self {
            ChartKey::Sectors => "sektoren",
            ChartKey::LandUse => "flaechennutzung",
            ChartKey::Sink => "senke",
            ChartKey::SinkMembers => "senke_mitglieder",
            ChartKey::PvPerInhabitant => "pv_je_einwohner",
            ChartKey::GhgPerInhabitant => "thg_je_einwohner",
            ChartKey::History => "verlauf",
            ChartKey::Supply => "angebotskurve",
            ChartKey::TargetPath => "zielpfad",
            ChartKey::Compensation => "kompensation",
            ChartKey::Offer => "angebot",
            ChartKey::MapGhg => "karte_thg",
            ChartKey::MapScore => "karte_bewertung",
            ChartKey::MapOffset => "karte_ausgleich",
        }
    }
}

/// A drawn chart: its key, the name of its file (`/charts/<name>.svg`), the SVG and its caption.
pub struct Chart {
    pub key: ChartKey,
    name: String,
    svg: String,
    view: ChartView,
}

impl Chart {
    pub fn new(key: ChartKey, svg: String, title: String, alt: String, source: String) -> Chart {
        Chart {
            key,
            name: key.as_str().to_string(),
            svg,
            view: ChartView {
                path: String::new(),
                title,
                alt,
                source,
            },
        }
    }

    /// The same chart in a file named for one member (`sektoren-14729410`).
    pub fn of_member(mut self, ags: &str) -> Chart {
        self.name = format!("{}-{ags}", self.key.as_str());
        self
    }
}

/// A section's view and the charts it drew.
pub struct Section<V> {
    pub view: V,
    pub charts: Vec<Chart>,
}

/// The charts of one document, in the order the sections drew them.
#[derive(Default)]
pub struct Charts(Vec<Chart>);

impl Charts {
    pub fn add(&mut self, chart: Option<Chart>) {
        self.0.extend(chart);
    }

    /// A section's view, its charts kept here.
    pub fn take<V>(&mut self, section: Option<Section<V>>) -> Option<V> {
        let s = section?;
        self.0.extend(s.charts);
        Some(s.view)
    }

    /// The templates' `charts` map (by key; of two charts with one key the later) and the files.
    pub fn into_parts(self) -> (BTreeMap<String, ChartView>, Files) {
        let mut map = BTreeMap::new();
        let mut files = Vec::new();
        for c in self.0 {
            let path = format!("/charts/{}.svg", c.name);
            files.push((path.clone(), c.svg.into_bytes()));
            map.insert(c.key.as_str().to_string(), ChartView { path, ..c.view });
        }
        (map, files)
    }
}
