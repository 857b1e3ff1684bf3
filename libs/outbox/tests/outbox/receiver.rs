//! A receiving service for the restart test: a gRPC server that applies
//! each event once in its own database, and the deliverer that calls it.
//!
//! The server runs in a runtime of its own, so that killing it drops
//! everything at once, as when its process dies: the listener, open
//! connections, calls half way through, transactions not committed. A kill
//! can wait for a call to reach a chosen [`Moment`], so that the test knows
//! it cut one there.

use std::{
    future::Future,
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use aftercare_db::{Backend, Db, testing};
use aftercare_outbox::{Deliver, DeliveryError, StoredEvent, apply_once};
use aftercare_proto::echo::v1::{
    EchoRequest, EchoResponse,
    echo_service_client::EchoServiceClient,
    echo_service_server::{EchoService, EchoServiceServer},
};
use prost::Message;
use tokio::{
    net::{TcpListener, TcpSocket},
    runtime::Runtime,
    sync::oneshot,
};
use tonic::{
    Request, Response, Status,
    transport::{Channel, Endpoint, Server, server::TcpIncoming},
};

/// The metadata key the event id travels in.
const EVENT_ID: &str = "x-event-id";

/// A receiver that can be killed and started again on the same port.
pub(crate) struct Receiver {
    url: String,
    addr: SocketAddr,
    runtime: Option<Runtime>,
    probe: Arc<Probe>,
}

/// Where a call that applies an event for the first time can be cut by a
/// kill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Moment {
    /// The event and its change written, not committed: lost with the
    /// receiver, so the event must be applied by a later delivery.
    InTransaction,
    /// Committed, the answer not sent: the relay sends the event again,
    /// and the receiver must not apply it twice.
    Committed,
}

/// Shared by the test and every life of the receiver.
#[derive(Debug, Default)]
struct Probe {
    trap: Mutex<Option<(Moment, oneshot::Sender<()>)>>,
    duplicates: AtomicUsize,
}

impl Probe {
    /// Holds the call here until the kill, if a kill waits for `moment`.
    async fn pass(&self, moment: Moment) {
        let sprung = {
            let mut trap = self.trap.lock().unwrap();
            match trap.take() {
                Some((m, signal)) if m == moment => Some(signal),
                other => {
                    *trap = other;
                    None
                }
            }
        };
        if let Some(signal) = sprung {
            let _ = signal.send(());
            std::future::pending::<()>().await;
        }
    }
}

impl Receiver {
    /// A receiver on a fresh database on `backend`, serving.
    pub(crate) async fn start(backend: Backend) -> Self {
        let url = testing::fresh_url(backend);
        let db = Db::connect(&url, 1).await.expect("receiver database");
        crate::support::prepare(&db).await;
        // No key: a second application would show as a second row.
        sqlx::query("CREATE TABLE applied (event_id TEXT NOT NULL, body TEXT NOT NULL)")
            .execute(db.pool())
            .await
            .expect("applied table");
        db.close().await;
        let mut receiver = Self {
            url,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            runtime: None,
            probe: Arc::default(),
        };
        receiver.restart().await;
        receiver
    }

    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Starts serving again, on the same port after the first start.
    pub(crate) async fn restart(&mut self) {
        assert!(self.runtime.is_none(), "the receiver is running");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("receiver runtime");
        let (ready, bound) = oneshot::channel();
        runtime.spawn(serve(
            self.url.clone(),
            self.addr,
            self.probe.clone(),
            ready,
        ));
        self.runtime = Some(runtime);
        self.addr = bound.await.expect("the receiver starts");
    }

    /// Kills the receiver as soon as a call reaches `moment`.
    pub(crate) async fn kill_at(&mut self, moment: Moment) {
        let (sprung, signal) = oneshot::channel();
        *self.probe.trap.lock().unwrap() = Some((moment, sprung));
        tokio::time::timeout(crate::support::patience(), signal)
            .await
            .unwrap_or_else(|_| panic!("no call reached {moment:?}"))
            .expect("the trap is sprung");
        self.kill().await;
    }

    /// Deliveries of an event applied before, over all lives.
    pub(crate) fn duplicates(&self) -> usize {
        self.probe.duplicates.load(Ordering::Relaxed)
    }

    /// Drops the receiver with everything it was doing.
    pub(crate) async fn kill(&mut self) {
        let runtime = self.runtime.take().expect("the receiver is running");
        tokio::task::spawn_blocking(move || runtime.shutdown_timeout(Duration::from_secs(5)))
            .await
            .expect("the receiver stops");
    }

    /// The events applied, with their bodies, one row per application.
    pub(crate) async fn applied(&self) -> Vec<(String, String)> {
        let db = Db::connect(&self.url, 1).await.expect("receiver database");
        let rows = sqlx::query_as("SELECT event_id, body FROM applied")
            .fetch_all(db.pool())
            .await
            .expect("applied rows");
        db.close().await;
        rows
    }
}

impl Drop for Receiver {
    /// A test that fails leaves the receiver running; a runtime may not be
    /// dropped in async code, but it may be let go.
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

async fn serve(
    url: String,
    addr: SocketAddr,
    probe: Arc<Probe>,
    ready: oneshot::Sender<SocketAddr>,
) {
    let db = Db::connect(&url, 4).await.expect("receiver database");
    let listener = bind(addr).await;
    let _ = ready.send(listener.local_addr().expect("bound address"));
    let served = Server::builder()
        .add_service(EchoServiceServer::new(Applier { db, probe }))
        .serve_with_incoming(TcpIncoming::from(listener))
        .await;
    served.expect("the receiver serves");
}

/// Binds `addr`, allowing the port of the killed receiver whose
/// connections linger in TIME_WAIT.
async fn bind(addr: SocketAddr) -> TcpListener {
    let socket = TcpSocket::new_v4().expect("socket");
    socket.set_reuseaddr(true).expect("SO_REUSEADDR");
    socket.bind(addr).expect("the receiver's port is free");
    socket.listen(1024).expect("listen")
}

struct Applier {
    db: Db,
    probe: Arc<Probe>,
}

fn internal(e: sqlx::Error) -> Status {
    Status::internal(e.to_string())
}

#[tonic::async_trait]
impl EchoService for Applier {
    async fn echo(&self, request: Request<EchoRequest>) -> Result<Response<EchoResponse>, Status> {
        let event_id = request
            .metadata()
            .get(EVENT_ID)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| Status::invalid_argument("no event id"))?
            .to_owned();
        let body = request.into_inner().payload;
        let mut tx = self.db.begin().await.map_err(internal)?;
        let first = apply_once(&mut tx, &event_id).await.map_err(internal)?;
        if first {
            sqlx::query("INSERT INTO applied (event_id, body) VALUES ($1, $2)")
                .bind(&event_id)
                .bind(String::from_utf8_lossy(&body).into_owned())
                .execute(&mut *tx)
                .await
                .map_err(internal)?;
            self.probe.pass(Moment::InTransaction).await;
        } else {
            self.probe.duplicates.fetch_add(1, Ordering::Relaxed);
        }
        tx.commit().await.map_err(internal)?;
        if first {
            self.probe.pass(Moment::Committed).await;
        }
        Ok(Response::new(EchoResponse { payload: body }))
    }
}

/// Delivers an event whose payload is an `EchoRequest` to the receiver,
/// with the event id in the metadata.
pub(crate) struct ToReceiver {
    client: EchoServiceClient<Channel>,
}

impl ToReceiver {
    pub(crate) fn new(addr: SocketAddr) -> Self {
        let channel = Endpoint::from_shared(format!("http://{addr}"))
            .expect("receiver uri")
            .connect_timeout(Duration::from_millis(500))
            .timeout(Duration::from_secs(2))
            .connect_lazy();
        Self {
            client: EchoServiceClient::new(channel),
        }
    }
}

impl Deliver for ToReceiver {
    fn deliver(
        &self,
        event: &StoredEvent,
    ) -> impl Future<Output = Result<(), DeliveryError>> + Send {
        let mut client = self.client.clone();
        let message = EchoRequest::decode(event.payload.as_slice());
        let event_id = event.id.parse();
        async move {
            let message = message.map_err(|e| DeliveryError::Permanent(e.to_string()))?;
            let event_id = event_id.map_err(|_| DeliveryError::Permanent("bad event id".into()))?;
            let mut request = Request::new(message);
            request.metadata_mut().insert(EVENT_ID, event_id);
            client.echo(request).await?;
            Ok(())
        }
    }
}
