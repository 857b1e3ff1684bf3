//! A TCP fault proxy on loopback, for the fault runs and their tests.
//!
//! [`Proxy::start`] listens on a free loopback port and forwards every
//! connection to a target (PostgreSQL, Redis, a service). Told at run time,
//! it adds latency to each chunk it forwards (per direction), cuts every
//! open connection (and then refuses or accepts new ones), black-holes
//! (accepts and reads, never forwards or answers), or passes again. A
//! process pointed at the proxy's address instead of its target meets the
//! faults as it would on a network, with nothing to restart.
//!
//! ```no_run
//! # async fn example(postgres: std::net::SocketAddr) -> std::io::Result<()> {
//! use aftercare_faults::{NewConnections, Proxy};
//! let proxy = Proxy::start(postgres).await?;
//! // … a service connects to proxy.addr() …
//! proxy.cut(NewConnections::Refuse); // as if the server went down
//! proxy.pass(); // and came back
//! # Ok(())
//! # }
//! ```

mod connection;

use std::{
    io,
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use tokio::{
    net::{TcpListener, TcpStream},
    sync::watch,
    task::JoinHandle,
};

/// Latency added before each chunk is forwarded, per direction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Latency {
    /// On what the client sends, before it reaches the target.
    pub to_target: Duration,
    /// On what the target answers, before it reaches the client.
    pub to_client: Duration,
}

impl Latency {
    /// The same latency both ways.
    pub fn both(each_way: Duration) -> Self {
        Self {
            to_target: each_way,
            to_client: each_way,
        }
    }
}

/// What happens to connections made after a [`Proxy::cut`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewConnections {
    /// Forwarded as before: a blip.
    Accept,
    /// Reset as soon as accepted, as a server that is down, until
    /// [`Proxy::pass`].
    Refuse,
}

/// What the proxy does now; each connection reads it at every chunk.
#[derive(Debug, Clone, Copy, Default)]
struct Faults {
    latency: Latency,
    black_hole: bool,
    refuse: bool,
    /// How many cuts so far: a connection ends when this moves on.
    cuts: u64,
}

/// A proxy in front of one target, until dropped (which closes its port and
/// every connection through it).
#[derive(Debug)]
pub struct Proxy {
    addr: SocketAddr,
    faults: watch::Sender<Faults>,
    open: Arc<AtomicUsize>,
    accepting: JoinHandle<()>,
}

impl Proxy {
    /// Listens on a free port of 127.0.0.1 and forwards to `target`,
    /// passing everything until told otherwise.
    pub async fn start(target: SocketAddr) -> io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let (faults, watching) = watch::channel(Faults::default());
        let open = Arc::new(AtomicUsize::new(0));
        let accepting = tokio::spawn(accept(listener, target, watching, open.clone()));
        Ok(Self {
            addr,
            faults,
            open,
            accepting,
        })
    }

    /// Where to connect instead of the target.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Forwards everything at once again: no latency, no black hole, new
    /// connections accepted.
    pub fn pass(&self) {
        self.faults.send_modify(|f| {
            f.latency = Latency::default();
            f.black_hole = false;
            f.refuse = false;
        });
    }

    /// Holds each chunk for `latency` before forwarding it, on open
    /// connections and new ones.
    pub fn delay(&self, latency: Latency) {
        self.faults.send_modify(|f| f.latency = latency);
    }

    /// Accepts and reads, but forwards nothing either way, on open
    /// connections and new ones: calls through it hang until their
    /// deadline. A connection accepted meanwhile stays silent after
    /// [`Proxy::pass`] (it never reached the target); one open before
    /// carries on.
    pub fn black_hole(&self) {
        self.faults.send_modify(|f| f.black_hole = true);
    }

    /// Resets every open connection, both ways, as a server that crashed
    /// or restarted; `then` says what becomes of new ones.
    pub fn cut(&self, then: NewConnections) {
        self.faults.send_modify(|f| {
            f.cuts += 1;
            f.refuse = then == NewConnections::Refuse;
        });
    }

    /// Connections open through the proxy now.
    pub fn open_connections(&self) -> usize {
        self.open.load(Ordering::SeqCst)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        // The connections end too: they see the sender of `faults` gone.
        self.accepting.abort();
    }
}

async fn accept(
    listener: TcpListener,
    target: SocketAddr,
    faults: watch::Receiver<Faults>,
    open: Arc<AtomicUsize>,
) {
    loop {
        let client = match listener.accept().await {
            Ok((client, _)) => client,
            // Out of descriptors, say: give the others time to close.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        if faults.borrow().refuse {
            reset(client);
            continue;
        }
        let open = connection::Open::count(open.clone());
        tokio::spawn(connection::serve(client, target, faults.clone(), open));
    }
}

/// Closes `stream` with a reset rather than an orderly close, as a peer
/// that went away does.
fn reset(stream: TcpStream) {
    let _ = stream.set_zero_linger();
    drop(stream);
}
