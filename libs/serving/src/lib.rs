//! How every gRPC server of Aftercare is served, so that all of them answer
//! health checks and reflection and report the same telemetry.
//!
//! A server is a set of [`Routes`] made with [`ServerRoutes`]; [`serve`]
//! runs it on a TCP listener, [`local`] makes it a service to call in this
//! process (the embedded mode), and [`in_process`] joins it to a client
//! channel through memory, with the same tonic stack and no port. Each
//! checks the framing of requests first (see [`FramingLayer`]), and answers
//! a call whose caller's deadline passed DEADLINE_EXCEEDED (see
//! [`DeadlineLayer`]).
//! [`watch`] serves the streams that follow a changing answer;
//! [`server_streaming_paths`] names them for the gateway.

mod built;
mod deadline;
mod framing;
pub mod grpc_timeout;
mod streaming;
pub mod watch;

use std::{convert::Infallible, future::Future};

use aftercare_telemetry::{GrpcTelemetry, GrpcTelemetryLayer, metrics_layer};
use hyper_util::rt::TokioIo;
use tokio::io::DuplexStream;
use tokio::{net::TcpListener, sync::mpsc};
use tokio_stream::{Stream, StreamExt, wrappers::UnboundedReceiverStream};
use tonic::{
    server::NamedService,
    service::{Routes, RoutesBuilder},
    transport::{Channel, Endpoint, Server, server::TcpIncoming},
};
use tonic_health::{ServingStatus, server::HealthReporter};
use tower::Layer;

pub use built::{Built, Running};
pub use deadline::{Deadline, DeadlineLayer};
pub use framing::{Framing, FramingLayer, MAX_REQUEST_MESSAGE_BYTES};
pub use streaming::server_streaming_paths;
pub use tonic_health::server::HealthReporter as Health;

/// The routes of one server: the services it serves, plus health (reporting
/// each of them as serving) and reflection over every Aftercare contract.
#[derive(Debug)]
pub struct ServerRoutes {
    routes: RoutesBuilder,
    health: HealthReporter,
    names: Vec<&'static str>,
}

impl Default for ServerRoutes {
    fn default() -> Self {
        Self::new()
    }
}

impl ServerRoutes {
    pub fn new() -> Self {
        let (health, health_service) = tonic_health::server::health_reporter();
        let reflection = || {
            tonic_reflection::server::Builder::configure()
                .register_encoded_file_descriptor_set(aftercare_proto::FILE_DESCRIPTOR_SET)
                .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        };
        let mut routes = RoutesBuilder::default();
        routes.add_service(health_service);
        // Descriptor sets are compiled in; building from them cannot fail.
        routes.add_service(reflection().build_v1().expect("reflection v1 builds"));
        routes.add_service(
            reflection()
                .build_v1alpha()
                .expect("reflection v1alpha builds"),
        );
        Self {
            routes,
            health,
            names: vec![],
        }
    }

    pub fn with_service<S>(mut self, service: S) -> Self
    where
        S: tower::Service<http::Request<tonic::body::Body>, Error = Infallible>
            + NamedService
            + Clone
            + Send
            + Sync
            + 'static,
        S::Response: axum::response::IntoResponse,
        S::Future: Send + 'static,
    {
        self.routes.add_service(service);
        self.names.push(S::NAME);
        self
    }

    /// The routes, with every added service reported as serving, and the
    /// health reporter to change that later.
    pub async fn finish(self) -> (Routes, HealthReporter) {
        for name in self.names {
            self.health
                .set_service_status(name, ServingStatus::Serving)
                .await;
        }
        (self.routes.routes(), self.health)
    }
}

/// Serves `routes` on `listener` until `shutdown` completes; `name` labels
/// its telemetry. The port also answers Prometheus' `GET /metrics` (plain
/// HTTP/1.1, hence accepted beside HTTP/2).
pub async fn serve(
    name: &'static str,
    routes: Routes,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    Server::builder()
        .accept_http1(true)
        .layer(metrics_layer())
        .layer(GrpcTelemetryLayer::new(name))
        .layer(DeadlineLayer)
        .layer(FramingLayer)
        .add_routes(routes)
        .serve_with_incoming_shutdown(
            TcpIncoming::from(listener).with_nodelay(Some(true)),
            shutdown,
        )
        .await
}

/// The routes as a service to call in this process: no network, no HTTP/2,
/// the call goes straight to the handlers, with the same telemetry as on a
/// server. How the embedded mode's gateway reaches the services.
pub fn local(name: &'static str, routes: Routes) -> GrpcTelemetry<Framing<Routes>> {
    GrpcTelemetryLayer::new(name).layer(FramingLayer.layer(routes))
}

/// Serves `routes` in this process and returns a channel to them: each
/// connection the channel makes is a pair of in-memory pipes. `name` labels
/// its telemetry.
pub fn in_process(name: &'static str, routes: Routes) -> Channel {
    let (channel, incoming) = memory_pipes();
    serve_pipes(name, routes, incoming);
    channel
}

/// Serves `routes` on the server ends of [`memory_pipes`]: for services that
/// call each other, whose channels must exist before either is built.
pub fn serve_pipes(
    name: &'static str,
    routes: Routes,
    incoming: impl Stream<Item = std::io::Result<DuplexStream>> + Send + 'static,
) {
    let server = Server::builder()
        .layer(GrpcTelemetryLayer::new(name))
        .layer(DeadlineLayer)
        .layer(FramingLayer)
        .add_routes(routes);
    tokio::spawn(async move {
        if let Err(e) = server.serve_with_incoming(incoming).await {
            tracing::error!(server = name, error = %e, "in-process server stopped");
        }
    });
}

/// A client channel whose every connection is a pair of in-memory pipes,
/// and the stream of the pipes' server ends, for a server's
/// `serve_with_incoming`.
pub fn memory_pipes() -> (
    Channel,
    impl Stream<Item = std::io::Result<DuplexStream>> + Send + 'static,
) {
    let (connections, incoming) = mpsc::unbounded_channel();
    // The URI is never dialled; the connector below makes the connection.
    let channel = Endpoint::from_static("http://in-process").connect_with_connector_lazy(
        tower::service_fn(move |_| {
            let (client, server) = tokio::io::duplex(256 * 1024);
            let sent = connections.send(server);
            async move {
                sent.map_err(|_| std::io::Error::other("the in-process server has stopped"))?;
                Ok::<_, std::io::Error>(TokioIo::new(client))
            }
        }),
    );
    (channel, UnboundedReceiverStream::new(incoming).map(Ok))
}
