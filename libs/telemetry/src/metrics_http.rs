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

/// How often histogram samples are folded into their buckets. The recorder
/// keeps every sample until then, so without this a process that nobody
/// scrapes would grow without bound.
const UPKEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// Serves `GET /metrics` in the Prometheus text format, and keeps the
/// recorder's memory bounded, until the task is dropped.
pub async fn metrics_endpoint(
    listener: TcpListener,
    handle: PrometheusHandle,
) -> std::io::Result<()> {
    let upkeep = handle.clone();
    let _upkeep = AbortOnDrop(tokio::spawn(async move {
        let mut every = tokio::time::interval(UPKEEP_EVERY);
        loop {
            every.tick().await;
            upkeep.run_upkeep();
        }
    }));
    let app = Router::new().route("/metrics", get(move || std::future::ready(handle.render())));
    axum::serve(listener, app).await
}

/// Stops the upkeep when the endpoint stops.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
