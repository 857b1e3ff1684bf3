//! ServiceStandardService through a real gRPC client on both stores: a
//! hand-worked month of repair orders (written straight into the table, the
//! compliance tallies rebuilt from them; `workshop::compliance` keeps them
//! through the RO API) and its compliance in every scope,
//! definitions and versions, authorisation of every RPC, bad input, and
//! retries.

mod access;
mod bad_input;
mod definitions;
pub(crate) mod harness;
mod idempotency;
mod month;
mod zone;
