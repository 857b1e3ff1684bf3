//! One connection through the proxy: two copies, one each way, chunk by
//! chunk, each chunk reading the faults of the moment.

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
};

use tokio::{
    io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt},
    net::TcpStream,
    sync::watch,
};

use crate::{Faults, Latency, reset};

/// Counts a connection open while it lives.
pub(crate) struct Open(Arc<AtomicUsize>);

impl Open {
    pub(crate) fn count(open: Arc<AtomicUsize>) -> Self {
        open.fetch_add(1, Ordering::SeqCst);
        Self(open)
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[derive(Clone, Copy)]
enum Direction {
    ToTarget,
    ToClient,
}

impl Direction {
    fn delay(self, latency: Latency) -> std::time::Duration {
        match self {
            Direction::ToTarget => latency.to_target,
            Direction::ToClient => latency.to_client,
        }
    }
}

/// Forwards `client` to `target` until both sides are done or a cut.
pub(crate) async fn serve(
    mut client: TcpStream,
    target: SocketAddr,
    faults: watch::Receiver<Faults>,
    _open: Open,
) {
    let (cuts, black_hole) = {
        let now = faults.borrow();
        (now.cuts, now.black_hole)
    };
    if black_hole {
        // Never connected: it reads until the client gives up or a cut.
        let cut_off = tokio::select! {
            _ = swallow(&mut client) => false,
            _ = cut(faults, cuts) => true,
        };
        if cut_off {
            reset(client);
        }
        return;
    }
    let Ok(mut upstream) = TcpStream::connect(target).await else {
        // The target is down: so is the proxy, to this client.
        reset(client);
        return;
    };
    let _ = upstream.set_nodelay(true);
    let _ = client.set_nodelay(true);
    let cut_off = {
        let (client_read, client_write) = client.split();
        let (upstream_read, upstream_write) = upstream.split();
        let both_ways = async {
            tokio::join!(
                forward(client_read, upstream_write, Direction::ToTarget, &faults),
                forward(upstream_read, client_write, Direction::ToClient, &faults),
            )
        };
        tokio::select! {
            _ = both_ways => false,
            _ = cut(faults.clone(), cuts) => true,
        }
    };
    if cut_off {
        reset(client);
        reset(upstream);
    }
}

/// Copies `from` to `to` until `from` ends (then closes `to` for writing)
/// or either fails.
async fn forward(
    mut from: impl AsyncRead + Unpin,
    mut to: impl AsyncWrite + Unpin,
    direction: Direction,
    faults: &watch::Receiver<Faults>,
) {
    let mut chunk = vec![0; 16 * 1024];
    loop {
        let n = match from.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let (black_hole, delay) = {
            let now = faults.borrow();
            (now.black_hole, direction.delay(now.latency))
        };
        if black_hole {
            continue;
        }
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        if to.write_all(&chunk[..n]).await.is_err() {
            break;
        }
    }
    let _ = to.shutdown().await;
}

/// Reads and drops everything until the client closes.
async fn swallow(client: &mut TcpStream) {
    let mut chunk = vec![0; 16 * 1024];
    while let Ok(1..) = client.read(&mut chunk).await {}
}

/// Completes at the first cut after `since`, or when the proxy is gone.
async fn cut(mut faults: watch::Receiver<Faults>, since: u64) {
    let _ = faults.wait_for(|f| f.cuts != since).await;
}
