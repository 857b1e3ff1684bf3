//! The surveys service through real gRPC clients, on SQLite and on
//! PostgreSQL: every test runs once per store.

mod support;

mod edge;
mod invitations;
mod invitations_access;
mod relay;
mod responses;
mod scores;
mod templates;
