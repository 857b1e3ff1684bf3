//! What the service does, one method per mutation and per read, grouped by
//! area. A mutation: begin the write transaction (a replayed request
//! answers here) → check access → run the domain → write rows through
//! `store` → enqueue outbox events → commit with the answer → after-commit
//! effects. A read: the access check and the store's read.

mod access;
mod audits;
mod dealership;
mod network;
mod repair_orders;
mod standards;
mod workshop;

use aftercare_db::{Db, Tx, idempotency};
use aftercare_edge::Caller;
use serde::Serialize;

use self::access::{editable, get};
pub use self::{
    audits::Audits,
    dealership::Dealership,
    network::Network,
    repair_orders::{Arrival, RepairOrders},
    standards::{Shown, StandardResult, Standards},
    workshop::{Details, Workshop},
};
use crate::{
    error::Result,
    store::{Deletable, columns},
};

/// Stores the answer with the change and commits both.
async fn commit<T: Serialize>(tx: Tx, caller: &Caller, answer: T) -> Result<T> {
    Ok(idempotency::commit(tx, caller.key.as_ref(), answer).await?)
}

/// Deletes the object `id` at the version `etag` names, if `caller` may.
async fn delete<R: Deletable>(db: &Db, caller: &Caller, id: &str, etag: Option<i64>) -> Result<()> {
    let mut tx = aftercare_db::begin_write!(db, caller.key.as_ref());
    let old: R = editable(&mut tx, &caller.principal, id, etag).await?;
    columns::delete::<R>(&mut tx, id, old.meta().version, R::REFERENCED).await?;
    commit(tx, caller, ()).await
}
