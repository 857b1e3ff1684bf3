//! What the test suites of Aftercare share, so that each service's harness
//! is only what is particular to it.
//!
//! - [`eventually`] and [`within`]: waiting for what happens in the
//!   background, with a [`patience`] read from `AFTERCARE_TEST_PATIENCE_SECS`;
//! - [`both!`] and [`on_both_stores!`]: a test body run once on SQLite and
//!   once on PostgreSQL, each on a fresh database ([`fresh`]);
//! - [`Served`]: a service built by its own build function, served through
//!   its real tonic stack in this process, with clients signed as any
//!   principal ([`who`]); [`TcpServer`] serves one on a port it keeps, to be
//!   stopped and started again;
//! - [`Outcome`]: what a test checks on an answer, and [`once`]: a
//!   request retried or raced with its one request id, answered alike;
//! - [`ManualClock`]: the time a service reads, set by the test;
//! - [`TestDeliverer`]: an outbox deliverer that records and fails as told;
//! - [`record_metrics`] and [`metric`]: what a service exports to
//!   Prometheus, read from this process's recorder;
//! - [`build_network`]: regions, dealers and stations made in the dealers
//!   service through its contract.
//!
//! It is a dev-dependency only, and depends on no service.

mod deliverer;
mod metrics;
mod network;
mod outcome;
mod served;
mod stores;
mod tcp;
mod wait;

pub use aftercare_auth::testing as who;
pub use aftercare_db::{
    Backend,
    testing::{fresh, fresh_url},
    timestamp::ManualClock,
};
pub use deliverer::{Attempt, TestDeliverer};
pub use metrics::{metric, record_metrics};
pub use network::{build_network, create_dealers, create_stations};
pub use outcome::{Outcome, by_id, ids, once};
pub use served::{Served, Signed};
pub use stores::fresh_with_outbox;
pub use tcp::TcpServer;
pub use wait::{Condition, eventually, patience, poll_until, within};
