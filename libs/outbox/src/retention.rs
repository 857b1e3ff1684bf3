//! How long the outbox and the inbox keep their rows (see
//! `aftercare_db::retention` for the sweep that runs these steps).

use aftercare_db::{
    Db,
    retention::{RetentionSettings, Step, delete_batch},
};

/// The outbox's and the inbox's retention steps, for a service's sweeper.
///
/// - **Delivered events** go after `delivered_event_days`. A delivered event
///   is never sent again (the relay reads only undelivered ones, and
///   [`requeue_failed`](crate::requeue_failed) only failed ones), so its row
///   serves inspection alone. Waiting and failed events are never removed:
///   they are owed to the receiver.
/// - **Applied event ids** go after `applied_event_days`. The inbox must
///   remember an id for as long as its event may come again, which is as
///   long as the event waits undelivered in the sender's outbox after the
///   receiver applied it: the receiver's answer was lost and the sender backs
///   off and retries. The event is marked delivered at the first retry the
///   receiver answers, which is within the back-off's cap (30 s by default)
///   while the receiver is up; only an outage of that path longer than the
///   retention could bring it back later, and `AftercareOutboxStalled` pages
///   after five minutes of it. So the ids are kept far longer than anything
///   the outbox can still redeliver — 30 days by default, never less than
///   the delivered events' own retention — and once the sender has let the
///   event go (delivered, then pruned), no copy of it exists to redeliver.
pub fn retention_steps(settings: &RetentionSettings) -> [Step; 2] {
    let applied_days = settings
        .applied_event_days
        .max(settings.delivered_event_days);
    [
        Step::new(
            "outbox_events",
            RetentionSettings::days(settings.delivered_event_days),
            |db, before, limit| async move { prune_delivered(&db, before, limit).await },
        ),
        Step::new(
            "inbox_events",
            RetentionSettings::days(applied_days),
            |db, before, limit| async move { prune_applied(&db, before, limit).await },
        ),
    ]
}

/// Deletes at most `limit` events delivered before `before`.
pub async fn prune_delivered(db: &Db, before: i64, limit: i64) -> Result<u64, sqlx::Error> {
    delete_batch(
        db,
        "DELETE FROM outbox_events WHERE event_id IN \
         (SELECT event_id FROM outbox_events WHERE delivered_time < $1 \
          ORDER BY delivered_time LIMIT $2)",
        before,
        limit,
    )
    .await
}

/// Forgets at most `limit` event ids applied before `before`.
pub async fn prune_applied(db: &Db, before: i64, limit: i64) -> Result<u64, sqlx::Error> {
    delete_batch(
        db,
        "DELETE FROM inbox_events WHERE event_id IN \
         (SELECT event_id FROM inbox_events WHERE apply_time < $1 ORDER BY apply_time LIMIT $2)",
        before,
        limit,
    )
    .await
}
