//! The dealers service built from its settings and connections: the one
//! wiring the app, the load tool and the tests serve.

use std::time::Duration;

use aftercare_auth::{Secret, ServiceAuth};
use aftercare_db::{Db, RetentionSettings, Sweeper, timestamp::Clock};
use aftercare_outbox::{Relay, RelaySettings};
use aftercare_serving::{Built, Running, ServerRoutes};
use aftercare_values::OemZone;
use tonic::transport::Channel;

use crate::{
    AuditApi, DealersApi, DealersSettings, RepairOrderApi, ServiceStandardApi, Store,
    events::Deliverer,
    peers::parts::PartsClient,
    usecases::{Audits, Dealership, Network, RepairOrders, Standards, Workshop},
};

/// What the dealers service is built from. Without a parts service its ROs
/// cannot reserve stock and no outbox relay runs; without a surveys or costs
/// service its delivered ROs wait in the outbox for it.
#[derive(Debug, Clone)]
pub struct Dealers {
    db: Db,
    store: Store,
    repair_orders: RepairOrders,
    standards: Standards,
    workshop: Workshop,
    /// How often a watch of at-risk ROs reads them again.
    at_risk_every: Duration,
    key: Secret,
    require_vin_check_digit: bool,
    parts: Option<PartsClient>,
    surveys: Option<Channel>,
    costs: Option<Channel>,
    standards_clock: Clock,
    /// What the retention sweep takes for now.
    clock: Clock,
    retention: RetentionSettings,
    /// How the relay paces itself; none when the caller runs it.
    relay: Option<RelaySettings>,
}

impl Dealers {
    /// The service on `db` (migrated), accepting calls signed with `key`
    /// and signing its own calls to its peers with it.
    pub fn new(settings: &DealersSettings, db: Db, key: Secret) -> Self {
        let repair_orders = RepairOrders::new(db.clone());
        let workshop = Workshop::new(db.clone())
            .with_comeback_days(settings.comeback_window_days)
            .with_changes(repair_orders.changes().clone());
        Self {
            store: Store::new(db.clone()),
            repair_orders,
            standards: Standards::new(db.clone()),
            workshop,
            at_risk_every: Duration::from_millis(settings.at_risk_watch_interval_ms),
            db,
            key,
            require_vin_check_digit: settings.require_vin_check_digit,
            parts: None,
            surveys: None,
            costs: None,
            standards_clock: Clock::system(),
            clock: Clock::system(),
            retention: settings.retention.clone(),
            relay: Some(RelaySettings::default()),
        }
    }

    /// Compliance tallied and reported by the days of `zone`.
    pub fn with_zone(mut self, zone: OemZone) -> Self {
        self.store = self.store.with_zone(zone.clone());
        self.repair_orders = self.repair_orders.with_zone(zone.clone());
        self.standards = self.standards.with_zone(zone.clone());
        self.workshop = self.workshop.with_zone(zone);
        self
    }

    /// The parts service behind `channel`: RO parts lines reserve there,
    /// and the relay delivers stock events to it.
    pub fn with_parts(mut self, channel: Channel) -> Self {
        let parts = PartsClient::new(channel, self.key.clone());
        self.workshop = self.workshop.with_parts(parts.clone());
        self.parts = Some(parts);
        self
    }

    /// The surveys service behind `channel`, which the relay delivers
    /// delivered ROs to.
    pub fn with_surveys(mut self, channel: Channel) -> Self {
        self.surveys = Some(channel);
        self
    }

    /// The costs service behind `channel`, which the relay delivers
    /// delivered ROs to (their costs, and warranty claims).
    pub fn with_costs(mut self, channel: Channel) -> Self {
        self.costs = Some(channel);
        self
    }

    /// What repair orders and appointments are stamped with (the demo plays
    /// a month back through it).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.repair_orders = self.repair_orders.with_clock(clock.clone());
        self.workshop = self.workshop.with_clock(clock.clone());
        self.clock = clock;
        self
    }

    /// What the service standards take for now.
    pub fn with_standards_clock(mut self, clock: Clock) -> Self {
        self.standards_clock = clock;
        self
    }

    /// The outbox relay polls and backs off as `settings` say.
    pub fn with_relay_settings(mut self, settings: RelaySettings) -> Self {
        self.relay = Some(settings);
        self
    }

    /// No outbox relay runs: the caller runs [`Dealers::relay`] itself
    /// (the load tool stops and starts it).
    pub fn without_relay(mut self) -> Self {
        self.relay = None;
        self
    }

    /// The store as the service is wired with it.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The outbox relay, not yet running; none without a parts service.
    pub fn relay(&self) -> Option<Relay<Deliverer>> {
        let mut deliverer = Deliverer::new(self.parts.clone()?);
        if let Some(surveys) = &self.surveys {
            deliverer = deliverer.with_surveys(surveys.clone(), self.key.clone());
        }
        if let Some(costs) = &self.costs {
            deliverer = deliverer.with_costs(costs.clone(), self.key.clone());
        }
        let settings = self.relay.clone().unwrap_or_default();
        Some(Relay::new("dealers", self.db.clone(), deliverer).with_settings(settings))
    }

    /// The retention sweep of the service's database: idempotency keys,
    /// delivered outbox events and applied event ids (docs/retention.md).
    pub fn sweeper(&self) -> Sweeper {
        Sweeper::new(
            "dealers",
            self.db.clone(),
            self.clock.clone(),
            &self.retention,
        )
        .with_steps(aftercare_outbox::retention_steps(&self.retention))
    }

    /// Every contract of the package on one store, with health and
    /// reflection, the outbox relay and the retention sweep running.
    pub async fn build(self) -> Built {
        let mut running = Running::default();
        if let Some(sweep) = self.sweeper().spawn() {
            running = running.with_task(sweep);
        }
        if self.relay.is_some()
            && let Some(relay) = self.relay()
        {
            running = running.with_closing(relay.spawn().stop());
        }
        let auth = ServiceAuth::new(self.key);
        let network = DealersApi::new(
            Network::new(self.db.clone()),
            Dealership::new(self.db.clone()),
            self.require_vin_check_digit,
        );
        let standards = ServiceStandardApi::new(self.standards).with_clock(self.standards_clock);
        let routes = ServerRoutes::new()
            .with_service(network.into_server(auth.clone()))
            .with_service(AuditApi::new(Audits::new(self.db.clone())).into_server(auth.clone()))
            .with_service(standards.into_server(auth.clone()))
            .with_service(
                RepairOrderApi::new(self.repair_orders, self.workshop)
                    .with_watch_interval(self.at_risk_every)
                    .into_server(auth),
            );
        Built {
            running,
            ..Built::new(routes).await
        }
    }
}
