//! The proxy in front of an echo server, as a client meets each fault.

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use aftercare_faults::{Latency, NewConnections, Proxy};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

/// How long a silence must last to count as one: a call through a black
/// hole gets no answer in this time (the echo answers in microseconds).
const SILENCE: Duration = Duration::from_millis(300);

/// An echo server counting the bytes it received.
struct Echo {
    addr: SocketAddr,
    received: Arc<AtomicUsize>,
}

async fn echo() -> Echo {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("its address");
    let received = Arc::new(AtomicUsize::new(0));
    let counted = received.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let counted = counted.clone();
            tokio::spawn(async move {
                let mut chunk = [0; 1024];
                while let Ok(n @ 1..) = stream.read(&mut chunk).await {
                    counted.fetch_add(n, Ordering::SeqCst);
                    if stream.write_all(&chunk[..n]).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    Echo { addr, received }
}

/// Sends `text` and reads its echo.
async fn round_trip(stream: &mut TcpStream, text: &[u8]) -> std::io::Result<Vec<u8>> {
    stream.write_all(text).await?;
    let mut answer = vec![0; text.len()];
    stream.read_exact(&mut answer).await?;
    Ok(answer)
}

/// Whether the connection is closed (an end of file or a reset) when read.
async fn is_closed(stream: &mut TcpStream) -> bool {
    let mut chunk = [0; 16];
    matches!(stream.read(&mut chunk).await, Ok(0) | Err(_))
}

#[tokio::test]
async fn bytes_pass_both_ways() {
    let target = echo().await;
    let proxy = Proxy::start(target.addr).await.expect("the proxy starts");
    let mut stream = TcpStream::connect(proxy.addr()).await.expect("connects");
    assert_eq!(round_trip(&mut stream, b"hello").await.unwrap(), b"hello");
    assert_eq!(proxy.open_connections(), 1);
}

#[tokio::test]
async fn latency_holds_every_chunk_each_way() {
    let target = echo().await;
    let proxy = Proxy::start(target.addr).await.expect("the proxy starts");
    let mut stream = TcpStream::connect(proxy.addr()).await.expect("connects");
    let each_way = Duration::from_millis(150);
    proxy.delay(Latency::both(each_way));
    let started = Instant::now();
    assert_eq!(round_trip(&mut stream, b"slow").await.unwrap(), b"slow");
    assert!(started.elapsed() >= 2 * each_way, "{:?}", started.elapsed());

    proxy.delay(Latency {
        to_target: Duration::ZERO,
        to_client: each_way,
    });
    let started = Instant::now();
    round_trip(&mut stream, b"one way").await.unwrap();
    assert!(started.elapsed() >= each_way, "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_cut_resets_open_connections_and_refuses_new_ones_until_pass() {
    let target = echo().await;
    let proxy = Proxy::start(target.addr).await.expect("the proxy starts");
    let mut before = TcpStream::connect(proxy.addr()).await.expect("connects");
    round_trip(&mut before, b"up").await.unwrap();

    proxy.cut(NewConnections::Refuse);
    assert!(is_closed(&mut before).await, "the open connection is cut");
    let mut during = TcpStream::connect(proxy.addr()).await.expect("accepted");
    assert!(is_closed(&mut during).await, "a new one is reset at once");
    assert!(round_trip(&mut during, b"x").await.is_err());

    proxy.pass();
    let mut after = TcpStream::connect(proxy.addr()).await.expect("connects");
    assert_eq!(round_trip(&mut after, b"back").await.unwrap(), b"back");
}

#[tokio::test]
async fn a_cut_that_accepts_is_a_blip() {
    let target = echo().await;
    let proxy = Proxy::start(target.addr).await.expect("the proxy starts");
    let mut before = TcpStream::connect(proxy.addr()).await.expect("connects");
    round_trip(&mut before, b"up").await.unwrap();

    proxy.cut(NewConnections::Accept);
    assert!(is_closed(&mut before).await, "the open connection is cut");
    let mut after = TcpStream::connect(proxy.addr()).await.expect("connects");
    assert_eq!(round_trip(&mut after, b"again").await.unwrap(), b"again");
}

#[tokio::test]
async fn a_black_hole_reads_and_never_answers() {
    let target = echo().await;
    let proxy = Proxy::start(target.addr).await.expect("the proxy starts");
    let mut open = TcpStream::connect(proxy.addr()).await.expect("connects");
    round_trip(&mut open, b"up").await.unwrap();
    let received = target.received.load(Ordering::SeqCst);

    proxy.black_hole();
    let silent = tokio::time::timeout(SILENCE, round_trip(&mut open, b"lost")).await;
    assert!(silent.is_err(), "no answer through a black hole");
    let mut new = TcpStream::connect(proxy.addr()).await.expect("accepted");
    let silent = tokio::time::timeout(SILENCE, round_trip(&mut new, b"lost too")).await;
    assert!(silent.is_err(), "nor on a new connection");
    assert_eq!(target.received.load(Ordering::SeqCst), received);

    // The connection open before carries on; what was swallowed is gone.
    proxy.pass();
    assert_eq!(round_trip(&mut open, b"back").await.unwrap(), b"back");
}

#[tokio::test]
async fn a_target_that_is_down_is_down_through_the_proxy() {
    let vacant = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = vacant.local_addr().expect("its address");
    drop(vacant);
    let proxy = Proxy::start(addr).await.expect("the proxy starts");
    let mut stream = TcpStream::connect(proxy.addr()).await.expect("accepted");
    assert!(is_closed(&mut stream).await);
}

#[tokio::test]
async fn dropping_the_proxy_closes_its_connections() {
    let target = echo().await;
    let proxy = Proxy::start(target.addr).await.expect("the proxy starts");
    let mut stream = TcpStream::connect(proxy.addr()).await.expect("connects");
    round_trip(&mut stream, b"up").await.unwrap();
    drop(proxy);
    assert!(is_closed(&mut stream).await);
}
