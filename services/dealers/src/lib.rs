//! The `dealers` service: the service network — regions, dealers, stations,
//! their staff, customers and vehicles.
//!
//! - [`domain`]: the types and rules, parsed at the edge; no transport, no SQL.
//! - [`store`]: storage on PostgreSQL or SQLite, one transaction per change.
//! - [`grpc`]: the `aftercare.dealers.v1.DealersService` contract.
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
