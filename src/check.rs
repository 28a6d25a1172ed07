//! `klimapartner check`: reads and validates all inputs as `build` would, prints what was found
//! (members, files, factor tables, warnings) and fails with every input error at once.

use std::collections::BTreeSet;

use anyhow::{bail, Result};

use crate::cli::CheckArgs;
use crate::config::Partnership;
use crate::ingest::{self, FileReport, Outcome};
use crate::model::Ags;
use crate::plan::{load_config, BuildPlan};

/// Reads and validates all inputs and prints what was found.
pub fn check(args: &CheckArgs) -> Result<()> {
    let (partnership, config_warnings) = load_config(&args.inputs, args.config.as_deref())?;
    let members = partnership.member_keys();
    let year = args.year.unwrap_or(partnership.reporting_year);
    let data = ingest::read_all(&args.inputs, &members);
    print_members(&partnership, &data, year);
    let coverage = ingest::coverage::coverage(
        &data.observations,
        partnership.members.iter().map(|m| (&m.ags, m.name.as_str())),
        year,
    );
    print_coverage(&coverage, year);
    print_files(&data.files, &members);
    print_tables(&data);
    let mut warnings = config_warnings;
    // What `build` stops at unless --allow-incomplete: a member without population or area.
    warnings.extend(coverage.iter().flat_map(|c| c.gaps(year)));
    warnings.extend(data.warnings.iter().cloned());
    warnings.extend(ingest::stale(
        &data.observations,
        &members,
        year,
        ingest::STALE_AFTER_YEARS,
    ));
    for w in &warnings {
        crate::outln!("warning: {w}");
    }
    let mut list: Vec<String> = data.errors.iter().map(ToString::to_string).collect();
    // What `build` would refuse: a member whose documents would show no figure.
    if data.errors.is_empty() {
        list.extend(ingest::without_data(
            &data.observations,
            partnership.members.iter().map(|m| (&m.ags, m.name.as_str())),
            year,
        ));
    }
    if !list.is_empty() {
        bail!("{} input error(s):\n{}", list.len(), list.join("\n"));
    }
    crate::outln!(
        "{} observations for members from {} files, {} warning(s): OK",
        data.observations.len(),
        data.files.len(),
        warnings.len()
    );
    Ok(())
}

/// The partnership and each member's number of observations.
fn print_members(partnership: &Partnership, data: &Outcome, year: i32) {
    let mut per_member: std::collections::HashMap<&Ags, usize> = std::collections::HashMap::new();
    for o in &data.observations {
        *per_member.entry(&o.ags).or_default() += 1;
    }
    crate::outln!(
        "{} – reporting year {}, {} members:",
        partnership.name,
        year,
        partnership.members.len()
    );
    for m in &partnership.members {
        let n = per_member.get(&m.ags).copied().unwrap_or(0);
        crate::outln!("  {} {:<24} {:?}  {n} observations", m.ags, m.name, m.role);
    }
    crate::outln!();
}

/// Per member, the core variables found (year, file) and those missing; a national partnership
/// lists only the members with gaps.
fn print_coverage(coverage: &[ingest::coverage::MemberCoverage<'_>], year: i32) {
    let all = coverage.len() <= crate::plan::FULL_COMPARISON_MAX;
    let shown: Vec<_> = coverage.iter().filter(|c| all || !c.complete()).collect();
    if shown.is_empty() {
        return;
    }
    crate::outln!("core data up to {year} (population, area and land use, renewables, buildings):");
    for c in shown {
        crate::outln!("  {}", c.line());
    }
    crate::outln!();
}

/// One line per file read: format, encoding, table, rows, years, members and variables.
fn print_files(files: &[FileReport], members: &BTreeSet<Ags>) {
    crate::outln!(
        "{:<52} {:<34} {:<10} {:<16} {:>6}  {:<9}  {:<7}  variables",
        "file",
        "format",
        "encoding",
        "table",
        "rows",
        "years",
        "members"
    );
    for f in files {
        let years = match (f.years.first(), f.years.last()) {
            (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
            (Some(a), _) => a.to_string(),
            _ => "–".into(),
        };
        let vars: Vec<&str> = f.variables.iter().map(String::as_str).collect();
        let shown = if vars.len() > 6 {
            format!("{} … ({} in all)", vars[..6].join(", "), vars.len())
        } else {
            vars.join(", ")
        };
        crate::outln!(
            "{:<52} {:<34} {:<10} {:<16} {:>6}  {:<9}  {:<7}  {shown}{}",
            f.path,
            f.format,
            f.encoding,
            f.table,
            f.rows,
            years,
            format!("{}/{}", f.members.len(), members.len()),
            file_extra(f),
        );
    }
    crate::outln!();
}

/// Districts kept as regional context and members merged from predecessors, in brackets.
fn file_extra(f: &FileReport) -> String {
    let mut extra = String::new();
    if !f.districts.is_empty() {
        extra.push_str(&format!(
            " [district{} {}]",
            if f.districts.len() > 1 { "s" } else { "" },
            f.districts.iter().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    if f.merged > 0 {
        extra.push_str(&format!(" [{} merged from predecessors]", f.merged));
    }
    extra
}

/// The factor tables, and how many observations have no value.
fn print_tables(data: &Outcome) {
    if let Some(factors) = &data.factors {
        crate::outln!(
            "factors: {} emission factors, {} land-use fluxes, {} land-use mappings",
            factors.emission.len(),
            factors.land_flux.len(),
            factors.land_mapping.len()
        );
    }
    let missing = data.observations.iter().filter(|o| o.value.is_err()).count();
    if missing > 0 {
        crate::outln!("{missing} member observation(s) have no value (office symbols . x ... /, empty cells, or a municipality that did not exist yet); they are shown as “no data”.");
    }
}

/// Prints which core variables each member (of the shard) has, and stops the run if a member lacks
/// population or area — unless `--allow-incomplete`, when the gaps are returned as warnings and
/// the documents mark them (issue 14).
pub fn core_data(plan: &BuildPlan, observations: &[crate::model::Observation]) -> Result<Vec<String>> {
    let members = plan.partnership.members.iter().filter(|m| plan.in_shard(&m.ags));
    let cov = crate::ingest::coverage::coverage(observations, members.map(|m| (&m.ags, m.name.as_str())), plan.year);
    // A national run lists only the members with gaps.
    let all = cov.len() <= crate::plan::FULL_COMPARISON_MAX;
    if all {
        crate::errln!("core data up to {}:", plan.year);
    }
    for c in cov.iter().filter(|c| all || !c.complete()) {
        crate::errln!("  {}", c.line());
    }
    let gaps: Vec<String> = cov.iter().flat_map(|c| c.gaps(plan.year)).collect();
    if gaps.is_empty() || plan.allow_incomplete {
        return Ok(gaps);
    }
    bail!(
        "{} member(s) lack core data; nothing was written:\n{}",
        gaps.len(),
        gaps.join("\n")
    )
}
