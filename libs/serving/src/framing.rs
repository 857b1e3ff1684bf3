//! The gRPC framing of a request, checked before tonic reads it, so that a
//! caller's bad frame gets a status that says whose fault it is.
//!
//! tonic answers a message longer than its limit OUT_OF_RANGE, where gRPC's
//! status table says RESOURCE_EXHAUSTED, and a body that ends inside a
//! message INTERNAL, which pages an operator for a caller's broken client.
//! This layer reads each message's 5-byte prefix (flag, length) as the body
//! passes and ends the body with the right status instead; tonic passes the
//! status of a failed body on as the call's.

use std::{
    pin::Pin,
    task::{Context, Poll, ready},
};

use bytes::{Buf, Bytes};
use http_body::{Frame, SizeHint};
use tonic::{Status, body::Body};
use tower::{Layer, Service};

/// The longest request message a server accepts: tonic's own default, which
/// this check must not exceed to be the one that answers.
pub const MAX_REQUEST_MESSAGE_BYTES: usize = 4 * 1024 * 1024;

const PREFIX_BYTES: usize = 5;

/// Checks the framing of every request to the services it wraps.
#[derive(Debug, Clone, Copy, Default)]
pub struct FramingLayer;

impl<S> Layer<S> for FramingLayer {
    type Service = Framing<S>;

    fn layer(&self, inner: S) -> Framing<S> {
        Framing { inner }
    }
}

#[derive(Debug, Clone)]
pub struct Framing<S> {
    inner: S,
}

impl<S> Service<http::Request<Body>> for Framing<S>
where
    S: Service<http::Request<Body>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<Body>) -> S::Future {
        self.inner
            .call(request.map(|body| Body::new(CheckedBody::new(body))))
    }
}

/// A request body that fails, with the caller's status, at the first
/// message prefix over the limit or at an end inside a message.
struct CheckedBody {
    inner: Body,
    /// The bytes of the prefix being read, and how many of them are in.
    prefix: [u8; PREFIX_BYTES],
    prefix_read: usize,
    /// What remains of the message whose prefix was read.
    message_left: usize,
    failed: bool,
}

impl CheckedBody {
    fn new(inner: Body) -> Self {
        Self {
            inner,
            prefix: [0; PREFIX_BYTES],
            prefix_read: 0,
            message_left: 0,
            failed: false,
        }
    }

    /// Follows the framing through `data`; the status of a message too long.
    fn follow(&mut self, mut data: &[u8]) -> Result<(), Status> {
        while !data.is_empty() {
            if self.message_left > 0 {
                let skipped = self.message_left.min(data.len());
                self.message_left -= skipped;
                data.advance(skipped);
                continue;
            }
            let taken = (PREFIX_BYTES - self.prefix_read).min(data.len());
            self.prefix[self.prefix_read..self.prefix_read + taken].copy_from_slice(&data[..taken]);
            self.prefix_read += taken;
            data.advance(taken);
            if self.prefix_read == PREFIX_BYTES {
                self.prefix_read = 0;
                let [_, length @ ..] = self.prefix;
                let length = u32::from_be_bytes(length) as usize;
                if length > MAX_REQUEST_MESSAGE_BYTES {
                    return Err(Status::resource_exhausted(format!(
                        "a request message of {length} bytes is over the limit of \
                         {MAX_REQUEST_MESSAGE_BYTES} bytes"
                    )));
                }
                self.message_left = length;
            }
        }
        Ok(())
    }

    fn inside_a_message(&self) -> bool {
        self.prefix_read > 0 || self.message_left > 0
    }
}

impl http_body::Body for CheckedBody {
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        if self.failed {
            return Poll::Ready(None);
        }
        let frame = ready!(Pin::new(&mut self.inner).poll_frame(cx));
        let checked = match &frame {
            Some(Ok(frame)) => match frame.data_ref() {
                Some(data) => {
                    let data = data.clone();
                    self.follow(&data)
                }
                None => Ok(()),
            },
            None if self.inside_a_message() => Err(Status::invalid_argument(
                "the request ends inside a message: its length prefix is longer than what was sent",
            )),
            _ => Ok(()),
        };
        match checked {
            Ok(()) => Poll::Ready(frame),
            Err(status) => {
                self.failed = true;
                Poll::Ready(Some(Err(status)))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.failed || self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use http_body_util::BodyExt;

    use super::*;

    fn prefix(length: u32) -> Vec<u8> {
        let mut prefix = vec![0];
        prefix.extend_from_slice(&length.to_be_bytes());
        prefix
    }

    /// The body's bytes, sent in chunks of `chunk` bytes, read through the
    /// check: what it passes on, or the status it ends with.
    async fn read(bytes: Vec<u8>, chunk: usize) -> Result<Vec<u8>, Status> {
        let chunks: Vec<Result<Frame<Bytes>, Status>> = bytes
            .chunks(chunk)
            .map(|c| Ok(Frame::data(Bytes::copy_from_slice(c))))
            .collect();
        let body = Body::new(http_body_util::StreamBody::new(futures::stream::iter(
            chunks,
        )));
        let collected = CheckedBody::new(body).collect().await?;
        Ok(collected.to_bytes().to_vec())
    }

    #[tokio::test]
    async fn whole_messages_pass_unchanged_however_they_are_chunked() {
        let mut bytes = prefix(3);
        bytes.extend_from_slice(b"abc");
        bytes.extend(prefix(0));
        bytes.extend(prefix(2));
        bytes.extend_from_slice(b"de");
        for chunk in [1, 2, 5, 7, 100] {
            assert_eq!(read(bytes.clone(), chunk).await.expect("passes"), bytes);
        }
    }

    #[tokio::test]
    async fn a_message_over_the_limit_is_resource_exhausted() {
        let at_limit = u32::try_from(MAX_REQUEST_MESSAGE_BYTES).expect("fits");
        let mut bytes = prefix(at_limit);
        bytes.resize(PREFIX_BYTES + MAX_REQUEST_MESSAGE_BYTES, 0);
        assert!(
            read(bytes, 64 * 1024).await.is_ok(),
            "the limit itself passes"
        );
        for chunk in [1, 3, 100] {
            let status = read(prefix(at_limit + 1), chunk)
                .await
                .expect_err("refused");
            assert_eq!(status.code(), tonic::Code::ResourceExhausted);
        }
    }

    #[tokio::test]
    async fn an_end_inside_a_message_is_invalid_argument() {
        let mut inside_the_message = prefix(10);
        inside_the_message.extend_from_slice(b"abc");
        for bytes in [inside_the_message, vec![0, 0, 0]] {
            let status = read(bytes, 2).await.expect_err("refused");
            assert_eq!(status.code(), tonic::Code::InvalidArgument);
        }
    }
}
