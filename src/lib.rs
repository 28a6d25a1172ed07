//! klimapartner: the pipeline in one screen.
//!
//! plan (what to build, resolved once) → ingest (files → observations and reference tables) →
//! compute (observations → facts) → documents (facts → view models and charts → Typst → PDF, typeset
//! in parallel, written by one writer thread) → data files (indicators.csv/json, …) → manifest.

pub mod chart;
pub mod check;
pub mod cli;
pub mod compute;
pub mod config;
pub mod data_files;
pub mod documents;
pub mod error;
pub mod format;
pub mod formula;
#[doc(hidden)]
pub mod fuzzing;
pub mod ingest;
pub mod init;
pub mod log;
pub mod model;
pub mod output;
pub mod plan;
pub mod reference;
pub mod render;
pub mod shard;
pub mod telemetry;
pub mod validate;

use std::time::Instant;

use anyhow::{bail, Context, Result};

pub use check::check;
use cli::{BuildArgs, FontsArgs};
pub use compute::peers::PEERS;
use compute::Facts;
use data_files::DataFiles;
use documents::Tally;
use ingest::Ingested;
use plan::BuildPlan;
pub use plan::FULL_COMPARISON_MAX;
use render::{RenderInput, Renderer};

/// Runs the whole pipeline and writes the documents.
pub fn build(args: &BuildArgs) -> Result<()> {
    let started = Instant::now();
    thread_pool(args.scale.jobs)?.install(|| run(args, started))
}

fn thread_pool(jobs: Option<usize>) -> Result<rayon::ThreadPool> {
    let n = jobs
        .or_else(|| std::thread::available_parallelism().ok().map(usize::from))
        .unwrap_or(1)
        .max(1);
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .context("cannot start worker threads")
}

/// The pipeline, on the run's thread pool.
fn run(args: &BuildArgs, started: Instant) -> Result<()> {
    let plan = BuildPlan::new(args)?;
    let _lock = lock_output(&plan)?;
    if plan.may_skip() && skipped_unchanged(&plan, started) {
        return Ok(());
    }
    // Fonts and typst's standard library load on a spare thread while the inputs are read.
    std::thread::spawn(|| {
        render::world::Typesetter::shared();
    });
    let mut clock = telemetry::Clock::start(started);
    let Ingested {
        observations,
        tables,
        warnings,
    } = ingest_inputs(&plan)?;
    let ingest_stage = clock.stage();
    let facts = compute::compute(&plan.partnership, observations, &tables, plan.year);
    let compute_stage = clock.stage();

    let renderer = Renderer::new(&plan.lang, plan.date.for_all(&facts), plan.templates.as_deref())?;
    let mut manifest = output::Manifest::load(&plan.output);
    let input = RenderInput {
        partnership: &plan.partnership,
        tables: &tables,
        facts: &facts,
    };
    let documents = documents::write(&plan, input, &renderer, &manifest);
    let documents_time = documents.elapsed;
    manifest.tool = output::Manifest::tool();
    let tally = documents.record(&facts, &mut manifest);

    let output_started = Instant::now();
    let data = data_files::write(&plan, &facts, &renderer.locale)?;
    let failures = write_manifest(&plan, manifest, &facts, &tally, &data, warnings)?;
    let output_time = output_started.elapsed();

    print_summary(&plan, &tally, &data, started);
    telemetry::Report {
        ingest: ingest_stage,
        compute: compute_stage,
        documents: documents_time,
        busy: tally.busy,
        threads: rayon::current_num_threads(),
        output: output_time,
    }
    .print();
    if !failures.is_empty() {
        bail!(
            "{} document(s), file(s) or member(s) failed:\n  {}",
            failures.len(),
            failures.join("\n  ")
        );
    }
    Ok(())
}

/// One run at a time per output folder, from the rerun check to the manifest; a second one fails
/// at once (see `output::lock_folder`).
fn lock_output(plan: &BuildPlan) -> Result<Option<output::FolderLock>> {
    std::fs::create_dir_all(&plan.output)
        .with_context(|| format!("cannot create the output folder {}", plan.output.display()))?;
    output::lock_folder(&plan.output, false)
}

/// True (after saying so) if the last run was made from the same inputs, templates, options and
/// program and all its files are in place: there is nothing to do.
fn skipped_unchanged(plan: &BuildPlan, started: Instant) -> bool {
    let manifest = output::Manifest::load(&plan.output);
    let Some(last) = manifest.unchanged_run(&plan.output, &plan.run_key) else {
        return false;
    };
    for w in &last.warnings {
        crate::errln!("warning: {w}");
    }
    crate::errln!(
        "0 PDF(s) written, {} unchanged, and indicators.csv/json ({} rows){} in {} after {:.1} s: \
         inputs, templates, options and program are those of the last run, and all its files are \
         in place (--force rebuilds)",
        last.pdfs,
        last.indicator_rows,
        plan.shard_text(),
        plan.output.display(),
        started.elapsed().as_secs_f64()
    );
    true
}

/// Reads and checks the inputs, and prints the run's warnings: the configuration's first, then the
/// inputs' (all of them also go into the manifest, and are the warnings returned).
fn ingest_inputs(plan: &BuildPlan) -> Result<Ingested> {
    let data = ingest::ingest(&plan.inputs, &plan.partnership.member_keys()).map_err(|e| ingest::refused(&e))?;
    // No empty documents (nor empty columns in the handbook's comparisons): a member (of the shard)
    // without any figure up to the year is an error, before anything is written, as in `check`.
    let members = plan.partnership.members.iter().filter(|m| plan.in_shard(&m.ags));
    let empty = ingest::without_data(
        &data.observations,
        members.map(|m| (&m.ags, m.name.as_str())),
        plan.year,
    );
    if !empty.is_empty() {
        bail!("{} member(s) without data:\n{}", empty.len(), empty.join("\n"));
    }
    let gaps = check::core_data(plan, &data.observations)?;
    let warnings: Vec<String> = plan
        .config_warnings
        .iter()
        .chain(&data.warnings)
        .chain(&gaps)
        .cloned()
        .collect();
    for w in &warnings {
        crate::errln!("warning: {w}");
    }
    Ok(Ingested { warnings, ..data })
}

/// Writes the manifest; returns every failure of the run (members, documents, data files and the
/// manifest itself). Only a run without failures is recorded, and so may be skipped next time.
fn write_manifest(
    plan: &BuildPlan,
    mut manifest: output::Manifest,
    facts: &Facts,
    tally: &Tally,
    data: &DataFiles,
    warnings: Vec<String>,
) -> Result<Vec<String>> {
    let mut failures: Vec<String> = facts
        .failures
        .iter()
        .filter(|(m, _)| plan.in_shard(&m.ags))
        .map(|(m, e)| format!("{} ({}): {e}", m.name, m.ags))
        .collect();
    failures.extend(tally.failures.iter().map(ToString::to_string));
    failures.extend(data.failed.iter().cloned());
    let out = &plan.output;
    manifest.run = failures.is_empty().then(|| output::RunRecord {
        key: plan.run_key.clone(),
        pdfs: tally.written + tally.unchanged,
        indicator_rows: data.indicator_rows,
        files: tally
            .files
            .iter()
            .chain(&data.written)
            .filter_map(|f| Some((f.clone(), std::fs::metadata(out.join(f)).ok()?.len())))
            .collect(),
        warnings,
    });
    if let Err(e) = output::write_atomic(out, output::MANIFEST, &manifest.to_json()?) {
        failures.push(format!("{}: {e:#}", output::MANIFEST));
    }
    Ok(failures)
}

/// The run's closing line: what was written where, and how long it took.
fn print_summary(plan: &BuildPlan, tally: &Tally, data: &DataFiles, started: Instant) {
    crate::errln!(
        "{} PDF(s) written, {} unchanged, and {} ({} rows){} in {} after {:.1} s",
        tally.written,
        tally.unchanged,
        if data.failed.is_empty() {
            "indicators.csv/json"
        } else {
            "not all data files (see below)"
        },
        data.indicator_rows,
        plan.shard_text(),
        plan.output.display(),
        started.elapsed().as_secs_f64()
    );
}

/// `klimapartner fonts DIR`: the DejaVu Sans faces the program embeds besides typst-assets.
pub fn write_fonts(args: &FontsArgs) -> Result<()> {
    std::fs::create_dir_all(&args.dir).with_context(|| format!("cannot create {}", args.dir.display()))?;
    for (name, bytes) in [
        ("DejaVuSans.ttf", dejavu::sans::regular()),
        ("DejaVuSans-Bold.ttf", dejavu::sans::bold()),
        ("DejaVuSans-Oblique.ttf", dejavu::sans::oblique()),
        ("DejaVuSans-BoldOblique.ttf", dejavu::sans::bold_oblique()),
    ] {
        output::write_atomic(&args.dir, name, bytes)?;
    }
    crate::errln!(
        "4 DejaVu Sans faces in {}; with typst's embedded fonts (typst-assets) they are the program's fonts: \
         typst compile --ignore-system-fonts --font-path {} …",
        args.dir.display(),
        args.dir.display()
    );
    Ok(())
}
