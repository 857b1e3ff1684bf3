//! Why the gateway answered a call itself, turned into a gRPC status in one
//! place.

use std::time::Duration;

use aftercare_auth::token::TokenError;
use tonic::{Code, Status, body::Body};
use tonic_types::{ErrorDetails, StatusExt};

use crate::authenticate::AuthError;

#[derive(Debug, thiserror::Error)]
pub(crate) enum Rejection {
    #[error("no service behind this gateway serves {path}")]
    UnknownService { path: String },
    #[error(transparent)]
    Unauthenticated(#[from] AuthError),
    #[error("rate limit exceeded")]
    RateLimited {
        bucket: String,
        /// When the next call of the bucket would pass.
        retry_after: Duration,
    },
    #[error("the deadline passed before the service answered")]
    DeadlineExceeded,
    #[error("the service is unavailable")]
    Unavailable(#[source] tower::BoxError),
}

impl Rejection {
    pub(crate) fn into_status(self) -> Status {
        match self {
            Rejection::UnknownService { .. } => Status::unimplemented(self.to_string()),
            // The reason a token failed stays in the log: a caller learns
            // only whether to sign in again.
            Rejection::Unauthenticated(AuthError::Token(TokenError::Invalid(_))) => {
                Status::unauthenticated("the token is not valid")
            }
            Rejection::Unauthenticated(e) => Status::unauthenticated(e.to_string()),
            // The standard `RetryInfo` detail tells the caller when to come
            // back.
            Rejection::RateLimited { retry_after, .. } => Status::with_error_details(
                Code::ResourceExhausted,
                self.to_string(),
                ErrorDetails::with_retry_info(Some(retry_after)),
            ),
            Rejection::DeadlineExceeded => Status::deadline_exceeded(self.to_string()),
            // The transport error names internal addresses; it is logged.
            Rejection::Unavailable(_) => Status::unavailable(self.to_string()),
        }
    }

    /// A trailers-only gRPC response: the status in the headers, no body.
    pub(crate) fn into_response(self) -> http::Response<Body> {
        self.into_status().into_http()
    }

    /// Logs the rejection at the level it deserves: the caller's mistakes
    /// at debug, what operations should see at warn.
    pub(crate) fn log(&self, path: &str) {
        match self {
            Rejection::Unavailable(e) => {
                let cause = e.source();
                tracing::warn!(path, error = %e, error.cause = ?cause, "backend unavailable");
            }
            Rejection::DeadlineExceeded => tracing::info!(path, "call exceeded its deadline"),
            Rejection::RateLimited {
                bucket,
                retry_after,
            } => {
                tracing::info!(path, bucket, ?retry_after, "call refused by the rate limit")
            }
            Rejection::Unauthenticated(e) => {
                tracing::debug!(path, reason = %e, "call refused: not authenticated")
            }
            Rejection::UnknownService { .. } => {
                tracing::debug!(path, "call refused: unknown service")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use tonic::Code;

    use super::*;

    fn limited() -> Rejection {
        Rejection::RateLimited {
            bucket: "u".into(),
            retry_after: Duration::from_millis(1500),
        }
    }

    #[test]
    fn a_limited_caller_is_told_when_to_come_back() {
        let status = limited().into_status();
        assert_eq!(status.message(), "rate limit exceeded");
        let retry = status.get_details_retry_info().expect("retry info");
        assert_eq!(retry.retry_delay, Some(Duration::from_millis(1500)));
    }

    #[test]
    fn each_rejection_has_its_code() {
        let code = |r: Rejection| r.into_status().code();
        assert_eq!(
            code(Rejection::UnknownService {
                path: "/a.B/C".into()
            }),
            Code::Unimplemented
        );
        assert_eq!(code(AuthError::Missing.into()), Code::Unauthenticated);
        assert_eq!(
            code(AuthError::Token(TokenError::Expired).into()),
            Code::Unauthenticated
        );
        assert_eq!(code(limited()), Code::ResourceExhausted);
        assert_eq!(code(Rejection::DeadlineExceeded), Code::DeadlineExceeded);
    }

    #[test]
    fn the_response_is_trailers_only() {
        let response = limited().into_response();
        assert_eq!(response.status(), http::StatusCode::OK);
        assert_eq!(
            response.headers().get("grpc-status").map(|v| v.as_bytes()),
            Some(&b"8"[..])
        );
    }
}
