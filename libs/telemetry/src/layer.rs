use std::{
    task::{Context, Poll},
    time::Instant,
};

use futures::future::BoxFuture;
use tonic::Code;
use tower::{Layer, Service};
use tracing::{Instrument, field::Empty};
use tracing_opentelemetry::OpenTelemetrySpanExt;

use crate::propagation;

/// Wraps a gRPC server: a span per RPC that continues the caller's trace,
/// and the metrics `grpc_server_requests_total{server,service,method,code}`,
/// `grpc_server_request_duration_seconds{server,service,method}` and
/// `grpc_server_cpu_seconds{server,service,method}` (the CPU its threads
/// spent polling the call until it answered — decoding, the handler, its
/// database client — not the connection's framing, a stream's later
/// messages, nor background work such as relays).
/// `server` names the process part answering (`gateway`, `dealers`…), so
/// that a call the embedded process sees twice, at the gateway and at the
/// service, is counted once for each (the embedded gateway's CPU then
/// includes the service's, which it polls in place).
#[derive(Debug, Clone, Copy)]
pub struct GrpcTelemetryLayer {
    server: &'static str,
}

impl GrpcTelemetryLayer {
    pub fn new(server: &'static str) -> Self {
        Self { server }
    }
}

impl<S> Layer<S> for GrpcTelemetryLayer {
    type Service = GrpcTelemetry<S>;

    fn layer(&self, inner: S) -> Self::Service {
        GrpcTelemetry {
            inner,
            server: self.server,
        }
    }
}

#[derive(Debug, Clone)]
pub struct GrpcTelemetry<S> {
    inner: S,
    server: &'static str,
}

impl<S, B, RB> Service<http::Request<B>> for GrpcTelemetry<S>
where
    S: Service<http::Request<B>, Response = http::Response<RB>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        // Take the service that was polled ready; leave a fresh clone behind.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);

        let path = request.uri().path().to_owned();
        let (service, method) = split_path(&path);
        let (service, method) = (service.to_owned(), method.to_owned());
        let server = self.server;
        let span = tracing::info_span!(
            "rpc",
            server,
            otel.name = %path.trim_start_matches('/'),
            otel.kind = "server",
            rpc.system = "grpc",
            rpc.service = %service,
            rpc.method = %method,
            rpc.grpc.status_code = Empty,
        );
        span.set_parent(propagation::extract(request.headers()))
            .ok();
        let start = Instant::now();
        let future = inner.call(request).instrument(span.clone());
        Box::pin(async move {
            let (response, cpu) = crate::cpu::timed(future).await;
            let code = match &response {
                // A unary RPC that fails answers "trailers only": the status
                // is in the headers. An answer without it is OK.
                Ok(r) => r
                    .headers()
                    .get("grpc-status")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<i32>().ok())
                    .map_or(Code::Ok, Code::from_i32),
                Err(_) => Code::Unavailable,
            };
            span.record("rpc.grpc.status_code", code as i32);
            // Made-up paths would make a label each: fold the calls that
            // never reached a handler into one.
            let (service, method) = if matches!(code, Code::Unimplemented | Code::Unauthenticated) {
                ("unknown".to_owned(), "unknown".to_owned())
            } else {
                (service, method)
            };
            let code = format!("{code:?}");
            metrics::counter!("grpc_server_requests_total", "server" => server, "service" => service.clone(), "method" => method.clone(), "code" => code)
                .increment(1);
            metrics::histogram!("grpc_server_request_duration_seconds", "server" => server, "service" => service.clone(), "method" => method.clone())
                .record(start.elapsed().as_secs_f64());
            metrics::histogram!("grpc_server_cpu_seconds", "server" => server, "service" => service, "method" => method)
                .record(cpu.as_secs_f64());
            response
        })
    }
}

/// `/aftercare.dealers.v1.DealersService/GetStation` → the service and the
/// method.
fn split_path(path: &str) -> (&str, &str) {
    path.trim_start_matches('/')
        .split_once('/')
        .unwrap_or((path, ""))
}
