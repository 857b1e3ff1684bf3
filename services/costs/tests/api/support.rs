//! A costs service on a fresh database, served through its real tonic stack
//! in memory, with the parts service it reads (over TCP, so that a test can
//! stop it) and the dealers service (in process), all three trusting one
//! key; a clock the test may set; clients that call as any principal.

use aftercare_auth::{Principal, Secret};
use aftercare_costs::{Costs, CostsSettings, MIGRATOR};
use aftercare_db::Db;
use aftercare_dealers::{Dealers, DealersSettings};
use aftercare_proto::{
    costs::v1::{
        cost_event_service_client::CostEventServiceClient,
        cost_rate_service_client::CostRateServiceClient,
        pricing_service_client::PricingServiceClient,
        repair_order_cost_service_client::RepairOrderCostServiceClient,
    },
    dealers::v1::dealers_service_client::DealersServiceClient,
    parts::v1::{
        labour_service_client::LabourServiceClient, parts_service_client::PartsServiceClient,
        stock_service_client::StockServiceClient,
    },
};
use aftercare_test_support::{Backend, ManualClock, Served, Signed, TcpServer, fresh};
use aftercare_values::OemZone;
use time::OffsetDateTime;

pub(crate) use aftercare_test_support::who;

pub(crate) struct Harness {
    pub(crate) costs: Served,
    /// The parts service, over TCP: `stop_parts` and `start_parts`.
    parts: TcpServer,
    parts_db: Db,
    pub(crate) dealers: Served,
    key: Secret,
    /// What costs takes for now: real time unless the test set it.
    clock: ManualClock,
    pub(crate) db: Db,
}

pub(crate) async fn start(backend: Backend) -> Harness {
    start_with(backend, CostsSettings::default(), OemZone::utc()).await
}

/// [`start`] with other settings and the OEM's periods in `zone`.
pub(crate) async fn start_with(
    backend: Backend,
    settings: CostsSettings,
    zone: OemZone,
) -> Harness {
    let key = Secret::generate();
    let parts_db = fresh(backend, &aftercare_parts::MIGRATOR).await;
    let mut parts = TcpServer::default();
    parts.up("parts", parts_routes(&parts_db, &key).await).await;
    let dealers_db =
        aftercare_test_support::fresh_with_outbox(backend, &aftercare_dealers::MIGRATOR).await;
    let dealers_built = Dealers::new(&DealersSettings::default(), dealers_db, key.clone())
        .with_zone(zone.clone())
        .without_relay()
        .build()
        .await;
    let (dealers, ()) = Served::in_process("dealers", dealers_built, key.clone());
    let db = aftercare_test_support::fresh_with_outbox(backend, &MIGRATOR).await;
    let clock = ManualClock::default();
    let built = Costs::new(&settings, db.clone(), key.clone())
        .expect("valid settings")
        .with_zone(zone)
        .with_clock(clock.clock())
        .with_parts(parts.channel())
        .with_dealers(dealers.channel())
        .build()
        .await;
    let (costs, ()) = Served::in_process("costs", built, key.clone());
    Harness {
        costs,
        parts,
        parts_db,
        dealers,
        key,
        clock,
        db,
    }
}

async fn parts_routes(db: &Db, key: &Secret) -> tonic::service::Routes {
    aftercare_parts::Parts::new(
        &aftercare_parts::PartsSettings::default(),
        db.clone(),
        key.clone(),
    )
    .build()
    .await
    .routes
}

impl Harness {
    /// Costs stamps and judges by `t` from now on.
    pub(crate) fn set_clock(&self, t: OffsetDateTime) {
        self.clock.set(Some(t));
    }

    /// The parts service goes away, as with its process gone.
    pub(crate) async fn stop_parts(&mut self) {
        self.parts.down().await;
    }

    /// The parts service is back where costs expects it.
    pub(crate) async fn start_parts(&mut self) {
        let routes = parts_routes(&self.parts_db, &self.key).await;
        self.parts.up("parts", routes).await;
    }

    /// The costs channel signed as `principal`, for any costs client.
    pub(crate) fn signed(&self, principal: Principal) -> Signed {
        self.costs.signed(principal)
    }

    /// The events contract, called as `principal` (the dealers relay:
    /// `who::relay(dealer)`).
    pub(crate) fn events(&self, principal: Principal) -> CostEventServiceClient<Signed> {
        CostEventServiceClient::new(self.signed(principal))
    }

    /// Repair-order costs, called as `principal`.
    pub(crate) fn ro_costs(&self, principal: Principal) -> RepairOrderCostServiceClient<Signed> {
        RepairOrderCostServiceClient::new(self.signed(principal))
    }

    /// The rates, called as `principal`.
    pub(crate) fn rates(&self, principal: Principal) -> CostRateServiceClient<Signed> {
        CostRateServiceClient::new(self.signed(principal))
    }

    /// The pricing tools, called as `principal`.
    pub(crate) fn pricing(&self, principal: Principal) -> PricingServiceClient<Signed> {
        PricingServiceClient::new(self.signed(principal))
    }

    fn parts_signed(&self, principal: Principal) -> Signed {
        Served::over(self.parts.channel(), self.key.clone()).signed(principal)
    }

    /// The parts catalogue as head office, to set parts and prices up.
    pub(crate) fn parts_catalogue(&self) -> PartsServiceClient<Signed> {
        PartsServiceClient::new(self.parts_signed(who::oem()))
    }

    pub(crate) fn parts_labour(&self) -> LabourServiceClient<Signed> {
        LabourServiceClient::new(self.parts_signed(who::oem()))
    }

    /// Parts' stock as `principal`.
    pub(crate) fn parts_stock(&self, principal: Principal) -> StockServiceClient<Signed> {
        StockServiceClient::new(self.parts_signed(principal))
    }

    /// The dealers network as head office, to set regions, dealers,
    /// stations and technicians up.
    pub(crate) fn network(&self) -> DealersServiceClient<Signed> {
        DealersServiceClient::new(self.dealers.signed(who::oem()))
    }

    /// Head office makes, in the dealers service, each `(station, dealer,
    /// region)` with its dealer and region (each once).
    pub(crate) async fn build_network(&self, stations: &[(&str, &str, &str)]) {
        aftercare_test_support::build_network(&self.network(), stations).await;
    }
}
