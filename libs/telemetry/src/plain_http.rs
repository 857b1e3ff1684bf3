//! Plain HTTP in front of a gRPC server: a layer that answers the requests
//! a function picks (Prometheus' scrape, the browser pages' GETs) before
//! gRPC-web, which refuses plain HTTP/1.1, sees them, and passes every other
//! request on.

use std::task::{Context, Poll};

use axum::body::Body;
use futures::future::BoxFuture;
use http::{Request, Response, request::Parts};
use tower::{Layer, Service};

/// The answer to a request, or `None` to pass it on to the server.
pub type Answer = fn(&Parts) -> Option<Response<Body>>;

/// Answers the requests its [`Answer`] picks; put it outermost and let the
/// server accept HTTP/1.1.
#[derive(Debug, Clone, Copy)]
pub struct PlainHttpLayer(Answer);

impl PlainHttpLayer {
    pub const fn new(answer: Answer) -> Self {
        Self(answer)
    }
}

impl<S> Layer<S> for PlainHttpLayer {
    type Service = PlainHttp<S>;

    fn layer(&self, inner: S) -> Self::Service {
        PlainHttp {
            inner,
            answer: self.0,
        }
    }
}

#[derive(Debug, Clone)]
pub struct PlainHttp<S> {
    inner: S,
    answer: Answer,
}

impl<S, B, RB> Service<Request<B>> for PlainHttp<S>
where
    S: Service<Request<B>, Response = Response<RB>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    RB: http_body::Body<Data = bytes::Bytes> + Send + 'static,
    RB::Error: Into<axum::BoxError>,
{
    type Response = Response<Body>;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let (parts, body) = request.into_parts();
        if let Some(response) = (self.answer)(&parts) {
            return Box::pin(std::future::ready(Ok(response)));
        }
        let future = self.inner.call(Request::from_parts(parts, body));
        Box::pin(async move { Ok(future.await?.map(Body::new)) })
    }
}
