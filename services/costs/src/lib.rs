//! The `costs` service: what each repair order costs and earns, cost
//! entries and budgets with their variance and alerts, the cost of poor
//! quality, pricing tools, and warranty claims checked against the parts
//! ledger and approved within the warranty budget left.
//!
//! - [`domain`]: the types and rules; no transport, no SQL.
//! - `usecases`: one function per mutation and read, by area.
//! - `store`: rows ↔ domain values on PostgreSQL or SQLite.
//! - `peers`: the parts and dealers services it reads.
//! - `grpc`: the `aftercare.costs.v1` contracts.
//! - `metrics`: the month's warranty budget burn as Prometheus gauges.
//! - [`Costs`]: the service built from its settings and connections.

pub mod domain;
mod error;
mod grpc;
mod metrics;
mod peers;
mod service;
mod settings;
mod store;
mod usecases;

pub use error::Error;
pub use service::{Costs, CostsApi};
pub use settings::CostsSettings;
pub use store::MIGRATOR;
