//! A service served over TCP on a port it keeps, so that a test can stop
//! it, as with its process gone, and start it again where its callers
//! expect it.

use aftercare_serving::serve;
use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};
use tonic::{
    service::Routes,
    transport::{Channel, Endpoint},
};

/// A loopback port and what serves on it, if anything.
#[derive(Debug, Default)]
pub struct TcpServer {
    /// 0 until first bound: then the port the system gave, kept.
    port: u16,
    serving: Option<(oneshot::Sender<()>, JoinHandle<()>)>,
}

impl TcpServer {
    /// Serves `routes` as `name`, on the port of the last time (bound
    /// before this returns: a call made next finds it listening).
    pub async fn up(&mut self, name: &'static str, routes: Routes) {
        let listener = TcpListener::bind(("127.0.0.1", self.port))
            .await
            .expect("the port is free");
        self.port = listener.local_addr().expect("a bound address").port();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = serve(name, routes, listener, async {
                drop(stopped.await);
            })
            .await;
        });
        self.serving = Some((stop, task));
    }

    /// Stops serving: calls fail as they would with the process gone.
    pub async fn down(&mut self) {
        if let Some((stop, task)) = self.serving.take() {
            let _ = stop.send(());
            let _ = task.await;
        }
    }

    /// The port served on (0 until first bound).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A channel to the port, connecting at its first call and again after
    /// a restart.
    pub fn channel(&self) -> Channel {
        Endpoint::from_shared(format!("http://127.0.0.1:{}", self.port))
            .expect("a valid url")
            .connect_lazy()
    }
}
