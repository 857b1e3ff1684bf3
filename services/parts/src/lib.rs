//! The `parts` service: the parts catalogue and its prices, warehouses and
//! their stock, the movement ledger, reservations, backorders, fill rate,
//! required stock lists and the station price board.
//!
//! - [`domain`]: the types and rules, parsed at the edge; no transport, no SQL.
//! - [`store`]: storage on PostgreSQL or SQLite, one transaction per change.
//! - [`grpc`]: the `aftercare.parts.v1` contracts: `PartsService`,
//!   `LabourService`, `StockService`, `RequiredStockService` and
//!   `PriceBoardService`.
//! - [`Parts`]: the service built from its settings and connections.

pub mod domain;
mod error;
pub mod grpc;
mod service;
mod settings;
pub mod store;

pub use error::Error;
pub use grpc::{LabourApi, PartsApi, PriceBoardApi, RequiredStockApi, StockApi};
pub use service::Parts;
pub use settings::PartsSettings;
pub use store::{MIGRATOR, Store};
