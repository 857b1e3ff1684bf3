//! Why the gateway answered a call itself, turned into a gRPC status in one
//! place.

use aftercare_auth::token::TokenError;
use tonic::{Status, body::Body};

use crate::authenticate::AuthError;

#[derive(Debug, thiserror::Error)]
pub(crate) enum Rejection {
    #[error("no service behind this gateway serves {path}")]
    UnknownService { path: String },
    #[error(transparent)]
    Unauthenticated(#[from] AuthError),
    #[error("rate limit exceeded")]
    RateLimited { bucket: String },
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
            Rejection::RateLimited { .. } => Status::resource_exhausted(self.to_string()),
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
            Rejection::RateLimited { bucket } => {
                tracing::info!(path, bucket, "call refused by the rate limit")
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
        assert_eq!(
            code(Rejection::RateLimited { bucket: "u".into() }),
            Code::ResourceExhausted
        );
        assert_eq!(code(Rejection::DeadlineExceeded), Code::DeadlineExceeded);
    }

    #[test]
    fn the_response_is_trailers_only() {
        let response = Rejection::RateLimited { bucket: "u".into() }.into_response();
        assert_eq!(response.status(), http::StatusCode::OK);
        assert_eq!(
            response.headers().get("grpc-status").map(|v| v.as_bytes()),
            Some(&b"8"[..])
        );
    }
}
