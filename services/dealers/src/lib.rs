//! The `dealers` service: the service network — regions, dealers, stations,
//! their staff, customers and vehicles.
//!
//! - [`domain`]: the types and rules, parsed at the edge; no transport, no SQL.
//! - [`store`]: storage on PostgreSQL or SQLite, one transaction per change.
//! - [`grpc`]: the `aftercare.dealers.v1.DealersService` contract.

pub mod demo;
pub mod domain;
mod error;
pub mod grpc;
mod settings;
pub mod store;

pub use error::Error;
pub use grpc::{DealersApi, ServiceStandardApi};

pub use settings::DealersSettings;
pub use store::{MIGRATOR, Store};
