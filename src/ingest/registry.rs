//! The small control files of `inputs/` that say what the statistics mean and where they come
//! from: `sources.toml` (citations and grades per file), `variables.csv` (raw column names →
//! canonical variables) and `municipal_changes.csv` (mergers, so a `-` before a municipality
//! existed is not read as zero).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use super::table;
use crate::error::InputError;
use crate::model::{Ags, Grade, RefDate, Source};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcesFile {
    source: Vec<SourceEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceEntry {
    /// Glob relative to `inputs/`; `*` matches within one path segment.
    path: String,
    publisher: String,
    title: String,
    #[serde(default)]
    table: String,
    licence: String,
    attribution: String,
    grade: Grade,
}

/// Citations per input file.
pub struct SourceRegistry {
    entries: Vec<SourceEntry>,
}

impl SourceRegistry {
    pub fn load(inputs: &Path) -> Result<SourceRegistry, InputError> {
        let text = read_text(inputs, "sources.toml")?;
        super::text::check_toml_texts("sources.toml", &text)?;
        let parsed: SourcesFile = toml::from_str(&text).map_err(|e| {
            let line = e
                .span()
                .map(|s| crate::error::line_of_offset(&text, s.start))
                .unwrap_or(1);
            InputError::new("sources.toml", e.message().to_string(), "each [[source]] needs path, publisher, title, licence, attribution and grade (A, B, C or D); table is optional")
                .at(line)
        })?;
        Ok(SourceRegistry { entries: parsed.source })
    }

    /// The citation for a file, or `None` if no entry matches.
    pub fn lookup(&self, rel: &str) -> Option<Source> {
        self.entries.iter().find(|e| glob_match(&e.path, rel)).map(|e| Source {
            file: rel.to_string(),
            publisher: e.publisher.clone(),
            title: e.title.clone(),
            table: e.table.clone(),
            licence: e.licence.clone(),
            attribution: e.attribution.clone(),
            grade: e.grade,
        })
    }

    /// Whether a source is the placeholder of [`SourceRegistry::unknown`].
    pub fn is_unknown(s: &Source) -> bool {
        s.publisher == UNKNOWN_PUBLISHER && s.table.is_empty()
    }

    /// A source for a file the registry does not know: usable, but graded D and said so.
    pub fn unknown(rel: &str) -> Source {
        Source {
            file: rel.to_string(),
            publisher: UNKNOWN_PUBLISHER.into(),
            title: rel.to_string(),
            table: String::new(),
            licence: String::new(),
            attribution: String::new(),
            grade: Grade::D,
        }
    }
}

const UNKNOWN_PUBLISHER: &str = "Quelle nicht angegeben";

/// Matches `pattern` against a `/`-separated path; `*` matches any characters except `/`.
pub fn glob_match(pattern: &str, path: &str) -> bool {
    fn rec(p: &[u8], s: &[u8]) -> bool {
        match (p.first(), s.first()) {
            (None, None) => true,
            (Some(b'*'), _) => rec(&p[1..], s) || (!s.is_empty() && s[0] != b'/' && rec(p, &s[1..])),
            (Some(a), Some(b)) if a == b => rec(&p[1..], &s[1..]),
            _ => false,
        }
    }
    rec(pattern.as_bytes(), path.as_bytes())
}

/// What a raw variable name means.
#[derive(Debug, Clone)]
pub struct Alias {
    pub variable: String,
    pub category: Option<String>,
    pub unit: Option<String>,
}

/// Raw names (`population:total`, `12411-01-01-5:Insgesamt`, `1000A:PRS018`) → canonical variables.
#[derive(Default)]
pub struct Aliases {
    map: BTreeMap<String, Alias>,
}

impl Aliases {
    pub fn load(inputs: &Path) -> Result<Aliases, InputError> {
        let rel = "variables.csv";
        let text = read_text(inputs, rel)?;
        let (body, first) = skip_comments(&text);
        let t = table::read(rel, body, b',', true, first)?;
        let need = ["raw", "variable", "category", "unit"];
        let idx: Vec<usize> = need
            .iter()
            .map(|n| t.require(rel, n, first, "the header must be: raw,variable,category,unit"))
            .collect::<Result<_, _>>()?;
        let mut map = BTreeMap::new();
        for r in 0..t.height() {
            let raw = t.cell(r, idx[0]).trim().to_string();
            let variable = t.cell(r, idx[1]).trim().to_string();
            if raw.is_empty() || variable.is_empty() {
                return Err(InputError::new(
                    rel,
                    "raw name and variable must not be empty",
                    "fill both columns or delete the line",
                )
                .at(t.line(r)));
            }
            let opt = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
            let alias = Alias {
                variable,
                category: opt(t.cell(r, idx[2])),
                unit: opt(t.cell(r, idx[3])),
            };
            if map.insert(raw.clone(), alias).is_some() {
                return Err(InputError::new(
                    rel,
                    format!("the raw name `{raw}` appears twice"),
                    "keep one line per raw name",
                )
                .at(t.line(r)));
            }
        }
        Ok(Aliases { map })
    }

    pub fn get(&self, raw: &str) -> Option<&Alias> {
        self.map.get(raw)
    }
}

/// A municipality formed on a date (e.g. Lossatal on 1 January 2012).
#[derive(Debug, Clone)]
pub struct Formation {
    pub ags: Ags,
    pub valid_from: RefDate,
    pub predecessors: Vec<Ags>,
}

/// Municipal mergers from `municipal_changes.csv`.
#[derive(Default)]
pub struct MunicipalChanges {
    pub formations: BTreeMap<Ags, Formation>,
}

impl MunicipalChanges {
    pub fn load(inputs: &Path) -> Result<MunicipalChanges, InputError> {
        let rel = "municipal_changes.csv";
        if !super::policy::present(&inputs.join(rel)) {
            return Ok(MunicipalChanges::default());
        }
        let text = read_text(inputs, rel)?;
        Self::from_csv(&text)
    }

    /// Parses the text of `municipal_changes.csv`.
    pub fn from_csv(text: &str) -> Result<MunicipalChanges, InputError> {
        let rel = "municipal_changes.csv";
        let (body, first) = skip_comments(text);
        let t = table::read(rel, body, b',', true, first)?;
        let col = |n: &str| {
            t.require(
                rel,
                n,
                first,
                "the header must be: ags,name,valid_from,predecessors,source",
            )
        };
        let (c_ags, c_from, c_pred) = (col("ags")?, col("valid_from")?, col("predecessors")?);
        let mut formations = BTreeMap::new();
        for r in 0..t.height() {
            let line = t.line(r);
            let ags = Ags::parse(t.cell(r, c_ags))
                .map_err(|m| InputError::new(rel, m, "write the 8-digit AGS").at(line).column("ags"))?;
            let from = t.cell(r, c_from);
            let valid_from = RefDate::parse(from).ok_or_else(|| {
                InputError::new(rel, format!("`{from}` is not a date"), "write the date as YYYY-MM-DD")
                    .at(line)
                    .column("valid_from")
            })?;
            let predecessors = t
                .cell(r, c_pred)
                .split_whitespace()
                .map(|p| {
                    Ags::parse(p).map_err(|m| {
                        InputError::new(rel, m, "list the predecessors' 8-digit AGS separated by spaces")
                            .at(line)
                            .column("predecessors")
                    })
                })
                .collect::<Result<_, _>>()?;
            formations.insert(
                ags.clone(),
                Formation {
                    ags,
                    valid_from,
                    predecessors,
                },
            );
        }
        Ok(MunicipalChanges { formations })
    }

    /// Did the municipality exist on this date? A municipality formed by merger exists from its
    /// `valid_from` on; a predecessor that merged into another ceased to exist on that date (unless it
    /// is the successor itself, as when a town absorbs its neighbours and keeps its key).
    pub fn existed(&self, ags: &Ags, date: RefDate) -> bool {
        if self
            .formations
            .get(ags)
            .is_some_and(|f| date < f.valid_from && !f.predecessors.contains(ags))
        {
            return false;
        }
        self.formations
            .values()
            .all(|f| f.ags == *ags || !f.predecessors.contains(ags) || date < f.valid_from)
    }

    /// The formation a predecessor municipality merged into, if any.
    pub fn successor_of(&self, ags: &Ags) -> Option<&Formation> {
        self.formations
            .values()
            .find(|f| f.ags != *ags && f.predecessors.contains(ags))
    }
}

/// Reads the text file `inputs/rel` under the file policy ([`super::policy::read_file`]).
pub fn read_text(inputs: &Path, rel: &str) -> Result<String, InputError> {
    let bytes = super::policy::read_file(super::policy::Place::Inside(inputs), &inputs.join(rel), rel)?;
    super::text::decode_text(&bytes).map(|(text, _)| text).map_err(|m| {
        InputError::new(
            rel,
            m,
            format!("{rel} must be a text file; restore it from the bundled inputs"),
        )
    })
}

/// Drops leading `#` comment lines; returns the rest and the file line it starts on.
pub fn skip_comments(text: &str) -> (&str, usize) {
    let mut offset = 0;
    let mut line = 1;
    for l in text.split_inclusive('\n') {
        if l.trim_start().starts_with('#') || l.trim().is_empty() {
            offset += l.len();
            line += 1;
        } else {
            break;
        }
    }
    (&text[offset..], line)
}

pub fn shared(source: Source) -> Arc<Source> {
    Arc::new(source)
}
