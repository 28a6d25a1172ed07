//! The shared vocabulary of all stages: municipality keys, reference dates, data-quality grades,
//! sources and the tidy observation that ingest produces and compute consumes.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Official municipality key (Amtlicher Gemeindeschlüssel), always 8 digits, leading zeros kept.
/// Stored inline as its 8 ASCII digits (no heap allocation: a national run holds about a million
/// of them); they order like the text.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ags([u8; 8]);

impl Serialize for Ags {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl fmt::Debug for Ags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ags({:?})", self.as_str())
    }
}

impl Ags {
    /// Parses an 8-digit AGS, or a 12-digit ARS (first 5 + last 3 digits give the AGS).
    pub fn parse(text: &str) -> Result<Ags, String> {
        let t = text.trim();
        if !t.chars().all(|c| c.is_ascii_digit()) {
            return Err(format!("`{t}` is not a municipality key: only digits are allowed"));
        }
        match t.len() {
            8 => Ok(Ags::from_digits(t.as_bytes())),
            12 => Ok(Ags::from_digits(&[&t.as_bytes()[..5], &t.as_bytes()[9..]].concat())),
            n => Err(format!(
                "`{t}` has {n} digits; a municipality key (AGS) has 8 digits, a regional key (ARS) 12"
            )),
        }
    }

    /// `digits` are 8 ASCII digits (checked by the callers).
    fn from_digits(digits: &[u8]) -> Ags {
        let mut a = [b'0'; 8];
        a.copy_from_slice(&digits[..8]);
        Ags(a)
    }

    pub fn as_str(&self) -> &str {
        // Only ever built from ASCII digits.
        std::str::from_utf8(&self.0).expect("an AGS is ASCII digits")
    }

    /// The key of a district (Kreis, 5 digits) as an 8-digit key: `14729` → `14729000`. For a
    /// district-free city this is the city's own AGS; for a Landkreis it names the district.
    pub fn from_district(code: &str) -> Result<Ags, String> {
        let t = code.trim();
        if t.len() != 5 || !t.chars().all(|c| c.is_ascii_digit()) {
            return Err(format!("`{t}` is not a district key: a district key has 5 digits"));
        }
        Ok(Ags::from_digits(format!("{t}000").as_bytes()))
    }

    /// The 5-digit district (Kreis) this municipality belongs to.
    pub fn district(&self) -> &str {
        &self.as_str()[..5]
    }
}

/// A member's role in the partnership, `city` or `rural` as `partnership.toml` writes it. Shared by the
/// configuration (which reads it), the catalogues, compute and the documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    City,
    Rural,
}

/// A regional key as the statistical offices write it, by its number of digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionKey {
    /// `DG`: Germany.
    Germany,
    /// 2 digits: a state (Land), e.g. `14` Saxony.
    State(String),
    /// 3 digits: a government region (Regierungsbezirk / statistical region).
    GovRegion(String),
    /// 5 digits: a district (Kreis or district-free city), e.g. `14729`.
    District(String),
    /// 9 digits: a municipal association (Gemeindeverband).
    Association(String),
    /// 8-digit AGS or 12-digit ARS: a municipality.
    Municipality(Ags),
}

impl RegionKey {
    /// Recognises a key; `None` if the text is not one (leading zeros are part of the key).
    pub fn parse(text: &str) -> Option<RegionKey> {
        let t = text.trim();
        if t == "DG" || t == "DG000000" {
            return Some(RegionKey::Germany);
        }
        if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        match t.len() {
            2 => Some(RegionKey::State(t.to_string())),
            3 => Some(RegionKey::GovRegion(t.to_string())),
            5 => Some(RegionKey::District(t.to_string())),
            9 => Some(RegionKey::Association(t.to_string())),
            8 | 12 => Ags::parse(t).ok().map(RegionKey::Municipality),
            _ => None,
        }
    }
}

impl fmt::Display for Ags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A reference date (Stichtag). Years without a day are stored as 31 December.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct RefDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl RefDate {
    pub fn new(year: i32, month: u8, day: u8) -> Option<RefDate> {
        let valid = (1..=12).contains(&month) && (1..=31).contains(&day) && (1800..=2200).contains(&year);
        valid.then_some(RefDate { year, month, day })
    }

    pub fn end_of_year(year: i32) -> RefDate {
        RefDate {
            year,
            month: 12,
            day: 31,
        }
    }

    /// Parses `2022-05-15`, `15.05.2022`, `31.12.2015` or a bare year `2021`.
    pub fn parse(text: &str) -> Option<RefDate> {
        let t = text.trim();
        if t.len() == 4 {
            return t.parse().ok().map(RefDate::end_of_year);
        }
        if let Some((y, rest)) = t.split_once('-') {
            let (m, d) = rest.split_once('-')?;
            return RefDate::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
        }
        let mut parts = t.split('.');
        let d = parts.next()?.parse().ok()?;
        let m = parts.next()?.parse().ok()?;
        let y = parts.next()?.parse().ok()?;
        if parts.next().is_some() {
            return None;
        }
        RefDate::new(y, m, d)
    }

    /// Display form in the given style: German `31.12.2021`, English `2021-12-31`.
    pub fn display(&self, style: crate::format::Style) -> String {
        match style {
            crate::format::Style::German => format!("{:02}.{:02}.{}", self.day, self.month, self.year),
            crate::format::Style::English => self.iso(),
        }
    }

    pub fn iso(&self) -> String {
        format!("{}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// BISKO data-quality grade of a figure, separate from the statistical office's flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
pub enum Grade {
    /// Measured locally for this municipality (weight 1.0).
    A,
    /// Regional data or extrapolation (0.5).
    B,
    /// Derived from national or state averages (0.25).
    C,
    /// Rough estimate (0.0).
    D,
}

impl Grade {
    pub fn weight(self) -> f64 {
        match self {
            Grade::A => 1.0,
            Grade::B => 0.5,
            Grade::C => 0.25,
            Grade::D => 0.0,
        }
    }

    /// The weakest of two grades: a figure is only as good as its weakest input.
    pub fn worst(self, other: Grade) -> Grade {
        self.max(other)
    }

    pub fn letter(self) -> &'static str {
        match self {
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
        }
    }
}

/// Where a figure comes from: one entry of `inputs/sources.toml`, attached to a file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    /// File path relative to the inputs folder, with `/` separators.
    pub file: String,
    pub publisher: String,
    pub title: String,
    /// Table code (e.g. `12411-01-01-5`) as named in the registry or found in the file.
    pub table: String,
    pub licence: String,
    pub attribution: String,
    pub grade: Grade,
}

impl Source {
    /// One line for a source annex or a CSV cell: publisher, title, table.
    pub fn citation(&self) -> String {
        let mut s = self.publisher.clone();
        if !self.title.is_empty() {
            s.push_str(": ");
            s.push_str(&self.title);
        }
        if !self.table.is_empty() {
            s.push_str(&format!(" (Tabelle {})", self.table));
        }
        s
    }
}

/// Why a value is missing. Missing is never zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Missing {
    /// `.` — value unknown or secret.
    Unknown,
    /// `x` — cell locked, the value cannot be meaningful.
    Locked,
    /// `...` — figure not yet available.
    NotYetAvailable,
    /// `/` — not shown, too uncertain.
    TooUncertain,
    /// `-` for a municipality that did not exist on that date.
    NotExisting,
    /// An empty cell.
    Empty,
}

/// One tidy observation: the unit of data that crosses from ingest to compute.
#[derive(Debug, Clone, Serialize)]
pub struct Observation {
    pub ags: Ags,
    /// Canonical variable name (see `inputs/variables.csv`), e.g. `population`, `land_area`.
    pub variable: String,
    /// Sector breakdown where the variable has one (BISKO sector), else `None`.
    pub sector: Option<String>,
    /// Category breakdown (energy carrier, land-use class, technology), else `None`.
    pub category: Option<String>,
    pub date: RefDate,
    /// `Err` carries the reason a value is missing; never use 0 for missing.
    pub value: Result<f64, Missing>,
    pub unit: String,
    #[serde(skip)]
    pub source: Arc<Source>,
    /// 1-based line in the source file.
    pub line: usize,
    /// The office's own flag or symbol (`e`, `p`, `r`, `s`, `-`, `.`…), if any.
    pub flag: Option<String>,
}

impl Observation {
    pub fn grade(&self) -> Grade {
        self.source.grade
    }
}

// Dates from the clock's representation (seconds since 1970), for `SOURCE_DATE_EPOCH`.
impl RefDate {
    /// The civil (UTC) date of `secs` seconds since 1970-01-01, by Howard Hinnant's algorithm;
    /// `None` outside the dates a `RefDate` holds.
    pub fn from_unix_seconds(secs: i64) -> Option<RefDate> {
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
    }
}

#[cfg(test)]
mod unix_date_tests {
    use super::RefDate;

    #[test]
    fn seconds_since_1970_are_civil_dates() {
        assert_eq!(RefDate::from_unix_seconds(0), RefDate::new(1970, 1, 1));
        // 2024-02-29 12:00 UTC, a leap day.
        assert_eq!(RefDate::from_unix_seconds(1_709_208_000), RefDate::new(2024, 2, 29));
        assert_eq!(RefDate::from_unix_seconds(-1), RefDate::new(1969, 12, 31));
    }
}
