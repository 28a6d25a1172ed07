//! The briefing's "Zur Entscheidung": council decisions, starts of adopted measures and overdue
//! measures around the document's date.

use serde::Serialize;

use super::super::Renderer;
use crate::compute::MemberFacts;
use crate::ingest::catalogues::Catalogues;
use crate::ingest::local::{CouncilDecision, MeasureStatus};
use crate::model::RefDate;

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

/// The tables the decisions come from.
#[derive(Clone, Copy)]
pub struct DecisionTables<'a> {
    pub catalogues: &'a Catalogues,
    pub council_decisions: &'a [CouncilDecision],
    pub measure_status: &'a [MeasureStatus],
}

/// What a council decides next: council decisions (`local/council_decisions.csv`) and starts of
/// adopted measures in the twelve months after the document's date, and adopted measures that are
/// overdue on it. The date is the document's (data date or `SOURCE_DATE_EPOCH`), never the clock.
pub fn decisions_view(r: &Renderer, tables: DecisionTables, m: &MemberFacts, date: RefDate) -> DecisionsView {
    use crate::ingest::local::Status;
    let until = RefDate::new(date.year + 1, date.month, date.day)
        .or_else(|| RefDate::new(date.year + 1, date.month, 28))
        .unwrap_or(date);
    let within = |d: RefDate| d > date && d <= until;
    let title = |id: &str| {
        tables
            .catalogues
            .measures
            .iter()
            .find(|x| x.id == id)
            .map_or_else(|| id.to_string(), |x| x.title.clone())
    };
    let mut rows: Vec<(RefDate, DecisionRow)> = Vec::new();
    for d in tables
        .council_decisions
        .iter()
        .filter(|d| d.ags == m.member.ags && within(d.date))
    {
        rows.push((
            d.date,
            DecisionRow {
                date: d.date.display(r.locale.style),
                kind: r.locale.text("decision_council"),
                subject: d.subject.clone(),
                body: d.body.clone(),
                link: d.link.clone(),
            },
        ));
    }
    for s in tables
        .measure_status
        .iter()
        .filter(|s| s.ags == m.member.ags && s.status != Status::Done)
    {
        if let Some(start) = s.start.filter(|d| within(*d)) {
            rows.push((
                start,
                DecisionRow {
                    date: start.display(r.locale.style),
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
                    date: due.display(r.locale.style),
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
            &[
                ("from", date.display(r.locale.style)),
                ("until", until.display(r.locale.style)),
            ],
        ),
        rows: rows.into_iter().map(|(_, row)| row).collect(),
    }
}
