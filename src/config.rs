//! `inputs/partnership.toml`: the partnership's name, reporting year and members. Unknown keys,
//! malformed or duplicate AGS are errors that name the key and the line.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::error::{line_of_offset, InputError};
use crate::ingest::policy::{read_file, Place};
use crate::model::{Ags, Role};

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
    /// Parameters of the compensation scenario and the offer to land users.
    #[serde(default)]
    scenario: Scenario,
    /// Emission targets (per member or for all members).
    #[serde(default)]
    target: Vec<RawTarget>,
    /// Remaining carbon budgets of members, where one has been adopted.
    #[serde(default)]
    budget: Vec<RawBudget>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBudget {
    /// AGS of the member.
    ags: Spanned<String>,
    /// First year the budget counts from (e.g. 2020).
    from_year: i32,
    /// Budget in t CO2e from `from_year` on.
    t: f64,
    source: String,
}

/// A member's remaining carbon budget as adopted.
#[derive(Debug, Clone, Serialize)]
pub struct Budget {
    pub ags: Ags,
    pub from_year: i32,
    pub t: f64,
    pub source: String,
}

/// The compensation scenario: how much of the eligible land takes part, at which carbon price.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Price paid per tonne of CO2e removed, in € (the offer to land users).
    pub carbon_price_eur_per_t: f64,
    /// Where the price comes from.
    pub carbon_price_source: String,
    /// Share of removals held back as a buffer against reversal (not paid out), 0–1.
    pub buffer_share: f64,
    /// Length of a contract with a land user, in years.
    pub contract_years: u32,
    /// Uptake per measure id: share of the measure's eligible area that is contracted, 0–1.
    /// Measures not listed use `default_uptake`.
    #[serde(default)]
    pub uptake: std::collections::BTreeMap<String, f64>,
    /// Uptake of measures not listed in `uptake`.
    pub default_uptake: f64,
    /// Real discount rate for annuities (issue 13), e.g. 0.03; 0 = investments spread evenly.
    #[serde(default)]
    pub discount_rate: f64,
    #[serde(default)]
    pub discount_rate_source: String,
    /// Average farmland rent, € per ha and year: the opportunity cost of land taken out of production.
    #[serde(default)]
    pub farmland_rent_eur_per_ha: f64,
    #[serde(default)]
    pub farmland_rent_source: String,
    /// Carbon prices (€/t) at which the supply curve is tabulated.
    #[serde(default = "default_supply_prices")]
    pub supply_prices: Vec<f64>,
}

fn default_supply_prices() -> Vec<f64> {
    vec![30.0, 45.0, 100.0, 200.0]
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            carbon_price_eur_per_t: f64::NAN,
            carbon_price_source: String::new(),
            buffer_share: 0.0,
            contract_years: 0,
            uptake: Default::default(),
            default_uptake: 0.0,
            discount_rate: 0.0,
            discount_rate_source: String::new(),
            farmland_rent_eur_per_ha: 0.0,
            farmland_rent_source: String::new(),
            supply_prices: default_supply_prices(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    /// AGS of the member, or "*" for every member.
    ags: Spanned<String>,
    /// What the target is about: `ghg_t_per_inhabitant` (t per inhabitant) or `ghg_reduction_pct`
    /// (reduction of total emissions against `base_year`, in %).
    indicator: String,
    year: i32,
    value: f64,
    #[serde(default)]
    base_year: Option<i32>,
    source: String,
}

/// An emission target of a member.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    /// `None` = applies to every member.
    pub ags: Option<Ags>,
    pub indicator: String,
    pub year: i32,
    pub value: f64,
    pub base_year: Option<i32>,
    pub source: String,
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
    pub scenario: Scenario,
    pub targets: Vec<Target>,
    pub budgets: Vec<Budget>,
}

impl Partnership {
    /// Targets that apply to a member, ordered by year.
    pub fn targets_for(&self, ags: &Ags) -> Vec<&Target> {
        let mut v: Vec<&Target> = self
            .targets
            .iter()
            .filter(|t| t.ags.as_ref().is_none_or(|a| a == ags))
            .collect();
        v.sort_by_key(|t| t.year);
        v
    }

    pub fn member_keys(&self) -> BTreeSet<Ags> {
        self.members.iter().map(|m| m.ags.clone()).collect()
    }
}

/// Reads `inputs/partnership.toml` under the file policy (a regular file in the folder).
pub fn load(inputs: &Path) -> Result<Partnership, InputError> {
    read(Place::Inside(inputs), &inputs.join(FILE), FILE)
}

/// Reads a partnership file the user named (`--config FILE`); `name` is how errors refer to it.
pub fn load_file(path: &Path, name: &str) -> Result<Partnership, InputError> {
    read(Place::Named, path, name)
}

fn read(place: Place<'_>, path: &Path, name: &str) -> Result<Partnership, InputError> {
    let bytes = read_file(place, path, name).map_err(|mut e| {
        if !crate::ingest::policy::present(path) {
            e.hint = "create inputs/partnership.toml (see the README), pass --inputs DIR or --config FILE".into();
        }
        e
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        InputError::new(
            name,
            format!(
                "is not UTF-8 text (a byte at position {} is not)",
                e.utf8_error().valid_up_to()
            ),
            "save the file as UTF-8",
        )
    })?;
    parse_named(&text, name)
}

pub fn parse(text: &str) -> Result<Partnership, InputError> {
    parse_named(text, FILE)
}

/// Every key `partnership.toml` allows, by table, as the hint of a malformed or unknown key lists them.
const ALLOWED_KEYS: &[(&str, &[&str])] = &[
    ("", &["name", "reporting_year", "publisher"]),
    ("[[member]]", &["ags", "name", "role (city or rural)"]),
    (
        "[scenario]",
        &[
            "carbon_price_eur_per_t",
            "carbon_price_source",
            "buffer_share",
            "contract_years",
            "default_uptake",
            "discount_rate",
            "discount_rate_source",
            "farmland_rent_eur_per_ha",
            "farmland_rent_source",
            "supply_prices",
            "[scenario.uptake] (measure id = share)",
        ],
    ),
    (
        "[[target]]",
        &["ags", "indicator", "year", "value", "base_year", "source"],
    ),
    ("[[budget]]", &["ags", "from_year", "t", "source"]),
];

/// `allowed keys: name, reporting_year, publisher; [[member]] with ags, …; …`.
fn allowed_keys_hint() -> String {
    let tables: Vec<String> = ALLOWED_KEYS
        .iter()
        .map(|(table, keys)| match *table {
            "" => keys.join(", "),
            t => format!("{t} with {}", keys.join(", ")),
        })
        .collect();
    format!("allowed keys: {}", tables.join("; "))
}

fn parse_named(text: &str, file: &str) -> Result<Partnership, InputError> {
    // Unprintable characters and overlong names are refused here, naming line and field, not
    // when a document fails to typeset.
    crate::ingest::text::check_toml_texts(file, text)?;
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let mut err = InputError::new(file, e.message().trim().to_string(), allowed_keys_hint());
        if let Some(span) = e.span() {
            err = err.at(line_of_offset(text, span.start));
        }
        err
    })?;
    if !(1990..=2100).contains(&raw.reporting_year) {
        return Err(InputError::new(
            file,
            format!("reporting_year {} is out of range", raw.reporting_year),
            "give a year such as 2024",
        ));
    }
    let members = members(raw.member, text, file)?;
    check_scenario(&raw.scenario, file)?;
    let targets = targets(raw.target, text, file)?;
    let budgets = budgets(raw.budget, text)?;
    if members.is_empty() {
        return Err(InputError::new(file, "no members", "add at least one [[member]] table"));
    }
    Ok(Partnership {
        name: raw.name,
        reporting_year: raw.reporting_year,
        publisher: raw.publisher.unwrap_or_else(|| "Klimapartnerschaft".into()),
        members,
        scenario: raw.scenario,
        targets,
        budgets,
    })
}

/// The members, each with an 8-digit AGS listed once.
fn members(raw: Vec<RawMember>, text: &str, file: &str) -> Result<Vec<Member>, InputError> {
    let mut seen = BTreeSet::new();
    let mut members = Vec::new();
    for m in raw {
        // Only on error: counting lines from the start for every member is quadratic in their number.
        let line = || line_of_offset(text, m.ags.span().start);
        let ags = Ags::parse(m.ags.get_ref())
            .ok()
            .filter(|_| m.ags.get_ref().len() == 8)
            .ok_or_else(|| {
                InputError::new(
                    file,
                    format!("member.ags `{}` is not an 8-digit municipality key", m.ags.get_ref()),
                    "write the AGS with 8 digits and leading zeros, e.g. \"14729410\"",
                )
                .at(line())
                .column("ags")
            })?;
        if !seen.insert(ags.clone()) {
            return Err(InputError::new(
                file,
                format!("member.ags `{ags}` is listed twice"),
                "list each member once",
            )
            .at(line())
            .column("ags"));
        }
        members.push(Member {
            ags,
            name: m.name,
            role: m.role,
        });
    }
    Ok(members)
}

/// A price ≥ 0 (or none), shares between 0 and 1.
fn check_scenario(sc: &Scenario, file: &str) -> Result<(), InputError> {
    let in_unit = |v: f64| (0.0..=1.0).contains(&v);
    if !(sc.carbon_price_eur_per_t.is_nan() || sc.carbon_price_eur_per_t >= 0.0)
        || !in_unit(sc.buffer_share)
        || !in_unit(sc.default_uptake)
    {
        return Err(InputError::new(
            file,
            "[scenario]: carbon_price_eur_per_t must be ≥ 0, buffer_share and default_uptake between 0 and 1",
            "e.g. carbon_price_eur_per_t = 45.0, buffer_share = 0.2, default_uptake = 0.25",
        ));
    }
    let rent_ok = sc.farmland_rent_eur_per_ha.is_finite() && sc.farmland_rent_eur_per_ha >= 0.0;
    let prices_ok = sc.supply_prices.iter().all(|p| p.is_finite() && *p >= 0.0);
    if !((0.0..0.5).contains(&sc.discount_rate) && rent_ok && prices_ok) {
        return Err(InputError::new(
            file,
            "[scenario]: discount_rate must be between 0 and 0.5, farmland_rent_eur_per_ha and supply_prices ≥ 0",
            "e.g. discount_rate = 0.03, farmland_rent_eur_per_ha = 214.0, supply_prices = [30.0, 45.0, 100.0, 200.0]",
        ));
    }
    if let Some((id, v)) = sc.uptake.iter().find(|(_, v)| !in_unit(**v)) {
        return Err(InputError::new(
            file,
            format!("[scenario.uptake] {id} = {v} is not a share between 0 and 1"),
            "write e.g. 0.3 for 30 %",
        ));
    }
    Ok(())
}

/// The targets: a member's AGS or `*`, a known indicator, a base year where the indicator needs one.
fn targets(raw: Vec<RawTarget>, text: &str, file: &str) -> Result<Vec<Target>, InputError> {
    let mut targets = Vec::new();
    for t in raw {
        let line = line_of_offset(text, t.ags.span().start);
        let ags = match t.ags.get_ref().as_str() {
            "*" => None,
            a => Some(Ags::parse(a).map_err(|m| {
                InputError::new(
                    file,
                    format!("target.ags: {m}"),
                    "write an 8-digit AGS or \"*\" for all members",
                )
                .at(line)
            })?),
        };
        if !matches!(t.indicator.as_str(), "ghg_t_per_inhabitant" | "ghg_reduction_pct") {
            return Err(InputError::new(
                file,
                format!("target.indicator `{}` is not known", t.indicator),
                "use ghg_t_per_inhabitant or ghg_reduction_pct",
            )
            .at(line));
        }
        if t.indicator == "ghg_reduction_pct" && t.base_year.is_none() {
            return Err(InputError::new(
                file,
                "a ghg_reduction_pct target needs base_year",
                "add e.g. base_year = 1990",
            )
            .at(line));
        }
        targets.push(Target {
            ags,
            indicator: t.indicator,
            year: t.year,
            value: t.value,
            base_year: t.base_year,
            source: t.source,
        });
    }
    Ok(targets)
}

/// The carbon budgets: a member's AGS, a positive amount. (Their errors name `partnership.toml`
/// even when the file was given by another name.)
fn budgets(raw: Vec<RawBudget>, text: &str) -> Result<Vec<Budget>, InputError> {
    let mut budgets = Vec::new();
    for b in raw {
        let line = line_of_offset(text, b.ags.span().start);
        let ags = Ags::parse(b.ags.get_ref()).map_err(|m| {
            InputError::new(FILE, format!("budget.ags: {m}"), "write the member's 8-digit AGS").at(line)
        })?;
        if b.t <= 0.0 {
            return Err(InputError::new(FILE, "budget.t must be positive", "give the budget in t CO2e").at(line));
        }
        budgets.push(Budget {
            ags,
            from_year: b.from_year,
            t: b.t,
            source: b.source,
        });
    }
    Ok(budgets)
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

    /// The hint lists every key serde allows in every table (the keys its error names as expected).
    #[test]
    fn unknown_key_hint_lists_every_allowed_key() {
        let full = format!(
            "{GOOD}[scenario]\ncarbon_price_eur_per_t = 1.0\ncarbon_price_source = \"s\"\nbuffer_share = 0.1\ncontract_years = 1\ndefault_uptake = 0.1\n[[target]]\nags = \"*\"\nindicator = \"ghg_t_per_inhabitant\"\nyear = 2030\nvalue = 1.0\nsource = \"s\"\n[[budget]]\nags = \"14729410\"\nfrom_year = 2020\nt = 1.0\nsource = \"s\"\n"
        );
        parse(&full).unwrap();
        for after in [
            "reporting_year = 2024\n",
            "role = \"rural\"\n",
            "default_uptake = 0.1\n",
            "value = 1.0\n",
            "from_year = 2020\n",
        ] {
            let e = parse(&full.replacen(after, &format!("{after}zzz = 1\n"), 1)).unwrap_err();
            let expected = e.message.split("expected").nth(1).unwrap_or_else(|| panic!("{e}"));
            for key in expected.split('`').skip(1).step_by(2) {
                assert!(e.hint.contains(key), "hint lacks `{key}`: {}", e.hint);
            }
        }
        assert!(allowed_keys_hint().starts_with(
            "allowed keys: name, reporting_year, publisher; [[member]] with ags, name, role (city or rural); [scenario] with"
        ));
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
