//! The 95 % interval of the value a table ranks by (`docs/scoring.md` §4),
//! in the metric's display unit: the Wilson score interval of the
//! satisfaction rate (its lower end is the estimate), and for the Bayesian
//! averages their posterior interval — the average ± z·σ/√(C + n), σ being
//! the spread of one response.
//!
//! The tallies keep sums, not squares, so σ is bounded rather than
//! measured: a value within [a, b] with mean μ spreads at most
//! √((b − μ)(μ − a)) (the Bhatia–Davis inequality; for a 0/1 answer it is
//! the binomial √(p(1 − p)) exactly). The interval is therefore never
//! narrower than the data allow, and it narrows as responses come in.

use serde::{Deserialize, Serialize};

use super::{Estimator, KEY_SCALE, LeagueSettings, Metric, WILSON_Z};
use crate::domain::aggregate::Tally;

/// A closed interval in the metric's display unit, in millionths like the
/// estimate, so that it holds the estimate exactly.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

impl Interval {
    /// `[low, high]` widened to hold `key` (the estimate in millionths) and
    /// rounded outward to millionths, within `range`.
    fn around(key: i64, low: f64, high: f64, (min, max): (f64, f64)) -> Interval {
        let scale = KEY_SCALE as f64;
        let low_key = ((low.max(min) * scale).floor() as i64).min(key);
        let high_key = ((high.min(max) * scale).ceil() as i64).max(key);
        Interval {
            low: low_key as f64 / scale,
            high: high_key as f64 / scale,
        }
    }

    pub fn contains(&self, value: f64) -> bool {
        self.low <= value && value <= self.high
    }

    pub fn width(&self) -> f64 {
        self.high - self.low
    }
}

impl Metric {
    /// Where one response's value lies, in the display unit.
    pub fn range(self) -> (f64, f64) {
        match self {
            Metric::SatisfactionRate => (0.0, 100.0),
            Metric::Nps => (-100.0, 100.0),
            Metric::ServiceIndex => (0.0, 1000.0),
            // A gap of a 1–7 scale, weighted by weights that sum to one.
            Metric::WeightedGap => (-6.0, 6.0),
        }
    }
}

/// The 95 % Wilson score interval of `successes` of `n`, as shares; the
/// lower end is [`super::wilson_lower_bound`] bit for bit.
pub fn wilson(successes: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (n, z2) = (n as f64, WILSON_Z * WILSON_Z);
    let p = successes as f64 / n;
    let centre = p + z2 / (2.0 * n);
    let margin = WILSON_Z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    let scale = 1.0 + z2 / n;
    (
        ((centre - margin) / scale).max(0.0),
        ((centre + margin) / scale).min(1.0),
    )
}

/// The 95 % posterior interval of a Bayesian average whose value is `key`
/// (millionths of the display unit) over `n` responses, each within
/// `range`, with the settings' prior weight.
pub fn posterior(key: i64, n: u64, settings: &LeagueSettings, range: (f64, f64)) -> Interval {
    let mean = key as f64 / KEY_SCALE as f64;
    let weight = (n + settings.prior_weight) as f64;
    let (min, max) = range;
    let spread = ((max - mean) * (mean - min)).max(0.0);
    let margin = if weight > 0.0 {
        WILSON_Z * (spread / weight).sqrt()
    } else {
        max - min
    };
    Interval::around(key, mean - margin, mean + margin, range)
}

/// The interval of a member with `tally` whose sort key is `key`.
pub fn interval(metric: Metric, tally: Tally, key: i64, settings: &LeagueSettings) -> Interval {
    match metric.estimator() {
        Estimator::WilsonLowerBound => {
            let successes = tally.sum.clamp(0, tally.n as i64) as u64;
            let (low, high) = wilson(successes, tally.n);
            Interval::around(key, low * 100.0, high * 100.0, metric.range())
        }
        Estimator::BayesianAverage => posterior(key, tally.n, settings, metric.range()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::league::{sort_key, wilson_lower_bound};

    const SETTINGS: LeagueSettings = LeagueSettings {
        min_sample: 10,
        prior_weight: 20,
    };

    fn of(metric: Metric, tally: Tally, prior: Tally) -> (f64, Interval) {
        let key = sort_key(metric, tally, prior, &SETTINGS);
        (
            key as f64 / KEY_SCALE as f64,
            interval(metric, tally, key, &SETTINGS),
        )
    }

    #[test]
    fn the_wilson_interval_of_8_of_10_by_hand() {
        // p = 0.8, z² = 3.841459: centre = 0.8 + 0.192073 = 0.992073,
        // margin = 1.959964·√(0.016 + 0.009604) = 0.313617,
        // scale = 1.384146: (0.678456, 1.305690) / scale ≈
        // (0.49016, 0.94332) to the five decimals worked by hand.
        let (low, high) = wilson(8, 10);
        assert!((low - 0.490_16).abs() < 1e-5, "{low}");
        assert!((high - 0.943_32).abs() < 1e-5, "{high}");
        assert_eq!(low, wilson_lower_bound(8, 10));
        // On a table, in %: the estimate is the lower end.
        let (estimate, i) = of(
            Metric::SatisfactionRate,
            Tally { sum: 8, n: 10 },
            Tally::default(),
        );
        assert_eq!(i.low, estimate);
        assert!((i.high - 94.3318).abs() < 1e-4, "{i:?}");
    }

    #[test]
    fn the_posterior_interval_of_a_service_index_by_hand() {
        // 20 responses averaging 800 toward a prior of 500 weighing 20:
        // (20·500 + 20·800)/40 = 650; σ ≤ √(350·650) = 476.97;
        // ± 1.96·476.97/√40 = ± 147.81.
        let (estimate, i) = of(
            Metric::ServiceIndex,
            Tally { sum: 16_000, n: 20 },
            Tally { sum: 500, n: 1 },
        );
        assert_eq!(estimate, 650.0);
        assert!((i.low - 502.19).abs() < 0.01, "{i:?}");
        assert!((i.high - 797.81).abs() < 0.01, "{i:?}");
    }

    #[test]
    fn the_interval_holds_the_estimate() {
        // Tallies a metric can have, down to the ends of its range, and a
        // prior of each.
        let cases: [(Metric, Tally, [(i64, u64); 5]); 4] = [
            (
                Metric::SatisfactionRate,
                Tally::default(),
                [(0, 1), (1, 1), (7, 10), (10, 10), (0, 40)],
            ),
            (
                Metric::Nps,
                Tally { sum: 50, n: 1 },
                [(100, 1), (-100, 1), (0, 3), (300, 5), (-2_000, 20)],
            ),
            (
                Metric::ServiceIndex,
                Tally { sum: 700, n: 1 },
                [(0, 1), (1_000, 1), (2_100, 3), (5_000, 5), (0, 0)],
            ),
            (
                Metric::WeightedGap,
                Tally { sum: -1_000, n: 1 },
                [(-6_000, 1), (6_000, 1), (-1_500, 3), (0, 5), (0, 0)],
            ),
        ];
        for (metric, prior, tallies) in cases {
            for (sum, n) in tallies {
                let tally = Tally { sum, n };
                let (estimate, i) = of(metric, tally, prior);
                assert!(
                    i.contains(estimate),
                    "{metric:?} {tally:?}: {estimate} {i:?}"
                );
                let (min, max) = metric.range();
                assert!(min <= i.low && i.high <= max, "{metric:?} {tally:?}: {i:?}");
            }
        }
    }

    #[test]
    fn the_interval_narrows_as_the_sample_grows() {
        for metric in Metric::ALL {
            // The same mean over more and more responses.
            let widths: Vec<f64> = [10, 40, 160, 640]
                .into_iter()
                .map(|n| {
                    let sum = match metric {
                        Metric::SatisfactionRate => n as i64 * 3 / 4,
                        Metric::Nps => n as i64 * 30,
                        Metric::ServiceIndex => n as i64 * 700,
                        Metric::WeightedGap => n as i64 * -500,
                    };
                    of(metric, Tally { sum, n }, Tally { sum: 0, n: 1 })
                        .1
                        .width()
                })
                .collect();
            assert!(
                widths.windows(2).all(|w| w[1] < w[0]),
                "{metric:?}: {widths:?}"
            );
        }
    }
}
