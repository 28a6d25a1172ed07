//! Ingest: find the statistical exports under `inputs/`, recognise each file's format from its
//! content, and read everything into one tidy list of [`Observation`]s. Ingest knows formats, not
//! meanings: what a column means comes from `inputs/variables.csv`, where it comes from from
//! `inputs/sources.toml`.

pub mod catalogues;
pub mod error;
pub mod factors;
mod formats;
pub mod geometry;
pub mod local;
pub mod registry;
pub mod table;
pub mod text;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use walkdir::WalkDir;

pub use error::InputError;
pub use factors::Factors;
use registry::{Aliases, MunicipalChanges, SourceRegistry};
use text::Cell;

use crate::model::{Ags, Missing, Observation, RefDate, Source};

/// Files in `inputs/` that are not statistics: read elsewhere or documentation.
const CONTROL_FILES: &[&str] = &[
    "partnership.toml",
    "sources.toml",
    "variables.csv",
    local::STATUS_FILE,
    "municipal_changes.csv",
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
}

/// Everything ingest hands to compute.
pub struct Dataset {
    pub observations: Vec<Observation>,
    pub factors: Factors,
    pub files: Vec<FileReport>,
    pub warnings: Vec<String>,
    /// Sources of the factor tables, for the annex.
    pub factor_sources: Vec<Arc<Source>>,
    /// The assessment system and the toolbox (empty if `catalogues/` is absent).
    pub catalogues: catalogues::Catalogues,
    /// Adopted measures and their status (`local/measure_status.csv`).
    pub measure_status: Vec<local::MeasureStatus>,
    /// Members' boundaries for maps (empty without `geometry/`).
    pub boundaries: Vec<geometry::Boundary>,
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
}

impl FileCtx<'_> {
    /// True if observations for this AGS are kept (members of the partnership).
    pub fn wants(&self, ags: &Ags) -> bool {
        self.members.contains(ags)
    }

    /// Records one cell. `raw` is the file's own name for the variable, mapped through
    /// `variables.csv`; `unit` is the unit the file states, if any.
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
        self.report.years.insert(date.year);
        let (variable, category, alias_unit) = match self.aliases.get(raw) {
            Some(a) => (a.variable.clone(), a.category.clone(), a.unit.clone()),
            None => (raw.to_string(), None, None),
        };
        self.report.variables.insert(variable.clone());
        if !self.wants(ags) {
            return;
        }
        self.report.members.insert(ags.clone());
        let value = match cell {
            Cell::Number(v) => Ok(v),
            Cell::Dash if !self.changes.existed(ags, date) => Err(Missing::NotExisting),
            Cell::Dash => Ok(0.0),
            Cell::Missing(m) => Err(m),
        };
        let unit = alias_unit.or_else(|| unit.map(str::to_string)).unwrap_or_default();
        self.out.push(Observation {
            ags: ags.clone(),
            variable,
            sector,
            category,
            date,
            value,
            unit,
            source: self.source.clone(),
            line,
            flag,
        });
    }
}

/// Reads every statistics file under `inputs/` and the factor tables.
pub fn ingest(inputs: &Path, members: &BTreeSet<Ags>) -> Result<Dataset, Vec<InputError>> {
    let registry = SourceRegistry::load(inputs).map_err(|e| vec![e])?;
    let aliases = Aliases::load(inputs).map_err(|e| vec![e])?;
    let changes = MunicipalChanges::load(inputs).map_err(|e| vec![e])?;

    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut files = Vec::new();
    let mut observations = Vec::new();

    for entry in WalkDir::new(inputs).follow_links(false).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push(InputError::new(
                    e.path().map(|p| p.display().to_string()).unwrap_or_default(),
                    format!("cannot be read: {e}"),
                    "check the folder's permissions and remove broken links",
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = relative(inputs, entry.path());
        if CONTROL_FILES.contains(&rel.as_str())
            || rel.starts_with("factors/")
            || rel.starts_with("catalogues/")
            || rel.starts_with("examples/")
            || rel.ends_with(".md")
            || rel.starts_with('.')
            || rel.contains("/.")
        {
            continue;
        }
        let bytes = match std::fs::read(entry.path()) {
            Ok(b) => b,
            Err(e) => {
                errors.push(InputError::new(
                    &rel,
                    format!("cannot be read: {e}"),
                    "check that the file is readable",
                ));
                continue;
            }
        };
        let source = match registry.lookup(&rel) {
            Some(s) => s,
            None => {
                warnings.push(format!(
                    "{rel}: no entry in sources.toml; its figures are cited as unknown and graded D"
                ));
                SourceRegistry::unknown(&rel)
            }
        };
        let (text, encoding) = text::decode(&bytes);
        let mut ctx = FileCtx {
            rel: rel.clone(),
            source: Arc::new(source),
            aliases: &aliases,
            members,
            changes: &changes,
            report: FileReport {
                path: rel.clone(),
                format: "",
                encoding,
                table: String::new(),
                variables: BTreeSet::new(),
                members: BTreeSet::new(),
                years: BTreeSet::new(),
                rows: 0,
            },
            out: Vec::new(),
        };
        match formats::read_any(&mut ctx, &text) {
            Ok(()) => {
                if ctx.report.format.is_empty() {
                    warnings.push(format!("{rel}: format not recognised, file skipped"));
                    continue;
                }
                observations.append(&mut ctx.out);
                files.push(ctx.report);
            }
            Err(e) => errors.push(e),
        }
    }

    let (factors, factor_sources) = match factors::load(inputs, &registry) {
        Ok(f) => f,
        Err(e) => {
            errors.push(e);
            return Err(errors);
        }
    };
    let catalogues = if inputs.join("catalogues").is_dir() {
        catalogues::load(inputs).unwrap_or_else(|e| {
            errors.push(e);
            catalogues::Catalogues::default()
        })
    } else {
        catalogues::Catalogues::default()
    };
    let measure_ids = catalogues.measures.iter().map(|m| m.id.clone()).collect();
    let measure_status = local::load_status(inputs, members, &measure_ids).unwrap_or_else(|e| {
        errors.push(e);
        Vec::new()
    });
    let boundaries = geometry::load(inputs, members).unwrap_or_else(|e| {
        errors.push(e);
        Vec::new()
    });
    if !errors.is_empty() {
        return Err(errors);
    }
    warnings.extend(conflicts(&observations));
    Ok(Dataset {
        observations,
        factors,
        files,
        warnings,
        factor_sources,
        catalogues,
        measure_status,
        boundaries,
    })
}

/// Warns where two files give different values for the same member, variable and date.
fn conflicts(obs: &[Observation]) -> Vec<String> {
    type Key<'a> = (&'a Ags, &'a str, &'a Option<String>, &'a Option<String>, RefDate);
    let mut seen: BTreeMap<Key<'_>, &Observation> = BTreeMap::new();
    let mut out = Vec::new();
    for o in obs {
        let key = (&o.ags, o.variable.as_str(), &o.sector, &o.category, o.date);
        if let Some(prev) = seen.insert(key, o) {
            if let (Ok(a), Ok(b)) = (prev.value, o.value) {
                if (a - b).abs() > 1e-9 * a.abs().max(1.0) {
                    out.push(format!(
                        "{} {} {}: {} (line {}) says {a}, {} (line {}) says {b}; the later file is used",
                        o.ags,
                        o.variable,
                        o.date.display(),
                        prev.source.file,
                        prev.line,
                        o.source.file,
                        o.line
                    ));
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
