//! ServiceStandardService through a real gRPC client on both stores: a
//! hand-worked month of repair orders (written straight into the table; the
//! repair-order API comes separately) and its compliance in every scope,
//! definitions and versions, authorisation of every RPC, bad input, and
//! retries.

mod access;
mod bad_input;
mod definitions;
mod harness;
mod idempotency;
mod month;
