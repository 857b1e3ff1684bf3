//! Fresh outboxes, relays started and stopped, and (from the shared test
//! support) waiting for what is eventually true and a deliverer that fails
//! as told.

use std::time::Duration;

use aftercare_db::{Db, sqlx::migrate::Migrator};
use aftercare_outbox::{Backoff, Deliver, Event, Relay, RelaySettings, enqueue};
use aftercare_test_support::Backend;
pub(crate) use aftercare_test_support::{TestDeliverer, eventually, patience};
use tokio::{sync::oneshot, task::JoinHandle};

/// Runs each test body once per store: `both!(name, |db| async move { … })`.
#[macro_export]
macro_rules! both {
    ($name:ident, $body:expr) => {
        aftercare_test_support::on_both_stores!($name, $crate::support::fresh, $body);
    };
}

/// An empty database on `backend` with the outbox tables.
pub(crate) async fn fresh(backend: Backend) -> Db {
    let db = aftercare_test_support::fresh(backend, &Migrator::DEFAULT).await;
    prepare(&db).await;
    db
}

pub(crate) async fn prepare(db: &Db) {
    aftercare_outbox::migrate(db)
        .await
        .expect("outbox tables migrate");
}

/// A relay that polls and backs off in milliseconds.
pub(crate) fn fast() -> RelaySettings {
    RelaySettings {
        poll_interval: Duration::from_millis(10),
        batch_size: 50,
        lease: Duration::from_secs(30),
        delivery_timeout: Duration::from_secs(5),
        backoff: Backoff {
            base: Duration::from_millis(20),
            cap: Duration::from_millis(200),
        },
        housekeeping_interval: Duration::from_millis(20),
        ..RelaySettings::default()
    }
}

/// A relay running in the background until [`Running::stop`].
pub(crate) struct Running {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

pub(crate) fn spawn<D: Deliver + 'static>(
    db: &Db,
    deliverer: D,
    settings: RelaySettings,
) -> Running {
    let (stop, stopped) = oneshot::channel::<()>();
    let relay = Relay::new("test", db.clone(), deliverer).with_settings(settings);
    let task = tokio::spawn(relay.run(async {
        let _ = stopped.await;
    }));
    Running { stop, task }
}

impl Running {
    pub(crate) async fn stop(self) {
        let _ = self.stop.send(());
        self.task.await.expect("the relay stops cleanly");
    }
}

/// Enqueues `events` in one transaction and commits.
pub(crate) async fn commit(db: &Db, events: &[Event]) {
    let mut tx = db.begin().await.expect("begin");
    for event in events {
        enqueue(&mut tx, event).await.expect("enqueue");
    }
    tx.commit().await.expect("commit");
}

pub(crate) fn event(destination: &str, body: &str) -> Event {
    Event::new(destination, "test.Body", body.as_bytes().to_vec())
}

pub(crate) fn ids(events: &[Event]) -> Vec<String> {
    events.iter().map(|e| e.id.clone()).collect()
}

/// An event's delivery record: attempts, delivered and failed times, last
/// error.
pub(crate) async fn record(
    db: &Db,
    event_id: &str,
) -> (i64, Option<i64>, Option<i64>, Option<String>) {
    sqlx::query_as(
        "SELECT attempts, delivered_time, failed_time, last_error FROM outbox_events \
         WHERE event_id = $1",
    )
    .bind(event_id)
    .fetch_one(db.pool())
    .await
    .expect("the event's row")
}

pub(crate) async fn count(db: &Db, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(db.pool())
        .await
        .expect("a count")
}
