//! Delivered events, applied ids and idempotency keys go once past their
//! retention, a small batch at a time; what is inside it, and what is still
//! owed to a receiver, stays.

use aftercare_db::{
    Db, RetentionSettings, Sweeper,
    idempotency::{self, IdempotencyKey},
    timestamp::ManualClock,
};
use aftercare_outbox::{apply_once, retention_steps};
use aftercare_test_support::{metric, record_metrics};
use time::{Duration, OffsetDateTime};

use crate::{both, support::*};

/// Seven days for everything, two rows a batch: five rows take three.
fn settings() -> RetentionSettings {
    RetentionSettings {
        batch_size: 2,
        idempotency_key_days: 7,
        delivered_event_days: 7,
        applied_event_days: 7,
        ..RetentionSettings::default()
    }
}

fn sweeper(db: &Db, clock: &ManualClock) -> Sweeper {
    let settings = settings();
    Sweeper::new("test", db.clone(), clock.clock(), &settings)
        .with_steps(retention_steps(&settings))
}

fn days_from_now(days: i64) -> Option<OffsetDateTime> {
    Some(OffsetDateTime::now_utc() + Duration::days(days))
}

async fn claim(db: &Db, request_id: &str) -> Option<String> {
    let key = IdempotencyKey::new("dealer d1", request_id, "Create", b"body");
    let mut tx = db.begin().await.unwrap();
    let replay = idempotency::claim::<String>(&mut tx, &key).await.unwrap();
    if replay.is_none() {
        idempotency::record(&mut tx, &key, &format!("answer to {request_id}"))
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    replay
}

both!(rows_past_retention_go_in_batches, |db: Db| async move {
    record_metrics();
    // Five delivered events, one refused for good, one still waiting for
    // a receiver that is down.
    let deliverer = TestDeliverer::new();
    let delivered: Vec<_> = (0..5).map(|i| event("parts", &format!("d{i}"))).collect();
    let refused = event("parts", "refused");
    let waiting = event("costs", "waiting");
    deliverer.refuse(&refused.id);
    deliverer.set_down("costs");
    commit(&db, &delivered).await;
    commit(&db, &[refused.clone(), waiting.clone()]).await;
    let relay = spawn(&db, deliverer.clone(), fast());
    eventually("five delivered, one set aside", || async {
        deliverer.delivered().len() == 5 && record(&db, &refused.id).await.2.is_some()
    })
    .await;
    relay.stop().await;
    // Five applied ids and five idempotency keys.
    for i in 0..5 {
        let mut tx = db.begin().await.unwrap();
        assert!(apply_once(&mut tx, &format!("e{i}")).await.unwrap());
        tx.commit().await.unwrap();
        assert_eq!(claim(&db, &format!("r{i}")).await, None);
    }

    // Six days on, everything is inside its retention.
    let clock = ManualClock::default();
    clock.set(days_from_now(6));
    let removed = sweeper(&db, &clock).sweep_once().await.unwrap();
    assert_eq!(
        removed,
        [
            ("idempotency_keys", 0),
            ("outbox_events", 0),
            ("inbox_events", 0)
        ]
    );
    assert_eq!(claim(&db, "r0").await.as_deref(), Some("answer to r0"));
    let mut tx = db.begin().await.unwrap();
    assert!(
        !apply_once(&mut tx, "e0").await.unwrap(),
        "still remembered"
    );
    tx.commit().await.unwrap();

    // Eight days on, the delivered events, the ids and the keys are gone;
    // the events still owed to a receiver are not.
    clock.set(days_from_now(8));
    let removed = sweeper(&db, &clock).sweep_once().await.unwrap();
    assert_eq!(
        removed,
        [
            ("idempotency_keys", 5),
            ("outbox_events", 5),
            ("inbox_events", 5)
        ]
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM idempotency_keys").await, 0);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM inbox_events").await, 0);
    let left: Vec<(String,)> = sqlx::query_as("SELECT event_id FROM outbox_events")
        .fetch_all(db.pool())
        .await
        .unwrap();
    let mut owed = vec![refused.id.clone(), waiting.id.clone()];
    owed.sort();
    let mut left: Vec<String> = left.into_iter().map(|(id,)| id).collect();
    left.sort();
    assert_eq!(left, owed);
    // A retry after the window is a new request.
    assert_eq!(claim(&db, "r0").await, None);
    for table in ["idempotency_keys", "outbox_events", "inbox_events"] {
        let labels = [("service", "test"), ("table", table)];
        assert_eq!(metric("retention_rows_removed_total", &labels), Some(5.0));
    }
});
