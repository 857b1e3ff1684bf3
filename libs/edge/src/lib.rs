//! The edge of every service: what each gRPC handler does before the
//! domain sees a request, written once.
//!
//! - [`invalid_argument`]: a field that failed to parse, as INVALID_ARGUMENT
//!   with a `google.rpc.BadRequest` naming it.
//! - [`mutation`]: the caller of a mutation and the idempotency key of its
//!   `request_id`.
//! - [`page`]: `page_size` and `page_token` (AIP-158).
//! - [`Mask`]: an update mask (AIP-134).
//! - [`Error`]: what a service refuses, as the gRPC status it answers.
//! - [`resource`]: a versioned object's row: its meta, the one row a write
//!   must touch, the constraint a write broke.
//! - [`fields`]: the fields every contract has: ids, times, periods.

mod error;
pub mod fields;
mod mask;
pub mod resource;

use aftercare_auth::Principal;
use aftercare_db::IdempotencyKey;
use aftercare_values::{FieldViolation, PageRequest, paging::PagingError};
use prost::Message;
use tonic::{Code, Request, Status};
use tonic_types::{ErrorDetails, StatusExt};

pub use error::Error;
pub use mask::Mask;

/// INVALID_ARGUMENT naming the field, with a `google.rpc.BadRequest`.
pub fn invalid_argument(v: FieldViolation) -> Status {
    Status::with_error_details(
        Code::InvalidArgument,
        v.to_string(),
        ErrorDetails::with_bad_request_violation(v.field, v.reason),
    )
}

/// Who asks, and the idempotency key of a mutation if it sent a
/// `request_id`: what a store needs to apply a change once.
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    pub key: Option<IdempotencyKey>,
}

/// The verified caller of a request (see `aftercare_auth::ServiceAuth`).
pub fn principal<T>(request: &Request<T>) -> Result<Principal, Status> {
    aftercare_auth::caller(request).cloned()
}

/// The caller of a mutation named `method`, with its idempotency key.
pub fn mutation<T: Message>(
    request: &Request<T>,
    method: &str,
    request_id: &str,
) -> Result<Caller, Status> {
    let principal = principal(request)?;
    let key = mutation_key(request, &principal, method, request_id)?;
    Ok(Caller { principal, key })
}

/// The idempotency key of a mutation by `principal`, when the request
/// carries a `request_id`: the whole principal (never the subject alone: a
/// stored answer goes back only to the scope it was given to), the id, and
/// a fingerprint of the method and the request, so that a reused id with
/// another request is caught.
fn mutation_key<T: Message>(
    request: &Request<T>,
    principal: &Principal,
    method: &str,
    request_id: &str,
) -> Result<Option<IdempotencyKey>, Status> {
    if request_id.is_empty() {
        return Ok(None);
    }
    if request_id.len() > 128 || !request_id.bytes().all(|b| b.is_ascii_graphic()) {
        let why = "must be at most 128 printable ASCII characters";
        return Err(invalid_argument(FieldViolation::new("request_id", why)));
    }
    let encoded = request.get_ref().encode_to_vec();
    Ok(Some(IdempotencyKey::new(
        &principal.canonical(),
        request_id,
        method,
        &encoded,
    )))
}

/// The page a list request asks for, its token checked against `filters`.
pub fn page(size: i32, token: &str, filters: &[&str]) -> Result<PageRequest, Status> {
    PageRequest::parse(size, token, filters).map_err(|e| {
        let field = if e == PagingError::NegativeSize {
            "page_size"
        } else {
            "page_token"
        };
        invalid_argument(FieldViolation::new(field, e.to_string()))
    })
}

/// The key a page token carries, parsed by `parse`; a key that does not
/// parse is a bad `page_token`.
pub fn page_key<K>(
    page: &PageRequest,
    parse: impl FnOnce(&str) -> Option<K>,
) -> Result<Option<K>, Status> {
    let Some(key) = page.after.as_deref() else {
        return Ok(None);
    };
    parse(key).map(Some).ok_or_else(|| {
        invalid_argument(FieldViolation::new(
            "page_token",
            PagingError::BadToken.to_string(),
        ))
    })
}

/// A message field the request must set.
pub fn required<T>(v: Option<T>, field: &str) -> Result<T, Status> {
    v.ok_or_else(|| invalid_argument(FieldViolation::new(field, "must be set")))
}
