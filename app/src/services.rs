use aftercare_auth::{Secret, ServiceAuth};
use aftercare_costs::CostsApi;
use aftercare_db::Db;
use aftercare_dealers::{
    AuditApi, DealersApi, RepairOrderApi, ServiceStandardApi, Store, events::Deliverer,
    parts::PartsClient,
};
use aftercare_outbox::{Relay, Spawned};
use aftercare_parts::{LabourApi, PartsApi, PriceBoardApi, RequiredStockApi, StockApi};
use aftercare_serving::ServerRoutes;
use aftercare_surveys::{
    boards::{LeagueBoards, MemoryBoards, RedisBoards, RedisBoardsConfig},
    leagues::Leagues,
};
use aftercare_values::OemZone;
use std::sync::Arc;

use anyhow::Context;
use tonic::{service::Routes, transport::Channel};

use crate::settings::Settings;

/// A service ready to serve: its routes, and what runs behind them.
pub(crate) struct Wired {
    pub routes: Routes,
    pub running: Running,
}

/// What a service holds open: its database, the relay delivering its
/// outbox, and the task repairing its league tables.
#[derive(Debug)]
pub(crate) struct Running {
    db: Option<Db>,
    relay: Option<Spawned>,
    repair: Option<tokio::task::JoinHandle<()>>,
}

impl Running {
    /// Stops the relay (finishing the deliveries under way), then closes
    /// the database.
    pub(crate) async fn close(self) {
        if let Some(repair) = self.repair {
            repair.abort();
        }
        if let Some(relay) = self.relay {
            relay.stop().await;
        }
        if let Some(db) = self.db {
            db.close().await;
        }
    }
}

/// What a service needs to call the others: a channel to each, and the
/// internal key its calls are signed with.
#[derive(Debug, Clone)]
pub(crate) struct Peers {
    /// None until the parts service is wired (the embedded mode wires it
    /// first).
    pub parts: Option<Channel>,
    /// None until the surveys service is wired (the embedded mode wires it
    /// before dealers, whose relay delivers to it).
    pub surveys: Option<Channel>,
    pub key: Secret,
}

/// The parts of the system a process can serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Service {
    Gateway,
    Dealers,
    Parts,
    Surveys,
    Costs,
}

impl Service {
    /// In the order they are wired: a service after those it calls.
    pub const WITH_DATABASE: [Service; 4] = [
        Service::Parts,
        Service::Surveys,
        Service::Dealers,
        Service::Costs,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Service::Gateway => "gateway",
            Service::Dealers => "dealers",
            Service::Parts => "parts",
            Service::Surveys => "surveys",
            Service::Costs => "costs",
        }
    }

    /// Its protobuf package, by which the gateway routes.
    pub fn package(self) -> &'static str {
        match self {
            Service::Gateway => "aftercare.gateway",
            Service::Dealers => "aftercare.dealers.v1",
            Service::Parts => "aftercare.parts.v1",
            Service::Surveys => "aftercare.surveys.v1",
            Service::Costs => "aftercare.costs.v1",
        }
    }

    /// The address the service listens on in the distributed mode.
    pub fn listen(self, settings: &Settings) -> &str {
        let l = &settings.listen;
        match self {
            Service::Gateway => &l.gateway,
            Service::Dealers => &l.dealers,
            Service::Parts => &l.parts,
            Service::Surveys => &l.surveys,
            Service::Costs => &l.costs,
        }
    }

    /// The service's routes (with health and reflection), accepting calls
    /// signed with `auth`'s key, on its database (`url`, else as
    /// [`Service::open`] finds it). The same wiring in both modes.
    pub(crate) async fn wire(
        self,
        settings: &Settings,
        auth: ServiceAuth,
        url: Option<&str>,
        peers: &Peers,
    ) -> anyhow::Result<Wired> {
        let mut relay = None;
        let mut repair = None;
        let (routes, db) = match self {
            Service::Dealers => {
                let db = self.open(settings, url).await?;
                let channel = peers
                    .parts
                    .clone()
                    .context("dealers calls parts: wire it first")?;
                let parts = PartsClient::new(channel, peers.key.clone());
                let store = Store::new(db.clone())
                    .with_zone(settings.oem.time_zone.clone())
                    .with_parts(parts.clone())
                    .with_comeback_days(settings.dealers.comeback_window_days);
                let network =
                    DealersApi::new(store.clone(), settings.dealers.require_vin_check_digit);
                let mut deliverer = Deliverer::new(parts);
                if let Some(surveys) = peers.surveys.clone() {
                    deliverer = deliverer.with_surveys(surveys, peers.key.clone());
                }
                relay = Some(Relay::new("dealers", db.clone(), deliverer).spawn());
                (
                    ServerRoutes::new()
                        .with_service(network.into_server(auth.clone()))
                        .with_service(AuditApi::new(store.clone()).into_server(auth.clone()))
                        .with_service(
                            ServiceStandardApi::new(store.clone()).into_server(auth.clone()),
                        )
                        .with_service(RepairOrderApi::new(store).into_server(auth)),
                    Some(db),
                )
            }
            Service::Parts => {
                let db = self.open(settings, url).await?;
                // The services of one package on one store: the gateway
                // routes them all by the package.
                let store = aftercare_parts::Store::new(db.clone())
                    .with_zone(settings.oem.time_zone.clone())
                    .with_availability_owners_shown(settings.parts.show_availability_owners);
                (
                    ServerRoutes::new()
                        .with_service(PartsApi::new(store.clone()).into_server(auth.clone()))
                        .with_service(LabourApi::new(store.clone()).into_server(auth.clone()))
                        .with_service(StockApi::new(store.clone()).into_server(auth.clone()))
                        .with_service(
                            RequiredStockApi::new(store.clone()).into_server(auth.clone()),
                        )
                        .with_service(PriceBoardApi::new(store).into_server(auth)),
                    Some(db),
                )
            }
            Service::Surveys => {
                let db = self.open(settings, url).await?;
                let store = aftercare_surveys::Store::new(db.clone())
                    .with_rules(settings.surveys.rules(&settings.oem.time_zone));
                // Low-score alerts wait in the outbox until complaints
                // receives them.
                relay = Some(
                    Relay::new("surveys", db.clone(), aftercare_surveys::events::Deliverer).spawn(),
                );
                let leagues = Arc::new(league_tables(settings, store.clone()).await?);
                repair = Some(leagues.spawn_repair());
                (aftercare_surveys::routes(&store, &leagues, &auth), Some(db))
            }
            Service::Costs => (
                ServerRoutes::new().with_service(CostsApi.into_server(auth)),
                None,
            ),
            Service::Gateway => anyhow::bail!("the gateway is not a service behind itself"),
        };
        let (routes, _health) = routes.finish().await;
        Ok(Wired {
            routes,
            running: Running { db, relay, repair },
        })
    }

    /// Brings the service's schema up to date, for those that have tables
    /// yet, with what is derived by the days of the OEM's time `zone`.
    async fn migrate(self, db: &Db, zone: &OemZone) -> anyhow::Result<()> {
        match self {
            Service::Dealers => Store::migrate(db, zone).await,
            Service::Parts => Ok(db.migrate(&aftercare_parts::MIGRATOR).await?),
            Service::Surveys => aftercare_surveys::Store::migrate(db).await,
            _ => Ok(()),
        }
    }

    /// The service's `database_url` setting and pool size.
    fn database(self, settings: &Settings) -> anyhow::Result<(&Option<String>, u32)> {
        Ok(match self {
            Service::Dealers => (
                &settings.dealers.database_url,
                settings.dealers.max_connections,
            ),
            Service::Parts => (&settings.parts.database_url, settings.parts.max_connections),
            Service::Surveys => (
                &settings.surveys.database_url,
                settings.surveys.max_connections,
            ),
            Service::Costs => (&settings.costs.database_url, settings.costs.max_connections),
            Service::Gateway => anyhow::bail!("the gateway has no database"),
        })
    }

    /// Refuses to serve a service that keeps data with no `database_url`:
    /// the distributed mode never falls back to SQLite files in the working
    /// directory, where each replica would keep a network of its own.
    pub(crate) fn require_database_url(self, settings: &Settings) -> anyhow::Result<()> {
        // The gateway and costs keep nothing (yet).
        if matches!(self, Service::Gateway | Service::Costs) || self.database(settings)?.0.is_some()
        {
            return Ok(());
        }
        let name = self.name();
        anyhow::bail!(
            "{name}.database_url is not set (environment: AFTERCARE_{}__DATABASE_URL): \
             `aftercare serve {name}` needs its PostgreSQL database, e.g. postgres://host/{name}",
            name.to_uppercase()
        )
    }

    /// Connects to the service's database — `url`, else its
    /// `database_url` setting, else its SQLite file in the data directory —
    /// and brings the schema up to date.
    pub async fn open(self, settings: &Settings, url: Option<&str>) -> anyhow::Result<Db> {
        let name = self.name();
        let (configured, max) = self.database(settings)?;
        let url = url
            .map(str::to_owned)
            .or_else(|| configured.clone())
            .unwrap_or_else(|| settings.sqlite_url(name));
        let db = Db::connect(&url, max)
            .await
            .with_context(|| format!("failed to connect to the {name} database"))?;
        self.migrate(&db, &settings.oem.time_zone)
            .await
            .with_context(|| format!("failed to migrate the {name} database"))?;
        Ok(db)
    }
}

/// The league tables' store: Redis sorted sets when `surveys.redis_url` is
/// set (the distributed mode), else in process.
pub(crate) fn league_boards(settings: &Settings) -> anyhow::Result<Arc<dyn LeagueBoards>> {
    Ok(match &settings.surveys.redis_url {
        Some(url) => Arc::new(
            RedisBoards::new(RedisBoardsConfig {
                key_prefix: settings.surveys.redis_key_prefix.clone(),
                ..RedisBoardsConfig::new(url.clone())
            })
            .context("invalid surveys.redis_url or surveys.redis_key_prefix")?,
        ),
        None => Arc::new(MemoryBoards::new()),
    })
}

/// The league tables of the surveys service. Periods with responses and no
/// tables (all of them in process, which starts empty) are marked stale, and
/// the repair task builds them (reads answer from the database meanwhile).
pub(crate) async fn league_tables(
    settings: &Settings,
    store: aftercare_surveys::Store,
) -> anyhow::Result<Leagues> {
    let leagues = Leagues::new(
        store,
        league_boards(settings)?,
        settings.surveys.league_options(),
    );
    leagues
        .mark_unbuilt()
        .await
        .context("failed to list the periods of the league tables")?;
    Ok(leagues)
}
