//! A dealers service on a fresh database, served through its real tonic
//! stack in memory, and clients that call it as any principal.

use aftercare_auth::{Principal, Secret, assertion::Signer};
use aftercare_db::{Backend, testing};
use aftercare_dealers::{Dealers, DealersSettings, MIGRATOR};
use aftercare_proto::dealers::v1::{
    audit_service_client::AuditServiceClient, dealers_service_client::DealersServiceClient,
};
use aftercare_serving::in_process;
use tonic::{service::interceptor::InterceptedService, transport::Channel};

pub(crate) type Client = DealersServiceClient<InterceptedService<Channel, Signer>>;
pub(crate) type AuditClient = AuditServiceClient<InterceptedService<Channel, Signer>>;

pub(crate) struct Harness {
    pub(crate) channel: Channel,
    pub(crate) key: Secret,
}

/// Runs each test body once per store: `both!(name, |h| async move { … })`,
/// or `both!(name, start, |x| …)` with another start function.
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
    start_with(backend, false).await
}

pub(crate) async fn start_with(backend: Backend, require_vin_check_digit: bool) -> Harness {
    let db = testing::fresh(backend, &MIGRATOR).await;
    let key = Secret::generate();
    let settings = DealersSettings {
        require_vin_check_digit,
        ..DealersSettings::default()
    };
    let built = Dealers::new(&settings, db, key.clone()).build().await;
    Harness::over(in_process("dealers", built.routes), key)
}

impl Harness {
    /// Clients of the dealers service behind `channel`, signing with `key`.
    pub(crate) fn over(channel: Channel, key: Secret) -> Harness {
        Harness { channel, key }
    }

    fn signer(&self, principal: Principal) -> Signer {
        Signer {
            principal,
            key: self.key.clone(),
        }
    }

    pub(crate) fn client(&self, principal: Principal) -> Client {
        DealersServiceClient::with_interceptor(self.channel.clone(), self.signer(principal))
    }

    /// An AuditService client calling as `principal` (see [`who`]).
    pub(crate) fn audits(&self, principal: Principal) -> AuditClient {
        AuditServiceClient::with_interceptor(self.channel.clone(), self.signer(principal))
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
        DealersServiceClient::with_interceptor(self.channel.clone(), who::forger())
    }

    /// An AuditService client that signs with a key the service does not
    /// know.
    pub(crate) fn audit_forger(&self) -> AuditClient {
        AuditServiceClient::with_interceptor(self.channel.clone(), who::forger())
    }
}

/// The principals the tests call as.
pub(crate) use aftercare_auth::testing as who;
