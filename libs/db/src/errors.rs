//! Classifies database errors the same way on both engines, so that a
//! service can turn a constraint violation into a domain error.

use sqlx::error::ErrorKind;

fn kind(e: &sqlx::Error) -> Option<ErrorKind> {
    match e {
        sqlx::Error::Database(db) => Some(db.kind()),
        _ => None,
    }
}

pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    kind(e) == Some(ErrorKind::UniqueViolation)
}

pub fn is_foreign_key_violation(e: &sqlx::Error) -> bool {
    kind(e) == Some(ErrorKind::ForeignKeyViolation)
}

pub fn is_check_violation(e: &sqlx::Error) -> bool {
    kind(e) == Some(ErrorKind::CheckViolation)
}

/// The violated constraint's or column's name, as far as the engine tells:
/// PostgreSQL names the constraint, SQLite names the columns in its message
/// (`UNIQUE constraint failed: dealers.code`).
pub fn violation_mentions(e: &sqlx::Error, name: &str) -> bool {
    match e {
        sqlx::Error::Database(db) => {
            db.constraint().is_some_and(|c| c.contains(name)) || db.message().contains(name)
        }
        _ => false,
    }
}
