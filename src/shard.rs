//! Sharding a run over machines, and merging the shards' output folders.
//!
//! `build --shard K/N` writes the documents of every member whose position in the AGS-sorted member
//! list is K−1 modulo N, only those members' rows of indicators.csv, ratings.csv and
//! recommendations.csv, and `shard.json` (which shard, of which run, and the partnership position of
//! each of its members). Every shard reads all inputs and computes all members' facts, so means,
//! ranks and peer charts in its documents are those of the whole partnership; shard 1 also writes
//! the handbook. `merge` needs nothing but the shard folders: it checks that they belong to one run
//! and that every shard is there once, puts the rows back in partnership order, computes
//! partnership.csv from them, merges the manifests and links (or copies) the PDFs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::cli::{MergeArgs, Shard};
use crate::config::Partnership;
use crate::model::Ags;
use crate::output::{self, IndicatorRow, Manifest, RatingRow, RecommendationRow};

pub const SHARD_FILE: &str = "shard.json";

/// The members of shard `s`: sort all AGS, keep position i where i mod N = K − 1.
pub fn members(p: &Partnership, s: Shard) -> BTreeSet<Ags> {
    p.member_keys()
        .into_iter()
        .enumerate()
        .filter(|(i, _)| i % s.n == s.k - 1)
        .map(|(_, a)| a)
        .collect()
}

/// What a shard writes about itself, for `merge`.
#[derive(Debug, Serialize, Deserialize)]
pub struct ShardInfo {
    pub shard: usize,
    pub of: usize,
    /// Identifies the run: partnership name, year, member count and a hash of the member list and
    /// the documents selected. Shards of different runs are refused.
    pub run: String,
    pub partnership: String,
    pub year: i32,
    pub members_total: usize,
    /// This shard's members with their position in the partnership (0-based), in that order.
    pub members: Vec<(usize, String)>,
}

/// Identity of a run for `shard.json`: everything that must be equal across shards.
pub fn run_id(p: &Partnership, year: i32, documents: &str, lang: &str) -> String {
    let mut h = blake3::Hasher::new();
    for m in &p.members {
        h.update(m.ags.as_str().as_bytes());
        h.update(b"\n");
    }
    let list = h.finalize().to_hex();
    format!(
        "{} | {year} | {} members {} | {documents} | {lang}",
        p.name,
        p.members.len(),
        &list[..16]
    )
}

pub fn info(p: &Partnership, s: Shard, run: String, year: i32) -> ShardInfo {
    let mine = members(p, s);
    ShardInfo {
        shard: s.k,
        of: s.n,
        run,
        partnership: p.name.clone(),
        year,
        members_total: p.members.len(),
        members: p
            .members
            .iter()
            .enumerate()
            .filter(|(_, m)| mine.contains(&m.ags))
            .map(|(i, m)| (i, m.ags.to_string()))
            .collect(),
    }
}

/// `klimapartner merge --output DIR SHARD_DIR...`
pub fn merge(args: &MergeArgs) -> Result<()> {
    let started = std::time::Instant::now();
    let infos = read_infos(&args.shards)?;
    let first = &infos[0].1;
    check_complete(&infos)?;
    let _locks = lock_folders(&args.output, &infos)?;
    let position = positions(&infos)?;
    let merged = collect(&infos, &args.output, &position)?;
    merged.write(&args.output)?;
    crate::errln!(
        "merged {} shards of “{}”: {} PDF(s), {} indicator rows for {} members in {} after {:.1} s",
        infos.len(),
        first.partnership,
        merged.pdfs,
        merged.indicators.len(),
        first.members_total,
        args.output.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Each shard folder's `shard.json`.
fn read_infos(shards: &[PathBuf]) -> Result<Vec<(PathBuf, ShardInfo)>> {
    let mut infos: Vec<(PathBuf, ShardInfo)> = Vec::new();
    for dir in shards {
        let path = dir.join(SHARD_FILE);
        let bytes = std::fs::read(&path).with_context(|| {
            format!(
                "{} is not the output folder of a sharded build (no {SHARD_FILE}); run `klimapartner build --shard K/N --output {}` first",
                dir.display(),
                dir.display()
            )
        })?;
        let info: ShardInfo =
            serde_json::from_slice(&bytes).with_context(|| format!("{} does not parse", path.display()))?;
        infos.push((dir.clone(), info));
    }
    Ok(infos)
}

/// The shards belong to one run, and every shard of it is there once.
fn check_complete(infos: &[(PathBuf, ShardInfo)]) -> Result<()> {
    let (first_dir, first) = &infos[0];
    for (dir, i) in infos {
        if i.run != first.run || i.of != first.of {
            bail!(
                "{} belongs to another run than {}:\n  {} (shard of {})\n  {} (shard of {})\nmerge the shards of one run only",
                dir.display(),
                first_dir.display(),
                i.run,
                i.of,
                first.run,
                first.of
            );
        }
    }
    let mut seen: BTreeMap<usize, &Path> = BTreeMap::new();
    for (dir, i) in infos {
        if let Some(other) = seen.insert(i.shard, dir) {
            bail!(
                "shard {}/{} is given twice: {} and {}",
                i.shard,
                i.of,
                other.display(),
                dir.display()
            );
        }
    }
    let missing: Vec<String> = (1..=first.of)
        .filter(|k| !seen.contains_key(k))
        .map(|k| format!("{k}/{}", first.of))
        .collect();
    if !missing.is_empty() {
        bail!(
            "shard(s) {} missing; give all {} shard folders",
            missing.join(", "),
            first.of
        );
    }
    Ok(())
}

/// Creates the merged folder (not one of the shard folders) and locks it and the shard folders.
fn lock_folders(output: &Path, infos: &[(PathBuf, ShardInfo)]) -> Result<Vec<Option<output::FolderLock>>> {
    std::fs::create_dir_all(output).with_context(|| format!("cannot create the output folder {}", output.display()))?;
    let out_canon = output.canonicalize()?;
    for (dir, _) in infos {
        if dir.canonicalize().ok().as_ref() == Some(&out_canon) {
            bail!(
                "--output {} is one of the shard folders; write the merged result to a new folder",
                output.display()
            );
        }
    }
    // The merged folder is written by this run alone, and no shard folder may be in the middle of
    // its build (see `output::lock_folder`).
    std::iter::once(output::lock_folder(output, false))
        .chain(infos.iter().map(|(dir, _)| output::lock_folder(dir, true)))
        .collect::<Result<Vec<_>>>()
}

/// Position of every member in the partnership: rows are put back in that order.
fn positions(infos: &[(PathBuf, ShardInfo)]) -> Result<BTreeMap<String, usize>> {
    let mut position: BTreeMap<String, usize> = BTreeMap::new();
    for (_, i) in infos {
        for (pos, ags) in &i.members {
            position.insert(ags.clone(), *pos);
        }
    }
    let total = infos[0].1.members_total;
    if position.len() != total {
        bail!(
            "the shards list {} members, the partnership has {total}",
            position.len()
        );
    }
    Ok(position)
}

/// The shards' rows in partnership order, their manifests merged, and the number of PDFs linked.
struct Merged {
    indicators: Vec<IndicatorRow>,
    ratings: Vec<RatingRow>,
    recs: Vec<RecommendationRow>,
    manifest: Manifest,
    pdfs: usize,
}

/// Reads every shard's rows and links its PDFs into `output`.
fn collect(infos: &[(PathBuf, ShardInfo)], output: &Path, position: &BTreeMap<String, usize>) -> Result<Merged> {
    let pos = |ags: &str| position.get(ags).copied().unwrap_or(usize::MAX);
    let mut m = Merged {
        indicators: Vec::new(),
        ratings: Vec::new(),
        recs: Vec::new(),
        manifest: Manifest::new(),
        pdfs: 0,
    };
    for (dir, _) in infos {
        m.indicators
            .extend(output::read_csv::<IndicatorRow>(&dir.join("indicators.csv"))?);
        if dir.join("ratings.csv").exists() {
            m.ratings
                .extend(output::read_csv::<RatingRow>(&dir.join("ratings.csv"))?);
            m.recs
                .extend(output::read_csv::<RecommendationRow>(&dir.join("recommendations.csv"))?);
        }
        let shard_manifest = Manifest::load(dir);
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.ends_with(".pdf") || !entry.file_type()?.is_file() {
                continue;
            }
            link_or_copy(&entry.path(), output, &name)?;
            m.pdfs += 1;
            if let Some(e) = shard_manifest.documents.get(&name) {
                m.manifest.documents.insert(name, e.clone());
            }
        }
    }
    // Stable sorts: within a member the shard's own order is kept.
    m.indicators.sort_by_key(|r| pos(&r.ags));
    m.ratings.sort_by_key(|r| pos(&r.ags));
    m.recs.sort_by_key(|r| pos(&r.ags));
    Ok(m)
}

impl Merged {
    /// The merged data files and manifest.
    fn write(&self, out: &Path) -> Result<()> {
        output::write_atomic_with(out, "indicators.csv", |w| output::write_csv(w, &self.indicators))?;
        output::write_atomic_with(out, "indicators.json", |w| output::write_json(w, &self.indicators))?;
        let partnership = output::partnership_rows(&self.indicators);
        output::write_atomic_with(out, "partnership.csv", |w| output::write_csv(w, &partnership))?;
        if !self.ratings.is_empty() {
            output::write_atomic_with(out, "ratings.csv", |w| output::write_csv(w, &self.ratings))?;
            output::write_atomic_with(out, "recommendations.csv", |w| output::write_csv(w, &self.recs))?;
        }
        output::write_atomic(out, output::MANIFEST, &self.manifest.to_json()?)
    }
}

/// Hard-links `src` into `dir/name` (cheap on one file system), else copies it; atomically.
fn link_or_copy(src: &Path, dir: &Path, name: &str) -> Result<()> {
    let tmp = dir.join(format!(".{name}.link.part"));
    let _ = std::fs::remove_file(&tmp);
    if std::fs::hard_link(src, &tmp).is_err() {
        std::fs::copy(src, &tmp).with_context(|| format!("cannot copy {} to {}", src.display(), dir.display()))?;
    }
    std::fs::rename(&tmp, dir.join(name)).with_context(|| format!("cannot move {name} into place"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_members() {
        let text: String = std::iter::once("name = \"P\"\nreporting_year = 2024\n".to_string())
            .chain(
                ["14729410", "14713000", "14729030", "14729245", "14729380"]
                    .iter()
                    .map(|a| format!("[[member]]\nags = \"{a}\"\nname = \"M\"\nrole = \"rural\"\n")),
            )
            .collect();
        let p = crate::config::parse(&text).unwrap();
        let a = members(&p, Shard { k: 1, n: 2 });
        let b = members(&p, Shard { k: 2, n: 2 });
        let names = |s: &BTreeSet<Ags>| s.iter().map(|a| a.to_string()).collect::<Vec<_>>();
        assert_eq!(names(&a), ["14713000", "14729245", "14729410"]);
        assert_eq!(names(&b), ["14729030", "14729380"]);
        let i = info(&p, Shard { k: 2, n: 2 }, String::new(), 2024);
        assert_eq!(i.members, [(2, "14729030".to_string()), (4, "14729380".to_string())]);
    }
}
