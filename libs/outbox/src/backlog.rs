//! What waits in the outbox, for the metrics and for operators.

use aftercare_db::{Db, timestamp};

/// The undelivered events of one destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backlog {
    pub destination: String,
    /// Events waiting for delivery.
    pub pending: i64,
    /// Events the receiver refused for good, set aside.
    pub failed: i64,
    /// When the oldest pending event was written (microseconds since the
    /// epoch), if any is pending.
    pub oldest_pending_time: Option<i64>,
}

/// The backlog of every destination the outbox has known, empty ones too.
pub async fn pending_by_destination(db: &Db) -> Result<Vec<Backlog>, sqlx::Error> {
    let rows: Vec<(String, i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT d.destination, COUNT(e.event_id) - COUNT(e.failed_time), COUNT(e.failed_time), \
                MIN(CASE WHEN e.failed_time IS NULL THEN e.create_time END) \
         FROM outbox_destinations d \
         LEFT JOIN outbox_events e ON e.destination = d.destination AND e.delivered_time IS NULL \
         GROUP BY d.destination ORDER BY d.destination",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(destination, pending, failed, oldest_pending_time)| Backlog {
                destination,
                pending,
                failed,
                oldest_pending_time,
            },
        )
        .collect())
}

/// Puts the events set aside as failed for `destination` back in its queue,
/// in their first place: for when the receiver has been fixed. Returns how
/// many.
pub async fn requeue_failed(db: &Db, destination: &str) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE outbox_events SET failed_time = NULL \
         WHERE destination = $1 AND failed_time IS NOT NULL AND delivered_time IS NULL",
    )
    .bind(destination)
    .execute(db.pool())
    .await?
    .rows_affected())
}

/// Sets the gauges `outbox_pending_events`, `outbox_failed_events` and
/// `outbox_oldest_pending_age_seconds`, labelled by the sending `service`
/// and the destination. Every relay of a service reports the same figures:
/// aggregate across instances with `max`, not `sum`.
pub(crate) fn publish(service: &'static str, backlogs: &[Backlog]) {
    let now = timestamp::now_micros();
    for b in backlogs {
        let labels = [
            ("service", service.to_owned()),
            ("destination", b.destination.clone()),
        ];
        metrics::gauge!("outbox_pending_events", &labels).set(b.pending as f64);
        metrics::gauge!("outbox_failed_events", &labels).set(b.failed as f64);
        let age = b.oldest_pending_time.map_or(0, |t| (now - t).max(0));
        metrics::gauge!("outbox_oldest_pending_age_seconds", &labels).set(age as f64 / 1e6);
    }
}
