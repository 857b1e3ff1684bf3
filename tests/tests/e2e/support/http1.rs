//! Plain HTTP/1.1 over a TCP stream, as a browser (gRPC-web) or Prometheus
//! (`/metrics`) calls, and the gRPC-web framing of messages.

use std::{net::SocketAddr, time::Duration};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

/// An answer: the status line and headers (lower-cased) and the de-chunked
/// body.
pub(crate) struct Answer {
    pub(crate) head: String,
    pub(crate) body: Vec<u8>,
}

/// Sends one request (which should say `connection: close`) and reads the
/// whole answer.
pub(crate) async fn send(addr: SocketAddr, request: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.write_all(request).await.expect("send");
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut answer))
        .await
        .expect("the server answers and closes the connection")
        .expect("read");
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| {
            panic!(
                "no end of headers in {:?}",
                String::from_utf8_lossy(&answer)
            )
        });
    let head = String::from_utf8_lossy(&answer[..split]).to_lowercase();
    let rest = &answer[split + 4..];
    let body = if head.contains("transfer-encoding: chunked") {
        dechunk(rest)
    } else {
        rest.to_vec()
    };
    Answer { head, body }
}

fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let line_end = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("a chunk size line");
        let size = std::str::from_utf8(&rest[..line_end]).expect("ASCII");
        let size = size.split(';').next().unwrap_or(size).trim();
        let size = usize::from_str_radix(size, 16).expect("a hex chunk size");
        if size == 0 {
            return body;
        }
        body.extend_from_slice(&rest[line_end + 2..line_end + 2 + size]);
        rest = &rest[line_end + 2 + size + 2..];
    }
}

/// `GET path`.
pub(crate) async fn get(addr: SocketAddr, path: &str) -> Answer {
    let request = format!("GET {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n\r\n");
    send(addr, request.as_bytes()).await
}

/// A gRPC-web unary call: `POST path` with `message` in one data frame,
/// from a browser at `origin`, with `token` as the bearer token if any.
pub(crate) async fn grpc_web(
    addr: SocketAddr,
    path: &str,
    message: &[u8],
    origin: &str,
    token: Option<&str>,
) -> Answer {
    let mut frame = vec![0u8];
    frame.extend_from_slice(
        &u32::try_from(message.len())
            .expect("a small message")
            .to_be_bytes(),
    );
    frame.extend_from_slice(message);
    let authorization =
        token.map_or_else(String::new, |t| format!("authorization: Bearer {t}\r\n"));
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/grpc-web+proto\r\n\
         x-grpc-web: 1\r\norigin: {origin}\r\n{authorization}content-length: {}\r\n\
         connection: close\r\n\r\n",
        frame.len()
    )
    .into_bytes();
    request.extend_from_slice(&frame);
    send(addr, &request).await
}

/// The frames of a gRPC-web body: the messages of its data frames, and the
/// text of its trailer frame (lower-cased), if any.
pub(crate) fn grpc_web_frames(body: &[u8]) -> (Vec<Vec<u8>>, Option<String>) {
    let (mut messages, mut trailers, mut rest) = (Vec::new(), None, body);
    while !rest.is_empty() {
        let [flag, a, b, c, d, tail @ ..] = rest else {
            panic!("a truncated frame header: {rest:?}");
        };
        let len = u32::from_be_bytes([*a, *b, *c, *d]) as usize;
        assert!(tail.len() >= len, "a truncated frame");
        let (content, tail) = tail.split_at(len);
        match flag {
            0x00 => messages.push(content.to_vec()),
            0x80 => trailers = Some(String::from_utf8_lossy(content).to_lowercase()),
            other => panic!("unexpected frame flag {other:#x}"),
        }
        rest = tail;
    }
    (messages, trailers)
}
