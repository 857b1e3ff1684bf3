//! What the tables that grow with traffic keep, and the sweep that takes
//! away the rest.
//!
//! A [`Sweeper`] runs a service's [`Step`]s every `sweep_every_minutes`:
//! each step removes (or archives) rows older than what it keeps, one small
//! batch per statement or transaction, until a batch comes back short. No
//! batch holds a lock for long, so the service's own writes go on between
//! them, on PostgreSQL and on SQLite (one writer at a time) alike. Every
//! service sweeps its idempotency keys; the outbox and the ledgers add
//! their steps (`aftercare_outbox::retention_steps`, the services' own).
//!
//! Several replicas sweep the same database: a batch another replica took
//! first is simply found empty.

use std::{future::Future, pin::Pin, sync::Arc, time::Duration};

use serde::Deserialize;

use crate::{Db, idempotency, timestamp::Clock};

const DAY: Duration = Duration::from_secs(24 * 60 * 60);

/// How long the shared tables keep their rows, and how the sweep paces
/// itself. Each service's settings carry one as `retention`
/// (`AFTERCARE_PARTS__RETENTION__IDEMPOTENCY_KEY_DAYS` and the like).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetentionSettings {
    /// How often, in minutes, the sweep runs; 0: never.
    pub sweep_every_minutes: u64,
    /// Rows taken per batch: each batch is one short statement or
    /// transaction.
    pub batch_size: i64,
    /// A retried mutation within this many days of the first gets the first
    /// answer back; after it, its key is gone and a retry applies anew.
    pub idempotency_key_days: u64,
    /// Delivered outbox events are kept this many days, for inspection.
    pub delivered_event_days: u64,
    /// The inbox remembers an applied event id this many days. It must
    /// outlast any redelivery: see `aftercare_outbox::retention_steps`.
    pub applied_event_days: u64,
}

impl Default for RetentionSettings {
    fn default() -> Self {
        Self {
            sweep_every_minutes: 60,
            batch_size: 500,
            idempotency_key_days: 7,
            delivered_event_days: 7,
            applied_event_days: 30,
        }
    }
}

impl RetentionSettings {
    /// `days` as a duration.
    pub fn days(days: u64) -> Duration {
        DAY.saturating_mul(u32::try_from(days).unwrap_or(u32::MAX))
    }

    fn every(&self) -> Option<Duration> {
        (self.sweep_every_minutes > 0).then(|| Duration::from_secs(self.sweep_every_minutes * 60))
    }
}

type BatchFuture = Pin<Box<dyn Future<Output = Result<u64, sqlx::Error>> + Send>>;
type Batch = Arc<dyn Fn(Db, i64, i64) -> BatchFuture + Send + Sync>;

/// One table's retention: rows older than `keep` go, a batch at a time.
#[derive(Clone)]
pub struct Step {
    table: &'static str,
    keep: Duration,
    batch: Batch,
}

impl Step {
    /// `batch(db, before, limit)` removes (or archives) at most `limit` rows
    /// of `table` older than `before` (microseconds since the epoch), in one
    /// statement or one short transaction, and says how many.
    pub fn new<F, Fut>(table: &'static str, keep: Duration, batch: F) -> Self
    where
        F: Fn(Db, i64, i64) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<u64, sqlx::Error>> + Send + 'static,
    {
        Self {
            table,
            keep,
            batch: Arc::new(move |db, before, limit| Box::pin(batch(db, before, limit))),
        }
    }

    pub fn table(&self) -> &'static str {
        self.table
    }
}

impl std::fmt::Debug for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Step")
            .field("table", &self.table)
            .field("keep", &self.keep)
            .finish_non_exhaustive()
    }
}

/// A service's retention steps on its database, at its clock's time.
#[derive(Debug, Clone)]
pub struct Sweeper {
    service: &'static str,
    db: Db,
    clock: Clock,
    every: Option<Duration>,
    batch_size: i64,
    steps: Vec<Step>,
}

impl Sweeper {
    /// The sweep of `service`'s database, with its idempotency keys as the
    /// first step.
    pub fn new(service: &'static str, db: Db, clock: Clock, settings: &RetentionSettings) -> Self {
        let keys = Step::new(
            "idempotency_keys",
            RetentionSettings::days(settings.idempotency_key_days),
            |db, before, limit| async move { idempotency::prune(&db, before, limit).await },
        );
        Self {
            service,
            db,
            clock,
            every: settings.every(),
            batch_size: settings.batch_size.max(1),
            steps: vec![keys],
        }
    }

    pub fn with_steps(mut self, steps: impl IntoIterator<Item = Step>) -> Self {
        self.steps.extend(steps);
        self
    }

    /// Runs every step to the end at the clock's now; returns the rows each
    /// table gave up. Counted in `retention_rows_removed_total{service,
    /// table}`.
    pub async fn sweep_once(&self) -> Result<Vec<(&'static str, u64)>, sqlx::Error> {
        let now = self.clock.now_micros();
        let mut removed = Vec::with_capacity(self.steps.len());
        for step in &self.steps {
            let before =
                now.saturating_sub(i64::try_from(step.keep.as_micros()).unwrap_or(i64::MAX));
            let mut total = 0;
            loop {
                let n = (step.batch)(self.db.clone(), before, self.batch_size).await?;
                total += n;
                self.removed(step.table, n);
                if n < u64::try_from(self.batch_size).unwrap_or(u64::MAX) {
                    break;
                }
                // Let the service's writers in between batches.
                tokio::task::yield_now().await;
            }
            removed.push((step.table, total));
        }
        Ok(removed)
    }

    /// Sweeps every `sweep_every_minutes`, the first time one interval
    /// after start (a process starting under load, or a test setting its
    /// clock, is not raced by a sweep), until the task is aborted; none when
    /// the settings say never.
    pub fn spawn(self) -> Option<tokio::task::JoinHandle<()>> {
        let every = self.every?;
        // Each series shows from the start, at zero until a sweep counts.
        for step in &self.steps {
            self.removed(step.table, 0);
        }
        let start = tokio::time::Instant::now() + every;
        Some(crate::periodic::every_from(start, every, move || {
            let this = self.clone();
            async move {
                match this.sweep_once().await {
                    Ok(removed) => {
                        tracing::debug!(service = this.service, ?removed, "retention sweep done")
                    }
                    Err(e) => {
                        tracing::warn!(service = this.service, error = %e, "retention sweep failed, will try again")
                    }
                }
            }
        }))
    }

    /// Counts `n` rows of `table` taken by this service's sweep.
    fn removed(&self, table: &'static str, n: u64) {
        metrics::counter!("retention_rows_removed_total", "service" => self.service, "table" => table)
            .increment(n);
    }
}

/// Deletes at most `limit` rows of a table older than `before`: `sql` is a
/// `DELETE … WHERE key IN (SELECT key … WHERE time < $1 ORDER BY time LIMIT
/// $2)`, one short statement on either engine.
pub async fn delete_batch(
    db: &Db,
    sql: &'static str,
    before: i64,
    limit: i64,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(sql)
        .bind(before)
        .bind(limit)
        .execute(db.pool())
        .await?
        .rows_affected())
}
