//! The quota kept in this process: governor's keyed GCRA limiter, one
//! theoretical arrival time per key.
//!
//! Memory stays bounded by forgetting the keys whose state is the same as a
//! fresh one (a caller idle for as long as its burst takes to refill): that
//! changes no answer. What remains is one entry per key seen within that
//! time.

use std::{
    sync::{Mutex, PoisonError},
    time::Duration,
};

use governor::{
    Quota,
    clock::{Clock, MonotonicClock, Reference},
    middleware::NoOpMiddleware,
    state::keyed::HashMapStateStore,
};

/// Forget idle keys at most this often, however slowly the quota refills,
/// so that a burst of principals is forgotten soon after it stops.
const MAX_SWEEP_INTERVAL: Duration = Duration::from_secs(60);
/// And at least this far apart, so that a fast refill does not make every
/// call walk the whole map.
const MIN_SWEEP_INTERVAL: Duration = Duration::from_secs(1);

type Keyed<C> = governor::RateLimiter<
    String,
    HashMapStateStore<String>,
    C,
    NoOpMiddleware<<C as Clock>::Instant>,
>;

#[derive(Debug)]
pub(crate) struct LocalLimiter<C: Clock = MonotonicClock> {
    limiter: Keyed<C>,
    sweep_every: Duration,
    last_sweep: Mutex<C::Instant>,
}

impl LocalLimiter {
    pub(crate) fn new(quota: Quota) -> Self {
        Self::with_clock(quota, MonotonicClock)
    }
}

impl<C: Clock> LocalLimiter<C> {
    pub(crate) fn with_clock(quota: Quota, clock: C) -> Self {
        let refill = quota.replenish_interval() * quota.burst_size().get();
        let now = clock.now();
        Self {
            limiter: Keyed::hashmap_with_clock(quota, clock),
            sweep_every: refill.clamp(MIN_SWEEP_INTERVAL, MAX_SWEEP_INTERVAL),
            last_sweep: Mutex::new(now),
        }
    }

    /// Counts one call of `key`: refused with the time until the next call
    /// would pass when its quota is spent.
    pub(crate) fn check(&self, key: &str) -> Result<(), Duration> {
        self.sweep_if_due();
        self.limiter
            .check_key(&key.to_owned())
            .map_err(|not_until| not_until.wait_time_from(self.limiter.clock().now()))
    }

    fn sweep_if_due(&self) {
        let now = self.limiter.clock().now();
        // Nothing below can panic while holding the lock, so a poisoned lock
        // still holds a valid time.
        let mut last = self
            .last_sweep
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if Duration::from(now.duration_since(*last)) < self.sweep_every {
            return;
        }
        *last = now;
        drop(last);
        self.limiter.retain_recent();
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.limiter.len()
    }
}

#[cfg(test)]
mod tests {
    use std::num::NonZeroU32;

    use governor::clock::FakeRelativeClock;

    use super::*;

    fn limiter(
        per_second: f64,
        burst: u32,
    ) -> (LocalLimiter<FakeRelativeClock>, FakeRelativeClock) {
        let quota = Quota::with_period(Duration::from_secs_f64(1.0 / per_second))
            .expect("a period")
            .allow_burst(NonZeroU32::new(burst).expect("a burst"));
        let clock = FakeRelativeClock::default();
        (LocalLimiter::with_clock(quota, clock.clone()), clock)
    }

    fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(s)
    }

    #[test]
    fn a_burst_passes_and_the_next_call_is_told_when_to_come_back() {
        let (limiter, _) = limiter(1.0, 3);
        assert!((0..3).all(|_| limiter.check("alice").is_ok()));
        assert_eq!(limiter.check("alice"), Err(secs(1.0)));
    }

    #[test]
    fn calls_come_back_at_the_rate() {
        let (limiter, clock) = limiter(2.0, 2);
        assert!(limiter.check("alice").is_ok());
        assert!(limiter.check("alice").is_ok());
        clock.advance(secs(0.25));
        assert_eq!(
            limiter.check("alice"),
            Err(secs(0.25)),
            "half a call is not a call"
        );
        clock.advance(secs(0.25));
        assert!(
            limiter.check("alice").is_ok(),
            "one call after half a second"
        );
        assert!(limiter.check("alice").is_err());
        // A long pause refills no more than the burst.
        clock.advance(secs(100.0));
        assert!(limiter.check("alice").is_ok());
        assert!(limiter.check("alice").is_ok());
        assert!(limiter.check("alice").is_err());
    }

    #[test]
    fn principals_have_their_own_quota() {
        let (limiter, _) = limiter(1.0, 1);
        assert!(limiter.check("alice").is_ok());
        assert!(limiter.check("alice").is_err());
        assert!(limiter.check("bob").is_ok());
    }

    #[test]
    fn refilled_keys_are_forgotten_and_busy_ones_kept() {
        // Refills in 2 s, so it sweeps every 2 s.
        let (limiter, clock) = limiter(1.0, 2);
        for i in 0..100 {
            assert!(limiter.check(&format!("idle-{i}")).is_ok());
        }
        assert_eq!(limiter.tracked(), 100);
        // Just before the sweep is due, everyone is still remembered.
        clock.advance(secs(1.5));
        assert!(limiter.check("busy").is_ok());
        assert!(limiter.check("busy").is_ok());
        assert_eq!(limiter.tracked(), 101);
        // At 3 s the idle ones are as good as new and go; the busy one,
        // emptied at 1.5 s, is not and stays, still counting its debt.
        clock.advance(secs(1.5));
        assert!(limiter.check("busy").is_ok());
        assert_eq!(limiter.tracked(), 1);
        assert!(limiter.check("busy").is_err());
    }

    #[test]
    fn fractional_rates_refill_slowly() {
        let (limiter, clock) = limiter(0.25, 1);
        assert!(limiter.check("dms").is_ok());
        clock.advance(secs(3.5));
        assert_eq!(limiter.check("dms"), Err(secs(0.5)));
        clock.advance(secs(0.5));
        assert!(limiter.check("dms").is_ok());
    }
}
