//! The caller's deadline (`grpc-timeout`) answered as gRPC says it is:
//! DEADLINE_EXCEEDED.
//!
//! tonic's server enforces the header itself, but answers CANCELLED
//! ("Timeout expired"), which tells the caller that it gave up rather than
//! that the server ran out of its time. This layer sits inside tonic's own
//! timer and fixes its deadline in `call`. tonic calls its inner service
//! before it starts its timer, and every layer between reaches this one
//! synchronously, so this deadline is never the later one; and tonic polls
//! the call before its timer, so at the deadline this layer's answer is the
//! one sent.

use std::{
    future::Future,
    pin::Pin,
    task::{Context, Poll},
};

use tonic::Status;
use tower::{Layer, Service};

use crate::grpc_timeout;

/// Answers DEADLINE_EXCEEDED when the caller's deadline passes before the
/// call is answered.
#[derive(Debug, Clone, Copy, Default)]
pub struct DeadlineLayer;

impl<S> Layer<S> for DeadlineLayer {
    type Service = Deadline<S>;

    fn layer(&self, inner: S) -> Deadline<S> {
        Deadline { inner }
    }
}

#[derive(Debug, Clone)]
pub struct Deadline<S> {
    inner: S,
}

impl<S, ReqBody, ResBody> Service<http::Request<ReqBody>> for Deadline<S>
where
    S: Service<http::Request<ReqBody>, Response = http::Response<ResBody>>,
    S::Future: Send + 'static,
    ResBody: Default + Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<ReqBody>) -> Self::Future {
        let deadline = request
            .headers()
            .get("grpc-timeout")
            .and_then(|v| v.to_str().ok())
            .and_then(grpc_timeout::parse)
            .map(|timeout| tokio::time::Instant::now() + timeout);
        let answer = self.inner.call(request);
        Box::pin(async move {
            let Some(deadline) = deadline else {
                return answer.await;
            };
            match tokio::time::timeout_at(deadline, answer).await {
                Ok(answered) => answered,
                Err(_) => Ok(Status::deadline_exceeded("the caller's deadline passed").into_http()),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use std::{convert::Infallible, time::Duration};

    use bytes::Bytes;
    use http_body_util::Full;
    use hyper_util::rt::{TokioExecutor, TokioIo};
    use tokio::net::{TcpListener, TcpStream};
    use tonic::{body::Body, server::NamedService, service::Routes};

    use super::*;

    /// A method that never answers.
    #[derive(Debug, Clone)]
    struct Silent;

    impl NamedService for Silent {
        const NAME: &'static str = "test.Silent";
    }

    impl Service<http::Request<Body>> for Silent {
        type Response = http::Response<Body>;
        type Error = Infallible;
        type Future = std::future::Pending<Result<Self::Response, Infallible>>;

        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
            Poll::Ready(Ok(()))
        }

        fn call(&mut self, _: http::Request<Body>) -> Self::Future {
            std::future::pending()
        }
    }

    /// A caller with no timer of its own (a tonic client cuts the call
    /// itself at its deadline and reports CANCELLED, whatever the server
    /// says), over HTTP/2 as gRPC is: the server's answer is what it sees.
    #[tokio::test]
    async fn a_call_past_the_callers_deadline_is_answered_deadline_exceeded() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(crate::serve(
            "test",
            Routes::new(Silent),
            listener,
            std::future::pending(),
        ));

        let tcp = TcpStream::connect(addr).await.expect("connect");
        let (mut sender, connection) =
            hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(tcp))
                .await
                .expect("an HTTP/2 connection");
        tokio::spawn(connection);
        let request = http::Request::post(format!("http://{addr}/test.Silent/Call"))
            .header("content-type", "application/grpc")
            .header("te", "trailers")
            .header("grpc-timeout", "200m")
            // One empty message.
            .body(Full::new(Bytes::from_static(&[0, 0, 0, 0, 0])))
            .expect("a request");
        let sent = tokio::time::Instant::now();
        let answer = sender.send_request(request).await.expect("an answer");

        assert!(sent.elapsed() >= Duration::from_millis(200));
        // An error with no message is answered "trailers only": the status
        // is in the headers.
        assert_eq!(
            answer.headers().get("grpc-status").map(|v| v.as_bytes()),
            Some(b"4".as_slice()),
            "{:?}",
            answer.headers()
        );
    }
}
