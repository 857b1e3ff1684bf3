//! Storage of the service network, on PostgreSQL or SQLite through one
//! implementation (see `aftercare-db`). Each mutation is one transaction:
//! the idempotency claim, the access check against the stored object, the
//! change, and the stored answer commit together or not at all.

mod appointments;
pub(crate) mod audits;
pub(crate) mod columns;
pub(crate) mod compliance;
pub(crate) mod customers;
pub(crate) mod dealers;
pub(crate) mod list;
pub(crate) mod regions;
pub(crate) mod reminders;
pub(crate) mod repair_orders;
pub(crate) mod staff;
mod standards;
pub(crate) mod stations;
pub(crate) mod vehicles;

use aftercare_auth::Principal;
use aftercare_db::{Db, Tx, idempotency};
pub use aftercare_edge::Caller;
use aftercare_edge::resource::check_etag;
use aftercare_values::OemZone;
use aftercare_values::resource::Meta;
use serde::Serialize;
use sqlx::AnyConnection;
pub use {
    compliance::{ScopeRequest, StandardResult},
    standards::Shown,
};

use crate::{
    domain::access::{self, Change, ListScope, Place},
    error::{Error, Result},
};

/// The migrations of this service's schema.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The service network's store.
#[derive(Debug, Clone)]
pub struct Store {
    db: Db,
    /// The OEM's time zone: compliance is tallied per station and local
    /// day, and reported per local period.
    zone: OemZone,
}

impl Store {
    pub fn new(db: Db) -> Self {
        Self {
            db,
            zone: OemZone::utc(),
        }
    }

    /// The database the store is on.
    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn with_zone(mut self, zone: OemZone) -> Self {
        self.zone = zone;
        self
    }

    /// Brings the schema up to date: the service's tables and its outbox,
    /// and the compliance tallies of ROs recorded before they were kept or
    /// tallied in another time zone than `zone`.
    pub async fn migrate(db: &Db, zone: &OemZone) -> anyhow::Result<()> {
        db.migrate(&MIGRATOR).await?;
        aftercare_outbox::migrate(db).await?;
        Store::new(db.clone())
            .with_zone(zone.clone())
            .rebuild_compliance_once()
            .await?;
        Ok(())
    }

    /// Stores the answer with the change and commits both.
    pub(crate) async fn commit<T: Serialize>(tx: Tx, caller: &Caller, answer: T) -> Result<T> {
        Ok(idempotency::commit(tx, caller.key.as_ref(), answer).await?)
    }
}

/// Starts a mutation or returns the replayed answer from the enclosing
/// function.
macro_rules! begin {
    ($store:expr, $caller:expr) => {
        aftercare_db::begin_write!(&$store.db, $caller.key.as_ref())
    };
}
pub(crate) use begin;

/// What the shared steps of reading, changing and deleting need to know of
/// a stored kind of object.
pub(crate) trait Stored: Sized + Send {
    /// Its name in messages: "station".
    const WHAT: &'static str;
    /// Who may change it.
    const CHANGE: Change;

    /// The object with `id`, whoever asks.
    fn find(
        conn: &mut AnyConnection,
        id: &str,
    ) -> impl Future<Output = Result<Option<Self>>> + Send;
    fn place(&self) -> Place<'_>;
    fn meta(&self) -> &Meta;
}

/// A stored kind of object that may be deleted.
pub(crate) trait Deletable: columns::Columns {
    /// Why a delete is refused while other objects refer to it.
    const REFERENCED: &'static str;
}

/// The object `id`, if `caller` sees it.
pub(crate) async fn get<R: Stored>(db: &Db, caller: &Principal, id: &str) -> Result<R> {
    let mut conn = db.pool().acquire().await?;
    let object = R::find(&mut conn, id)
        .await?
        .ok_or_else(|| Error::not_found(R::WHAT, id))?;
    check_read(caller, object.place(), R::WHAT, id)?;
    Ok(object)
}

/// The object `id` as `caller` is about to change it: NOT_FOUND, refused, or
/// ABORTED on a stale etag before anything is written.
pub(crate) async fn editable<R: Stored>(
    tx: &mut Tx,
    caller: &Principal,
    id: &str,
    etag: Option<i64>,
) -> Result<R> {
    let old = R::find(tx, id)
        .await?
        .ok_or_else(|| Error::not_found(R::WHAT, id))?;
    check_change(caller, R::CHANGE, old.place(), R::WHAT, id)?;
    check_etag(old.meta(), etag, R::WHAT, id)?;
    Ok(old)
}

/// An object a request names as parent or reference: NOT_FOUND unless it
/// exists and the caller sees it.
pub(crate) async fn referenced<R: Stored>(
    conn: &mut AnyConnection,
    caller: &Principal,
    id: &str,
) -> Result<R> {
    R::find(conn, id)
        .await?
        .filter(|object| access::sees(caller, object.place()))
        .ok_or_else(|| Error::not_found(R::WHAT, id))
}

pub(crate) fn check_read(
    caller: &Principal,
    place: Place<'_>,
    what: &'static str,
    id: &str,
) -> Result<()> {
    access::check_read(caller, place).map_err(|d| Error::denied(d, what, id))
}

pub(crate) fn check_change(
    caller: &Principal,
    change: Change,
    place: Place<'_>,
    what: &'static str,
    id: &str,
) -> Result<()> {
    access::check_change(caller, change, place).map_err(|d| Error::denied(d, what, id))
}

/// Refuses a create to a role that may never make it, before the objects it
/// names are looked up.
pub(crate) fn check_role(caller: &Principal, change: Change, what: &'static str) -> Result<()> {
    access::check_role(caller, change).map_err(|d| Error::denied(d, what, ""))
}

pub(crate) fn list_scope(caller: &Principal) -> Result<ListScope> {
    access::list_scope(caller).map_err(|d| Error::denied(d, "network", ""))
}
