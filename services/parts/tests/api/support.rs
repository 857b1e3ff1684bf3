//! A parts service on a fresh database, served through its real tonic
//! stack in memory, a clock the test may set, and clients that call it as
//! any principal.

use aftercare_auth::{Principal, Secret, assertion::Signer};
use aftercare_db::{Backend, Db, testing, timestamp::ManualClock};
use aftercare_parts::{MIGRATOR, Parts, PartsSettings};
use aftercare_proto::parts::v1::{
    labour_service_client::LabourServiceClient, parts_service_client::PartsServiceClient,
    price_board_service_client::PriceBoardServiceClient,
    required_stock_service_client::RequiredStockServiceClient,
    stock_service_client::StockServiceClient,
};
use aftercare_serving::in_process;
use aftercare_values::OemZone;
use time::OffsetDateTime;
use tonic::{service::interceptor::InterceptedService, transport::Channel};

pub(crate) type Client = PartsServiceClient<InterceptedService<Channel, Signer>>;
pub(crate) type LabourClient = LabourServiceClient<InterceptedService<Channel, Signer>>;
pub(crate) type StockClient = StockServiceClient<InterceptedService<Channel, Signer>>;
pub(crate) type RequiredStockClient =
    RequiredStockServiceClient<InterceptedService<Channel, Signer>>;
pub(crate) type PriceBoardClient = PriceBoardServiceClient<InterceptedService<Channel, Signer>>;

pub(crate) struct Harness {
    channel: Channel,
    key: Secret,
    /// What the store takes for now: real time unless the test set it.
    clock: ManualClock,
    db: Db,
}

/// Runs each test body once per store: `both!(name, |h| async move { … })`,
/// or `both!(name, start, |h| …)` with another start function.
#[macro_export]
macro_rules! both {
    ($name:ident, $body:expr) => {
        aftercare_db::on_both_stores!($name, $crate::support::start, $body);
    };
    ($name:ident, $start:path, $body:expr) => {
        aftercare_db::on_both_stores!($name, $start, $body);
    };
}

pub(crate) async fn start(backend: Backend) -> Harness {
    start_in(backend, OemZone::utc()).await
}

/// [`start`], the OEM's periods in `zone`.
pub(crate) async fn start_in(backend: Backend, zone: OemZone) -> Harness {
    start_on(testing::fresh(backend, &MIGRATOR).await, zone).await
}

/// [`start`] on `db`, a migrated database the test connected itself.
pub(crate) async fn start_on(db: Db, zone: OemZone) -> Harness {
    let key = Secret::generate();
    let clock = ManualClock::default();
    let built = Parts::new(&PartsSettings::default(), db.clone(), key.clone())
        .with_zone(zone)
        .with_clock(clock.clock())
        .build()
        .await;
    Harness {
        channel: in_process("parts", built.routes),
        key,
        clock,
        db,
    }
}

impl Harness {
    /// The store stamps and judges by `t` from now on.
    pub(crate) fn set_clock(&self, t: OffsetDateTime) {
        self.clock.set(Some(t));
    }

    /// Closes the service's connection pool: from here on the database is
    /// out of its reach, as in an outage.
    pub(crate) async fn lose_the_database(&self) {
        self.db.close().await;
    }

    /// Signs calls as `principal` with the key the service trusts.
    fn signer(&self, principal: Principal) -> Signer {
        Signer {
            principal,
            key: self.key.clone(),
        }
    }

    pub(crate) fn client(&self, principal: Principal) -> Client {
        PartsServiceClient::with_interceptor(self.channel.clone(), self.signer(principal))
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
        PartsServiceClient::with_interceptor(self.channel.clone(), who::forger())
    }

    /// A LabourService client on the same channel, calling as `principal`.
    pub(crate) fn labour(&self, principal: Principal) -> LabourClient {
        LabourServiceClient::with_interceptor(self.channel.clone(), self.signer(principal))
    }

    /// A LabourService client that signs with a key the service does not
    /// know.
    pub(crate) fn labour_forger(&self) -> LabourClient {
        LabourServiceClient::with_interceptor(self.channel.clone(), who::forger())
    }

    /// A StockService client on the same channel, calling as `principal`.
    pub(crate) fn stock(&self, principal: Principal) -> StockClient {
        StockServiceClient::with_interceptor(self.channel.clone(), self.signer(principal))
    }

    /// A StockService client that signs with a key the service does not
    /// know.
    pub(crate) fn stock_forger(&self) -> StockClient {
        StockServiceClient::with_interceptor(self.channel.clone(), who::forger())
    }

    /// A RequiredStockService client on the same channel, calling as
    /// `principal`.
    pub(crate) fn required_stock(&self, principal: Principal) -> RequiredStockClient {
        RequiredStockServiceClient::with_interceptor(self.channel.clone(), self.signer(principal))
    }

    pub(crate) fn required_stock_forger(&self) -> RequiredStockClient {
        RequiredStockServiceClient::with_interceptor(self.channel.clone(), who::forger())
    }

    /// A PriceBoardService client on the same channel, calling as
    /// `principal`.
    pub(crate) fn price_board(&self, principal: Principal) -> PriceBoardClient {
        PriceBoardServiceClient::with_interceptor(self.channel.clone(), self.signer(principal))
    }

    pub(crate) fn price_board_forger(&self) -> PriceBoardClient {
        PriceBoardServiceClient::with_interceptor(self.channel.clone(), who::forger())
    }
}

/// The principals the tests call as.
pub(crate) use aftercare_auth::testing as who;
