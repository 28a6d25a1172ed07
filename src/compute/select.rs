//! The year rule: a document for year Y uses, per figure, the latest reference date ≤ Y.

use std::collections::HashMap;

use crate::model::{Ags, Observation};

type Key = (Ags, String, Option<String>, Option<String>);

/// Observations grouped by member, variable, sector and category, each group sorted by date.
pub struct ObsIndex<'a> {
    groups: HashMap<Key, Vec<&'a Observation>>,
}

impl<'a> ObsIndex<'a> {
    pub fn new(observations: &'a [Observation]) -> Self {
        let mut groups: HashMap<Key, Vec<&Observation>> = HashMap::new();
        for o in observations {
            let key = (o.ags.clone(), o.variable.clone(), o.sector.clone(), o.category.clone());
            groups.entry(key).or_default().push(o);
        }
        for g in groups.values_mut() {
            // Stable: for equal dates the file read later wins (see ingest's conflict warning).
            g.sort_by_key(|o| o.date);
        }
        ObsIndex { groups }
    }

    fn group(&self, ags: &Ags, variable: &str, sector: Option<&str>, category: Option<&str>) -> &[&'a Observation] {
        let key = (
            ags.clone(),
            variable.to_string(),
            sector.map(str::to_string),
            category.map(str::to_string),
        );
        self.groups.get(&key).map(Vec::as_slice).unwrap_or(&[])
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
            .groups
            .iter()
            .filter(|((a, var, _, _), _)| a == ags && var == variable)
            .flat_map(|(_, g)| g.iter().copied())
            .filter(|o| o.date.year == year)
            .collect();
        v.sort_by(|a, b| (a.line, &a.sector, &a.category).cmp(&(b.line, &b.sector, &b.category)));
        v
    }

    /// The full series of a variable for a member, by date.
    pub fn series(&self, ags: &Ags, variable: &str, category: Option<&str>) -> &[&'a Observation] {
        self.group(ags, variable, None, category)
    }
}

impl ObsIndex<'_> {
    /// The latest reference date ≤ `year` on which a member has any value of `variable`.
    pub fn latest_date(&self, ags: &Ags, variable: &str, year: i32) -> Option<crate::model::RefDate> {
        self.groups
            .iter()
            .filter(|((a, v, _, _), _)| a == ags && v == variable)
            .flat_map(|(_, g)| g.iter())
            .filter(|o| o.date.year <= year && o.value.is_ok())
            .map(|o| o.date)
            .max()
    }
}

impl<'a> ObsIndex<'a> {
    /// All observations of a variable for a member, any sector or category, any date.
    pub fn all_on_all_years(&self, ags: &Ags, variable: &str) -> Vec<&'a Observation> {
        let mut v: Vec<&Observation> = self
            .groups
            .iter()
            .filter(|((a, var, _, _), _)| a == ags && var == variable)
            .flat_map(|(_, g)| g.iter().copied())
            .collect();
        v.sort_by(|a, b| (a.date, &a.sector, &a.category).cmp(&(b.date, &b.sector, &b.category)));
        v
    }
}
