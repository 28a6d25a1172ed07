//! Ingest: find the statistical exports under `inputs/`, recognise each file's format from its
//! content, and read everything into one tidy list of [`Observation`]s. Ingest knows formats, not
//! meanings: what a column means comes from `inputs/variables.csv`, where it comes from from
//! `inputs/sources.toml`.

pub mod catalogues;
pub mod checks;
pub mod citation;
pub mod coverage;
pub mod factors;
mod formats;
mod genesis;
pub mod geometry;
pub mod known;
pub mod local;
mod mastr;
pub mod mastr_full;
mod merge;
pub mod plausible;
pub mod policy;
pub mod registry;
pub mod similar;
pub mod table;
pub mod text;
mod xlsx;
mod zipped;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use walkdir::WalkDir;

use crate::error::InputError;
pub use factors::Factors;
pub use registry::MunicipalChanges;
use registry::{Alias, Aliases, SourceRegistry};
use text::Cell;

use crate::model::{Ags, Missing, Observation, RefDate, Source};

pub use checks::{stale, without_data, STALE_AFTER_YEARS};

/// Files in `inputs/` that are not statistics: read elsewhere or documentation.
const CONTROL_FILES: &[&str] = &[
    "partnership.toml",
    "sources.toml",
    "variables.csv",
    local::STATUS_FILE,
    local::DECISIONS_FILE,
    "municipal_changes.csv",
    plausible::FILE,
    similar::FILE,
];

/// What one input file held, for `klimapartner check` and the sources annex.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    pub path: String,
    pub format: &'static str,
    pub encoding: &'static str,
    pub table: String,
    pub variables: BTreeSet<String>,
    pub members: BTreeSet<Ags>,
    pub years: BTreeSet<i32>,
    /// Data rows in the file (all municipalities, not only members).
    pub rows: usize,
    /// Districts (5-digit keys) containing members, kept as regional context.
    pub districts: BTreeSet<String>,
    /// Member observations that are sums of predecessors' figures (mergers).
    pub merged: usize,
}

/// The reference tables: everything ingest reads besides the observations. Compute and render
/// read them; nothing changes them after ingest.
pub struct ReferenceTables {
    pub factors: Factors,
    /// Sources of the factor tables, for the annex.
    pub factor_sources: Vec<Arc<Source>>,
    /// The assessment system and the toolbox (empty if `catalogues/` is absent).
    pub catalogues: catalogues::Catalogues,
    /// Adopted measures and their status (`local/measure_status.csv`).
    pub measure_status: Vec<local::MeasureStatus>,
    /// Upcoming council decisions (`local/council_decisions.csv`, optional).
    pub council_decisions: Vec<local::CouncilDecision>,
    /// Members' boundaries for maps (empty without `geometry/`).
    pub boundaries: Vec<geometry::Boundary>,
    /// Similar municipalities nationally (empty without the reference table).
    pub similar: Vec<similar::Row>,
    /// Warnings about members' figures (implausible values, disagreement with the national table
    /// or between files), for the documents' quality notes; compute hands each member its own.
    pub data_warnings: Vec<plausible::DataWarning>,
}

/// What ingest hands on, in two parts: the observations (compute takes them by value and drops
/// them once the facts are made) and the reference tables (kept for the documents).
pub struct Ingested {
    pub observations: Vec<Observation>,
    pub tables: ReferenceTables,
    /// Warnings about the inputs, for the terminal and the manifest.
    pub warnings: Vec<String>,
}

/// Where an observation goes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Target {
    /// A member of the partnership.
    Member(Ags),
    /// A predecessor of a member formed by merger: summed under the member for dates before the merger.
    Predecessor(Ags),
    /// A district (Kreis) containing members, keyed `DDDDD000`: regional context.
    District(Ags),
}

/// Per-file context handed to a format reader.
pub(crate) struct FileCtx<'a> {
    pub rel: String,
    pub source: Arc<Source>,
    aliases: &'a Aliases,
    members: &'a BTreeSet<Ags>,
    changes: &'a MunicipalChanges,
    pub report: FileReport,
    pub out: Vec<Observation>,
    /// Observations of predecessors of members, merged in [`FileCtx::finish`].
    preds: Vec<Observation>,
    /// District observations (regional context).
    pub regional: Vec<Observation>,
    /// Warnings about single rows (e.g. a non-member in the long format).
    pub warnings: Vec<String>,
    /// The file's own column names (`table:column`) that `variables.csv` does not map, and whether
    /// any column was mapped: a file whose columns all map to nothing gets a warning naming them.
    unmapped: BTreeSet<String>,
    mapped: bool,
    /// The value being emitted named by the office's labels instead of its codes (flat files):
    /// tried when neither `variables.csv` nor the built-in tables know the codes.
    pub label_raw: Option<String>,
}

impl<'a> FileCtx<'a> {
    /// A reader's context: `rel` as shown in messages (with the inner name of a ZIP), `path` as
    /// the file's path in `inputs/` for the report.
    pub(crate) fn new(
        rel: String,
        path: &str,
        source: Source,
        aliases: &'a Aliases,
        members: &'a BTreeSet<Ags>,
        changes: &'a MunicipalChanges,
    ) -> FileCtx<'a> {
        FileCtx {
            rel,
            source: Arc::new(source),
            aliases,
            members,
            changes,
            report: FileReport {
                path: path.to_string(),
                format: "",
                encoding: "",
                table: String::new(),
                variables: BTreeSet::new(),
                members: BTreeSet::new(),
                years: BTreeSet::new(),
                rows: 0,
                districts: BTreeSet::new(),
                merged: 0,
            },
            out: Vec::new(),
            preds: Vec::new(),
            regional: Vec::new(),
            warnings: Vec::new(),
            unmapped: BTreeSet::new(),
            mapped: false,
            label_raw: None,
        }
    }

    /// True if observations for this AGS are kept (members of the partnership).
    pub fn wants(&self, ags: &Ags) -> bool {
        self.members.contains(ags)
    }

    /// Where an 8-digit key's observations go, if anywhere.
    pub fn target(&self, ags: &Ags) -> Option<Target> {
        if self.members.contains(ags) {
            return Some(Target::Member(ags.clone()));
        }
        let f = self.changes.successor_of(ags)?;
        self.members.contains(&f.ags).then(|| Target::Predecessor(ags.clone()))
    }

    /// Where a 5-digit district key's observations go: a district-free city that is a member is
    /// the member itself (`14713` → Leipzig `14713000`); a district containing members is kept as
    /// regional context under `DDDDD000`.
    pub fn district_target(&self, code: &str) -> Option<Target> {
        let ags = Ags::from_district(code).ok()?;
        if self.members.contains(&ags) {
            Some(Target::Member(ags))
        } else if self.members.iter().any(|m| m.district() == code) {
            Some(Target::District(ags))
        } else {
            None
        }
    }

    /// What a raw name means: `variables.csv` first (the user's override), then the built-in
    /// knowledge of the official tables; by the file's codes, then by its labels.
    fn resolve(&self, raw: &str) -> Option<&Alias> {
        let known = known::KnownTables::built_in();
        let by = |r: &str| self.aliases.get(r).or_else(|| known.lookup(r));
        by(raw).or_else(|| self.label_raw.as_deref().and_then(by))
    }

    /// Records one cell of a municipality: a member, a predecessor of one, or (dropped) anyone else.
    /// `raw` is the file's own name for the variable, mapped through `variables.csv`; `unit` is
    /// the unit the file states, if any.
    #[allow(clippy::too_many_arguments)]
    pub fn emit(
        &mut self,
        raw: &str,
        ags: &Ags,
        sector: Option<String>,
        date: RefDate,
        cell: Cell,
        flag: Option<String>,
        unit: Option<&str>,
        line: usize,
    ) {
        let target = self.target(ags);
        self.emit_to(target, raw, sector, None, date, cell, flag, unit, line);
    }

    /// Records one cell for a target (`None`: counted for the report, then dropped). A `category`
    /// given here wins over the one from `variables.csv`.
    #[allow(clippy::too_many_arguments)]
    pub fn emit_to(
        &mut self,
        target: Option<Target>,
        raw: &str,
        sector: Option<String>,
        category: Option<String>,
        date: RefDate,
        cell: Cell,
        flag: Option<String>,
        unit: Option<&str>,
        line: usize,
    ) {
        self.report.years.insert(date.year);
        let (variable, alias_category, alias_unit) = match self.resolve(raw) {
            Some(a) => (a.variable.clone(), a.category.clone(), a.unit.clone()),
            None => (raw.to_string(), None, None),
        };
        // Readers name a file's own columns `table:column`; canonical names have no colon.
        if variable.contains(':') {
            if !self.unmapped.contains(raw) {
                self.unmapped.insert(raw.to_string());
            }
        } else {
            self.mapped = true;
        }
        self.report.variables.insert(variable.clone());
        let Some(target) = target else { return };
        let ags = match &target {
            Target::Member(a) | Target::Predecessor(a) | Target::District(a) => a.clone(),
        };
        let value = match cell {
            Cell::Number(v) => Ok(v),
            Cell::Dash if matches!(target, Target::District(_)) => Ok(0.0),
            Cell::Dash if !self.changes.existed(&ags, date) => Err(Missing::NotExisting),
            Cell::Dash => Ok(0.0),
            Cell::Missing(m) => Err(m),
        };
        let unit = alias_unit.or_else(|| unit.map(str::to_string)).unwrap_or_default();
        let obs = Observation {
            ags: ags.clone(),
            variable,
            sector,
            category: category.or(alias_category),
            date,
            value,
            unit,
            source: self.source.clone(),
            line,
            flag,
        };
        match target {
            Target::Member(_) => {
                self.report.members.insert(ags);
                self.out.push(obs);
            }
            Target::Predecessor(_) => self.preds.push(obs),
            Target::District(_) => {
                self.report.districts.insert(ags.district().to_string());
                self.regional.push(obs);
            }
        }
    }

    /// After a file is read: predecessors' figures from before a merger are summed under today's
    /// member (flag `merged`), and one file giving two different values for the same member,
    /// variable and date is an error.
    pub fn finish(&mut self) -> Result<(), InputError> {
        merge::merge_predecessors(
            self.changes,
            &mut self.out,
            std::mem::take(&mut self.preds),
            &mut self.report,
        );
        checks::duplicates_in_file(&self.rel, &self.out)
    }
}

/// Files larger than this are refused before they are read: a partnership's exports are a few
/// megabytes (the national per-AGS tables about 1 MB, the full Zensus file 2 MB); a bigger file is a
/// national download that should be cut to the region, or not a statistics export at all.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// What reading the inputs gave, including the errors, so `check` can show both.
#[derive(Default)]
pub struct Outcome {
    pub observations: Vec<Observation>,
    /// District observations (5-digit keys of districts containing members), keyed `DDDDD000`.
    pub regional: Vec<Observation>,
    pub factors: Option<Factors>,
    pub factor_sources: Vec<Arc<Source>>,
    pub files: Vec<FileReport>,
    pub warnings: Vec<String>,
    /// The warnings about members' figures, typed (also in `warnings` as text).
    pub data_warnings: Vec<plausible::DataWarning>,
    pub errors: Vec<InputError>,
    pub catalogues: catalogues::Catalogues,
    pub measure_status: Vec<local::MeasureStatus>,
    pub council_decisions: Vec<local::CouncilDecision>,
    pub boundaries: Vec<geometry::Boundary>,
}

/// Reads every statistics file under `inputs/` and the reference tables; any error refuses the lot.
pub fn ingest(inputs: &Path, members: &BTreeSet<Ags>) -> Result<Ingested, Vec<InputError>> {
    let mut o = read_all(inputs, members);
    let similar = similar::read(inputs).unwrap_or_else(|e| {
        o.errors.push(e);
        Vec::new()
    });
    match o.factors {
        Some(factors) if o.errors.is_empty() => Ok(Ingested {
            observations: o.observations,
            tables: ReferenceTables {
                factors,
                factor_sources: o.factor_sources,
                catalogues: o.catalogues,
                measure_status: o.measure_status,
                council_decisions: o.council_decisions,
                boundaries: o.boundaries,
                similar,
                data_warnings: o.data_warnings,
            },
            warnings: o.warnings,
        }),
        _ => Err(o.errors),
    }
}

/// The error a run stops with when the inputs have errors: all of them, one a line.
pub fn refused(errors: &[InputError]) -> anyhow::Error {
    let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
    anyhow::anyhow!("{} input error(s):\n{}", errors.len(), list.join("\n"))
}

/// The control files every data file is read with: sources, variable names, municipal changes.
struct Control {
    registry: SourceRegistry,
    aliases: Aliases,
    changes: MunicipalChanges,
}

/// Reads everything it can and collects every error instead of stopping at the first file.
pub fn read_all(inputs: &Path, members: &BTreeSet<Ags>) -> Outcome {
    let mut o = Outcome::default();
    if !inputs.is_dir() {
        o.errors.push(InputError::new(
            inputs.display().to_string(),
            "is not a folder",
            "pass the inputs folder with --inputs DIR",
        ));
        return o;
    }
    let Some(control) = read_control(inputs, &mut o) else {
        return o;
    };
    let data_files = walk(inputs, &mut o);
    read_data_files(inputs, &data_files, &control, members, &mut o);
    read_tables(inputs, &control.registry, members, &mut o);
    check_observations(inputs, &mut o);
    o
}

/// The control files; `None` (with the errors recorded) if one of them is wrong.
fn read_control(inputs: &Path, o: &mut Outcome) -> Option<Control> {
    let registry = SourceRegistry::load(inputs);
    let aliases = Aliases::load(inputs);
    let changes = MunicipalChanges::load(inputs);
    match (registry, aliases, changes) {
        (Ok(registry), Ok(aliases), Ok(changes)) => Some(Control {
            registry,
            aliases,
            changes,
        }),
        (r, a, c) => {
            o.errors.extend(r.err());
            o.errors.extend(a.err());
            o.errors.extend(c.err());
            None
        }
    }
}

/// The data files under `inputs/` in walk order (path, path relative to `inputs/`); what is
/// skipped with a reason becomes a warning.
fn walk(inputs: &Path, o: &mut Outcome) -> Vec<(std::path::PathBuf, String)> {
    let mut data_files: Vec<(std::path::PathBuf, String)> = Vec::new();
    for entry in WalkDir::new(inputs).follow_links(false).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                o.errors.push(InputError::new(
                    e.path().map(|p| relative(inputs, p)).unwrap_or_default(),
                    format!("cannot be read: {e}"),
                    "check the folder's permissions and remove broken links",
                ));
                continue;
            }
        };
        let rel = relative(inputs, entry.path());
        if skipped(&rel) {
            continue;
        }
        if entry.path_is_symlink() {
            // Links are not followed: a link loop cannot hang the run, and every figure comes
            // from a file that is really in inputs/ (and so in the archive of a run's inputs).
            o.warnings.push(format!(
                "{rel}: is a symbolic link; links are not followed — copy the file into inputs/ instead"
            ));
            continue;
        }
        if !entry.file_type().is_file() {
            if !entry.file_type().is_dir() {
                // The file policy: named pipes, sockets and devices are never opened.
                o.warnings.push(format!(
                    "{rel}: is not a regular file (a named pipe, socket or device); skipped — only regular files are read"
                ));
            }
            continue;
        }
        if !formats::data_file(&rel) {
            o.warnings.push(format!(
                "{rel}: not a data file (only .csv, .zip, .json, .geojson, .tsv and .txt are read); skipped"
            ));
            continue;
        }
        data_files.push((entry.into_path(), rel));
    }
    data_files
}
/// Reads the data files on all threads; results are merged back in walk order, so observations,
/// warnings and errors do not depend on the thread count.
fn read_data_files(
    inputs: &Path,
    data_files: &[(std::path::PathBuf, String)],
    control: &Control,
    members: &BTreeSet<Ags>,
    o: &mut Outcome,
) {
    type Read = (Result<Option<FileResult>, InputError>, Vec<String>);
    let read: Vec<Read> = {
        use rayon::prelude::*;
        data_files
            .par_iter()
            .map(|(path, rel)| {
                let mut warnings = Vec::new();
                let r = read_file(
                    inputs,
                    path,
                    rel,
                    &control.registry,
                    &control.aliases,
                    members,
                    &control.changes,
                    &mut warnings,
                );
                (r, warnings)
            })
            .collect()
    };
    for (result, mut warnings) in read {
        o.warnings.append(&mut warnings);
        match result {
            Ok(Some((report, mut obs, mut regional))) => {
                o.observations.append(&mut obs);
                o.regional.append(&mut regional);
                o.files.push(report);
            }
            Ok(None) => {}
            Err(e) => o.errors.push(e),
        }
    }
}

/// The reference tables: factors, catalogues, the local tables and the boundaries.
fn read_tables(inputs: &Path, registry: &SourceRegistry, members: &BTreeSet<Ags>, o: &mut Outcome) {
    match factors::load(inputs, registry) {
        Ok((f, s)) => {
            o.factors = Some(f);
            o.factor_sources = s;
        }
        Err(e) => o.errors.push(e),
    }
    if inputs.join("catalogues").is_dir() {
        match catalogues::load(inputs) {
            Ok(c) => o.catalogues = c,
            Err(e) => o.errors.push(e),
        }
    }
    let measure_ids = o.catalogues.measures.iter().map(|m| m.id.clone()).collect();
    match local::load_status(inputs, members, &measure_ids) {
        Ok(m) => o.measure_status = m,
        Err(e) => o.errors.push(e),
    }
    match local::load_decisions(inputs, members) {
        Ok(d) => o.council_decisions = d,
        Err(e) => o.errors.push(e),
    }
    match geometry::load(inputs, members) {
        Ok(b) => o.boundaries = b,
        Err(e) => o.errors.push(e),
    }
}

/// Checks across files: the plausibility rules, the cross-check with the national table and
/// conflicting figures (those the cross-check named are not named twice).
fn check_observations(inputs: &Path, o: &mut Outcome) {
    let mut found = Vec::new();
    match plausible::Rules::load(inputs) {
        Ok(rules) => {
            let (errors, warnings) = rules.check(&o.observations);
            o.errors.extend(errors);
            found.extend(warnings);
            found.extend(rules.cross_check(&o.observations));
            found.extend(conflicts(&o.observations, &found));
            found.extend(checks::plausibility(&o.observations, |v| rules.covers(v)));
            o.warnings.extend(found.iter().map(ToString::to_string));
        }
        Err(e) => {
            o.errors.push(e);
            found.extend(conflicts(&o.observations, &[]));
            o.warnings.extend(found.iter().map(ToString::to_string));
        }
    }
    o.data_warnings = found;
}

/// Control files, documentation, scripts and hidden files are not statistics.
fn skipped(rel: &str) -> bool {
    CONTROL_FILES.contains(&rel)
        || rel.starts_with("factors/")
        || rel == "factors"
        || rel.starts_with("catalogues/")
        || rel == "catalogues"
        || rel.starts_with("examples/")
        || rel.ends_with(".md")
        || rel.ends_with(".rst")
        || rel.ends_with(".py")
        || rel.ends_with(".sh")
        || rel.starts_with('.')
        || rel.contains("/.")
}

/// What one file gave: its report, the member observations and the district (regional) ones.
pub type FileResult = (FileReport, Vec<Observation>, Vec<Observation>);

/// Reads one statistics file (or the one CSV inside a `*.zip`). `Ok(None)`: not a format we know.
#[allow(clippy::too_many_arguments)]
fn read_file(
    inputs: &Path,
    path: &Path,
    rel: &str,
    registry: &SourceRegistry,
    aliases: &Aliases,
    members: &BTreeSet<Ags>,
    changes: &MunicipalChanges,
    warnings: &mut Vec<String>,
) -> Result<Option<FileResult>, InputError> {
    if rel.to_ascii_lowercase().ends_with(".zip") {
        // The register's full export (gigabytes) is streamed, never read whole.
        let file = policy::open_file(policy::Place::Inside(inputs), path, rel)?;
        if mastr_full::is_full_export(&file) {
            let source = registry.lookup(rel);
            return mastr_full::read_path(file, rel, source, aliases, members, changes, warnings);
        }
    }
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_FILE_BYTES {
        return Err(InputError::new(
            rel,
            format!(
                "is {} MB; files over {} MB are not read",
                size / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            "cut the export to your region before downloading (the offices let you choose the regions), or remove the file from inputs/",
        ));
    }
    let bytes = policy::read_file(policy::Place::Inside(inputs), path, rel)?;
    // No entry in sources.toml: the file's own header is its citation where it has one
    // (read_bytes); otherwise it is cited as unknown, graded D, and said so.
    let source = registry.lookup(rel).unwrap_or_else(|| SourceRegistry::unknown(rel));
    read_bytes(rel, &bytes, source, aliases, members, changes, warnings)
}

/// Reads one file's bytes (no file system), for tests and the fuzz targets: the format is found
/// by content, no `variables.csv` mapping applies, the source is "unknown".
pub fn parse_file(
    rel: &str,
    bytes: &[u8],
    members: &BTreeSet<Ags>,
    changes: &MunicipalChanges,
) -> Result<Option<FileResult>, InputError> {
    let mut warnings = Vec::new();
    let aliases = Aliases::default();
    read_bytes(
        rel,
        bytes,
        SourceRegistry::unknown(rel),
        &aliases,
        members,
        changes,
        &mut warnings,
    )
}

#[allow(clippy::too_many_arguments)]
fn read_bytes(
    rel: &str,
    bytes: &[u8],
    source: Source,
    aliases: &Aliases,
    members: &BTreeSet<Ags>,
    changes: &MunicipalChanges,
    warnings: &mut Vec<String>,
) -> Result<Option<FileResult>, InputError> {
    let workbook = xlsx::is_workbook(rel, bytes);
    let sheet;
    let (bytes, inner) = if workbook {
        // The first sheet as the text of the same table in CSV; readers and citation as for CSV.
        sheet = xlsx::first_sheet_as_text(rel, bytes)?;
        (std::borrow::Cow::Borrowed(sheet.as_bytes()), None)
    } else if bytes.starts_with(b"PK\x03\x04") || rel.to_ascii_lowercase().ends_with(".zip") {
        let (name, data) = zipped::single_csv(rel, bytes, MAX_FILE_BYTES)?;
        (std::borrow::Cow::Owned(data), Some(name))
    } else {
        (std::borrow::Cow::Borrowed(bytes), None)
    };
    let (text, encoding) = text::decode_text(&bytes).map_err(|m| {
        InputError::new(
            rel,
            m,
            "save the table as CSV text (as downloaded from the office), or remove the file from inputs/",
        )
    })?;
    let shown = match &inner {
        Some(name) => format!("{rel} ({name})"),
        None => rel.to_string(),
    };
    text::check_cells(&shown, &text, separator(&text))?;
    let source = if SourceRegistry::is_unknown(&source) {
        citation::from_genesis(rel, &text)
            .or_else(|| citation::from_flat(rel, &text))
            .unwrap_or_else(|| {
                warnings.push(format!(
                    "{rel}: no entry in sources.toml; its figures are cited as unknown and graded D"
                ));
                source
            })
    } else {
        source
    };
    let mut ctx = FileCtx::new(shown, rel, source, aliases, members, changes);
    ctx.report.encoding = encoding;
    formats::read_any(&mut ctx, &text)?;
    if ctx.report.format.is_empty() {
        warnings.push(format!("{rel}: format not recognised, file skipped"));
        return Ok(None);
    }
    ctx.finish()?;
    warnings.append(&mut ctx.warnings);
    if inner.is_some() {
        ctx.report.format = match ctx.report.format {
            "GENESIS flat (ffcsv)" => "GENESIS flat (ffcsv, ZIP)",
            "GENESIS flat (ffcsv, old columns)" => "GENESIS flat (ffcsv old, ZIP)",
            "GENESIS-Tabelle (CSV)" => "GENESIS-Tabelle (CSV, ZIP)",
            other => other,
        };
    } else if workbook {
        ctx.report.format = match ctx.report.format {
            "GENESIS flat (ffcsv)" => "GENESIS flat (ffcsv, XLSX)",
            "GENESIS flat (ffcsv, old columns)" => "GENESIS flat (ffcsv old, XLSX)",
            "GENESIS-Tabelle (CSV)" => "GENESIS-Tabelle (XLSX)",
            other => other,
        };
    }
    warnings.extend(checks::missing_summary(&ctx.report.path, &ctx.out));
    if !ctx.mapped && !ctx.unmapped.is_empty() {
        warnings.push(unmapped_warning(rel, &ctx.report, &ctx.unmapped));
    }
    Ok(Some((ctx.report, ctx.out, ctx.regional)))
}

/// The cell separator of a table, from its first line with content (for placing a character in a
/// message; the format readers decide for themselves).
fn separator(text: &str) -> char {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
    [';', '\t', ',']
        .into_iter()
        .max_by_key(|c| first.matches(*c).count())
        .unwrap_or(',')
}

/// A recognised file none of whose columns means anything to the documents: name the columns.
fn unmapped_warning(rel: &str, report: &FileReport, unmapped: &BTreeSet<String>) -> String {
    let shown: Vec<&str> = unmapped.iter().take(8).map(String::as_str).collect();
    let more = if unmapped.len() > 8 {
        format!(" … ({} in all)", unmapped.len())
    } else {
        String::new()
    };
    format!(
        "{rel}: read as {}, but none of its columns maps to a variable the documents use: {}{more}; \
         add a line `raw,variable,category,unit` for each column you need to variables.csv \
         (e.g. `{},population,,Personen`)",
        report.format,
        shown.join(", "),
        shown.first().copied().unwrap_or("table:column")
    )
}

/// Warns where two files give different values for the same member, variable and date (except
/// where the cross-check with the national table already warned about that figure).
fn conflicts(obs: &[Observation], warned: &[plausible::DataWarning]) -> Vec<plausible::DataWarning> {
    type Key<'a> = (&'a Ags, &'a str, &'a Option<String>, &'a Option<String>, RefDate);
    let named: BTreeSet<(&Ags, &str, &Option<String>, RefDate)> = warned
        .iter()
        .filter(|w| matches!(w.concern, plausible::Concern::National { .. }))
        .map(|w| (&w.ags, w.variable.as_str(), &w.category, w.date))
        .collect();
    let mut seen: BTreeMap<Key<'_>, &Observation> = BTreeMap::new();
    let mut out = Vec::new();
    for o in obs {
        let key = (&o.ags, o.variable.as_str(), &o.sector, &o.category, o.date);
        if let Some(prev) = seen.insert(key, o) {
            if let (Ok(a), Ok(b)) = (prev.value, o.value) {
                let differ = prev.source.file != o.source.file && (a - b).abs() > 1e-9 * a.abs().max(1.0);
                if differ && !named.contains(&(&o.ags, o.variable.as_str(), &o.category, o.date)) {
                    out.push(plausible::DataWarning {
                        ags: o.ags.clone(),
                        variable: o.variable.clone(),
                        category: o.category.clone(),
                        date: o.date,
                        value: b,
                        file: o.source.file.clone(),
                        line: o.line,
                        concern: plausible::Concern::Conflict {
                            file: prev.source.file.clone(),
                            line: prev.line,
                            value: a,
                        },
                    });
                }
            }
        }
    }
    out
}

fn relative(base: &Path, path: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A recognised official table whose columns neither `variables.csv` nor the built-in tables
    /// map (population by age group, 12411-02-03-5): the warning names them.
    #[test]
    fn file_whose_columns_map_to_nothing_is_a_warning_naming_them() {
        let rel = "12411-02-03-5_00_extract_Sachsen-Leipzig.csv";
        let bytes = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/known_tables")
                .join(rel),
        )
        .unwrap();
        let members: BTreeSet<Ags> = [Ags::parse("14729380").unwrap()].into();
        let mut warnings = Vec::new();
        let read = read_bytes(
            rel,
            &bytes,
            SourceRegistry::unknown(rel),
            &Aliases::default(),
            &members,
            &MunicipalChanges::default(),
            &mut warnings,
        )
        .unwrap();
        assert!(read.is_some());
        let w = warnings
            .iter()
            .find(|w| w.contains("none of its columns maps"))
            .expect("warning");
        assert!(
            w.contains("12411-02-03-5:Insgesamt / Altersgruppen") && w.contains("variables.csv"),
            "{w}"
        );
    }
}
