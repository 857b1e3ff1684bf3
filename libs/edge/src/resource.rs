//! The rows of versioned objects, the same in every service: a row's
//! version and times as a [`Meta`], the check that a write touched its one
//! row, and the constraint a failed write broke as the error a caller sees.

use aftercare_db::{sqlx, timestamp};
use aftercare_values::resource::Meta;

use crate::Error;

/// The meta stored in a row's `version`, `create_time` and `update_time`
/// columns (microseconds since the epoch).
pub fn meta_from_row(version: i64, create_time: i64, update_time: i64) -> Meta {
    Meta {
        version,
        create_time: timestamp::from_micros(create_time),
        update_time: timestamp::from_micros(update_time),
    }
}

/// The meta of an object created at `now_micros`. Times are taken at the
/// precision the store keeps, so that the answer to a write is what a later
/// read returns.
pub fn new_meta(now_micros: i64) -> Meta {
    Meta::created(timestamp::from_micros(now_micros))
}

/// The meta of `old` changed at `now_micros`.
pub fn next_meta(old: &Meta, now_micros: i64) -> Meta {
    old.next(timestamp::from_micros(now_micros))
}

/// The version an update or delete expects, if the caller sent an etag:
/// ABORTED when the object has moved on.
pub fn check_etag(
    meta: &Meta,
    expected: Option<i64>,
    what: &'static str,
    id: &str,
) -> Result<(), Error> {
    match expected {
        Some(v) if v != meta.version => Err(Error::stale(what, id)),
        _ => Ok(()),
    }
}

/// An update or delete that matched no row: the object changed since it was
/// read in this transaction (PostgreSQL) — the caller should retry.
pub fn expect_one(rows: u64, what: &'static str, id: &str) -> Result<(), Error> {
    if rows == 1 {
        Ok(())
    } else {
        Err(Error::stale(what, id))
    }
}

/// A failed insert or update as the caller should see it: the first of
/// `uniques` (constraint or column name, message) that the taken value
/// names, any other taken value, or an internal failure.
pub fn on_write_error(e: sqlx::Error, uniques: &[(&str, String)]) -> Error {
    if aftercare_db::errors::is_unique_violation(&e) {
        for (name, message) in uniques {
            if aftercare_db::errors::violation_mentions(&e, name) {
                return Error::AlreadyExists(message.clone());
            }
        }
        return Error::AlreadyExists("an object with this id already exists".into());
    }
    e.into()
}

/// A delete refused because other objects still refer to the object.
pub fn on_delete_error(e: sqlx::Error, referenced: &str) -> Error {
    if aftercare_db::errors::is_foreign_key_violation(&e) {
        return Error::FailedPrecondition(referenced.to_owned());
    }
    e.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_or_stale() {
        assert!(expect_one(1, "station", "s-1").is_ok());
        for rows in [0, 2] {
            assert!(matches!(
                expect_one(rows, "station", "s-1"),
                Err(Error::Aborted(_))
            ));
        }
    }

    #[test]
    fn an_etag_must_name_the_current_version() {
        let meta = new_meta(1_000);
        assert!(check_etag(&meta, None, "part", "P-1").is_ok());
        assert!(check_etag(&meta, Some(1), "part", "P-1").is_ok());
        assert!(matches!(
            check_etag(&meta, Some(2), "part", "P-1"),
            Err(Error::Aborted(_))
        ));
    }

    #[test]
    fn times_round_trip_at_microseconds() {
        let meta = next_meta(&meta_from_row(3, 1_000, 2_000), 5_000);
        assert_eq!(meta, meta_from_row(4, 1_000, 5_000));
    }
}
