//! The tonic server around the gateway's routes: HTTP/1.1 beside HTTP/2 for
//! gRPC-web, CORS for the browser console, telemetry per call.

use std::time::Duration;

use aftercare_telemetry::{GrpcTelemetryLayer, MetricsLayer};
use http::{HeaderName, HeaderValue, Method, header};
use tonic::transport::Server;
use tonic_web::GrpcWebLayer;
use tower::layer::util::{Identity, Stack};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Outermost first: Prometheus' `GET /metrics` is answered before gRPC-web
/// (which refuses plain HTTP/1.1) sees it, CORS answers preflights before
/// anything else sees them, gRPC-web turns browser calls into gRPC, and
/// telemetry then sees every call as plain gRPC.
pub(crate) type Layers =
    Stack<GrpcTelemetryLayer, Stack<GrpcWebLayer, Stack<CorsLayer, Stack<MetricsLayer, Identity>>>>;

/// How long a browser may cache a preflight answer.
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);

pub(crate) fn server(cors_allowed_origins: &[String]) -> Server<Layers> {
    Server::builder()
        // gRPC-web is over HTTP/1.1, so it must be accepted beside HTTP/2.
        .accept_http1(true)
        .layer(MetricsLayer)
        .layer(cors(cors_allowed_origins))
        .layer(GrpcWebLayer::new())
        .layer(GrpcTelemetryLayer::new("gateway"))
}

/// What a gRPC-web client sends and must be able to read back.
fn cors(allowed_origins: &[String]) -> CorsLayer {
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
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            HeaderName::from_static("x-grpc-web"),
            HeaderName::from_static("x-user-agent"),
            HeaderName::from_static("grpc-timeout"),
        ])
        .expose_headers([
            HeaderName::from_static("grpc-status"),
            HeaderName::from_static("grpc-message"),
            HeaderName::from_static("grpc-status-details-bin"),
        ])
        .max_age(PREFLIGHT_MAX_AGE)
}
