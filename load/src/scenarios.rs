//! What the clients call.
//!
//! A scenario is prepared once — seeding what its calls need and making one
//! call to be sure they work, so that a wrong token fails at once instead of
//! as a table of errors — and then gives each client a [`Client`] over that
//! client's connection. Adding one is a variant of [`Scenario`], a line in
//! [`Scenario::prepare`], and a small [`Client`].

use aftercare_auth::{Principal, Scope, Secret, assertion::Signer};
use aftercare_proto::{
    dealers::v1::{self as dealers, dealers_service_client::DealersServiceClient},
    echo::v1::{self as echo, echo_service_client::EchoServiceClient},
};
use anyhow::Context;
use futures::future::BoxFuture;
use tonic::{
    Request, Status,
    metadata::{Ascii, MetadataValue},
    service::{Interceptor, interceptor::InterceptedService},
    transport::Channel,
};

use crate::reservations;

/// One client: makes one call at a time over its own connection.
pub(crate) trait Client: Send {
    fn call(&mut self) -> BoxFuture<'_, Result<(), Status>>;
}

/// Makes the client of one connection.
pub(crate) type NewClient = Box<dyn Fn(Channel) -> Box<dyn Client> + Send + Sync>;

/// The principal the load tool calls as: the OEM head office, which may
/// read everything.
pub(crate) fn head_office() -> Principal {
    Principal {
        subject: "aftercare-load".into(),
        scope: Scope::Oem,
    }
}

/// Who the calls claim to be.
#[derive(Debug, Clone)]
pub(crate) enum Auth {
    /// Nobody (the bare echo server).
    None,
    /// A bearer token, for calls through the gateway.
    Bearer(MetadataValue<Ascii>),
    /// A principal signed with the internal key, as the gateway hands it
    /// on: for calls straight to a service.
    Signed(Signer),
}

impl Auth {
    pub(crate) fn bearer(token: &str) -> anyhow::Result<Self> {
        let value = format!("Bearer {token}")
            .parse()
            .context("the token is not a valid header value")?;
        Ok(Self::Bearer(value))
    }

    pub(crate) fn signed(principal: Principal, key: Secret) -> Self {
        Self::Signed(Signer { principal, key })
    }
}

impl Interceptor for Auth {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        match self {
            Auth::None => Ok(request),
            Auth::Bearer(value) => {
                request
                    .metadata_mut()
                    .insert("authorization", value.clone());
                Ok(request)
            }
            Auth::Signed(signer) => signer.call(request),
        }
    }
}

/// The calls the tool knows.
#[derive(Debug, Clone)]
pub(crate) enum Scenario {
    /// `DealersService.GetStation` of one station.
    GetStation { id: String },
    /// `EchoService.Echo` of a payload of this many bytes.
    Echo { payload_bytes: usize },
    /// `StockService.ReserveStock` of one unit for a new repair-order line.
    ReserveStock(reservations::Reserve),
}

impl Scenario {
    /// The RPC, as the report names it.
    pub(crate) fn rpc(&self) -> &'static str {
        match self {
            Scenario::GetStation { .. } => "GetStation",
            Scenario::Echo { .. } => "Echo",
            Scenario::ReserveStock(_) => "ReserveStock",
        }
    }

    /// Makes the scenario ready over `setup` and returns how each client
    /// calls with `auth`.
    pub(crate) async fn prepare(&self, setup: Channel, auth: Auth) -> anyhow::Result<NewClient> {
        match self {
            Scenario::GetStation { id } => GetStation::prepare(setup, auth, id).await,
            Scenario::Echo { payload_bytes } => Echo::prepare(setup, auth, *payload_bytes).await,
            Scenario::ReserveStock(reserve) => reserve.prepare(setup, auth).await,
        }
    }
}

struct GetStation {
    client: DealersServiceClient<InterceptedService<Channel, Auth>>,
    request: dealers::GetStationRequest,
}

impl GetStation {
    async fn prepare(setup: Channel, auth: Auth, id: &str) -> anyhow::Result<NewClient> {
        let request = dealers::GetStationRequest { id: id.to_owned() };
        DealersServiceClient::with_interceptor(setup, auth.clone())
            .get_station(request.clone())
            .await
            .with_context(|| format!("GetStation {id} fails before the run"))?;
        Ok(Box::new(move |channel| {
            Box::new(GetStation {
                client: DealersServiceClient::with_interceptor(channel, auth.clone()),
                request: request.clone(),
            })
        }))
    }
}

impl Client for GetStation {
    fn call(&mut self) -> BoxFuture<'_, Result<(), Status>> {
        let request = self.request.clone();
        Box::pin(async move { self.client.get_station(request).await.map(drop) })
    }
}

struct Echo {
    client: EchoServiceClient<InterceptedService<Channel, Auth>>,
    request: echo::EchoRequest,
}

impl Echo {
    async fn prepare(
        setup: Channel,
        auth: Auth,
        payload_bytes: usize,
    ) -> anyhow::Result<NewClient> {
        let request = echo::EchoRequest {
            payload: vec![b'x'; payload_bytes],
        };
        let answer = EchoServiceClient::with_interceptor(setup, auth.clone())
            .echo(request.clone())
            .await
            .context("Echo fails before the run")?;
        anyhow::ensure!(
            answer.get_ref().payload == request.payload,
            "Echo answered with another payload"
        );
        Ok(Box::new(move |channel| {
            Box::new(Echo {
                client: EchoServiceClient::with_interceptor(channel, auth.clone()),
                request: request.clone(),
            })
        }))
    }
}

impl Client for Echo {
    fn call(&mut self) -> BoxFuture<'_, Result<(), Status>> {
        let request = self.request.clone();
        Box::pin(async move { self.client.echo(request).await.map(drop) })
    }
}
