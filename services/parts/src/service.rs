//! The parts service built from its settings and connections: the one
//! wiring the app, the load tool and the tests serve.

use aftercare_auth::{Secret, ServiceAuth};
use aftercare_db::{Db, timestamp::Clock};
use aftercare_serving::{Built, ServerRoutes};
use aftercare_values::OemZone;

use crate::{LabourApi, PartsApi, PartsSettings, PriceBoardApi, RequiredStockApi, StockApi, Store};

/// What the parts service is built from. The OEM's time zone is UTC and
/// the clock the system's unless set.
#[derive(Debug, Clone)]
pub struct Parts {
    store: Store,
    key: Secret,
}

impl Parts {
    /// The service on `db` (migrated), accepting calls signed with `key`.
    pub fn new(settings: &PartsSettings, db: Db, key: Secret) -> Self {
        let store =
            Store::new(db).with_availability_owners_shown(settings.show_availability_owners);
        Self { store, key }
    }

    /// Periods (fill rate, price boards) by the days of `zone`.
    pub fn with_zone(mut self, zone: OemZone) -> Self {
        self.store = self.store.with_zone(zone);
        self
    }

    /// What the service takes for now.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.store = self.store.with_clock(clock);
        self
    }

    /// Every contract of the package on one store (the gateway routes them
    /// all by the package), with health and reflection.
    pub async fn build(self) -> Built {
        let auth = ServiceAuth::new(self.key);
        let store = self.store;
        let routes = ServerRoutes::new()
            .with_service(PartsApi::new(store.clone()).into_server(auth.clone()))
            .with_service(LabourApi::new(store.clone()).into_server(auth.clone()))
            .with_service(StockApi::new(store.clone()).into_server(auth.clone()))
            .with_service(RequiredStockApi::new(store.clone()).into_server(auth.clone()))
            .with_service(PriceBoardApi::new(store).into_server(auth));
        Built::new(routes).await
    }
}
