//! The one error type of every service, turned into a gRPC status in one
//! place: what a store or handler refuses, and why, without transport.

use aftercare_auth::Denied;
use aftercare_db::{idempotency::IdempotencyError, sqlx};
use aftercare_values::FieldViolation;
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

use crate::invalid_argument;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    InvalidArgument(#[from] FieldViolation),
    #[error("{what} {id} not found")]
    NotFound { what: &'static str, id: String },
    #[error("{0}")]
    AlreadyExists(String),
    #[error("{0}")]
    PermissionDenied(String),
    #[error("{0}")]
    FailedPrecondition(String),
    /// A precondition of kind `kind` (e.g. "STOCK") that `subject` fails,
    /// answered with a `google.rpc.PreconditionFailure`.
    #[error("{subject}: {reason}")]
    PreconditionFailure {
        kind: &'static str,
        subject: String,
        reason: String,
    },
    #[error("{0}")]
    Aborted(String),
    /// Another service this one needs cannot be reached; a retry may pass.
    #[error("{0}")]
    Unavailable(String),
    /// The service's own database cannot be reached or cannot serve now
    /// (see [`aftercare_db::errors::is_unavailable`]): nothing was
    /// committed, and a retry with the same `request_id` is safe.
    #[error("database unavailable: {0}")]
    StoreUnavailable(#[source] sqlx::Error),
    #[error("internal error: {0}")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl Error {
    pub fn invalid(field: &str, reason: impl Into<String>) -> Self {
        Error::InvalidArgument(FieldViolation::new(field, reason))
    }

    pub fn not_found(what: &'static str, id: &str) -> Self {
        Error::NotFound {
            what,
            id: id.to_owned(),
        }
    }

    /// An access refusal about the object `what` `id`.
    pub fn denied(denied: Denied, what: &'static str, id: &str) -> Self {
        match denied {
            Denied::Invisible => Error::not_found(what, id),
            Denied::NotAllowed(why) => Error::PermissionDenied(why.to_owned()),
        }
    }

    /// The etag the caller sent is not the object's: someone changed it.
    pub fn stale(what: &'static str, id: &str) -> Self {
        Error::Aborted(format!(
            "{what} {id} was changed by someone else; read it again and retry"
        ))
    }
}

/// An outage is UNAVAILABLE, so that a client retries; anything else the
/// database says is a broken invariant of ours.
impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        if aftercare_db::errors::is_unavailable(&e) {
            Error::StoreUnavailable(e)
        } else {
            Error::Internal(Box::new(e))
        }
    }
}

impl From<IdempotencyError> for Error {
    fn from(e: IdempotencyError) -> Self {
        match e {
            IdempotencyError::Reused => Error::invalid("request_id", e.to_string()),
            IdempotencyError::Db(db) => db.into(),
            other => Error::Internal(Box::new(other)),
        }
    }
}

impl From<Error> for Status {
    fn from(e: Error) -> Status {
        match e {
            Error::InvalidArgument(v) => invalid_argument(v),
            Error::NotFound { .. } => Status::not_found(e.to_string()),
            Error::AlreadyExists(m) => Status::already_exists(m),
            Error::PermissionDenied(m) => Status::permission_denied(m),
            Error::FailedPrecondition(m) => Status::failed_precondition(m),
            Error::PreconditionFailure {
                kind,
                subject,
                reason,
            } => Status::with_error_details(
                Code::FailedPrecondition,
                format!("{subject}: {reason}"),
                ErrorDetails::with_precondition_failure_violation(kind, subject, reason),
            ),
            Error::Aborted(m) => Status::aborted(m),
            Error::Unavailable(m) => Status::unavailable(m),
            Error::StoreUnavailable(cause) => {
                // An outage is for operators to see, not to be paged for
                // one call at a time; callers learn nothing of SQL.
                tracing::warn!(error = %cause, "database unavailable");
                Status::unavailable("the database is unavailable; retry with the same request_id")
            }
            Error::Internal(cause) => {
                // The cause is for operators; callers learn nothing of SQL.
                tracing::error!(error = %cause, "internal error");
                Status::internal("internal error")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outage_is_unavailable_and_a_broken_invariant_internal() {
        let status = |e: Error| Status::from(e).code();
        assert_eq!(status(sqlx::Error::PoolTimedOut.into()), Code::Unavailable);
        assert_eq!(
            status(IdempotencyError::Db(sqlx::Error::PoolClosed).into()),
            Code::Unavailable
        );
        assert_eq!(status(sqlx::Error::RowNotFound.into()), Code::Internal);
        assert_eq!(
            status(IdempotencyError::Db(sqlx::Error::RowNotFound).into()),
            Code::Internal
        );
        assert_eq!(
            status(IdempotencyError::Reused.into()),
            Code::InvalidArgument
        );
    }
}
