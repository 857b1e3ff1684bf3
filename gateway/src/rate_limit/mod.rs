//! How many calls each caller may make: a quota per key (a principal's
//! subject, or an anonymous caller's address, see `anonymous::bucket_key`),
//! by GCRA — a sustained rate and a burst after being idle.
//!
//! With one gateway (the embedded mode) the quota is kept in this process
//! ([`local`], governor's keyed limiter). With several replicas each would
//! keep its own and a caller would get the quota once per replica, so when
//! the settings name a Redis the quota is kept there for all of them
//! ([`shared`]); without one, each of the configured replicas keeps its
//! share of it (which holds only as far as the load balancer spreads each
//! caller's calls evenly).
//!
//! A call never waits on a slow Redis for long: past a short deadline (or
//! on any error) it is decided by a local limiter holding the replica's
//! share of the quota (the quota divided by the configured replica count),
//! Redis is left alone for a moment, and the outage is logged once and
//! each call so decided counted in `gateway_rate_limit_fallback_calls_total`.

mod local;
mod shared;

use std::{
    num::NonZeroU32,
    sync::{Mutex, PoisonError},
    time::{Duration, Instant},
};

use governor::Quota;

use self::{local::LocalLimiter, shared::RedisQuota};
use crate::GatewaySettings;

/// How long Redis is left alone after it failed to answer: calls meanwhile
/// are decided locally at once instead of each waiting for the deadline.
const RETRY_REDIS_AFTER: Duration = Duration::from_secs(1);

/// A call over its quota, and when the next one would pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Refused {
    pub(crate) retry_after: Duration,
}

#[derive(Debug)]
pub(crate) enum RateLimiter {
    /// Limiting is off (a rate of 0, for load tests).
    Off,
    Local(LocalLimiter),
    Shared(Shared),
}

#[derive(Debug)]
pub(crate) struct Shared {
    redis: RedisQuota,
    timeout: Duration,
    /// This replica's share of the quota, while Redis does not answer.
    fallback: LocalLimiter,
    /// Until when Redis is left alone; `None` while it answers.
    away_until: Mutex<Option<Instant>>,
}

impl RateLimiter {
    /// The limiter the settings ask for. A Redis URL that cannot be used
    /// (which `GatewaySettings::validate` refuses) leaves this replica with
    /// its share of the quota, and says so.
    pub(crate) fn new(settings: &GatewaySettings) -> Self {
        let shared_by = |replicas| {
            quota(
                settings.rate_limit_per_second,
                settings.rate_limit_burst,
                replicas,
            )
        };
        let Some(quota) = shared_by(1) else {
            return Self::Off;
        };
        let replicas = settings.rate_limit_replicas.max(1);
        let share = shared_by(replicas).unwrap_or(quota);
        let Some(url) = &settings.rate_limit_redis_url else {
            return Self::Local(LocalLimiter::new(share));
        };
        let timeout = Duration::from_millis(settings.rate_limit_redis_timeout_ms);
        match RedisQuota::new(url, &settings.rate_limit_redis_key_prefix, quota, timeout) {
            Ok(redis) => Self::Shared(Shared {
                redis,
                timeout,
                fallback: LocalLimiter::new(share),
                away_until: Mutex::new(None),
            }),
            Err(e) => {
                tracing::error!(error = %e, replicas, "gateway.rate_limit_redis_url unusable: each replica keeps its share of the quota");
                Self::Local(LocalLimiter::new(share))
            }
        }
    }

    /// Counts one call of `key`.
    pub(crate) async fn check(&self, key: &str) -> Result<(), Refused> {
        let decision = match self {
            RateLimiter::Off => Ok(()),
            RateLimiter::Local(local) => local.check(key),
            RateLimiter::Shared(shared) => shared.check(key).await,
        };
        decision.map_err(|retry_after| Refused { retry_after })
    }
}

impl Shared {
    async fn check(&self, key: &str) -> Result<(), Duration> {
        if !self.is_away() {
            // No lock is held across the round trip.
            match tokio::time::timeout(self.timeout, self.redis.check(key)).await {
                Ok(Ok(decision)) => {
                    self.answered();
                    return decision;
                }
                Ok(Err(e)) => self.failed(&e),
                Err(_) => self.failed(&format_args!("no answer within {:?}", self.timeout)),
            }
        }
        metrics::counter!("gateway_rate_limit_fallback_calls_total").increment(1);
        self.fallback.check(key)
    }

    fn away_until(&self) -> std::sync::MutexGuard<'_, Option<Instant>> {
        // Nothing can panic while holding the lock: a poisoned one still
        // holds a valid time.
        self.away_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn is_away(&self) -> bool {
        self.away_until()
            .is_some_and(|until| Instant::now() < until)
    }

    /// Logs the outage when it begins, not at every call it touches.
    fn failed(&self, error: &dyn std::fmt::Display) {
        let began = self
            .away_until()
            .replace(Instant::now() + RETRY_REDIS_AFTER)
            .is_none();
        if began {
            tracing::warn!(error = %error, "rate-limit redis unavailable: this replica limits callers to its share of the quota");
        }
    }

    fn answered(&self) {
        if self.away_until().take().is_some() {
            tracing::info!("rate-limit redis answers again: the quota is shared by every replica");
        }
    }
}

/// `per_second` sustained and `burst` at once, shared among `replicas`:
/// `None` (limiting off) for a rate ≤ 0 or not a number. A share keeps a
/// burst of at least 1.
fn quota(per_second: f64, burst: u32, replicas: u32) -> Option<Quota> {
    if !(per_second.is_finite() && per_second > 0.0) {
        return None;
    }
    let period = Duration::try_from_secs_f64(f64::from(replicas) / per_second).ok()?;
    let burst = NonZeroU32::new(burst.div_ceil(replicas)).unwrap_or(NonZeroU32::MIN);
    Some(Quota::with_period(period)?.allow_burst(burst))
}
