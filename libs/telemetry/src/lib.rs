//! Logs, traces and metrics, set up the same way in every process.
//!
//! - [`init`] installs the `tracing` subscriber: text or JSON logs, and an
//!   OpenTelemetry layer exporting by OTLP when an endpoint is configured.
//! - [`GrpcTelemetryLayer`] gives every RPC a span (continuing the caller's
//!   trace) and Prometheus metrics: requests by code, latency histogram.
//! - [`propagation`] carries the trace context across calls in `traceparent`.
//! - [`metrics_layer`] answers Prometheus' `GET /metrics` on every server's
//!   own port, once the process has called [`install_recorder`], through a
//!   [`PlainHttpLayer`] (which the gateway's browser pages use too).

mod cpu;
mod layer;
mod metrics_http;
mod plain_http;
pub mod propagation;
mod setup;

pub use layer::{GrpcTelemetry, GrpcTelemetryLayer};
pub use metrics_http::{METRICS_PATH, install_recorder, metrics_layer};
pub use plain_http::{Answer, PlainHttp, PlainHttpLayer};
pub use setup::{LogFormat, TelemetryGuard, TelemetrySettings, init};
