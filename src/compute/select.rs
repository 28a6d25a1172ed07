//! The year rule: a document for year Y uses, per figure, the latest reference date ≤ Y.
//!
//! The index is keyed by member first, so every lookup touches only that member's observations:
//! nothing here grows with the number of members (a national run has ~10,800 of them).

use std::cmp::Ordering;
use std::collections::HashMap;
use std::ops::Range;

use crate::model::{Ags, Observation};

/// The key observations are grouped by within a member.
fn group_key(o: &Observation) -> (&str, Option<&str>, Option<&str>) {
    (o.variable.as_str(), o.sector.as_deref(), o.category.as_deref())
}

/// Observations grouped by member, variable, sector and category, each group sorted by date.
///
/// Two sorted lists of references and the ranges of members and of their variables, instead of a
/// map of maps with a vector per group: for a national run (~700,000 observations of ~10,800
/// members) ~25 MB instead of ~80 MB. A group is a slice found by binary search within its variable.
pub struct ObsIndex<'a> {
    /// Stable by member: input order (file by file, line by line) within a member.
    input: Vec<&'a Observation>,
    /// Stable by (member, variable, sector, category, date): for equal dates the file read later
    /// comes later (and wins, see ingest's conflict warning).
    grouped: Vec<&'a Observation>,
    /// Where each member's observations stand, the same range in both lists.
    members: HashMap<&'a Ags, Range<usize>>,
    /// Where a member's observations of one variable stand in `grouped`.
    variables: HashMap<(&'a Ags, &'a str), Range<usize>>,
}

impl<'a> ObsIndex<'a> {
    pub fn new(observations: &'a [Observation]) -> Self {
        use rayon::slice::ParallelSliceMut;
        let mut input: Vec<&'a Observation> = observations.iter().collect();
        input.par_sort_by(|a, b| a.ags.cmp(&b.ags));
        let mut members: HashMap<&'a Ags, Range<usize>> = HashMap::new();
        let mut start = 0;
        while start < input.len() {
            let ags = &input[start].ags;
            let end = start + input[start..].partition_point(|o| &o.ags == ags);
            members.insert(ags, start..end);
            start = end;
        }
        let mut grouped = input.clone();
        for range in members.values() {
            grouped[range.clone()].sort_by(|a, b| (group_key(a), a.date).cmp(&(group_key(b), b.date)));
        }
        let mut variables = HashMap::new();
        let mut start = 0;
        while start < grouped.len() {
            let (ags, variable) = (&grouped[start].ags, grouped[start].variable.as_str());
            let end = start + grouped[start..].partition_point(|o| &o.ags == ags && o.variable == variable);
            variables.insert((ags, variable), start..end);
            start = end;
        }
        ObsIndex {
            input,
            grouped,
            members,
            variables,
        }
    }

    /// Every observation of a member, in input order (file by file, line by line).
    pub fn of(&self, ags: &Ags) -> &[&'a Observation] {
        self.members.get(ags).map_or(&[], |r| &self.input[r.clone()])
    }

    /// A member's observations of one variable (any sector or category), group by group.
    fn variable(&self, ags: &Ags, variable: &str) -> &[&'a Observation] {
        self.variables
            .get(&(ags, variable))
            .map_or(&[], |r| &self.grouped[r.clone()])
    }

    fn group(&self, ags: &Ags, variable: &str, sector: Option<&str>, category: Option<&str>) -> &[&'a Observation] {
        let of_variable = self.variable(ags, variable);
        let key = (sector, category);
        let rank = |o: &&Observation| (o.sector.as_deref(), o.category.as_deref()).cmp(&key);
        let from = of_variable.partition_point(|o| rank(o) == Ordering::Less);
        let to = from + of_variable[from..].partition_point(|o| rank(o) == Ordering::Equal);
        &of_variable[from..to]
    }

    /// The latest observation with a value whose reference date is in or before `year`.
    pub fn latest(&self, ags: &Ags, variable: &str, category: Option<&str>, year: i32) -> Option<&'a Observation> {
        self.latest_in(ags, variable, None, category, year)
    }

    pub fn latest_in(
        &self,
        ags: &Ags,
        variable: &str,
        sector: Option<&str>,
        category: Option<&str>,
        year: i32,
    ) -> Option<&'a Observation> {
        self.group(ags, variable, sector, category)
            .iter()
            .rev()
            .find(|o| o.date.year <= year && o.value.is_ok())
            .copied()
    }

    /// The latest observation with a value strictly before `before_year`.
    pub fn previous(
        &self,
        ags: &Ags,
        variable: &str,
        category: Option<&str>,
        before_year: i32,
    ) -> Option<&'a Observation> {
        self.latest(ags, variable, category, before_year - 1)
    }

    /// All observations of a variable for a member (any sector/category) on exactly this date.
    pub fn all_on(&self, ags: &Ags, variable: &str, year: i32) -> Vec<&'a Observation> {
        let mut v: Vec<&Observation> = self
            .variable(ags, variable)
            .iter()
            .copied()
            .filter(|o| o.date.year == year)
            .collect();
        // Equal keys can only come from one group, which is in date order: keep that order.
        v.sort_by(|a, b| (a.line, &a.sector, &a.category).cmp(&(b.line, &b.sector, &b.category)));
        v
    }

    /// The full series of a variable for a member, by date.
    pub fn series(&self, ags: &Ags, variable: &str, category: Option<&str>) -> &[&'a Observation] {
        self.group(ags, variable, None, category)
    }

    /// The latest reference date ≤ `year` on which a member has any value of `variable`.
    pub fn latest_date(&self, ags: &Ags, variable: &str, year: i32) -> Option<crate::model::RefDate> {
        self.variable(ags, variable)
            .iter()
            .filter(|o| o.date.year <= year && o.value.is_ok())
            .map(|o| o.date)
            .max()
    }

    /// All observations of a variable for a member, any sector or category, any date.
    pub fn all_on_all_years(&self, ags: &Ags, variable: &str) -> Vec<&'a Observation> {
        let mut v: Vec<&Observation> = self.variable(ags, variable).to_vec();
        v.sort_by(|a, b| (a.date, &a.sector, &a.category).cmp(&(b.date, &b.sector, &b.category)));
        v
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::{Grade, RefDate, Source};

    fn obs(ags: &str, variable: &str, category: Option<&str>, year: i32, value: f64, line: usize) -> Observation {
        Observation {
            ags: Ags::parse(ags).unwrap(),
            variable: variable.into(),
            sector: None,
            category: category.map(str::to_string),
            date: RefDate::end_of_year(year),
            value: Ok(value),
            unit: String::new(),
            source: Arc::new(Source {
                file: "f.csv".into(),
                publisher: String::new(),
                title: String::new(),
                table: String::new(),
                licence: String::new(),
                attribution: String::new(),
                grade: Grade::A,
            }),
            line,
            flag: None,
        }
    }

    #[test]
    fn lookups_stay_within_the_member() {
        let data = vec![
            obs("14729410", "land_area", Some("veg_agri"), 2021, 2.0, 3),
            obs("14713000", "land_area", Some("veg_agri"), 2021, 9.0, 2),
            obs("14729410", "land_area", Some("veg_agri"), 2018, 1.0, 2),
            obs("14729410", "land_area", Some("water_total"), 2021, 5.0, 1),
        ];
        let index = ObsIndex::new(&data);
        let w = Ags::parse("14729410").unwrap();
        assert_eq!(
            index.latest(&w, "land_area", Some("veg_agri"), 2024).unwrap().value,
            Ok(2.0)
        );
        assert_eq!(
            index.latest(&w, "land_area", Some("veg_agri"), 2020).unwrap().value,
            Ok(1.0)
        );
        let on: Vec<usize> = index.all_on(&w, "land_area", 2021).iter().map(|o| o.line).collect();
        assert_eq!(on, [1, 3]);
        assert_eq!(index.all_on_all_years(&w, "land_area").len(), 3);
        assert_eq!(
            index.latest_date(&w, "land_area", 2019),
            Some(RefDate::end_of_year(2018))
        );
        assert_eq!(index.of(&w).len(), 3);
        assert!(index.of(&Ags::parse("01001000").unwrap()).is_empty());
    }

    /// Equal dates: the observation read later wins; groups split by sector and category; `of`
    /// keeps the input order.
    #[test]
    fn groups_keep_input_order_for_equal_dates() {
        let mut data = vec![
            obs("14729410", "final_energy", Some("gas"), 2021, 1.0, 7),
            obs("14729410", "final_energy", Some("gas"), 2019, 4.0, 9),
            obs("14729410", "final_energy", None, 2021, 3.0, 8),
            obs("14729410", "final_energy", Some("gas"), 2021, 2.0, 5),
        ];
        data[2].sector = Some("industry".into());
        let index = ObsIndex::new(&data);
        let w = Ags::parse("14729410").unwrap();
        assert_eq!(index.latest(&w, "final_energy", Some("gas"), 2024).unwrap().line, 5);
        let series: Vec<usize> = index
            .series(&w, "final_energy", Some("gas"))
            .iter()
            .map(|o| o.line)
            .collect();
        assert_eq!(series, [9, 7, 5]);
        assert!(
            index.latest(&w, "final_energy", None, 2024).is_none(),
            "the sector's row is its own group"
        );
        assert_eq!(
            index
                .latest_in(&w, "final_energy", Some("industry"), None, 2024)
                .unwrap()
                .line,
            8
        );
        let lines: Vec<usize> = index.of(&w).iter().map(|o| o.line).collect();
        assert_eq!(lines, [7, 9, 8, 5]);
        assert_eq!(index.all_on(&w, "final_energy", 2021).len(), 3);
    }
}
