//! Requests that do not decode, sent as hand-made gRPC frames to the
//! embedded system's gateway: the caller's fault, so INVALID_ARGUMENT (an
//! oversized message RESOURCE_EXHAUSTED), never INTERNAL — on a service
//! method with a token and on a survey-link method without one.

use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use tonic::{Code, transport::Endpoint};
use tower::ServiceExt;

use crate::support::system::EmbeddedSystem;

const CREATE_PART: &str = "/aftercare.parts.v1.PartsService/CreatePart";
const GET_SURVEY_BY_LINK: &str = "/aftercare.surveys.v1.SurveyResponseService/GetSurveyByLink";

/// The longest request message a server takes (4 MiB, tonic's default).
const LIMIT: u32 = 4 * 1024 * 1024;

/// One gRPC frame around `message`, its length prefix as given.
fn frame(length: u32, message: &[u8]) -> Vec<u8> {
    let mut frame = vec![0];
    frame.extend_from_slice(&length.to_be_bytes());
    frame.extend_from_slice(message);
    frame
}

fn framed(message: &[u8]) -> Vec<u8> {
    frame(u32::try_from(message.len()).expect("small"), message)
}

/// Bodies that no server can decode, by what is wrong with them. Field 2
/// of CreatePartRequest and field 1 of GetSurveyByLinkRequest are strings;
/// `string_tag` is its tag.
fn malformed(string_tag: u8) -> Vec<(&'static str, Vec<u8>, Code)> {
    let mut deep = vec![0x7b; 150]; // field 15, start group, nested
    deep.extend(vec![0x7c; 150]);
    vec![
        (
            "invalid UTF-8",
            framed(&[string_tag, 2, 0xff, 0xfe]),
            Code::InvalidArgument,
        ),
        (
            "a length past the end",
            framed(&[string_tag, 5, b'a']),
            Code::InvalidArgument,
        ),
        (
            "an over-long length",
            framed(&[
                string_tag, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
            ]),
            Code::InvalidArgument,
        ),
        (
            "a wrong wire type",
            framed(&[string_tag & !0x07, 1]),
            Code::InvalidArgument,
        ),
        ("deep nesting", framed(&deep), Code::InvalidArgument),
        ("field number 0", framed(&[0x02, 0]), Code::InvalidArgument),
        (
            "a frame that ends early",
            frame(10, b"abc"),
            Code::InvalidArgument,
        ),
        (
            "a message over the limit",
            frame(LIMIT + 1, b""),
            Code::ResourceExhausted,
        ),
    ]
}

/// The status of a call to `path` whose body is `body`, as sent.
async fn raw_call(addr: SocketAddr, path: &str, token: Option<&str>, body: Vec<u8>) -> Code {
    let channel = Endpoint::from_shared(format!("http://{addr}"))
        .expect("uri")
        .connect()
        .await
        .expect("connect to the gateway");
    let mut request = http::Request::post(format!("http://{addr}{path}"))
        .header("content-type", "application/grpc")
        .header("te", "trailers");
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let request = request
        .body(tonic::body::Body::new(Full::new(Bytes::from(body))))
        .expect("a request");
    let response = channel.oneshot(request).await.expect("an answer");
    let (parts, body) = response.into_parts();
    let trailers = body.collect().await.expect("a body").trailers().cloned();
    let status = parts
        .headers
        .get("grpc-status")
        .or_else(|| trailers.as_ref().and_then(|t| t.get("grpc-status")))
        .expect("a grpc-status")
        .to_str()
        .expect("ASCII")
        .parse::<i32>()
        .expect("a number");
    Code::from(status)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undecodable_requests_are_the_callers_fault() {
    let system = EmbeddedSystem::start().await;
    let token = system.token(&["--role", "oem"]);
    for (path, token, string_tag) in [
        (CREATE_PART, Some(token.as_str()), 0x12),
        (GET_SURVEY_BY_LINK, None, 0x0a),
    ] {
        for (case, body, expected) in malformed(string_tag) {
            let code = raw_call(system.addr, path, token, body).await;
            assert_eq!(code, expected, "{path}: {case}");
        }
    }
    system.stop().await;
}
