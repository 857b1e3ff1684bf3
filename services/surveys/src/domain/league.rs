//! League-table math (`docs/scoring.md` §4): members (dealers or stations)
//! ranked per metric by a small-sample-safe estimate rather than the raw
//! mean — a Wilson lower bound for the satisfaction rate, a Bayesian average
//! toward a prior mean for the scores — with the raw value and the sample
//! size beside it, ties ranked alike (1, 2, 2, 4), a minimum sample below
//! which a member is listed but not ranked, and movement since the previous
//! period.
//!
//! Order is decided by an integer sort key only (the estimate in millionths
//! of its display unit), then by member id ascending, so that a Redis
//! sorted set and the database fallback list members identically and ties
//! are exact. In a Redis sorted set store `-sort_key` as the score and read
//! in ascending order: equal scores then come by member ascending, as here,
//! and a member's rank is 1 + the number of members with a lower score.

pub mod interval;
pub mod moves;

use serde::{Deserialize, Serialize};

use super::aggregate::{Aggregate, Tally};
use super::exact::round_div;

/// What a league ranks by. Higher is better for every metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Metric {
    /// Top-two-box share of the overall-satisfaction answers, in %.
    SatisfactionRate,
    /// % promoters − % detractors, in points.
    Nps,
    /// The mean per-response service index, 0–1000.
    ServiceIndex,
    /// The mean per-response weighted SERVQUAL gap, in points of a 1–7 scale.
    WeightedGap,
}

/// How a metric's estimate is made safe for small samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Estimator {
    /// The lower bound of the 95 % Wilson score interval of a rate.
    WilsonLowerBound,
    /// `(C·m + Σx) / (C + n)`: the mean pulled toward the prior mean `m` as
    /// if `C` responses at `m` had been added.
    BayesianAverage,
}

/// The two-sided 95 % normal quantile.
pub const WILSON_Z: f64 = 1.959963984540054;

/// Sort keys are estimates in millionths of their display unit.
pub const KEY_SCALE: i64 = 1_000_000;

impl Metric {
    pub const ALL: [Metric; 4] = [
        Metric::SatisfactionRate,
        Metric::Nps,
        Metric::ServiceIndex,
        Metric::WeightedGap,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Metric::SatisfactionRate => "satisfaction_rate",
            Metric::Nps => "nps",
            Metric::ServiceIndex => "service_index",
            Metric::WeightedGap => "weighted_gap",
        }
    }

    pub fn parse(s: &str) -> Option<Metric> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    pub fn estimator(self) -> Estimator {
        match self {
            Metric::SatisfactionRate => Estimator::WilsonLowerBound,
            Metric::Nps | Metric::ServiceIndex | Metric::WeightedGap => Estimator::BayesianAverage,
        }
    }

    /// The per-response values of the metric in `aggregate`: top-two-box
    /// answers (1 each) of satisfaction answers; NPS points (+100/0/−100);
    /// service indexes; weighted gaps in grid units.
    pub fn tally(self, aggregate: &Aggregate) -> Tally {
        match self {
            Metric::SatisfactionRate => aggregate.satisfaction,
            Metric::Nps => aggregate.nps_tally(),
            Metric::ServiceIndex => aggregate.service_index,
            Metric::WeightedGap => aggregate.weighted_gap,
        }
    }

    /// Tally units in one display unit (a % of a rate is 1/100 of an answer).
    fn unit(self) -> f64 {
        match self {
            Metric::SatisfactionRate => 0.01,
            Metric::Nps | Metric::ServiceIndex => 1.0,
            Metric::WeightedGap => 1000.0,
        }
    }

    /// The plain mean, in the display unit; none without a response.
    pub fn raw(self, tally: Tally) -> Option<f64> {
        tally.mean().map(|m| m / self.unit())
    }
}

/// How a league is drawn up; the defaults are the embedded mode's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeagueSettings {
    /// Members with fewer responses are listed but not ranked (never fewer
    /// than 1: a member without responses is never ranked).
    pub min_sample: u64,
    /// `C` of the Bayesian average: how many responses at the prior mean
    /// each member is assumed to have on top of its own.
    pub prior_weight: u64,
}

impl Default for LeagueSettings {
    fn default() -> Self {
        LeagueSettings {
            min_sample: 10,
            prior_weight: 20,
        }
    }
}

impl LeagueSettings {
    pub fn is_ranked(&self, sample: u64) -> bool {
        sample >= self.min_sample.max(1)
    }
}

/// The sort key of a member with `tally`: its estimate in millionths of the
/// display unit. `prior` is the tally the Bayesian average pulls toward
/// (ignored by the Wilson bound): the network's, or, for a table kept up to
/// date one response at a time, one fixed for the period (e.g. the previous
/// period's network) so that a response moves one member's key only.
pub fn sort_key(metric: Metric, tally: Tally, prior: Tally, settings: &LeagueSettings) -> i64 {
    match metric.estimator() {
        Estimator::WilsonLowerBound => {
            let successes = tally.sum.clamp(0, tally.n as i64) as u64;
            (wilson_lower_bound(successes, tally.n) * 100.0 * KEY_SCALE as f64).round() as i64
        }
        Estimator::BayesianAverage => {
            // Key units per tally unit: a gap is tallied in thousandths of
            // a point, the NPS and the index in their own points.
            let per_tally_unit = match metric {
                Metric::WeightedGap => 1_000,
                _ => i128::from(KEY_SCALE),
            };
            bayesian_key(tally, prior, settings, per_tally_unit)
        }
    }
}

/// The Bayesian average of `tally` toward `prior`'s mean, in key units
/// (`per_tally_unit` of them per tally unit).
pub fn bayesian_key(
    tally: Tally,
    prior: Tally,
    settings: &LeagueSettings,
    per_tally_unit: i128,
) -> i64 {
    let (c, sum, n) = (
        i128::from(settings.prior_weight),
        i128::from(tally.sum),
        i128::from(tally.n),
    );
    // (C·m + Σx)/(C + n) with m = prior.sum / prior.n, kept exact:
    // (C·prior.sum + Σx·prior.n) / (prior.n·(C + n)). Without a prior,
    // m = 0.
    let (num, den) = match i128::from(prior.n) {
        0 => (sum, c + n),
        pn => (c * i128::from(prior.sum) + sum * pn, pn * (c + n)),
    };
    if den == 0 {
        return 0;
    }
    round_div(num * per_tally_unit, den) as i64
}

/// The lower bound of the 95 % Wilson score interval of `successes` of
/// `n`, as a share (0 without a trial). Plain IEEE arithmetic and a square
/// root, which give the same bits on every platform.
pub fn wilson_lower_bound(successes: u64, n: u64) -> f64 {
    if n == 0 {
        return 0.0;
    }
    interval::wilson(successes, n).0
}

/// A member to rank and its tally for the metric.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub member: String,
    pub tally: Tally,
}

/// A line of a league table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub member: String,
    /// Responses behind the value.
    pub sample: u64,
    /// The plain mean, in the display unit.
    pub raw: Option<f64>,
    /// `sort_key` in the display unit.
    pub estimate: f64,
    pub sort_key: i64,
    /// None below the minimum sample.
    pub rank: Option<u32>,
    /// Places gained since the previous period (see [`add_movement`]).
    pub movement: Option<i64>,
}

/// The league table of `entries` (one per member): ranked members first,
/// by sort key descending, then member id ascending; then the unranked ones
/// in the same order. Equal keys share a rank, and the next rank counts them
/// all (1, 2, 2, 4).
pub fn rank(
    metric: Metric,
    entries: &[Entry],
    prior: Tally,
    settings: &LeagueSettings,
) -> Vec<Row> {
    let mut rows: Vec<Row> = entries
        .iter()
        .map(|e| {
            let key = sort_key(metric, e.tally, prior, settings);
            Row {
                member: e.member.clone(),
                sample: e.tally.n,
                raw: metric.raw(e.tally),
                estimate: key as f64 / KEY_SCALE as f64,
                sort_key: key,
                rank: None,
                movement: None,
            }
        })
        .collect();
    order(&mut rows, settings);
    rows
}

/// Puts `rows` in table order and ranks them (see [`rank`]) by their sort
/// keys and samples.
pub fn order(rows: &mut [Row], settings: &LeagueSettings) {
    rows.sort_by(|a, b| {
        let ranked = |r: &Row| settings.is_ranked(r.sample);
        ranked(b)
            .cmp(&ranked(a))
            .then(b.sort_key.cmp(&a.sort_key))
            .then_with(|| a.member.cmp(&b.member))
    });
    let mut previous: Option<(i64, u32)> = None;
    for (i, row) in rows.iter_mut().enumerate() {
        if !settings.is_ranked(row.sample) {
            break;
        }
        let rank = match previous {
            Some((key, rank)) if key == row.sort_key => rank,
            _ => i as u32 + 1,
        };
        row.rank = Some(rank);
        previous = Some((row.sort_key, rank));
    }
}

/// Places gained since the previous period: previous rank − current rank
/// (up is positive); none when unranked in either.
pub fn movement(current: Option<u32>, previous: Option<u32>) -> Option<i64> {
    Some(i64::from(previous?) - i64::from(current?))
}

/// Sets each row's movement from `previous_rank` of its member.
pub fn add_movement(rows: &mut [Row], previous_rank: impl Fn(&str) -> Option<u32>) {
    for row in rows {
        row.movement = movement(row.rank, previous_rank(&row.member));
    }
}

#[cfg(test)]
mod tests;
