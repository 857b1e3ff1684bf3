//! The parts service through a real gRPC client, on SQLite and on
//! PostgreSQL: every test runs once per store.

mod support;

use aftercare_test_support::both;

mod fixture;
mod labour_fixture;

mod access;
mod bad_input;
mod catalogue;
mod idempotency;
mod labour;
mod labour_access;
mod labour_idempotency;
mod labour_input;
mod outage;
mod package_input;
mod packages;
mod prices;
mod stock;
mod supersession;
