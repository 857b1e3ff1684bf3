//! gRPC-web as browsers send it — binary and base64 text, with a
//! `content-length` and chunked — through the gateway to a backend reached
//! as in each mode: over TCP and HTTP/2 (distributed) or in this process
//! (embedded).

use std::net::SocketAddr;

use aftercare_auth::{Secret, ServiceAuth, token::TokenKeys};
use aftercare_gateway::{Gateway, GatewaySettings};
use aftercare_proto::echo::v1::{
    EchoRequest, EchoResponse, echo_service_server::EchoServiceServer,
};
use aftercare_serving::ServerRoutes;
use base64::{Engine, engine::general_purpose::STANDARD};
use prost::Message;
use tokio::{net::TcpListener, sync::oneshot};
use tonic::transport::Endpoint;

use super::{ECHO, Echo, http1, mint};

#[derive(Debug, Clone, Copy)]
enum Wiring {
    /// The backend is another process's port: the distributed mode.
    Tcp,
    /// The backend's routes are called in the gateway's process: the
    /// embedded mode.
    Local,
}

#[derive(Debug, Clone, Copy)]
enum Framing {
    Binary,
    Text,
}

impl Framing {
    fn content_type(self) -> &'static str {
        match self {
            Framing::Binary => "application/grpc-web+proto",
            Framing::Text => "application/grpc-web-text",
        }
    }
}

/// A gateway on a real port in front of the echo backend wired as
/// `wiring`; dropping the sender stops both.
async fn gateway(wiring: Wiring) -> (SocketAddr, TokenKeys, oneshot::Sender<()>) {
    let keys = TokenKeys::new(&Secret::generate());
    let internal_key = Secret::generate();
    let echo = EchoServiceServer::with_interceptor(Echo, ServiceAuth::new(internal_key.clone()));
    let (routes, _health) = ServerRoutes::new().with_service(echo).finish().await;
    let (stop, stopped) = oneshot::channel::<()>();
    let stopped = async {
        stopped.await.ok();
    };
    let backend = match wiring {
        Wiring::Tcp => {
            let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
            let addr = listener.local_addr().expect("local address");
            let (backend_stop, backend_stopped) = oneshot::channel::<()>();
            tokio::spawn(async move {
                let shutdown = async {
                    backend_stopped.await.ok();
                };
                aftercare_serving::serve("echo", routes, listener, shutdown)
                    .await
                    .expect("backend serves");
            });
            // The backend lives as long as the test's runtime.
            std::mem::forget(backend_stop);
            let channel = Endpoint::from_shared(format!("http://{addr}"))
                .expect("uri")
                .connect_lazy();
            aftercare_gateway::backend(channel)
        }
        Wiring::Local => aftercare_gateway::backend(aftercare_serving::local("echo", routes)),
    };
    let gateway = Gateway::new(GatewaySettings::default(), keys.clone(), internal_key)
        .route("aftercare.echo.v1", backend);
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("local address");
    tokio::spawn(async move {
        gateway
            .serve(listener, stopped)
            .await
            .expect("gateway serves");
    });
    (addr, keys, stop)
}

/// One echo call as a browser library makes it; the echoed subject and the
/// trailers, or the whole answer when it has no data frame.
async fn call(
    addr: SocketAddr,
    token: &str,
    framing: Framing,
    content_length: bool,
) -> (Option<EchoResponse>, String) {
    let message = EchoRequest {
        payload: b"hi".to_vec(),
    }
    .encode_to_vec();
    let mut frame = vec![0u8];
    frame.extend_from_slice(&u32::try_from(message.len()).expect("small").to_be_bytes());
    frame.extend_from_slice(&message);
    let body = match framing {
        Framing::Binary => frame,
        Framing::Text => STANDARD.encode(frame).into_bytes(),
    };
    let content_type = framing.content_type();
    let length = if content_length {
        format!("content-length: {}", body.len())
    } else {
        "transfer-encoding: chunked".to_owned()
    };
    let mut request = format!(
        "POST {ECHO} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: {content_type}\r\naccept: {content_type}\r\n\
         x-grpc-web: 1\r\norigin: https://console.example\r\nauthorization: Bearer {token}\r\n{length}\r\n\
         connection: close\r\n\r\n"
    )
    .into_bytes();
    if content_length {
        request.extend_from_slice(&body);
    } else {
        request.extend_from_slice(format!("{:x}\r\n", body.len()).as_bytes());
        request.extend_from_slice(&body);
        request.extend_from_slice(b"\r\n0\r\n\r\n");
    }

    let (head, body) = http1(addr, &request).await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(
        head.contains(&format!("content-type: {content_type}")),
        "{head}"
    );
    let body = match framing {
        Framing::Binary => body,
        // Each frame of the answer is encoded on its own, padding included:
        // decode quantum by quantum.
        Framing::Text => body
            .chunks(4)
            .flat_map(|quantum| STANDARD.decode(quantum).expect("base64"))
            .collect(),
    };
    let (mut data, mut trailers, mut rest) = (None, head, body.as_slice());
    while let [flag, a, b, c, d, tail @ ..] = rest {
        let len = u32::from_be_bytes([*a, *b, *c, *d]) as usize;
        let (content, tail) = tail.split_at(len);
        match flag {
            0x00 => data = Some(EchoResponse::decode(content).expect("an EchoResponse")),
            0x80 => trailers = String::from_utf8_lossy(content).to_lowercase(),
            other => panic!("unexpected frame flag {other:#x}"),
        }
        rest = tail;
    }
    (data, trailers)
}

#[tokio::test]
async fn both_web_framings_with_and_without_a_length_reach_a_backend_in_either_mode() {
    for wiring in [Wiring::Tcp, Wiring::Local] {
        let (addr, keys, _stop) = gateway(wiring).await;
        let token = mint(&keys, "dora", std::time::SystemTime::now());
        for framing in [Framing::Binary, Framing::Text] {
            for content_length in [true, false] {
                let case = format!("{wiring:?} {framing:?} content-length: {content_length}");
                let (data, trailers) = call(addr, &token, framing, content_length).await;
                assert!(trailers.contains("grpc-status:0"), "{case}: {trailers}");
                let data = data.unwrap_or_else(|| panic!("{case}: no data frame"));
                assert_eq!(data.payload, b"dora", "{case}");
            }
        }
    }
}
