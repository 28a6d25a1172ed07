//! Similar municipalities nationally (issue 16): `klimapartner reference` computes, from the
//! bundled national per-AGS tables, per group of settlement type (RegioStaR7) × size class the
//! quartiles of indicators backed by each municipality's own statistics, and writes them to
//! `inputs/statistics/national/similar_reference.csv`. A build only reads that table.
//!
//! Not start balances: those are estimates from national mean values and would compare the
//! method rather than the place.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::{bail, Context, Result};

use crate::cli::ReferenceArgs;
use crate::compute::MemberFacts;

pub use crate::ingest::similar::{Row, FILE};

/// Upper bounds of the size classes (inhabitants): < 5,000, 5,000–20,000, 20,000–100,000, ≥ 100,000.
pub const SIZE_BOUNDS: [f64; 3] = [5_000.0, 20_000.0, 100_000.0];

/// Size class ids, in order of [`SIZE_BOUNDS`].
pub const SIZE_CLASSES: [&str; 4] = ["lt5k", "5k_20k", "20k_100k", "ge100k"];

/// A group with fewer municipalities is merged with its neighbour in RegioStaR7 order.
pub const MIN_GROUP: usize = 30;

/// The compared indicators and their units: each from the municipality's own statistics.
pub const INDICATORS: [(&str, &str); 5] = [
    ("pv_kw_per_inhabitant", "kW/EW"),
    ("wind_kw_per_inhabitant", "kW/EW"),
    ("land_take_m2_per_inhabitant", "m²/EW/a"),
    ("share_settlement_traffic", "%"),
    ("share_forest", "%"),
];

/// One municipality: RegioStaR7 class, inhabitants and its values of the compared indicators.
pub type Municipality = (i32, f64, Vec<(&'static str, f64)>);

/// The size class of a population.
pub fn size_class(inhabitants: f64) -> &'static str {
    let i = SIZE_BOUNDS.iter().take_while(|b| inhabitants >= **b).count();
    SIZE_CLASSES[i]
}

/// A member's values of the compared indicators, from its figures (land take per inhabitant from
/// its land take and population).
pub fn member_values(m: &MemberFacts) -> Vec<(&'static str, f64)> {
    let value = |id: &str| m.figures.iter().find(|f| f.id == id).and_then(|f| f.value);
    let population = value("population");
    INDICATORS
        .iter()
        .filter_map(|&(id, _)| {
            let v = match id {
                "land_take_m2_per_inhabitant" => {
                    let pop = population.filter(|p| *p > 0.0)?;
                    value("land_take_ha_per_year")? * 10_000.0 / pop
                }
                _ => value(id)?,
            };
            v.is_finite().then_some((id, v))
        })
        .collect()
}

/// Quantile `q` of sorted values (linear interpolation between order statistics).
fn quantile(v: &[f64], q: f64) -> f64 {
    let pos = q * (v.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
}

/// Groups of RegioStaR7 classes within one size class: classes in order, each group closed once it
/// has `MIN_GROUP` municipalities; a short rest joins the last group.
fn merge_groups(counts: &[(i32, usize)]) -> Vec<Vec<i32>> {
    let mut groups: Vec<(Vec<i32>, usize)> = Vec::new();
    let mut open: (Vec<i32>, usize) = (Vec::new(), 0);
    for &(rt7, n) in counts {
        open.0.push(rt7);
        open.1 += n;
        if open.1 >= MIN_GROUP {
            groups.push(std::mem::take(&mut open));
        }
    }
    if !open.0.is_empty() {
        match groups.last_mut() {
            Some(last) => {
                last.0.extend(open.0);
                last.1 += open.1;
            }
            None => groups.push(open),
        }
    }
    groups.into_iter().map(|g| g.0).collect()
}

/// The reference rows from (RegioStaR7, population, indicator values) of every municipality.
pub fn table(municipalities: &[Municipality]) -> Vec<Row> {
    let mut rows = Vec::new();
    for size in SIZE_CLASSES {
        let in_size: Vec<&Municipality> = municipalities.iter().filter(|m| size_class(m.1) == size).collect();
        let mut counts: BTreeMap<i32, usize> = BTreeMap::new();
        for m in &in_size {
            *counts.entry(m.0).or_default() += 1;
        }
        let counts: Vec<(i32, usize)> = counts.into_iter().collect();
        for group in merge_groups(&counts) {
            let label = match (group.first(), group.last()) {
                (Some(a), Some(b)) if a != b => format!("{a}-{b}"),
                (Some(a), _) => a.to_string(),
                _ => continue,
            };
            for (id, unit) in INDICATORS {
                let mut v: Vec<f64> = in_size
                    .iter()
                    .filter(|m| group.contains(&m.0))
                    .filter_map(|m| m.2.iter().find(|(k, _)| *k == id).map(|x| x.1))
                    .collect();
                if v.is_empty() {
                    continue;
                }
                v.sort_by(f64::total_cmp);
                for &rt7 in &group {
                    rows.push(Row {
                        rt7,
                        size_class: size.to_string(),
                        group: label.clone(),
                        indicator: id.to_string(),
                        unit: unit.to_string(),
                        n: v.len(),
                        p25: quantile(&v, 0.25),
                        median: quantile(&v, 0.5),
                        p75: quantile(&v, 0.75),
                    });
                }
            }
        }
    }
    rows
}

/// `klimapartner reference`: every municipality of the national partnership file, its own
/// statistics, the groups and their quartiles, written as CSV with a header saying how it was made.
pub fn write(args: &ReferenceArgs) -> Result<()> {
    let config = args
        .config
        .clone()
        .unwrap_or_else(|| args.inputs.join("examples/germany.toml"));
    let p = crate::config::load_file(&config, &config.display().to_string()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let year = args.year.unwrap_or(p.reporting_year);
    let data = crate::ingest::ingest(&args.inputs, &p.member_keys()).map_err(|e| crate::ingest::refused(&e))?;
    let facts = crate::compute::compute(&p, data.observations, &data.tables, year);
    let municipalities: Vec<Municipality> = facts
        .members
        .iter()
        .filter_map(|m| {
            let class = m.settlement_type?;
            let pop = m.figures.iter().find(|f| f.id == "population")?.value?;
            Some((class, pop, member_values(m)))
        })
        .collect();
    if municipalities.is_empty() {
        bail!(
            "no municipality with a settlement type (RegioStaR7) and a population in {}",
            args.inputs.display()
        );
    }
    let rows = table(&municipalities);
    let mut out = Vec::new();
    writeln!(
        out,
        "# Similar municipalities nationally: quartiles per RegioStaR7 class × size class (issue 16).\n\
         # Made by `klimapartner reference --inputs {} --write {}` from {} ({} municipalities with \
         RegioStaR7 and population), reporting year {year}, from the tables in statistics/national/: population_2021.csv, \
         area_2018.csv and area_2021.csv (land use, land take 2018–2021), renewable_energy_2024.csv (MaStR), \
         area_kinds_2021.csv (RegioStaR7). Size classes: < 5,000, 5,000–20,000, 20,000–100,000, >= 100,000 \
         inhabitants; groups with fewer than {MIN_GROUP} municipalities are merged with the next RegioStaR7 \
         class (column group). Quartiles by linear interpolation. Do not edit by hand: rerun the command.",
        args.inputs.display(),
        args.write.display(),
        config.display(),
        municipalities.len()
    )?;
    writeln!(out, "rt7,size_class,group,indicator,unit,n,p25,median,p75")?;
    for r in &rows {
        writeln!(
            out,
            "{},{},{},{},{},{},{:.4},{:.4},{:.4}",
            r.rt7, r.size_class, r.group, r.indicator, r.unit, r.n, r.p25, r.median, r.p75
        )?;
    }
    std::fs::write(&args.write, out).with_context(|| format!("cannot write {}", args.write.display()))?;
    eprintln!(
        "{} rows for {} municipalities written to {}",
        rows.len(),
        municipalities.len(),
        args.write.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_classes_and_merging() {
        assert_eq!(size_class(4_999.0), "lt5k");
        assert_eq!(size_class(5_000.0), "5k_20k");
        assert_eq!(size_class(601_866.0), "ge100k");
        assert_eq!(
            merge_groups(&[(71, 40), (72, 10), (73, 25), (74, 5)]),
            vec![vec![71], vec![72, 73, 74]]
        );
        assert_eq!(merge_groups(&[(71, 10)]), vec![vec![71]]);
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.25), 2.0);
    }
}
