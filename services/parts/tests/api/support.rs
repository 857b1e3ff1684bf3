//! A parts service on a fresh database, served through its real tonic
//! stack in memory, a clock the test may set, and clients that call it as
//! any principal.

use aftercare_auth::Principal;
use aftercare_db::{Db, Sweeper};
use aftercare_parts::{MIGRATOR, Parts, PartsSettings};
use aftercare_proto::parts::v1::{
    labour_service_client::LabourServiceClient, parts_service_client::PartsServiceClient,
    price_board_service_client::PriceBoardServiceClient,
    required_stock_service_client::RequiredStockServiceClient,
    stock_service_client::StockServiceClient,
};
use aftercare_test_support::{Backend, ManualClock, Served, Signed, fresh};
use aftercare_values::OemZone;
use time::OffsetDateTime;

pub(crate) type Client = PartsServiceClient<Signed>;
pub(crate) type LabourClient = LabourServiceClient<Signed>;
pub(crate) type StockClient = StockServiceClient<Signed>;
pub(crate) type RequiredStockClient = RequiredStockServiceClient<Signed>;
pub(crate) type PriceBoardClient = PriceBoardServiceClient<Signed>;

pub(crate) struct Harness {
    served: Served,
    /// What the store takes for now: real time unless the test set it.
    clock: ManualClock,
    db: Db,
    settings: PartsSettings,
}

pub(crate) async fn start(backend: Backend) -> Harness {
    start_in(backend, OemZone::utc()).await
}

/// [`start`], the OEM's periods in `zone`.
pub(crate) async fn start_in(backend: Backend, zone: OemZone) -> Harness {
    start_on(fresh(backend, &MIGRATOR).await, zone).await
}

/// [`start`] on `db`, a migrated database the test connected itself.
pub(crate) async fn start_on(db: Db, zone: OemZone) -> Harness {
    start_with(db, zone, PartsSettings::default()).await
}

/// [`start`] with its metrics read every 20 ms.
pub(crate) async fn start_with_quick_metrics(backend: Backend) -> Harness {
    let settings = PartsSettings {
        metrics_refresh_ms: 20,
        ..PartsSettings::default()
    };
    start_with(fresh(backend, &MIGRATOR).await, OemZone::utc(), settings).await
}

async fn start_with(db: Db, zone: OemZone, settings: PartsSettings) -> Harness {
    let clock = ManualClock::default();
    let (served, ()) = Served::start("parts", db.clone(), |db, key| {
        Parts::new(&settings.clone(), db, key)
            .with_zone(zone)
            .with_clock(clock.clock())
            .build()
    })
    .await;
    Harness {
        served,
        clock,
        db,
        settings,
    }
}

impl Harness {
    /// The store stamps and judges by `t` from now on.
    pub(crate) fn set_clock(&self, t: OffsetDateTime) {
        self.clock.set(Some(t));
    }

    /// The service's database, for checks on its rows.
    pub(crate) fn db(&self) -> &Db {
        &self.db
    }

    /// The retention sweep the service runs, at the harness's clock.
    pub(crate) fn sweeper(&self) -> Sweeper {
        Parts::new(&self.settings, self.db.clone(), self.served.key().clone())
            .with_clock(self.clock.clock())
            .sweeper()
    }

    /// Closes the service's connection pool: from here on the database is
    /// out of its reach, as in an outage.
    pub(crate) async fn lose_the_database(&self) {
        self.db.close().await;
    }

    pub(crate) fn client(&self, principal: Principal) -> Client {
        PartsServiceClient::new(self.served.signed(principal))
    }

    pub(crate) fn oem(&self) -> Client {
        self.client(who::oem())
    }

    pub(crate) fn region(&self, region_id: &str) -> Client {
        self.client(who::region(region_id))
    }

    pub(crate) fn dealer(&self, dealer_id: &str) -> Client {
        self.client(who::dealer(dealer_id))
    }

    pub(crate) fn dms(&self, dealer_id: &str) -> Client {
        self.client(who::dms(dealer_id))
    }

    pub(crate) fn survey(&self) -> Client {
        self.client(who::survey())
    }

    /// A client that signs with a key the service does not know.
    pub(crate) fn forger(&self) -> Client {
        PartsServiceClient::new(self.served.forged())
    }

    /// A LabourService client on the same channel, calling as `principal`.
    pub(crate) fn labour(&self, principal: Principal) -> LabourClient {
        LabourServiceClient::new(self.served.signed(principal))
    }

    /// A LabourService client that signs with a key the service does not
    /// know.
    pub(crate) fn labour_forger(&self) -> LabourClient {
        LabourServiceClient::new(self.served.forged())
    }

    /// A StockService client on the same channel, calling as `principal`.
    pub(crate) fn stock(&self, principal: Principal) -> StockClient {
        StockServiceClient::new(self.served.signed(principal))
    }

    /// A StockService client that signs with a key the service does not
    /// know.
    pub(crate) fn stock_forger(&self) -> StockClient {
        StockServiceClient::new(self.served.forged())
    }

    /// A RequiredStockService client on the same channel, calling as
    /// `principal`.
    pub(crate) fn required_stock(&self, principal: Principal) -> RequiredStockClient {
        RequiredStockServiceClient::new(self.served.signed(principal))
    }

    pub(crate) fn required_stock_forger(&self) -> RequiredStockClient {
        RequiredStockServiceClient::new(self.served.forged())
    }

    /// A PriceBoardService client on the same channel, calling as
    /// `principal`.
    pub(crate) fn price_board(&self, principal: Principal) -> PriceBoardClient {
        PriceBoardServiceClient::new(self.served.signed(principal))
    }

    pub(crate) fn price_board_forger(&self) -> PriceBoardClient {
        PriceBoardServiceClient::new(self.served.forged())
    }
}

/// The principals the tests call as.
pub(crate) use aftercare_test_support::who;
