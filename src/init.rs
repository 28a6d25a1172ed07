//! `klimapartner init --ags A,B,C`: writes a commented `partnership.toml` for a new partnership —
//! official names from the bundled national tables, roles by a documented rule, the reporting year
//! from the latest data in the inputs (never the clock), the compensation scenario and federal
//! targets copied with their comments from the bundled defaults — and prints per member which
//! tables to download to replace national defaults (issue 14).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::cli::InitArgs;
use crate::ingest::{self, coverage};
use crate::model::Ags;

/// The bundled partnership file: the `[scenario]` block and the federal targets are copied from it.
const BUNDLED: &str = include_str!("../inputs/partnership.toml");

/// The role rule, as written into the file and the README: the largest member by population is
/// the `city` if it has at least this many inhabitants …
pub const CITY_MIN_INHABITANTS: f64 = 100_000.0;
/// … or at least this many times the inhabitants of the next largest member; all others (and all
/// members, if neither holds) are `rural`.
pub const CITY_FACTOR: f64 = 5.0;

/// A member as `init` proposes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposed {
    pub ags: Ags,
    pub name: String,
    pub population: Option<f64>,
    pub city: bool,
}

/// Runs `init`: reads the inputs, writes the file, prints what to download.
pub fn init(args: &InitArgs) -> Result<()> {
    let keys = parse_keys(&args.ags)?;
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| args.inputs.join("partnership.toml"));
    if output.exists() && !args.force {
        bail!(
            "{} exists; init does not overwrite it: pass --force to replace it, or --output FILE to write elsewhere",
            output.display()
        );
    }
    let names = official_names(&args.inputs.join("statistics"), &keys)?;
    let members: BTreeSet<Ags> = keys.iter().cloned().collect();
    let data = ingest::read_all(&args.inputs, &members);
    if let Some(e) = data.errors.first() {
        bail!(
            "the inputs in {} have errors ({} in all; `klimapartner check` lists them); the first: {e}",
            args.inputs.display(),
            data.errors.len()
        );
    }
    let Some(year) = data
        .observations
        .iter()
        .filter(|o| o.value.is_ok())
        .map(|o| o.date.year)
        .max()
    else {
        bail!(
            "no figure for any of {} in {}: check the keys, or put the national tables into {}/statistics/",
            keys.iter().map(Ags::as_str).collect::<Vec<_>>().join(", "),
            args.inputs.display(),
            args.inputs.display()
        );
    };
    let population = latest_population(&data.observations);
    let proposed = propose_roles(
        keys.iter()
            .map(|a| Proposed {
                ags: a.clone(),
                name: names[a].clone(),
                population: population.get(a).copied(),
                city: false,
            })
            .collect(),
    );
    let text = partnership_toml(&proposed, year);
    // What was written must load: the same parser `build` uses.
    crate::config::parse(&text).map_err(|e| anyhow::anyhow!("init wrote a file the parser refuses (a bug): {e}"))?;
    crate::output::write_atomic(
        output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new(".")),
        &output
            .file_name()
            .context("--output must name a file")?
            .to_string_lossy(),
        text.as_bytes(),
    )?;
    crate::outln!(
        "wrote {} ({} members, reporting year {year})",
        output.display(),
        proposed.len()
    );
    print_downloads(&proposed, &data.observations, year);
    Ok(())
}

/// `A,B,C` → AGS, each 8 digits, no duplicates.
fn parse_keys(list: &[String]) -> Result<Vec<Ags>> {
    let mut keys = Vec::new();
    for k in list.iter().map(|k| k.trim()).filter(|k| !k.is_empty()) {
        let ags = Ags::parse(k).map_err(|e| {
            anyhow::anyhow!(
                "--ags: `{k}` is not a municipality key ({e}); write 8-digit AGS, e.g. --ags 14713000,14729410"
            )
        })?;
        if keys.contains(&ags) {
            bail!("--ags: {k} is given twice; name each member once");
        }
        keys.push(ags);
    }
    if keys.is_empty() {
        bail!("--ags: no key given; write the members' 8-digit AGS, e.g. --ags 14713000,14729410");
    }
    Ok(keys)
}

/// Official names from the GENESIS flat files under `statistics/` (the Zensus 2022 table
/// 1000A-0000 lists every municipality with its ARS and name): the label of the `GEO…` variable.
fn official_names(statistics: &Path, keys: &[Ags]) -> Result<BTreeMap<Ags, String>> {
    let mut names = BTreeMap::new();
    for entry in walkdir::WalkDir::new(statistics)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let Ok(bytes) = ingest::policy::read_file(ingest::policy::Place::Inside(statistics), entry.path(), "") else {
            continue;
        };
        let Ok((text, _)) = ingest::text::decode_text(&bytes) else {
            continue;
        };
        names_from_flat(&text, keys, &mut names);
    }
    let missing: Vec<&str> = keys
        .iter()
        .filter(|k| !names.contains_key(*k))
        .map(Ags::as_str)
        .collect();
    if !missing.is_empty() {
        bail!(
            "no official name for {} in {} (read from the GENESIS flat files there, e.g. the Zensus 2022 table \
             1000A-0000 in zensus2022/): check the key (8-digit AGS, e.g. 14729410), or add the Zensus table",
            missing.join(", "),
            statistics.display()
        );
    }
    Ok(names)
}

/// Names from one flat file (`statistics_code;…;N_variable_code;…;N_variable_attribute_code;
/// N_variable_attribute_label;…`) where the variable code starts with `GEO` (12-digit ARS).
fn names_from_flat(text: &str, keys: &[Ags], names: &mut BTreeMap<Ags, String>) {
    let mut lines = text.lines();
    let Some(header) = lines.next() else { return };
    let header: Vec<&str> = header.trim_start_matches('\u{feff}').split(';').collect();
    if header.first() != Some(&"statistics_code") {
        return;
    }
    let col = |name: &str| header.iter().position(|h| *h == name);
    let dims: Vec<(usize, usize, usize)> = (1..=9)
        .filter_map(|n| {
            Some((
                col(&format!("{n}_variable_code"))?,
                col(&format!("{n}_variable_attribute_code"))?,
                col(&format!("{n}_variable_attribute_label"))?,
            ))
        })
        .collect();
    for line in lines {
        let f: Vec<&str> = line.split(';').map(|c| c.trim_matches('"')).collect();
        for &(vc, ac, al) in &dims {
            if !f.get(vc).is_some_and(|v| v.starts_with("GEO")) {
                continue;
            }
            let (Some(ars), Some(label)) = (f.get(ac), f.get(al)) else {
                continue;
            };
            if ars.len() != 12 {
                continue;
            }
            let Ok(ags) = Ags::parse(&format!("{}{}", &ars[..5], &ars[9..])) else {
                continue;
            };
            if keys.contains(&ags) && !label.trim().is_empty() {
                names.entry(ags).or_insert_with(|| label.trim().to_string());
            }
        }
    }
}

/// Each member's latest running population, else its census population.
fn latest_population(obs: &[crate::model::Observation]) -> BTreeMap<Ags, f64> {
    let mut best: BTreeMap<(&Ags, bool), (crate::model::RefDate, f64)> = BTreeMap::new();
    for o in obs {
        let census = match o.variable.as_str() {
            "population" => false,
            "population_census" => true,
            _ => continue,
        };
        if let Ok(v) = o.value {
            if best.get(&(&o.ags, census)).is_none_or(|(d, _)| *d <= o.date) {
                best.insert((&o.ags, census), (o.date, v));
            }
        }
    }
    let mut out = BTreeMap::new();
    for ((ags, census), (_, v)) in &best {
        if !census || !out.contains_key(*ags) {
            out.insert((*ags).clone(), *v);
        }
    }
    out
}

/// The role rule: the largest member by population is `city` if it has at least
/// [`CITY_MIN_INHABITANTS`] or at least [`CITY_FACTOR`] times the next largest; all others `rural`.
pub fn propose_roles(mut members: Vec<Proposed>) -> Vec<Proposed> {
    let mut by_size: Vec<(usize, f64)> = members
        .iter()
        .enumerate()
        .filter_map(|(i, m)| Some((i, m.population?)))
        .collect();
    by_size.sort_by(|a, b| b.1.total_cmp(&a.1));
    if let Some(&(i, largest)) = by_size.first() {
        let next = by_size.get(1).map_or(0.0, |x| x.1);
        if largest >= CITY_MIN_INHABITANTS || (next > 0.0 && largest >= CITY_FACTOR * next) {
            members[i].city = true;
        }
    }
    members
}

/// A TOML string literal.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The short name for the partnership's title: the official name up to its first comma
/// ("Leipzig, Stadt" → "Leipzig").
fn short(name: &str) -> &str {
    name.split(',').next().unwrap_or(name).trim()
}

/// The whole file.
pub fn partnership_toml(members: &[Proposed], year: i32) -> String {
    let lead = members.iter().find(|m| m.city).unwrap_or(&members[0]);
    let others: Vec<&str> = members
        .iter()
        .filter(|m| m.ags != lead.ags)
        .map(|m| short(&m.name))
        .collect();
    let mut s = String::new();
    s.push_str(
        "# The climate partnership: who is in it and which year the documents report on.\n\
         # Written by `klimapartner init`; edit freely. Each figure uses its latest reference date up to\n\
         # reporting_year and prints that date. reporting_year is the latest data year found in the inputs.\n",
    );
    s.push_str(&format!(
        "name = {}\n",
        quoted(&format!("Klimapartnerschaft {}", short(&lead.name)))
    ));
    s.push_str(&format!("reporting_year = {year}\n"));
    let all: Vec<&str> = std::iter::once(short(&lead.name)).chain(others).collect();
    let publisher = match all.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} und {last}", rest.join(", ")),
        _ => all.join(""),
    };
    s.push_str(&format!("publisher = {}\n\n", quoted(&publisher)));
    s.push_str(&format!(
        "# Members: official names from the national tables (Zensus 2022, table 1000A-0000). Roles proposed by\n\
         # the rule of `klimapartner init`: the largest member by population is `city` if it has at least\n\
         # {} inhabitants or at least {} times the inhabitants of the next largest; all others are `rural`.\n",
        CITY_MIN_INHABITANTS as u64, CITY_FACTOR as u64
    ));
    for m in members {
        let pop = m.population.map_or("population not found".to_string(), |p| {
            format!("{} inhabitants", p.round() as i64)
        });
        s.push_str(&format!(
            "\n[[member]]\n# {pop}\nags = {}\nname = {}\nrole = \"{}\"\n",
            quoted(m.ags.as_str()),
            quoted(&m.name),
            if m.city { "city" } else { "rural" }
        ));
    }
    s.push('\n');
    s.push_str(&scenario_block());
    s.push_str(&federal_targets());
    s
}

/// The bundled file's `[scenario]` block with the comment lines above it, up to the comments of the
/// next table that is not `[scenario.…]`.
fn scenario_block() -> String {
    let lines: Vec<&str> = BUNDLED.lines().collect();
    let Some(start) = lines.iter().position(|l| l.trim() == "[scenario]") else {
        return String::new();
    };
    let mut from = start;
    while from > 0 && lines[from - 1].starts_with('#') {
        from -= 1;
    }
    let mut to = start + 1;
    while to < lines.len() {
        let t = lines[to].trim();
        if t.starts_with('[') && !t.starts_with("[scenario") {
            break;
        }
        to += 1;
    }
    while to > start && (lines[to - 1].starts_with('#') || lines[to - 1].trim().is_empty()) {
        to -= 1;
    }
    let mut s = String::from(
        "# Copied from the bundled defaults. The farmland rent is Saxony's: replace it with your state's\n\
         # (Agrarstrukturerhebung, average rent per hectare).\n",
    );
    for l in &lines[from..to] {
        s.push_str(l);
        s.push('\n');
    }
    s.push('\n');
    s
}

/// The bundled file's targets for every member (`ags = "*"`: the federal ones), with a comment.
fn federal_targets() -> String {
    let mut s = String::from(
        "# Emission targets. Germany: Bundes-Klimaschutzgesetz (2021): −65 % by 2030 against 1990, neutrality 2045.\n\
         # Add the members' own targets as [[target]] with their AGS.\n",
    );
    for block in BUNDLED.split("[[target]]").skip(1) {
        let body: Vec<&str> = block
            .lines()
            .skip(1)
            .take_while(|l| !l.trim().is_empty() && !l.starts_with('#') && !l.starts_with('['))
            .collect();
        if body.iter().any(|l| l.trim() == "ags = \"*\"") {
            s.push_str("[[target]]\n");
            s.push_str(&body.join("\n"));
            s.push_str("\n\n");
        }
    }
    s
}

/// Per member: the core tables found and missing, and what replaces the national defaults.
fn print_downloads(members: &[Proposed], obs: &[crate::model::Observation], year: i32) {
    let cov = coverage::coverage(obs, members.iter().map(|m| (&m.ags, m.name.as_str())), year);
    crate::outln!("\nWhat to download to replace national defaults (put the files into statistics/):");
    for (m, c) in members.iter().zip(&cov) {
        crate::outln!("  {} {} ({}):", m.ags, m.name, if m.city { "city" } else { "rural" });
        for (core, found) in coverage::CORE.iter().zip(&c.found) {
            match found {
                Some(f) => crate::outln!(
                    "    {}: {} ({}); own download: {}",
                    core.label,
                    f.year,
                    f.file,
                    core.table
                ),
                None => crate::outln!("    {}: MISSING; download {}", core.label, core.table),
            }
        }
        crate::outln!(
            "    energy and emissions: start balance from national keys (grade D); replace with the \
             member's own BISKO balance or the grid operators' consumption data (electricity, gas, heat \
             network) in the long format ags,variable,sector,carrier,date,value,unit,note"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(ags: &str, population: f64) -> Proposed {
        Proposed {
            ags: Ags::parse(ags).unwrap(),
            name: format!("Gemeinde {ags}"),
            population: Some(population),
            city: false,
        }
    }

    #[test]
    fn role_rule() {
        let roles = |v: Vec<Proposed>| propose_roles(v).iter().map(|p| p.city).collect::<Vec<_>>();
        // 100,000 or more: city.
        assert_eq!(
            roles(vec![m("14729410", 16_000.0), m("14713000", 600_000.0)]),
            [false, true]
        );
        // Five times the next: city, though small.
        assert_eq!(
            roles(vec![m("14729410", 16_000.0), m("14729380", 3_000.0)]),
            [true, false]
        );
        // Neither: all rural.
        assert_eq!(
            roles(vec![m("14729410", 16_000.0), m("14729030", 5_000.0)]),
            [false, false]
        );
    }

    #[test]
    fn written_file_loads_and_keeps_the_scenario_comments() {
        let v = propose_roles(vec![m("14713000", 600_000.0), m("14729410", 16_000.0)]);
        let text = partnership_toml(&v, 2024);
        let p = crate::config::parse(&text).unwrap();
        assert_eq!(p.reporting_year, 2024);
        assert_eq!(p.members.len(), 2);
        assert!(text.contains("# Price per tonne CO2e") && text.contains("[scenario.uptake]"));
        assert!(text.contains("ghg_reduction_pct") && !text.contains("EKSP"));
    }
}
