//! A dealers service on a fresh database, served through its real tonic
//! stack in memory, and clients that call it as any principal.

use aftercare_auth::{Principal, Scope, Secret, ServiceAuth, assertion::Signer};
use aftercare_db::{Backend, testing};
use aftercare_dealers::{DealersApi, MIGRATOR, Store};
use aftercare_proto::dealers::v1::dealers_service_client::DealersServiceClient;
use aftercare_serving::{ServerRoutes, in_process};
use tonic::{service::interceptor::InterceptedService, transport::Channel};

pub(crate) type Client = DealersServiceClient<InterceptedService<Channel, Signer>>;

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
    let api = DealersApi::new(Store::new(db), require_vin_check_digit);
    let (routes, _health) = ServerRoutes::new()
        .with_service(api.into_server(ServiceAuth::new(key.clone())))
        .finish()
        .await;
    Harness {
        channel: in_process("dealers", routes),
        key,
    }
}

impl Harness {
    pub(crate) fn client(&self, principal: Principal) -> Client {
        DealersServiceClient::with_interceptor(
            self.channel.clone(),
            Signer {
                principal,
                key: self.key.clone(),
            },
        )
    }

    pub(crate) fn oem(&self) -> Client {
        self.client(Principal {
            subject: "head-office".into(),
            scope: Scope::Oem,
        })
    }

    pub(crate) fn region(&self, region_id: &str) -> Client {
        self.client(Principal {
            subject: format!("rm-{region_id}"),
            scope: Scope::Region {
                region_id: region_id.into(),
            },
        })
    }

    pub(crate) fn dealer(&self, dealer_id: &str) -> Client {
        self.client(Principal {
            subject: format!("staff-{dealer_id}"),
            scope: Scope::Dealer {
                dealer_id: dealer_id.into(),
                station_ids: vec![],
            },
        })
    }

    pub(crate) fn station_staff(&self, dealer_id: &str, station_id: &str) -> Client {
        self.client(Principal {
            subject: format!("staff-{station_id}"),
            scope: Scope::Dealer {
                dealer_id: dealer_id.into(),
                station_ids: vec![station_id.into()],
            },
        })
    }

    pub(crate) fn dms(&self, dealer_id: &str) -> Client {
        self.client(Principal {
            subject: format!("dms-{dealer_id}"),
            scope: Scope::Dms {
                dealer_id: dealer_id.into(),
            },
        })
    }

    pub(crate) fn survey(&self) -> Client {
        self.client(Principal {
            subject: "inv-1".into(),
            scope: Scope::SurveyLink {
                invitation_id: "inv-1".into(),
            },
        })
    }

    /// A client that signs with a key the service does not know.
    pub(crate) fn forger(&self) -> Client {
        DealersServiceClient::with_interceptor(
            self.channel.clone(),
            Signer {
                principal: Principal {
                    subject: "x".into(),
                    scope: Scope::Oem,
                },
                key: Secret::generate(),
            },
        )
    }
}
