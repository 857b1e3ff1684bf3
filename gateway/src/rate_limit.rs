//! A token bucket per key: a principal's subject, or an anonymous caller's
//! address (see `anonymous::bucket_key`).
//!
//! Memory stays bounded by dropping the buckets that have filled up again:
//! a full bucket behaves exactly like one never made, so forgetting it
//! changes no answer. What remains is one bucket per key seen within the
//! time a bucket takes to refill.

use std::{
    collections::HashMap,
    sync::{Mutex, PoisonError},
    time::{Duration, Instant},
};

/// Sweep at most this often, however slowly buckets refill, so that a
/// burst of principals is forgotten soon after it stops.
const MAX_SWEEP_INTERVAL: Duration = Duration::from_secs(60);
/// Sweep at least this far apart, so that a fast refill does not make every
/// call walk the whole map.
const MIN_SWEEP_INTERVAL: Duration = Duration::from_secs(1);

#[derive(Debug)]
pub(crate) struct RateLimiter {
    /// None: limiting is off.
    limit: Option<Limit>,
    state: Mutex<State>,
}

#[derive(Debug, Clone, Copy)]
struct Limit {
    per_second: f64,
    burst: f64,
    sweep_every: Duration,
}

#[derive(Debug)]
struct State {
    buckets: HashMap<String, Bucket>,
    last_sweep: Instant,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl Bucket {
    /// The tokens the bucket holds at `now`, counting the refill since it
    /// was last touched.
    fn level(&self, now: Instant, limit: &Limit) -> f64 {
        let elapsed = now.saturating_duration_since(self.updated).as_secs_f64();
        (self.tokens + elapsed * limit.per_second).min(limit.burst)
    }

    fn try_take(&mut self, now: Instant, limit: &Limit) -> bool {
        self.tokens = self.level(now, limit);
        self.updated = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

impl RateLimiter {
    /// `per_second` ≤ 0 (or not a number) turns limiting off.
    pub(crate) fn new(per_second: f64, burst: u32) -> Self {
        let limit = (per_second.is_finite() && per_second > 0.0).then(|| {
            let burst = f64::from(burst);
            let refill =
                Duration::try_from_secs_f64(burst / per_second).unwrap_or(MAX_SWEEP_INTERVAL);
            Limit {
                per_second,
                burst,
                sweep_every: refill.clamp(MIN_SWEEP_INTERVAL, MAX_SWEEP_INTERVAL),
            }
        });
        Self {
            limit,
            state: Mutex::new(State {
                buckets: HashMap::new(),
                last_sweep: Instant::now(),
            }),
        }
    }

    /// Takes one token from `key`'s bucket: false when it is empty.
    pub(crate) fn try_acquire(&self, key: &str, now: Instant) -> bool {
        let Some(limit) = &self.limit else {
            return true;
        };
        // No code below can panic while holding the lock, so a poisoned
        // lock still guards consistent buckets.
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if now.saturating_duration_since(state.last_sweep) >= limit.sweep_every {
            state
                .buckets
                .retain(|_, bucket| bucket.level(now, limit) < limit.burst);
            state.last_sweep = now;
        }
        if let Some(bucket) = state.buckets.get_mut(key) {
            return bucket.try_take(now, limit);
        }
        let mut bucket = Bucket {
            tokens: limit.burst,
            updated: now,
        };
        let allowed = bucket.try_take(now, limit);
        state.buckets.insert(key.to_owned(), bucket);
        allowed
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .buckets
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(s)
    }

    #[test]
    fn a_burst_passes_and_the_next_call_is_refused() {
        let limiter = RateLimiter::new(1.0, 3);
        let now = Instant::now();
        assert!((0..3).all(|_| limiter.try_acquire("alice", now)));
        assert!(!limiter.try_acquire("alice", now));
    }

    #[test]
    fn tokens_come_back_at_the_rate() {
        let limiter = RateLimiter::new(2.0, 2);
        let t0 = Instant::now();
        assert!(limiter.try_acquire("alice", t0));
        assert!(limiter.try_acquire("alice", t0));
        assert!(
            !limiter.try_acquire("alice", t0 + secs(0.25)),
            "half a token is not a token"
        );
        assert!(
            limiter.try_acquire("alice", t0 + secs(0.5)),
            "one token after half a second"
        );
        assert!(!limiter.try_acquire("alice", t0 + secs(0.5)));
        // A long pause refills no more than the burst.
        let later = t0 + secs(100.0);
        assert!(limiter.try_acquire("alice", later));
        assert!(limiter.try_acquire("alice", later));
        assert!(!limiter.try_acquire("alice", later));
    }

    #[test]
    fn principals_have_their_own_buckets() {
        let limiter = RateLimiter::new(1.0, 1);
        let now = Instant::now();
        assert!(limiter.try_acquire("alice", now));
        assert!(!limiter.try_acquire("alice", now));
        assert!(limiter.try_acquire("bob", now));
    }

    #[test]
    fn refilled_buckets_are_forgotten_and_busy_ones_kept() {
        // Refills in 2 s, so it sweeps every 2 s.
        let limiter = RateLimiter::new(1.0, 2);
        let t0 = Instant::now();
        for i in 0..100 {
            assert!(limiter.try_acquire(&format!("idle-{i}"), t0));
        }
        assert_eq!(limiter.tracked(), 100);
        // Just before the sweep is due, everyone is still remembered.
        assert!(limiter.try_acquire("busy", t0 + secs(1.5)));
        assert!(limiter.try_acquire("busy", t0 + secs(1.5)));
        assert_eq!(limiter.tracked(), 101);
        // At 3 s the idle ones are full again and go; the busy one, emptied
        // at 1.5 s, is not full yet and stays, still counting its debt.
        let t3 = t0 + secs(3.0);
        assert!(limiter.try_acquire("busy", t3));
        assert_eq!(limiter.tracked(), 1);
        assert!(!limiter.try_acquire("busy", t3));
    }

    #[test]
    fn a_rate_of_zero_turns_limiting_off() {
        for rate in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let limiter = RateLimiter::new(rate, 0);
            let now = Instant::now();
            assert!(
                (0..1000).all(|_| limiter.try_acquire("alice", now)),
                "rate {rate}"
            );
            assert_eq!(limiter.tracked(), 0);
        }
    }

    #[test]
    fn fractional_rates_refill_slowly() {
        // Binary fractions, so that the sums are exact.
        let limiter = RateLimiter::new(0.25, 1);
        let t0 = Instant::now();
        assert!(limiter.try_acquire("dms", t0));
        assert!(!limiter.try_acquire("dms", t0 + secs(3.5)));
        assert!(limiter.try_acquire("dms", t0 + secs(4.0)));
    }
}
