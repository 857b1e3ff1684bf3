//! The storage plumbing every service shares.
//!
//! One store serves both run modes: the services write their SQL once, in
//! the subset PostgreSQL and SQLite share (`$n` parameters, `ON CONFLICT`,
//! `RETURNING`, `BIGINT` and `TEXT` columns), and run it through sqlx's `Any`
//! driver. What differs between the engines stays in this crate: connection
//! set-up, how a write transaction begins, and how errors are classified.

mod connect;
pub mod errors;
pub mod idempotency;
pub mod insert;
pub mod list;
pub mod testing;
pub mod timestamp;

pub use connect::{Backend, Db, Tx};
pub use idempotency::IdempotencyKey;
pub use sqlx;
