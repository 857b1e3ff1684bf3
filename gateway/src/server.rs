//! The tonic server around the gateway's routes: HTTP/1.1 beside HTTP/2 for
//! gRPC-web, CORS for the browser console, telemetry per call.

use std::time::Duration;

use aftercare_serving::DeadlineLayer;
use aftercare_telemetry::{GrpcTelemetryLayer, PlainHttpLayer, metrics_layer};
use http::{HeaderName, HeaderValue, Method};
use tonic::transport::Server;
use tonic_web::GrpcWebLayer;
use tower::layer::util::{Identity, Stack};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::{GatewaySettings, web};

/// Outermost first: Prometheus' `GET /metrics` and the browser pages' GETs
/// are answered before gRPC-web (which refuses plain HTTP/1.1) sees them, CORS answers preflights before
/// anything else sees them, gRPC-web turns browser calls into gRPC, and
/// telemetry then sees every call as plain gRPC, and the caller's deadline
/// passing as DEADLINE_EXCEEDED.
pub(crate) type Layers = Stack<
    DeadlineLayer,
    Stack<
        GrpcTelemetryLayer,
        Stack<
            GrpcWebLayer,
            Stack<CorsLayer, Stack<PlainHttpLayer, Stack<PlainHttpLayer, Identity>>>,
        >,
    >,
>;

/// How long a browser may cache a preflight answer.
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);

/// The request headers every browser client may send: gRPC-web's, the
/// bearer token, the deadline, and the W3C trace context that browser
/// OpenTelemetry adds to every call.
const ALLOWED_HEADERS: [&str; 7] = [
    "content-type",
    "authorization",
    "x-grpc-web",
    "x-user-agent",
    "grpc-timeout",
    "traceparent",
    "tracestate",
];

/// The response headers every browser client may read: gRPC's status.
const EXPOSED_HEADERS: [&str; 3] = ["grpc-status", "grpc-message", "grpc-status-details-bin"];

pub(crate) fn server(settings: &GatewaySettings) -> Server<Layers> {
    Server::builder()
        // gRPC-web is over HTTP/1.1, so it must be accepted beside HTTP/2.
        .accept_http1(true)
        .layer(metrics_layer())
        .layer(web::layer())
        .layer(cors(settings))
        .layer(GrpcWebLayer::new())
        .layer(GrpcTelemetryLayer::new("gateway"))
        .layer(DeadlineLayer)
}

/// What a gRPC-web client sends and must be able to read back. Names
/// that are not header names were refused by the settings' validation and
/// are left out here.
fn cors(settings: &GatewaySettings) -> CorsLayer {
    let allowed_origins = &settings.cors_allowed_origins;
    let names = |fixed: &'static [&'static str], extra: &[String]| -> Vec<HeaderName> {
        let fixed = fixed.iter().map(|name| HeaderName::from_static(name));
        let extra = extra
            .iter()
            .filter_map(|name| HeaderName::from_bytes(name.as_bytes()).ok());
        fixed.chain(extra).collect()
    };
    let allow_origin = if allowed_origins.is_empty() || allowed_origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(allowed_origins.iter().filter_map(|origin| {
            HeaderValue::from_str(origin)
                .inspect_err(|_| tracing::warn!(origin = %origin.escape_debug(), "ignoring an invalid cors origin"))
                .ok()
        }))
    };
    CorsLayer::new()
        .allow_origin(allow_origin)
        .allow_methods([Method::POST])
        .allow_headers(names(&ALLOWED_HEADERS, &settings.cors_allowed_headers))
        .expose_headers(names(&EXPOSED_HEADERS, &settings.cors_exposed_headers))
        .max_age(PREFLIGHT_MAX_AGE)
}
