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
    /// Combine the output folders of a sharded build (`build --shard K/N`) into one: indicators,
    /// ratings and recommendations in partnership order, partnership.csv, the manifest and the PDFs.
    Merge(MergeArgs),
    /// Run the start-balance estimator on municipalities with a published balance (as if they had
    /// no local data) and print its error: median and 80th percentile of |relative error|.
    Validate(ValidateArgs),
    /// Compute the national reference of similar municipalities (RegioStaR7 × size class: median
    /// and quartiles of PV and wind per inhabitant, land take, settlement and forest share) from the
    /// national tables and write it, e.g. to inputs/statistics/national/similar_reference.csv.
    Reference(ReferenceArgs),
    /// Write the font files the program embeds besides typst's own (DejaVu Sans) to a folder, so
    /// the typst CLI can compile a `--keep-typst` source with the same fonts.
    Fonts(FontsArgs),
    /// Write a commented partnership.toml for new members: official names, proposed roles, the
    /// reporting year of the latest data, the default scenario; print what to download per member.
    Init(InitArgs),
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
    /// Write the documents even if a member lacks population or area (the gaps are marked
    /// "keine Daten"); without it such a member stops the build with the table to download.
    #[arg(long)]
    pub allow_incomplete: bool,
    #[command(flatten)]
    pub scale: ScaleArgs,
}

/// Options for large and repeated runs (national runs, sharding, incremental rebuilds).
#[derive(Debug, Args, Default)]
pub struct ScaleArgs {
    /// Partnership file to use instead of <inputs>/partnership.toml, e.g.
    /// inputs/examples/germany.toml (every German municipality).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Which documents to write, comma-separated: report, briefing, handbook, all, or none (a
    /// data-only run: indicators.csv/json and the other tables, no typesetting).
    /// The handbook is only written for partnerships of at most 50 members.
    #[arg(long, value_name = "KINDS", value_delimiter = ',', default_value = "all")]
    pub documents: Vec<DocumentKind>,
    /// Rebuild every document, even those whose content hash in manifest.json is unchanged.
    #[arg(long)]
    pub force: bool,
    /// Write only shard K of N: the members whose position in the AGS-sorted member list is K-1
    /// modulo N, their indicator rows and shard.json (shard 1 also writes the handbook).
    /// Combine the shards' folders with `klimapartner merge`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// Also write each document's generated Typst source and chart files to DIR/<document>/
    /// (main.typ, the modules it imports such as theme.typ, charts/*.svg), compilable with
    /// `typst compile --root DIR/<document> DIR/<document>/main.typ`.
    #[arg(long, value_name = "DIR")]
    pub keep_typst: Option<PathBuf>,
    /// Number of worker threads (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
}

/// A kind of document for `--documents`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DocumentKind {
    Report,
    Briefing,
    Handbook,
    All,
    None,
}

/// `--shard K/N`: 1 ≤ K ≤ N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub k: usize,
    pub n: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("`{s}` is not a shard: write K/N with 1 ≤ K ≤ N, e.g. 2/8");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (k, n): (usize, usize) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if k == 0 || n == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Folder the combined result is written to (created if missing; not one of the shard folders).
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub output: PathBuf,
    /// The output folders of `build --shard K/N`, one per shard, all N of them.
    #[arg(value_name = "SHARD_DIR", required = true)]
    pub shards: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct FontsArgs {
    /// Folder to write the TTF files to (created if missing).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct ReferenceArgs {
    /// Folder with the national per-AGS tables (statistics/national/) and factors.
    #[arg(long, value_name = "DIR", default_value = "inputs")]
    pub inputs: PathBuf,
    /// Partnership file listing every municipality. Default: <inputs>/examples/germany.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Reporting year. Default: reporting_year of the partnership file.
    #[arg(long, value_name = "YYYY")]
    pub year: Option<i32>,
    /// Where to write the table.
    #[arg(long, value_name = "FILE")]
    pub write: PathBuf,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Folder with the statistics (the national per-AGS tables) and factors.
    #[arg(long, value_name = "DIR", default_value = "inputs")]
    pub inputs: PathBuf,
    /// Published balances: name, ags, year, inhabitants, <sector>_t, total_t[, sector_groups].
    #[arg(
        long,
        value_name = "FILE",
        default_value = "tests/fixtures/validation/published_balances_cities.csv"
    )]
    pub balances: PathBuf,
    /// Also write the summary as a factor table (e.g. inputs/factors/start_balance_error.csv).
    #[arg(long, value_name = "FILE")]
    pub write: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Folder with partnership.toml and the statistics to check.
    #[arg(long, value_name = "DIR", default_value = "inputs")]
    pub inputs: PathBuf,
    /// Partnership file to use instead of <inputs>/partnership.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Reporting year to check against (as `build --year`). Default: reporting_year in
    /// partnership.toml.
    #[arg(long, value_name = "YYYY")]
    pub year: Option<i32>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The members' 8-digit AGS, comma-separated, e.g. 14713000,14729410.
    #[arg(long, value_name = "A,B,C", value_delimiter = ',', required = true)]
    pub ags: Vec<String>,
    /// Folder with the statistics (the national tables give names, population and the latest year).
    #[arg(long, value_name = "DIR", default_value = "inputs")]
    pub inputs: PathBuf,
    /// File to write. Default: <inputs>/partnership.toml.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_syntax() {
        assert_eq!("2/8".parse::<Shard>(), Ok(Shard { k: 2, n: 8 }));
        assert!("0/8".parse::<Shard>().is_err());
        assert!("9/8".parse::<Shard>().is_err());
        assert!("2-8".parse::<Shard>().is_err());
    }
}
