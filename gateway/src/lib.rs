//! The one port in front of the services.
//!
//! It speaks gRPC (HTTP/2) to partner systems and gRPC-web (HTTP/1.1, with
//! CORS) to the browser console, and serves health and reflection itself.
//! Every other call must carry `authorization: Bearer <jwt>`, but the two
//! methods of a customer's one-time survey link (see `anonymous`); the gateway
//! verifies it, rate-limits per principal (anonymous link calls per client
//! address; one quota for all replicas when they share a Redis), bounds the
//! deadline, and sends the call to the backend
//! registered for the service's protobuf package with the principal signed
//! under the internal key — the only identity a service trusts. Whether the
//! principal may touch a given object is the service's decision, never the
//! gateway's.
//!
//! ```no_run
//! # async fn run(keys: aftercare_auth::token::TokenKeys, internal: aftercare_auth::Secret,
//! #     dealers: tonic::transport::Channel, listener: tokio::net::TcpListener) {
//! use aftercare_gateway::{Gateway, GatewaySettings};
//!
//! Gateway::new(GatewaySettings::default(), keys, internal)
//!     .route("aftercare.dealers.v1", aftercare_gateway::backend(dealers))
//!     .serve(listener, std::future::pending())
//!     .await
//!     .expect("gateway");
//! # }
//! ```

mod anonymous;
mod authenticate;
mod deadline;
mod error;
mod proxy;
mod rate_limit;
mod routing;
mod server;
mod settings;
mod verified;
mod web;

use std::future::Future;

use aftercare_auth::{Secret, Verifier, oidc::Oidc, token::TokenKeys};
use aftercare_serving::{Health, ServerRoutes};
use tokio::net::TcpListener;
use tonic::{
    service::Routes,
    transport::{Channel, server::TcpIncoming},
};

pub use routing::{Backend, backend};
pub use settings::{GatewaySettings, SettingsError};

use crate::{deadline::Deadlines, proxy::Proxy, rate_limit::RateLimiter, routing::Backends};

/// The gateway, configured and not yet serving.
#[derive(Debug)]
pub struct Gateway {
    settings: GatewaySettings,
    keys: TokenKeys,
    internal_key: Secret,
    backends: Backends,
}

impl Gateway {
    /// A gateway that verifies callers' tokens with `keys` (and with the
    /// keys of the OEM's provider, when the settings name one) and signs the
    /// principal it hands to the backends with `internal_key`.
    pub fn new(settings: GatewaySettings, keys: TokenKeys, internal_key: Secret) -> Self {
        Self {
            settings,
            keys,
            internal_key,
            backends: Backends::default(),
        }
    }

    /// Sends the calls of every service in protobuf `package` (e.g.
    /// `aftercare.dealers.v1`) to `backend` (see [`backend`]); a later route for the same
    /// package replaces this one.
    #[must_use]
    pub fn route(mut self, package: &str, backend: Backend) -> Self {
        tracing::debug!(package, "gateway route added");
        self.backends.insert(package, backend);
        self
    }

    /// The gateway's routes without the server around them: health and
    /// reflection, and the proxy for every other path. With the reporter,
    /// to change what health answers (e.g. not serving while draining).
    pub async fn into_routes(self) -> (Routes, Health) {
        let limiter = RateLimiter::new(&self.settings);
        let deadlines = Deadlines {
            default: self.settings.default_deadline(),
            max: self.settings.max_deadline(),
            streaming: aftercare_serving::server_streaming_paths(),
        };
        // The provider's keys are fetched in the background: the gateway
        // serves Aftercare's own tokens at once, and the provider's once its
        // keys are in.
        let oidc = self.settings.oidc.enabled().then(|| {
            let oidc = Oidc::new(self.settings.oidc.clone());
            oidc.spawn_refresher();
            oidc
        });
        let proxy = Proxy::new(
            self.backends,
            Verifier::new(self.keys, oidc),
            self.internal_key,
            limiter,
            deadlines,
        );
        let (routes, health) = ServerRoutes::new().finish().await;
        let router = routes.into_axum_router().fallback_service(proxy);
        (Routes::from(router), health)
    }

    /// Serves gRPC and gRPC-web on `listener` until `shutdown` completes.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send,
    ) -> Result<(), tonic::transport::Error> {
        let mut server = server::server(&self.settings);
        let (routes, _health) = self.into_routes().await;
        tracing::info!(addr = ?listener.local_addr().ok(), "gateway serving");
        server
            .add_routes(routes)
            .serve_with_incoming_shutdown(
                TcpIncoming::from(listener).with_nodelay(Some(true)),
                shutdown,
            )
            .await
    }

    /// Serves the gateway in this process, with the same layers as
    /// [`Gateway::serve`], and returns a gRPC channel to it: each connection
    /// the channel makes is a pair of in-memory pipes. For callers in the
    /// same process and for tests that need no port.
    pub async fn in_process(self) -> Channel {
        let mut server = server::server(&self.settings);
        let (routes, _health) = self.into_routes().await;
        let router = server.add_routes(routes);
        let (channel, incoming) = aftercare_serving::memory_pipes();
        tokio::spawn(async move {
            if let Err(e) = router.serve_with_incoming(incoming).await {
                tracing::error!(error = %e, "in-process gateway stopped");
            }
        });
        channel
    }
}
