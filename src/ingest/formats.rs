//! Format detection by content, and the readers of the simpler formats: plain per-AGS tables, our
//! long format, GeoJSON boundaries and national fact tables. The GENESIS formats are in
//! [`super::genesis`], the Marktstammdatenregister export in [`super::mastr`]. Each reader turns
//! cells into observations through [`FileCtx::emit_to`].

use super::table::{self, shorten};
use super::text::{parse_cell, Cell, NumberStyle};
use super::{genesis, mastr, FileCtx};
use crate::error::InputError;
use crate::model::{Ags, RefDate, RegionKey};

/// The header of our own long format (`klimapartner-long`), used for transcribed tables.
pub const LONG_HEADER: &str = "ags,variable,sector,carrier,date,value,unit,note";
/// The header of LocalZero's national fact and assumption tables.
const FACTS_HEADER: &str = "label,group,description,value,unit";

/// The formats `read_any` knows, for the message on a file it does not.
const KNOWN: &str = "GENESIS/Regionalstatistik table CSV (first line `GENESIS-Tabelle: …`), GENESIS flat file \
(header `statistics_code;…` or `Statistik_Code;…`), Marktstammdatenregister export (header `\"MaStR-Nr. der Einheit\";…`), \
a per-AGS table (header `ags,…`, year in the file name), the long format (`ags,variable,sector,carrier,date,value,unit,note`) \
or GeoJSON boundaries; any of the tables also as an Excel workbook (`.xlsx`, first sheet)";

/// Recognises the format and reads the file. Leaves `report.format` empty if nothing matched and
/// the file does not look like data (a note, a picture); a data file (`.csv`, `.zip`, `.json`…) of
/// unknown format is an error.
pub fn read_any(ctx: &mut FileCtx<'_>, text: &str) -> Result<(), InputError> {
    if text.trim().is_empty() {
        return Err(InputError::new(
            &ctx.rel,
            "the file is empty",
            "download the table again, or remove the file from inputs/",
        ));
    }
    let normalised;
    let text = if text.contains('\r') {
        normalised = text.replace("\r\n", "\n").replace('\r', "\n");
        normalised.as_str()
    } else {
        text
    };
    let (body, first_line) = super::registry::skip_comments(text);
    let head = body.lines().next().unwrap_or("").trim();
    let plain_head = head.replace('"', "");
    let lower_head = plain_head.to_lowercase();
    if text.starts_with("GENESIS-Tabelle")
        || text.lines().any(|l| l.starts_with(";;")) && text.contains(';') && !head.contains("statistics_code")
    {
        ctx.report.format = "GENESIS-Tabelle (CSV)";
        genesis::table(ctx, text)
    } else if head.starts_with("statistics_code;") && head.contains(";value") {
        ctx.report.format = "GENESIS flat (ffcsv)";
        genesis::flat(ctx, body, first_line)
    } else if head.starts_with("Statistik_Code;") || head.contains(";Zeit;") && head.contains("_Auspraegung_Code") {
        ctx.report.format = "GENESIS flat (ffcsv, old columns)";
        genesis::flat_old(ctx, body, first_line)
    } else if plain_head.contains("MaStR-Nr. der Einheit") {
        ctx.report.format = "Marktstammdatenregister (Export)";
        mastr::read(ctx, body, first_line)
    } else if head == super::local::LOCAL_HEADER {
        ctx.report.format = "Angaben der Verwaltung";
        super::local::read_local(ctx, body, first_line)
    } else if lower_head == LONG_HEADER {
        ctx.report.format = "klimapartner-long";
        long_table(ctx, body, first_line)
    } else if lower_head.replace([';', '\t'], ",") == LONG_HEADER {
        Err(InputError::new(
            &ctx.rel,
            format!(
                "the long format is comma-separated, but this header is `{}`",
                shorten(head)
            ),
            "save the file with commas between the fields (and a decimal point in numbers)",
        )
        .at(first_line))
    } else if lower_head.starts_with("ags,") || lower_head.starts_with("ags;") {
        ctx.report.format = "Tabelle je AGS (CSV)";
        national_table(ctx, body, first_line)
    } else if lower_head.starts_with(FACTS_HEADER) {
        ctx.report.format = "Faktentabelle (national, label/value)";
        facts_table(ctx, body, first_line)
    } else if lower_head.starts_with("column name,") || lower_head.starts_with("column title,") {
        // LocalZero's column descriptions (`sources.csv` beside a table): documentation.
        ctx.report.format = "Spaltenbeschreibung (Dokumentation)";
        ctx.report.variables.insert("documentation".into());
        Ok(())
    } else if head.starts_with('{') && text.contains("\"FeatureCollection\"") {
        ctx.report.format = "GeoJSON (Gemeindegrenzen)";
        geojson(ctx, text)
    } else if data_file(&ctx.report.path) {
        let mut hint = format!("this program reads: {KNOWN}");
        if head.contains('\t') && !head.contains(';') {
            hint =
                format!("the file is tab-separated; save it as it was downloaded (`;` or `,` between fields). {hint}");
        } else if head.starts_with("GENESIS") || head.contains("_flat") {
            hint = format!("download the table again without changing it. {hint}");
        }
        Err(InputError::new(
            &ctx.rel,
            format!("the format is not recognised; the first line is `{}`", shorten(head)),
            hint,
        )
        .at(first_line))
    } else {
        Ok(())
    }
}

/// Files whose name says they hold data; anything else is skipped with a warning, unread.
pub fn data_file(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".csv", ".zip", ".json", ".geojson", ".tsv", ".txt", ".xlsx"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// The key column of a per-AGS table and how it routes: municipality, district or nothing.
fn key_target(ctx: &FileCtx<'_>, key: &str) -> Result<Option<super::Target>, String> {
    match RegionKey::parse(key) {
        Some(RegionKey::Municipality(ags)) => Ok(ctx.target(&ags)),
        Some(RegionKey::District(code)) => Ok(ctx.district_target(&code)),
        Some(_) => Ok(None),
        None => Err(match Ags::parse(key) {
            Err(m) => m,
            Ok(_) => format!("`{key}` is not a municipality key"),
        }),
    }
}

/// Plain per-AGS tables (`ags,col1,col2…`), one file per reference year: the year comes from the
/// file name (`population_2021.csv` or `population/2021.csv`), the table kind from the name before it.
/// Comma-separated files use a decimal point; semicolon-separated ones (a German spreadsheet's
/// export) a decimal comma. Columns of text (names, type codes) are recognised and skipped.
fn national_table(ctx: &mut FileCtx<'_>, body: &str, first_line: usize) -> Result<(), InputError> {
    let rel = ctx.rel.clone();
    let head = body.lines().next().unwrap_or("");
    let (sep, style) = if head.contains(';') && !head.contains(',') {
        (b';', NumberStyle::German)
    } else {
        (b',', NumberStyle::Plain)
    };
    let t = table::read(&rel, body, sep, true, first_line)?;
    t.require_rows(&rel, first_line)?;
    let Some((kind, year)) = kind_and_year(&ctx.report.path) else {
        return key_list(ctx, &t, style);
    };
    ctx.report.table = kind.clone();
    let date = RefDate::end_of_year(year);
    if t.columns.len() < 2 {
        return Err(InputError::new(
            &rel,
            "the table has only the key column",
            "a per-AGS table needs `ags` and at least one value column",
        )
        .at(first_line));
    }
    // A column is numeric if variables.csv names it, or if most of its first 1,000 cells are numbers.
    let numeric: Vec<bool> = (0..t.columns.len())
        .map(|c| {
            if c == 0 || ctx.aliases.get(&format!("{kind}:{}", t.columns[c])).is_some() {
                return true;
            }
            let (mut num, mut text) = (0usize, 0usize);
            for r in 0..t.height().min(1000) {
                match parse_cell(t.cell(r, c), style) {
                    Ok((Cell::Number(_), _)) => num += 1,
                    Ok(_) => {}
                    Err(_) => text += 1,
                }
            }
            num >= text
        })
        .collect();
    // The raw variable name of each column, made once (not per cell).
    let raws: Vec<String> = t.columns.iter().map(|c| format!("{kind}:{c}")).collect();
    // Rows of municipalities outside the run are still parsed (a bad cell anywhere is an error),
    // but they are handed on once per column only: for them `emit_to` keeps only the file's
    // bookkeeping (variables, year), the same for every row of a one-date table.
    let mut noted = vec![false; t.columns.len()];
    for r in 0..t.height() {
        ctx.report.rows += 1;
        let line = t.line(r);
        let key = t.cell(r, 0).trim();
        let target = key_target(ctx, key).map_err(|m| {
            InputError::new(
                &rel,
                m,
                "the first column must hold the 8-digit AGS with leading zeros (e.g. 01001000, not 1001000)",
            )
            .at(line)
            .column(t.columns[0].clone())
        })?;
        for (c, _) in numeric.iter().enumerate().skip(1).filter(|(_, &n)| n) {
            let (cell, flag) = parse_cell(t.cell(r, c), style).map_err(|m| {
                InputError::new(
                    &rel,
                    m,
                    "fix or remove the cell; a missing value is an empty cell or `.`",
                )
                .at(line)
                .column(t.columns[c].clone())
            })?;
            if target.is_none() {
                if noted[c] {
                    continue;
                }
                noted[c] = true;
            }
            ctx.emit_to(target.clone(), &raws[c], None, None, date, cell, flag, None, line);
        }
    }
    Ok(())
}

/// A per-AGS table without a year in its name is only accepted as a list of keys and names (such
/// as LocalZero's `ags/master.csv`): it gives no figures, and `check` shows which members it lists.
fn key_list(ctx: &mut FileCtx<'_>, t: &table::TextTable, style: NumberStyle) -> Result<(), InputError> {
    let rel = ctx.rel.clone();
    let numeric = (1..t.columns.len())
        .find(|&c| (0..t.height()).any(|r| matches!(parse_cell(t.cell(r, c), style), Ok((Cell::Number(_), _)))));
    if let Some(c) = numeric {
        return Err(InputError::new(
            &rel,
            format!(
                "the reference year of column `{}` cannot be told from the file name",
                t.columns[c]
            ),
            "name the file <table>_<YYYY>.csv, e.g. population_2021.csv, or put it in a folder named after the table as <YYYY>.csv",
        ));
    }
    ctx.report.format = "AGS-Verzeichnis (CSV)";
    ctx.report.table = "keys and names".into();
    for r in 0..t.height() {
        ctx.report.rows += 1;
        if let Some(RegionKey::Municipality(ags)) = RegionKey::parse(t.cell(r, 0)) {
            if ctx.wants(&ags) {
                ctx.report.members.insert(ags);
            }
        }
    }
    ctx.report.variables.insert("names".into());
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
    let year: i32 = year.parse().ok()?;
    (1800..=2200).contains(&year).then_some((kind, year))
}

/// Our long format for tables transcribed from documents (e.g. Leipzig's BISKO balance).
fn long_table(ctx: &mut FileCtx<'_>, body: &str, first_line: usize) -> Result<(), InputError> {
    let rel = ctx.rel.clone();
    let t = table::read(&rel, body, b',', true, first_line)?;
    t.require_rows(&rel, first_line)?;
    ctx.report.table = ctx.source.table.clone();
    for r in 0..t.height() {
        ctx.report.rows += 1;
        let line = t.line(r);
        let ags = Ags::parse(t.cell(r, 0)).map_err(|m| {
            InputError::new(&rel, m, "write the 8-digit AGS with leading zeros")
                .at(line)
                .column("ags")
        })?;
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
        let unit = t.cell(r, 6).trim().to_string();
        let target = ctx.target(&ags);
        if target.is_none() {
            ctx.warnings.push(format!(
                "{rel}, line {line}: AGS {ags} is not a member of the partnership; the row is ignored"
            ));
        }
        ctx.emit_to(target, &variable, sector, carrier, date, cell, flag, Some(&unit), line);
    }
    Ok(())
}

/// LocalZero's national facts and assumptions (`label,group,description,value,unit,…`): national
/// reference values, not figures of a municipality. Recognised and counted for `check`; values
/// that go into the documents are copied into `factors/` with their citation (see DERIVATION.md).
fn facts_table(ctx: &mut FileCtx<'_>, body: &str, first_line: usize) -> Result<(), InputError> {
    let rel = ctx.rel.clone();
    let t = table::read(&rel, body, b',', true, first_line)?;
    ctx.report.table = "national facts".into();
    let c_value = t.column_index("value");
    for r in 0..t.height() {
        ctx.report.rows += 1;
        if let Some(c) = c_value {
            let v = t.cell(r, c);
            if !v.trim().is_empty() && parse_cell(v, NumberStyle::Plain).is_err() {
                return Err(
                    InputError::new(&rel, format!("`{}` is not a number", shorten(v)), "fix the value")
                        .at(t.line(r))
                        .column("value"),
                );
            }
        }
    }
    ctx.report.variables.insert("national facts".into());
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
        .column(e.column().to_string())
    })?;
    if v["type"] != "FeatureCollection" || !v["features"].is_array() {
        return Err(InputError::new(
            &rel,
            "is not a GeoJSON FeatureCollection (no `features` list)",
            "export the boundaries as GeoJSON FeatureCollection",
        ));
    }
    for f in v["features"].as_array().into_iter().flatten() {
        ctx.report.rows += 1;
        let key = f["properties"]["AGS_0"]
            .as_str()
            .or_else(|| f["properties"]["AGS"].as_str())
            .or_else(|| f["properties"]["RS"].as_str());
        if let Some(Ok(ags)) = key.map(Ags::parse) {
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
        assert_eq!(kind_and_year("x/nettonennleistung_by_AGS_2020.csv").unwrap().1, 2020);
    }
}
