//! Events between services: the transactional outbox.
//!
//! A service that must tell another writes an [`Event`] with [`enqueue`] in
//! the transaction of its own change, so that the change and the event
//! commit together or not at all. A [`Relay`] task delivers the committed
//! events through a [`Deliver`] implementation (a gRPC call), retrying with
//! back-off while the receiver is down or not deployed yet; meanwhile the
//! events wait in the outbox, counted per destination in the metrics. The
//! receiver calls [`apply_once`] in the transaction of the change an event
//! causes, and skips the change when the event was applied before.
//!
//! # Guarantees
//! - **At least once.** An event is marked delivered only after the
//!   receiver answered OK, so a relay that stops, or an answer that is lost,
//!   means the event is delivered again. With [`apply_once`] on the
//!   receiving side, each event takes effect exactly once.
//! - **In order per destination.** A destination's events are delivered one
//!   at a time, oldest first; a failed delivery holds back that destination's
//!   later events (not other destinations') until it succeeds. An event the
//!   receiver refuses for good ([`DeliveryError::Permanent`]) is set aside,
//!   visible as failed, and the queue moves on; [`requeue_failed`] puts it
//!   back.
//! - **One relay per destination at a time.** Several relays (several
//!   processes of one service) share the outbox: each takes a lease on a
//!   destination before delivering to it. A relay that dies holding a lease
//!   leaves the destination to the others when the lease runs out.
//!
//! # Wiring
//! Run [`migrate`] beside `Db::migrate` when the service opens its database,
//! spawn `Relay::new(name, db, deliverer).run(shutdown)`, and on the
//! receiving side call [`apply_once`] with the event id the deliverer sent.
//! Add [`retention_steps`] to the service's `aftercare_db::Sweeper`, so that
//! delivered events and applied ids do not pile up.

mod backlog;
mod backoff;
mod deliver;
mod enqueue;
mod event;
mod inbox;
mod queue;
mod relay;
mod retention;

use aftercare_db::{
    Db,
    sqlx::migrate::{MigrateError, Migrator},
};

pub use backlog::{Backlog, pending_by_destination, requeue_failed};
pub use backoff::Backoff;
pub use deliver::{Deliver, DeliveryError};
pub use enqueue::enqueue;
pub use event::{Event, StoredEvent};
pub use inbox::apply_once;
pub use relay::{Relay, RelaySettings, Spawned};
pub use retention::{prune_applied, prune_delivered, retention_steps};

/// The outbox and inbox tables, tracked apart from each service's own
/// migrations.
static MIGRATIONS: Migrator = aftercare_db::migrate!("./migrations");
const MIGRATIONS_TABLE: &str = "_aftercare_outbox_migrations";

/// Brings the outbox and inbox tables in `db` up to date. A service runs it
/// when it opens its database, beside `Db::migrate`.
pub async fn migrate(db: &Db) -> Result<(), MigrateError> {
    let mut migrator = Migrator {
        migrations: MIGRATIONS.migrations.clone(),
        ..Migrator::DEFAULT
    };
    migrator.dangerous_set_table_name(MIGRATIONS_TABLE);
    migrator.run(db.pool()).await
}
