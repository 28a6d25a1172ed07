//! Marktstammdatenregister web export: one line per unit (generator or storage), UTF-8 with BOM,
//! `;`, every field quoted (a field may hold a line break), a header that may carry a stray TAB,
//! dates as DD.MM.YYYY (the register) or M/D/YYYY (a spreadsheet's re-save), capacities in kW with
//! decimal comma and thousands point.
//!
//! Produces per member and energy carrier the summed net nominal capacity of the units in operation
//! (`Betriebs-Status` = `In Betrieb`, no final decommissioning date): variable `mastr_capacity`,
//! category the carrier (`pv`, `wind`, `biomass`, `storage`, …), unit kW. The reference date is the
//! latest registration or update date in the file (the export shows the register at least as of
//! then). How complete an export is — a full download or a sample — is said by its grade in
//! `sources.toml`, not here.

use std::collections::BTreeMap;

use super::table::{self, shorten};
use super::text::{parse_cell, Cell, NumberStyle};
use super::{FileCtx, Target};
use crate::error::InputError;
use crate::model::{Missing, RefDate};

const C_KEY: &str = "Gemeindeschlüssel";
const C_CARRIER: &str = "Energieträger";
const C_NET: &str = "Nettonennleistung der Einheit";
const C_STATUS: &str = "Betriebs-Status";
const C_START: &str = "Inbetriebnahmedatum der Einheit";
const DATE_COLUMNS: &[&str] = &[
    "Inbetriebnahmedatum der Einheit",
    "Meldedatum der Einheit",
    "Letzte Aktualisierung",
];
const C_END: &str = "Datum der endgültigen Stilllegung";

/// The register's energy carriers → short category names.
fn carrier_slug(name: &str) -> String {
    match name.trim() {
        "Solare Strahlungsenergie" => "pv".into(),
        "Wind" => "wind".into(),
        "Biomasse" => "biomass".into(),
        "Wasser" => "hydro".into(),
        "Speicher" => "storage".into(),
        "Erdgas" => "natural_gas".into(),
        "Mineralölprodukte" => "mineral_oil".into(),
        "andere Gase" => "other_gases".into(),
        "Braunkohle" => "lignite".into(),
        "Steinkohle" => "hard_coal".into(),
        "Grubengas" => "mine_gas".into(),
        "Klärschlamm" => "sewage_sludge".into(),
        "Geothermie" => "geothermal".into(),
        "Solarthermie" => "solar_thermal".into(),
        "Wärme" => "heat".into(),
        "Kernenergie" => "nuclear".into(),
        "Wasserstoff" => "hydrogen".into(),
        "nicht biogener Abfall" => "non_biogenic_waste".into(),
        "Druck aus Gasleitungen" => "gas_pressure".into(),
        "Druck aus Wasserleitungen" => "water_pressure".into(),
        other => other.to_lowercase().replace(' ', "_"),
    }
}

/// `31.01.2019` (the register), `1/31/2019` (M/D/YYYY, a re-save) or `2019-01-31`.
pub fn parse_date(s: &str) -> Option<RefDate> {
    let t = s.trim();
    if let Some((m, rest)) = t.split_once('/') {
        let (d, y) = rest.split_once('/')?;
        if y.len() != 4 {
            return None;
        }
        return RefDate::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    }
    if t.len() == 4 {
        return None;
    }
    RefDate::parse(t)
}

/// Capacity summed for a member and carrier: where it goes, kW, first line, a missing capacity.
type Sum = (Target, f64, usize, Option<Missing>);

pub fn read(ctx: &mut FileCtx<'_>, body: &str, first_line: usize) -> Result<(), InputError> {
    let rel = ctx.rel.clone();
    let t = table::read(&rel, body, b';', true, first_line)?;
    t.require_rows(&rel, first_line)?;
    let col = |n: &str| {
        t.require(&rel, n, first_line, "export the unit list from the Marktstammdatenregister with all columns (or at least Gemeindeschlüssel, Energieträger, Nettonennleistung der Einheit, Betriebs-Status, Inbetriebnahmedatum der Einheit)")
    };
    let (c_key, c_carrier, c_net, c_status, _) =
        (col(C_KEY)?, col(C_CARRIER)?, col(C_NET)?, col(C_STATUS)?, col(C_START)?);
    let c_end = t.column_index(C_END);
    let c_dates: Vec<usize> = DATE_COLUMNS.iter().filter_map(|n| t.column_index(n)).collect();
    ctx.report.table = "MaStR Einheiten".into();

    let mut latest: Option<RefDate> = None;
    // (member, carrier) → (sum, first line, a missing capacity)
    let mut sums: BTreeMap<(String, String), Sum> = BTreeMap::new();
    for r in 0..t.height() {
        ctx.report.rows += 1;
        let line = t.line(r);
        for &c in &c_dates {
            let s = t.cell(r, c);
            if s.trim().is_empty() {
                continue;
            }
            let d = parse_date(s).ok_or_else(|| {
                InputError::new(
                    &rel,
                    format!("`{}` is not a date", shorten(s)),
                    "dates must read DD.MM.YYYY (as the register writes them) or M/D/YYYY",
                )
                .at(line)
                .column(t.columns[c].clone())
            })?;
            latest = latest.max(Some(d));
        }
        let key = t.cell(r, c_key).trim();
        if key.is_empty() {
            continue; // offshore units have no municipality
        }
        let ags = crate::model::Ags::parse(key).map_err(|m| {
            InputError::new(
                &rel,
                m,
                "the Gemeindeschlüssel must be the 8-digit AGS with leading zeros",
            )
            .at(line)
            .column(C_KEY)
        })?;
        let carrier = carrier_slug(t.cell(r, c_carrier));
        let (cell, _) = parse_cell(t.cell(r, c_net), NumberStyle::German).map_err(|m| {
            InputError::new(&rel, m, "the capacity is in kW with a decimal comma, e.g. 9,6 or 3.060")
                .at(line)
                .column(C_NET)
        })?;
        ctx.report.variables.insert("mastr_capacity".into());
        let in_operation =
            t.cell(r, c_status).trim() == "In Betrieb" && c_end.is_none_or(|c| t.cell(r, c).trim().is_empty());
        let Some(target) = ctx.target(&ags) else { continue };
        if !in_operation {
            continue;
        }
        let e = sums
            .entry((ags.to_string(), carrier))
            .or_insert((target, 0.0, line, None));
        match cell {
            Cell::Number(v) => e.1 += v,
            Cell::Dash => {}
            Cell::Missing(m) => e.3 = Some(m),
        }
    }
    let Some(date) = latest else {
        if sums.is_empty() {
            return Ok(());
        }
        return Err(InputError::new(
            &rel,
            "no date in the export (commissioning, registration or update date)",
            "export the unit list with the columns Inbetriebnahmedatum der Einheit and Letzte Aktualisierung",
        ));
    };
    for ((_, carrier), (target, sum, line, missing)) in sums {
        let cell = match missing {
            Some(m) => Cell::Missing(m),
            None => Cell::Number(sum),
        };
        ctx.emit_to(
            Some(target),
            "mastr_capacity",
            None,
            Some(carrier),
            date,
            cell,
            None,
            Some("kW"),
            line,
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_and_resaved_dates() {
        assert_eq!(parse_date("31.01.2019"), RefDate::new(2019, 1, 31));
        assert_eq!(parse_date("1/31/2019"), RefDate::new(2019, 1, 31));
        assert_eq!(parse_date("12/3/2020"), RefDate::new(2020, 12, 3));
        assert_eq!(parse_date("31/1/2019"), None);
        assert_eq!(parse_date("2019"), None);
    }
}
