//! A whole system in this process for `aftercare-load bench`: the dealers
//! service on its own port, the gateway on another in front of it, and the
//! bare echo server on a third. Clients and servers share the process, its
//! runtime and its cores, as they share the machine in any single-box
//! benchmark; the ratios between targets are what the figures are for.

use std::{
    future::Future,
    net::SocketAddr,
    time::{Duration, SystemTime},
};

use aftercare_auth::{Secret, ServiceAuth, token::TokenKeys};
use aftercare_db::{Backend, Db, testing};
use aftercare_dealers::{DealersApi, MIGRATOR, Store, demo};
use aftercare_gateway::{Gateway, GatewaySettings, backend};
use aftercare_proto::dealers::v1::{
    GetStationRequest, dealers_service_client::DealersServiceClient,
};
use aftercare_serving::{ServerRoutes, local};
use anyhow::Context;
use prost::Message;
use tempfile::TempDir;
use tokio::{net::TcpListener, sync::watch};
use tonic::transport::Endpoint;

use super::{
    echo,
    scenarios::{Auth, head_office},
};

/// Where the dealers service keeps its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StoreKind {
    /// A SQLite file in a temporary directory, as the embedded mode does.
    Sqlite,
    /// PostgreSQL: `--database-url`, else a fresh database on the server
    /// named by `AFTERCARE_TEST_POSTGRES_URL`.
    Postgres,
}

/// How the gateway reaches the dealers service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// In this process, calling the service directly, as the embedded system does.
    Embedded,
    /// Over loopback TCP to the service's port, as separate processes do.
    Distributed,
}

#[derive(Debug, Clone)]
pub struct SystemSettings {
    pub store: StoreKind,
    pub mode: Mode,
    pub database_url: Option<String>,
    /// The dealers service's pool size (the system's default is 16).
    pub max_db_connections: u32,
}

/// The running system; dropping it stops the servers.
#[derive(Debug)]
pub struct System {
    pub gateway: SocketAddr,
    pub dealers: SocketAddr,
    pub echo: SocketAddr,
    /// A bearer token of the OEM head office, for calls through the gateway.
    pub token: String,
    /// The key the gateway signs principals with, for direct calls.
    pub internal_key: Secret,
    /// The dealers service's database, without credentials.
    pub database: String,
    _stop: watch::Sender<()>,
    _dir: Option<TempDir>,
}

impl System {
    /// Opens and seeds the store, then binds and serves the three servers.
    pub async fn start(settings: &SystemSettings) -> anyhow::Result<Self> {
        let (url, database, dir) = database(settings)?;
        let db = Db::connect(&url, settings.max_db_connections)
            .await
            .with_context(|| format!("failed to connect to {database}"))?;
        db.migrate(&MIGRATOR)
            .await
            .context("failed to migrate the dealers database")?;
        let store = Store::new(db);
        demo::seed(&store)
            .await
            .context("failed to seed the demo network")?;

        let internal_key = Secret::generate();
        let token_keys = TokenKeys::new(&Secret::generate());
        let api = DealersApi::new(store, false);
        let auth = ServiceAuth::new(internal_key.clone());
        let dealers_routes = || async {
            ServerRoutes::new()
                .with_service(api.clone().into_server(auth.clone()))
                .finish()
                .await
                .0
        };

        // Every server stops when the sender, kept in `System`, is dropped.
        let (stop, stopped) = watch::channel(());
        let shutdown = move || {
            let mut stopped = stopped.clone();
            async move {
                let _ = stopped.changed().await;
            }
        };

        let (listener, dealers) = bind().await?;
        spawn_server(
            "dealers",
            aftercare_serving::serve("dealers", dealers_routes().await, listener, shutdown()),
        );

        let backend = match settings.mode {
            Mode::Embedded => backend(local("dealers", dealers_routes().await)),
            Mode::Distributed => backend(
                Endpoint::from_shared(format!("http://{dealers}"))
                    .context("the dealers address is a valid URI")?
                    .tcp_nodelay(true)
                    .connect_lazy(),
            ),
        };
        let gateway_settings = GatewaySettings {
            rate_limit_per_second: 0.0,
            ..GatewaySettings::default()
        };
        gateway_settings.validate()?;
        let (listener, gateway) = bind().await?;
        spawn_server(
            "gateway",
            Gateway::new(gateway_settings, token_keys.clone(), internal_key.clone())
                .route("aftercare.dealers.v1", backend)
                .serve(listener, shutdown()),
        );

        let (listener, echo) = bind().await?;
        spawn_server("echo", echo::serve(listener, shutdown()));

        let token = token_keys.mint(
            &head_office(),
            SystemTime::now(),
            Duration::from_secs(24 * 60 * 60),
        );
        Ok(Self {
            gateway,
            dealers,
            echo,
            token,
            internal_key,
            database,
            _stop: stop,
            _dir: dir,
        })
    }
}

/// The database URL, how to name it in the report, and the temporary
/// directory that holds it (SQLite) and must outlive the run.
fn database(settings: &SystemSettings) -> anyhow::Result<(String, String, Option<TempDir>)> {
    match (settings.store, &settings.database_url) {
        (StoreKind::Sqlite, None) => {
            let dir = tempfile::tempdir().context("failed to make a temporary directory")?;
            let path = dir.path().join("dealers.db");
            let url = format!("sqlite://{}?mode=rwc", path.display());
            Ok((url, format!("SQLite {}", path.display()), Some(dir)))
        }
        (StoreKind::Sqlite, Some(_)) => {
            anyhow::bail!("--database-url is for --store postgres; SQLite uses a temporary file")
        }
        (StoreKind::Postgres, Some(url)) => {
            anyhow::ensure!(
                url.starts_with("postgres:") || url.starts_with("postgresql:"),
                "--database-url must be a postgres:// URL"
            );
            Ok((url.clone(), "PostgreSQL at --database-url".into(), None))
        }
        (StoreKind::Postgres, None) => {
            anyhow::ensure!(
                std::env::var_os(testing::POSTGRES_URL_VAR).is_some(),
                "--store postgres needs --database-url or {} (scripts/bench sets it)",
                testing::POSTGRES_URL_VAR
            );
            let url = testing::fresh_url(Backend::Postgres);
            let name = url.rsplit('/').next().unwrap_or_default().to_owned();
            Ok((url, format!("PostgreSQL, fresh database {name}"), None))
        }
    }
}

async fn bind() -> anyhow::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .context("failed to listen on loopback")?;
    let addr = listener.local_addr().context("the listener's address")?;
    Ok((listener, addr))
}

fn spawn_server(
    name: &'static str,
    serving: impl Future<Output = Result<(), tonic::transport::Error>> + Send + 'static,
) {
    tokio::spawn(async move {
        if let Err(e) = serving.await {
            eprintln!("the {name} server stopped: {e}");
        }
    });
}

impl System {
    /// The encoded size of a station, so that the echo carries as much.
    pub async fn station_size(&self, id: &str) -> anyhow::Result<usize> {
        let channel = Endpoint::from_shared(format!("http://{}", self.dealers))?
            .connect()
            .await
            .context("failed to connect to the dealers service")?;
        let auth = Auth::signed(head_office(), self.internal_key.clone());
        let station = DealersServiceClient::with_interceptor(channel, auth)
            .get_station(GetStationRequest { id: id.to_owned() })
            .await
            .with_context(|| format!("failed to get station {id}"))?;
        Ok(station.get_ref().encoded_len())
    }
}
