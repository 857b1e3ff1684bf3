//! Plain HTTP/1.1 over a TCP stream, as a browser (gRPC-web, its streams
//! too) or Prometheus (`/metrics`) calls, and the gRPC-web framing of
//! messages.

use std::{net::SocketAddr, time::Duration};

use aftercare_test_support::within;
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
    let split = end_of_head(&answer).unwrap_or_else(|| {
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

/// Where the headers end (the blank line), if they have.
fn end_of_head(bytes: &[u8]) -> Option<usize> {
    bytes.windows(4).position(|w| w == b"\r\n\r\n")
}

fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let (chunk, used) = next_chunk(rest).expect("a whole chunk");
        if chunk.is_empty() {
            return body;
        }
        body.extend_from_slice(chunk);
        rest = &rest[used..];
    }
}

/// The first chunk of a chunked body and how many bytes it took, if `rest`
/// holds all of it; the last chunk is empty.
fn next_chunk(rest: &[u8]) -> Option<(&[u8], usize)> {
    let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
    let size = std::str::from_utf8(&rest[..line_end]).expect("ASCII");
    let size = size.split(';').next().unwrap_or(size).trim();
    let size = usize::from_str_radix(size, 16).expect("a hex chunk size");
    let start = line_end + 2;
    let used = start + size + 2;
    (rest.len() >= used).then(|| (&rest[start..start + size], used))
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
    let request = grpc_web_request(addr, path, message, origin, token, "connection: close\r\n");
    send(addr, &request).await
}

/// The bytes of a gRPC-web call's request, with the `extra` header lines.
fn grpc_web_request(
    addr: SocketAddr,
    path: &str,
    message: &[u8],
    origin: &str,
    token: Option<&str>,
    extra: &str,
) -> Vec<u8> {
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
         x-grpc-web: 1\r\norigin: {origin}\r\n{authorization}content-length: {}\r\n{extra}\r\n",
        frame.len()
    )
    .into_bytes();
    request.extend_from_slice(&frame);
    request
}

/// A gRPC-web server-streaming call, as a browser makes it: its answer read
/// message by message while the gateway keeps sending.
pub(crate) struct GrpcWebStream {
    tcp: TcpStream,
    /// What was received and not yet de-chunked.
    raw: Vec<u8>,
    /// The de-chunked body not yet framed.
    body: Vec<u8>,
}

impl GrpcWebStream {
    /// Calls `path` with `message` from a browser at `origin` with `token`;
    /// fails unless the answer begins as a stream (200, chunked).
    pub(crate) async fn open(
        addr: SocketAddr,
        path: &str,
        message: &[u8],
        origin: &str,
        token: &str,
    ) -> Self {
        let request = grpc_web_request(addr, path, message, origin, Some(token), "");
        let mut tcp = TcpStream::connect(addr).await.expect("connect");
        tcp.write_all(&request).await.expect("send");
        let mut stream = Self {
            tcp,
            raw: Vec::new(),
            body: Vec::new(),
        };
        let head = within("the stream's headers", async {
            loop {
                if let Some(end) = end_of_head(&stream.raw) {
                    let head = String::from_utf8_lossy(&stream.raw[..end]).to_lowercase();
                    stream.raw.drain(..end + 4);
                    return head;
                }
                stream.read().await;
            }
        })
        .await;
        assert!(head.starts_with("http/1.1 200"), "{head}");
        assert!(head.contains("transfer-encoding: chunked"), "{head}");
        assert!(
            head.contains("content-type: application/grpc-web+proto"),
            "{head}"
        );
        stream
    }

    /// The next data frame's message, within the patience; fails on the
    /// trailer frame (the stream ended) or when the connection closes.
    pub(crate) async fn message(&mut self) -> Vec<u8> {
        within("a gRPC-web message", async {
            loop {
                while let Some((chunk, used)) = next_chunk(&self.raw) {
                    self.body.extend_from_slice(chunk);
                    self.raw.drain(..used);
                }
                if let [flag, a, b, c, d, rest @ ..] = self.body.as_slice() {
                    let len = u32::from_be_bytes([*a, *b, *c, *d]) as usize;
                    if rest.len() >= len {
                        let (flag, content) = (*flag, rest[..len].to_vec());
                        self.body.drain(..5 + len);
                        let text = String::from_utf8_lossy(&content);
                        assert_eq!(flag, 0, "the stream ended: {text}");
                        return content;
                    }
                }
                self.read().await;
            }
        })
        .await
    }

    async fn read(&mut self) {
        let mut buffer = [0u8; 8192];
        let n = self.tcp.read(&mut buffer).await.expect("read");
        assert!(n > 0, "the gateway closed the stream");
        self.raw.extend_from_slice(&buffer[..n]);
    }
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
