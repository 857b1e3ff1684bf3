//! The gateway through real clients: an echo backend that accepts only the
//! gateway's signed principal and answers with its subject, behind a
//! gateway served on a real port.

use std::{
    net::SocketAddr,
    time::{Duration, SystemTime},
};

use aftercare_auth::{
    Principal, Scope, Secret, ServiceAuth, assertion::Signer, caller, token::TokenKeys,
};
use aftercare_gateway::{Gateway, GatewaySettings};
use aftercare_proto::echo::v1::{
    EchoRequest, EchoResponse,
    echo_service_client::EchoServiceClient,
    echo_service_server::{EchoService, EchoServiceServer},
};
use aftercare_serving::{ServerRoutes, in_process};
use prost::Message;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    sync::oneshot,
};
use tonic::{
    Code, Request, Response, Status,
    metadata::MetadataValue,
    service::Interceptor,
    transport::{Channel, Endpoint},
};

mod grpc_web;
mod oidc;
mod rate_limits;

const ECHO: &str = "/aftercare.echo.v1.EchoService/Echo";

/// Answers with the subject of the principal it was given, and reports in
/// its response metadata what else it saw (the whole principal, in its
/// canonical form).
struct Echo;

#[tonic::async_trait]
impl EchoService for Echo {
    async fn echo(&self, request: Request<EchoRequest>) -> Result<Response<EchoResponse>, Status> {
        let principal = caller(&request)?.clone();
        let subject = principal.subject.clone();
        let timeout = request.metadata().get("grpc-timeout").cloned();
        let saw_token = request.metadata().contains_key("authorization");
        if request.get_ref().payload == b"slow" {
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
        let mut response = Response::new(EchoResponse {
            payload: subject.into_bytes(),
        });
        if let Some(timeout) = timeout {
            response
                .metadata_mut()
                .insert("x-seen-grpc-timeout", timeout);
        }
        if let Ok(seen) = principal.canonical().parse() {
            response.metadata_mut().insert("x-seen-principal", seen);
        }
        let saw_token = MetadataValue::from_static(if saw_token { "yes" } else { "no" });
        response
            .metadata_mut()
            .insert("x-saw-authorization", saw_token);
        Ok(response)
    }
}

struct TestGateway {
    addr: SocketAddr,
    keys: TokenKeys,
    internal_key: Secret,
    /// The echo backend, reached directly rather than through the gateway.
    backend: Channel,
    _stop: oneshot::Sender<()>,
}

impl TestGateway {
    async fn start(settings: GatewaySettings) -> Self {
        let (gateway, keys, internal_key, backend) = gateway(settings).await;
        Self::serve(gateway, keys, internal_key, backend).await
    }

    /// Another gateway in front of the same backend, trusting the same
    /// tokens: a second replica.
    async fn beside(&self, settings: GatewaySettings) -> Self {
        let gateway = gateway_over(
            settings,
            &self.keys,
            &self.internal_key,
            self.backend.clone(),
        );
        Self::serve(
            gateway,
            self.keys.clone(),
            self.internal_key.clone(),
            self.backend.clone(),
        )
        .await
    }

    async fn serve(
        gateway: Gateway,
        keys: TokenKeys,
        internal_key: Secret,
        backend: Channel,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local address");
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let shutdown = async {
                stopped.await.ok();
            };
            gateway
                .serve(listener, shutdown)
                .await
                .expect("gateway serves");
        });
        Self {
            addr,
            keys,
            internal_key,
            backend,
            _stop: stop,
        }
    }

    async fn channel(&self) -> Channel {
        Endpoint::from_shared(format!("http://{}", self.addr))
            .expect("uri")
            .connect()
            .await
            .expect("connect to the gateway")
    }

    fn token(&self, subject: &str) -> String {
        mint(&self.keys, subject, SystemTime::now())
    }

    async fn echo(
        &self,
        token: Option<&str>,
        payload: &[u8],
    ) -> Result<Response<EchoResponse>, Status> {
        let mut request = Request::new(EchoRequest {
            payload: payload.to_vec(),
        });
        if let Some(token) = token {
            request
                .metadata_mut()
                .insert("authorization", bearer(token));
        }
        EchoServiceClient::new(self.channel().await)
            .echo(request)
            .await
    }
}

/// A gateway with the echo backend routed as `aftercare.echo.v1` and a
/// backend that is down routed as `aftercare.parts.v1`.
async fn gateway(settings: GatewaySettings) -> (Gateway, TokenKeys, Secret, Channel) {
    let keys = TokenKeys::new(&Secret::generate());
    let internal_key = Secret::generate();
    let echo = EchoServiceServer::with_interceptor(Echo, ServiceAuth::new(internal_key.clone()));
    let (routes, _health) = ServerRoutes::new().with_service(echo).finish().await;
    let backend = in_process("echo", routes);
    let gateway = gateway_over(settings, &keys, &internal_key, backend.clone());
    (gateway, keys, internal_key, backend)
}

/// A gateway in front of `backend` as `aftercare.echo.v1`, with a backend
/// that is down as `aftercare.parts.v1`.
fn gateway_over(
    settings: GatewaySettings,
    keys: &TokenKeys,
    internal_key: &Secret,
    backend: Channel,
) -> Gateway {
    // A backend whose every connection is refused. (Not a freed port: a
    // test running beside this one may bind it again.)
    let down = Endpoint::from_static("http://down.invalid").connect_with_connector_lazy(
        tower::service_fn(|_| async {
            Err::<hyper_util::rt::TokioIo<tokio::io::DuplexStream>, _>(std::io::Error::from(
                std::io::ErrorKind::ConnectionRefused,
            ))
        }),
    );
    Gateway::new(settings, keys.clone(), internal_key.clone())
        .route("aftercare.echo.v1", aftercare_gateway::backend(backend))
        .route("aftercare.parts.v1", aftercare_gateway::backend(down))
}

fn mint(keys: &TokenKeys, subject: &str, now: SystemTime) -> String {
    let principal = Principal {
        subject: subject.into(),
        scope: Scope::Oem,
    };
    keys.mint(&principal, now, Duration::from_secs(600))
}

fn bearer(token: &str) -> MetadataValue<tonic::metadata::Ascii> {
    format!("Bearer {token}").parse().expect("ascii token")
}

fn code<T>(result: Result<T, Status>) -> Code {
    result.err().map_or(Code::Ok, |status| status.code())
}

/// A unary call to any path, for services the test has no client for.
async fn call_path(
    channel: Channel,
    path: &'static str,
    token: Option<&str>,
) -> Result<EchoResponse, Status> {
    let mut grpc = tonic::client::Grpc::new(channel);
    grpc.ready()
        .await
        .map_err(|e| Status::unavailable(e.to_string()))?;
    let mut request = Request::new(EchoRequest::default());
    if let Some(token) = token {
        request
            .metadata_mut()
            .insert("authorization", bearer(token));
    }
    let codec = tonic_prost::ProstCodec::<EchoRequest, EchoResponse>::default();
    let path = http::uri::PathAndQuery::from_static(path);
    grpc.unary(request, path, codec)
        .await
        .map(Response::into_inner)
}

fn seen_timeout(response: &Response<EchoResponse>) -> Duration {
    let value = response
        .metadata()
        .get("x-seen-grpc-timeout")
        .expect("the backend saw a grpc-timeout");
    let value = value.to_str().expect("ascii");
    let (number, unit) = value.split_at(value.len() - 1);
    let number: u64 = number.parse().expect("a number");
    match unit {
        "n" => Duration::from_nanos(number),
        "u" => Duration::from_micros(number),
        "m" => Duration::from_millis(number),
        "S" => Duration::from_secs(number),
        other => panic!("unexpected unit {other}"),
    }
}

#[tokio::test]
async fn a_valid_token_reaches_the_backend_as_its_principal() {
    let gw = TestGateway::start(GatewaySettings::default()).await;
    let response = gw
        .echo(Some(&gw.token("alice")), b"hi")
        .await
        .expect("echo");
    assert_eq!(response.get_ref().payload, b"alice");
    assert_eq!(
        response
            .metadata()
            .get("x-saw-authorization")
            .expect("reported"),
        "no"
    );
}

#[tokio::test]
async fn calls_without_a_genuine_current_token_are_unauthenticated() {
    let gw = TestGateway::start(GatewaySettings::default()).await;
    let expired = mint(
        &gw.keys,
        "alice",
        SystemTime::now() - Duration::from_secs(7200),
    );
    let foreign = mint(
        &TokenKeys::new(&Secret::generate()),
        "alice",
        SystemTime::now(),
    );
    for token in [
        None,
        Some("garbage"),
        Some(expired.as_str()),
        Some(foreign.as_str()),
    ] {
        assert_eq!(
            code(gw.echo(token, b"hi").await),
            Code::Unauthenticated,
            "{token:?}"
        );
    }
    let mut request = Request::new(EchoRequest::default());
    request.metadata_mut().insert(
        "authorization",
        MetadataValue::from_static("Basic YWxpY2U6cHc="),
    );
    let basic = EchoServiceClient::new(gw.channel().await)
        .echo(request)
        .await;
    assert_eq!(code(basic), Code::Unauthenticated);
}

#[tokio::test]
async fn a_principal_sent_by_the_caller_is_not_trusted() {
    let gw = TestGateway::start(GatewaySettings::default()).await;
    let mallory = Principal {
        subject: "mallory".into(),
        scope: Scope::Oem,
    };
    // Even a genuine assertion (captured, say) is replaced by the token's.
    let mut signer = Signer {
        principal: mallory.clone(),
        key: gw.internal_key.clone(),
    };
    let token = bearer(&gw.token("alice"));
    let mut client = EchoServiceClient::with_interceptor(gw.channel().await, move |request| {
        let mut request = signer.call(request)?;
        request
            .metadata_mut()
            .insert("authorization", token.clone());
        Ok(request)
    });
    let response = client.echo(EchoRequest::default()).await.expect("echo");
    assert_eq!(response.get_ref().payload, b"alice");

    // Straight to the backend: a principal not signed with the internal key,
    // or none, is refused.
    let forged = Signer {
        principal: mallory,
        key: Secret::generate(),
    };
    let mut direct = EchoServiceClient::with_interceptor(gw.backend.clone(), forged);
    assert_eq!(
        code(direct.echo(EchoRequest::default()).await),
        Code::Unauthenticated
    );
    let mut bare = EchoServiceClient::new(gw.backend.clone());
    assert_eq!(
        code(bare.echo(EchoRequest::default()).await),
        Code::Unauthenticated
    );
}

#[tokio::test]
async fn unknown_services_are_unimplemented_and_a_down_backend_unavailable() {
    let gw = TestGateway::start(GatewaySettings::default()).await;
    let token = gw.token("alice");
    for token in [Some(token.as_str()), None] {
        let unknown = call_path(
            gw.channel().await,
            "/aftercare.nothing.v1.NothingService/Do",
            token,
        )
        .await;
        assert_eq!(code(unknown), Code::Unimplemented);
    }
    let down = call_path(
        gw.channel().await,
        "/aftercare.parts.v1.PartsService/GetPart",
        Some(&token),
    );
    let down = tokio::time::timeout(Duration::from_secs(10), down)
        .await
        .expect("an answer, not a hang");
    assert_eq!(code(down), Code::Unavailable);
}

#[tokio::test]
async fn health_and_reflection_need_no_token() {
    use tonic_health::pb::{
        HealthCheckRequest, health_check_response::ServingStatus, health_client::HealthClient,
    };
    use tonic_reflection::pb::v1::{
        ServerReflectionRequest, server_reflection_client::ServerReflectionClient,
        server_reflection_request::MessageRequest, server_reflection_response::MessageResponse,
    };

    let gw = TestGateway::start(GatewaySettings::default()).await;
    let health = HealthClient::new(gw.channel().await)
        .check(HealthCheckRequest::default())
        .await
        .expect("health");
    assert_eq!(health.get_ref().status(), ServingStatus::Serving);

    let list = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut answers = ServerReflectionClient::new(gw.channel().await)
        .server_reflection_info(tokio_stream::iter([list]))
        .await
        .expect("reflection")
        .into_inner();
    let answer = answers
        .message()
        .await
        .expect("an answer")
        .expect("not the end");
    let Some(MessageResponse::ListServicesResponse(services)) = answer.message_response else {
        panic!("not a list of services: {answer:?}");
    };
    let names: Vec<_> = services.service.into_iter().map(|s| s.name).collect();
    for name in [
        "aftercare.echo.v1.EchoService",
        "aftercare.dealers.v1.DealersService",
        "grpc.health.v1.Health",
    ] {
        assert!(
            names.iter().any(|n| n == name),
            "{name} missing from {names:?}"
        );
    }
}

#[tokio::test]
async fn deadlines_are_defaulted_bounded_and_enforced() {
    let gw = TestGateway::start(GatewaySettings {
        default_deadline_ms: 1_000,
        max_deadline_ms: 2_000,
        ..Default::default()
    })
    .await;
    let token = gw.token("alice");

    let response = gw.echo(Some(&token), b"hi").await.expect("echo");
    let seen = seen_timeout(&response);
    assert!(
        seen <= Duration::from_secs(1) && seen > Duration::from_millis(500),
        "default deadline, saw {seen:?}"
    );

    let mut request = Request::new(EchoRequest::default());
    request.set_timeout(Duration::from_secs(600));
    request
        .metadata_mut()
        .insert("authorization", bearer(&token));
    let response = EchoServiceClient::new(gw.channel().await)
        .echo(request)
        .await
        .expect("echo");
    let seen = seen_timeout(&response);
    assert!(
        seen <= Duration::from_secs(2) && seen > Duration::from_secs(1),
        "cut to the maximum, saw {seen:?}"
    );

    let gw = TestGateway::start(GatewaySettings {
        default_deadline_ms: 200,
        max_deadline_ms: 200,
        ..Default::default()
    })
    .await;
    let slow = gw.echo(Some(&gw.token("alice")), b"slow").await;
    assert_eq!(code(slow), Code::DeadlineExceeded);
}

#[tokio::test]
async fn the_gateway_can_be_served_in_process() {
    let (gateway, keys, _, _) = gateway(GatewaySettings::default()).await;
    let channel = gateway.in_process().await;
    let mut request = Request::new(EchoRequest::default());
    request.metadata_mut().insert(
        "authorization",
        bearer(&mint(&keys, "carol", SystemTime::now())),
    );
    let response = EchoServiceClient::new(channel)
        .echo(request)
        .await
        .expect("echo");
    assert_eq!(response.get_ref().payload, b"carol");
}

/// Sends one raw HTTP/1.1 request and reads the whole answer: the status
/// line and headers (lower-cased), and the de-chunked body.
async fn http1(addr: SocketAddr, request: &[u8]) -> (String, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.write_all(request).await.expect("send");
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
        .await
        .expect("the server closes the connection")
        .expect("read");
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let head = String::from_utf8_lossy(&answer[..split]).to_lowercase();
    let mut rest = &answer[split + 4..];
    if !head.contains("transfer-encoding: chunked") {
        return (head, rest.to_vec());
    }
    let mut body = Vec::new();
    loop {
        let line_end = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("chunk size line");
        let size = std::str::from_utf8(&rest[..line_end]).expect("ascii");
        let size = usize::from_str_radix(size.split(';').next().unwrap_or(size).trim(), 16)
            .expect("hex size");
        if size == 0 {
            return (head, body);
        }
        body.extend_from_slice(&rest[line_end + 2..line_end + 2 + size]);
        rest = &rest[line_end + 2 + size + 2..];
    }
}

#[tokio::test]
async fn a_grpc_web_call_over_http1_is_answered_in_grpc_web() {
    let gw = TestGateway::start(GatewaySettings::default()).await;
    let message = EchoRequest {
        payload: b"hi".to_vec(),
    }
    .encode_to_vec();
    let mut frame = vec![0u8];
    frame.extend_from_slice(&u32::try_from(message.len()).expect("small").to_be_bytes());
    frame.extend_from_slice(&message);
    let mut request = format!(
        "POST {ECHO} HTTP/1.1\r\nhost: {}\r\ncontent-type: application/grpc-web+proto\r\nx-grpc-web: 1\r\n\
         origin: https://console.example\r\nauthorization: Bearer {}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        gw.addr,
        gw.token("dora"),
        frame.len()
    )
    .into_bytes();
    request.extend_from_slice(&frame);

    let (head, body) = http1(gw.addr, &request).await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(
        head.contains("content-type: application/grpc-web+proto"),
        "{head}"
    );
    assert!(head.contains("access-control-expose-headers"), "{head}");

    let (mut data, mut trailers, mut rest) = (None, None, body.as_slice());
    while let [flag, a, b, c, d, tail @ ..] = rest {
        let len = u32::from_be_bytes([*a, *b, *c, *d]) as usize;
        let (content, tail) = tail.split_at(len);
        match flag {
            0x00 => data = Some(EchoResponse::decode(content).expect("an EchoResponse")),
            0x80 => trailers = Some(String::from_utf8_lossy(content).to_lowercase()),
            other => panic!("unexpected frame flag {other:#x}"),
        }
        rest = tail;
    }
    assert_eq!(data.expect("a data frame").payload, b"dora");
    let trailers = trailers.expect("a trailer frame");
    assert!(trailers.contains("grpc-status:0"), "{trailers}");
}

#[tokio::test]
async fn cors_preflights_are_answered() {
    let preflight = |addr: SocketAddr, origin: &str| {
        format!(
            "OPTIONS {ECHO} HTTP/1.1\r\nhost: {addr}\r\norigin: {origin}\r\naccess-control-request-method: POST\r\n\
             access-control-request-headers: content-type,x-grpc-web,authorization\r\nconnection: close\r\n\r\n"
        )
        .into_bytes()
    };

    let gw = TestGateway::start(GatewaySettings::default()).await;
    let (head, _) = http1(gw.addr, &preflight(gw.addr, "http://localhost:5173")).await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains("access-control-allow-origin: *"), "{head}");
    assert!(head.contains("authorization"), "{head}");

    let settings = GatewaySettings {
        cors_allowed_origins: vec!["https://console.example".into()],
        ..Default::default()
    };
    let gw = TestGateway::start(settings).await;
    let (head, _) = http1(gw.addr, &preflight(gw.addr, "https://console.example")).await;
    assert!(
        head.contains("access-control-allow-origin: https://console.example"),
        "{head}"
    );
    let (head, _) = http1(gw.addr, &preflight(gw.addr, "https://elsewhere.example")).await;
    assert!(!head.contains("access-control-allow-origin"), "{head}");
}

/// The `access-control-allow-headers` of a preflight asking to send
/// `headers`, empty when the preflight is refused.
async fn allowed_headers(gw: &TestGateway, headers: &str) -> String {
    let preflight = format!(
        "OPTIONS {ECHO} HTTP/1.1\r\nhost: {}\r\norigin: https://console.example\r\n\
         access-control-request-method: POST\r\naccess-control-request-headers: {headers}\r\n\
         connection: close\r\n\r\n",
        gw.addr
    );
    let (head, _) = http1(gw.addr, preflight.as_bytes()).await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    head.lines()
        .find_map(|l| l.strip_prefix("access-control-allow-headers: "))
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn browsers_may_send_the_trace_context_and_configured_headers() {
    let gw = TestGateway::start(GatewaySettings::default()).await;
    let allowed = allowed_headers(&gw, "content-type,x-grpc-web,traceparent,tracestate").await;
    for header in ["content-type", "x-grpc-web", "traceparent", "tracestate"] {
        assert!(allowed.contains(header), "{header} not in {allowed:?}");
    }
    assert!(!allowed.contains("x-tenant"), "{allowed:?}");

    let gw = TestGateway::start(GatewaySettings {
        cors_allowed_headers: vec!["x-tenant".into()],
        cors_exposed_headers: vec!["x-request-cost".into()],
        ..Default::default()
    })
    .await;
    let allowed = allowed_headers(&gw, "content-type,x-tenant").await;
    assert!(allowed.contains("x-tenant"), "{allowed:?}");
    assert!(allowed.contains("traceparent"), "{allowed:?}");
    let token = gw.token("erin");
    let message = EchoRequest::default().encode_to_vec();
    let mut frame = vec![0u8];
    frame.extend_from_slice(&u32::try_from(message.len()).expect("small").to_be_bytes());
    frame.extend_from_slice(&message);
    let mut call = format!(
        "POST {ECHO} HTTP/1.1\r\nhost: {}\r\ncontent-type: application/grpc-web+proto\r\n\
         origin: https://console.example\r\nauthorization: Bearer {token}\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n",
        gw.addr,
        frame.len()
    )
    .into_bytes();
    call.extend_from_slice(&frame);
    let (head, _) = http1(gw.addr, &call).await;
    let exposed = head
        .lines()
        .find_map(|l| l.strip_prefix("access-control-expose-headers: "))
        .unwrap_or_default();
    for header in ["grpc-status", "x-request-cost"] {
        assert!(exposed.contains(header), "{header} not in {exposed:?}");
    }
}
