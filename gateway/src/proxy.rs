//! The fallback of the gateway's routes: every call that is not health or
//! reflection is authenticated, rate-limited (per subject, or per client
//! address for anonymous link calls), given a deadline and sent on to the
//! backend of its package.

use std::{
    borrow::Cow,
    convert::Infallible,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
    time::SystemTime,
};

use aftercare_auth::{
    Principal, Secret, Verifier,
    assertion::{self, PRINCIPAL_HEADER, SIGNATURE_HEADER},
};
use futures::future::BoxFuture;
use http::{
    HeaderMap, HeaderName, HeaderValue, Request, Response, Version,
    header::{
        AUTHORIZATION, CONNECTION, CONTENT_LENGTH, HOST, PROXY_AUTHORIZATION, TE, TRAILER,
        TRANSFER_ENCODING, UPGRADE,
    },
};
use http_body::{Frame, SizeHint};
use tonic::{TimeoutExpired, body::Body};
use tower::{Service, ServiceExt};

use crate::{
    anonymous,
    authenticate::authenticate,
    deadline::{self, Deadlines},
    error::Rejection,
    rate_limit::RateLimiter,
    routing::Backends,
    verified::VerifiedTokens,
};

/// Headers of one HTTP/1.1 hop that HTTP/2 forbids (RFC 9113 §8.2.2) or
/// that describe the caller's message rather than the one forwarded (its
/// length: gRPC-web-text bodies are decoded on the way), and credentials
/// that stop at the gateway.
static DROPPED_HEADERS: [HeaderName; 11] = [
    CONNECTION,
    HOST,
    TE,
    TRANSFER_ENCODING,
    UPGRADE,
    TRAILER,
    CONTENT_LENGTH,
    HeaderName::from_static("keep-alive"),
    HeaderName::from_static("proxy-connection"),
    PROXY_AUTHORIZATION,
    AUTHORIZATION,
];

#[derive(Debug, Clone)]
pub(crate) struct Proxy {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    backends: Backends,
    tokens: VerifiedTokens,
    internal_key: Secret,
    limiter: RateLimiter,
    deadlines: Deadlines,
}

impl Proxy {
    pub(crate) fn new(
        backends: Backends,
        verifier: Verifier,
        internal_key: Secret,
        limiter: RateLimiter,
        deadlines: Deadlines,
    ) -> Self {
        Self {
            shared: Arc::new(Shared {
                backends,
                tokens: VerifiedTokens::new(verifier),
                internal_key,
                limiter,
                deadlines,
            }),
        }
    }
}

impl Service<Request<axum::body::Body>> for Proxy {
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Response<Body>, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // Readiness is the backend's, awaited per call under its deadline.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<axum::body::Body>) -> Self::Future {
        let shared = Arc::clone(&self.shared);
        // All the work happens in the future, which the telemetry layer runs
        // inside the call's span: the trace context injected below is that
        // span's.
        Box::pin(async move {
            let path = request.uri().path().to_owned();
            Ok(shared.forward(request).await.unwrap_or_else(|rejection| {
                rejection.log(&path);
                rejection.into_response()
            }))
        })
    }
}

impl Shared {
    async fn forward(
        &self,
        request: Request<axum::body::Body>,
    ) -> Result<Response<Body>, Rejection> {
        let (mut parts, body) = request.into_parts();
        // Routing comes before authentication: an unknown path gets the same
        // answer with or without a token, and the reflection service already
        // tells anyone which services exist.
        let backend = self
            .backends
            .for_path(parts.uri.path())
            .ok_or_else(|| Rejection::UnknownService {
                path: parts.uri.path().to_owned(),
            })?
            .clone();
        let (principal, bucket) = match anonymous::principal(parts.uri.path(), &parts.headers) {
            Some(anonymous) => {
                let client = anonymous::client_address(&parts.extensions);
                (anonymous, anonymous::bucket_key(client))
            }
            None => {
                let principal = authenticate(&self.tokens, &parts.headers)?;
                let bucket = Cow::Owned(principal.subject.clone());
                (principal, bucket)
            }
        };
        if let Err(refused) = self.limiter.check(&bucket).await {
            return Err(Rejection::RateLimited {
                bucket: bucket.into_owned(),
                retry_after: refused.retry_after,
            });
        }
        let deadline = self.deadlines.for_call(parts.uri.path(), &parts.headers);
        self.prepare_headers(&mut parts.headers, &principal, deadline);

        // A gRPC-web call arrives over HTTP/1.1; the backend speaks HTTP/2.
        let caller_version = parts.version;
        parts.version = Version::HTTP_2;
        let request = Request::from_parts(parts, Body::new(Unsized(body)));
        // The channel itself times the call out by the `grpc-timeout` set
        // above; the timer here also covers waiting for the channel to be
        // ready, and holds should that header ever be lost. It ends when the
        // answer begins: a stream's body is never cut here.
        let wait = self.deadlines.for_answer(deadline);
        let mut response = tokio::time::timeout(wait, backend.oneshot(request))
            .await
            .map_err(|_| Rejection::DeadlineExceeded)?
            .map_err(|e| {
                if caused_by::<TimeoutExpired>(&*e) {
                    Rejection::DeadlineExceeded
                } else {
                    Rejection::Unavailable(e)
                }
            })?;
        *response.version_mut() = caller_version;
        Ok(response)
    }

    /// The headers the backend sees: the caller's metadata, less anything
    /// that claims an identity, plus the verified principal signed with the
    /// internal key, the deadline (none for a stream the caller gave none)
    /// and the trace context.
    fn prepare_headers(
        &self,
        headers: &mut HeaderMap,
        principal: &Principal,
        deadline: Option<std::time::Duration>,
    ) {
        // Headers the caller named in `connection` are its hop's too
        // (RFC 9110 §7.6.1).
        let named: Vec<HeaderName> = headers
            .get_all(CONNECTION)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .filter_map(|name| HeaderName::from_bytes(name.trim().as_bytes()).ok())
            .collect();
        for name in DROPPED_HEADERS.iter().chain(&named) {
            headers.remove(name);
        }
        // `attach` replaces these too; removing them first makes sure no
        // caller-made value survives whatever `attach` does.
        headers.remove(PRINCIPAL_HEADER);
        headers.remove(SIGNATURE_HEADER);
        headers.insert(TE, HeaderValue::from_static("trailers"));
        assertion::attach(headers, principal, &self.internal_key, SystemTime::now());
        match deadline {
            Some(deadline) => headers.insert(deadline::GRPC_TIMEOUT, deadline::encode(deadline)),
            None => headers.remove(deadline::GRPC_TIMEOUT),
        };
        aftercare_telemetry::propagation::inject_current(headers);
    }
}

/// A forwarded body whose length is left to the transport to count.
///
/// tonic-web decodes a `grpc-web-text` body from base64 yet still reports
/// the encoded length as the exact size of the decoded one; hyper would send
/// that as the backend's `content-length`, and the backend's HTTP/2 would
/// reset the stream as a protocol error. Whatever re-frames a body on its
/// way through the gateway, the caller's length is not the forwarded one.
struct Unsized(axum::body::Body);

impl http_body::Body for Unsized {
    type Data = bytes::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.0).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.0.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::default()
    }
}

/// Whether `error` or any error under it is an `E`.
fn caused_by<E: std::error::Error + 'static>(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(error);
    while let Some(e) = next {
        if e.is::<E>() {
            return true;
        }
        next = e.source();
    }
    false
}
