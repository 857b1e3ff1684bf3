//! The dealers service through a real gRPC client, on SQLite and on
//! PostgreSQL: every test runs once per store.

mod support;

use aftercare_test_support::both;

mod fixture;
mod probe;
mod requests;
mod values;

mod access;
mod access_allowed;
mod audits;
mod bad_input_network;
mod bad_input_people;
mod conflicts;
mod crud_network;
mod crud_people;
mod idempotency;
mod lists;
mod rules;
mod standards;
mod workshop;
