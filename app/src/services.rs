use aftercare_auth::Secret;
use aftercare_costs::Costs;
use aftercare_db::{Db, timestamp::Clock};
use aftercare_dealers::Dealers;
use aftercare_parts::Parts;
use aftercare_serving::Built;
use aftercare_surveys::Surveys;
use aftercare_values::OemZone;

use anyhow::Context;
use tonic::transport::Channel;

use crate::settings::Settings;

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
    /// Dealers (read by costs' claim checks and surveys' complaints and
    /// scorecard) and costs (which dealers' relay delivers to, and surveys
    /// reads and tells of compensation) are called by services wired before
    /// them: the embedded mode makes both channels before it wires any.
    pub dealers: Option<Channel>,
    pub costs: Option<Channel>,
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

    /// The service built by its crate (routes with health and reflection,
    /// and what runs behind them), accepting calls signed with `peers.key`,
    /// on its database (`url`, else as [`Service::open`] finds it), which
    /// closes last; surveys judges complaints' deadlines and plans' checks,
    /// and dealers stamps repair orders and appointments, by `clock` (the
    /// system's, but for the demo's rewound days). The same
    /// wiring in both modes.
    pub(crate) async fn wire(
        self,
        settings: &Settings,
        url: Option<&str>,
        peers: &Peers,
        clock: Clock,
    ) -> anyhow::Result<Built> {
        let key = peers.key.clone();
        let zone = settings.oem.time_zone.clone();
        let db = match self {
            Service::Gateway => anyhow::bail!("the gateway is not a service behind itself"),
            _ => self.open(settings, url).await?,
        };
        let on = db.clone();
        let built = match self {
            Service::Dealers => {
                let parts = peers
                    .parts
                    .clone()
                    .context("dealers calls parts: wire it first")?;
                let mut dealers = Dealers::new(&settings.dealers, on, key)
                    .with_zone(zone)
                    .with_clock(clock)
                    .with_parts(parts);
                if let Some(surveys) = peers.surveys.clone() {
                    dealers = dealers.with_surveys(surveys);
                }
                if let Some(costs) = peers.costs.clone() {
                    dealers = dealers.with_costs(costs);
                }
                dealers.build().await
            }
            Service::Parts => {
                Parts::new(&settings.parts, on, key)
                    .with_zone(zone)
                    .build()
                    .await
            }
            Service::Surveys => {
                let mut surveys = Surveys::new(&settings.surveys, on, key)
                    .with_zone(zone)
                    .with_clock(clock);
                if let Some(parts) = peers.parts.clone() {
                    surveys = surveys.with_parts(parts);
                }
                if let Some(dealers) = peers.dealers.clone() {
                    surveys = surveys.with_dealers(dealers);
                }
                if let Some(costs) = peers.costs.clone() {
                    surveys = surveys.with_costs(costs);
                }
                surveys.build().await?.without_handle()
            }
            Service::Costs => {
                let mut costs = Costs::new(&settings.costs, on, key)?.with_zone(zone);
                if let Some(parts) = peers.parts.clone() {
                    costs = costs.with_parts(parts);
                }
                if let Some(dealers) = peers.dealers.clone() {
                    costs = costs.with_dealers(dealers);
                }
                costs.build().await
            }
            Service::Gateway => unreachable!("returned above"),
        };
        Ok(Built {
            running: built.running.with_closing(async move { db.close().await }),
            ..built
        })
    }

    /// Brings the service's schema up to date, for those that have tables
    /// yet, with what is derived by the days of the OEM's time `zone`.
    async fn migrate(self, db: &Db, zone: &OemZone) -> anyhow::Result<()> {
        match self {
            Service::Dealers => aftercare_dealers::Store::migrate(db, zone).await,
            Service::Parts => Ok(db.migrate(&aftercare_parts::MIGRATOR).await?),
            Service::Surveys => Surveys::migrate(db).await,
            Service::Costs => Costs::migrate(db).await,
            Service::Gateway => Ok(()),
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
        // The gateway keeps nothing.
        if self == Service::Gateway || self.database(settings)?.0.is_some() {
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
