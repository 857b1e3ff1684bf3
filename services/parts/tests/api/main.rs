//! The parts service through a real gRPC client, on SQLite and on
//! PostgreSQL: every test runs once per store.

mod support;

mod answers;
mod fixture;

mod access;
mod bad_input;
mod catalogue;
mod idempotency;
mod prices;
mod stock;
mod supersession;
