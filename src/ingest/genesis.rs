//! GENESIS / Regionalstatistik: the table CSV (metadata lines, header rows starting `;;`, data rows,
//! footer from `__________` on) in its wide and long layouts, and the flat file "ffcsv" with the
//! current column set (`statistics_code;…;value;value_unit;…;value_q`) and the older one
//! (`Zeit`, `1_Auspraegung_Code`, value columns named `CODE__Label__Unit`).

use std::collections::{BTreeMap, BTreeSet};

use super::table::{self, shorten, Record};
use super::text::{parse_cell, NumberStyle};
use super::{FileCtx, Target};
use crate::error::InputError;
use crate::model::{RefDate, RegionKey};

/// Units the offices write in a header row of their own (`;;ha;ha;…`, `;;;Anzahl;Prozent`).
const UNITS: &[&str] = &[
    "anzahl",
    "prozent",
    "%",
    "ha",
    "qm",
    "1000 qm",
    "tsd. qm",
    "km²",
    "qkm",
    "eur",
    "tsd. eur",
    "1000 eur",
    "mio. eur",
    "kw",
    "mw",
    "kwh",
    "mwh",
    "gwh",
    "t",
    "1000 t",
    "tsd. t",
    "personen",
    "jahre",
    "1000",
    "stück",
    "m³",
    "1000 m³",
    "tsd.",
    "je 1000 einwohner",
];

fn is_unit(s: &str) -> bool {
    let s = s.trim().to_lowercase();
    UNITS.contains(&s.as_str()) || s.starts_with("je ") || s.starts_with("eur je ")
}

fn is_footer(r: &Record) -> bool {
    r.fields.first().is_some_and(|f| f.starts_with("__________"))
}

fn is_header_row(r: &Record) -> bool {
    r.fields.len() >= 3 && r.fields[0].is_empty() && r.fields[1].is_empty() && r.fields.iter().any(|f| !f.is_empty())
}

/// The table CSV. Layouts: wide (`code;name;values…`, dates in a header row, a line of their own
/// or the metadata) and long (`date;code;name;values…`, one block per date).
pub fn table(ctx: &mut FileCtx<'_>, text: &str) -> Result<(), InputError> {
    let rel = ctx.rel.clone();
    let records = table_records(&rel, text)?;
    ctx.report.table = table_code(&rel, &records)?;
    let parts = Parts::split(&rel, &records)?;
    let columns = Columns::from_header(parts.header, parts.width);
    let layout = Layout::of(&rel, &parts.data, columns.data_start)?;
    let context = TableContext {
        rel: &rel,
        code: ctx.report.table.clone(),
        unit: table_unit(parts.meta),
        date: table_date(parts.meta),
        columns: &columns,
        layout: &layout,
    };
    // Municipal rows win over the 5-digit row of the same district-free city.
    let municipal: BTreeSet<String> = parts
        .data
        .iter()
        .filter_map(|r| match RegionKey::parse(&r.fields[layout.key_col]) {
            Some(RegionKey::Municipality(a)) => Some(a.to_string()),
            _ => None,
        })
        .collect();
    for (r, block_date) in parts.data.iter().zip(&parts.block_dates) {
        ctx.report.rows += 1;
        let code = r.fields[layout.key_col].trim();
        let target = match RegionKey::parse(code) {
            Some(RegionKey::Municipality(ags)) => ctx.target(&ags),
            Some(RegionKey::District(d)) if !municipal.contains(&format!("{d}000")) => ctx.district_target(&d),
            Some(_) => None,
            None if code.is_empty() && r.fields.iter().all(|f| f.trim().is_empty()) => continue,
            None => return Err(context.not_a_key(r, code)),
        };
        context.emit_row(ctx, r, *block_date, target)?;
    }
    Ok(())
}

/// The records of the table, up to the footer (everything from the footer line on is notes,
/// licence and `Stand:`).
fn table_records(rel: &str, text: &str) -> Result<Vec<Record>, InputError> {
    let cut = text
        .match_indices("__________")
        .find(|(i, _)| *i == 0 || text.as_bytes()[i - 1] == b'\n')
        .map_or(text.len(), |(i, _)| i);
    let records = table::scan_file(rel, &text[..cut], ';', 1)?;
    Ok(records.into_iter().take_while(|r| !is_footer(r)).collect())
}

/// The table code from the first line, `GENESIS-Tabelle: <code>`.
fn table_code(rel: &str, records: &[Record]) -> Result<String, InputError> {
    let first = records.first().map(|r| r.fields[0].trim()).unwrap_or("");
    match first.strip_prefix("GENESIS-Tabelle:") {
        Some(code) if !code.trim().is_empty() => Ok(code.trim().to_string()),
        _ => Err(InputError::new(
            rel,
            format!("no table code found; the first line is `{}`", shorten(first)),
            "the first line must read `GENESIS-Tabelle: <code>` as in the office's download",
        )
        .at(records.first().map_or(1, |r| r.line))),
    }
}

/// The metadata lines, the header rows (starting `;;`) and the data rows of a table.
struct Parts<'r> {
    meta: &'r [Record],
    header: &'r [Record],
    /// At least one row, each `width` fields wide.
    data: Vec<&'r Record>,
    /// Per data row: the date of the block it stands in, if the table has date lines between rows.
    block_dates: Vec<Option<RefDate>>,
    width: usize,
}

impl<'r> Parts<'r> {
    fn split(rel: &str, records: &'r [Record]) -> Result<Parts<'r>, InputError> {
        let header_start = records.iter().position(is_header_row).ok_or_else(|| {
            InputError::new(
                rel,
                "no column header (a line starting with `;;`) found",
                "download the table as CSV from GENESIS without changing it",
            )
        })?;
        let header_end = (header_start..records.len())
            .find(|&i| !is_header_row(&records[i]))
            .unwrap_or(records.len());
        let header = &records[header_start..header_end];
        // Data rows; a line holding a date alone starts a block of that date (the XLSX layout of a
        // table over several dates), a line of text alone ends the table (notes without the line
        // of underscores the CSV has before them). A regional key alone is a row (and an error below).
        let mut data: Vec<&Record> = Vec::new();
        let mut block_dates: Vec<Option<RefDate>> = Vec::new();
        let mut block: Option<RefDate> = None;
        for r in &records[header_end..] {
            let alone = !r.fields[0].trim().is_empty() && r.fields.iter().skip(1).all(|f| f.trim().is_empty());
            if alone {
                match RefDate::parse(r.fields[0].trim()) {
                    Some(d) => {
                        block = Some(d);
                        continue;
                    }
                    None if !data.is_empty() && RegionKey::parse(r.fields[0].trim()).is_none() => break,
                    None => {}
                }
            }
            data.push(r);
            block_dates.push(block);
        }
        if data.is_empty() {
            return Err(InputError::new(
                rel,
                "the table has a header but no data rows",
                "the download is incomplete: download the table again",
            )
            .at(header.last().map_or(1, |r| r.line)));
        }
        // Width: every data row has as many fields as the first one.
        let width = data[0].fields.len();
        for r in &data {
            if r.fields.len() != width {
                return Err(InputError::new(
                    rel,
                    format!(
                        "this line has {} fields, the first data line has {width}: `{}`",
                        r.fields.len(),
                        shorten(&r.fields.join(";"))
                    ),
                    "the file was cut off or edited: download the table again",
                )
                .at(r.line));
            }
        }
        Ok(Parts {
            meta: &records[1..header_start],
            header,
            data,
            block_dates,
            width,
        })
    }
}

/// Dates, units and labels per column from the header rows.
struct Columns {
    /// The first column holding values.
    data_start: usize,
    dates: Vec<Option<RefDate>>,
    units: Vec<Option<String>>,
    /// Column labels, made unique per date (a table may repeat a label).
    labels: Vec<String>,
}

impl Columns {
    fn from_header(header: &[Record], width: usize) -> Columns {
        let data_start = header
            .iter()
            .filter_map(|r| r.fields.iter().position(|f| !f.trim().is_empty()))
            .min()
            .unwrap_or(2)
            .min(width);
        let mut dates: Vec<Option<RefDate>> = vec![None; width];
        let mut units: Vec<Option<String>> = vec![None; width];
        let mut label_parts: Vec<Vec<String>> = vec![Vec::new(); width];
        for row in header {
            let cells: Vec<&str> = (data_start..width)
                .map(|c| row.fields.get(c).map_or("", |s| s.trim()))
                .collect();
            let unit_row = cells.iter().any(|c| !c.is_empty()) && cells.iter().all(|c| c.is_empty() || is_unit(c));
            for (i, cell) in cells.iter().enumerate() {
                let c = data_start + i;
                if cell.is_empty() {
                    continue;
                }
                if unit_row {
                    units[c] = Some(cell.to_string());
                } else if let Some(d) = RefDate::parse(cell) {
                    dates[c] = Some(d);
                } else {
                    label_parts[c].push(cell.to_string());
                }
            }
        }
        let mut labels: Vec<String> = Vec::with_capacity(width);
        let mut seen: BTreeSet<(String, Option<RefDate>)> = BTreeSet::new();
        for c in 0..width {
            let mut label = label_parts[c].join(" / ");
            if c >= data_start && !seen.insert((label.clone(), dates[c])) {
                label = format!("{label} (column {})", c + 1);
            }
            labels.push(label);
        }
        Columns {
            data_start,
            dates,
            units,
            labels,
        }
    }
}

/// A unit for the whole table may stand in a metadata line: `Bevölkerungsstand (Anzahl)`.
fn table_unit(meta: &[Record]) -> Option<String> {
    meta.iter().rev().find_map(|r| {
        let l = r.fields[0].trim();
        let open = l.rfind('(')?;
        (l.ends_with(')') && is_unit(&l[open + 1..l.len() - 1])).then(|| l[open + 1..l.len() - 1].to_string())
    })
}

/// A table for a single date carries it on a line of its own (`31.12.2015;;;`), else perhaps
/// in a metadata line (`Stichtag 31.12.2015`).
fn table_date(meta: &[Record]) -> Option<RefDate> {
    meta.iter()
        .find_map(|r| {
            let only = r.fields.iter().skip(1).all(|f| f.trim().is_empty());
            only.then(|| RefDate::parse(&r.fields[0])).flatten()
        })
        .or_else(|| {
            meta.iter()
                .flat_map(|r| r.fields.iter())
                .flat_map(|f| f.split([' ', ',']))
                .find_map(|w| (w.len() == 10).then(|| RefDate::parse(w)).flatten())
        })
}

/// Leading columns of a data row: the regional key, its name, a date (long layout), and any
/// further row attributes (they become part of the variable's name).
struct Layout {
    key_col: usize,
    date_col: Option<usize>,
    attr_cols: Vec<usize>,
}

impl Layout {
    fn of(rel: &str, data: &[&Record], data_start: usize) -> Result<Layout, InputError> {
        let lead: Vec<&str> = data[0].fields[..data_start].iter().map(|s| s.trim()).collect();
        let key_col = lead.iter().position(|c| RegionKey::parse(c).is_some()).ok_or_else(|| {
            InputError::new(
                rel,
                format!(
                    "no regional key (DG, 2, 5, 8 or 12 digits) in the first {data_start} columns: `{}`",
                    shorten(&data[0].fields.join(";"))
                ),
                "download the table again without changing it; the key column must keep its leading zeros",
            )
            .at(data[0].line)
        })?;
        let date_col = (0..data_start).find(|&c| c != key_col && RefDate::parse(lead[c]).is_some());
        let name_col = (key_col + 1 < data_start && Some(key_col + 1) != date_col).then_some(key_col + 1);
        let attr_cols: Vec<usize> = (0..data_start)
            .filter(|&c| c != key_col && Some(c) != date_col && Some(c) != name_col)
            .collect();
        Ok(Layout {
            key_col,
            date_col,
            attr_cols,
        })
    }
}

/// What every data row of a table is read with.
struct TableContext<'a> {
    rel: &'a str,
    /// The table code, first part of each variable's raw name.
    code: String,
    unit: Option<String>,
    date: Option<RefDate>,
    columns: &'a Columns,
    layout: &'a Layout,
}

impl TableContext<'_> {
    fn not_a_key(&self, r: &Record, code: &str) -> InputError {
        InputError::new(
            self.rel,
            format!("`{}` is not a regional key (DG, 2, 5, 8 or 12 digits)", shorten(code)),
            "the key column must hold the office's codes with their leading zeros; download the table again",
        )
        .at(r.line)
        .column((self.layout.key_col + 1).to_string())
    }

    /// Emits the values of one data row to `target`.
    fn emit_row(
        &self,
        ctx: &mut FileCtx<'_>,
        r: &Record,
        block_date: Option<RefDate>,
        target: Option<Target>,
    ) -> Result<(), InputError> {
        let (rel, columns) = (self.rel, self.columns);
        let row_date = match self.layout.date_col {
            Some(c) => Some(RefDate::parse(&r.fields[c]).ok_or_else(|| {
                InputError::new(
                    rel,
                    format!("`{}` is not a date", shorten(&r.fields[c])),
                    "the first column of this table holds the reference date, e.g. 31.12.2015",
                )
                .at(r.line)
                .column((c + 1).to_string())
            })?),
            None => None,
        };
        let attrs: Vec<&str> = self
            .layout
            .attr_cols
            .iter()
            .map(|&c| r.fields[c].trim())
            .filter(|s| !s.is_empty())
            .collect();
        for c in columns.data_start..r.fields.len() {
            let Some(date) = row_date.or(block_date).or(columns.dates[c]).or(self.date) else {
                return Err(InputError::new(
                    rel,
                    format!("no reference date for column {} (`{}`)", c + 1, columns.labels[c]),
                    "a GENESIS table states its date in a header row, in the first column or on a line of its own; download it again with the time dimension",
                )
                .at(r.line));
            };
            let (cell, flag) = parse_cell(&r.fields[c], NumberStyle::German).map_err(|m| {
                InputError::new(
                    rel,
                    m,
                    "the office's symbols are - . x ... / ; anything else must be a number",
                )
                .at(r.line)
                .column(format!("{} ({})", c + 1, columns.labels[c]))
            })?;
            let mut raw = format!("{}:{}", self.code, columns.labels[c]);
            for a in &attrs {
                raw.push_str(" / ");
                raw.push_str(a);
            }
            let unit = columns.units[c].clone().or_else(|| self.unit.clone());
            ctx.emit_to(
                target.clone(),
                &raw,
                None,
                None,
                date,
                cell,
                flag,
                unit.as_deref(),
                r.line,
            );
        }
        Ok(())
    }
}

/// Where a key of a flat file goes.
fn flat_target(ctx: &FileCtx<'_>, key: &str) -> Option<Target> {
    match RegionKey::parse(key)? {
        RegionKey::Municipality(ags) => ctx.target(&ags),
        RegionKey::District(d) => ctx.district_target(&d),
        _ => None,
    }
}

/// GENESIS flat file (ffcsv), current column set: one value per line with its codes; the region in
/// the `N_variable_attribute_code` whose `N_variable_code` starts with `GEO` (the 12-digit ARS
/// for municipalities); further dimensions become part of the variable's name.
pub fn flat(ctx: &mut FileCtx<'_>, body: &str, first_line: usize) -> Result<(), InputError> {
    let rel = ctx.rel.clone();
    let t = table::read(&rel, body, b';', true, first_line)?;
    t.require_rows(&rel, first_line)?;
    let col = |n: &str| t.require(&rel, n, first_line, "download the table again as flat file (ffcsv)");
    let (c_stat, c_time, c_value, c_unit, c_var) = (
        col("statistics_code")?,
        col("time")?,
        col("value")?,
        col("value_unit")?,
        col("value_variable_code")?,
    );
    let c_q = t.column_index("value_q");
    let dims: Vec<(usize, usize)> = (1..=9)
        .filter_map(|k| {
            Some((
                t.column_index(&format!("{k}_variable_code"))?,
                t.column_index(&format!("{k}_variable_attribute_code"))?,
            ))
        })
        .collect();
    // The regional dimension: `GEO…` (GENESIS), else the one holding regional keys
    // (Regionalstatistik's `GEMEIN`, `KREISE`).
    let region = dims
        .iter()
        .position(|&(vc, _)| t.height() > 0 && t.cell(0, vc).starts_with("GEO"))
        .or_else(|| {
            dims.iter()
                .position(|&(_, ac)| t.height() > 0 && RegionKey::parse(t.cell(0, ac)).is_some())
        })
        .unwrap_or(0);
    let c_var_label = t.column_index("value_variable_label");
    let attr_labels: Vec<Option<usize>> = (1..=9)
        .filter(|k| t.column_index(&format!("{k}_variable_attribute_code")).is_some())
        .map(|k| t.column_index(&format!("{k}_variable_attribute_label")))
        .collect();
    if dims.is_empty() {
        col("1_variable_code")?;
        col("1_variable_attribute_code")?;
        return Err(InputError::new(
            &rel,
            "no regional dimension found",
            "download the table again as flat file (ffcsv)",
        ));
    }
    for r in 0..t.height() {
        ctx.report.rows += 1;
        let line = t.line(r);
        if ctx.report.table.is_empty() {
            ctx.report.table = t.cell(r, c_stat).to_string();
        }
        let key = t.cell(r, dims[region].1).trim();
        let target = flat_target(ctx, key);
        let time = t.cell(r, c_time);
        let date = RefDate::parse(time).ok_or_else(|| {
            InputError::new(
                &rel,
                format!("`{}` is not a date", shorten(time)),
                "the time column must hold YYYY-MM-DD or a year",
            )
            .at(line)
            .column("time")
        })?;
        let (cell, mut flag) = parse_cell(t.cell(r, c_value), NumberStyle::German).map_err(|m| {
            InputError::new(&rel, m, "fix or remove the cell")
                .at(line)
                .column("value")
        })?;
        if let Some(q) = c_q.map(|c| t.cell(r, c).trim()).filter(|q| !q.is_empty()) {
            flag = Some(with_quality(flag, q));
        }
        let mut raw = format!("{}:{}", t.cell(r, c_stat), t.cell(r, c_var));
        for (i, &(_, ac)) in dims.iter().enumerate() {
            if i != region {
                raw.push('/');
                raw.push_str(t.cell(r, ac).trim());
            }
        }
        ctx.label_raw = c_var_label.map(|c| {
            let mut l = format!("{}:{}", t.cell(r, c_stat), t.cell(r, c).trim());
            for (i, ac) in attr_labels.iter().enumerate() {
                if let (true, Some(ac)) = (i != region, ac) {
                    l.push('/');
                    l.push_str(t.cell(r, *ac).trim());
                }
            }
            l
        });
        let unit = t.cell(r, c_unit).to_string();
        ctx.emit_to(target, &raw, None, None, date, cell, flag, Some(&unit), line);
    }
    ctx.label_raw = None;
    Ok(())
}

/// GENESIS flat file, older column set: `Statistik_Code;…;Zeit;1_Merkmal_Code;…;1_Auspraegung_Code;
/// 1_Auspraegung_Label;…;CODE__Label__Unit;CODE__Label__q;…` — one column per value variable, its
/// unit in the last part of the column name, its quality flag in a `__q` column beside it.
pub fn flat_old(ctx: &mut FileCtx<'_>, body: &str, first_line: usize) -> Result<(), InputError> {
    let rel = ctx.rel.clone();
    let t = table::read(&rel, body, b';', true, first_line)?;
    t.require_rows(&rel, first_line)?;
    let c_time = t.column_index("Zeit").ok_or_else(|| {
        InputError::new(
            &rel,
            "the column `Zeit` is missing",
            "download the table again as flat file",
        )
        .at(first_line)
    })?;
    let c_stat = t.column_index("Statistik_Code");
    let dims: Vec<usize> = (1..=9)
        .filter_map(|k| t.column_index(&format!("{k}_Auspraegung_Code")))
        .collect();
    let dim_labels: Vec<Option<usize>> = (1..=9)
        .filter(|k| t.column_index(&format!("{k}_Auspraegung_Code")).is_some())
        .map(|k| t.column_index(&format!("{k}_Auspraegung_Label")))
        .collect();
    if dims.is_empty() {
        return Err(InputError::new(
            &rel,
            "the column `1_Auspraegung_Code` is missing",
            "download the table again as flat file",
        )
        .at(first_line));
    }
    let region = dims
        .iter()
        .position(|&c| t.height() > 0 && RegionKey::parse(t.cell(0, c)).is_some())
        .unwrap_or(0);
    // Value columns: `CODE__Label__Unit`; their flags: `CODE__Label__q`.
    let mut values: Vec<ValueColumn> = Vec::new();
    let by_name: BTreeMap<&str, usize> = t.columns.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect();
    for (i, name) in t.columns.iter().enumerate() {
        let parts: Vec<&str> = name.split("__").collect();
        if parts.len() < 3 || parts.last() == Some(&"q") {
            continue;
        }
        values.push(ValueColumn {
            index: i,
            code: parts[0].trim().to_string(),
            label: parts[1..parts.len() - 1].join(" ").replace('_', " "),
            unit: parts[parts.len() - 1].replace('_', " "),
            q: by_name
                .get(format!("{}__q", parts[..parts.len() - 1].join("__")).as_str())
                .copied(),
        });
    }
    if values.is_empty() {
        return Err(InputError::new(
            &rel,
            "no value column (named `CODE__Label__Unit`) found",
            "download the table again as flat file",
        )
        .at(first_line));
    }
    for r in 0..t.height() {
        ctx.report.rows += 1;
        let line = t.line(r);
        let stat = c_stat.map(|c| t.cell(r, c).trim().to_string()).unwrap_or_default();
        if ctx.report.table.is_empty() {
            ctx.report.table = stat.clone();
        }
        let key = t.cell(r, dims[region]).trim();
        let target = flat_target(ctx, key);
        let time = t.cell(r, c_time);
        let date = RefDate::parse(time).ok_or_else(|| {
            InputError::new(
                &rel,
                format!("`{}` is not a date", shorten(time)),
                "the column Zeit must hold a year or a date such as 31.12.2015",
            )
            .at(line)
            .column("Zeit")
        })?;
        let (mut extra, mut extra_labels) = (String::new(), String::new());
        for (i, &c) in dims.iter().enumerate() {
            if i != region {
                extra.push('/');
                extra.push_str(t.cell(r, c).trim());
                extra_labels.push('/');
                extra_labels.push_str(dim_labels[i].map_or("", |l| t.cell(r, l).trim()));
            }
        }
        for v in &values {
            let (cell, mut flag) = parse_cell(t.cell(r, v.index), NumberStyle::German).map_err(|m| {
                InputError::new(&rel, m, "fix or remove the cell")
                    .at(line)
                    .column(t.columns[v.index].clone())
            })?;
            if let Some(f) = v.q.map(|q| t.cell(r, q).trim()).filter(|f| !f.is_empty()) {
                flag = Some(with_quality(flag, f));
            }
            let raw = format!("{stat}:{}{extra}", v.code);
            ctx.label_raw = Some(format!("{stat}:{}{extra_labels}", v.label));
            ctx.emit_to(target.clone(), &raw, None, None, date, cell, flag, Some(&v.unit), line);
        }
    }
    ctx.label_raw = None;
    Ok(())
}

/// A value column of the older flat file: `CODE__Label__Unit`, its flag column `CODE__Label__q`.
struct ValueColumn {
    index: usize,
    code: String,
    /// The label as the column name spells it (ASCII: `Bevoelkerungsstand`).
    label: String,
    unit: String,
    q: Option<usize>,
}

/// The quality column's flag (`e`, `p`, `r`, `s`), after a `()` from the cell itself.
fn with_quality(cell_flag: Option<String>, q: &str) -> String {
    match cell_flag.as_deref() {
        Some("()") => format!("(){q}"),
        _ => q.to_string(),
    }
}
