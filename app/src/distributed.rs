//! The distributed mode: one service per process, PostgreSQL for storage,
//! the gateway in front reaching the services over the network.

use aftercare_auth::{ServiceAuth, token::TokenKeys};
use aftercare_costs::CostsApi;
use aftercare_dealers::{DealersApi, Store};
use aftercare_gateway::{Gateway, backend};
use aftercare_parts::PartsApi;
use aftercare_serving::{ServerRoutes, serve as serve_routes};
use aftercare_surveys::SurveysApi;
use anyhow::Context;
use tokio::net::TcpListener;
use tonic::transport::Endpoint;

use crate::{keys, services::Service, settings::Settings, shutdown};

/// Runs one service until SIGTERM or Ctrl-C.
pub async fn serve(settings: &Settings, service: Service) -> anyhow::Result<()> {
    if let Some(listener) = crate::cli::bind_metrics(&settings.listen.metrics).await? {
        crate::cli::spawn_metrics(listener)?;
    }
    let internal = keys::required(&settings.keys.internal_secret, "keys.internal_secret")?;
    let auth = ServiceAuth::new(internal.clone());
    let (listen, routes) = match service {
        Service::Gateway => return serve_gateway(settings, internal).await,
        Service::Dealers => {
            let db = Service::Dealers.open(settings, None).await?;
            let api = DealersApi::new(Store::new(db), settings.dealers.require_vin_check_digit);
            (
                &settings.listen.dealers,
                ServerRoutes::new().with_service(api.into_server(auth)),
            )
        }
        Service::Parts => (
            &settings.listen.parts,
            ServerRoutes::new().with_service(PartsApi.into_server(auth)),
        ),
        Service::Surveys => (
            &settings.listen.surveys,
            ServerRoutes::new().with_service(SurveysApi.into_server(auth)),
        ),
        Service::Costs => (
            &settings.listen.costs,
            ServerRoutes::new().with_service(CostsApi.into_server(auth)),
        ),
    };
    let listener = TcpListener::bind(listen)
        .await
        .with_context(|| format!("failed to listen on {listen}"))?;
    tracing::info!(service = service.name(), addr = %listen, "serving");
    let (routes, _health) = routes.finish().await;
    serve_routes(service.name(), routes, listener, shutdown::signal())
        .await
        .context("the server stopped")
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
    let gateway = Gateway::new(settings.gateway.clone(), TokenKeys::new(&token), internal)
        .route("aftercare.dealers.v1", remote(&b.dealers)?)
        .route("aftercare.parts.v1", remote(&b.parts)?)
        .route("aftercare.surveys.v1", remote(&b.surveys)?)
        .route("aftercare.costs.v1", remote(&b.costs)?);
    let listen = &settings.listen.gateway;
    let listener = TcpListener::bind(listen)
        .await
        .with_context(|| format!("failed to listen on {listen}"))?;
    gateway
        .serve(listener, shutdown::signal())
        .await
        .context("the gateway stopped")
}
