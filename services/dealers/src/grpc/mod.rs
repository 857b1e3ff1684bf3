//! The gRPC contracts of the package `aftercare.dealers.v1`, one folder
//! each: the tonic service in `mod.rs`, its proto ↔ domain conversions in
//! `convert.rs`. Handlers parse the request, call one use case and convert
//! the answer back; no SQL here, and no rule that belongs to the domain.

mod audits;
mod fields;
mod network;
mod repair_orders;
mod standards;

use aftercare_edge::invalid_argument as invalid;
pub use audits::AuditApi;
pub use network::DealersApi;
pub use repair_orders::RepairOrderApi;
pub use standards::ServiceStandardApi;
use tonic::{Response, Status};

type Reply<T> = Result<Response<T>, Status>;

/// A required id, as a string.
fn id_of(v: &str, field: &str) -> Result<String, Status> {
    fields::id(v, field)
        .map(|id| id.into_string())
        .map_err(invalid)
}

/// The etag a change expects, if the caller sent one.
fn etag(v: &str, field: &str) -> Result<Option<i64>, Status> {
    fields::etag(v, field).map_err(invalid)
}
