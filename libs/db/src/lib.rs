//! The storage plumbing every service shares.
//!
//! One store serves both run modes: the services write their SQL once, in
//! the subset PostgreSQL and SQLite share (`$n` parameters, `ON CONFLICT`,
//! `RETURNING`, `BIGINT` and `TEXT` columns), and run it through sqlx's `Any`
//! driver. What differs between the engines stays in this crate: connection
//! set-up, how a write transaction begins, and how errors are classified.
//! [`periodic`] runs the services' background work on their stores:
//! sweeps, retention, rebuilds, gauges read from the database.

mod connect;
pub mod errors;
pub mod idempotency;
pub mod insert;
pub mod list;
pub mod periodic;
pub mod retention;
pub mod testing;
pub mod timestamp;

pub use connect::{Backend, Db, Tx};
pub use idempotency::IdempotencyKey;
pub use retention::{RetentionSettings, Sweeper};
pub use sqlx;
/// `#[derive(FromRow)]` and `migrate!("./migrations")`, without sqlx's
/// query macros (see the workspace's Cargo.toml). Their expansions name
/// `::sqlx`, so a crate using them depends on sqlx itself. `FromRow` is the
/// trait too, as in sqlx.
pub use sqlx::FromRow;
pub use sqlx_macros::{FromRow, migrate};
