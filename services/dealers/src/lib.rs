//! The `dealers` service: the service network — regions, dealers, stations,
//! their staff, customers and vehicles.
//!
//! - [`domain`]: the types and rules, parsed at the edge; no transport, no SQL.
//! - [`usecases`]: one method per mutation and read: transaction, access,
//!   domain, rows, outbox, commit, after-commit effects.
//! - [`store`]: rows to domain values and back, on PostgreSQL or SQLite.
//! - [`events`]: the outbox events, each building its own message.
//! - [`peers`]: the clients of the services this one calls (parts).
//! - [`grpc`]: the contracts of `aftercare.dealers.v1`, one folder each.
//! - [`Dealers`]: the service built from its settings and connections.

pub mod demo;
pub mod domain;
mod error;
pub mod events;
pub mod grpc;
pub mod peers;
mod service;
mod settings;
pub mod store;
pub mod usecases;

pub use error::Error;
pub use grpc::{AuditApi, DealersApi, RepairOrderApi, ServiceStandardApi};

pub use service::Dealers;
pub use settings::DealersSettings;
pub use store::{MIGRATOR, Store};
