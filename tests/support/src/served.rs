//! A service under test: built by its own build function (the one the app
//! and the load tool call), served through its real tonic stack in this
//! process, and called signed as any principal.

use std::future::Future;

use aftercare_auth::{Principal, Secret, assertion::Signer, testing::forger};
use aftercare_db::Db;
use aftercare_serving::{Built, Running, in_process};
use tonic::{service::interceptor::InterceptedService, transport::Channel};

/// A channel whose calls carry a signed principal; every generated client
/// takes one: `PartsServiceClient::new(served.signed(who::oem()))`.
pub type Signed = InterceptedService<Channel, Signer>;

/// A service served in this process, the key it trusts, and what runs
/// behind it (relays, background tasks), stopped when this is dropped.
#[derive(Debug)]
pub struct Served {
    channel: Channel,
    key: Secret,
    _running: Running,
}

impl Served {
    /// Builds a service on `db` with a fresh key, by `build` (the service's
    /// own build function), and serves it in this process as `name`;
    /// returns it with the handle its build hands back.
    pub async fn start<H, Fut>(
        name: &'static str,
        db: Db,
        build: impl FnOnce(Db, Secret) -> Fut,
    ) -> (Served, H)
    where
        Fut: Future<Output = Built<H>>,
    {
        let key = Secret::generate();
        let built = build(db, key.clone()).await;
        Served::in_process(name, built, key)
    }

    /// Serves `built`, which trusts `key`, in this process as `name`.
    pub fn in_process<H>(name: &'static str, built: Built<H>, key: Secret) -> (Served, H) {
        let served = Served {
            channel: in_process(name, built.routes),
            key,
            _running: built.running,
        };
        (served, built.handle)
    }

    /// A service served elsewhere (over TCP, or in process by the test),
    /// reached through `channel`.
    pub fn over(channel: Channel, key: Secret) -> Served {
        Served {
            channel,
            key,
            _running: Running::default(),
        }
    }

    pub fn channel(&self) -> Channel {
        self.channel.clone()
    }

    /// The key the service trusts principals signed with.
    pub fn key(&self) -> &Secret {
        &self.key
    }

    /// Signs calls as `principal` with the key the service trusts.
    pub fn signer(&self, principal: Principal) -> Signer {
        Signer {
            principal,
            key: self.key.clone(),
        }
    }

    /// The channel, its calls signed as `principal`.
    pub fn signed(&self, principal: Principal) -> Signed {
        InterceptedService::new(self.channel(), self.signer(principal))
    }

    /// The channel, its calls signed as head office with a key the service
    /// does not know.
    pub fn forged(&self) -> Signed {
        InterceptedService::new(self.channel(), forger())
    }
}
