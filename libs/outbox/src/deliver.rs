use std::future::Future;

use tonic::{Code, Status};

use crate::StoredEvent;

/// Hands an event to its receiver, typically as a gRPC call decoded from
/// the payload. The receiver must apply each event id once (see
/// [`apply_once`](crate::apply_once)), so the id goes with the call: as the
/// request's `request_id`, or in its metadata.
///
/// A closure `Fn(StoredEvent) -> impl Future<Output = Result<(), DeliveryError>>`
/// is a deliverer too.
pub trait Deliver: Send + Sync {
    fn deliver(
        &self,
        event: &StoredEvent,
    ) -> impl Future<Output = Result<(), DeliveryError>> + Send;
}

impl<F, Fut> Deliver for F
where
    F: Fn(StoredEvent) -> Fut + Send + Sync,
    Fut: Future<Output = Result<(), DeliveryError>> + Send,
{
    fn deliver(
        &self,
        event: &StoredEvent,
    ) -> impl Future<Output = Result<(), DeliveryError>> + Send {
        self(event.clone())
    }
}

/// Why a delivery failed, and so whether to try again.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// It may pass later: the receiver is down, overloaded, not deployed
    /// yet. The destination backs off and the event is tried again.
    #[error("{0}")]
    Retryable(String),
    /// The receiver refused this event and will refuse it again: it is set
    /// aside as failed so that the destination's later events go on.
    #[error("{0}")]
    Permanent(String),
}

impl From<Status> for DeliveryError {
    /// Only the codes that say the request itself is wrong are permanent.
    /// Refused credentials and UNIMPLEMENTED (a receiver that does not exist
    /// yet) are retryable: they pass once the deployment is fixed, and
    /// nothing is lost meanwhile.
    fn from(status: Status) -> Self {
        let message = format!("{:?}: {}", status.code(), status.message());
        match status.code() {
            Code::InvalidArgument
            | Code::NotFound
            | Code::AlreadyExists
            | Code::FailedPrecondition
            | Code::OutOfRange => Self::Permanent(message),
            _ => Self::Retryable(message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_that_may_pass_later_are_retryable() {
        for code in [
            Code::Unavailable,
            Code::DeadlineExceeded,
            Code::Unimplemented,
            Code::Unauthenticated,
            Code::PermissionDenied,
            Code::ResourceExhausted,
            Code::Aborted,
            Code::Internal,
            Code::Unknown,
        ] {
            let e = DeliveryError::from(Status::new(code, "x"));
            assert!(matches!(e, DeliveryError::Retryable(_)), "{code:?}");
        }
    }

    #[test]
    fn statuses_that_blame_the_request_are_permanent() {
        let e = DeliveryError::from(Status::invalid_argument("quantity must be positive"));
        assert_eq!(
            e,
            DeliveryError::Permanent("InvalidArgument: quantity must be positive".into())
        );
    }
}
