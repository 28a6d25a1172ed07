//! Render: view models per document → minijinja (with Typst escaping) → typst in-process → PDF.
//! Templates hold layout, the locale holds words, Rust holds numbers.

mod common;
mod documents;
pub mod escape;
pub mod glyphs;
pub mod locale;
mod sections;
mod spread;
pub mod world;

use anyhow::{anyhow, Context, Result};
use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

use crate::compute::{Facts, MemberFacts};
use crate::config::Partnership;
use crate::ingest::{policy, ReferenceTables};
use crate::model::RefDate;
pub use locale::Locale;
use world::DocumentWorld;

/// Built-in templates, compiled into the binary.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("theme.typ.j2", include_str!("../../report-templates/theme.typ.j2")),
    ("macros.typ.j2", include_str!("../../report-templates/macros.typ.j2")),
    ("report.typ.j2", include_str!("../../report-templates/report.typ.j2")),
    (
        "briefing.typ.j2",
        include_str!("../../report-templates/briefing.typ.j2"),
    ),
    (
        "handbook.typ.j2",
        include_str!("../../report-templates/handbook.typ.j2"),
    ),
];

/// The kinds of documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Report,
    Briefing,
    Handbook,
}

impl DocKind {
    pub fn template(self) -> &'static str {
        match self {
            DocKind::Report => "report.typ.j2",
            DocKind::Briefing => "briefing.typ.j2",
            DocKind::Handbook => "handbook.typ.j2",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            DocKind::Report => "bericht",
            DocKind::Briefing => "ratsinfo",
            DocKind::Handbook => "handbuch",
        }
    }
}

/// A generated document before it is compiled: Typst source and the chart files it embeds.
pub struct Generated {
    pub source: String,
    pub files: Vec<(String, Vec<u8>)>,
    pub title: String,
    pub date: RefDate,
}

/// What the documents are made from, handed to the renderer as one (like mdBook's `RenderContext`):
/// the partnership, the reference tables and the facts.
#[derive(Clone, Copy)]
pub struct RenderInput<'a> {
    pub partnership: &'a Partnership,
    pub tables: &'a ReferenceTables,
    pub facts: &'a Facts,
}

pub struct Renderer {
    env: Environment<'static>,
    pub locale: Locale,
    /// Date printed and stamped into the PDFs (never the clock).
    pub date_override: Option<RefDate>,
}

/// Instructions one template run may execute (minijinja's fuel). The bundled templates use about
/// 22,000 (handbook of five members), 14,000 (a report) and 3,000 (a briefing): this leaves a margin
/// of several hundred times and stops a runaway loop within seconds.
pub const TEMPLATE_FUEL: u64 = 10_000_000;

impl Renderer {
    /// Sets up templates (built-in, overridden one by one from `templates` if given) and the
    /// locale (with it the number style).
    pub fn new(lang: &str, date_override: Option<RefDate>, templates: Option<&std::path::Path>) -> Result<Renderer> {
        let locale = Locale::load(lang)?;
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // A bound on the work of one document's template: a loop without end (or a nested loop
        // over a huge range in a --templates template) stops with an error naming the template.
        env.set_fuel(Some(TEMPLATE_FUEL));
        // A custom escape mode, so macro output counts as safe and everything else goes through
        // the Typst formatter below.
        env.set_auto_escape_callback(|_| AutoEscape::Custom("typst".into()));
        // Every interpolated value is escaped for Typst markup unless it was produced as markup by us.
        env.set_formatter(|out, _state, value| {
            if value.is_safe() {
                out.write_str(&value.to_string()).map_err(minijinja::Error::from)
            } else if value.is_none() || value.is_undefined() {
                Ok(())
            } else {
                out.write_str(&escape::markup(&glyphs::visible(&value.to_string())))
                    .map_err(minijinja::Error::from)
            }
        });
        // `{{ x|hyphenate_long }}`: markup in which words of 22 or more characters may be hyphenated.
        env.add_filter("hyphenate_long", |v: Value| {
            Value::from_safe_string(escape::markup_hyphenating_long_words(
                &glyphs::visible(&v.to_string()),
                22,
            ))
        });
        // `{{ x|str }}`: a Typst string literal, for code positions (alt text, titles, paths).
        env.add_filter("str", |v: Value| {
            Value::from_safe_string(escape::string_literal(&glyphs::visible(&v.to_string())))
        });
        for (name, src) in TEMPLATES {
            // Inside --templates DIR only regular files are read (the file policy): a template that
            // is a link out of the folder, a FIFO or a folder is an error, not the built-in one.
            let own = templates.map(|d| (d, d.join(name))).filter(|(_, p)| policy::present(p));
            match own {
                Some((dir, path)) => {
                    let bytes = policy::read_file(policy::Place::Inside(dir), &path, &path.display().to_string())
                        .map_err(|e| anyhow!("template {e}"))?;
                    let text = String::from_utf8(bytes).map_err(|_| {
                        anyhow!(
                            "template {}: is not UTF-8 text\n  how to fix: save the template as UTF-8",
                            path.display()
                        )
                    })?;
                    env.add_template_owned(name.to_string(), text)
                        .map_err(|e| template_error(&path.display().to_string(), &e))?;
                }
                None => env
                    .add_template(name, src)
                    .with_context(|| format!("built-in template {name} does not parse"))?,
            }
        }
        if let Some(dir) = templates {
            let entries = std::fs::read_dir(dir)
                .with_context(|| format!("cannot read the templates folder {}", dir.display()))?;
            for e in entries.flatten() {
                let n = e.file_name().to_string_lossy().into_owned();
                if n.ends_with(".j2") && !TEMPLATES.iter().any(|(t, _)| *t == n) {
                    crate::errln!(
                        "warning: {}: not a built-in template name, ignored (names: {})",
                        e.path().display(),
                        TEMPLATES.iter().map(|t| t.0).collect::<Vec<_>>().join(", ")
                    );
                }
            }
        }
        // The locale's words are the same for every document: one global `t`, converted once,
        // instead of a copy in every view model.
        env.add_global("t", Value::from(Serde(locale.texts())));
        Ok(Renderer {
            env,
            locale,
            date_override,
        })
    }

    fn fill(&self, kind: DocKind, view: &impl Serialize) -> Result<String> {
        let tmpl = self.env.get_template(kind.template())?;
        tmpl.render(Value::from(Serde(view))).map_err(|e| {
            let name = e.name().unwrap_or(kind.template()).to_string();
            template_error(&name, &e)
        })
    }

    pub fn report(&self, input: &RenderInput<'_>, m: &MemberFacts) -> Result<Generated> {
        let (view, files) = documents::report(self, input.partnership, input.tables, input.facts, m);
        self.generate(DocKind::Report, &view, files, view.meta.title.clone(), view.meta.date)
    }

    pub fn briefing(&self, input: &RenderInput<'_>, m: &MemberFacts) -> Result<Generated> {
        let (view, files) = documents::briefing(self, input.partnership, input.tables, input.facts, m);
        self.generate(DocKind::Briefing, &view, files, view.meta.title.clone(), view.meta.date)
    }

    pub fn handbook(&self, input: &RenderInput<'_>) -> Result<Generated> {
        let (view, files) = documents::handbook(self, input.partnership, input.tables, input.facts);
        self.generate(DocKind::Handbook, &view, files, view.meta.title.clone(), view.meta.date)
    }

    fn generate(
        &self,
        kind: DocKind,
        view: &impl Serialize,
        files: Vec<(String, Vec<u8>)>,
        title: String,
        date: RefDate,
    ) -> Result<Generated> {
        let filled = self.fill(kind, view)?;
        let (source, mut modules) = split_modules(&filled);
        if let Some((bad, _)) = modules.iter().find(|(p, _)| !confined(p)) {
            anyhow::bail!(
                "template {}: the block `{FILE_MARKER}{bad}` names a file outside the document's folder; \
                 write a path from the document's folder down, such as /theme.typ or /parts/annex.typ, without `..`",
                kind.template()
            );
        }
        modules.extend(files);
        Ok(Generated {
            source,
            files: modules,
            title,
            date,
        })
    }
}

/// Marker lines in a template's output: `//@file /name.typ` starts another Typst file, `//@end`
/// returns to the main source.
const FILE_MARKER: &str = "//@file ";
const END_MARKER: &str = "//@end";

/// True if `path` (as in `//@file /path`) stays inside the document's folder: it starts with `/`
/// (the folder) and goes only down from there — no `..`, no `.`, no empty part. Such paths name the
/// virtual files typst sees and the files `--keep-typst` writes below DIR/<document>/.
pub fn confined(path: &str) -> bool {
    let Some(rest) = path.strip_prefix('/') else {
        return false;
    };
    !rest.is_empty()
        && rest
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != ".." && !part.contains(['\\', '\0']))
}

/// Splits filled template output into the main source and further Typst files.
///
/// Text outside `//@file /path.typ` … `//@end` blocks is `/main.typ`; each block is a file that the
/// main source includes or imports (a block without `//@end` runs to the end). Parts that are the
/// same in many documents (the theme, the sources annex, the glossary) live in their own files:
/// their spans, and with them typst's memoized evaluation and layout, are then the same in every
/// document of a run, and typesetting them again costs a cache lookup.
fn split_modules(filled: &str) -> (String, Vec<(String, Vec<u8>)>) {
    let mut main = String::new();
    let mut modules: Vec<(String, Vec<u8>)> = Vec::new();
    let mut in_module = false;
    for line in filled.split_inclusive('\n') {
        if let Some(path) = line.strip_prefix(FILE_MARKER) {
            modules.push((path.trim().to_string(), Vec::new()));
            in_module = true;
        } else if line.trim_end() == END_MARKER {
            in_module = false;
        } else if let (true, Some((_, text))) = (in_module, modules.last_mut()) {
            text.extend_from_slice(line.as_bytes());
        } else {
            main.push_str(line);
        }
    }
    (main, modules)
}

impl Generated {
    /// Typesets the document; `ident` is a stable identity (e.g. `bericht-14729410-2024`).
    pub fn compile(self, ident: &str) -> Result<Vec<u8>, world::TypesetError> {
        let world = DocumentWorld::new(self.source, self.files, self.date);
        world.pdf(ident)
    }
}

/// A template error that names the template, the line, and (for undefined values) the name
/// that was used, from the template's own source line.
fn template_error(name: &str, e: &minijinja::Error) -> anyhow::Error {
    let mut msg = format!("template {name}");
    if let Some(line) = e.line() {
        msg.push_str(&format!(", line {line}"));
    }
    msg.push_str(&format!(": {}", e.kind()));
    if let Some(d) = e.detail() {
        msg.push_str(&format!(" ({d})"));
    }
    if e.kind() == minijinja::ErrorKind::OutOfFuel {
        msg.push_str(&format!(
            "; the template ran more than {TEMPLATE_FUEL} steps — is there a loop without bound?"
        ));
    }
    if e.kind() == minijinja::ErrorKind::UndefinedError {
        if let Some(src) = e
            .template_source()
            .and_then(|s| s.lines().nth(e.line()?.saturating_sub(1)))
        {
            let exprs: Vec<&str> = src
                .split("{{")
                .skip(1)
                .filter_map(|p| p.split("}}").next())
                .map(str::trim)
                .collect();
            if !exprs.is_empty() {
                msg.push_str(&format!(" in `{}`", exprs.join("`, `")));
            }
        }
        msg.push_str(
            "; the view model has no such field: check the spelling against src/render/documents.rs and its sections",
        );
    }
    anyhow!(msg)
}

#[cfg(test)]
mod tests {
    use super::split_modules;

    #[test]
    fn file_blocks_become_modules_and_the_rest_is_main() {
        let filled =
            "a\n//@file /theme.typ\n#let x = 1\n//@end\nb\n#include \"/s.typ\"\n//@file /s.typ\n= S\n//@end\nc\n";
        let (main, modules) = split_modules(filled);
        assert_eq!(main, "a\nb\n#include \"/s.typ\"\nc\n");
        let modules: Vec<(&str, String)> = modules
            .iter()
            .map(|(p, b)| (p.as_str(), String::from_utf8(b.clone()).unwrap()))
            .collect();
        assert_eq!(
            modules,
            [
                ("/theme.typ", "#let x = 1\n".to_string()),
                ("/s.typ", "= S\n".to_string())
            ]
        );
    }

    #[test]
    fn file_block_paths_stay_in_the_document_folder() {
        use super::confined;
        assert!(confined("/theme.typ") && confined("/parts/annex.typ"));
        for bad in [
            "theme.typ",
            "/",
            "/../x",
            "/a/../../x",
            "/./x",
            "//x",
            "/a//b",
            "/a/..",
            "/a\\b",
        ] {
            assert!(!confined(bad), "{bad}");
        }
    }

    #[test]
    fn without_markers_everything_is_main_and_an_open_block_runs_to_the_end() {
        assert_eq!(split_modules("x\ny").0, "x\ny");
        let (main, modules) = split_modules("x\n//@file /t.typ\ny\n");
        assert_eq!((main.as_str(), modules.len()), ("x\n", 1));
        assert_eq!(modules[0].1, b"y\n");
    }
}
