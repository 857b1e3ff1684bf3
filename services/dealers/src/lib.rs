//! The `dealers` service: the service network — regions, dealers, stations,
//! their staff, customers and vehicles.
//!
//! - [`domain`]: the types and rules, parsed at the edge; no transport, no SQL.
//! - [`store`]: storage on PostgreSQL or SQLite, one transaction per change.
//! - [`grpc`]: the `aftercare.dealers.v1.DealersService` contract.

pub mod demo;
pub mod domain;
mod error;
pub mod events;
pub mod grpc;
pub mod parts;
mod settings;
pub mod store;

pub use error::Error;
pub use grpc::{AuditApi, DealersApi, RepairOrderApi, ServiceStandardApi};

pub use settings::DealersSettings;
pub use store::{MIGRATOR, Store};
