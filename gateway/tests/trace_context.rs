//! A call's trace continues from the caller through the gateway to the
//! service: the service receives a `traceparent` with the caller's trace id
//! and the gateway's span as parent. Its own binary, because it installs the
//! process-wide tracing subscriber — with an OTLP endpoint where no collector
//! listens, which must cost the call nothing.

use std::time::{Duration, SystemTime};

use aftercare_auth::{Principal, Scope, Secret, ServiceAuth, token::TokenKeys};
use aftercare_gateway::{Gateway, GatewaySettings};
use aftercare_proto::echo::v1::{
    EchoRequest, EchoResponse,
    echo_service_client::EchoServiceClient,
    echo_service_server::{EchoService, EchoServiceServer},
};
use aftercare_serving::{ServerRoutes, in_process};
use aftercare_telemetry::TelemetrySettings;
use tonic::{Request, Response, Status, metadata::MetadataValue};

const TRACE_ID: &str = "0af7651916cd43dd8448eb211c80319c";
const CALLER_SPAN: &str = "b7ad6b7169203331";

/// Answers with the `traceparent` it received.
struct Echo;

#[tonic::async_trait]
impl EchoService for Echo {
    async fn echo(&self, request: Request<EchoRequest>) -> Result<Response<EchoResponse>, Status> {
        let seen = request
            .metadata()
            .get("traceparent")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        Ok(Response::new(EchoResponse {
            payload: seen.into_bytes(),
        }))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_service_continues_the_callers_trace() {
    let settings = TelemetrySettings {
        // Nothing listens on the discard port: export fails in the
        // background, calls go on.
        otlp_endpoint: Some("http://127.0.0.1:9".into()),
        ..TelemetrySettings::default()
    };
    let _telemetry =
        aftercare_telemetry::init("trace-context-test", &settings).expect("telemetry starts");

    let keys = TokenKeys::new(&Secret::generate());
    let internal = Secret::generate();
    let echo = EchoServiceServer::with_interceptor(Echo, ServiceAuth::new(internal.clone()));
    let (routes, _health) = ServerRoutes::new().with_service(echo).finish().await;
    let gateway = Gateway::new(GatewaySettings::default(), keys.clone(), internal)
        .route(
            "aftercare.echo.v1",
            aftercare_gateway::backend(in_process("echo", routes)),
        )
        .in_process()
        .await;

    let token = keys.mint(
        &Principal {
            subject: "tracer".into(),
            scope: Scope::Oem,
        },
        SystemTime::now(),
        Duration::from_secs(60),
    );
    let mut request = Request::new(EchoRequest::default());
    let meta = request.metadata_mut();
    meta.insert(
        "authorization",
        MetadataValue::try_from(format!("Bearer {token}")).expect("header"),
    );
    meta.insert(
        "traceparent",
        MetadataValue::try_from(format!("00-{TRACE_ID}-{CALLER_SPAN}-01")).expect("header"),
    );
    let answer = EchoServiceClient::new(gateway)
        .echo(request)
        .await
        .expect("the call goes through");

    let seen = String::from_utf8(answer.into_inner().payload).expect("text");
    let parts: Vec<&str> = seen.split('-').collect();
    assert_eq!(parts.len(), 4, "the service got a traceparent: {seen:?}");
    assert_eq!(parts[1], TRACE_ID, "same trace");
    assert_ne!(
        parts[2], CALLER_SPAN,
        "the parent is the gateway's span, not the caller's"
    );
    assert_eq!(parts[3], "01", "still sampled");
}
