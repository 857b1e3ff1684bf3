//! Scores of many responses, kept as integer sums and counts (sufficient
//! statistics): a database row is updated by adding one response's
//! contribution, and aggregates merge by addition — stations into a dealer,
//! dealers into a region, days into a month — with nothing lost to
//! rounding. The metrics are computed from the sums when read
//! (`docs/scoring.md` §3). Nothing here knows whose aggregate it is: the
//! same sums serve an advisor, a technician, a station, a dealer, a region
//! or the network, for any period.

use std::collections::BTreeMap;
use std::iter::Sum;
use std::ops::{Add, AddAssign};

use aftercare_values::basis_points;

use super::scoring::{NpsClass, ResponseScore};
use super::servqual::{Dimension, Verdict};

/// Whose scores a request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScoreSubject {
    /// Everything the caller sees.
    Visible,
    Advisor(String),
    Technician(String),
    Station(String),
    Dealer(String),
    Region(String),
}

/// Per-response values added up: their sum, and how many responses gave one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Tally {
    pub sum: i64,
    pub n: u64,
}

impl Tally {
    /// One response's value.
    pub fn of(value: i64) -> Tally {
        Tally { sum: value, n: 1 }
    }

    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum as f64 / self.n as f64)
    }
}

impl Add for Tally {
    type Output = Tally;

    fn add(self, other: Tally) -> Tally {
        Tally {
            sum: self.sum + other.sum,
            n: self.n + other.n,
        }
    }
}

impl AddAssign for Tally {
    fn add_assign(&mut self, other: Tally) {
        *self = *self + other;
    }
}

impl Sum for Tally {
    fn sum<I: Iterator<Item = Tally>>(iter: I) -> Tally {
        iter.fold(Tally::default(), Add::add)
    }
}

/// The answers to SERVQUAL items pooled: Σ perception and Σ expectation in
/// grid units, over `n` item answers (pairs).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct PairSums {
    pub perception: i64,
    pub expectation: i64,
    pub n: u64,
}

impl PairSums {
    /// The mean gap, in points of a 1–7 scale.
    pub fn gap(&self) -> Option<f64> {
        (self.n > 0).then(|| (self.perception - self.expectation) as f64 / self.n as f64 / 1000.0)
    }

    /// From the exact sums: exceeds only if Σ perception > Σ expectation.
    pub fn verdict(&self) -> Option<Verdict> {
        (self.n > 0).then(|| Verdict::of_gap(self.perception - self.expectation))
    }
}

impl Add for PairSums {
    type Output = PairSums;

    fn add(self, other: PairSums) -> PairSums {
        PairSums {
            perception: self.perception + other.perception,
            expectation: self.expectation + other.expectation,
            n: self.n + other.n,
        }
    }
}

/// A SERVQUAL item, under its dimension: the same item code merges across
/// versions as long as it stays in its dimension.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemKey {
    pub dimension: Dimension,
    pub item: String,
}

/// The sufficient statistics of a set of responses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Aggregate {
    pub responses: u64,
    /// Overall-satisfaction answers: `sum` of them in the top-two box, of `n`.
    pub satisfaction: Tally,
    pub promoters: u64,
    pub passives: u64,
    pub detractors: u64,
    /// Per-response service indexes (0–1000 each).
    pub service_index: Tally,
    /// Per-response unweighted and weighted gaps, in grid units.
    pub unweighted_gap: Tally,
    pub weighted_gap: Tally,
    pub items: BTreeMap<ItemKey, PairSums>,
}

impl Aggregate {
    /// One response's contribution.
    pub fn of(score: &ResponseScore) -> Aggregate {
        let (promoters, passives, detractors) = match score.nps {
            Some(NpsClass::Promoter) => (1, 0, 0),
            Some(NpsClass::Passive) => (0, 1, 0),
            Some(NpsClass::Detractor) => (0, 0, 1),
            None => (0, 0, 0),
        };
        let tally = |v: Option<i64>| v.map(Tally::of).unwrap_or_default();
        Aggregate {
            responses: 1,
            satisfaction: tally(score.top_two_box.map(i64::from)),
            promoters,
            passives,
            detractors,
            service_index: tally(score.service_index.map(i64::from)),
            unweighted_gap: tally(score.unweighted_gap),
            weighted_gap: tally(score.weighted_gap),
            items: score
                .items
                .iter()
                .map(|i| {
                    let key = ItemKey {
                        dimension: i.dimension,
                        item: i.item.clone(),
                    };
                    let sums = PairSums {
                        perception: i.perception,
                        expectation: i.expectation,
                        n: 1,
                    };
                    (key, sums)
                })
                .collect(),
        }
    }

    /// Counts one more response.
    pub fn add_response(&mut self, score: &ResponseScore) {
        self.merge(&Aggregate::of(score));
    }

    /// Adds another set of responses (disjoint from this one).
    pub fn merge(&mut self, other: &Aggregate) {
        self.responses += other.responses;
        self.satisfaction += other.satisfaction;
        self.promoters += other.promoters;
        self.passives += other.passives;
        self.detractors += other.detractors;
        self.service_index += other.service_index;
        self.unweighted_gap += other.unweighted_gap;
        self.weighted_gap += other.weighted_gap;
        for (key, sums) in &other.items {
            let mine = self.items.entry(key.clone()).or_default();
            *mine = *mine + *sums;
        }
    }

    /// Top-two-box answers of all satisfaction answers, in basis points.
    pub fn satisfaction_rate(&self) -> Option<u32> {
        basis_points(self.satisfaction.sum.max(0) as u64, self.satisfaction.n)
    }

    /// The NPS answers as per-response points (+100, 0, −100): their mean
    /// is the NPS.
    pub fn nps_tally(&self) -> Tally {
        Tally {
            sum: 100 * (self.promoters as i64 - self.detractors as i64),
            n: self.promoters + self.passives + self.detractors,
        }
    }

    /// % promoters − % detractors, in points (−100 to 100).
    pub fn nps(&self) -> Option<f64> {
        self.nps_tally().mean()
    }

    /// The mean service index (0–1000).
    pub fn service_index(&self) -> Option<f64> {
        self.service_index.mean()
    }

    /// The mean per-response weighted gap, in points of a 1–7 scale.
    pub fn weighted_gap(&self) -> Option<f64> {
        self.weighted_gap.mean().map(|g| g / 1000.0)
    }

    /// The mean per-response unweighted gap, in points of a 1–7 scale.
    pub fn unweighted_gap(&self) -> Option<f64> {
        self.unweighted_gap.mean().map(|g| g / 1000.0)
    }

    /// A dimension's item answers pooled.
    pub fn dimension(&self, dimension: Dimension) -> PairSums {
        self.items
            .iter()
            .filter(|(k, _)| k.dimension == dimension)
            .fold(PairSums::default(), |a, (_, s)| a + *s)
    }
}

impl Add for Aggregate {
    type Output = Aggregate;

    fn add(mut self, other: Aggregate) -> Aggregate {
        self.merge(&other);
        self
    }
}

impl AddAssign<&Aggregate> for Aggregate {
    fn add_assign(&mut self, other: &Aggregate) {
        self.merge(other);
    }
}

impl Sum for Aggregate {
    fn sum<I: Iterator<Item = Aggregate>>(iter: I) -> Aggregate {
        iter.fold(Aggregate::default(), Add::add)
    }
}

#[cfg(test)]
mod tests;
