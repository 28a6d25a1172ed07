//! Peer groups of a large partnership: the members a document's comparison charts show.

use super::{Facts, Population};

/// Members shown in the comparison charts of a large partnership's documents: the member and its
/// nearest neighbours by population within the same district (first five digits of the AGS).
pub const PEERS: usize = 10;

/// Peer groups of a large partnership, computed once: per member the indices (in partnership
/// order) of itself and up to `PEERS − 1` members of the same district nearest in population.
pub struct Peers {
    of: Vec<Vec<usize>>,
}

impl Peers {
    pub fn new(facts: &Facts) -> Peers {
        let mut districts: std::collections::BTreeMap<&str, Vec<usize>> = std::collections::BTreeMap::new();
        for (i, m) in facts.members.iter().enumerate() {
            districts.entry(&m.member.ags.as_str()[..5]).or_default().push(i);
        }
        let pop = |i: usize| {
            facts.members[i]
                .population
                .as_ref()
                .map(Population::value)
                .filter(|v| v.is_finite())
                .unwrap_or(0.0)
        };
        let mut of = vec![Vec::new(); facts.members.len()];
        for group in districts.values_mut() {
            group.sort_by(|&a, &b| pop(a).total_cmp(&pop(b)).then(a.cmp(&b)));
            let n = group.len();
            let k = PEERS.min(n);
            for (pos, &i) in group.iter().enumerate() {
                let start = pos.saturating_sub(k / 2).min(n - k);
                let mut peers = group[start..start + k].to_vec();
                peers.sort_unstable();
                of[i] = peers;
            }
        }
        Peers { of }
    }

    /// The facts a document of member `i` sees: its peers, with the whole partnership's figures.
    pub fn facts_for(&self, i: usize, facts: &Facts) -> Facts {
        Facts {
            year: facts.year,
            members: self.of[i].iter().map(|&j| facts.members[j].clone()).collect(),
            region: facts.region.clone(),
            failures: Vec::new(),
        }
    }
}
