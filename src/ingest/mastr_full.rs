//! Marktstammdatenregister Gesamtdatenexport: the register's complete export, a ZIP archive
//! (`Gesamtdatenexport_YYYYMMDD_VV.V.zip`, before 2024 `Gesamtdatenexport_YYYYMMDD__<hash>.zip`)
//! of XML files per table, UTF-16 (little endian, with BOM), each `<EinheitenSolar>` holding one
//! `<EinheitSolar>` per unit with child elements per field (`EinheitMastrNummer`,
//! `Gemeindeschluessel`, `Nettonennleistung` in kW with a decimal point, `Inbetriebnahmedatum` and
//! `DatumEndgueltigeStilllegung` as `YYYY-MM-DD`, `EinheitBetriebsstatus` as a catalogue id). Big
//! tables are split into `EinheitenSolar_1.xml`, `EinheitenSolar_2.xml`, …; a unit may be repeated
//! as the last of one part and the first of the next (counted once). Format as documented and read
//! by the open-MaStR project (see `tests/fixtures/mastr_full/README.md`).
//!
//! Read streaming: zip entry → [`Utf16Text`] (a chunked decoder) → quick-xml pull parser; memory
//! does not grow with the file, only with the number of (AGS, technology, year) sums. Unknown
//! elements, files and deeper nesting are ignored.
//!
//! Produces per member and technology (`pv`, `wind`, `biomass`, `hydro`, as the web export's
//! carriers) the net nominal capacity of the units in operation at the export date
//! (`mastr_capacity`, kW, dated by the export date from the file name, as [`super::mastr`] does for
//! the web export), and the same split by commissioning year (`mastr_capacity_by_year`, category
//! `<technology>_<year>`, e.g. `pv_2019`, also dated by the export date: the capacity in operation
//! then that was commissioned in that year; units without a commissioning date only in the total).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, BufRead, BufReader, Read, Seek};

use encoding_rs::{Decoder, Encoding, UTF_16BE, UTF_16LE, UTF_8};
use quick_xml::events::Event;

use crate::error::InputError;
use crate::model::{Ags, Grade, RefDate, Source};

/// Unit tables read (file-name stem → technology, the categories of the web export's carriers).
/// Every other file of the export (plants, operators, locations, storage …) is ignored.
pub const UNIT_TABLES: &[(&str, &str)] = &[
    ("EinheitenSolar", "pv"),
    ("EinheitenWind", "wind"),
    ("EinheitenBiomasse", "biomass"),
    ("EinheitenWasser", "hydro"),
];

/// The catalogue table that names the status ids (`Katalogwerte.xml`: `<Katalogwert><Id>35</Id>
/// <Wert>In Betrieb</Wert>…`), and the status text meaning "in operation".
const CATALOGUE: &str = "Katalogwerte.xml";
const IN_OPERATION: &str = "In Betrieb";
/// The catalogue id of "In Betrieb" where an export comes without `Katalogwerte.xml` (the
/// register's Betriebsstatus catalogue: 31 In Planung, 35 In Betrieb, 37 Vorübergehend
/// stillgelegt, 38 Endgültig stillgelegt; see the fixture's README).
const IN_OPERATION_ID: &str = "35";

/// Fields read from a unit record, in this order.
const UNIT_FIELDS: &[&str] = &[
    "EinheitMastrNummer",
    "Gemeindeschluessel",
    "Nettonennleistung",
    "Inbetriebnahmedatum",
    "EinheitBetriebsstatus",
    "DatumEndgueltigeStilllegung",
];
const F_NR: usize = 0;
const F_KEY: usize = 1;
const F_NET: usize = 2;
const F_START: usize = 3;
const F_STATUS: usize = 4;
const F_END: usize = 5;

/// The variables produced: the web export's, and its split by commissioning year.
const TOTAL: &str = "mastr_capacity";
const BY_YEAR: &str = "mastr_capacity_by_year";

/// Size of the decoder's input and output chunks.
const CHUNK: usize = 64 * 1024;

/// A `BufRead` of UTF-8 text decoded chunk by chunk from UTF-16 (LE or BE, by BOM or by the
/// zero bytes of `<`) or UTF-8: never more than two chunks in memory.
pub struct Utf16Text<R> {
    inner: R,
    decoder: Decoder,
    raw: Box<[u8]>,
    raw_pos: usize,
    raw_end: usize,
    raw_eof: bool,
    out: Box<[u8]>,
    out_pos: usize,
    out_end: usize,
    done: bool,
    /// The encoding found, for the report.
    pub encoding: &'static Encoding,
}

impl<R: Read> Utf16Text<R> {
    pub fn new(mut inner: R) -> io::Result<Self> {
        let mut raw = vec![0u8; CHUNK].into_boxed_slice();
        let mut end = 0;
        while end < 4 {
            let n = inner.read(&mut raw[end..])?;
            if n == 0 {
                break;
            }
            end += n;
        }
        let encoding = match Encoding::for_bom(&raw[..end]) {
            Some((e, _)) => e,
            None if end >= 2 && raw[0] != 0 && raw[1] == 0 => UTF_16LE,
            None if end >= 2 && raw[0] == 0 && raw[1] != 0 => UTF_16BE,
            None => UTF_8,
        };
        Ok(Utf16Text {
            inner,
            decoder: encoding.new_decoder_with_bom_removal(),
            raw,
            raw_pos: 0,
            raw_end: end,
            raw_eof: end == 0,
            out: vec![0u8; CHUNK].into_boxed_slice(),
            out_pos: 0,
            out_end: 0,
            done: false,
            encoding,
        })
    }
}

impl<R: Read> Read for Utf16Text<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Utf16Text<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.out_pos == self.out_end && !self.done {
            if self.raw_pos == self.raw_end && !self.raw_eof {
                let n = self.inner.read(&mut self.raw)?;
                self.raw_pos = 0;
                self.raw_end = n;
                self.raw_eof = n == 0;
            }
            // Malformed sequences become U+FFFD; the fields read are ASCII.
            let (result, read, written, _) =
                self.decoder
                    .decode_to_utf8(&self.raw[self.raw_pos..self.raw_end], &mut self.out, self.raw_eof);
            self.raw_pos += read;
            self.out_pos = 0;
            self.out_end = written;
            if self.raw_eof && result == encoding_rs::CoderResult::InputEmpty {
                self.done = true;
            }
        }
        Ok(&self.out[self.out_pos..self.out_end])
    }

    fn consume(&mut self, amt: usize) {
        self.out_pos = (self.out_pos + amt).min(self.out_end);
    }
}

/// Records of one XML table: the elements two levels down (`<EinheitenSolar><EinheitSolar>`),
/// with the text of the named child elements; anything else is skipped.
struct Records<R: BufRead> {
    reader: quick_xml::Reader<R>,
    buf: Vec<u8>,
    depth: usize,
    field: Option<usize>,
    names: &'static [&'static str],
    values: Vec<String>,
}

impl<R: BufRead> Records<R> {
    fn new(text: R, names: &'static [&'static str]) -> Self {
        Records {
            reader: quick_xml::Reader::from_reader(text),
            buf: Vec::with_capacity(1024),
            depth: 0,
            field: None,
            names,
            values: vec![String::new(); names.len()],
        }
    }

    /// Byte offset in the decoded (UTF-8) text.
    fn position(&self) -> u64 {
        self.reader.buffer_position()
    }

    /// The next record into `values` (`Ok(false)` at the end); an error is a message.
    fn next(&mut self) -> Result<bool, String> {
        loop {
            self.buf.clear();
            match self.reader.read_event_into(&mut self.buf) {
                Ok(Event::Start(e)) => {
                    self.depth += 1;
                    if self.depth == 2 {
                        self.values.iter_mut().for_each(String::clear);
                    } else if self.depth == 3 {
                        let name = e.local_name();
                        self.field = self.names.iter().position(|n| *n == name.into_inner());
                    }
                }
                Ok(Event::Text(t)) if self.depth == 3 => {
                    if let Some(f) = self.field {
                        self.values[f].push_str(t.trim());
                    }
                }
                Ok(Event::CData(t)) if self.depth == 3 => {
                    if let Some(f) = self.field {
                        self.values[f].push_str(t.trim());
                    }
                }
                Ok(Event::End(_)) => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 2 {
                        self.field = None;
                    } else if self.depth == 1 {
                        return Ok(true);
                    }
                }
                Ok(Event::Eof) if self.depth > 0 => {
                    return Err("the XML ends inside an element (the file is cut off)".into());
                }
                Ok(Event::Eof) => return Ok(false),
                Ok(_) => {}
                Err(e) => return Err(e.to_string()),
            }
        }
    }
}

/// What a scan found: capacity per (AGS, technology, commissioning year), kW, and counts.
#[derive(Debug, Default)]
pub struct Totals {
    /// (AGS, technology, commissioning year; `None` without a date) → (kW, first unit's ordinal).
    pub capacity: BTreeMap<(Ags, &'static str, Option<i32>), (f64, usize)>,
    /// Unit records read in all unit tables.
    pub units: usize,
    /// Units kept: in operation at the export date, in a wanted municipality.
    pub kept: usize,
    /// Units repeated at the boundary of two parts of a table (counted once).
    pub repeated: usize,
    /// Unpacked size of the unit tables read, bytes of UTF-16 XML (for the benchmark).
    pub xml_bytes: u64,
    /// Unit table entries read, in order.
    pub entries: Vec<String>,
}

/// The export date from the file name (`Gesamtdatenexport_20250403_25.1.zip`).
pub fn export_date(rel: &str) -> Option<RefDate> {
    let name = rel.rsplit('/').next()?;
    let i = name.find("Gesamtdatenexport_")? + "Gesamtdatenexport_".len();
    let d = name.get(i..i + 8)?;
    if !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    RefDate::new(d[..4].parse().ok()?, d[4..6].parse().ok()?, d[6..].parse().ok()?)
}

/// The technology and part number of a unit table entry (`EinheitenSolar_12.xml` → (`pv`, 12)).
fn unit_table(name: &str) -> Option<(usize, u32)> {
    let file = name.rsplit('/').next()?;
    let stem = file.strip_suffix(".xml").or_else(|| file.strip_suffix(".XML"))?;
    let (base, part) = match stem.rsplit_once('_') {
        Some((b, p)) if !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()) => (b, p.parse().ok()?),
        _ => (stem, 0),
    };
    let tech = UNIT_TABLES.iter().position(|(t, _)| *t == base)?;
    Some((tech, part))
}

/// True if the ZIP archive is a Gesamtdatenexport (holds a unit table): only its directory is read.
pub fn is_full_export(file: &std::fs::File) -> bool {
    let Ok(archive) = zip::ZipArchive::new(BufReader::new(file)) else {
        return false;
    };
    let found = archive.file_names().any(|n| n.is_ok_and(|n| unit_table(&n).is_some()));
    found
}

/// Reads the unit tables of an export (any `Read + Seek`), keeping units in operation on `date`
/// whose municipality `keep` wants. `rel` names the file in errors.
pub fn scan<R: Read + Seek>(
    rel: &str,
    zip: R,
    date: RefDate,
    keep: &dyn Fn(&Ags) -> bool,
) -> Result<Totals, InputError> {
    let hint = "download the Gesamtdatenexport again (the archive is damaged)";
    let mut archive = zip::ZipArchive::new(zip)
        .map_err(|e| InputError::new(rel, format!("is not a readable ZIP archive: {e}"), hint))?;
    let mut tables: Vec<(usize, u32, String)> = archive
        .file_names()
        .filter_map(|n| n.ok().and_then(|n| unit_table(&n).map(|(t, p)| (t, p, n.to_string()))))
        .collect();
    tables.sort();
    let in_operation = match archive.index_for_name(CATALOGUE) {
        Some(i) => status_ids(rel, &mut archive, i)?,
        None => [IN_OPERATION_ID.to_string()].into(),
    };
    let mut totals = Totals::default();
    let mut previous: Option<(usize, String)> = None;
    for (tech, _, name) in tables {
        let entry = archive.by_name(&name).map_err(|e| {
            InputError::new(
                rel,
                format!("`{name}` in the ZIP archive cannot be unpacked: {e}"),
                hint,
            )
        })?;
        totals.xml_bytes += entry.size();
        let text = Utf16Text::new(entry).map_err(|e| unpack_error(rel, &name, &e))?;
        let mut records = Records::new(text, UNIT_FIELDS);
        let boundary = previous.take().filter(|(t, _)| *t == tech).map(|(_, nr)| nr);
        let mut scan = TableScan {
            rel,
            entry: &name,
            tech,
            date,
            in_operation: &in_operation,
            keep,
            totals: &mut totals,
            first: true,
            boundary,
        };
        let last = scan.run(&mut records)?;
        totals.entries.push(name.clone());
        previous = last.map(|nr| (tech, nr));
    }
    Ok(totals)
}

fn unpack_error(rel: &str, entry: &str, e: &io::Error) -> InputError {
    InputError::new(
        rel,
        format!("`{entry}` in the ZIP archive cannot be unpacked: {e}"),
        "download the Gesamtdatenexport again (the archive is damaged)",
    )
}

/// The catalogue ids whose value is "In Betrieb".
fn status_ids<R: Read + Seek>(
    rel: &str,
    archive: &mut zip::ZipArchive<R>,
    index: usize,
) -> Result<BTreeSet<String>, InputError> {
    const FIELDS: &[&str] = &["Id", "Wert"];
    let entry = archive
        .by_index(index)
        .map_err(|e| unpack_error(rel, CATALOGUE, &io::Error::other(e)))?;
    let mut records = Records::new(
        Utf16Text::new(entry).map_err(|e| unpack_error(rel, CATALOGUE, &e))?,
        FIELDS,
    );
    let mut ids = BTreeSet::new();
    while records
        .next()
        .map_err(|m| xml_error(rel, CATALOGUE, &m, records.position(), None))?
    {
        if records.values[1] == IN_OPERATION {
            ids.insert(records.values[0].clone());
        }
    }
    if ids.is_empty() {
        return Err(InputError::new(
            rel,
            format!("`{CATALOGUE}` names no status `{IN_OPERATION}`"),
            "download the Gesamtdatenexport again; its catalogue names the operating status of the units",
        ));
    }
    Ok(ids)
}

fn xml_error(rel: &str, entry: &str, message: &str, at: u64, unit: Option<&str>) -> InputError {
    let after = unit.map(|u| format!(" after unit {u}")).unwrap_or_default();
    InputError::new(
        rel,
        format!("`{entry}` is not readable XML at byte {at} of its text{after}: {message}"),
        "download the Gesamtdatenexport again; do not unpack and re-save its XML files",
    )
}

/// One unit table being read.
struct TableScan<'a> {
    rel: &'a str,
    entry: &'a str,
    tech: usize,
    date: RefDate,
    in_operation: &'a BTreeSet<String>,
    keep: &'a dyn Fn(&Ags) -> bool,
    totals: &'a mut Totals,
    /// Before the first record of the entry.
    first: bool,
    /// The last unit of the previous part of the same table.
    boundary: Option<String>,
}

impl TableScan<'_> {
    /// Reads all records; returns the last unit's MaStR number.
    fn run<R: BufRead>(&mut self, records: &mut Records<R>) -> Result<Option<String>, InputError> {
        let mut last: Option<String> = None;
        loop {
            let more = records
                .next()
                .map_err(|m| xml_error(self.rel, self.entry, &m, records.position(), last.as_deref()))?;
            if !more {
                return Ok(last);
            }
            let v = &records.values;
            let first = std::mem::replace(&mut self.first, false);
            if first && self.boundary.as_deref() == Some(v[F_NR].as_str()) {
                self.totals.repeated += 1;
                continue;
            }
            self.totals.units += 1;
            self.unit(v)?;
            match &mut last {
                Some(s) => {
                    s.clear();
                    s.push_str(&v[F_NR]);
                }
                None => last = Some(v[F_NR].clone()),
            }
        }
    }

    fn error(&self, v: &[String], field: &str, message: String, hint: &str) -> InputError {
        let nr = if v[F_NR].is_empty() {
            "without MaStR number"
        } else {
            v[F_NR].as_str()
        };
        InputError::new(self.rel, format!("`{}`, unit {nr}: {message}", self.entry), hint).column(field)
    }

    fn date_field(&self, v: &[String], f: usize) -> Result<Option<RefDate>, InputError> {
        let s = v[f].as_str();
        if s.is_empty() {
            return Ok(None);
        }
        s.get(..10).and_then(RefDate::parse).map(Some).ok_or_else(|| {
            self.error(
                v,
                UNIT_FIELDS[f],
                format!("`{}` is not a date", super::table::shorten(s)),
                "the register writes dates as YYYY-MM-DD; download the export again",
            )
        })
    }

    /// One unit: counted if in operation on the export date and wanted.
    fn unit(&mut self, v: &[String]) -> Result<(), InputError> {
        let status = v[F_STATUS].as_str();
        if !(self.in_operation.contains(status) || status == IN_OPERATION) || v[F_KEY].is_empty() {
            return Ok(()); // planned or shut down; offshore units have no municipality
        }
        let start = self.date_field(v, F_START)?;
        if start.is_some_and(|d| d > self.date) || self.date_field(v, F_END)?.is_some_and(|d| d <= self.date) {
            return Ok(());
        }
        let ags = Ags::parse(&v[F_KEY]).map_err(|m| {
            self.error(
                v,
                "Gemeindeschluessel",
                m,
                "the Gemeindeschluessel must be the 8-digit AGS with leading zeros",
            )
        })?;
        if !(self.keep)(&ags) {
            return Ok(());
        }
        let kw: f64 = v[F_NET]
            .parse()
            .ok()
            .filter(|x: &f64| x.is_finite() && *x >= 0.0)
            .ok_or_else(|| {
                self.error(
                    v,
                    "Nettonennleistung",
                    format!("`{}` is not a capacity", super::table::shorten(&v[F_NET])),
                    "the net nominal capacity is in kW with a decimal point, e.g. 9.600",
                )
            })?;
        self.totals.kept += 1;
        let ordinal = self.totals.units;
        let e = self
            .totals
            .capacity
            .entry((ags, UNIT_TABLES[self.tech].1, start.map(|d| d.year)))
            .or_insert((0.0, ordinal));
        e.0 += kw;
        Ok(())
    }
}

/// Reads a Gesamtdatenexport from `inputs/` (never whole into memory): the observations of the
/// members, as [`super::read_bytes`] gives them for other formats.
#[allow(clippy::too_many_arguments)]
pub(super) fn read_path(
    file: std::fs::File,
    rel: &str,
    source: Option<Source>,
    aliases: &super::Aliases,
    members: &BTreeSet<Ags>,
    changes: &super::MunicipalChanges,
    warnings: &mut Vec<String>,
) -> Result<Option<super::FileResult>, InputError> {
    let date = export_date(rel).ok_or_else(|| {
        InputError::new(
            rel,
            "is a Marktstammdatenregister Gesamtdatenexport, but its name carries no export date",
            "keep the name the register gives the download, `Gesamtdatenexport_YYYYMMDD_…zip`",
        )
    })?;
    let source = source.unwrap_or_else(|| citation(rel, date));
    let mut ctx = new_ctx(rel, source, aliases, members, changes);
    ctx.report.format = "Marktstammdatenregister (Gesamtdatenexport)";
    ctx.report.encoding = "UTF-16";
    ctx.report.table = "MaStR Einheiten (Gesamtdatenexport)".into();
    let totals = {
        let keep = |a: &Ags| ctx.target(a).is_some();
        scan(rel, BufReader::new(file), date, &keep)?
    };
    ctx.report.rows = totals.units;
    ctx.report.variables.insert("mastr_capacity".into());
    emit(&mut ctx, &totals, date);
    ctx.finish()?;
    warnings.append(&mut ctx.warnings);
    warnings.extend(super::checks::missing_summary(&ctx.report.path, &ctx.out));
    Ok(Some((ctx.report, ctx.out, ctx.regional)))
}

/// A reader's context for the export (as [`super::read_bytes`] makes one).
fn new_ctx<'a>(
    rel: &str,
    source: Source,
    aliases: &'a super::Aliases,
    members: &'a BTreeSet<Ags>,
    changes: &'a super::MunicipalChanges,
) -> super::FileCtx<'a> {
    super::FileCtx::new(rel.to_string(), rel, source, aliases, members, changes)
}

/// The sums as observations: per member and technology at the export date, and by year. An
/// observation's `line` is the ordinal of the first unit counted in it (units numbered across the
/// unit tables in reading order), as a line number is for the CSV formats.
fn emit(ctx: &mut super::FileCtx<'_>, totals: &Totals, date: RefDate) {
    use super::text::Cell;
    let mut sums: BTreeMap<(&Ags, &str), (f64, usize)> = BTreeMap::new();
    for ((ags, tech, year), (kw, first)) in &totals.capacity {
        let s = sums.entry((ags, tech)).or_insert((0.0, *first));
        s.0 += kw;
        s.1 = s.1.min(*first);
        if let Some(y) = year {
            let target = ctx.target(ags);
            let cell = Cell::Number(*kw);
            let unit = Some("kW");
            ctx.emit_to(
                target,
                BY_YEAR,
                None,
                Some(format!("{tech}_{y}")),
                date,
                cell,
                None,
                unit,
                *first,
            );
        }
    }
    for ((ags, tech), (kw, first)) in sums {
        let target = ctx.target(ags);
        ctx.emit_to(
            target,
            TOTAL,
            None,
            Some(tech.to_string()),
            date,
            Cell::Number(kw),
            None,
            Some("kW"),
            first,
        );
    }
}

/// The export's own citation: Bundesnetzagentur, Marktstammdatenregister, Gesamtdatenexport of the
/// date in its name, Datenlizenz Deutschland – Namensnennung 2.0; the register's own figures for the
/// member (grade A).
pub fn citation(rel: &str, date: RefDate) -> Source {
    let stand = date.display(crate::format::Style::German);
    Source {
        file: rel.to_string(),
        publisher: "Bundesnetzagentur".into(),
        title: format!("Marktstammdatenregister, Gesamtdatenexport (Stand {stand})"),
        table: String::new(),
        licence: "dl-de/by-2-0".into(),
        attribution: format!("© Bundesnetzagentur, Marktstammdatenregister; Stand {stand}"),
        grade: Grade::A,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fixture read as `build` reads it: the hand sums of its README, by year, cited itself.
    #[test]
    fn fixture_gives_the_hand_sums_per_member_technology_and_year() {
        let rel = "statistics/mastr/Gesamtdatenexport_20241001_24.2.zip";
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/mastr_full/Gesamtdatenexport_20241001_24.2.zip"
        );
        let members: BTreeSet<Ags> = ["14729380", "14729410"]
            .iter()
            .map(|a| Ags::parse(a).unwrap())
            .collect();
        let (aliases, changes) = (
            super::super::Aliases::default(),
            super::super::MunicipalChanges::default(),
        );
        let file = std::fs::File::open(path).unwrap();
        let (report, obs, _) = read_path(file, rel, None, &aliases, &members, &changes, &mut Vec::new())
            .unwrap()
            .unwrap();
        assert_eq!(
            (report.rows, report.years.iter().copied().collect::<Vec<_>>()),
            (13, vec![2024])
        );
        let got: BTreeMap<(String, String, String), f64> = obs
            .iter()
            .map(|o| {
                assert_eq!(o.date, RefDate::new(2024, 10, 1).unwrap());
                assert_eq!(
                    (o.source.publisher.as_str(), o.source.grade),
                    ("Bundesnetzagentur", Grade::A)
                );
                let key = (
                    o.ags.to_string(),
                    o.variable.clone(),
                    o.category.clone().unwrap_or_default(),
                );
                (key, o.value.unwrap())
            })
            .collect();
        let want = [
            ("14729380", TOTAL, "pv", 43.5),
            ("14729380", BY_YEAR, "pv_2019", 9.6),
            ("14729380", BY_YEAR, "pv_2021", 29.7),
            ("14729380", BY_YEAR, "pv_2024", 4.2),
            ("14729410", TOTAL, "pv", 750.0),
            ("14729410", BY_YEAR, "pv_2020", 750.0),
            ("14729410", TOTAL, "wind", 3000.0),
            ("14729410", BY_YEAR, "wind_2016", 3000.0),
        ];
        assert_eq!(got.len(), want.len(), "{got:?}");
        for (a, v, c, kw) in want {
            let x = got[&(a.to_string(), v.to_string(), c.to_string())];
            assert!((x - kw).abs() < 1e-9, "{a} {v} {c}: {x}");
        }
    }

    #[test]
    fn export_date_from_the_name() {
        assert_eq!(
            export_date("statistics/mastr/Gesamtdatenexport_20250403_25.1.zip"),
            RefDate::new(2025, 4, 3)
        );
        assert_eq!(
            export_date("Gesamtdatenexport_20220203__840cfde7b693453982d28db827025ff0.zip"),
            RefDate::new(2022, 2, 3)
        );
        assert_eq!(export_date("mastr.zip"), None);
        assert_eq!(export_date("Gesamtdatenexport_2025.zip"), None);
    }

    #[test]
    fn unit_tables_by_name() {
        assert_eq!(unit_table("EinheitenSolar_12.xml"), Some((0, 12)));
        assert_eq!(unit_table("EinheitenWind.xml"), Some((1, 0)));
        assert_eq!(unit_table("EinheitenWasser.xml"), Some((3, 0)));
        assert_eq!(unit_table("AnlagenEegSolar_1.xml"), None);
        assert_eq!(
            unit_table("EinheitenGeoSolarthermieGrubenKlaerschlammDruckentspannung.xml"),
            None
        );
        assert_eq!(unit_table("EinheitenSolar_1.csv"), None);
    }

    fn utf16le(s: &str) -> Vec<u8> {
        let mut b = vec![0xFF, 0xFE];
        b.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        b
    }

    /// Decoding in chunks gives the whole text, also where a character straddles two chunks.
    #[test]
    fn decodes_utf16_across_chunk_boundaries() {
        let text: String = "<a>Grünstraße ß 😀</a>".repeat(CHUNK / 10);
        for bytes in [utf16le(&text), {
            let mut b = vec![0xFE, 0xFF];
            b.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
            b
        }] {
            // A reader that gives 3 bytes at a time splits code units and surrogate pairs.
            struct Trickle(Vec<u8>, usize);
            impl Read for Trickle {
                fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                    let n = buf.len().min(3).min(self.0.len() - self.1);
                    buf[..n].copy_from_slice(&self.0[self.1..self.1 + n]);
                    self.1 += n;
                    Ok(n)
                }
            }
            let mut out = String::new();
            Utf16Text::new(Trickle(bytes, 0))
                .unwrap()
                .read_to_string(&mut out)
                .unwrap();
            assert_eq!(out, text);
        }
        let mut out = String::new();
        let no_bom: Vec<u8> = "<x/>".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let mut d = Utf16Text::new(&no_bom[..]).unwrap();
        assert_eq!(d.encoding, UTF_16LE);
        d.read_to_string(&mut out).unwrap();
        assert_eq!(out, "<x/>");
        assert_eq!(Utf16Text::new(&b"<x/>"[..]).unwrap().encoding, UTF_8);
    }

    fn zip_of(files: &[(&str, &str)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
        for (name, body) in files {
            w.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
            io::Write::write_all(&mut w, &utf16le(body)).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn solar(units: &[(&str, &str, &str, &str, &str)]) -> String {
        let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<EinheitenSolar>\n");
        for (nr, ags, kw, start, status) in units {
            s.push_str(&format!(
                "<EinheitSolar><EinheitMastrNummer>{nr}</EinheitMastrNummer><Neu><Tief>x</Tief></Neu>\
                 <Gemeindeschluessel>{ags}</Gemeindeschluessel><Nettonennleistung>{kw}</Nettonennleistung>\
                 <Inbetriebnahmedatum>{start}</Inbetriebnahmedatum><EinheitBetriebsstatus>{status}</EinheitBetriebsstatus>\
                 </EinheitSolar>\n"
            ));
        }
        s.push_str("</EinheitenSolar>\n");
        s
    }

    fn member(a: &str) -> impl Fn(&Ags) -> bool + '_ {
        move |x: &Ags| x.as_str() == a
    }

    #[test]
    fn sums_units_in_operation_of_members_by_year_and_counts_a_repeated_unit_once() {
        let part1 = solar(&[
            ("SEE1", "14729380", "9.600", "2019-05-01", "35"),
            ("SEE2", "14729380", "0.800", "2019-07-01", "35"),
            ("SEE3", "14729380", "100.000", "2020-01-01", "31"), // planned
            ("SEE4", "14713000", "50.000", "2020-01-01", "35"),  // not a member
            ("SEE5", "14729380", "7.000", "2026-01-01", "35"),   // after the export date
        ]);
        let part2 = solar(&[
            ("SEE5", "14729380", "7.000", "2026-01-01", "35"), // repeated at the boundary
            ("SEE6", "14729380", "3.250", "", "35"),
        ]);
        let zip = zip_of(&[
            ("EinheitenSolar_2.xml", &part2),
            ("EinheitenSolar_1.xml", &part1),
            ("Netze.xml", "<x/>"),
        ]);
        let t = scan(
            "G.zip",
            io::Cursor::new(zip),
            RefDate::new(2025, 4, 3).unwrap(),
            &member("14729380"),
        )
        .unwrap();
        let a = Ags::parse("14729380").unwrap();
        assert_eq!(t.entries, ["EinheitenSolar_1.xml", "EinheitenSolar_2.xml"]);
        assert_eq!((t.units, t.kept, t.repeated), (6, 3, 1));
        assert!((t.capacity[&(a.clone(), "pv", Some(2019))].0 - 10.4).abs() < 1e-9);
        assert!((t.capacity[&(a, "pv", None)].0 - 3.25).abs() < 1e-9);
        assert_eq!(t.capacity.len(), 2);
    }

    #[test]
    fn status_from_the_catalogue_and_errors_name_entry_and_unit() {
        let catalogue = "<Katalogwerte><Katalogwert><Id>99</Id><Wert>In Betrieb</Wert></Katalogwert>\
                         <Katalogwert><Id>35</Id><Wert>In Planung</Wert></Katalogwert></Katalogwerte>";
        let body = solar(&[
            ("SEE1", "14729380", "1.0", "2019-05-01", "99"),
            ("SEE2", "14729380", "2.0", "2019-05-01", "35"),
        ]);
        let zip = zip_of(&[("Katalogwerte.xml", catalogue), ("EinheitenSolar.xml", &body)]);
        let date = RefDate::new(2025, 4, 3).unwrap();
        let t = scan("G.zip", io::Cursor::new(zip), date, &member("14729380")).unwrap();
        assert_eq!(t.kept, 1, "the id the catalogue names `In Betrieb`, not 35");

        let bad = solar(&[("SEE7", "14729380", "9,6", "2019-05-01", "35")]);
        let e = scan(
            "G.zip",
            io::Cursor::new(zip_of(&[("EinheitenWind.xml", &bad)])),
            date,
            &|_| true,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("EinheitenWind.xml") && e.contains("SEE7") && e.contains("9,6"),
            "{e}"
        );

        let cut = &body[..body.len() - 30];
        let e = scan(
            "G.zip",
            io::Cursor::new(zip_of(&[("EinheitenSolar.xml", cut)])),
            date,
            &|_| true,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("EinheitenSolar.xml") && e.contains("after unit SEE1"), "{e}");
    }
}
