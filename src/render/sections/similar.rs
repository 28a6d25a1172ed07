//! Similar municipalities nationally (issue 16): the member's value against the median and
//! quartiles of its group (settlement type RegioStaR7 × size class) from the shipped reference
//! table (`klimapartner reference`). Only indicators from the municipality's own statistics.

use serde::Serialize;

use super::super::common::fill_text;
use super::super::Renderer;
use crate::compute::{MemberFacts, Note};
use crate::reference::{self, Row};

#[derive(Serialize)]
pub struct SimilarView {
    /// Which group: settlement type, size class, number of municipalities.
    pub intro: String,
    pub rows: Vec<SimilarRow>,
}

#[derive(Serialize)]
pub struct SimilarRow {
    pub label: String,
    pub unit: String,
    pub value: String,
    pub p25: String,
    pub median: String,
    pub p75: String,
    /// In which quarter of the group the value lies (by value, not by merit).
    pub position: String,
    /// The reference date of the member's value (a period for land take).
    pub date: String,
}

/// `None` without the reference table, a settlement type or a population.
pub fn similar_view(r: &Renderer, table: &[Row], m: &MemberFacts) -> Option<SimilarView> {
    let rt7 = m.settlement_type?;
    let population = m.figures.iter().find(|f| f.id == "population")?.value?;
    let size = reference::size_class(population);
    let group: Vec<&Row> = table.iter().filter(|x| x.rt7 == rt7 && x.size_class == size).collect();
    let first = group.first()?;
    let rows: Vec<SimilarRow> = reference::member_values(m)
        .into_iter()
        .filter_map(|(id, v)| {
            let x = group.iter().find(|x| x.indicator == id)?;
            let d = if x.unit == "kW/EW" {
                3
            } else if x.unit == "%" {
                1
            } else {
                2
            };
            let n = |v: f64| r.locale.number(v, d);
            // Compared as shown (rounded), so a reader never sees "0,000 against 0,000, top quarter";
            // ties (e.g. no wind power where most have none) sit at the median, not in a quarter.
            let shown = |x: f64| (x * 10f64.powi(d as i32)).round();
            let (sv, q1, q2, q3) = (shown(v), shown(x.p25), shown(x.median), shown(x.p75));
            let quarter = if sv < q1 {
                "similar_q1"
            } else if sv > q3 {
                "similar_q4"
            } else if sv < q2 {
                "similar_q2"
            } else if sv > q2 {
                "similar_q3"
            } else {
                "similar_at_median"
            };
            Some(SimilarRow {
                label: r.locale.label("label", id),
                unit: r.locale.unit(&x.unit),
                value: n(v),
                p25: n(x.p25),
                median: n(x.median),
                p75: n(x.p75),
                position: r.locale.text(quarter),
                date: value_date(r, m, id),
            })
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    let n = group.iter().map(|x| x.n).max().unwrap_or(0);
    Some(SimilarView {
        intro: group_intro(r, table, first, n),
        rows,
    })
}

/// The reference date of a member's compared value: its figure's date; land take per inhabitant
/// is the land take's period.
fn value_date(r: &Renderer, m: &MemberFacts, id: &str) -> String {
    let source = if id == "land_take_m2_per_inhabitant" {
        "land_take_ha_per_year"
    } else {
        id
    };
    let Some(f) = m.figures.iter().find(|f| f.id == source) else {
        return String::new();
    };
    match (&f.note, f.date) {
        (Some(n @ Note::Between { .. }), _) => r.locale.note(n),
        (_, Some(d)) => d.display(r.locale.style),
        _ => String::new(),
    }
}

/// Which municipalities the group holds: one settlement type, or — where a class alone has fewer
/// than [`reference::MIN_GROUP`] municipalities of the size — every class merged into the group,
/// each named.
fn group_intro(r: &Renderer, table: &[Row], first: &Row, n: usize) -> String {
    let mut classes: Vec<i32> = table
        .iter()
        .filter(|x| x.group == first.group && x.size_class == first.size_class)
        .map(|x| x.rt7)
        .collect();
    classes.sort_unstable();
    classes.dedup();
    let size = r.locale.label("size_class", &first.size_class);
    let group = first.group.replace('-', "–");
    let head = if classes.len() > 1 {
        let names: Vec<String> = classes
            .iter()
            .map(|c| format!("{} ({c})", r.locale.label("rt7", &c.to_string())))
            .collect();
        fill_text(
            r,
            "similar_group_merged",
            &[
                ("types", names.join("; ")),
                ("size", size),
                ("n", n.to_string()),
                ("group", group),
                ("min", reference::MIN_GROUP.to_string()),
            ],
        )
    } else {
        fill_text(
            r,
            "similar_group",
            &[
                ("type", r.locale.label("rt7", &first.rt7.to_string())),
                ("size", size),
                ("n", n.to_string()),
                ("group", group),
            ],
        )
    };
    format!("{head} {}", r.locale.text("similar_intro"))
}
