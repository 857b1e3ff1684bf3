//! Per-call latencies and the figures read from them.

use std::time::Duration;

/// The latencies of the successful calls of one run, sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Latencies {
    sorted_nanos: Vec<u64>,
}

impl Latencies {
    /// Merges the samples the clients kept, each in its own vector.
    pub(crate) fn merge(per_client: impl IntoIterator<Item = Vec<u64>>) -> Self {
        let mut sorted_nanos: Vec<u64> = per_client.into_iter().flatten().collect();
        sorted_nanos.sort_unstable();
        Self { sorted_nanos }
    }

    /// Both runs' samples together.
    pub(crate) fn combine(self, other: Self) -> Self {
        Self::merge([self.sorted_nanos, other.sorted_nanos])
    }

    pub(crate) fn count(&self) -> usize {
        self.sorted_nanos.len()
    }

    /// The `p`-th percentile (0 < p ≤ 100) by nearest rank: the smallest
    /// sample that at least `p` % of the samples do not exceed. None
    /// without samples.
    pub(crate) fn percentile(&self, p: f64) -> Option<Duration> {
        nearest_rank(&self.sorted_nanos, p).map(Duration::from_nanos)
    }

    pub(crate) fn max(&self) -> Option<Duration> {
        self.sorted_nanos.last().copied().map(Duration::from_nanos)
    }
}

/// The nearest-rank percentile of sorted samples: rank ⌈p/100 · n⌉,
/// counted from 1, and clamped to the samples so that p = 0 gives the
/// minimum.
fn nearest_rank(sorted: &[u64], p: f64) -> Option<u64> {
    if sorted.is_empty() || !(0.0..=100.0).contains(&p) {
        return None;
    }
    // Rounded first so that 0.99 · 100 = 98.99999999999999 gives rank 99.
    let exact = (p / 100.0 * sorted.len() as f64 * 1e9).round() / 1e9;
    let rank = (exact.ceil() as usize).clamp(1, sorted.len());
    Some(sorted[rank - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> u64 {
        n * 1_000_000
    }

    #[test]
    fn percentiles_of_one_to_a_hundred_are_their_rank() {
        let samples: Vec<u64> = (1..=100).rev().map(ms).collect();
        let l = Latencies::merge([samples]);
        assert_eq!(l.count(), 100);
        assert_eq!(l.percentile(50.0), Some(Duration::from_millis(50)));
        assert_eq!(l.percentile(99.0), Some(Duration::from_millis(99)));
        assert_eq!(l.percentile(99.9), Some(Duration::from_millis(100)));
        assert_eq!(l.percentile(100.0), Some(Duration::from_millis(100)));
        assert_eq!(l.percentile(0.0), Some(Duration::from_millis(1)));
        assert_eq!(l.max(), Some(Duration::from_millis(100)));
    }

    #[test]
    fn the_rank_rounds_up() {
        // Ten samples: p50 is the 5th, p99 the 10th (⌈9.9⌉), p11 the 2nd.
        let samples: Vec<u64> = (1..=10).map(ms).collect();
        let l = Latencies::merge([samples]);
        assert_eq!(l.percentile(50.0), Some(Duration::from_millis(5)));
        assert_eq!(l.percentile(51.0), Some(Duration::from_millis(6)));
        assert_eq!(l.percentile(99.0), Some(Duration::from_millis(10)));
        assert_eq!(l.percentile(11.0), Some(Duration::from_millis(2)));
        assert_eq!(l.percentile(10.0), Some(Duration::from_millis(1)));
    }

    #[test]
    fn one_sample_is_every_percentile() {
        let l = Latencies::merge([vec![7]]);
        for p in [0.0, 1.0, 50.0, 99.0, 100.0] {
            assert_eq!(l.percentile(p), Some(Duration::from_nanos(7)));
        }
    }

    #[test]
    fn samples_from_several_clients_are_merged_and_sorted() {
        let l = Latencies::merge([vec![ms(3), ms(1)], vec![], vec![ms(4), ms(2)]]);
        assert_eq!(l.count(), 4);
        assert_eq!(l.percentile(25.0), Some(Duration::from_millis(1)));
        assert_eq!(l.percentile(50.0), Some(Duration::from_millis(2)));
        assert_eq!(l.percentile(75.0), Some(Duration::from_millis(3)));
        assert_eq!(l.max(), Some(Duration::from_millis(4)));
    }

    #[test]
    fn no_samples_or_a_bad_percentile_give_nothing() {
        let empty = Latencies::default();
        assert_eq!(empty.percentile(50.0), None);
        assert_eq!(empty.max(), None);
        let l = Latencies::merge([vec![1, 2, 3]]);
        assert_eq!(l.percentile(-1.0), None);
        assert_eq!(l.percentile(100.1), None);
        assert_eq!(l.percentile(f64::NAN), None);
    }
}
