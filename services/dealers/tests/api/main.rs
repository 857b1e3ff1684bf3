//! The dealers service through a real gRPC client, on SQLite and on
//! PostgreSQL: every test runs once per store.

mod support;
