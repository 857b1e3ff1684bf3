//! Prometheus `/metrics` on every server's own port: a layer in front of
//! the server answers `GET /metrics` (HTTP/1.1, as Prometheus scrapes) and
//! passes everything else on. No second port per process means nothing to
//! configure, and nothing to collide on when several processes share a host.

use anyhow::Context as _;
use axum::body::Body;
use http::{Method, Response, StatusCode, header};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use crate::PlainHttpLayer;

/// Where every server answers with its process's metrics.
pub const METRICS_PATH: &str = "/metrics";

static HANDLE: std::sync::OnceLock<PrometheusHandle> = std::sync::OnceLock::new();

/// How often histogram samples are folded into their buckets. The recorder
/// keeps every sample until then, so without this a process that nobody
/// scrapes would grow without bound.
const UPKEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// Installs the process-wide Prometheus recorder (once; later calls get the
/// same handle), with a thread that keeps its memory bounded. Until a
/// process installs it, metrics are not recorded and `/metrics` answers
/// 404.
pub fn install_recorder() -> anyhow::Result<PrometheusHandle> {
    if let Some(handle) = HANDLE.get() {
        return Ok(handle.clone());
    }
    let handle = PrometheusBuilder::new()
        .set_buckets(&[
            0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
            5.0, 10.0,
        ])
        .context("histogram buckets")?
        .install_recorder()
        .context("failed to install the metrics recorder")?;
    let upkeep = handle.clone();
    std::thread::Builder::new()
        .name("metrics-upkeep".into())
        .spawn(move || {
            loop {
                std::thread::sleep(UPKEEP_EVERY);
                upkeep.run_upkeep();
            }
        })
        .context("failed to start the metrics upkeep")?;
    Ok(HANDLE.get_or_init(|| handle).clone())
}

/// Answers `GET /metrics` in the Prometheus text format in front of a
/// server; put it outermost (before gRPC-web, which refuses plain HTTP/1.1)
/// and let the server accept HTTP/1.1.
pub const fn metrics_layer() -> PlainHttpLayer {
    PlainHttpLayer::new(|request| {
        (request.method == Method::GET && request.uri.path() == METRICS_PATH).then(scrape)
    })
}

fn scrape() -> Response<Body> {
    let (status, text) = match HANDLE.get() {
        Some(handle) => (StatusCode::OK, handle.render()),
        None => (StatusCode::NOT_FOUND, "no metrics recorded here\n".into()),
    };
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/plain; version=0.0.4"),
    );
    response
}
