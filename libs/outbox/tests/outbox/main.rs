//! The outbox on SQLite and on PostgreSQL: every test runs once per store.

mod support;

mod delivery;
mod destinations;
mod inbox;
mod receiver;
mod receiver_restarts;
mod relays;
mod retention;
mod retries;
