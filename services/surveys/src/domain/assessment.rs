//! The dealer assessment league (`docs/scorecard.md`, "The league"):
//! dealers ranked by their scorecard composites with the satisfaction
//! leagues' machinery — a Bayesian average toward the network's mean, the
//! sample being the dealer's survey responses of the period, members under
//! the minimum sample listed and not ranked, movement against the previous
//! period's table.

use std::collections::HashMap;

use super::aggregate::Tally;
use super::league::{self, KEY_SCALE, LeagueSettings, Row};

/// A dealer's snapshot as the league reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessed {
    pub dealer_id: String,
    /// The composite, 0–1000; none when no weighted part was present (the
    /// dealer is then not on the table).
    pub composite: Option<u32>,
    /// Survey responses of the period.
    pub sample: u64,
}

impl Assessed {
    /// The composite as a tally of `sample` values of it: the Bayesian
    /// average then weighs it by the sample.
    fn tally(&self) -> Option<Tally> {
        let c = i64::from(self.composite?);
        Some(Tally {
            sum: c * self.sample as i64,
            n: self.sample,
        })
    }
}

/// The network's mean composite, each dealer weighed by its sample.
pub fn network(dealers: &[Assessed]) -> Tally {
    dealers
        .iter()
        .filter_map(Assessed::tally)
        .fold(Tally::default(), |a, t| Tally {
            sum: a.sum + t.sum,
            n: a.n + t.n,
        })
}

/// The sort key of a dealer: the Bayesian average of its composite toward
/// `prior`'s mean, in millionths. A dealer without responses sits at the
/// prior mean (and is listed, not ranked).
pub fn sort_key(dealer: &Assessed, prior: Tally, settings: &LeagueSettings) -> Option<i64> {
    let tally = dealer.tally()?;
    if tally.n == 0 {
        let mean = prior
            .mean()
            .unwrap_or(f64::from(dealer.composite.unwrap_or(0)));
        return Some((mean * KEY_SCALE as f64).round() as i64);
    }
    Some(league::bayesian_key(
        tally,
        prior,
        settings,
        i128::from(KEY_SCALE),
    ))
}

/// Where a composite lies.
pub const COMPOSITE_RANGE: (f64, f64) = (0.0, 1000.0);

/// The 95 % posterior interval of a dealer whose sort key is `key`, over
/// its `sample` responses (`league::interval::posterior`).
pub fn interval(key: i64, sample: u64, settings: &LeagueSettings) -> league::interval::Interval {
    league::interval::posterior(key, sample, settings, COMPOSITE_RANGE)
}

/// The table of `dealers` toward their own network's mean, in order and
/// ranked; dealers without a composite are left out.
pub fn table(dealers: &[Assessed], settings: &LeagueSettings) -> Vec<Row> {
    let prior = network(dealers);
    let mut rows: Vec<Row> = dealers
        .iter()
        .filter_map(|d| {
            let key = sort_key(d, prior, settings)?;
            Some(Row {
                member: d.dealer_id.clone(),
                sample: d.sample,
                raw: d.composite.map(f64::from),
                estimate: key as f64 / KEY_SCALE as f64,
                sort_key: key,
                rank: None,
                movement: None,
            })
        })
        .collect();
    league::order(&mut rows, settings);
    rows
}

/// Each ranked dealer's rank in the table of `dealers`.
pub fn ranks(dealers: &[Assessed], settings: &LeagueSettings) -> HashMap<String, u32> {
    table(dealers, settings)
        .into_iter()
        .filter_map(|r| Some((r.member, r.rank?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(id: &str, composite: u32, sample: u64) -> Assessed {
        Assessed {
            dealer_id: id.into(),
            composite: Some(composite),
            sample,
        }
    }

    fn settings() -> LeagueSettings {
        LeagueSettings {
            min_sample: 2,
            prior_weight: 2,
        }
    }

    #[test]
    fn a_small_sample_is_pulled_toward_the_network_mean() {
        // Network mean: (800·8 + 1000·1 + 600·1) / 10 = 800.
        let dealers = [d("a", 800, 8), d("b", 1000, 1), d("c", 600, 1)];
        assert_eq!(network(&dealers), Tally { sum: 8000, n: 10 });
        // b: (2·800 + 1000·1) / 3 = 866.67, not 1000.
        let b = sort_key(&dealers[1], network(&dealers), &settings()).unwrap();
        assert_eq!(b, 866_666_667);
    }

    #[test]
    fn the_table_ranks_by_the_estimate_and_lists_small_samples_unranked() {
        let dealers = [
            d("a", 700, 10),
            d("b", 900, 10),
            d("c", 1000, 1),
            Assessed {
                dealer_id: "e".into(),
                composite: None,
                sample: 5,
            },
        ];
        let rows = table(&dealers, &settings());
        let order: Vec<(&str, Option<u32>)> =
            rows.iter().map(|r| (r.member.as_str(), r.rank)).collect();
        assert_eq!(order, [("b", Some(1)), ("a", Some(2)), ("c", None)]);
    }
}
