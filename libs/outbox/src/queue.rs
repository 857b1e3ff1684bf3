//! The relay's statements on the outbox tables. A relay serves a
//! destination only while it holds the destination's lease, and every
//! statement that changes the destination checks that it still does
//! (`lease_until = $lease`), so that a relay whose lease ran out cannot undo
//! the work of the relay that took over.

use aftercare_db::Db;

use crate::event::{StoredEvent, StoredRow};

/// Destinations with events waiting, not backing off and held by no relay;
/// the least recently served first.
pub(crate) async fn ready_destinations(
    db: &Db,
    now: i64,
    limit: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT d.destination FROM outbox_destinations d \
         WHERE d.next_attempt_time <= $1 AND d.lease_until <= $1 \
           AND EXISTS (SELECT 1 FROM outbox_events e WHERE e.destination = d.destination \
                       AND e.delivered_time IS NULL AND e.failed_time IS NULL) \
         ORDER BY d.lease_until, d.destination LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(db.pool())
    .await
}

/// Takes `destination` until `lease`, unless another relay holds it or it
/// backs off. One statement checks and takes: on PostgreSQL a concurrent
/// relay waits for the row and then finds it taken.
pub(crate) async fn take_lease(
    db: &Db,
    destination: &str,
    now: i64,
    lease: i64,
) -> Result<bool, sqlx::Error> {
    let taken = sqlx::query(
        "UPDATE outbox_destinations SET lease_until = $1 \
         WHERE destination = $2 AND lease_until <= $3 AND next_attempt_time <= $3",
    )
    .bind(lease)
    .bind(destination)
    .bind(now)
    .execute(db.pool())
    .await?
    .rows_affected();
    Ok(taken == 1)
}

/// The destination's next waiting events, oldest first.
pub(crate) async fn waiting_events(
    db: &Db,
    destination: &str,
    limit: i64,
) -> Result<Vec<StoredEvent>, sqlx::Error> {
    let rows: Vec<StoredRow> = sqlx::query_as(
        "SELECT event_id, destination, kind, payload, create_time, attempts \
         FROM outbox_events \
         WHERE destination = $1 AND delivered_time IS NULL AND failed_time IS NULL \
         ORDER BY create_time, event_id LIMIT $2",
    )
    .bind(destination)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter().map(StoredEvent::from_row).collect()
}

pub(crate) async fn mark_delivered(db: &Db, event_id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE outbox_events SET delivered_time = $1, attempts = attempts + 1 \
         WHERE event_id = $2",
    )
    .bind(now)
    .bind(event_id)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Sets the event aside: the receiver will never take it.
pub(crate) async fn mark_failed(
    db: &Db,
    event_id: &str,
    error: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE outbox_events SET failed_time = $1, attempts = attempts + 1, last_error = $2 \
         WHERE event_id = $3",
    )
    .bind(now)
    .bind(error)
    .bind(event_id)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Counts the failed attempt and lets the destination go, backing off until
/// `retry_time`.
pub(crate) async fn mark_retry(
    db: &Db,
    event: &StoredEvent,
    error: &str,
    retry_time: i64,
    lease: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE outbox_events SET attempts = attempts + 1, last_error = $1 WHERE event_id = $2",
    )
    .bind(error)
    .bind(&event.id)
    .execute(db.pool())
    .await?;
    sqlx::query(
        "UPDATE outbox_destinations SET next_attempt_time = $1, lease_until = $2 \
         WHERE destination = $3 AND lease_until = $4",
    )
    .bind(retry_time)
    .bind(now)
    .bind(&event.destination)
    .bind(lease)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Lets the destination go. Its lease ends now rather than at zero, so that
/// [`ready_destinations`] serves the others first.
pub(crate) async fn release(
    db: &Db,
    destination: &str,
    lease: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE outbox_destinations SET lease_until = $1 \
         WHERE destination = $2 AND lease_until = $3",
    )
    .bind(now)
    .bind(destination)
    .bind(lease)
    .execute(db.pool())
    .await?;
    Ok(())
}
