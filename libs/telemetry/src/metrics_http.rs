use anyhow::Context;
use axum::{Router, routing::get};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tokio::net::TcpListener;

/// Installs the process-wide Prometheus recorder (once; later calls get the
/// same handle).
pub fn install_recorder() -> anyhow::Result<PrometheusHandle> {
    static HANDLE: std::sync::OnceLock<PrometheusHandle> = std::sync::OnceLock::new();
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
    Ok(HANDLE.get_or_init(|| handle).clone())
}

/// Serves `GET /metrics` in the Prometheus text format until the task is
/// dropped.
pub async fn metrics_endpoint(
    listener: TcpListener,
    handle: PrometheusHandle,
) -> std::io::Result<()> {
    let app = Router::new().route("/metrics", get(move || std::future::ready(handle.render())));
    axum::serve(listener, app).await
}
