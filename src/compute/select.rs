//! The year rule: a document for year Y uses, per figure, the latest reference date ≤ Y.
//!
//! The index is keyed by member first, so every lookup touches only that member's observations:
//! nothing here grows with the number of members (a national run has ~10,800 of them).

use std::collections::HashMap;

use crate::model::{Ags, Observation};

/// Observations of one variable with one sector and category, sorted by date.
struct Group<'a> {
    sector: Option<&'a str>,
    category: Option<&'a str>,
    obs: Vec<&'a Observation>,
}

/// One member's observations: all of them in input order, and grouped by variable.
#[derive(Default)]
struct MemberObs<'a> {
    all: Vec<&'a Observation>,
    /// variable → groups by (sector, category), in order of first appearance.
    by_variable: HashMap<&'a str, Vec<Group<'a>>>,
}

/// Observations grouped by member, variable, sector and category, each group sorted by date.
pub struct ObsIndex<'a> {
    members: HashMap<&'a Ags, MemberObs<'a>>,
}

impl<'a> ObsIndex<'a> {
    pub fn new(observations: &'a [Observation]) -> Self {
        let mut members: HashMap<&'a Ags, MemberObs<'a>> = HashMap::new();
        for o in observations {
            let m = members.entry(&o.ags).or_default();
            m.all.push(o);
            let groups = m.by_variable.entry(o.variable.as_str()).or_default();
            let (sector, category) = (o.sector.as_deref(), o.category.as_deref());
            match groups.iter_mut().find(|g| g.sector == sector && g.category == category) {
                Some(g) => g.obs.push(o),
                None => groups.push(Group {
                    sector,
                    category,
                    obs: vec![o],
                }),
            }
        }
        for m in members.values_mut() {
            for g in m.by_variable.values_mut().flatten() {
                // Stable: for equal dates the file read later wins (see ingest's conflict warning).
                g.obs.sort_by_key(|o| o.date);
            }
        }
        ObsIndex { members }
    }

    /// Every observation of a member, in input order (file by file, line by line).
    pub fn of(&self, ags: &Ags) -> &[&'a Observation] {
        self.members.get(ags).map(|m| m.all.as_slice()).unwrap_or(&[])
    }

    /// The groups of one variable of a member (any sector or category).
    fn groups(&self, ags: &Ags, variable: &str) -> &[Group<'a>] {
        self.members
            .get(ags)
            .and_then(|m| m.by_variable.get(variable))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    fn group(&self, ags: &Ags, variable: &str, sector: Option<&str>, category: Option<&str>) -> &[&'a Observation] {
        self.groups(ags, variable)
            .iter()
            .find(|g| g.sector == sector && g.category == category)
            .map(|g| g.obs.as_slice())
            .unwrap_or(&[])
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
            .groups(ags, variable)
            .iter()
            .flat_map(|g| g.obs.iter().copied())
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
        self.groups(ags, variable)
            .iter()
            .flat_map(|g| g.obs.iter())
            .filter(|o| o.date.year <= year && o.value.is_ok())
            .map(|o| o.date)
            .max()
    }

    /// All observations of a variable for a member, any sector or category, any date.
    pub fn all_on_all_years(&self, ags: &Ags, variable: &str) -> Vec<&'a Observation> {
        let mut v: Vec<&Observation> = self
            .groups(ags, variable)
            .iter()
            .flat_map(|g| g.obs.iter().copied())
            .collect();
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
}
