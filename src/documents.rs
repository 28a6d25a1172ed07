//! The documents of a run: one job per PDF (report and briefing per member, the handbook), typeset
//! in parallel on plain worker threads, written by one writer thread, and recorded in the manifest.
//! A document that fails is a typed [`DocumentFailure`]; the others are still written.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::Path;
use std::sync::mpsc::SyncSender;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

use crate::compute::peers::Peers;
use crate::compute::{Facts, MemberFacts};
use crate::model::Ags;
use crate::output::{self, Manifest, ManifestEntry};
use crate::plan::{BuildPlan, FULL_COMPARISON_MAX};
use crate::render::world::TypesetError;
use crate::render::{self, DocKind, Generated, RenderInput, Renderer};
use crate::telemetry::Timing;

/// One document to write.
#[derive(Clone, Copy)]
struct Job {
    kind: DocKind,
    /// Index into `facts.members`; `None` for the handbook.
    member: Option<usize>,
}

/// Why one document was not written. The messages are those of the underlying errors.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// The view model or the template failed.
    #[error("{0:#}")]
    Render(anyhow::Error),
    /// `--keep-typst` could not write the document's Typst files.
    #[error("{0:#}")]
    KeepTypst(anyhow::Error),
    #[error(transparent)]
    Typeset(#[from] TypesetError),
    #[error("the writer thread has stopped")]
    WriterStopped,
    /// The PDF could not be put in place.
    #[error("{0:#}")]
    Write(anyhow::Error),
}

/// A document that was not written: which one, for whom, and why.
#[derive(Debug, thiserror::Error)]
#[error("{}, {document}: {error}", who(.member))]
pub struct DocumentFailure {
    /// The file name of the PDF.
    pub document: String,
    /// The member's name and key; `None` for the handbook.
    pub member: Option<(String, Ags)>,
    pub error: DocumentError,
}

fn who(member: &Option<(String, Ags)>) -> String {
    match member {
        Some((name, ags)) => format!("{name} ({ags})"),
        None => "handbook".to_string(),
    }
}

enum Outcome {
    Written(ManifestEntry),
    Unchanged(ManifestEntry),
    Failed(DocumentError),
}

/// What one job gave.
struct JobResult {
    name: String,
    timing: Timing,
    outcome: Outcome,
}

/// The documents of a run once written: per document whether it was written, unchanged or failed.
pub struct Documents {
    jobs: Vec<Job>,
    results: Vec<JobResult>,
    /// Wall time of all documents.
    pub elapsed: Duration,
}

/// What a run's documents add up to, once recorded in the manifest.
pub struct Tally {
    pub written: usize,
    pub unchanged: usize,
    /// The PDFs of this run (written or unchanged), for the run record.
    pub files: Vec<String>,
    pub failures: Vec<DocumentFailure>,
    /// Busy time of the worker threads, summed over the documents.
    pub busy: Timing,
}

/// A PDF on its way to the writer thread, with the time its job started.
struct Pdf {
    name: String,
    bytes: Vec<u8>,
    started: Instant,
}

/// Everything a job reads.
struct JobContext<'a> {
    plan: &'a BuildPlan,
    input: RenderInput<'a>,
    renderer: &'a Renderer,
    peers: Option<Peers>,
    old: &'a Manifest,
    progress: ProgressBar,
}

/// Writes the documents the plan asks for; `old` is the manifest of the last run (unchanged
/// documents are not typeset again).
pub fn write(plan: &BuildPlan, input: RenderInput<'_>, renderer: &Renderer, old: &Manifest) -> Documents {
    let jobs = jobs(plan, input.facts);
    let cx = JobContext {
        plan,
        input,
        renderer,
        peers: plan.large.then(|| Peers::new(input.facts)),
        old,
        progress: progress_bar(jobs.len() as u64),
    };
    let started = Instant::now();
    // PDFs go to one writer thread through a short queue, so the typesetting threads never wait for
    // the disk (each file is synced before its rename) and at most a few PDFs are held at a time.
    let (results, mut write_errors) = std::thread::scope(|scope| {
        let (write_tx, write_rx) = std::sync::mpsc::sync_channel::<Pdf>(4);
        let progress = &cx.progress;
        let writing = scope.spawn(move || writer(&plan.output, write_rx, progress));
        let results = run_parallel(&jobs, rayon::current_num_threads(), |job| cx.run(job, &write_tx));
        drop(write_tx);
        (results, writing.join().unwrap_or_default())
    });
    cx.progress.finish_and_clear();
    let results = results
        .into_iter()
        .map(|mut r| {
            if let (Outcome::Written(_), Some(e)) = (&r.outcome, write_errors.remove(&r.name)) {
                r.outcome = Outcome::Failed(DocumentError::Write(e));
            }
            r
        })
        .collect();
    Documents {
        jobs,
        results,
        elapsed: started.elapsed(),
    }
}

/// The writer thread: puts each PDF in place and logs it; returns the failures by file name.
fn writer(dir: &Path, pdfs: std::sync::mpsc::Receiver<Pdf>, progress: &ProgressBar) -> HashMap<String, anyhow::Error> {
    let mut errors = HashMap::new();
    for pdf in pdfs {
        // "written" only once the file is in place under its name.
        match output::write_atomic(dir, &pdf.name, &pdf.bytes) {
            Ok(()) => log_line(
                progress,
                &format!("written {} ({} ms)", pdf.name, pdf.started.elapsed().as_millis()),
            ),
            Err(e) => {
                errors.insert(pdf.name, e);
            }
        }
    }
    errors
}

/// The jobs of a run, longest first (handbook, reports, briefings), so no long document starts
/// last while the other threads are idle. Output does not depend on the order.
fn jobs(plan: &BuildPlan, facts: &Facts) -> Vec<Job> {
    let mut jobs: Vec<Job> = Vec::new();
    for (i, m) in facts.members.iter().enumerate() {
        if plan.selected.contains(&m.member.ags) {
            for kind in [DocKind::Report, DocKind::Briefing] {
                if plan.kinds.contains(&kind) {
                    jobs.push(Job { kind, member: Some(i) });
                }
            }
        }
    }
    if plan.handbook_asked() {
        if plan.large {
            crate::errln!(
                "note: no handbook for a partnership of {} members (more than {FULL_COMPARISON_MAX}); the partnership's figures are in partnership.csv",
                plan.partnership.members.len()
            );
        } else {
            jobs.push(Job {
                kind: DocKind::Handbook,
                member: None,
            });
        }
    }
    jobs.sort_by_key(|j| match j.kind {
        DocKind::Handbook => 0,
        DocKind::Report => 1,
        DocKind::Briefing => 2,
    });
    jobs
}

/// One document being made: its file name, its PDF identity and when its job started.
struct Doc<'a> {
    job: &'a Job,
    member: Option<&'a MemberFacts>,
    name: &'a str,
    ident: String,
    started: Instant,
}

impl JobContext<'_> {
    fn run(&self, job: &Job, writer: &SyncSender<Pdf>) -> JobResult {
        let mut timing = Timing::default();
        let started = Instant::now();
        let year = self.plan.year;
        let member = job.member.map(|i| &self.input.facts.members[i]);
        let name = file_name(job.kind, year, member.map(|m| (&m.member.ags, m.member.name.as_str())));
        let ident = match member {
            Some(m) => format!("{}-{}-{year}", job.kind.slug(), m.member.ags),
            None => format!("handbuch-{year}"),
        };
        self.progress.set_message(name.clone());
        let doc = Doc {
            job,
            member,
            name: &name,
            ident,
            started,
        };
        let result = self.make(&doc, &mut timing, writer);
        self.progress.inc(1);
        let ms = started.elapsed().as_millis();
        let outcome = match result {
            // Logged by the writer thread once the file is in place.
            Ok(o @ Outcome::Written(_)) => o,
            Ok(o) => {
                log_line(&self.progress, &format!("unchanged {name} ({ms} ms)"));
                o
            }
            Err(e) => Outcome::Failed(e),
        };
        JobResult { name, timing, outcome }
    }

    /// View, template, hash; then, unless the last run's PDF is still in place, typeset and hand
    /// the PDF to the writer.
    fn make(&self, doc: &Doc<'_>, timing: &mut Timing, writer: &SyncSender<Pdf>) -> Result<Outcome, DocumentError> {
        let generated = self.generate(doc).map_err(DocumentError::Render)?;
        let hash = output::document_hash(&generated.source, &generated.files, &doc.ident, &generated.date.iso());
        if let Some(dir) = &self.plan.keep_typst {
            keep_typst(dir, doc.name, &generated).map_err(DocumentError::KeepTypst)?;
        }
        if !self.plan.force && self.old.unchanged(&self.plan.output, doc.name, &hash) {
            timing.prepare = doc.started.elapsed().as_nanos() as u64;
            return Ok(Outcome::Unchanged(self.old.documents[doc.name].clone()));
        }
        timing.prepare = doc.started.elapsed().as_nanos() as u64;
        let t1 = Instant::now();
        let pdf = generated.compile(&doc.ident)?;
        timing.typeset = t1.elapsed().as_nanos() as u64;
        let t2 = Instant::now();
        let entry = ManifestEntry {
            hash,
            bytes: pdf.len() as u64,
        };
        // Written (and synced) by the writer thread; a failure there is reported after the run.
        writer
            .send(Pdf {
                name: doc.name.to_string(),
                bytes: pdf,
                started: doc.started,
            })
            .map_err(|_| DocumentError::WriterStopped)?;
        timing.write = t2.elapsed().as_nanos() as u64;
        Ok(Outcome::Written(entry))
    }

    /// The document's Typst source and files; a large partnership's member documents see only
    /// the member's peers.
    fn generate(&self, doc: &Doc<'_>) -> Result<Generated> {
        let (kind, m) = match (doc.job.kind, doc.member) {
            (DocKind::Handbook, _) | (_, None) => return self.renderer.handbook(&self.input),
            (kind, Some(m)) => (kind, m),
        };
        let peer_facts = self
            .peers
            .as_ref()
            .map(|p| p.facts_for(doc.job.member.unwrap_or(0), self.input.facts));
        let input = RenderInput {
            facts: peer_facts.as_ref().unwrap_or(self.input.facts),
            ..self.input
        };
        let m = peer_facts
            .as_ref()
            .and_then(|pf| pf.members.iter().find(|x| x.member.ags == m.member.ags))
            .unwrap_or(m);
        match kind {
            DocKind::Briefing => self.renderer.briefing(&input, m),
            _ => self.renderer.report(&input, m),
        }
    }
}

impl Documents {
    /// Records the documents in `manifest` (written and unchanged ones in, failed ones out) and
    /// adds them up.
    pub fn record(self, facts: &Facts, manifest: &mut Manifest) -> Tally {
        let mut tally = Tally {
            written: 0,
            unchanged: 0,
            files: Vec::new(),
            failures: Vec::new(),
            busy: Timing::default(),
        };
        for (job, r) in self.jobs.iter().zip(self.results) {
            tally.busy.add(&r.timing);
            let name = r.name;
            match r.outcome {
                Outcome::Written(e) => {
                    tally.written += 1;
                    tally.files.push(name.clone());
                    manifest.documents.insert(name, e);
                }
                Outcome::Unchanged(e) => {
                    tally.unchanged += 1;
                    tally.files.push(name.clone());
                    manifest.documents.insert(name, e);
                }
                Outcome::Failed(error) => {
                    // The last run's file is still in place (files are replaced only whole, by a
                    // rename), so its entry stays true: it is kept, and a later run finds the file
                    // unchanged if it is (`Manifest::unchanged` checks the file's size too).
                    tally.failures.push(DocumentFailure {
                        document: name,
                        member: job
                            .member
                            .map(|i| &facts.members[i].member)
                            .map(|m| (m.name.clone(), m.ags.clone())),
                        error,
                    });
                }
            }
        }
        tally
    }
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

/// `--keep-typst DIR`: DIR/<document>/main.typ, its modules and chart files at the paths the source uses.
fn keep_typst(dir: &Path, name: &str, g: &Generated) -> Result<()> {
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

/// `bericht_2024_14729410_wurzen.pdf`: kind, year, AGS and a file-safe form of the name.
fn file_name(kind: DocKind, year: i32, member: Option<(&Ags, &str)>) -> String {
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
