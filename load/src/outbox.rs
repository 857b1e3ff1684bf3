//! The dealers outbox read after a run: how many events the relay
//! delivered and how long each waited. Every event row keeps when it was
//! written (`create_time`, in the transaction of the change, just before its
//! commit) and when the receiver's OK was recorded (`delivered_time`), both
//! in microseconds since the epoch; the lag is the one less the other.

use std::time::{Duration, Instant};

use aftercare_db::sqlx::{self, AnyConnection};
use anyhow::Context;

use crate::latency::Latencies;

/// The service whose events the figures are of (all its queues, `parts/n`):
/// parts, which applies the issue events of completed ROs.
pub(crate) const PARTS: &str = "parts";

/// The events written to a destination within a span of time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Written {
    pub(crate) count: u64,
    /// Delivered (OK from the receiver).
    pub(crate) delivered: u64,
    /// Refused for good and set aside.
    pub(crate) failed: u64,
    /// From writing to delivery, of those delivered.
    pub(crate) lags: Latencies,
    /// The first and last delivery among them, in microseconds since the
    /// epoch.
    pub(crate) first_delivery: Option<i64>,
    pub(crate) last_delivery: Option<i64>,
}

impl Written {
    fn of(rows: Vec<(i64, Option<i64>, Option<i64>)>) -> Self {
        let mut lags = vec![];
        let mut failed = 0;
        let (mut first, mut last) = (None::<i64>, None::<i64>);
        for (created, delivered, failed_time) in &rows {
            if failed_time.is_some() {
                failed += 1;
            }
            if let Some(d) = *delivered {
                lags.push(u64::try_from(d - created).unwrap_or(0) * 1_000);
                first = Some(first.map_or(d, |f| f.min(d)));
                last = Some(last.map_or(d, |l| l.max(d)));
            }
        }
        Self {
            count: rows.len() as u64,
            delivered: lags.len() as u64,
            failed,
            lags: Latencies::merge([lags]),
            first_delivery: first,
            last_delivery: last,
        }
    }
}

/// The events to `destination` written in `[from, to)` (microseconds since
/// the epoch), with their deliveries so far.
pub(crate) async fn written_between(
    conn: &mut AnyConnection,
    destination: &str,
    (from, to): (i64, i64),
) -> anyhow::Result<Written> {
    let rows: Vec<(i64, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT create_time, delivered_time, failed_time FROM outbox_events \
         WHERE (destination = $1 OR destination LIKE $1 || '/%') AND create_time >= $2 AND create_time < $3",
    )
    .bind(destination)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await
    .context("failed to read the outbox's events")?;
    Ok(Written::of(rows))
}

/// Events to `destination` delivered in `[from, to)`, whenever written.
pub(crate) async fn delivered_between(
    conn: &mut AnyConnection,
    destination: &str,
    (from, to): (i64, i64),
) -> anyhow::Result<u64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM outbox_events \
         WHERE (destination = $1 OR destination LIKE $1 || '/%') AND delivered_time >= $2 AND delivered_time < $3",
    )
    .bind(destination)
    .bind(from)
    .bind(to)
    .fetch_one(&mut *conn)
    .await
    .context("failed to count the delivered events")?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Events to `destination` waiting for delivery (not set aside).
pub(crate) async fn pending(conn: &mut AnyConnection, destination: &str) -> anyhow::Result<u64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM outbox_events \
         WHERE (destination = $1 OR destination LIKE $1 || '/%') AND delivered_time IS NULL AND failed_time IS NULL",
    )
    .bind(destination)
    .fetch_one(&mut *conn)
    .await
    .context("failed to count the pending events")?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Where the relay's back-off on `destination` stands: when it will next
/// try (microseconds since the epoch) and how many times it has tried the
/// oldest waiting event (the one it retries; the others wait behind it).
pub(crate) async fn retry_due(
    conn: &mut AnyConnection,
    destination: &str,
) -> anyhow::Result<(i64, i64)> {
    sqlx::query_as(
        "SELECT d.next_attempt_time, COALESCE(MAX(e.attempts), 0) FROM outbox_destinations d \
         LEFT JOIN outbox_events e ON e.destination = d.destination AND e.delivered_time IS NULL \
         WHERE d.destination = $1 GROUP BY d.next_attempt_time",
    )
    .bind(destination)
    .fetch_one(&mut *conn)
    .await
    .with_context(|| format!("failed to read the back-off of {destination}"))
}

/// Waits until nothing waits for `destination`, looking every 20 ms (the
/// count reads the outbox's partial index of waiting events); returns how
/// long that took. Fails when events still wait after `patience`.
pub(crate) async fn drained(
    conn: &mut AnyConnection,
    destination: &str,
    patience: Duration,
) -> anyhow::Result<Duration> {
    let started = Instant::now();
    loop {
        let left = pending(conn, destination).await?;
        if left == 0 {
            return Ok(started.elapsed());
        }
        anyhow::ensure!(
            started.elapsed() < patience,
            "{left} events to {destination} still wait after {patience:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lags_are_delivery_less_writing_of_the_delivered_only() {
        let w = Written::of(vec![
            (1_000, Some(1_500), None),
            (2_000, Some(4_000), None),
            (3_000, None, None),
            (4_000, None, Some(4_100)),
        ]);
        assert_eq!(w.count, 4);
        assert_eq!(w.delivered, 2);
        assert_eq!(w.failed, 1);
        assert_eq!(w.lags.percentile(50.0), Some(Duration::from_micros(500)));
        assert_eq!(w.lags.max(), Some(Duration::from_micros(2_000)));
        assert_eq!(
            (w.first_delivery, w.last_delivery),
            (Some(1_500), Some(4_000))
        );
    }
}
