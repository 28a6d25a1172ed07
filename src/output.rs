//! Writing results: every file appears whole (temp file in the same folder, then rename) or not
//! at all, so a failed run leaves earlier outputs untouched.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::compute::assessment::Assessment;
use crate::compute::{Facts, MemberFacts};

/// Writes `bytes` to `dir/name` atomically.
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    write_atomic_with(dir, name, |w| Ok(w.write_all(bytes)?))
}

/// Streams `dir/name` through `write` into a temporary file and renames it into place only if
/// `write` succeeds, so large tables never have to be held in memory whole.
///
/// The finished file has the mode a plain `File::create` gives under the user's umask (0644 under
/// 022): the temporary file is created with 0666 and the kernel applies the umask, as for any new
/// file; tempfile's own default, 0600, would keep a web server from publishing the documents.
pub fn write_atomic_with(dir: &Path, name: &str, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".part");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, tmp.as_file_mut());
        write(&mut w).with_context(|| format!("cannot write {name}"))?;
        w.flush().with_context(|| format!("cannot write {name}"))?;
    }
    // A full disk may show only here (delayed allocation, network file systems). A file system
    // that cannot sync at all (EINVAL) is not an error.
    if let Err(e) = tmp.as_file().sync_all() {
        if e.kind() != std::io::ErrorKind::InvalidInput {
            return Err(e).with_context(|| format!("cannot write {name}"));
        }
    }
    tmp.persist(dir.join(name))
        .with_context(|| format!("cannot move {name} into place in {}", dir.display()))?;
    Ok(())
}

/// A lock on an output folder, held until it is dropped (the lock ends with the process, however
/// it ends, so a killed run never leaves a stale lock behind).
///
/// The folder itself is locked (`flock` on its descriptor through `File::lock`), not a lock file
/// in it: nothing is added to the folder, so manifests, file lists and the rerun check are as
/// before, and there is no lock file to clean up.
#[derive(Debug)]
pub struct FolderLock {
    _dir: std::fs::File,
}

/// Locks `dir` for a run that writes into it (`build`, `merge`), or with `shared` for one that only
/// reads it (`merge` reading the shard folders). Does not wait: a folder in use is an error that
/// says so. A file system without locks (some network mounts) gives a warning and no lock.
pub fn lock_folder(dir: &Path, shared: bool) -> Result<Option<FolderLock>> {
    let file =
        std::fs::File::open(dir).with_context(|| format!("cannot open the folder {} to lock it", dir.display()))?;
    let locked = if shared {
        file.try_lock_shared()
    } else {
        file.try_lock()
    };
    match locked {
        Ok(()) => Ok(Some(FolderLock { _dir: file })),
        Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
            "{} is in use by another klimapartner run (a build or merge {} it); \
             wait until that run has finished, or give another folder with --output",
            dir.display(),
            if shared { "writing into" } else { "using" }
        ),
        Err(std::fs::TryLockError::Error(e)) => {
            crate::errln!(
                "warning: cannot lock {} ({e}); a second run into the same folder at the same time is not prevented",
                dir.display()
            );
            Ok(None)
        }
    }
}

/// `v` rounded to 1/`scale`; −0 becomes 0 (whether a computation ends in −0 or 0 can differ between
/// debug and release builds, and the files must not).
fn round_to(v: f64, scale: f64) -> f64 {
    (v * scale).round() / scale + 0.0
}

/// A value for a CSV or JSON cell: rounded, and `None` (an empty cell, `null`) if it is not finite,
/// so `inf` or `NaN` never reach a file.
fn cell(v: Option<f64>, scale: f64) -> Option<f64> {
    v.filter(|v| v.is_finite())
        .map(|v| round_to(v, scale))
        .filter(|v| v.is_finite())
}

/// Serialises a plain `f64` field as empty (`null` in JSON) when it is not finite.
fn finite<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.is_finite() {
        s.serialize_f64(*v)
    } else {
        s.serialize_none()
    }
}

/// One row of `indicators.csv` / `indicators.json`: a figure shown in the documents.
#[derive(Debug, Serialize, Deserialize)]
pub struct IndicatorRow {
    pub ags: String,
    pub name: String,
    pub indicator: String,
    pub label: String,
    pub year: Option<i32>,
    pub reference_date: String,
    pub value: Option<f64>,
    pub unit: String,
    pub source: String,
    pub quality: String,
    pub flag: String,
}

/// The rows of the members `keep` accepts (all members: `|_| true`), in partnership order, made
/// one at a time (a national run has about 400,000).
pub fn indicator_rows<'a>(
    facts: &'a Facts,
    keep: impl Fn(&crate::model::Ags) -> bool + 'a,
    label: impl Fn(&str) -> String + Copy + 'a,
) -> impl Iterator<Item = IndicatorRow> + 'a {
    facts
        .members
        .iter()
        .filter(move |m| keep(&m.member.ags))
        .flat_map(move |m| {
            m.figures.iter().map(move |f| IndicatorRow {
                ags: m.member.ags.to_string(),
                name: m.member.name.clone(),
                indicator: f.id.clone(),
                label: label(&f.id),
                year: f.date.map(|d| d.year),
                reference_date: f.date.map(|d| d.iso()).unwrap_or_default(),
                value: cell(f.value, 1e6),
                unit: f.unit.clone(),
                source: f
                    .sources
                    .iter()
                    .map(|s| format!("{} [{}]", s.citation(), s.file))
                    .collect::<Vec<_>>()
                    .join("; "),
                quality: f.grade.letter().to_string(),
                flag: f.flag.clone().unwrap_or_default(),
            })
        })
}

/// Rows as CSV with a header line, streamed to `w`.
pub fn write_csv<T: Serialize>(w: &mut dyn Write, rows: impl IntoIterator<Item = T>) -> Result<()> {
    let mut csv = csv::Writer::from_writer(w);
    for r in rows {
        csv.serialize(r)?;
    }
    csv.flush()?;
    Ok(())
}

/// Rows as a pretty-printed JSON array (one object per row) and a final newline, streamed to `w`.
pub fn write_json<T: Serialize>(w: &mut dyn Write, rows: impl IntoIterator<Item = T>) -> Result<()> {
    use serde::Serializer as _;
    let mut ser = serde_json::Serializer::pretty(&mut *w);
    ser.collect_seq(rows)?;
    w.write_all(b"\n")?;
    Ok(())
}

/// One row of `ratings.csv`: an indicator of the assessment system rated for a member.
#[derive(Debug, Serialize, Deserialize)]
pub struct RatingRow {
    pub ags: String,
    pub name: String,
    pub field: String,
    pub indicator: String,
    pub value: Option<f64>,
    pub reference_date: String,
    /// 1 (weak) to 5 (good); empty = no data.
    pub level: Option<u8>,
    pub trend: String,
    pub quality: String,
}

/// One row of `recommendations.csv`.
#[derive(Debug, Serialize, Deserialize)]
pub struct RecommendationRow {
    pub ags: String,
    pub name: String,
    pub rank: usize,
    pub measure: String,
    #[serde(serialize_with = "finite")]
    pub potential_t_per_year: f64,
    pub cost_eur_per_t: Option<f64>,
    #[serde(serialize_with = "finite")]
    pub score: f64,
    /// Effect on the member's own BISKO balance (issue 13; columns appended, older files lack them).
    #[serde(default, serialize_with = "finite")]
    pub own_balance_t_per_year: f64,
    /// Avoided emissions elsewhere (grid electricity) and land-use removals, outside the balance.
    #[serde(default, serialize_with = "finite")]
    pub elsewhere_t_per_year: f64,
    #[serde(default, serialize_with = "finite")]
    pub removal_t_per_year: f64,
    /// Net cost per year of the potential (negative: it saves money), €.
    #[serde(default, serialize_with = "finite")]
    pub net_cost_eur_per_year: f64,
    /// `quantified` or `unquantified` (ranked after the quantified ones).
    #[serde(default)]
    pub ranked_group: String,
}

/// One row of `supply_curve.csv`: a measure's tonnes from the rural partners' land, available from
/// its break-even price on, and the running total.
#[derive(Debug, Serialize)]
pub struct SupplyRow {
    pub price_eur_per_t: f64,
    pub measure: String,
    pub tonnes_per_year: f64,
    pub cumulative_tonnes_per_year: f64,
}

/// The rows of `supply_curve.csv` (empty without a compensation scenario).
pub fn supply_rows(facts: &Facts) -> Vec<SupplyRow> {
    let Some(c) = facts.region.compensation.as_ref() else {
        return Vec::new();
    };
    c.supply
        .iter()
        .map(|s| SupplyRow {
            price_eur_per_t: round_to(s.price_eur_per_t, 100.0),
            measure: s.measure.clone(),
            tonnes_per_year: round_to(s.tonnes, 100.0),
            cumulative_tonnes_per_year: round_to(s.cumulative_tonnes, 100.0),
        })
        .collect()
}

/// The members `keep` accepts that have an assessment, with it, in partnership order.
fn assessed<'a>(
    facts: &'a Facts,
    keep: impl Fn(&crate::model::Ags) -> bool + 'a,
) -> impl Iterator<Item = (&'a MemberFacts, &'a Assessment)> + 'a {
    facts
        .members
        .iter()
        .filter(move |m| keep(&m.member.ags))
        .filter_map(|m| Some((m, m.assessment.as_ref()?)))
}

/// The rows of `ratings.csv` of the members `keep` accepts, in partnership order.
pub fn rating_rows<'a>(
    facts: &'a Facts,
    keep: impl Fn(&crate::model::Ags) -> bool + 'a,
) -> impl Iterator<Item = RatingRow> + 'a {
    assessed(facts, keep).flat_map(|(m, a)| {
        a.ratings.iter().map(move |r| RatingRow {
            ags: m.member.ags.to_string(),
            name: m.member.name.clone(),
            field: r.field.to_string(),
            indicator: r.indicator.to_string(),
            value: cell(r.value, 1e6),
            reference_date: r.date.map(|d| d.iso()).unwrap_or_default(),
            level: r.level,
            trend: r.trend.map(|t| format!("{t:?}").to_lowercase()).unwrap_or_default(),
            quality: if r.value.is_some() {
                r.grade.letter().to_string()
            } else {
                String::new()
            },
        })
    })
}

/// The rows of `recommendations.csv` of the members `keep` accepts, in partnership order.
pub fn recommendation_rows<'a>(
    facts: &'a Facts,
    keep: impl Fn(&crate::model::Ags) -> bool + 'a,
) -> impl Iterator<Item = RecommendationRow> + 'a {
    assessed(facts, keep).flat_map(|(m, a)| {
        a.recommendations
            .iter()
            .enumerate()
            .map(move |(i, x)| RecommendationRow {
                ags: m.member.ags.to_string(),
                name: m.member.name.clone(),
                rank: i + 1,
                measure: x.measure.to_string(),
                potential_t_per_year: round_to(x.potential_t, 100.0),
                cost_eur_per_t: cell(x.cost_per_t, 100.0),
                score: round_to(x.score, 1e4),
                own_balance_t_per_year: round_to(x.own_t, 100.0),
                elsewhere_t_per_year: round_to(x.elsewhere_t, 100.0),
                removal_t_per_year: round_to(x.removal_t, 100.0),
                net_cost_eur_per_year: round_to(x.net_cost_eur, 1.0),
                ranked_group: x.group.as_str().to_string(),
            })
    })
}

/// Reads rows written by [`write_csv`] back (for `merge`).
pub fn read_csv<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Vec<T>> {
    let mut r = csv::Reader::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    r.deserialize()
        .enumerate()
        .map(|(i, row)| row.with_context(|| format!("{}: row {} is malformed", path.display(), i + 2)))
        .collect()
}

/// Units whose values add up over members (a sum over per-inhabitant values or shares means nothing).
const ADDITIVE_UNITS: &[&str] = &["Personen", "ha", "ha/a", "MWh", "t CO2e", "t CO2e/a", "kW"];

/// One row of `partnership.csv`: an indicator summarised over all members of the partnership.
#[derive(Debug, Serialize)]
pub struct PartnershipRow {
    pub indicator: String,
    pub label: String,
    pub unit: String,
    /// Members with a row for this indicator, and those of them with a value.
    pub members: usize,
    pub with_value: usize,
    /// Sum over members; only for additive units (inhabitants, ha, MWh, t, kW).
    pub sum: Option<f64>,
    pub mean: Option<f64>,
    pub median: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// Partnership-level figures computed from the per-member indicator rows alone, so a `merge` of
/// shards gives the same table as an unsharded run. Indicators in order of first appearance.
pub fn partnership_rows<R: std::borrow::Borrow<IndicatorRow>>(
    rows: impl IntoIterator<Item = R>,
) -> Vec<PartnershipRow> {
    let mut summary = PartnershipSummary::default();
    for r in rows {
        summary.add(r.borrow());
    }
    summary.finish()
}

/// [`partnership_rows`] fed one indicator row at a time, so a run can fill it while it writes
/// `indicators.csv` instead of making the rows again. Keeps per indicator its values, not the rows.
#[derive(Default)]
pub struct PartnershipSummary {
    order: Vec<String>,
    by_id: std::collections::HashMap<String, Acc>,
}

struct Acc {
    label: String,
    unit: String,
    same_unit: bool,
    members: usize,
    values: Vec<f64>,
}

impl PartnershipSummary {
    pub fn add(&mut self, r: &IndicatorRow) {
        let acc = match self.by_id.get_mut(&r.indicator) {
            Some(a) => a,
            None => {
                self.order.push(r.indicator.clone());
                self.by_id.entry(r.indicator.clone()).or_insert(Acc {
                    label: r.label.clone(),
                    unit: r.unit.clone(),
                    same_unit: true,
                    members: 0,
                    values: Vec::new(),
                })
            }
        };
        acc.members += 1;
        acc.same_unit &= r.unit == acc.unit;
        if let Some(v) = r.value.filter(|v| v.is_finite()) {
            acc.values.push(v);
        }
    }

    /// One row per indicator, in order of first appearance.
    pub fn finish(mut self) -> Vec<PartnershipRow> {
        // A sum of finite values can still overflow: such a cell stays empty.
        let round = |v: f64| round_to(v, 1e6);
        let fin = |v: Option<f64>| v.filter(|v| v.is_finite());
        self.order
            .into_iter()
            .map(|id| {
                let acc = self.by_id.remove(&id).expect("every id in order has an accumulator");
                // Values in member order (for the sum); a sorted copy for the median.
                let mut sorted = acc.values.clone();
                sorted.sort_by(f64::total_cmp);
                let n = sorted.len();
                let sum: f64 = acc.values.iter().sum();
                let median = (n > 0).then(|| {
                    if n % 2 == 1 {
                        sorted[n / 2]
                    } else {
                        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
                    }
                });
                PartnershipRow {
                    indicator: id,
                    label: acc.label,
                    unit: if acc.same_unit { acc.unit.clone() } else { String::new() },
                    members: acc.members,
                    with_value: n,
                    sum: fin(
                        (n > 0 && acc.same_unit && ADDITIVE_UNITS.contains(&acc.unit.as_str())).then(|| round(sum))
                    ),
                    mean: fin((n > 0).then(|| round(sum / n as f64))),
                    median: fin(median.map(round)),
                    min: sorted.first().copied().map(round),
                    max: sorted.last().copied().map(round),
                }
            })
            .collect()
    }
}

/// `manifest.json` in the output folder: per document the content hash of what was typeset
/// (generated Typst source, embedded files, PDF identity and date, program version) and the size of
/// the PDF written. A rerun skips a document whose hash is unchanged and whose PDF is still there.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// Program and typst version the hashes were made with; another version rebuilds everything.
    pub tool: String,
    /// The last run that completed without failures, if any: a rerun with the same key finds
    /// nothing to do as long as its files are all still there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<RunRecord>,
    pub documents: std::collections::BTreeMap<String, ManifestEntry>,
}

/// A complete run: the key of everything it was made from (see `run_key` in plan.rs) and every file
/// it wrote with its size.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRecord {
    pub key: String,
    pub pdfs: usize,
    pub indicator_rows: usize,
    pub files: std::collections::BTreeMap<String, u64>,
    /// Input warnings of that run, repeated when a rerun skips reading the inputs.
    #[serde(default)]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    pub hash: String,
    pub bytes: u64,
}

pub const MANIFEST: &str = "manifest.json";

impl Manifest {
    pub fn tool() -> String {
        format!("klimapartner {} (typst 0.15.1)", env!("CARGO_PKG_VERSION"))
    }

    pub fn new() -> Manifest {
        Manifest {
            tool: Manifest::tool(),
            run: None,
            documents: Default::default(),
        }
    }

    /// The last run's record if it was made with `key` and every file it wrote is still in `dir`
    /// with the same size.
    pub fn unchanged_run(&self, dir: &Path, key: &str) -> Option<&RunRecord> {
        self.run.as_ref().filter(|r| {
            r.key == key
                && r.files.iter().all(|(name, bytes)| {
                    std::fs::metadata(dir.join(name)).is_ok_and(|m| m.is_file() && m.len() == *bytes)
                })
        })
    }

    /// The manifest in `dir`, or an empty one if there is none, it does not parse or it was
    /// written by another version (then every document is rebuilt).
    pub fn load(dir: &Path) -> Manifest {
        // Under the file policy: a manifest.json that is a FIFO or a link out of the folder is ignored.
        crate::ingest::policy::read_file(crate::ingest::policy::Place::Inside(dir), &dir.join(MANIFEST), MANIFEST)
            .ok()
            .and_then(|b| serde_json::from_slice::<Manifest>(&b).ok())
            .filter(|m| m.tool == Manifest::tool())
            .unwrap_or_default()
    }

    /// True if `name` was built from content with this hash and its PDF is still in `dir` whole.
    pub fn unchanged(&self, dir: &Path, name: &str, hash: &str) -> bool {
        self.documents.get(name).is_some_and(|e| {
            e.hash == hash && std::fs::metadata(dir.join(name)).is_ok_and(|m| m.is_file() && m.len() == e.bytes)
        })
    }

    pub fn to_json(&self) -> Result<Vec<u8>> {
        let mut v = serde_json::to_vec_pretty(self)?;
        v.push(b'\n');
        Ok(v)
    }
}

/// Content hash of a document before typesetting: source, embedded files (path and bytes), the PDF
/// identity and date, and the program version.
pub fn document_hash(source: &str, files: &[(String, Vec<u8>)], ident: &str, date: &str) -> String {
    let mut h = blake3::Hasher::new();
    let mut field = |b: &[u8]| {
        h.update(&(b.len() as u64).to_le_bytes());
        h.update(b);
    };
    field(Manifest::tool().as_bytes());
    field(ident.as_bytes());
    field(date.as_bytes());
    field(source.as_bytes());
    for (path, bytes) in files {
        field(path.as_bytes());
        field(bytes);
    }
    h.finalize().to_hex().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(ags: &str, id: &str, unit: &str, value: Option<f64>) -> IndicatorRow {
        IndicatorRow {
            ags: ags.into(),
            name: String::new(),
            indicator: id.into(),
            label: id.into(),
            year: Some(2024),
            reference_date: String::new(),
            value,
            unit: unit.into(),
            source: String::new(),
            quality: "A".into(),
            flag: String::new(),
        }
    }

    #[test]
    fn partnership_summary() {
        let rows = [
            row("1", "population", "Personen", Some(10.0)),
            row("1", "share_forest", "%", Some(20.0)),
            row("2", "population", "Personen", Some(30.0)),
            row("2", "share_forest", "%", None),
            row("3", "population", "Personen", Some(20.0)),
        ];
        let p = partnership_rows(&rows);
        assert_eq!(p[0].indicator, "population");
        assert_eq!((p[0].sum, p[0].mean, p[0].median), (Some(60.0), Some(20.0), Some(20.0)));
        assert_eq!((p[1].members, p[1].with_value, p[1].sum), (2, 1, None));
    }

    #[test]
    fn nothing_non_finite_reaches_a_file() {
        assert_eq!(cell(Some(f64::INFINITY), 1e6), None);
        assert_eq!(cell(Some(f64::NAN), 1e6), None);
        assert_eq!(cell(Some(1.5), 1e6), Some(1.5));
        let rec = RecommendationRow {
            ags: "1".into(),
            name: String::new(),
            rank: 1,
            measure: "m".into(),
            potential_t_per_year: f64::INFINITY,
            cost_eur_per_t: None,
            score: f64::NAN,
            own_balance_t_per_year: f64::INFINITY,
            elsewhere_t_per_year: 0.0,
            removal_t_per_year: 0.0,
            net_cost_eur_per_year: f64::NAN,
            ranked_group: "quantified".into(),
        };
        let mut csv = Vec::new();
        write_csv(&mut csv, [&rec]).unwrap();
        let text = String::from_utf8(csv).unwrap();
        assert!(!text.contains("inf") && !text.contains("NaN"), "{text}");
        let mut json = Vec::new();
        write_json(&mut json, [&rec]).unwrap();
        let text = String::from_utf8(json).unwrap();
        assert!(text.contains("\"score\": null"), "{text}");
        let big = [row("1", "x", "t", Some(f64::MAX)), row("2", "x", "t", Some(f64::MAX))];
        let p = partnership_rows(&big);
        assert_eq!((p[0].sum, p[0].mean), (None, None));
    }

    #[test]
    fn hash_changes_with_any_part() {
        let files = vec![("/charts/a.svg".to_string(), b"<svg/>".to_vec())];
        let h = document_hash("= A", &files, "x", "2024-12-31");
        assert_eq!(h, document_hash("= A", &files, "x", "2024-12-31"));
        assert_ne!(h, document_hash("= B", &files, "x", "2024-12-31"));
        assert_ne!(h, document_hash("= A", &[], "x", "2024-12-31"));
        assert_ne!(h, document_hash("= A", &files, "y", "2024-12-31"));
    }
}
