//! The build plan: what the command line and the partnership file ask for, resolved and checked
//! once before anything is read or written — partnership, reporting year, members, shard, kinds of
//! document, run key, large-partnership mode and the date stamp. Nothing in a plan changes after
//! [`BuildPlan::new`]; the pipeline stages read it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context, Result};

use crate::cli::{BuildArgs, DocumentKind, Shard};
use crate::compute::Facts;
use crate::config::{self, Partnership};
use crate::model::{Ags, RefDate};
use crate::render::DocKind;
use crate::{ingest, output, shard};

/// Partnerships up to this size are compared in full: every chart lists every member and the
/// handbook is written. Larger ones (a county, a state, all of Germany) show each member among its
/// [`PEERS`](crate::PEERS) and get partnership.csv instead of a handbook.
pub const FULL_COMPARISON_MAX: usize = 50;

/// Everything a build does, decided up front.
pub struct BuildPlan {
    pub partnership: Partnership,
    /// Warnings about the partnership file (names with characters no bundled font has).
    pub config_warnings: Vec<String>,
    pub inputs: PathBuf,
    pub output: PathBuf,
    pub templates: Option<PathBuf>,
    pub lang: String,
    pub year: i32,
    /// Members whose documents are written: `--member` (or all), within the shard.
    pub selected: BTreeSet<Ags>,
    pub shard: Option<Shard>,
    /// The shard's members; `None`: the whole partnership.
    shard_members: Option<BTreeSet<Ags>>,
    /// The kinds of document to write, in the order report, briefing, handbook.
    pub kinds: Vec<DocKind>,
    /// Key of everything the output is made from (see `run_key` below).
    pub run_key: String,
    /// More than [`FULL_COMPARISON_MAX`] members: documents compare each member with its peers,
    /// and partnership.csv takes the place of the handbook.
    pub large: bool,
    pub date: DateStamp,
    /// `--force`: typeset every document, and do not skip an unchanged run.
    pub force: bool,
    pub keep_typst: Option<PathBuf>,
    /// `--allow-incomplete`: a member without population or area is written with the gaps marked
    /// instead of stopping the build.
    pub allow_incomplete: bool,
}

/// The date printed and stamped into the documents (never the clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStamp {
    /// `SOURCE_DATE_EPOCH`.
    Fixed(RefDate),
    /// Each document's own data date.
    PerDocument,
    /// A large partnership's documents see only their peers: all carry the partnership's data date.
    Partnership,
}

impl DateStamp {
    /// The date every document carries, if one date is set for all (the renderer's override).
    pub fn for_all(self, facts: &Facts) -> Option<RefDate> {
        match self {
            DateStamp::Fixed(d) => Some(d),
            DateStamp::PerDocument => None,
            DateStamp::Partnership => Some(facts.latest_date()),
        }
    }
}

impl BuildPlan {
    pub fn new(args: &BuildArgs) -> Result<BuildPlan> {
        let sc = &args.scale;
        let (partnership, config_warnings) = load_config(&args.inputs, sc.config.as_deref())?;
        let year = args.year.unwrap_or(partnership.reporting_year);
        let mut selected = select_members(&partnership, &args.members)?;
        let shard_members = sc.shard.map(|s| shard::members(&partnership, s));
        if let Some(mine) = &shard_members {
            selected.retain(|a| mine.contains(a));
        }
        let kinds = document_kinds(&sc.documents);
        let run_key = run_key(args)?;
        let large = partnership.members.len() > FULL_COMPARISON_MAX;
        let date = match (source_date_epoch()?, large) {
            (Some(d), _) => DateStamp::Fixed(d),
            (None, true) => DateStamp::Partnership,
            (None, false) => DateStamp::PerDocument,
        };
        Ok(BuildPlan {
            partnership,
            config_warnings,
            inputs: args.inputs.clone(),
            output: args.output.clone(),
            templates: args.templates.clone(),
            lang: args.lang.clone(),
            year,
            selected,
            shard: sc.shard,
            shard_members,
            kinds,
            run_key,
            large,
            date,
            force: sc.force,
            keep_typst: sc.keep_typst.clone(),
            allow_incomplete: args.allow_incomplete,
        })
    }

    /// True if `ags` is a member of this run's shard (every member without `--shard`).
    pub fn in_shard(&self, ags: &Ags) -> bool {
        self.shard_members.as_ref().is_none_or(|s| s.contains(ags))
    }

    /// True if an unchanged run may be skipped: not `--force`, not `--keep-typst`.
    pub fn may_skip(&self) -> bool {
        !self.force && self.keep_typst.is_none()
    }

    /// True if the handbook is asked for and this run writes it (the first shard, or no shard).
    pub fn handbook_asked(&self) -> bool {
        self.kinds.contains(&DocKind::Handbook) && self.shard.is_none_or(|s| s.k == 1)
    }

    /// ` (shard K/N)`, or nothing.
    pub fn shard_text(&self) -> String {
        self.shard.map(|s| format!(" (shard {s})")).unwrap_or_default()
    }
}

/// The partnership, and warnings about it (names with characters no bundled font has).
pub(crate) fn load_config(inputs: &Path, config: Option<&Path>) -> Result<(Partnership, Vec<String>)> {
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
fn printable_names(p: &mut Partnership, file: &str) -> Vec<String> {
    use crate::render::glyphs::replace_in;
    let mut warnings = Vec::new();
    warnings.extend(replace_in(file, "name", &mut p.name));
    warnings.extend(replace_in(file, "publisher", &mut p.publisher));
    for (i, m) in p.members.iter_mut().enumerate() {
        warnings.extend(replace_in(file, &format!("member[{}].name", i + 1), &mut m.name));
    }
    warnings
}

fn select_members(p: &Partnership, wanted: &[String]) -> Result<BTreeSet<Ags>> {
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

/// The kinds of document `--documents` asks for (empty or `all`: every kind).
fn document_kinds(sel: &[DocumentKind]) -> Vec<DocKind> {
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
    for (name, path, root) in key_files(args)? {
        field(name.as_bytes());
        let place = match &root {
            Some(root) => ingest::policy::Place::Inside(root),
            None => ingest::policy::Place::Named,
        };
        field(&ingest::policy::read_file(place, &path, &name)?);
    }
    Ok(h.finalize().to_hex().to_string())
}

/// A file the run key reads: its name in the key, its path, and the folder it lies in if it is not
/// named on the command line itself.
type KeyFile = (String, PathBuf, Option<PathBuf>);

/// The partnership file given with `--config`, then every file under the templates and the inputs.
fn key_files(args: &BuildArgs) -> Result<Vec<KeyFile>> {
    let mut files: Vec<KeyFile> = Vec::new();
    if let Some(config) = &args.scale.config {
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
    Ok(files)
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
    RefDate::from_unix_seconds(secs)
        .map(Some)
        .ok_or_else(|| anyhow!("SOURCE_DATE_EPOCH=`{v}` is out of range"))
}
