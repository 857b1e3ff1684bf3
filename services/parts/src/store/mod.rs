//! The rows of the parts service, on PostgreSQL or SQLite through one SQL
//! text (see `aftercare-db`): functions that read and write rows in the
//! caller's connection or transaction and hand back domain values. No
//! access checks, no transactions of their own: the use cases decide.

pub(crate) mod archive;
pub(crate) mod labour;
pub(crate) mod ledger;
pub(crate) mod package_contents;
pub(crate) mod packages;
pub(crate) mod parts;
pub(crate) mod price_board;
pub(crate) mod prices;
pub(crate) mod published;
pub(crate) mod reports;
pub(crate) mod required_stock;
pub(crate) mod reservations;
pub(crate) mod shortages;
pub(crate) mod stock;
pub(crate) mod transfers;
pub(crate) mod warehouses;

use crate::error::Error;

/// The migrations of this service's schema.
pub static MIGRATOR: sqlx::migrate::Migrator = aftercare_db::migrate!("./migrations");

/// A stored value that does not read back: a broken invariant of ours.
pub(crate) fn corrupt(what: String) -> Error {
    Error::Internal(what.into())
}
