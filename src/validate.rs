//! `klimapartner validate`: the start-balance estimator run on municipalities with a published
//! balance, as if they had no local data, and its error measured robustly (median and 80th
//! percentile of the absolute relative error of t per inhabitant, and per sector where published).
//!
//! Nothing is fitted here: the estimator is the one every document uses. The summary can be
//! written to `factors/start_balance_error.csv`, from where the documents quote the typical error.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};

use crate::cli::ValidateArgs;
use crate::model::Ags;
use crate::output;

const SECTORS: [&str; 5] = ["households", "commerce", "industry", "transport", "municipal"];

/// One published balance of the validation table.
#[derive(Debug, Clone)]
struct Published {
    name: String,
    ags: Ags,
    year: i32,
    inhabitants: f64,
    total_t: f64,
    /// Published column → t, with the estimated sectors the column holds.
    sectors: Vec<(String, f64, Vec<String>)>,
}

/// Result of one validation row.
#[derive(Debug, Clone)]
pub struct RowResult {
    pub name: String,
    pub ags: String,
    pub year: i32,
    pub balance_year: i32,
    pub published_t_per_inh: f64,
    pub estimate_t_per_inh: f64,
    pub error_pct: f64,
    /// Published column → (published t, estimated t, error %).
    pub sectors: Vec<(String, f64, f64, f64)>,
}

/// Median and 80th percentile of absolute errors (in %), with their count.
#[derive(Debug, Clone, PartialEq)]
pub struct Spread {
    pub n: usize,
    pub median: f64,
    pub p80: f64,
}

/// Median and 80th percentile (linear interpolation between order statistics) of |x|.
pub fn spread(values: &[f64]) -> Option<Spread> {
    let mut v: Vec<f64> = values.iter().map(|x| x.abs()).filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let q = |p: f64| {
        let pos = p * (v.len() - 1) as f64;
        let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
        v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
    };
    Some(Spread {
        n: v.len(),
        median: q(0.5),
        p80: q(0.8),
    })
}

fn read_published(path: &Path) -> Result<Vec<Published>> {
    let mut rd = csv::Reader::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    let headers = rd.headers()?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| anyhow!("{}: column `{name}` is missing", path.display()))
    };
    let (c_name, c_ags, c_year, c_inh, c_total) = (
        col("name")?,
        col("ags")?,
        col("year")?,
        col("inhabitants")?,
        col("total_t")?,
    );
    let c_groups = headers.iter().position(|h| h == "sector_groups");
    let mut out = Vec::new();
    for (i, rec) in rd.records().enumerate() {
        let rec = rec?;
        let line = i + 2;
        let num = |c: usize| rec.get(c).and_then(|s| s.trim().parse::<f64>().ok());
        let Some(total_t) = num(c_total) else { continue };
        let ags =
            Ags::parse(rec.get(c_ags).unwrap_or("")).map_err(|m| anyhow!("{}, line {line}: {m}", path.display()))?;
        let year = num(c_year).ok_or_else(|| anyhow!("{}, line {line}: year is not a number", path.display()))?;
        let inhabitants = num(c_inh)
            .filter(|v| *v > 0.0)
            .ok_or_else(|| anyhow!("{}, line {line}: inhabitants must be a positive number", path.display()))?;
        let groups: BTreeMap<String, Vec<String>> = c_groups
            .and_then(|c| rec.get(c))
            .unwrap_or("")
            .split(';')
            .filter_map(|g| {
                let (col, parts) = g.trim().split_once('=')?;
                Some((col.to_string(), parts.split('+').map(str::to_string).collect()))
            })
            .collect();
        let mut sectors = Vec::new();
        for s in SECTORS {
            if let Some(t) = num(col(&format!("{s}_t"))?) {
                let holds = groups.get(s).cloned().unwrap_or_else(|| vec![s.to_string()]);
                sectors.push((s.to_string(), t, holds));
            }
        }
        out.push(Published {
            name: rec.get(c_name).unwrap_or("").to_string(),
            ags,
            year: year as i32,
            inhabitants,
            total_t,
            sectors,
        });
    }
    Ok(out)
}

/// A partnership of the validation municipalities, so the ordinary pipeline computes them.
fn partnership_of(rows: &[Published]) -> Result<crate::config::Partnership> {
    let mut toml = String::from(
        "name = \"Validierung der Startbilanz\"\nreporting_year = 2024\npublisher = \"klimapartner validate\"\n",
    );
    let mut seen = std::collections::BTreeSet::new();
    for r in rows {
        if seen.insert(r.ags.clone()) {
            toml.push_str(&format!(
                "\n[[member]]\nags = \"{}\"\nname = \"{}\"\nrole = \"city\"\n",
                r.ags.as_str(),
                r.name.replace(['"', '\\'], "")
            ));
        }
    }
    Ok(crate::config::parse(&toml)?)
}

/// Runs the estimator on every row and measures its error.
pub fn run(inputs: &Path, table: &Path) -> Result<(Vec<RowResult>, Vec<String>)> {
    let rows = read_published(table)?;
    if rows.is_empty() {
        bail!("{}: no row with a published total_t", table.display());
    }
    let p = partnership_of(&rows)?;
    let data = crate::ingest::ingest(inputs, &p.member_keys()).map_err(|e| crate::ingest::refused(&e))?;
    let mut results = Vec::new();
    let mut skipped = Vec::new();
    let mut by_year: BTreeMap<i32, crate::compute::Facts> = BTreeMap::new();
    for r in &rows {
        // Structural data start in 2018: an earlier balance is compared with the 2018 estimate.
        let year = r.year.max(2018);
        let facts = by_year
            .entry(year)
            .or_insert_with(|| crate::compute::compute(&p, data.observations.clone(), &data.tables, year));
        let Some(b) = facts
            .members
            .iter()
            .find(|m| m.member.ags == r.ags)
            .and_then(|m| m.balance.as_ref())
        else {
            skipped.push(format!(
                "{} ({}): no start balance (structural data missing)",
                r.name, r.ags
            ));
            continue;
        };
        if b.local_cells > 0 {
            skipped.push(format!(
                "{} ({}): has its own balance in the inputs, not an estimate",
                r.name, r.ags
            ));
            continue;
        }
        let Some(est_per_inh) = b.t_per_inhabitant else {
            skipped.push(format!("{} ({}): no population", r.name, r.ags));
            continue;
        };
        let published_per_inh = r.total_t / r.inhabitants;
        let sectors = r
            .sectors
            .iter()
            .map(|(col, t, holds)| {
                let est: f64 = b
                    .sectors
                    .iter()
                    .filter(|s| holds.contains(&s.sector))
                    .map(|s| s.t)
                    .sum();
                // Per inhabitant on both sides, so population differences do not count as error.
                let est_scaled = est / b.total_t * est_per_inh * r.inhabitants;
                (col.clone(), *t, est_scaled, (est_scaled - t) / t * 100.0)
            })
            .collect();
        results.push(RowResult {
            name: r.name.clone(),
            ags: r.ags.as_str().to_string(),
            year: r.year,
            balance_year: b.date.year,
            published_t_per_inh: published_per_inh,
            estimate_t_per_inh: est_per_inh,
            error_pct: (est_per_inh - published_per_inh) / published_per_inh * 100.0,
            sectors,
        });
    }
    Ok((results, skipped))
}

/// The summary rows: `total` and one per published sector column.
pub fn summary(results: &[RowResult]) -> Vec<(String, Spread)> {
    let mut out = Vec::new();
    if let Some(s) = spread(&results.iter().map(|r| r.error_pct).collect::<Vec<_>>()) {
        out.push(("total".to_string(), s));
    }
    for sector in SECTORS {
        // Only columns that hold exactly that sector: a combined column is not a sector figure.
        let errs: Vec<f64> = results
            .iter()
            .flat_map(|r| r.sectors.iter())
            .filter(|(col, ..)| col == sector)
            .map(|(_, _, _, e)| *e)
            .collect();
        if let Some(s) = spread(&errs) {
            out.push((sector.to_string(), s));
        }
    }
    out
}

/// `klimapartner validate`.
pub fn validate(args: &ValidateArgs) -> Result<()> {
    let (results, skipped) = run(&args.inputs, &args.balances)?;
    let mut text = String::new();
    text.push_str("name;ags;published year;estimate year;published t/inh;estimate t/inh;error %;sectors (published t / estimate t / error %)\n");
    for r in &results {
        let sectors: Vec<String> = r
            .sectors
            .iter()
            .map(|(c, p, e, d)| format!("{c} {p:.0}/{e:.0}/{d:+.1}"))
            .collect();
        text.push_str(&format!(
            "{};{};{};{};{:.2};{:.2};{:+.1};{}\n",
            r.name,
            r.ags,
            r.year,
            r.balance_year,
            r.published_t_per_inh,
            r.estimate_t_per_inh,
            r.error_pct,
            sectors.join(", ")
        ));
    }
    for s in &skipped {
        text.push_str(&format!("skipped: {s}\n"));
    }
    let summary = summary(&results);
    for (scope, s) in &summary {
        text.push_str(&format!(
            "{scope}: n = {}, median |error| {:.1} %, 80th percentile {:.1} %\n",
            s.n, s.median, s.p80
        ));
    }
    crate::outln!("{}", text.trim_end());
    if let Some(path) = &args.write {
        let mut csv = String::from(
            "# Measured error of the start balance: `klimapartner validate` on the published balances named below, each municipality as if it had no local data.\n\
             # scope = total (t CO2e per inhabitant) or a sector (only where a city publishes that sector alone); error = |estimate - published| / published.\n\
             # Methods of the published balances differ (BISKO, Verursacherbilanz, unknown): read as the typical error, not as a bound. Measured on cities >= 50,000 inhabitants and carried over to small municipalities.\n\
             scope,n,median_abs_pct,p80_abs_pct,measured_on\n",
        );
        let on = args
            .balances
            .file_name()
            .map(|f| f.to_string_lossy().to_string())
            .unwrap_or_default();
        for (scope, s) in &summary {
            csv.push_str(&format!("{scope},{},{:.1},{:.1},{on}\n", s.n, s.median, s.p80));
        }
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path
            .file_name()
            .ok_or_else(|| anyhow!("--write needs a file name"))?
            .to_string_lossy()
            .to_string();
        output::write_atomic(dir, &name, csv.as_bytes())?;
        crate::outln!("written {}", path.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_is_median_and_p80_of_absolute_values() {
        let s = spread(&[-10.0, 5.0, 20.0, -1.0, 3.0]).unwrap();
        assert_eq!(s.n, 5);
        assert_eq!(s.median, 5.0);
        // sorted 1, 3, 5, 10, 20: position 0.8 × 4 = 3.2 → 10 + 0.2 × 10 = 12
        assert!((s.p80 - 12.0).abs() < 1e-9);
        assert!(spread(&[]).is_none());
    }
}
