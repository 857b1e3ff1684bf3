//! The access checks every use case makes, worded for the object they
//! concern: what a caller does not see is NOT_FOUND, what it sees but may
//! not change is PERMISSION_DENIED.

use aftercare_auth::Principal;
use aftercare_db::{Db, Tx};
use aftercare_edge::resource::check_etag;
use sqlx::AnyConnection;

use crate::{
    domain::access::{self, Change, ListScope, Place},
    error::{Error, Result},
    store::Stored,
};

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
