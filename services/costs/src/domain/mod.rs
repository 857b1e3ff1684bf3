//! The costs service's types and rules: parsed at the edge, free of
//! transport and SQL, unit-tested with the worked examples of
//! `docs/costing.md`.

pub mod access;
pub mod amounts;
pub mod budget;
pub mod claims;
pub mod compensation;
pub mod control_access;
pub mod cost_entry;
pub mod costing;
pub mod delivered;
pub mod pricing;
pub mod rates;
pub mod scope;
pub mod summary;
pub mod tally;
