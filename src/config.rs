//! `inputs/partnership.toml`: the partnership's name, reporting year and members. Unknown keys,
//! malformed or duplicate AGS are errors that name the key and the line.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::ingest::text::line_of_offset;
use crate::ingest::InputError;
use crate::model::Ags;

const FILE: &str = "partnership.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    /// Name of the partnership as printed on the documents.
    name: String,
    /// Default reporting year: each figure uses its latest reference date up to this year.
    reporting_year: i32,
    /// Who publishes the documents (PDF author metadata, cover).
    #[serde(default)]
    publisher: Option<String>,
    /// Members of the partnership, one `[[member]]` table each.
    member: Vec<RawMember>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMember {
    /// Official 8-digit municipality key (AGS).
    ags: Spanned<String>,
    /// Name as printed.
    name: String,
    /// `city` or `rural`.
    role: Role,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    City,
    Rural,
}

#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub ags: Ags,
    pub name: String,
    pub role: Role,
}

/// The validated configuration.
#[derive(Debug, Clone, Serialize)]
pub struct Partnership {
    pub name: String,
    pub reporting_year: i32,
    pub publisher: String,
    pub members: Vec<Member>,
}

impl Partnership {
    pub fn member_keys(&self) -> BTreeSet<Ags> {
        self.members.iter().map(|m| m.ags.clone()).collect()
    }
}

pub fn load(inputs: &Path) -> Result<Partnership, InputError> {
    let path = inputs.join(FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        InputError::new(
            FILE,
            format!("cannot be read from {}: {e}", path.display()),
            "create inputs/partnership.toml (see the README) or pass --inputs DIR",
        )
    })?;
    parse(&text)
}

pub fn parse(text: &str) -> Result<Partnership, InputError> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let mut err = InputError::new(
            FILE,
            e.message().trim().to_string(),
            "allowed keys: name, reporting_year, publisher, and [[member]] tables with ags, name, role (city or rural)",
        );
        if let Some(span) = e.span() {
            err = err.at(line_of_offset(text, span.start));
        }
        err
    })?;
    if !(1990..=2100).contains(&raw.reporting_year) {
        return Err(InputError::new(
            FILE,
            format!("reporting_year {} is out of range", raw.reporting_year),
            "give a year such as 2024",
        ));
    }
    let mut seen = BTreeSet::new();
    let mut members = Vec::new();
    for m in raw.member {
        let line = line_of_offset(text, m.ags.span().start);
        let ags = Ags::parse(m.ags.get_ref())
            .ok()
            .filter(|_| m.ags.get_ref().len() == 8)
            .ok_or_else(|| {
                InputError::new(
                    FILE,
                    format!("member.ags `{}` is not an 8-digit municipality key", m.ags.get_ref()),
                    "write the AGS with 8 digits and leading zeros, e.g. \"14729410\"",
                )
                .at(line)
                .column("ags")
            })?;
        if !seen.insert(ags.clone()) {
            return Err(InputError::new(
                FILE,
                format!("member.ags `{ags}` is listed twice"),
                "list each member once",
            )
            .at(line)
            .column("ags"));
        }
        members.push(Member {
            ags,
            name: m.name,
            role: m.role,
        });
    }
    if members.is_empty() {
        return Err(InputError::new(FILE, "no members", "add at least one [[member]] table"));
    }
    Ok(Partnership {
        name: raw.name,
        reporting_year: raw.reporting_year,
        publisher: raw.publisher.unwrap_or_else(|| "Klimapartnerschaft".into()),
        members,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str =
        "name = \"P\"\nreporting_year = 2024\n[[member]]\nags = \"14729410\"\nname = \"Wurzen\"\nrole = \"rural\"\n";

    #[test]
    fn reads_a_valid_config() {
        let p = parse(GOOD).unwrap();
        assert_eq!(p.members[0].ags.as_str(), "14729410");
        assert_eq!(p.members[0].role, Role::Rural);
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let e = parse(&GOOD.replace("role = \"rural\"", "role = \"rural\"\nrol = 1")).unwrap_err();
        assert!(e.message.contains("rol"), "{e}");
        assert_eq!(e.line, Some(7));
    }

    #[test]
    fn malformed_and_duplicate_ags() {
        let e = parse(&GOOD.replace("14729410", "1472941")).unwrap_err();
        assert!(e.message.contains("1472941") && e.line == Some(4), "{e}");
        let twice = format!("{GOOD}[[member]]\nags = \"14729410\"\nname = \"W\"\nrole = \"rural\"\n");
        let e = parse(&twice).unwrap_err();
        assert!(e.message.contains("twice") && e.line == Some(8), "{e}");
    }
}
