//! Files the administrations fill in themselves: local indicator data
//! (`inputs/local/local_data.csv`), the status of adopted measures
//! (`inputs/local/measure_status.csv`) and upcoming council decisions
//! (`inputs/local/council_decisions.csv`).

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;

use super::registry::{read_text, skip_comments};
use super::table;
use super::text::{parse_cell, NumberStyle};
use super::FileCtx;
use crate::error::InputError;
use crate::model::{Ags, RefDate};

/// Header of the local data template.
pub const LOCAL_HEADER: &str = "ags,variable,date,value,unit,source,note";

/// Reads local indicator data: one value per line, keyed by AGS, variable and date.
pub(crate) fn read_local(ctx: &mut FileCtx<'_>, body: &str, first_line: usize) -> Result<(), InputError> {
    let rel = ctx.rel.clone();
    let t = table::read(&rel, body, b',', true, first_line)?;
    ctx.report.table = "Angaben der Verwaltung".into();
    for r in 0..t.height() {
        ctx.report.rows += 1;
        let line = t.line(r);
        let ags = Ags::parse(t.cell(r, 0)).map_err(|m| {
            InputError::new(&rel, m, "write the member's 8-digit AGS")
                .at(line)
                .column("ags")
        })?;
        let variable = t.cell(r, 1).trim().to_string();
        if variable.is_empty()
            || !variable
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(InputError::new(
                &rel,
                format!("`{variable}` is not a variable name"),
                "use a name from the comment lines at the top of the file (lowercase, digits, _)",
            )
            .at(line)
            .column("variable"));
        }
        let d = t.cell(r, 2);
        let date = RefDate::parse(d).ok_or_else(|| {
            InputError::new(&rel, format!("`{d}` is not a date"), "write YYYY-MM-DD or a year")
                .at(line)
                .column("date")
        })?;
        let (cell, flag) = parse_cell(t.cell(r, 3), NumberStyle::Plain).map_err(|m| {
            InputError::new(&rel, m, "write the value with a decimal point and no grouping")
                .at(line)
                .column("value")
        })?;
        let unit = t.cell(r, 4).to_string();
        ctx.emit(&variable, &ags, None, date, cell, flag, Some(&unit), line);
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Planned,
    InProgress,
    Done,
    Delayed,
}

/// One adopted measure of one member.
#[derive(Debug, Clone, Serialize)]
pub struct MeasureStatus {
    pub ags: Ags,
    pub measure: String,
    pub status: Status,
    pub start: Option<RefDate>,
    pub due: Option<RefDate>,
    /// Units of the measure's basis implemented (ha, kW, …), for the expected effect.
    pub quantity: Option<f64>,
    pub responsible: String,
    pub note: String,
    pub line: usize,
}

pub const STATUS_FILE: &str = "local/measure_status.csv";

/// A table the administrations fill in (`local/…`): read under the file policy, control characters
/// refused, comment lines skipped, the header checked. `None` if the file is absent or has no rows.
struct LocalTable {
    rel: &'static str,
    t: table::TextTable,
    cols: Vec<usize>,
    header: &'static [&'static str],
}

impl LocalTable {
    fn open(
        inputs: &Path,
        rel: &'static str,
        header: &'static [&'static str],
    ) -> Result<Option<LocalTable>, InputError> {
        if !super::policy::present(&inputs.join(rel)) {
            return Ok(None);
        }
        let text = read_text(inputs, rel)?;
        super::text::check_control_chars(rel, &text)?;
        let (body, first) = skip_comments(&text);
        if body.trim().is_empty() {
            return Ok(None);
        }
        let t = table::read(rel, body, b',', true, first)?;
        let cols = header
            .iter()
            .map(|n| t.require(rel, n, first, format!("the header must be: {}", header.join(","))))
            .collect::<Result<_, _>>()?;
        Ok(Some(LocalTable { rel, t, cols, header }))
    }

    /// The trimmed cells of row `r` in header order, each checked for length and characters (a
    /// quoted cell of a `multiline` column may hold a line break).
    fn cells(&self, r: usize, multiline: &[&str]) -> Result<Vec<String>, InputError> {
        let line = self.t.line(r);
        self.header
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let v = self.t.cell(r, self.cols[i]).trim().to_string();
                super::text::check_field(name, &v, super::text::MAX_TEXT_CHARS, multiline.contains(name)).map_err(
                    |m| {
                        InputError::new(self.rel, m, "shorten the text or delete the character")
                            .at(line)
                            .column(name.to_string())
                    },
                )?;
                Ok(v)
            })
            .collect()
    }

    /// The member a row is about (column `ags`).
    fn member(&self, r: usize, ags: &str, members: &BTreeSet<Ags>) -> Result<Ags, InputError> {
        let line = self.t.line(r);
        let ags = Ags::parse(ags).map_err(|m| {
            InputError::new(self.rel, m, "write the member's 8-digit AGS")
                .at(line)
                .column("ags")
        })?;
        if !members.contains(&ags) {
            return Err(InputError::new(
                self.rel,
                format!("`{ags}` is not a member of the partnership"),
                "use an AGS from partnership.toml",
            )
            .at(line)
            .column("ags"));
        }
        Ok(ags)
    }
}

/// Reads `local/measure_status.csv` if present, checking members and measure ids.
pub fn load_status(
    inputs: &Path,
    members: &BTreeSet<Ags>,
    measures: &BTreeSet<String>,
) -> Result<Vec<MeasureStatus>, InputError> {
    let rel = STATUS_FILE;
    const HEADER: &[&str] = &[
        "ags",
        "measure",
        "status",
        "start",
        "due",
        "quantity",
        "responsible",
        "note",
    ];
    let Some(lt) = LocalTable::open(inputs, rel, HEADER)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for r in 0..lt.t.height() {
        let line = lt.t.line(r);
        let cells = lt.cells(r, &["note"])?;
        let cell = |i: usize| cells[i].clone();
        let ags = lt.member(r, &cells[0], members)?;
        let measure = cell(1);
        if !measures.contains(&measure) {
            return Err(InputError::new(
                rel,
                format!("`{measure}` is not a measure of the toolbox"),
                "use an id from inputs/catalogues/measures.toml",
            )
            .at(line)
            .column("measure"));
        }
        let status = match cell(2).as_str() {
            "planned" | "geplant" => Status::Planned,
            "in_progress" | "in Umsetzung" => Status::InProgress,
            "done" | "umgesetzt" => Status::Done,
            "delayed" | "verzögert" => Status::Delayed,
            other => {
                return Err(InputError::new(
                    rel,
                    format!("status `{other}` is not known"),
                    "use planned, in_progress, done or delayed",
                )
                .at(line)
                .column("status"))
            }
        };
        let date = |i: usize, name: &str| -> Result<Option<RefDate>, InputError> {
            let v = cell(i);
            if v.is_empty() {
                return Ok(None);
            }
            RefDate::parse(&v).map(Some).ok_or_else(|| {
                InputError::new(rel, format!("`{v}` is not a date"), "write YYYY-MM-DD")
                    .at(line)
                    .column(name.to_string())
            })
        };
        let q = cell(5);
        let quantity = if q.is_empty() {
            None
        } else {
            Some(super::text::parse_number(&q, NumberStyle::Plain).ok_or_else(|| {
                InputError::new(
                    rel,
                    format!("`{q}` is not a number"),
                    "write the implemented quantity, e.g. 120.5",
                )
                .at(line)
                .column("quantity")
            })?)
        };
        out.push(MeasureStatus {
            ags,
            measure,
            status,
            start: date(3, "start")?,
            due: date(4, "due")?,
            quantity,
            responsible: cell(6),
            note: cell(7),
            line,
        });
    }
    Ok(out)
}

/// An upcoming decision of a council or committee (`local/council_decisions.csv`).
#[derive(Debug, Clone, Serialize)]
pub struct CouncilDecision {
    pub ags: Ags,
    pub date: RefDate,
    pub subject: String,
    /// The body that decides (Gemeinderat, Ausschuss …).
    pub body: String,
    /// A link to the council information system, or empty.
    pub link: String,
    pub line: usize,
}

pub const DECISIONS_FILE: &str = "local/council_decisions.csv";

/// Reads `local/council_decisions.csv` if present (optional): `ags,date,subject,body,link`.
pub fn load_decisions(inputs: &Path, members: &BTreeSet<Ags>) -> Result<Vec<CouncilDecision>, InputError> {
    let rel = DECISIONS_FILE;
    let Some(lt) = LocalTable::open(inputs, rel, &["ags", "date", "subject", "body", "link"])? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for r in 0..lt.t.height() {
        let line = lt.t.line(r);
        let cells = lt.cells(r, &[])?;
        let cell = |i: usize| cells[i].clone();
        let ags = lt.member(r, &cells[0], members)?;
        let d = cell(1);
        let date = RefDate::parse(&d).ok_or_else(|| {
            InputError::new(
                rel,
                format!("`{d}` is not a date"),
                "write the session date as YYYY-MM-DD",
            )
            .at(line)
            .column("date")
        })?;
        if cell(2).is_empty() {
            return Err(InputError::new(rel, "the subject is empty", "say what is decided")
                .at(line)
                .column("subject"));
        }
        out.push(CouncilDecision {
            ags,
            date,
            subject: cell(2),
            body: cell(3),
            link: cell(4),
            line,
        });
    }
    Ok(out)
}
