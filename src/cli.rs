//! Command-line definitions only (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Annual documents of a regional climate partnership: a report and a council briefing per
/// member and the partnership handbook, as PDF, from the statistical exports in an inputs folder.
#[derive(Debug, Parser)]
#[command(name = "klimapartner", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read all inputs, compute the figures and write the PDFs plus indicators.csv/json.
    Build(BuildArgs),
    /// Read and validate all inputs and print what was found; writes no documents.
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Folder with partnership.toml, sources.toml, variables.csv, statistics/ and factors/.
    #[arg(long, value_name = "DIR", default_value = "inputs")]
    pub inputs: PathBuf,
    /// Folder the PDFs and indicators.csv/json are written to (created if missing).
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub output: PathBuf,
    /// Reporting year; each figure uses its latest reference date up to this year.
    /// Default: reporting_year in partnership.toml.
    #[arg(long, value_name = "YYYY")]
    pub year: Option<i32>,
    /// Only write documents for this member (8-digit AGS); repeat for several. Default: all members.
    /// Comparisons still use all members.
    #[arg(long = "member", value_name = "AGS")]
    pub members: Vec<String>,
    /// Language of the documents: `de` (German, default) or `en` (English).
    #[arg(long, value_name = "LANG", default_value = "de", value_parser = ["de", "en"])]
    pub lang: String,
    /// Folder with your own templates: a file named like a built-in template (report.typ.j2,
    /// briefing.typ.j2, handbook.typ.j2, theme.typ.j2, macros.typ.j2) replaces that one; the
    /// others stay built in.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Folder with partnership.toml and the statistics to check.
    #[arg(long, value_name = "DIR", default_value = "inputs")]
    pub inputs: PathBuf,
}
