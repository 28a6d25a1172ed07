//! One reader per export format. Each recognises its format from the file's content and turns
//! the cells into observations through [`FileCtx::emit`].

use super::error::InputError;
use super::table::{self, shorten};
use super::text::{line_of_offset, parse_cell, NumberStyle};
use super::FileCtx;
use crate::model::{Ags, RefDate};

/// The header of our own long format (`klimapartner-long`), used for transcribed tables.
const LONG_HEADER: &str = "ags,variable,sector,carrier,date,value,unit,note";

/// Recognises the format and reads the file. Leaves `report.format` empty if nothing matched.
pub fn read_any(ctx: &mut FileCtx<'_>, text: &str) -> Result<(), InputError> {
    if text.trim().is_empty() {
        return Err(InputError::new(
            &ctx.rel,
            "the file is empty",
            "download the table again, or remove the file from inputs/",
        ));
    }
    let (body, first_line) = super::registry::skip_comments(text);
    let head = body.lines().next().unwrap_or("").trim_start_matches('\u{feff}').trim();
    if text.starts_with("GENESIS-Tabelle")
        || text.lines().any(|l| l.starts_with(";;")) && text.contains(';') && !head.contains("statistics_code")
    {
        ctx.report.format = "GENESIS-Tabelle (CSV)";
        genesis_table(ctx, text)
    } else if head.starts_with("statistics_code;") && head.contains(";value;") {
        ctx.report.format = "GENESIS flat (ffcsv)";
        genesis_flat(ctx, body, first_line)
    } else if head == super::local::LOCAL_HEADER {
        ctx.report.format = "Angaben der Verwaltung";
        super::local::read_local(ctx, body, first_line)
    } else if head == LONG_HEADER {
        ctx.report.format = "klimapartner-long";
        long_table(ctx, body, first_line)
    } else if head.starts_with("ags,") {
        ctx.report.format = "Tabelle je AGS (CSV)";
        national_table(ctx, body, first_line)
    } else if head.starts_with('{') && text.contains("\"FeatureCollection\"") {
        ctx.report.format = "GeoJSON (Gemeindegrenzen)";
        geojson(ctx, text)
    } else {
        Ok(())
    }
}

/// GENESIS / Regionalstatistik table CSV: metadata lines, header rows starting `;;` (dates and
/// attributes), data rows `code;name;values…`, footer from `__________` on.
fn genesis_table(ctx: &mut FileCtx<'_>, text: &str) -> Result<(), InputError> {
    let rel = ctx.rel.clone();
    let lines: Vec<&str> = text.lines().collect();
    if let Some(code) = lines
        .first()
        .and_then(|l| l.strip_prefix("GENESIS-Tabelle:"))
        .map(|c| c.trim_matches([';', ' ']).to_string())
    {
        ctx.report.table = code;
    }
    if ctx.report.table.is_empty() {
        return Err(InputError::new(
            &rel,
            "no table code found",
            "the first line must read `GENESIS-Tabelle: <code>` as in the office's download",
        )
        .at(1));
    }
    // The unit is in a metadata line such as `Bevölkerungsstand (Anzahl)`.
    let header_start = lines.iter().position(|l| l.starts_with(";;")).ok_or_else(|| {
        InputError::new(
            &rel,
            "no column header (a line starting with `;;`) found",
            "download the table as CSV from GENESIS without changing it",
        )
    })?;
    let unit = lines[..header_start]
        .iter()
        .rev()
        .find_map(|l| {
            let l = l.trim_end_matches(';');
            let open = l.rfind('(')?;
            l.ends_with(')').then(|| l[open + 1..l.len() - 1].to_string())
        })
        .unwrap_or_default();
    let header_end = (header_start..lines.len())
        .find(|&i| !lines[i].starts_with(";;"))
        .unwrap_or(lines.len());
    let footer = (header_end..lines.len())
        .find(|&i| lines[i].starts_with("__________"))
        .unwrap_or(lines.len());

    // Combine the header rows column by column: a date, and the attribute labels.
    let header_rows: Vec<Vec<&str>> = lines[header_start..header_end]
        .iter()
        .map(|l| l.split(';').collect())
        .collect();
    let width = header_rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut col_date = vec![None; width];
    let mut col_label = vec![String::new(); width];
    for row in &header_rows {
        for (c, cell) in row.iter().enumerate().skip(2) {
            let cell = cell.trim();
            if let Some(d) = RefDate::parse(cell) {
                col_date[c] = Some(d);
            } else if !cell.is_empty() {
                if !col_label[c].is_empty() {
                    col_label[c].push_str(" / ");
                }
                col_label[c].push_str(cell);
            }
        }
    }
    // A table for a single date may carry it in a metadata line (`Stichtag 31.12.2015`).
    let meta_date = lines[..header_start]
        .iter()
        .find_map(|l| l.split([' ', ';']).find_map(RefDate::parse));

    let body_offset: usize = lines[..header_end].iter().map(|l| l.len() + 1).sum();
    let body: String = lines[header_end..footer].iter().map(|l| format!("{l}\n")).collect();
    let first_line = line_of_offset(text, body_offset.min(text.len()));
    let t = table::read(&rel, &body, b';', false, first_line)?;
    let table_code = ctx.report.table.clone();
    for r in 0..t.height() {
        let code = t.cell(r, 0).trim();
        ctx.report.rows += 1;
        // Only municipality rows (8-digit AGS) are observations; states and districts are context,
        // except a district-free city, whose 5-digit district row is the municipality itself.
        let key = match code.len() {
            8 => code.to_string(),
            5 if ctx.wants(
                &Ags::parse(&format!("{code}000")).unwrap_or_else(|_| Ags::parse("00000000").expect("valid")),
            ) =>
            {
                format!("{code}000")
            }
            _ => continue,
        };
        let Ok(ags) = Ags::parse(&key) else { continue };
        for c in 2..t.columns.len().min(width) {
            let Some(date) = col_date[c].or(meta_date) else {
                continue;
            };
            let raw_cell = t.cell(r, c);
            let (cell, flag) = parse_cell(raw_cell, NumberStyle::German).map_err(|m| {
                InputError::new(
                    &rel,
                    m,
                    "the office's symbols are - . x ... / ; anything else must be a number",
                )
                .at(t.line(r))
                .column((c + 1).to_string())
            })?;
            let raw = format!("{table_code}:{}", col_label[c]);
            ctx.emit(&raw, &ags, None, date, cell, flag, Some(&unit), t.line(r));
        }
    }
    Ok(())
}

/// GENESIS flat file (ffcsv): one value per line with its codes, ARS in `1_variable_attribute_code`.
fn genesis_flat(ctx: &mut FileCtx<'_>, body: &str, first_line: usize) -> Result<(), InputError> {
    let rel = ctx.rel.clone();
    let t = table::read(&rel, body, b';', true, first_line)?;
    let col = |n: &str| {
        t.column_index(n).ok_or_else(|| {
            InputError::new(
                &rel,
                format!("the column `{n}` is missing"),
                "download the table again as flat file (ffcsv)",
            )
            .at(first_line)
        })
    };
    let (c_stat, c_time, c_key, c_value, c_unit, c_var, c_q) = (
        col("statistics_code")?,
        col("time")?,
        col("1_variable_attribute_code")?,
        col("value")?,
        col("value_unit")?,
        col("value_variable_code")?,
        t.column_index("value_q"),
    );
    for r in 0..t.height() {
        ctx.report.rows += 1;
        if ctx.report.table.is_empty() {
            ctx.report.table = t.cell(r, c_stat).to_string();
        }
        let key = t.cell(r, c_key).trim();
        // Only municipality keys (12-digit ARS or 8-digit AGS) are observations.
        if key.len() != 12 && key.len() != 8 {
            continue;
        }
        let Ok(ags) = Ags::parse(key) else { continue };
        let time = t.cell(r, c_time);
        let date = RefDate::parse(time).ok_or_else(|| {
            InputError::new(
                &rel,
                format!("`{time}` is not a date"),
                "the time column must hold YYYY-MM-DD or a year",
            )
            .at(t.line(r))
            .column("time")
        })?;
        let (cell, mut flag) = parse_cell(t.cell(r, c_value), NumberStyle::German).map_err(|m| {
            InputError::new(&rel, m, "fix or remove the cell")
                .at(t.line(r))
                .column("value")
        })?;
        if let Some(q) = c_q.map(|c| t.cell(r, c).trim()).filter(|q| !q.is_empty()) {
            flag = Some(q.to_string());
        }
        let raw = format!("{}:{}", t.cell(r, c_stat), t.cell(r, c_var));
        let unit = t.cell(r, c_unit).to_string();
        ctx.emit(&raw, &ags, None, date, cell, flag, Some(&unit), t.line(r));
    }
    Ok(())
}

/// Plain per-AGS tables (`ags,col1,col2…`), one file per reference year: the year comes from the
/// file name (`population_2021.csv` or `population/2021.csv`), the table kind from the name before it.
fn national_table(ctx: &mut FileCtx<'_>, body: &str, first_line: usize) -> Result<(), InputError> {
    let rel = ctx.rel.clone();
    let (kind, year) = kind_and_year(&rel).ok_or_else(|| {
        InputError::new(
            &rel,
            "the reference year cannot be told from the file name",
            "name the file <table>_<YYYY>.csv, e.g. population_2021.csv",
        )
    })?;
    ctx.report.table = kind.clone();
    let date = RefDate::end_of_year(year);
    let t = table::read(&rel, body, b',', true, first_line)?;
    for r in 0..t.height() {
        ctx.report.rows += 1;
        let key = t.cell(r, 0).trim();
        // Germany (`DG000000`) and other non-numeric aggregate keys are not municipalities.
        if key.len() != 8 || !key.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let Ok(ags) = Ags::parse(key) else { continue };
        for c in 1..t.columns.len() {
            let (cell, flag) = parse_cell(t.cell(r, c), NumberStyle::Plain).map_err(|m| {
                InputError::new(&rel, m, "fix or remove the cell")
                    .at(t.line(r))
                    .column(t.columns[c].clone())
            })?;
            let raw = format!("{kind}:{}", t.columns[c]);
            ctx.emit(&raw, &ags, None, date, cell, flag, None, t.line(r));
        }
    }
    Ok(())
}

/// Kind and year from `population_2021.csv` or `population/2021.csv`.
fn kind_and_year(rel: &str) -> Option<(String, i32)> {
    let mut parts: Vec<&str> = rel.split('/').collect();
    let file = parts.pop()?;
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let (kind, year) = match stem.rsplit_once('_') {
        Some((k, y)) if y.len() == 4 => (k.to_string(), y),
        _ if stem.len() == 4 => (parts.last()?.to_string(), stem),
        _ => return None,
    };
    Some((kind, year.parse().ok()?))
}

/// Our long format for tables transcribed from documents (e.g. Leipzig's BISKO balance).
fn long_table(ctx: &mut FileCtx<'_>, body: &str, first_line: usize) -> Result<(), InputError> {
    let rel = ctx.rel.clone();
    let t = table::read(&rel, body, b',', true, first_line)?;
    ctx.report.table = ctx.source.table.clone();
    for r in 0..t.height() {
        ctx.report.rows += 1;
        let line = t.line(r);
        let ags = Ags::parse(t.cell(r, 0))
            .map_err(|m| InputError::new(&rel, m, "write the 8-digit AGS").at(line).column("ags"))?;
        let variable = t.cell(r, 1).trim().to_string();
        if variable.is_empty() {
            return Err(
                InputError::new(&rel, "the variable is empty", "name the variable, e.g. final_energy")
                    .at(line)
                    .column("variable"),
            );
        }
        let opt = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        let sector = opt(t.cell(r, 2));
        let carrier = opt(t.cell(r, 3));
        let d = t.cell(r, 4);
        let date = RefDate::parse(d).ok_or_else(|| {
            InputError::new(
                &rel,
                format!("`{}` is not a date", shorten(d)),
                "write the date as YYYY-MM-DD",
            )
            .at(line)
            .column("date")
        })?;
        let (cell, flag) = parse_cell(t.cell(r, 5), NumberStyle::Plain).map_err(|m| {
            InputError::new(&rel, m, "write the value with a decimal point and no grouping")
                .at(line)
                .column("value")
        })?;
        let unit = t.cell(r, 6).to_string();
        let before = ctx.out.len();
        ctx.emit(&variable, &ags, sector, date, cell, flag, Some(&unit), line);
        if let Some(o) = ctx.out.get_mut(before) {
            o.category = carrier;
        }
    }
    Ok(())
}

/// Municipal boundaries: recorded for `check`; the map reads them in the chart stage.
fn geojson(ctx: &mut FileCtx<'_>, text: &str) -> Result<(), InputError> {
    let rel = ctx.rel.clone();
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        InputError::new(
            &rel,
            format!("is not valid GeoJSON: {e}"),
            "download the boundaries again",
        )
        .at(e.line())
    })?;
    for f in v["features"].as_array().into_iter().flatten() {
        ctx.report.rows += 1;
        if let Some(Ok(ags)) = f["properties"]["AGS_0"].as_str().map(Ags::parse) {
            if ctx.wants(&ags) {
                ctx.report.members.insert(ags);
            }
        }
    }
    ctx.report.variables.insert("boundary".into());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_and_kind_from_file_names() {
        assert_eq!(
            kind_and_year("statistics/national/population_2021.csv"),
            Some(("population".into(), 2021))
        );
        assert_eq!(kind_and_year("national/area/2018.csv"), Some(("area".into(), 2018)));
        assert_eq!(
            kind_and_year("x/renewable_energy_2024.csv"),
            Some(("renewable_energy".into(), 2024))
        );
        assert_eq!(kind_and_year("x/areas.csv"), None);
    }
}
