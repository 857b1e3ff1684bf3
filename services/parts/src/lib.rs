//! The `parts` service: the parts catalogue and its prices, warehouses and
//! their stock, the movement ledger, reservations, backorders, fill rate,
//! required stock lists and the station price board.
//!
//! - [`domain`]: the types and rules, parsed at the edge; no transport, no SQL.
//! - `usecases`: one function per mutation and read, by area: the write
//!   transaction, access, the domain, the rows, the commit.
//! - `store`: rows ↔ domain values on PostgreSQL or SQLite.
//! - `grpc`: the `aftercare.parts.v1` contracts (`PartsService`,
//!   `LabourService`, `StockService`, `RequiredStockService` and
//!   `PriceBoardService`), each calling the use cases.
//! - `metrics`: the stock-outs and backorders as Prometheus gauges.
//! - [`Parts`]: the service built from its settings and connections.

pub mod domain;
mod error;
mod grpc;
mod metrics;
mod service;
mod settings;
mod store;
mod usecases;

pub use error::Error;
pub use service::Parts;
pub use settings::PartsSettings;
pub use store::MIGRATOR;
