//! Document words per language, from `locales/<lang>.toml` compiled into the binary.

use std::collections::BTreeMap;

use anyhow::{anyhow, Context, Result};

use crate::compute::Note;
use crate::format::{de_number, de_signed_pct};

const DE: &str = include_str!("../../locales/de.toml");

pub struct Locale {
    pub lang: String,
    root: toml::Table,
}

impl Locale {
    pub fn load(lang: &str) -> Result<Locale> {
        let src = match lang {
            "de" => DE,
            other => return Err(anyhow!("no texts for language `{other}`; available: de")),
        };
        let root: toml::Table = toml::from_str(src).context("locales/de.toml is not valid TOML")?;
        Ok(Locale {
            lang: lang.to_string(),
            root,
        })
    }

    /// A label from a section (`label`, `sector`, `carrier`, …); the key itself if missing.
    pub fn label(&self, section: &str, key: &str) -> String {
        self.root
            .get(section)
            .and_then(|s| s.get(key))
            .and_then(|v| v.as_str())
            .unwrap_or(key)
            .to_string()
    }

    pub fn text(&self, key: &str) -> String {
        self.label("text", key)
    }

    /// A text with `{name}` placeholders filled in.
    pub fn fill(&self, section: &str, key: &str, vars: &[(&str, String)]) -> String {
        let mut s = self.label(section, key);
        for (k, v) in vars {
            s = s.replace(&format!("{{{k}}}"), v);
        }
        s
    }

    pub fn unit(&self, unit: &str) -> String {
        self.label("unit", unit)
    }

    /// All `[text]` entries, for templates.
    pub fn texts(&self) -> BTreeMap<String, toml::Value> {
        self.root
            .get("text")
            .and_then(|t| t.as_table())
            .map(|t| t.clone().into_iter().collect())
            .unwrap_or_default()
    }

    pub fn note(&self, note: &Note) -> String {
        match note {
            Note::PopulationOfEarlierDate { population_date } => self.fill(
                "note",
                "population_of_earlier_date",
                &[("date", population_date.german())],
            ),
            Note::CensusDiffers {
                census,
                census_date,
                difference_pct,
            } => self.fill(
                "note",
                "census_differs",
                &[
                    ("date", census_date.german()),
                    ("census", de_number(*census, 0)),
                    ("diff", de_signed_pct(*difference_pct)),
                ],
            ),
            Note::DeviationFromPublished {
                published,
                deviation_pct,
            } => self.fill(
                "note",
                "deviation_from_published",
                &[
                    ("published", de_number(*published, 0)),
                    ("deviation", de_signed_pct(*deviation_pct)),
                ],
            ),
            Note::Between { from, to } => self.fill("note", "between", &[("from", from.german()), ("to", to.german())]),
            Note::Missing => self.label("note", "missing"),
        }
    }
}
