//! A dealers service on a fresh database, built by its own build function
//! and served through its real tonic stack in memory, and clients that call
//! it as any principal.

use aftercare_auth::Principal;
use aftercare_dealers::{Dealers, DealersSettings, MIGRATOR};
use aftercare_proto::dealers::v1::{
    audit_service_client::AuditServiceClient, dealers_service_client::DealersServiceClient,
};
use aftercare_test_support::{Backend, Served, Signed, fresh};

pub(crate) type Client = DealersServiceClient<Signed>;
pub(crate) type AuditClient = AuditServiceClient<Signed>;

pub(crate) struct Harness {
    pub(crate) served: Served,
}

pub(crate) async fn start(backend: Backend) -> Harness {
    start_with(backend, false).await
}

pub(crate) async fn start_with(backend: Backend, require_vin_check_digit: bool) -> Harness {
    let settings = DealersSettings {
        require_vin_check_digit,
        ..DealersSettings::default()
    };
    let db = fresh(backend, &MIGRATOR).await;
    let (served, ()) = Served::start("dealers", db, |db, key| {
        Dealers::new(&settings, db, key).build()
    })
    .await;
    Harness { served }
}

impl Harness {
    pub(crate) fn client(&self, principal: Principal) -> Client {
        DealersServiceClient::new(self.served.signed(principal))
    }

    /// An AuditService client calling as `principal` (see [`who`]).
    pub(crate) fn audits(&self, principal: Principal) -> AuditClient {
        AuditServiceClient::new(self.served.signed(principal))
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

    pub(crate) fn station_staff(&self, dealer_id: &str, station_id: &str) -> Client {
        self.client(who::station_staff(dealer_id, station_id))
    }

    pub(crate) fn dms(&self, dealer_id: &str) -> Client {
        self.client(who::dms(dealer_id))
    }

    pub(crate) fn survey(&self) -> Client {
        self.client(who::survey())
    }

    /// A client that signs with a key the service does not know.
    pub(crate) fn forger(&self) -> Client {
        DealersServiceClient::new(self.served.forged())
    }

    /// An AuditService client that signs with a key the service does not
    /// know.
    pub(crate) fn audit_forger(&self) -> AuditClient {
        AuditServiceClient::new(self.served.forged())
    }
}

/// The principals the tests call as.
pub(crate) use aftercare_test_support::who;
