//! The costs service built from its settings and connections: the one
//! wiring the app, the load tool and the tests serve.

use std::time::Duration;

use aftercare_auth::{Secret, ServiceAuth, peer::Peer};
use aftercare_db::{Db, Sweeper, timestamp::Clock};
use aftercare_proto::costs::v1::costs_service_server::{CostsService, CostsServiceServer};
use aftercare_serving::{Built, ServerRoutes};
use aftercare_values::{Currency, OemZone};
use anyhow::Context as _;
use tonic::{service::interceptor::InterceptedService, transport::Channel};

use crate::{
    CostsSettings,
    domain::cost_entry::CostEntry,
    grpc::{
        CostControlApi, CostEventApi, CostRateApi, PricingApi, RepairOrderCostApi, WarrantyClaimApi,
    },
    metrics,
    peers::Peers,
    store::MIGRATOR,
    usecases::{Context, Pricing, Rates, RepairOrderCosts, seed_entries},
};

/// The first, empty contract of the package, kept so that it stays
/// published.
#[derive(Debug, Clone, Default)]
pub struct CostsApi;

impl CostsService for CostsApi {}

impl CostsApi {
    pub fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<CostsServiceServer<Self>, ServiceAuth> {
        CostsServiceServer::with_interceptor(self, auth)
    }
}

/// What the costs service is built from. The OEM's time zone is UTC and the
/// clock the system's unless set; parts and dealers are reached through the
/// channels given (a check reading one that is not given is UNAVAILABLE).
#[derive(Debug, Clone)]
pub struct Costs {
    cx: Context,
    key: Secret,
}

impl Costs {
    /// The service on `db` (migrated), accepting calls signed with `key`
    /// and signing its own calls to the peers with it.
    pub fn new(settings: &CostsSettings, db: Db, key: Secret) -> anyhow::Result<Self> {
        let currency = Currency::parse(&settings.currency).ok().with_context(|| {
            format!("costs.currency {:?} is no ISO 4217 code", settings.currency)
        })?;
        Ok(Self {
            cx: Context::new(db, settings.clone(), currency, Peers::default()),
            key,
        })
    }

    /// Brings the schema up to date: the service's tables and its outbox.
    pub async fn migrate(db: &Db) -> anyhow::Result<()> {
        db.migrate(&MIGRATOR).await?;
        aftercare_outbox::migrate(db).await?;
        Ok(())
    }

    /// Periods by the days of `zone`.
    pub fn with_zone(mut self, zone: OemZone) -> Self {
        self.cx.zone = zone;
        self
    }

    /// What the service takes for now.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.cx.clock = clock;
        self
    }

    /// Reads prices, the catalogue and the ledger from parts behind
    /// `channel`.
    pub fn with_parts(mut self, channel: Channel) -> Self {
        self.cx.peers.parts = Some(self.peer(channel));
        self
    }

    /// Reads stations and technicians from dealers behind `channel`.
    pub fn with_dealers(mut self, channel: Channel) -> Self {
        self.cx.peers.dealers = Some(self.peer(channel));
        self
    }

    fn peer(&self, channel: Channel) -> Peer {
        let deadline = Duration::from_millis(self.cx.settings.check_deadline_ms);
        Peer::new(channel, self.key.clone(), deadline)
    }

    /// Writes cost entries in bulk, each as CreateCostEntry writes one (its
    /// row, its tallies, the alerts its budgets call for) but without access
    /// checks: for seeding data and load runs.
    pub async fn seed_cost_entries(&self, entries: &[CostEntry]) -> anyhow::Result<()> {
        seed_entries(&self.cx, entries)
            .await
            .context("failed to seed cost entries")
    }

    /// The retention sweep of the service's database: idempotency keys and
    /// applied event ids (docs/retention.md).
    pub fn sweeper(&self) -> Sweeper {
        let retention = &self.cx.settings.retention;
        Sweeper::new(
            "costs",
            self.cx.db.clone(),
            self.cx.clock.clone(),
            retention,
        )
        .with_steps(aftercare_outbox::retention_steps(retention))
    }

    /// Every contract of the package on one store, with health and
    /// reflection; the warranty budget gauges refreshed and the retention
    /// sweep run behind them.
    pub async fn build(self) -> Built {
        let sweep = self.sweeper().spawn();
        let auth = ServiceAuth::new(self.key);
        let cx = self.cx;
        let currency = cx.currency;
        let ro_costs = RepairOrderCosts::new(cx.clone());
        let events = CostEventApi::new(&cx);
        let every = Duration::from_millis(cx.settings.metrics_refresh_ms.max(1));
        let gauges = metrics::spawn(cx.clone(), every);
        let routes = ServerRoutes::new()
            .with_service(CostsApi.into_server(auth.clone()))
            .with_service(events.into_server(auth.clone()))
            .with_service(RepairOrderCostApi::new(ro_costs, currency).into_server(auth.clone()))
            .with_service(
                CostRateApi::new(Rates::new(cx.clone()), currency).into_server(auth.clone()),
            )
            .with_service(CostControlApi::new(&cx).into_server(auth.clone()))
            .with_service(WarrantyClaimApi::new(&cx).into_server(auth.clone()))
            .with_service(PricingApi::new(Pricing::new(cx), currency).into_server(auth));
        let mut built = Built::new(routes).await;
        built.running = built.running.with_task(gauges);
        if let Some(sweep) = sweep {
            built.running = built.running.with_task(sweep);
        }
        built
    }
}
