//! klimapartner: the pipeline in one screen.
//!
//! config → ingest (files → observations) → compute (observations → facts) → chart and render
//! (facts → view models → Typst → PDF) → output (atomic writes, indicators.csv/json).

pub mod chart;
pub mod cli;
pub mod compute;
pub mod config;
pub mod error;
pub mod format;
pub mod formula;
pub mod ingest;
pub mod log;
pub mod model;
pub mod output;
pub mod render;
pub mod shard;
pub mod validate;

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

use anyhow::{anyhow, bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

use cli::{BuildArgs, CheckArgs, DocumentKind, FontsArgs};
use model::{Ags, RefDate};
use render::Renderer;

/// Partnerships up to this size are compared in full: every chart lists every member and the
/// handbook is written. Larger ones (a county, a state, all of Germany) show each member among its
/// [`PEERS`] and get partnership.csv instead of a handbook.
pub const FULL_COMPARISON_MAX: usize = 50;

/// Members shown in the comparison charts of a large partnership's documents: the member and its
/// nearest neighbours by population within the same district (first five digits of the AGS).
pub const PEERS: usize = 10;

/// Runs the whole pipeline and writes the documents.
pub fn build(args: &BuildArgs) -> Result<()> {
    let started = Instant::now();
    thread_pool(args.scale.jobs)?.install(|| build_in_pool(args, started))
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

/// One document to write.
#[derive(Clone, Copy)]
struct Job {
    kind: render::DocKind,
    /// Index into `facts.members`; `None` for the handbook.
    member: Option<usize>,
}

enum Outcome {
    Written(output::ManifestEntry),
    Unchanged(output::ManifestEntry),
    Failed(String),
}

/// Per-document timings in nanoseconds (busy time of the worker thread).
#[derive(Default)]
struct Timing {
    /// View model, charts, template, content hash, `--keep-typst`.
    prepare: u64,
    /// typst compile and PDF export.
    typeset: u64,
    write: u64,
}

fn build_in_pool(args: &BuildArgs, started: Instant) -> Result<()> {
    let sc = &args.scale;
    let (partnership, config_warnings) = load_config(&args.inputs, sc.config.as_deref())?;
    let year = args.year.unwrap_or(partnership.reporting_year);
    let mut selected = select_members(&partnership, &args.members)?;
    let shard_members = sc.shard.map(|s| shard::members(&partnership, s));
    if let Some(mine) = &shard_members {
        selected.retain(|a| mine.contains(a));
    }
    let kinds = document_kinds(&sc.documents);
    let key = run_key(args)?;
    // One run at a time per output folder, from the rerun check to the manifest; a second one fails
    // at once (see `output::lock_folder`).
    std::fs::create_dir_all(&args.output)
        .with_context(|| format!("cannot create the output folder {}", args.output.display()))?;
    let _lock = output::lock_folder(&args.output, false)?;
    if !sc.force && sc.keep_typst.is_none() {
        if let Some(last) = output::Manifest::load(&args.output).unchanged_run(&args.output, &key) {
            for w in &last.warnings {
                crate::errln!("warning: {w}");
            }
            crate::errln!(
                "0 PDF(s) written, {} unchanged, and indicators.csv/json ({} rows){} in {} after {:.1} s: \
                 inputs, templates, options and program are those of the last run, and all its files are \
                 in place (--force rebuilds)",
                last.pdfs,
                last.indicator_rows,
                sc.shard.map(|s| format!(" (shard {s})")).unwrap_or_default(),
                args.output.display(),
                started.elapsed().as_secs_f64()
            );
            return Ok(());
        }
    }
    // Fonts and typst's standard library load on a spare thread while the inputs are read.
    std::thread::spawn(|| {
        render::world::Typesetter::shared();
    });
    let cpu0 = cpu_seconds();
    let mut data = read_inputs(&args.inputs, &partnership)?;
    // No empty documents (nor empty columns in the handbook's comparisons): a member (of the shard)
    // without any figure up to the year is an error, before anything is written, as in `check`.
    let empty = ingest::without_data(
        &data.observations,
        partnership
            .members
            .iter()
            .filter(|m| shard_members.as_ref().is_none_or(|s| s.contains(&m.ags)))
            .map(|m| (&m.ags, m.name.as_str())),
        year,
    );
    if !empty.is_empty() {
        bail!("{} member(s) without data:\n{}", empty.len(), empty.join("\n"));
    }
    // The configuration's warnings first; they also go into the manifest with the inputs' ones.
    let warnings: Vec<String> = config_warnings.iter().chain(&data.warnings).cloned().collect();
    for w in &warnings {
        crate::errln!("warning: {w}");
    }
    let (t_ingest, cpu_ingest) = (started.elapsed(), cpu_seconds() - cpu0);
    let rss_ingest = peak_rss_mb();
    let cpu1 = cpu_seconds();
    let facts = compute::compute(&partnership, &data, year);
    // The documents are made from the facts; the observations (a national run holds ~700,000)
    // are not needed any more.
    data.observations = Vec::new();
    let large = partnership.members.len() > FULL_COMPARISON_MAX;
    let peers = large.then(|| Peers::new(&facts));
    let (t_compute, cpu_compute) = (started.elapsed() - t_ingest, cpu_seconds() - cpu1);
    let rss_compute = peak_rss_mb();

    let mut renderer = Renderer::new(&args.lang, source_date_epoch()?, args.templates.as_deref())?;
    if large && renderer.date_override.is_none() {
        // Documents see only their peers; stamp them all with the partnership's data date.
        renderer.date_override = Some(latest_date(&facts));
    }
    std::fs::create_dir_all(&args.output)
        .with_context(|| format!("cannot create the output folder {}", args.output.display()))?;
    let old_manifest = output::Manifest::load(&args.output);

    let mut jobs: Vec<Job> = Vec::new();
    for (i, m) in facts.members.iter().enumerate() {
        if selected.contains(&m.member.ags) {
            for kind in [render::DocKind::Report, render::DocKind::Briefing] {
                if kinds.contains(&kind) {
                    jobs.push(Job { kind, member: Some(i) });
                }
            }
        }
    }
    if kinds.contains(&render::DocKind::Handbook) && sc.shard.is_none_or(|s| s.k == 1) {
        if large {
            crate::errln!(
                "note: no handbook for a partnership of {} members (more than {FULL_COMPARISON_MAX}); the partnership's figures are in partnership.csv",
                partnership.members.len()
            );
        } else {
            jobs.push(Job {
                kind: render::DocKind::Handbook,
                member: None,
            });
        }
    }

    // Longest first (handbook, reports, briefings), so no long document starts last while the other
    // threads are idle. Output does not depend on the order.
    jobs.sort_by_key(|j| match j.kind {
        render::DocKind::Handbook => 0,
        render::DocKind::Report => 1,
        render::DocKind::Briefing => 2,
    });
    let progress = progress_bar(jobs.len() as u64);
    let t_docs = Instant::now();
    type Writer = std::sync::mpsc::SyncSender<(String, Vec<u8>, Instant)>;
    let run_job = |job: &Job, writer: &Writer| -> (Timing, String, Outcome) {
        let mut timing = Timing::default();
        let t0 = Instant::now();
        let member = job.member.map(|i| &facts.members[i]);
        let name = file_name(job.kind, year, member.map(|m| (&m.member.ags, m.member.name.as_str())));
        let ident = match member {
            Some(m) => format!("{}-{}-{year}", job.kind.slug(), m.member.ags),
            None => format!("handbuch-{year}"),
        };
        progress.set_message(name.clone());
        let result = (|| -> Result<Outcome> {
            let generated = match (job.kind, member) {
                (render::DocKind::Handbook, _) | (_, None) => renderer.handbook(&partnership, &data, &facts)?,
                (kind, Some(m)) => {
                    let peer_facts = peers.as_ref().map(|p| p.facts_for(job.member.unwrap_or(0), &facts));
                    let view_facts = peer_facts.as_ref().unwrap_or(&facts);
                    let m = peer_facts
                        .as_ref()
                        .and_then(|pf| pf.members.iter().find(|x| x.member.ags == m.member.ags))
                        .unwrap_or(m);
                    match kind {
                        render::DocKind::Briefing => renderer.briefing(&partnership, &data, view_facts, m)?,
                        _ => renderer.report(&partnership, &data, view_facts, m)?,
                    }
                }
            };
            let hash = output::document_hash(&generated.source, &generated.files, &ident, &generated.date.iso());
            if let Some(dir) = &sc.keep_typst {
                keep_typst(dir, &name, &generated)?;
            }
            if !sc.force && old_manifest.unchanged(&args.output, &name, &hash) {
                let entry = old_manifest.documents[&name].clone();
                timing.prepare = t0.elapsed().as_nanos() as u64;
                return Ok(Outcome::Unchanged(entry));
            }
            timing.prepare = t0.elapsed().as_nanos() as u64;
            let t1 = Instant::now();
            let pdf = generated.compile(&ident)?;
            timing.typeset = t1.elapsed().as_nanos() as u64;
            let t2 = Instant::now();
            let entry = output::ManifestEntry {
                hash,
                bytes: pdf.len() as u64,
            };
            // Written (and synced) by the writer thread; a failure there is reported after the run.
            writer
                .send((name.clone(), pdf, t0))
                .map_err(|_| anyhow!("the writer thread has stopped"))?;
            timing.write = t2.elapsed().as_nanos() as u64;
            Ok(Outcome::Written(entry))
        })();
        progress.inc(1);
        let ms = t0.elapsed().as_millis();
        let outcome = match result {
            // Logged by the writer thread once the file is in place.
            Ok(o @ Outcome::Written(_)) => o,
            Ok(o) => {
                log_line(&progress, &format!("unchanged {name} ({ms} ms)"));
                o
            }
            Err(e) => Outcome::Failed(format!("{e:#}")),
        };
        (timing, name, outcome)
    };
    // PDFs go to one writer thread through a short queue, so the typesetting threads never wait for
    // the disk (each file is synced before its rename) and at most a few PDFs are held at a time.
    let (results, write_errors) = std::thread::scope(|scope| {
        let (write_tx, write_rx) = std::sync::mpsc::sync_channel::<(String, Vec<u8>, Instant)>(4);
        let progress = &progress;
        let writing = scope.spawn(move || {
            let mut errors: std::collections::HashMap<String, String> = std::collections::HashMap::new();
            for (name, pdf, t0) in write_rx {
                // "written" only once the file is in place under its name.
                match output::write_atomic(&args.output, &name, &pdf) {
                    Ok(()) => log_line(progress, &format!("written {name} ({} ms)", t0.elapsed().as_millis())),
                    Err(e) => {
                        errors.insert(name, format!("{e:#}"));
                    }
                }
            }
            errors
        });
        let results = run_parallel(&jobs, rayon::current_num_threads(), |job| run_job(job, &write_tx));
        drop(write_tx);
        (results, writing.join().unwrap_or_default())
    });
    progress.finish_and_clear();
    let t_docs = t_docs.elapsed();

    let mut failures: Vec<String> = facts
        .failures
        .iter()
        .filter(|(m, _)| shard_members.as_ref().is_none_or(|s| s.contains(&m.ags)))
        .map(|(m, e)| format!("{} ({}): {e}", m.name, m.ags))
        .collect();
    let mut manifest = old_manifest;
    manifest.tool = output::Manifest::tool();
    let mut run_files: Vec<String> = Vec::new();
    let (mut written, mut unchanged) = (0, 0);
    let mut total = Timing::default();
    for (job, (timing, name, mut outcome)) in jobs.iter().zip(results) {
        if let (Outcome::Written(_), Some(e)) = (&outcome, write_errors.get(&name)) {
            outcome = Outcome::Failed(e.clone());
        }
        total.prepare += timing.prepare;
        total.typeset += timing.typeset;
        total.write += timing.write;
        match outcome {
            Outcome::Written(e) => {
                written += 1;
                run_files.push(name.clone());
                manifest.documents.insert(name, e);
            }
            Outcome::Unchanged(e) => {
                unchanged += 1;
                run_files.push(name.clone());
                manifest.documents.insert(name, e);
            }
            Outcome::Failed(e) => {
                manifest.documents.remove(&name);
                failures.push(match job.member.map(|i| &facts.members[i].member) {
                    Some(m) => format!("{} ({}), {name}: {e}", m.name, m.ags),
                    None => format!("handbook, {name}: {e}"),
                });
            }
        }
    }

    let t_out = Instant::now();
    let in_shard = |a: &Ags| shard_members.as_ref().is_none_or(|s| s.contains(a));
    // Streamed from the facts (a national run has about 400,000 indicator rows), never held whole.
    let label = |id: &str| renderer.locale.label("label", id);
    let rows = || output::indicator_rows(&facts, in_shard, label);
    let out = &args.output;
    // The CSV pass also counts the rows and sums them up for partnership.csv.
    let mut n_rows = 0;
    let mut summary = output::PartnershipSummary::default();
    // A file that cannot be written (a full disk) does not stop the others; it is listed at the end.
    let mut data_files = DataFiles::default();
    let csv = output::write_atomic_with(out, "indicators.csv", |w| {
        output::write_csv(
            w,
            rows().inspect(|r| {
                n_rows += 1;
                summary.add(r);
            }),
        )
    });
    if csv.is_err() {
        // The pass stopped part way: count and sum up again for the log and partnership.csv.
        (n_rows, summary) = (0, output::PartnershipSummary::default());
        for r in rows() {
            n_rows += 1;
            summary.add(&r);
        }
    }
    data_files.record("indicators.csv", csv);
    data_files.record(
        "indicators.json",
        output::write_atomic_with(out, "indicators.json", |w| output::write_json(w, rows())),
    );
    if output::rating_rows(&facts, in_shard).next().is_some() {
        data_files.record(
            "ratings.csv",
            output::write_atomic_with(out, "ratings.csv", |w| {
                output::write_csv(w, output::rating_rows(&facts, in_shard))
            }),
        );
        data_files.record(
            "recommendations.csv",
            output::write_atomic_with(out, "recommendations.csv", |w| {
                output::write_csv(w, output::recommendation_rows(&facts, in_shard))
            }),
        );
    }
    match sc.shard {
        Some(s) => {
            let run = shard::run_id(&partnership, year, &format!("{:?}", kinds), &args.lang);
            let info = shard::info(&partnership, s, run, year);
            let mut json = serde_json::to_vec_pretty(&info)?;
            json.push(b'\n');
            data_files.record(shard::SHARD_FILE, output::write_atomic(out, shard::SHARD_FILE, &json));
        }
        None => {
            let summary = summary.finish();
            data_files.record(
                "partnership.csv",
                output::write_atomic_with(out, "partnership.csv", |w| output::write_csv(w, &summary)),
            );
        }
    }
    let data_written = data_files.failed.is_empty();
    run_files.append(&mut data_files.written);
    failures.append(&mut data_files.failed);
    // Only a run without failures may be skipped next time.
    manifest.run = failures.is_empty().then(|| output::RunRecord {
        key,
        pdfs: written + unchanged,
        indicator_rows: n_rows,
        files: run_files
            .into_iter()
            .filter_map(|f| Some((std::fs::metadata(out.join(&f)).ok()?.len(), f)).map(|(len, f)| (f, len)))
            .collect(),
        warnings: warnings.clone(),
    });
    if let Err(e) = output::write_atomic(&args.output, output::MANIFEST, &manifest.to_json()?) {
        failures.push(format!("{}: {e:#}", output::MANIFEST));
    }
    let t_out = t_out.elapsed();

    let shard_text = sc.shard.map(|s| format!(" (shard {s})")).unwrap_or_default();
    crate::errln!(
        "{written} PDF(s) written, {unchanged} unchanged, and {} ({} rows){shard_text} in {} after {:.1} s",
        if data_written {
            "indicators.csv/json"
        } else {
            "not all data files (see below)"
        },
        n_rows,
        args.output.display(),
        started.elapsed().as_secs_f64()
    );
    // Where the time went: ingest and compute as CPU time of the process (they use several
    // threads), documents as busy time of the worker threads.
    let ns = |v: u64| v as f64 / 1e9;
    let other = cpu_ingest + cpu_compute + ns(total.prepare) + ns(total.write) + t_out.as_secs_f64();
    let all = other + ns(total.typeset);
    crate::errln!(
        "time: ingest {:.2} s ({:.2} s CPU), compute {:.2} s ({:.2} s CPU), documents {:.2} s on {} threads \
         (CPU: prepare {:.2} s, typeset {:.2} s, write {:.2} s), output files {:.2} s; non-typesetting share {:.1} %; \
         peak memory after ingest {rss_ingest} MB, after compute {rss_compute} MB, at the end {} MB",
        t_ingest.as_secs_f64(),
        cpu_ingest,
        t_compute.as_secs_f64(),
        cpu_compute,
        t_docs.as_secs_f64(),
        rayon::current_num_threads(),
        ns(total.prepare),
        ns(total.typeset),
        ns(total.write),
        t_out.as_secs_f64(),
        if all > 0.0 { other / all * 100.0 } else { 0.0 },
        peak_rss_mb()
    );
    if !failures.is_empty() {
        bail!(
            "{} document(s), file(s) or member(s) failed:\n  {}",
            failures.len(),
            failures.join("\n  ")
        );
    }
    Ok(())
}

/// The data files of a run (CSV, JSON) that were written and those that failed, with the reason.
#[derive(Default)]
struct DataFiles {
    written: Vec<String>,
    failed: Vec<String>,
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

/// Key of everything a build's output is made from: the program (version and the executable's
/// bytes, which hold the built-in templates, locales and fonts), the options that change what is
/// written, the partnership file, the template overrides and every file under the inputs folder.
/// Reading it all takes a fraction of a second, even for a national run.
fn run_key(args: &BuildArgs) -> Result<String> {
    let mut h = blake3::Hasher::new();
    let mut field = |b: &[u8]| {
        h.update(&(b.len() as u64).to_le_bytes());
        h.update(b);
    };
    field(output::Manifest::tool().as_bytes());
    let exe = std::env::current_exe().context("cannot find the program's own file")?;
    field(&std::fs::read(&exe).with_context(|| format!("cannot read {}", exe.display()))?);
    let sc = &args.scale;
    let options = format!(
        "year {:?}; members {:?}; lang {}; documents {:?}; shard {:?}; SOURCE_DATE_EPOCH {:?}",
        args.year,
        args.members,
        args.lang,
        sc.documents,
        sc.shard.map(|s| (s.k, s.n)),
        std::env::var("SOURCE_DATE_EPOCH").ok()
    );
    field(options.as_bytes());
    // (name, path, the folder it lies in if it is not named on the command line itself)
    let mut files: Vec<(String, std::path::PathBuf, Option<std::path::PathBuf>)> = Vec::new();
    if let Some(config) = &sc.config {
        files.push(("config".into(), config.clone(), None));
    }
    for (label, root) in [
        ("templates", args.templates.as_deref()),
        ("inputs", Some(args.inputs.as_path())),
    ] {
        let Some(root) = root else { continue };
        for entry in walkdir::WalkDir::new(root).follow_links(false).sort_by_file_name() {
            let entry = entry.with_context(|| format!("cannot list {}", root.display()))?;
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
                files.push((
                    format!("{label}/{}", rel.display()),
                    entry.path().to_path_buf(),
                    Some(root.to_path_buf()),
                ));
            }
        }
    }
    for (name, path, root) in files {
        field(name.as_bytes());
        let place = match &root {
            Some(root) => ingest::policy::Place::Inside(root),
            None => ingest::policy::Place::Named,
        };
        field(&ingest::policy::read_file(place, &path, &name)?);
    }
    Ok(h.finalize().to_hex().to_string())
}

/// Runs `f` over `jobs` on `threads` plain worker threads, each taking the next job when it is done
/// (documents differ in size), and returns the results in job order. Not rayon tasks: typst uses
/// rayon inside a compilation, and a rayon worker waiting for those tasks may steal a whole other
/// document, which makes per-document times meaningless. Results are small; the PDFs are already
/// written, so memory does not grow with the number of documents.
fn run_parallel<J: Sync, R: Send>(jobs: &[J], threads: usize, f: impl Fn(&J) -> R + Sync) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let slots: std::sync::Mutex<Vec<Option<R>>> = std::sync::Mutex::new(jobs.iter().map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, jobs.len().max(1)) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(job) = jobs.get(i) else { break };
                let r = f(job);
                if let Ok(mut slots) = slots.lock() {
                    slots[i] = Some(r);
                }
            });
        }
    });
    slots
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .flatten()
        .collect()
}

/// The kinds of document `--documents` asks for (empty or `all`: every kind).
fn document_kinds(sel: &[DocumentKind]) -> Vec<render::DocKind> {
    use render::DocKind;
    if sel.contains(&DocumentKind::None) {
        return Vec::new();
    }
    if sel.is_empty() || sel.contains(&DocumentKind::All) {
        return vec![DocKind::Report, DocKind::Briefing, DocKind::Handbook];
    }
    let mut v = Vec::new();
    for (want, kind) in [
        (DocumentKind::Report, DocKind::Report),
        (DocumentKind::Briefing, DocKind::Briefing),
        (DocumentKind::Handbook, DocKind::Handbook),
    ] {
        if sel.contains(&want) {
            v.push(kind);
        }
    }
    v
}

/// The latest reference date of any figure of any member: the date a document of the whole
/// partnership carries (the same rule as the documents' own, applied once).
fn latest_date(facts: &compute::Facts) -> RefDate {
    facts
        .members
        .iter()
        .flat_map(|m| m.figures.iter())
        .filter_map(|f| f.date)
        .max()
        .unwrap_or(RefDate::end_of_year(facts.year))
}

/// Peer groups of a large partnership, computed once: per member the indices (in partnership
/// order) of itself and up to `PEERS − 1` members of the same district nearest in population.
struct Peers {
    of: Vec<Vec<usize>>,
}

impl Peers {
    fn new(facts: &compute::Facts) -> Peers {
        let mut districts: std::collections::BTreeMap<&str, Vec<usize>> = std::collections::BTreeMap::new();
        for (i, m) in facts.members.iter().enumerate() {
            districts.entry(&m.member.ags.as_str()[..5]).or_default().push(i);
        }
        let pop = |i: usize| {
            facts.members[i]
                .population
                .as_ref()
                .map(compute::Population::value)
                .filter(|v| v.is_finite())
                .unwrap_or(0.0)
        };
        let mut of = vec![Vec::new(); facts.members.len()];
        for group in districts.values_mut() {
            group.sort_by(|&a, &b| pop(a).total_cmp(&pop(b)).then(a.cmp(&b)));
            let n = group.len();
            let k = PEERS.min(n);
            for (pos, &i) in group.iter().enumerate() {
                let start = pos.saturating_sub(k / 2).min(n - k);
                let mut peers = group[start..start + k].to_vec();
                peers.sort_unstable();
                of[i] = peers;
            }
        }
        Peers { of }
    }

    /// The facts a document of member `i` sees: its peers, with the whole partnership's figures.
    fn facts_for(&self, i: usize, facts: &compute::Facts) -> compute::Facts {
        compute::Facts {
            year: facts.year,
            members: self.of[i].iter().map(|&j| facts.members[j].clone()).collect(),
            region: facts.region.clone(),
            failures: Vec::new(),
        }
    }
}

/// `--keep-typst DIR`: DIR/<document>/main.typ, its modules and chart files at the paths the source uses.
fn keep_typst(dir: &Path, name: &str, g: &render::Generated) -> Result<()> {
    let root = dir.join(name.trim_end_matches(".pdf"));
    // Every file stays below DIR/<document>/ (`//@file` paths are checked when the template is
    // filled; this is the second line of defence).
    if let Some((bad, _)) = g.files.iter().find(|(p, _)| !render::confined(p)) {
        bail!(
            "--keep-typst: `{bad}` would lie outside {}; nothing written",
            root.display()
        );
    }
    std::fs::create_dir_all(&root).with_context(|| format!("cannot create {}", root.display()))?;
    std::fs::write(root.join("main.typ"), &g.source)?;
    for (path, bytes) in &g.files {
        let target = root.join(path.trim_start_matches('/'));
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&target, bytes).with_context(|| format!("cannot write {}", target.display()))?;
    }
    Ok(())
}

/// CPU time (user + system) of the whole process so far, in seconds; 0 where /proc is missing.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which is in parentheses and may contain spaces).
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
        return 0.0;
    };
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name; 100 ticks/s.
    (ticks(11) + ticks(12)) / 100.0
}

/// Peak resident memory of the process so far (VmHWM), in MB; 0 where /proc is missing.
fn peak_rss_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
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

/// The partnership, and warnings about it (names with characters no bundled font has).
fn load_config(inputs: &Path, config: Option<&Path>) -> Result<(config::Partnership, Vec<String>)> {
    let (mut p, file) = match config {
        Some(file) => (
            config::load_file(file, &file.display().to_string())?,
            file.display().to_string(),
        ),
        None => (config::load(inputs)?, "partnership.toml".to_string()),
    };
    let warnings = printable_names(&mut p, &file);
    Ok((p, warnings))
}

/// Characters of the partnership's names that no bundled font has (an emoji) are replaced visibly
/// (documents, charts and file names then agree); one warning per field.
fn printable_names(p: &mut config::Partnership, file: &str) -> Vec<String> {
    use render::glyphs::replace_in;
    let mut warnings = Vec::new();
    warnings.extend(replace_in(file, "name", &mut p.name));
    warnings.extend(replace_in(file, "publisher", &mut p.publisher));
    for (i, m) in p.members.iter_mut().enumerate() {
        warnings.extend(replace_in(file, &format!("member[{}].name", i + 1), &mut m.name));
    }
    warnings
}

/// Reads and validates all inputs and prints what was found.
pub fn check(args: &CheckArgs) -> Result<()> {
    let (partnership, config_warnings) = load_config(&args.inputs, args.config.as_deref())?;
    let members = partnership.member_keys();
    let year = args.year.unwrap_or(partnership.reporting_year);
    let data = ingest::read_all(&args.inputs, &members);
    let mut per_member: std::collections::HashMap<&Ags, usize> = std::collections::HashMap::new();
    for o in &data.observations {
        *per_member.entry(&o.ags).or_default() += 1;
    }
    crate::outln!(
        "{} – reporting year {}, {} members:",
        partnership.name,
        year,
        partnership.members.len()
    );
    for m in &partnership.members {
        let n = per_member.get(&m.ags).copied().unwrap_or(0);
        crate::outln!("  {} {:<24} {:?}  {n} observations", m.ags, m.name, m.role);
    }
    crate::outln!();
    crate::outln!(
        "{:<52} {:<34} {:<10} {:<16} {:>6}  {:<9}  {:<7}  variables",
        "file",
        "format",
        "encoding",
        "table",
        "rows",
        "years",
        "members"
    );
    for f in &data.files {
        let years = match (f.years.first(), f.years.last()) {
            (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
            (Some(a), _) => a.to_string(),
            _ => "–".into(),
        };
        let vars: Vec<&str> = f.variables.iter().map(String::as_str).collect();
        let shown = if vars.len() > 6 {
            format!("{} … ({} in all)", vars[..6].join(", "), vars.len())
        } else {
            vars.join(", ")
        };
        let mut extra = String::new();
        if !f.districts.is_empty() {
            extra.push_str(&format!(
                " [district{} {}]",
                if f.districts.len() > 1 { "s" } else { "" },
                f.districts.iter().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
        if f.merged > 0 {
            extra.push_str(&format!(" [{} merged from predecessors]", f.merged));
        }
        crate::outln!(
            "{:<52} {:<34} {:<10} {:<16} {:>6}  {:<9}  {:<7}  {shown}{extra}",
            f.path,
            f.format,
            f.encoding,
            f.table,
            f.rows,
            years,
            format!("{}/{}", f.members.len(), members.len()),
        );
    }
    crate::outln!();
    if let Some(factors) = &data.factors {
        crate::outln!(
            "factors: {} emission factors, {} land-use fluxes, {} land-use mappings",
            factors.emission.len(),
            factors.land_flux.len(),
            factors.land_mapping.len()
        );
    }
    let missing = data.observations.iter().filter(|o| o.value.is_err()).count();
    if missing > 0 {
        crate::outln!("{missing} member observation(s) have no value (office symbols . x ... /, empty cells, or a municipality that did not exist yet); they are shown as “no data”.");
    }
    let mut warnings = config_warnings;
    warnings.extend(data.warnings.iter().cloned());
    warnings.extend(ingest::stale(
        &data.observations,
        &members,
        year,
        ingest::STALE_AFTER_YEARS,
    ));
    for w in &warnings {
        crate::outln!("warning: {w}");
    }
    let mut list: Vec<String> = data.errors.iter().map(ToString::to_string).collect();
    // What `build` would refuse: a member whose documents would show no figure.
    if data.errors.is_empty() {
        list.extend(ingest::without_data(
            &data.observations,
            partnership.members.iter().map(|m| (&m.ags, m.name.as_str())),
            year,
        ));
    }
    if !list.is_empty() {
        bail!("{} input error(s):\n{}", list.len(), list.join("\n"));
    }
    crate::outln!(
        "{} observations for members from {} files, {} warning(s): OK",
        data.observations.len(),
        data.files.len(),
        warnings.len()
    );
    Ok(())
}

fn read_inputs(inputs: &Path, partnership: &config::Partnership) -> Result<ingest::Dataset> {
    ingest::ingest(inputs, &partnership.member_keys()).map_err(|errors| {
        let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
        anyhow!("{} input error(s):\n{}", errors.len(), list.join("\n"))
    })
}

fn select_members(p: &config::Partnership, wanted: &[String]) -> Result<BTreeSet<Ags>> {
    if wanted.is_empty() {
        return Ok(p.member_keys());
    }
    let keys = p.member_keys();
    wanted
        .iter()
        .map(|w| {
            let ags = Ags::parse(w).map_err(|e| anyhow!("--member {w}: {e}"))?;
            if keys.contains(&ags) {
                Ok(ags)
            } else {
                let mut list: Vec<String> = keys.iter().take(20).map(|k| k.to_string()).collect();
                if keys.len() > 20 {
                    list.push(format!("… ({} in all)", keys.len()));
                }
                Err(anyhow!(
                    "--member {w}: not a member of the partnership; members are {}",
                    list.join(", ")
                ))
            }
        })
        .collect()
}

/// `bericht_2024_14729410_wurzen.pdf`: kind, year, AGS and a file-safe form of the name.
fn file_name(kind: render::DocKind, year: i32, member: Option<(&Ags, &str)>) -> String {
    match member {
        Some((ags, name)) => format!("{}_{year}_{ags}_{}.pdf", kind.slug(), slug(name)),
        None => format!("{}_{year}.pdf", kind.slug()),
    }
}

fn slug(name: &str) -> String {
    let mut s = String::new();
    for c in name.to_lowercase().chars() {
        match c {
            'ä' => s.push_str("ae"),
            'ö' => s.push_str("oe"),
            'ü' => s.push_str("ue"),
            'ß' => s.push_str("ss"),
            c if c.is_ascii_alphanumeric() => s.push(c),
            _ if !s.ends_with('-') && !s.is_empty() => s.push('-'),
            _ => {}
        }
    }
    let s = s.trim_end_matches('-').chars().take(40).collect::<String>();
    if s.is_empty() {
        "mitglied".into()
    } else {
        s
    }
}

/// The date stamped into documents: `SOURCE_DATE_EPOCH` if set, else the data's own date.
fn source_date_epoch() -> Result<Option<RefDate>> {
    let Ok(v) = std::env::var("SOURCE_DATE_EPOCH") else {
        return Ok(None);
    };
    let secs: i64 = v
        .trim()
        .parse()
        .map_err(|_| anyhow!("SOURCE_DATE_EPOCH=`{v}` is not a number of seconds"))?;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    RefDate::new(year, month, day)
        .map(Some)
        .ok_or_else(|| anyhow!("SOURCE_DATE_EPOCH=`{v}` is out of range"))
}

fn progress_bar(len: u64) -> ProgressBar {
    if std::io::stderr().is_terminal() {
        let pb = ProgressBar::new(len);
        pb.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}").unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        pb
    } else {
        ProgressBar::hidden()
    }
}

/// On a terminal the bar shows progress; otherwise one plain line per document.
fn log_line(pb: &ProgressBar, line: &str) {
    if pb.is_hidden() {
        crate::errln!("{line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe() {
        assert_eq!(slug("Wurzen, Stadt"), "wurzen-stadt");
        assert_eq!(slug("Lößnitz/../x"), "loessnitz-x");
        assert_eq!(slug("#read(\"/etc\")"), "read-etc");
    }
}
