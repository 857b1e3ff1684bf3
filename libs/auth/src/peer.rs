//! Another service as one service calls it: the channel, the internal key
//! each call is signed with (as the principal it is made for, so that the
//! peer checks it as it would the caller's own), and a deadline.

use std::time::Duration;

use tonic::{service::interceptor::InterceptedService, transport::Channel};

use crate::{Principal, Secret, assertion::Signer};

/// A channel whose calls are signed as one principal.
pub type Signed = InterceptedService<Channel, Signer>;

/// A peer service behind `channel`.
#[derive(Debug, Clone)]
pub struct Peer {
    channel: Channel,
    key: Secret,
    deadline: Duration,
}

impl Peer {
    /// Calls through `channel` (to the peer's server, or to its routes in
    /// this process), signed with the internal `key`, each given `deadline`.
    pub fn new(channel: Channel, key: Secret, deadline: Duration) -> Self {
        Self {
            channel,
            key,
            deadline,
        }
    }

    /// The channel, signing every call as `principal`: wrap it in the
    /// peer's generated client.
    pub fn signed(&self, principal: &Principal) -> Signed {
        InterceptedService::new(
            self.channel.clone(),
            Signer {
                principal: principal.clone(),
                key: self.key.clone(),
            },
        )
    }

    /// `message` as a request with the peer's deadline on it.
    pub fn request<T>(&self, message: T) -> tonic::Request<T> {
        let mut request = tonic::Request::new(message);
        request.set_timeout(self.deadline);
        request
    }
}

/// `peer` when it is connected; else UNAVAILABLE naming the service.
pub fn connected<'a>(peer: &'a Option<Peer>, service: &str) -> Result<&'a Peer, tonic::Status> {
    peer.as_ref().ok_or_else(|| {
        tonic::Status::unavailable(format!("the {service} service is not connected"))
    })
}
