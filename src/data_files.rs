//! The data files of a run, written after the documents: indicators.csv/json, ratings.csv and
//! recommendations.csv (with catalogues), and partnership.csv — or shard.json in a sharded run.
//! A file that cannot be written (a full disk) does not stop the others; it is listed at the end.

use anyhow::Result;

use crate::compute::Facts;
use crate::model::Ags;
use crate::output;
use crate::plan::BuildPlan;
use crate::render::Locale;
use crate::shard;

/// The data files of a run (CSV, JSON) that were written and those that failed, with the reason.
#[derive(Default)]
pub struct DataFiles {
    pub written: Vec<String>,
    pub failed: Vec<String>,
    /// Rows of indicators.csv.
    pub indicator_rows: usize,
}

impl DataFiles {
    fn record(&mut self, name: &str, result: Result<()>) {
        match result {
            Ok(()) => self.written.push(name.to_string()),
            Err(e) => {
                crate::errln!("not written: {name}: {e:#}");
                self.failed.push(format!("{name}: {e:#}"));
            }
        }
    }
}

/// Writes the run's data files into the output folder.
pub fn write(plan: &BuildPlan, facts: &Facts, locale: &Locale) -> Result<DataFiles> {
    let in_shard = |a: &Ags| plan.in_shard(a);
    // Streamed from the facts (a national run has about 400,000 indicator rows), never held whole.
    let label = |id: &str| locale.label("label", id);
    let rows = || output::indicator_rows(facts, in_shard, label);
    let out = &plan.output;
    let mut files = DataFiles::default();
    // The CSV pass also counts the rows and sums them up for partnership.csv.
    let mut summary = output::PartnershipSummary::default();
    let csv = output::write_atomic_with(out, "indicators.csv", |w| {
        output::write_csv(
            w,
            rows().inspect(|r| {
                files.indicator_rows += 1;
                summary.add(r);
            }),
        )
    });
    if csv.is_err() {
        // The pass stopped part way: count and sum up again for the log and partnership.csv.
        (files.indicator_rows, summary) = (0, output::PartnershipSummary::default());
        for r in rows() {
            files.indicator_rows += 1;
            summary.add(&r);
        }
    }
    files.record("indicators.csv", csv);
    files.record(
        "indicators.json",
        output::write_atomic_with(out, "indicators.json", |w| output::write_json(w, rows())),
    );
    if output::rating_rows(facts, in_shard).next().is_some() {
        files.record(
            "ratings.csv",
            output::write_atomic_with(out, "ratings.csv", |w| {
                output::write_csv(w, output::rating_rows(facts, in_shard))
            }),
        );
        files.record(
            "recommendations.csv",
            output::write_atomic_with(out, "recommendations.csv", |w| {
                output::write_csv(w, output::recommendation_rows(facts, in_shard))
            }),
        );
    }
    match plan.shard {
        Some(s) => {
            let p = &plan.partnership;
            let run = shard::run_id(p, plan.year, &format!("{:?}", plan.kinds), &plan.lang);
            let info = shard::info(p, s, run, plan.year);
            let mut json = serde_json::to_vec_pretty(&info)?;
            json.push(b'\n');
            files.record(shard::SHARD_FILE, output::write_atomic(out, shard::SHARD_FILE, &json));
        }
        None => {
            let supply = output::supply_rows(facts);
            if !supply.is_empty() {
                files.record(
                    "supply_curve.csv",
                    output::write_atomic_with(out, "supply_curve.csv", |w| output::write_csv(w, &supply)),
                );
            }
            let summary = summary.finish();
            files.record(
                "partnership.csv",
                output::write_atomic_with(out, "partnership.csv", |w| output::write_csv(w, &summary)),
            );
        }
    }
    Ok(files)
}
