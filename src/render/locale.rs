//! Document words per language, from `locales/<lang>.toml` compiled into the binary, and the
//! language's style of writing numbers and dates.

use std::collections::BTreeMap;

use anyhow::{anyhow, Context, Result};

use crate::compute::Note;
use crate::format::{fmt_number, fmt_signed_pct, Style};

const DE: &str = include_str!("../../locales/de.toml");
const EN: &str = include_str!("../../locales/en.toml");

pub struct Locale {
    pub lang: String,
    /// How numbers and dates are written in this language.
    pub style: Style,
    root: toml::Table,
}

impl Locale {
    pub fn load(lang: &str) -> Result<Locale> {
        let src = match lang {
            "de" => DE,
            "en" => EN,

            other => return Err(anyhow!("no texts for language `{other}`; available: de, en")),
        };
        let root: toml::Table =
            toml::from_str(src).with_context(|| format!("locales/{lang}.toml is not valid TOML"))?;
        Ok(Locale {
            lang: lang.to_string(),
            style: Style::for_lang(lang),
            root,
        })
    }

    /// A number with `decimals` places in this language's style (`1.234,5` / `1,234.5`).
    pub fn number(&self, v: f64, decimals: usize) -> String {
        fmt_number(v, decimals, self.style)
    }

    /// A signed percentage change in this language's style (`+3,4 %` / `+3.4 %`).
    pub fn signed_pct(&self, v: f64) -> String {
        fmt_signed_pct(v, self.style)
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
                &[("date", population_date.display(self.style))],
            ),
            Note::CensusDiffers {
                census,
                census_date,
                difference_pct,
            } => self.fill(
                "note",
                "census_differs",
                &[
                    ("date", census_date.display(self.style)),
                    ("census", self.number(*census, 0)),
                    ("diff", self.signed_pct(*difference_pct)),
                ],
            ),
            Note::DeviationFromPublished {
                published,
                deviation_pct,
            } => self.fill(
                "note",
                "deviation_from_published",
                &[
                    ("published", self.number(*published, 0)),
                    ("deviation", self.signed_pct(*deviation_pct)),
                ],
            ),
            Note::Between { from, to } => self.fill(
                "note",
                "between",
                &[("from", from.display(self.style)), ("to", to.display(self.style))],
            ),
            Note::Missing => self.label("note", "missing"),
            Note::Estimate { median_pct, p80_pct, n } => self.fill(
                "note",
                "estimate",
                &[
                    ("median", self.number(*median_pct, 0)),
                    ("p80", self.number(*p80_pct, 0)),
                    ("n", n.to_string()),
                ],
            ),
        }
    }
}
