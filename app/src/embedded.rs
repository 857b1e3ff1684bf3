//! The embedded mode: the gateway and all four services in one process,
//! joined in memory through their real gRPC stacks, on SQLite files in the
//! data directory. Nothing to install.

use std::{future::Future, net::SocketAddr};

use aftercare_auth::{ServiceAuth, token::TokenKeys};
use aftercare_costs::CostsApi;
use aftercare_db::Db;
use aftercare_dealers::{DealersApi, Store};
use aftercare_gateway::{Gateway, backend};
use aftercare_parts::PartsApi;
use aftercare_serving::ServerRoutes;
use aftercare_surveys::SurveysApi;
use anyhow::Context;
use tokio::net::TcpListener;

use crate::{keys, services::Service, settings::Settings};

/// The embedded system, built and bound, not yet serving.
#[derive(Debug)]
pub struct Embedded {
    gateway: Gateway,
    listener: TcpListener,
    metrics: Option<TcpListener>,
    databases: Vec<Db>,
}

impl Embedded {
    /// Opens (and migrates) the data directory, seeds the demo network when
    /// asked and the directory is new, wires the services and binds the
    /// gateway's port.
    pub async fn build(settings: &Settings, demo: bool) -> anyhow::Result<Self> {
        let keys = keys::load_or_create(settings)?;
        let auth = ServiceAuth::new(keys.internal.clone());

        let dealers_db = Service::Dealers
            .open(settings, Some(&settings.sqlite_url("dealers")))
            .await?;
        let dealers_store = Store::new(dealers_db.clone());
        if demo
            && aftercare_dealers::demo::seed(&dealers_store)
                .await
                .context("failed to seed the demo network")?
        {
            tracing::info!("seeded the demo network");
        }
        let dealers = DealersApi::new(dealers_store, settings.dealers.require_vin_check_digit);

        let local = |name: &'static str, routes| backend(aftercare_serving::local(name, routes));
        let gateway = Gateway::new(
            settings.gateway.clone(),
            TokenKeys::new(&keys.token),
            keys.internal,
        )
        .route(
            "aftercare.dealers.v1",
            local(
                "dealers",
                ServerRoutes::new()
                    .with_service(dealers.into_server(auth.clone()))
                    .finish()
                    .await
                    .0,
            ),
        )
        .route(
            "aftercare.parts.v1",
            local(
                "parts",
                ServerRoutes::new()
                    .with_service(PartsApi.into_server(auth.clone()))
                    .finish()
                    .await
                    .0,
            ),
        )
        .route(
            "aftercare.surveys.v1",
            local(
                "surveys",
                ServerRoutes::new()
                    .with_service(SurveysApi.into_server(auth.clone()))
                    .finish()
                    .await
                    .0,
            ),
        )
        .route(
            "aftercare.costs.v1",
            local(
                "costs",
                ServerRoutes::new()
                    .with_service(CostsApi.into_server(auth))
                    .finish()
                    .await
                    .0,
            ),
        );

        let listener = TcpListener::bind(&settings.listen.gateway)
            .await
            .with_context(|| format!("failed to listen on {}", settings.listen.gateway))?;
        let metrics = crate::cli::bind_metrics(&settings.listen.metrics).await?;
        Ok(Self {
            gateway,
            listener,
            metrics,
            databases: vec![dealers_db],
        })
    }

    /// Where the gateway listens.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Where `/metrics` is served, if anywhere.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics.as_ref().and_then(|l| l.local_addr().ok())
    }

    /// Serves until `shutdown` completes, then closes the databases.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send) -> anyhow::Result<()> {
        if let Some(listener) = self.metrics {
            crate::cli::spawn_metrics(listener)?;
        }
        self.gateway
            .serve(self.listener, shutdown)
            .await
            .context("the gateway stopped")?;
        for db in self.databases {
            db.close().await;
        }
        Ok(())
    }
}
