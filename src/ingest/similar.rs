//! The national reference of similar municipalities (`statistics/national/similar_reference.csv`,
//! written by `klimapartner reference`): read whole, optional.

use std::path::Path;

use super::policy::{self, Place};
use crate::error::InputError;

/// The file in `inputs/` the build reads (written by `klimapartner reference`).
pub const FILE: &str = "statistics/national/similar_reference.csv";

/// One row of the reference table: for one RegioStaR7 class and size class, the quartiles of one
/// indicator in its (possibly merged) group.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub rt7: i32,
    pub size_class: String,
    /// The RegioStaR7 classes of the group, e.g. `75-77`.
    pub group: String,
    pub indicator: String,
    pub unit: String,
    pub n: usize,
    pub p25: f64,
    pub median: f64,
    pub p75: f64,
}

/// The table, empty if the file is absent.
pub fn read(inputs: &Path) -> Result<Vec<Row>, InputError> {
    let path = inputs.join(FILE);
    if !policy::present(&path) {
        return Ok(Vec::new());
    }
    let bytes = policy::read_file(Place::Inside(inputs), &path, FILE)?;
    let text = String::from_utf8_lossy(&bytes);
    parse(&text).map_err(|e| {
        InputError::new(
            FILE,
            e,
            "rerun `klimapartner reference --write inputs/statistics/national/similar_reference.csv`",
        )
    })
}

/// Parses the reference table (comment lines start with `#`).
pub fn parse(text: &str) -> Result<Vec<Row>, String> {
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let mut rd = csv::Reader::from_reader(body.as_bytes());
    let mut rows = Vec::new();
    for (i, rec) in rd.records().enumerate() {
        let rec = rec.map_err(|e| e.to_string())?;
        let f = |k: usize| rec.get(k).unwrap_or_default();
        let num = |k: usize| {
            f(k).parse::<f64>()
                .map_err(|_| format!("row {}: column {} is not a number", i + 1, k + 1))
        };
        rows.push(Row {
            rt7: num(0)? as i32,
            size_class: f(1).to_string(),
            group: f(2).to_string(),
            indicator: f(3).to_string(),
            unit: f(4).to_string(),
            n: num(5)? as usize,
            p25: num(6)?,
            median: num(7)?,
            p75: num(8)?,
        });
    }
    Ok(rows)
}
