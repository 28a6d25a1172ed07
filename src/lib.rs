//! klimapartner: the pipeline in one screen.
//!
//! config → ingest (files → observations) → compute (observations → facts) → chart and render
//! (facts → view models → Typst → PDF) → output (atomic writes, indicators.csv/json).

pub mod chart;
pub mod cli;
pub mod compute;
pub mod config;
pub mod format;
pub mod formula;
pub mod ingest;
pub mod model;
pub mod output;
pub mod render;

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

use anyhow::{anyhow, bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

use cli::{BuildArgs, CheckArgs};
use model::{Ags, RefDate};
use render::Renderer;

/// Runs the whole pipeline and writes the documents.
pub fn build(args: &BuildArgs) -> Result<()> {
    let started = Instant::now();
    let partnership = config::load(&args.inputs)?;
    let year = args.year.unwrap_or(partnership.reporting_year);
    let selected = select_members(&partnership, &args.members)?;
    let data = read_inputs(&args.inputs, &partnership)?;
    for w in &data.warnings {
        eprintln!("warning: {w}");
    }
    let facts = compute::compute(&partnership, &data, year);
    let renderer = Renderer::new(&args.lang, source_date_epoch()?, args.templates.as_deref())?;

    std::fs::create_dir_all(&args.output)
        .with_context(|| format!("cannot create the output folder {}", args.output.display()))?;
    let docs = facts
        .members
        .iter()
        .filter(|m| selected.contains(&m.member.ags))
        .count()
        * 2
        + 1;
    let progress = progress_bar(docs as u64);
    let mut failures: Vec<String> = facts
        .failures
        .iter()
        .map(|(m, e)| format!("{} ({}): {e}", m.name, m.ags))
        .collect();
    let mut written = 0;

    let mut write_doc = |name: String, ident: String, make: &dyn Fn() -> Result<render::Generated>| {
        progress.set_message(name.clone());
        let t0 = Instant::now();
        let result = make()
            .and_then(|g| g.compile(&ident))
            .and_then(|pdf| output::write_atomic(&args.output, &name, &pdf));
        progress.inc(1);
        match result {
            Ok(()) => {
                written += 1;
                log_line(&progress, &format!("written {name} ({} ms)", t0.elapsed().as_millis()));
                None
            }
            Err(e) => Some(format!("{name}: {e:#}")),
        }
    };
    for m in facts.members.iter().filter(|m| selected.contains(&m.member.ags)) {
        for kind in [render::DocKind::Report, render::DocKind::Briefing] {
            let name = file_name(kind, year, Some((&m.member.ags, &m.member.name)));
            let ident = format!("{}-{}-{year}", kind.slug(), m.member.ags);
            let make = || match kind {
                render::DocKind::Briefing => renderer.briefing(&partnership, &data, &facts, m),
                _ => renderer.report(&partnership, &data, &facts, m),
            };
            if let Some(e) = write_doc(name, ident, &make) {
                failures.push(format!("{} ({}), {e}", m.member.name, m.member.ags));
            }
        }
    }
    let make = || renderer.handbook(&partnership, &data, &facts);
    if let Some(e) = write_doc(
        file_name(render::DocKind::Handbook, year, None),
        format!("handbuch-{year}"),
        &make,
    ) {
        failures.push(format!("handbook, {e}"));
    }
    progress.finish_and_clear();

    let rows = output::indicator_rows(&facts, |id| renderer.locale.label("label", id));
    output::write_atomic(&args.output, "indicators.csv", &output::indicators_csv(&rows)?)?;
    output::write_atomic(&args.output, "indicators.json", &output::indicators_json(&rows)?)?;
    let (ratings, recs) = output::rating_rows(&facts);
    if !ratings.is_empty() {
        output::write_atomic(&args.output, "ratings.csv", &output::to_csv(&ratings)?)?;
        output::write_atomic(&args.output, "recommendations.csv", &output::to_csv(&recs)?)?;
    }

    eprintln!(
        "{written} PDF(s) and indicators.csv/json ({} rows) in {} after {:.1} s",
        rows.len(),
        args.output.display(),
        started.elapsed().as_secs_f64()
    );
    if !failures.is_empty() {
        bail!(
            "{} document(s) or member(s) failed:\n  {}",
            failures.len(),
            failures.join("\n  ")
        );
    }
    Ok(())
}

/// Reads and validates all inputs and prints what was found.
pub fn check(args: &CheckArgs) -> Result<()> {
    let partnership = config::load(&args.inputs)?;
    let members = partnership.member_keys();
    let data = ingest::read_all(&args.inputs, &members);
    println!(
        "{} – reporting year {}, {} members:",
        partnership.name,
        partnership.reporting_year,
        partnership.members.len()
    );
    for m in &partnership.members {
        let n = data.observations.iter().filter(|o| o.ags == m.ags).count();
        println!("  {} {:<24} {:?}  {n} observations", m.ags, m.name, m.role);
    }
    println!();
    println!(
        "{:<52} {:<34} {:<10} {:<16} {:>6}  {:<9}  {:<7}  variables",
        "file", "format", "encoding", "table", "rows", "years", "members"
    );
    for f in &data.files {
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
        println!(
            "{:<52} {:<34} {:<10} {:<16} {:>6}  {:<9}  {:<7}  {shown}{extra}",
            f.path,
            f.format,
            f.encoding,
            f.table,
            f.rows,
            years,
            format!("{}/{}", f.members.len(), members.len()),
        );
    }
    println!();
    if let Some(factors) = &data.factors {
        println!(
            "factors: {} emission factors, {} land-use fluxes, {} land-use mappings",
            factors.emission.len(),
            factors.land_flux.len(),
            factors.land_mapping.len()
        );
    }
    let missing = data.observations.iter().filter(|o| o.value.is_err()).count();
    if missing > 0 {
        println!("{missing} member observation(s) have no value (office symbols . x ... /, empty cells, or a municipality that did not exist yet); they are shown as “no data”.");
    }
    let mut warnings = data.warnings.clone();
    warnings.extend(ingest::stale(
        &data.observations,
        &members,
        partnership.reporting_year,
        ingest::STALE_AFTER_YEARS,
    ));
    for w in &warnings {
        println!("warning: {w}");
    }
    if !data.errors.is_empty() {
        let list: Vec<String> = data.errors.iter().map(ToString::to_string).collect();
        bail!("{} input error(s):\n{}", data.errors.len(), list.join("\n"));
    }
    println!(
        "{} observations for members from {} files, {} warning(s): OK",
        data.observations.len(),
        data.files.len(),
        warnings.len()
    );
    Ok(())
}

fn read_inputs(inputs: &Path, partnership: &config::Partnership) -> Result<ingest::Dataset> {
    ingest::ingest(inputs, &partnership.member_keys()).map_err(|errors| {
        let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
        anyhow!("{} input error(s):\n{}", errors.len(), list.join("\n"))
    })
}

fn select_members(p: &config::Partnership, wanted: &[String]) -> Result<BTreeSet<Ags>> {
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
                Err(anyhow!(
                    "--member {w}: not a member of the partnership; members are {}",
                    keys.iter().map(|k| k.to_string()).collect::<Vec<_>>().join(", ")
                ))
            }
        })
        .collect()
}

/// `bericht_2024_14729410_wurzen.pdf`: kind, year, AGS and a file-safe form of the name.
fn file_name(kind: render::DocKind, year: i32, member: Option<(&Ags, &str)>) -> String {
    match member {
        Some((ags, name)) => format!("{}_{year}_{ags}_{}.pdf", kind.slug(), slug(name)),
        None => format!("{}_{year}.pdf", kind.slug()),
    }
}

fn slug(name: &str) -> String {
    let mut s = String::new();
    for c in name.to_lowercase().chars() {
        match c {
            'ä' => s.push_str("ae"),
            'ö' => s.push_str("oe"),
            'ü' => s.push_str("ue"),
            'ß' => s.push_str("ss"),
            c if c.is_ascii_alphanumeric() => s.push(c),
            _ if !s.ends_with('-') && !s.is_empty() => s.push('-'),
            _ => {}
        }
    }
    let s = s.trim_end_matches('-').chars().take(40).collect::<String>();
    if s.is_empty() {
        "mitglied".into()
    } else {
        s
    }
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
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    RefDate::new(year, month, day)
        .map(Some)
        .ok_or_else(|| anyhow!("SOURCE_DATE_EPOCH=`{v}` is out of range"))
}

fn progress_bar(len: u64) -> ProgressBar {
    if std::io::stderr().is_terminal() {
        let pb = ProgressBar::new(len);
        pb.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}").unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        pb
    } else {
        ProgressBar::hidden()
    }
}

/// On a terminal the bar shows progress; otherwise one plain line per document.
fn log_line(pb: &ProgressBar, line: &str) {
    if pb.is_hidden() {
        eprintln!("{line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe() {
        assert_eq!(slug("Wurzen, Stadt"), "wurzen-stadt");
        assert_eq!(slug("Lößnitz/../x"), "loessnitz-x");
        assert_eq!(slug("#read(\"/etc\")"), "read-etc");
    }
}
