//! The quota kept in Redis, shared by every gateway replica: one GCRA per
//! key, run by a Lua script (`gcra.lua`) so that reading and moving a key's
//! theoretical arrival time is one atomic step whichever replica asks.

use std::{sync::LazyLock, time::Duration};

use governor::Quota;
use redis::{
    RedisResult, Script,
    aio::{ConnectionManager, ConnectionManagerConfig},
};

static GCRA: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("gcra.lua")));

#[derive(Clone)]
pub(crate) struct RedisQuota {
    con: ConnectionManager,
    prefix: String,
    /// The time one call's share of the quota takes to refill (µs).
    emission_us: u64,
    /// How far ahead of now a key's arrival time may run: the burst (µs).
    tolerance_us: u64,
}

impl std::fmt::Debug for RedisQuota {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisQuota")
            .field("prefix", &self.prefix)
            .field("emission_us", &self.emission_us)
            .field("tolerance_us", &self.tolerance_us)
            .finish_non_exhaustive()
    }
}

impl RedisQuota {
    /// Does not connect: the first call does, and the next call after
    /// Redis went away tries again. Fails on a malformed URL only.
    /// `timeout` bounds connecting; the caller bounds each call.
    pub(crate) fn new(
        url: &str,
        prefix: &str,
        quota: Quota,
        timeout: Duration,
    ) -> RedisResult<Self> {
        let client = redis::Client::open(url)?;
        // No retries inside the manager: a call that finds Redis away is
        // decided locally at once, and a later one connects again.
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(timeout))
            .set_number_of_retries(0);
        // The same numbers as governor's (`Gcra::new`), so that the shared
        // quota and the local one answer alike.
        let emission = quota.replenish_interval().max(Duration::from_micros(1));
        let emission_us = u64::try_from(emission.as_micros()).unwrap_or(u64::MAX);
        let tolerance_us =
            emission_us.saturating_mul(u64::from(quota.burst_size().get().saturating_sub(1)));
        Ok(Self {
            con: ConnectionManager::new_lazy_with_config(client, config)?,
            prefix: prefix.to_owned(),
            emission_us,
            tolerance_us,
        })
    }

    /// Counts one call of `key` across all replicas: refused with the time
    /// until the next call would pass when its quota is spent.
    pub(crate) async fn check(&self, key: &str) -> RedisResult<Result<(), Duration>> {
        let mut con = self.con.clone();
        let (conforms, wait_us): (bool, u64) = GCRA
            .key(format!("{}{key}", self.prefix))
            .arg(self.emission_us)
            .arg(self.tolerance_us)
            .invoke_async(&mut con)
            .await?;
        Ok(if conforms {
            Ok(())
        } else {
            Err(Duration::from_micros(wait_us))
        })
    }
}
