//! The rows of the costs service, on PostgreSQL or SQLite through one SQL
//! text (see `aftercare-db`): functions that read and write rows in the
//! caller's connection or transaction and hand back domain values. No
//! access checks, no transactions of their own: the use cases decide.

pub(crate) mod alerts;
pub(crate) mod budgets;
pub(crate) mod burn;
pub(crate) mod claims;
pub(crate) mod compensations;
pub(crate) mod cost_entries;
pub(crate) mod places;
pub(crate) mod rates;
pub(crate) mod ro_costs;
pub(crate) mod tallies;

use crate::error::Error;

/// The migrations of this service's schema.
pub static MIGRATOR: sqlx::migrate::Migrator = aftercare_db::migrate!("./migrations");

/// A stored value that does not read back: a broken invariant of ours.
pub(crate) fn corrupt(what: String) -> Error {
    Error::Internal(what.into())
}
