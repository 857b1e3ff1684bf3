//! The distributed mode: one service per process, PostgreSQL for storage,
//! the gateway in front reaching the services over the network.

use aftercare_auth::token::TokenKeys;
use aftercare_gateway::{Gateway, backend};
use aftercare_serving::serve as serve_routes;
use anyhow::Context;
use tokio::net::TcpListener;
use tonic::transport::Endpoint;

use crate::{
    keys,
    services::{Peers, Service},
    settings::Settings,
    shutdown,
};

/// Runs one service until SIGTERM or Ctrl-C. Its port also answers
/// Prometheus' `GET /metrics`.
pub async fn serve(settings: &Settings, service: Service) -> anyhow::Result<()> {
    service.require_database_url(settings)?;
    let internal = keys::required(&settings.keys.internal_secret, "keys.internal_secret")?;
    if service == Service::Gateway {
        return serve_gateway(settings, internal).await;
    }
    let channel = |url: &String| -> anyhow::Result<_> {
        let endpoint = Endpoint::from_shared(url.clone())
            .with_context(|| format!("backend url {url} is not valid"))?;
        Ok(Some(endpoint.tcp_nodelay(true).connect_lazy()))
    };
    let b = &settings.backends;
    let peers = Peers {
        parts: channel(&b.parts)?,
        surveys: channel(&b.surveys)?,
        dealers: channel(&b.dealers)?,
        costs: channel(&b.costs)?,
        key: internal,
    };
    let wired = service
        .wire(settings, None, &peers, settings.oem.clock())
        .await?;
    let listen = service.listen(settings);
    let listener = TcpListener::bind(listen)
        .await
        .with_context(|| format!("failed to listen on {listen}"))?;
    tracing::info!(service = service.name(), addr = %listen, "serving");
    let served = serve_routes(service.name(), wired.routes, listener, shutdown::signal()).await;
    wired.running.close().await;
    served.context("the server stopped")
}

async fn serve_gateway(
    settings: &Settings,
    internal: aftercare_auth::Secret,
) -> anyhow::Result<()> {
    let token = keys::required(&settings.keys.token_secret, "keys.token_secret")?;
    let remote = |url: &str| -> anyhow::Result<_> {
        let endpoint = Endpoint::from_shared(url.to_owned())
            .with_context(|| format!("backend url {url} is not valid"))?;
        Ok(backend(endpoint.tcp_nodelay(true).connect_lazy()))
    };
    let b = &settings.backends;
    let mut gateway = Gateway::new(settings.gateway.clone(), TokenKeys::new(&token), internal);
    for (service, url) in [
        (Service::Dealers, &b.dealers),
        (Service::Parts, &b.parts),
        (Service::Surveys, &b.surveys),
        (Service::Costs, &b.costs),
    ] {
        gateway = gateway.route(service.package(), remote(url)?);
    }
    let listen = &settings.listen.gateway;
    let listener = TcpListener::bind(listen)
        .await
        .with_context(|| format!("failed to listen on {listen}"))?;
    gateway
        .serve(listener, shutdown::signal())
        .await
        .context("the gateway stopped")
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn a_service_without_its_database_url_refuses_to_start() {
        let dir = tempfile::tempdir().unwrap();
        let key = aftercare_auth::Secret::generate().to_base64();
        let mut settings = Settings {
            data_dir: dir.path().join("aftercare-data"),
            ..Settings::default()
        };
        settings.keys.internal_secret = Some(key.clone());
        settings.keys.token_secret = Some(key);
        for listen in [&mut settings.listen.dealers, &mut settings.listen.parts] {
            *listen = "127.0.0.1:0".into();
        }
        settings.listen.surveys = "127.0.0.1:0".into();
        std::fs::create_dir(&settings.data_dir).unwrap();
        for (service, setting) in [
            (Service::Dealers, "dealers.database_url"),
            (Service::Parts, "parts.database_url"),
            (Service::Surveys, "surveys.database_url"),
        ] {
            // Refused at once; the old fallback served SQLite files until
            // stopped.
            let served = tokio::time::timeout(Duration::from_secs(30), serve(&settings, service));
            let e = served.await.expect("refused at once").unwrap_err();
            let message = format!("{e:#}");
            assert!(message.contains(setting), "{message}");
            assert!(
                message.contains(&format!(
                    "AFTERCARE_{}",
                    setting.to_uppercase().replace('.', "__")
                )),
                "{message}"
            );
        }
        let made = std::fs::read_dir(&settings.data_dir).unwrap().count();
        assert_eq!(made, 0, "no SQLite files were made");
    }
}
