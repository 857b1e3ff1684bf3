//! Types and rules of the service network: parsing, validation, access,
//! repair orders, service standards and facility audits.
//! No transport and no SQL here.

pub mod access;
pub mod at_risk;
pub mod audits;
pub mod compliance;
pub mod network;
pub mod orders;
pub mod reminders;
pub mod repair_order;
pub mod standard_terms;
pub mod standards;
pub mod text;
pub mod vin;
