//! The `parts` service: the parts catalogue and its prices, warehouses and
//! their stock, the movement ledger, reservations, backorders, fill rate,
//! required stock lists and the station price board.
//!
//! - [`domain`]: the types and rules, parsed at the edge; no transport, no SQL.
//! - [`store`]: storage on PostgreSQL or SQLite, one transaction per change.
//! - [`grpc`]: the `aftercare.parts.v1` contracts: `PartsService`,
//!   `LabourService`, `StockService`, `RequiredStockService` and
//!   `PriceBoardService`.

pub mod domain;
mod error;
pub mod grpc;
mod settings;
pub mod store;

pub use error::Error;
pub use grpc::{LabourApi, PartsApi, PriceBoardApi, RequiredStockApi, StockApi};
pub use settings::PartsSettings;
pub use store::{MIGRATOR, Store};
