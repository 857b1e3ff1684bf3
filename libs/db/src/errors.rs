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

/// Whether `e` says that the database could not be reached or could not
/// serve the statement now — a connection refused or lost, a pool out of
/// connections or closed, a server shutting down or starting, a SQLite file
/// held by another writer — rather than that the statement or the data is
/// wrong. The same request may be sent again: its `request_id` makes the
/// retry safe whether or not a cut connection had committed it.
pub fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        // A connection cut in the middle of an exchange shows as a protocol
        // error too: sqlx reports a connection closed during its TLS
        // negotiation (what a proxy in front of a restarting server does)
        // as an unexpected answer to its SSLRequest.
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            let code = db.code();
            if db
                .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
                .is_some()
            {
                code.is_some_and(|sqlstate| is_unavailable_sqlstate(&sqlstate))
            } else if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                code.and_then(|code| code.parse().ok())
                    .is_some_and(is_unavailable_sqlite_code)
            } else {
                false
            }
        }
        _ => false,
    }
}

/// PostgreSQL: class 08 (connection exception), 57P01–57P03 (the server
/// shutting down, crashed, or not accepting connections yet) and 53300 (too
/// many connections).
fn is_unavailable_sqlstate(sqlstate: &str) -> bool {
    sqlstate.starts_with("08") || matches!(sqlstate, "57P01" | "57P02" | "57P03" | "53300")
}

/// SQLite: an extended result code whose primary code is SQLITE_BUSY (5)
/// or SQLITE_LOCKED (6). The busy timeout queues writers, but not for ever,
/// and never for a read transaction that must become a write one
/// (SQLITE_BUSY_SNAPSHOT).
fn is_unavailable_sqlite_code(code: i32) -> bool {
    matches!(code & 0xff, 5 | 6)
}

#[cfg(test)]
mod tests {
    use sqlx::{Connection, sqlite::SqliteConnectOptions};

    use super::*;

    #[test]
    fn connection_failures_are_unavailable_and_broken_invariants_are_not() {
        for e in [
            sqlx::Error::Io(std::io::ErrorKind::ConnectionRefused.into()),
            sqlx::Error::Io(std::io::ErrorKind::UnexpectedEof.into()),
            sqlx::Error::Tls("handshake".into()),
            sqlx::Error::Protocol("unexpected response from SSLRequest: 0x00".into()),
            sqlx::Error::PoolTimedOut,
            sqlx::Error::PoolClosed,
            sqlx::Error::WorkerCrashed,
        ] {
            assert!(is_unavailable(&e), "{e}");
        }
        for e in [
            sqlx::Error::RowNotFound,
            sqlx::Error::ColumnNotFound("x".into()),
            sqlx::Error::Decode("bad".into()),
            sqlx::Error::Configuration("bad url".into()),
        ] {
            assert!(!is_unavailable(&e), "{e}");
        }
    }

    #[test]
    fn postgres_connection_and_shutdown_states_are_unavailable() {
        for sqlstate in [
            "08000", "08001", "08003", "08006", "08P01", "57P01", "57P02", "57P03", "53300",
        ] {
            assert!(is_unavailable_sqlstate(sqlstate), "{sqlstate}");
        }
        for sqlstate in [
            "23505", "23503", "22001", "40001", "42P01", "57014", "XX000",
        ] {
            assert!(!is_unavailable_sqlstate(sqlstate), "{sqlstate}");
        }
    }

    #[test]
    fn sqlite_busy_and_locked_are_unavailable() {
        // SQLITE_BUSY, _RECOVERY, _SNAPSHOT, _TIMEOUT; SQLITE_LOCKED, _SHAREDCACHE.
        for code in [5, 261, 517, 773, 6, 262] {
            assert!(is_unavailable_sqlite_code(code), "{code}");
        }
        // SQLITE_CONSTRAINT_UNIQUE, _FOREIGNKEY, SQLITE_ERROR, SQLITE_CORRUPT.
        for code in [2067, 787, 1, 11] {
            assert!(!is_unavailable_sqlite_code(code), "{code}");
        }
    }

    #[tokio::test]
    async fn a_sqlite_file_held_by_another_writer_is_unavailable() {
        let dir = std::env::temp_dir().join(format!("aftercare-busy-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("a directory");
        let options = SqliteConnectOptions::new()
            .filename(dir.join("busy.db"))
            .create_if_missing(true)
            .busy_timeout(std::time::Duration::ZERO);
        let mut holder = sqlx::SqliteConnection::connect_with(&options)
            .await
            .expect("open");
        let mut other = sqlx::SqliteConnection::connect_with(&options)
            .await
            .expect("open");
        sqlx::raw_sql("CREATE TABLE t (x INTEGER); BEGIN IMMEDIATE; INSERT INTO t VALUES (1);")
            .execute(&mut holder)
            .await
            .expect("the first writer holds the file");
        let busy = sqlx::query("INSERT INTO t VALUES (2)")
            .execute(&mut other)
            .await
            .expect_err("the second writer is refused");
        assert!(is_unavailable(&busy), "{busy}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
