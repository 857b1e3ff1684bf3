//! The `parts` service: the parts catalogue and its prices, and the stock
//! rules of the inventory to come.
//!
//! - [`domain`]: the types and rules, parsed at the edge; no transport, no SQL.
//! - [`store`]: storage on PostgreSQL or SQLite, one transaction per change.
//! - [`grpc`]: the `aftercare.parts.v1.PartsService` and `LabourService`
//!   contracts.

pub mod domain;
mod error;
pub mod grpc;
pub mod store;

pub use error::Error;
pub use grpc::{LabourApi, PartsApi};
pub use store::{MIGRATOR, Store};
