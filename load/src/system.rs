//! A whole system in this process for `aftercare-load`: the dealers, parts
//! and surveys services each on its own port and database, the gateway on another
//! port in front of them, and the bare echo server on one more. Dealers is
//! wired as the app wires it: its store reserves through a parts client (over
//! TCP to the parts port in the distributed mode, in this process in the
//! embedded one) and its outbox relay delivers to parts (and, when told where
//! costs will listen, delivered ROs to surveys and costs). Surveys is wired
//! as the distributed app wires it: its store, its outbox relay, and its
//! league tables on Redis boards (`redis_url`, under a key prefix of its
//! own per run; in process without one) with the repair task, its
//! complaints' escalation sweep, and its peers: dealers and parts (and costs
//! when told where it listens) over loopback TCP in both modes, so that
//! complaints read ROs and the scorecard its parts. Parts and dealers can be
//! stopped alone ([`System::stop`]), their listeners gone. Clients and
//! servers share the process, its runtime and its cores, as they share the
//! machine in any single-box benchmark; the ratios between targets are what
//! the figures are for.

use std::{
    collections::BTreeMap,
    future::Future,
    net::SocketAddr,
    str::FromStr,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use aftercare_auth::{Principal, Secret, token::TokenKeys};
use aftercare_db::{
    Backend, Db,
    sqlx::{self, AnyConnection, ConnectOptions, Connection, any::AnyConnectOptions},
    testing,
};
use aftercare_dealers::{Dealers, DealersSettings, demo};
use aftercare_gateway::{Gateway, GatewaySettings, backend};
use aftercare_outbox::Spawned;
use aftercare_parts::{Parts, PartsSettings};
use aftercare_proto::dealers::v1::{
    GetStationRequest, dealers_service_client::DealersServiceClient,
};
use aftercare_serving::{Running, in_process, local};
use aftercare_surveys::{Surveys, SurveysSettings};
use anyhow::Context;
use prost::Message;
use tempfile::TempDir;
use tokio::{net::TcpListener, sync::watch};
use tonic::{
    service::Routes,
    transport::{Channel, Endpoint},
};

use crate::{
    echo,
    scenarios::{Auth, head_office},
};

/// Where the services keep their data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum StoreKind {
    /// A SQLite file in a temporary directory, as the embedded mode does.
    Sqlite,
    /// PostgreSQL: `--database-url`, else a fresh database on the server
    /// named by `AFTERCARE_TEST_POSTGRES_URL`.
    Postgres,
}

/// How the gateway reaches the services.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Mode {
    /// In this process, calling the services directly, as the embedded system does.
    Embedded,
    /// Over loopback TCP to each service's port, as separate processes do.
    Distributed,
}

#[derive(Debug, Clone)]
pub(crate) struct SystemSettings {
    pub(crate) store: StoreKind,
    pub(crate) mode: Mode,
    /// The dealers service's database; the parts service's is its sibling
    /// named with `_parts` after it.
    pub(crate) database_url: Option<String>,
    /// Each service's pool size (the system's default is 16).
    pub(crate) max_db_connections: u32,
    /// The surveys league tables' Redis (`redis://host:port`), as the
    /// distributed app's `surveys.redis_url`; in process without one.
    pub(crate) redis_url: Option<String>,
    /// Where the costs service listens (over loopback TCP, started apart):
    /// when given, the dealers relay delivers delivered ROs to surveys and
    /// to costs there, as the app wires it; without, they wait in the
    /// outbox.
    pub(crate) costs: Option<SocketAddr>,
}

/// The running system; dropping it stops the servers.
#[derive(Debug)]
pub(crate) struct System {
    pub(crate) gateway: SocketAddr,
    pub(crate) dealers: SocketAddr,
    pub(crate) parts: SocketAddr,
    pub(crate) surveys: SocketAddr,
    pub(crate) echo: SocketAddr,
    /// A bearer token of the OEM head office, for calls through the gateway.
    pub(crate) token: String,
    /// The key the gateway signs principals with, for direct calls.
    pub(crate) internal_key: Secret,
    /// The dealers service's database, without credentials.
    pub(crate) database: String,
    /// The parts service's database, without credentials.
    pub(crate) parts_database: String,
    /// Its URL, with any credentials: for [`System::parts_connection`].
    parts_url: String,
    /// The surveys service's database, without credentials.
    pub(crate) surveys_database: String,
    /// Its URL: for [`System::surveys_connection`].
    surveys_url: String,
    /// Where the league tables live, for the report.
    pub(crate) league_boards: String,
    /// The surveys outbox relay (low-score alerts) and league repair task,
    /// stopped with the system.
    _surveys: Running,
    /// The dealers database's URL: for [`System::dealers_connection`].
    dealers_url: String,
    /// The dealers store, for maintenance a seed calls for.
    pub(crate) dealers_store: aftercare_dealers::Store,
    token_keys: TokenKeys,
    /// The dealers outbox relay, stopped and started again by
    /// [`System::stop_relay`] and [`System::start_relay`].
    relay: OutboxRelay,
    /// Each server's stop: dropping one stops that server.
    stops: BTreeMap<&'static str, watch::Sender<()>>,
    /// The servers [`System::restart`] serves again, at their addresses.
    restartable: BTreeMap<&'static str, (SocketAddr, Routes)>,
    _dir: Option<TempDir>,
}

impl System {
    /// Opens and seeds the stores, then binds and serves the servers.
    pub(crate) async fn start(settings: &SystemSettings) -> anyhow::Result<Self> {
        let databases = databases(settings)?;
        let max = settings.max_db_connections;
        let dealers_db = open(&databases.dealers, max, &aftercare_dealers::MIGRATOR).await?;
        aftercare_outbox::migrate(&dealers_db)
            .await
            .with_context(|| {
                format!(
                    "failed to migrate the outbox of {}",
                    databases.dealers.label
                )
            })?;
        let parts_db = open(&databases.parts, max, &aftercare_parts::MIGRATOR).await?;

        let internal_key = Secret::generate();
        let token_keys = TokenKeys::new(&Secret::generate());
        // Parts as the app wires it.
        let parts_routes = Parts::new(&PartsSettings::default(), parts_db, internal_key.clone())
            .build()
            .await
            .routes;

        // Surveys as the app wires it, with the league tables on Redis
        // under a prefix of this run's.
        let surveys_db = open(&databases.surveys, max, &aftercare_surveys::MIGRATOR).await?;
        aftercare_outbox::migrate(&surveys_db)
            .await
            .with_context(|| {
                format!(
                    "failed to migrate the outbox of {}",
                    databases.surveys.label
                )
            })?;
        let prefix = run_prefix();
        let league_boards = match &settings.redis_url {
            Some(url) => format!("Redis at {url}, keys {prefix}*"),
            None => "in process".into(),
        };
        let surveys_settings = SurveysSettings {
            redis_url: settings.redis_url.clone(),
            redis_key_prefix: prefix,
            ..SurveysSettings::default()
        };
        // Listening before surveys is built, which reaches them.
        let (parts_listener, parts) = bind().await?;
        let (dealers_listener, dealers_addr) = bind().await?;
        let mut surveys = Surveys::new(&surveys_settings, surveys_db, internal_key.clone())
            .with_dealers(peer(dealers_addr)?)
            .with_parts(peer(parts)?);
        if let Some(costs) = settings.costs {
            surveys = surveys.with_costs(peer(costs)?);
        }
        let surveys = surveys.build().await?;

        // Each server stops when its sender, kept in `System`, is dropped.
        let mut stops = BTreeMap::new();
        let mut shutdown = |name: &'static str| {
            let (stop, mut stopped) = watch::channel(());
            stops.insert(name, stop);
            async move {
                let _ = stopped.changed().await;
            }
        };

        // Parts first: dealers calls it, as the app wires them.
        let listener = parts_listener;
        spawn_server(
            "parts",
            aftercare_serving::serve("parts", parts_routes.clone(), listener, shutdown("parts")),
        );
        let (listener, surveys_addr) = bind().await?;
        spawn_server(
            "surveys",
            aftercare_serving::serve(
                "surveys",
                surveys.routes.clone(),
                listener,
                shutdown("surveys"),
            ),
        );
        let parts_channel = match settings.mode {
            Mode::Embedded => in_process("parts", parts_routes.clone()),
            Mode::Distributed => peer(parts)?,
        };
        // Dealers as the app wires it, its relay run apart so that a run
        // can stop it and start it again.
        let mut dealers = Dealers::new(
            &DealersSettings::default(),
            dealers_db,
            internal_key.clone(),
        )
        .with_parts(parts_channel)
        .without_relay();
        if let Some(costs) = settings.costs {
            let surveys_channel = match settings.mode {
                Mode::Embedded => in_process("surveys", surveys.routes.clone()),
                Mode::Distributed => peer(surveys_addr)?,
            };
            dealers = dealers
                .with_surveys(surveys_channel)
                .with_costs(peer(costs)?);
        }
        let dealers_store = dealers.store().clone();
        demo::seed(&dealers_store)
            .await
            .context("failed to seed the demo network")?;
        let mut relay = OutboxRelay {
            dealers: dealers.clone(),
            running: None,
        };
        let dealers_routes = dealers.build().await.routes;
        spawn_server(
            "dealers",
            aftercare_serving::serve(
                "dealers",
                dealers_routes.clone(),
                dealers_listener,
                shutdown("dealers"),
            ),
        );
        relay.start();

        let gateway_settings = GatewaySettings {
            rate_limit_per_second: 0.0,
            ..GatewaySettings::default()
        };
        gateway_settings.validate()?;
        let gateway_server =
            Gateway::new(gateway_settings, token_keys.clone(), internal_key.clone())
                .route(
                    "aftercare.dealers.v1",
                    route(
                        settings.mode,
                        "dealers",
                        dealers_addr,
                        dealers_routes.clone(),
                    )?,
                )
                .route(
                    "aftercare.parts.v1",
                    route(settings.mode, "parts", parts, parts_routes.clone())?,
                )
                .route(
                    "aftercare.surveys.v1",
                    route(settings.mode, "surveys", surveys_addr, surveys.routes)?,
                );
        let (listener, gateway) = bind().await?;
        spawn_server(
            "gateway",
            gateway_server.serve(listener, shutdown("gateway")),
        );

        let (listener, echo) = bind().await?;
        spawn_server("echo", echo::serve(listener, shutdown("echo")));

        let token = mint(&token_keys, &head_office());
        Ok(Self {
            gateway,
            dealers: dealers_addr,
            parts,
            surveys: surveys_addr,
            echo,
            token,
            internal_key,
            dealers_url: databases.dealers.url,
            dealers_store,
            database: databases.dealers.label,
            parts_database: databases.parts.label,
            parts_url: databases.parts.url,
            surveys_database: databases.surveys.label,
            surveys_url: databases.surveys.url,
            league_boards,
            _surveys: surveys.running,
            token_keys,
            relay,
            stops,
            restartable: BTreeMap::from([
                ("parts", (parts, parts_routes)),
                ("dealers", (dealers_addr, dealers_routes)),
            ]),
            _dir: databases.dir,
        })
    }

    /// A bearer token of `principal`, for calls through the gateway.
    pub(crate) fn token_for(&self, principal: &Principal) -> String {
        mint(&self.token_keys, principal)
    }

    /// A connection of its own to the parts database, for seeding what
    /// would take too long through the API. Its statements are meant to be
    /// slow: sqlx does not log them.
    pub(crate) async fn parts_connection(&self) -> anyhow::Result<AnyConnection> {
        connection(&self.parts_url, &self.parts_database).await
    }

    /// A connection of its own to the surveys database, for seeding its
    /// aggregates. Its statements are meant to be slow: sqlx does not log
    /// them.
    pub(crate) async fn surveys_connection(&self) -> anyhow::Result<AnyConnection> {
        connection(&self.surveys_url, &self.surveys_database).await
    }

    /// A connection of its own to the dealers database, outside the
    /// service's pool: for reading the outbox after a run.
    pub(crate) async fn dealers_connection(&self) -> anyhow::Result<AnyConnection> {
        connection(&self.dealers_url, &self.database).await
    }

    /// A pool of its own on the dealers database, outside the service's:
    /// for counting what waits in the outbox while the relay runs.
    pub(crate) async fn dealers_outbox(&self) -> anyhow::Result<Db> {
        Db::connect(&self.dealers_url, 1)
            .await
            .with_context(|| format!("failed to connect to {}", self.database))
    }

    /// Stops the dealers outbox relay, letting it finish the delivery under
    /// way: events then wait in the outbox, as with the relay's process
    /// gone.
    pub(crate) async fn stop_relay(&mut self) {
        self.relay.stop().await;
    }

    /// Starts the dealers outbox relay again (it runs from the start).
    pub(crate) fn start_relay(&mut self) {
        self.relay.start();
    }

    /// Stops the server `name` (`parts`, `dealers`, …) alone, as with its
    /// process gone: it takes no new connection and closes those it has
    /// once their calls end. Its address is free again once it has.
    pub(crate) fn stop(&mut self, name: &str) {
        self.stops.remove(name);
    }

    /// Serves `parts` or `dealers` again at its address, on the same
    /// store, after [`System::stop`].
    pub(crate) async fn restart(&mut self, name: &str) -> anyhow::Result<()> {
        let (&name, (addr, routes)) = self
            .restartable
            .get_key_value(name)
            .with_context(|| format!("{name} cannot be started again"))?;
        let listener = TcpListener::bind(*addr)
            .await
            .with_context(|| format!("failed to listen on {addr} again, {name}'s address"))?;
        let (stop, mut stopped) = watch::channel(());
        self.stops.insert(name, stop);
        spawn_server(
            name,
            aftercare_serving::serve(name, routes.clone(), listener, async move {
                let _ = stopped.changed().await;
            }),
        );
        Ok(())
    }

    /// A pool of its own on the surveys database, outside the service's:
    /// for counting what waits in its outbox while its relay runs.
    pub(crate) async fn surveys_outbox(&self) -> anyhow::Result<Db> {
        Db::connect(&self.surveys_url, 1)
            .await
            .with_context(|| format!("failed to connect to {}", self.surveys_database))
    }
}

/// A connection of its own to `url`, without sqlx's statement logging.
async fn connection(url: &str, label: &str) -> anyhow::Result<AnyConnection> {
    let options = AnyConnectOptions::from_str(url)
        .with_context(|| format!("the URL of {label}"))?
        .disable_statement_logging();
    AnyConnection::connect_with(&options)
        .await
        .with_context(|| format!("failed to connect to {label}"))
}

/// A key prefix of this run's own, so that runs on one Redis do not see
/// each other's tables.
fn run_prefix() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("aftercare-load:{}-{nanos:x}:league:", std::process::id())
}

/// The dealers service's outbox relay, as the dealers service builds it.
#[derive(Debug)]
struct OutboxRelay {
    dealers: Dealers,
    running: Option<Spawned>,
}

impl OutboxRelay {
    fn start(&mut self) {
        if self.running.is_some() {
            return;
        }
        // Dropped with the system, it stops too.
        self.running = self.dealers.relay().map(|relay| relay.spawn());
    }

    async fn stop(&mut self) {
        if let Some(relay) = self.running.take() {
            relay.stop().await;
        }
    }
}

fn mint(keys: &TokenKeys, principal: &Principal) -> String {
    keys.mint(
        principal,
        SystemTime::now(),
        Duration::from_secs(24 * 60 * 60),
    )
}

/// How the gateway reaches a service: its handlers in this process, or
/// its port over one loopback connection.
fn route(
    mode: Mode,
    name: &'static str,
    addr: SocketAddr,
    routes: Routes,
) -> anyhow::Result<aftercare_gateway::Backend> {
    Ok(match mode {
        Mode::Embedded => backend(local(name, routes)),
        Mode::Distributed => backend(peer(addr)?),
    })
}

/// One loopback connection to a server's port, made at the first call, as
/// the distributed app reaches its peers.
pub(crate) fn peer(addr: SocketAddr) -> anyhow::Result<Channel> {
    Ok(Endpoint::from_shared(format!("http://{addr}"))
        .with_context(|| format!("{addr} makes a valid URI"))?
        .tcp_nodelay(true)
        .connect_lazy())
}

/// A service's database: where, and how the report names it.
struct Database {
    url: String,
    /// Without credentials.
    label: String,
}

/// The services' databases, and the temporary directory that holds them
/// (SQLite) and must outlive the run.
struct Databases {
    dealers: Database,
    parts: Database,
    surveys: Database,
    dir: Option<TempDir>,
}

async fn open(
    database: &Database,
    max_connections: u32,
    migrator: &sqlx::migrate::Migrator,
) -> anyhow::Result<Db> {
    open_url(&database.url, &database.label, max_connections, migrator).await
}

/// The database at `url` (named `label` in errors), migrated.
pub(crate) async fn open_url(
    url: &str,
    label: &str,
    max_connections: u32,
    migrator: &sqlx::migrate::Migrator,
) -> anyhow::Result<Db> {
    let db = Db::connect(url, max_connections)
        .await
        .with_context(|| format!("failed to connect to {label}"))?;
    db.migrate(migrator)
        .await
        .with_context(|| format!("failed to migrate {label}"))?;
    Ok(db)
}

fn databases(settings: &SystemSettings) -> anyhow::Result<Databases> {
    match (settings.store, &settings.database_url) {
        (StoreKind::Sqlite, None) => {
            let dir = tempfile::tempdir().context("failed to make a temporary directory")?;
            let file = |name: &str| {
                let path = dir.path().join(format!("{name}.db"));
                Database {
                    url: format!("sqlite://{}?mode=rwc", path.display()),
                    label: format!("SQLite {}", path.display()),
                }
            };
            Ok(Databases {
                dealers: file("dealers"),
                parts: file("parts"),
                surveys: file("surveys"),
                dir: Some(dir),
            })
        }
        (StoreKind::Sqlite, Some(_)) => {
            anyhow::bail!("--database-url is for --store postgres; SQLite uses a temporary file")
        }
        (StoreKind::Postgres, Some(url)) => {
            anyhow::ensure!(
                url.starts_with("postgres:") || url.starts_with("postgresql:"),
                "--database-url must be a postgres:// URL"
            );
            // Each service migrates its own database: the parts one is the
            // sibling named after the given one.
            let (base, query) = match url.split_once('?') {
                Some((base, query)) => (base, format!("?{query}")),
                None => (url.as_str(), String::new()),
            };
            Ok(Databases {
                dealers: Database {
                    url: url.clone(),
                    label: "PostgreSQL at --database-url".into(),
                },
                parts: Database {
                    url: format!("{base}_parts{query}"),
                    label: "PostgreSQL at --database-url, with _parts".into(),
                },
                surveys: Database {
                    url: format!("{base}_surveys{query}"),
                    label: "PostgreSQL at --database-url, with _surveys".into(),
                },
                dir: None,
            })
        }
        (StoreKind::Postgres, None) => {
            anyhow::ensure!(
                std::env::var_os(testing::POSTGRES_URL_VAR).is_some(),
                "--store postgres needs --database-url or {} (scripts/bench sets it)",
                testing::POSTGRES_URL_VAR
            );
            let fresh = || {
                let url = testing::fresh_url(Backend::Postgres);
                let name = url.rsplit('/').next().unwrap_or_default().to_owned();
                Database {
                    url,
                    label: format!("PostgreSQL, fresh database {name}"),
                }
            };
            Ok(Databases {
                dealers: fresh(),
                parts: fresh(),
                surveys: fresh(),
                dir: None,
            })
        }
    }
}

pub(crate) async fn bind() -> anyhow::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .context("failed to listen on loopback")?;
    let addr = listener.local_addr().context("the listener's address")?;
    Ok((listener, addr))
}

pub(crate) fn spawn_server(
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
    pub(crate) async fn station_size(&self, id: &str) -> anyhow::Result<usize> {
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
