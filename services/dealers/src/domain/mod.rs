//! Types and rules of the service network: parsing, validation, access.
//! No transport and no SQL here.

pub mod access;
pub mod network;
pub mod repair_order;
pub mod text;
pub mod vin;
