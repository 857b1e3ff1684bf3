//! The one error type of the service, turned into a gRPC status in one
//! place.

use aftercare_db::idempotency::IdempotencyError;
use aftercare_values::FieldViolation;
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

use crate::domain::access::Denied;

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
    /// A movement asks for more than the stock holds.
    #[error("{subject}: {reason}")]
    Insufficient { subject: String, reason: String },
    #[error("{0}")]
    Aborted(String),
    #[error("internal error: {0}")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;

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
            Denied::NotAllowed(why) => Error::PermissionDenied(why.into()),
        }
    }

    /// The etag the caller sent is not the object's: someone changed it.
    pub fn stale(what: &'static str, id: &str) -> Self {
        Error::Aborted(format!(
            "{what} {id} was changed by someone else; read it again and retry"
        ))
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Error::Internal(Box::new(e))
    }
}

impl From<IdempotencyError> for Error {
    fn from(e: IdempotencyError) -> Self {
        match e {
            IdempotencyError::Reused => Error::invalid("request_id", e.to_string()),
            other => Error::Internal(Box::new(other)),
        }
    }
}

impl From<Error> for Status {
    fn from(e: Error) -> Status {
        match e {
            Error::InvalidArgument(v) => aftercare_edge::invalid_argument(v),
            Error::NotFound { .. } => Status::not_found(e.to_string()),
            Error::AlreadyExists(m) => Status::already_exists(m),
            Error::PermissionDenied(m) => Status::permission_denied(m),
            Error::FailedPrecondition(m) => Status::failed_precondition(m),
            Error::Insufficient { subject, reason } => Status::with_error_details(
                Code::FailedPrecondition,
                format!("{subject}: {reason}"),
                ErrorDetails::with_precondition_failure_violation("STOCK", subject, reason),
            ),
            Error::Aborted(m) => Status::aborted(m),
            Error::Internal(cause) => {
                // The cause is for operators; callers learn nothing of SQL.
                tracing::error!(error = %cause, "internal error");
                Status::internal("internal error")
            }
        }
    }
}
