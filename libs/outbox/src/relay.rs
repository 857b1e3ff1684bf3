use std::{
    future::Future,
    sync::atomic::{AtomicBool, Ordering},
    time::{Duration, Instant},
};

use aftercare_db::{Db, timestamp};

use crate::{Backoff, Deliver, DeliveryError, StoredEvent, backlog, queue};

/// How a relay paces itself. The defaults suit a service in production;
/// tests shorten them.
#[derive(Debug, Clone)]
pub struct RelaySettings {
    /// How often to look for events when the last look found none.
    pub poll_interval: Duration,
    /// Events delivered to a destination under one lease, at most.
    pub batch_size: i64,
    /// Destinations served at once, at most.
    pub max_destinations: i64,
    /// How long a relay holds a destination; at least twice
    /// `delivery_timeout`, since no delivery starts that could outlast it.
    pub lease: Duration,
    /// How long one delivery may take before it counts as failed.
    pub delivery_timeout: Duration,
    /// The wait after failed deliveries.
    pub backoff: Backoff,
    /// How often to update the backlog metrics. (Delivered events are
    /// pruned by the service's retention sweep, [`crate::retention_steps`].)
    pub housekeeping_interval: Duration,
}

impl Default for RelaySettings {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_millis(200),
            batch_size: 100,
            max_destinations: 16,
            lease: Duration::from_secs(60),
            delivery_timeout: Duration::from_secs(10),
            backoff: Backoff::default(),
            housekeeping_interval: Duration::from_secs(10),
        }
    }
}

/// Delivers the outbox of one service's database: each destination's
/// events in order, one destination per lease, destinations side by side.
#[derive(Debug)]
pub struct Relay<D> {
    service: &'static str,
    db: Db,
    deliverer: D,
    settings: RelaySettings,
    /// Set at shutdown: finish the delivery under way, start no other.
    stopping: AtomicBool,
}

impl<D: Deliver> Relay<D> {
    /// A relay for the outbox of `service` (which labels its metrics) in
    /// `db`, delivering through `deliverer`.
    pub fn new(service: &'static str, db: Db, deliverer: D) -> Self {
        Self {
            service,
            db,
            deliverer,
            settings: RelaySettings::default(),
            stopping: AtomicBool::new(false),
        }
    }

    pub fn with_settings(mut self, settings: RelaySettings) -> Self {
        self.settings = settings;
        self
    }

    /// Runs the relay on a task of its own until [`Spawned::stop`] (or until
    /// the handle is dropped).
    pub fn spawn(self) -> Spawned
    where
        D: 'static,
    {
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(self.run(async { drop(stopped.await) }));
        Spawned { stop, task }
    }

    /// Delivers until `shutdown` completes, then finishes the deliveries
    /// under way (within `delivery_timeout`) and lets their destinations go,
    /// so that another relay takes them over at once.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        let mut shutdown = std::pin::pin!(shutdown);
        let mut last_housekeeping: Option<Instant> = None;
        loop {
            if last_housekeeping.is_none_or(|t| t.elapsed() >= self.settings.housekeeping_interval)
            {
                self.housekeep().await;
                last_housekeeping = Some(Instant::now());
            }
            let mut round = std::pin::pin!(self.round());
            let attempted = tokio::select! {
                biased;
                () = &mut shutdown => {
                    self.stopping.store(true, Ordering::Relaxed);
                    round.await;
                    break;
                }
                n = &mut round => n,
            };
            if attempted == 0 {
                tokio::select! {
                    biased;
                    () = &mut shutdown => break,
                    () = tokio::time::sleep(self.settings.poll_interval) => {}
                }
            }
        }
    }

    /// Serves every ready destination once; returns the deliveries tried.
    async fn round(&self) -> usize {
        let now = timestamp::now_micros();
        let destinations = match queue::ready_destinations(
            &self.db,
            now,
            self.settings.max_destinations,
        )
        .await
        {
            Ok(d) => d,
            Err(e) => {
                tracing::error!(service = self.service, error = %e, "outbox relay cannot read the outbox");
                return 0;
            }
        };
        let served = destinations.iter().map(|d| self.serve(d));
        futures::future::join_all(served).await.into_iter().sum()
    }

    /// Delivers a run of `destination`'s events under a lease, in order,
    /// until one fails; returns the deliveries tried.
    #[tracing::instrument(skip_all, fields(service = self.service, destination = %destination))]
    async fn serve(&self, destination: &str) -> usize {
        let now = timestamp::now_micros();
        let lease_for = self
            .settings
            .lease
            .max(self.settings.delivery_timeout.saturating_mul(2));
        let lease = now.saturating_add(micros(lease_for));
        let run = async {
            if !queue::take_lease(&self.db, destination, now, lease).await? {
                return Ok(0); // another relay was quicker
            }
            let events =
                queue::waiting_events(&self.db, destination, self.settings.batch_size).await?;
            let mut tried = 0;
            for event in &events {
                // Stop where a slow delivery could outlast the lease.
                let deadline =
                    timestamp::now_micros().saturating_add(micros(self.settings.delivery_timeout));
                if deadline > lease || self.stopping.load(Ordering::Relaxed) {
                    break;
                }
                tried += 1;
                if !self.deliver(event, lease).await? {
                    return Ok(tried); // backing off; mark_retry let the destination go
                }
            }
            queue::release(&self.db, destination, lease, timestamp::now_micros()).await?;
            Ok::<_, sqlx::Error>(tried)
        };
        run.await.unwrap_or_else(|e| {
            tracing::error!(error = %e, "outbox relay cannot update the outbox");
            0
        })
    }

    /// One delivery and its outcome recorded; false when the destination
    /// must back off.
    async fn deliver(&self, event: &StoredEvent, lease: i64) -> Result<bool, sqlx::Error> {
        let outcome = tokio::time::timeout(
            self.settings.delivery_timeout,
            self.deliverer.deliver(event),
        )
        .await
        .unwrap_or_else(|_| Err(DeliveryError::Retryable("delivery timed out".into())));
        let now = timestamp::now_micros();
        let attempt = event.attempts + 1;
        let (label, go_on) = match outcome {
            Ok(()) => {
                queue::mark_delivered(&self.db, &event.id, now).await?;
                tracing::debug!(event_id = %event.id, attempt, "outbox event delivered");
                ("delivered", true)
            }
            Err(DeliveryError::Permanent(error)) => {
                queue::mark_failed(&self.db, &event.id, &error, now).await?;
                tracing::error!(event_id = %event.id, kind = %event.kind, attempt, error = %error, "outbox event refused by its receiver, set aside");
                ("failed", true)
            }
            Err(DeliveryError::Retryable(error)) => {
                let delay = self.settings.backoff.delay(attempt);
                let retry_time = now.saturating_add(micros(delay));
                queue::mark_retry(&self.db, event, &error, retry_time, lease, now).await?;
                tracing::warn!(event_id = %event.id, attempt, retry_in = ?delay, error = %error, "outbox delivery failed, will retry");
                ("retried", false)
            }
        };
        metrics::counter!("outbox_deliveries_total", "service" => self.service, "destination" => event.destination.clone(), "outcome" => label)
            .increment(1);
        Ok(go_on)
    }

    /// Refreshes the backlog metrics.
    async fn housekeep(&self) {
        match backlog::pending_by_destination(&self.db).await {
            Ok(backlogs) => backlog::publish(self.service, &backlogs),
            Err(e) => {
                tracing::error!(service = self.service, error = %e, "outbox relay cannot count the backlog")
            }
        }
    }
}

fn micros(d: Duration) -> i64 {
    i64::try_from(d.as_micros()).unwrap_or(i64::MAX)
}

/// A relay running on its own task.
#[derive(Debug)]
pub struct Spawned {
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

impl Spawned {
    /// Stops the relay once the deliveries under way are done, and waits
    /// for it.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}
