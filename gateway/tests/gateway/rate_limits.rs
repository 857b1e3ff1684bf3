//! Each caller's quota: one gateway keeps it itself; several gateways that
//! share a Redis keep one quota for all of them, and each falls back to its
//! share of it when Redis does not answer.
//!
//! The Redis is the one `scripts/test` starts (`AFTERCARE_TEST_REDIS_URL`);
//! each test keeps its keys under a prefix of its own.

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use aftercare_gateway::GatewaySettings;
use aftercare_test_support::{eventually, metric, patience, record_metrics};
use tokio::{
    net::{TcpListener, TcpStream},
    task::JoinHandle,
};
use tonic::{Code, Status};
use tonic_types::StatusExt;

use super::{TestGateway, code};

const REDIS_URL_VAR: &str = "AFTERCARE_TEST_REDIS_URL";

/// `burst` calls at once, then (almost) none: a call every 1,000 s.
fn burst_of(burst: u32) -> GatewaySettings {
    GatewaySettings {
        rate_limit_per_second: 0.001,
        rate_limit_burst: burst,
        ..Default::default()
    }
}

/// `settings` with the quota kept in Redis at `url`, for `replicas`
/// gateways, under a key prefix no other test uses. Redis is waited for
/// with the tests' patience (a busy machine may take longer than a
/// deployment's deadline to connect), so that no call falls back.
fn shared_at(url: &str, replicas: u32, settings: GatewaySettings) -> GatewaySettings {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_nanos();
    GatewaySettings {
        rate_limit_redis_url: Some(url.to_owned()),
        rate_limit_redis_key_prefix: format!("test:rate:{}:{nanos}:", std::process::id()),
        rate_limit_replicas: replicas,
        rate_limit_redis_timeout_ms: u64::try_from(patience().as_millis()).expect("patience"),
        ..settings
    }
}

fn redis_url() -> String {
    std::env::var(REDIS_URL_VAR).unwrap_or_else(|_| {
        panic!("{REDIS_URL_VAR} is not set: run the tests with scripts/test, which starts Redis")
    })
}

/// What a refused caller is told: when its next call would pass.
fn retry_after(status: &Status) -> Duration {
    assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
    assert_eq!(status.message(), "rate limit exceeded");
    status
        .get_details_retry_info()
        .and_then(|info| info.retry_delay)
        .expect("a retry delay")
}

/// One call through each of `gateways` in turn, each within the quota.
async fn pass(gateways: &[&TestGateway], token: &str) {
    for (n, gw) in gateways.iter().enumerate() {
        gw.echo(Some(token), b"hi")
            .await
            .unwrap_or_else(|e| panic!("call {} refused: {e:?}", n + 1));
    }
}

async fn refused(gw: &TestGateway, token: &str) -> Duration {
    let status = gw
        .echo(Some(token), b"hi")
        .await
        .expect_err("over the quota");
    retry_after(&status)
}

#[tokio::test]
async fn one_gateway_without_redis_keeps_each_callers_quota() {
    let gw = TestGateway::start(burst_of(3)).await;
    let alice = gw.token("alice");
    pass(&[&gw; 3], &alice).await;
    let wait = refused(&gw, &alice).await;
    assert!(
        wait > Duration::from_secs(990) && wait <= Duration::from_secs(1000),
        "a call every 1,000 s: {wait:?}"
    );
    // Each principal has its own quota.
    gw.echo(Some(&gw.token("bob")), b"hi")
        .await
        .expect("bob is not limited by alice");
}

#[tokio::test]
async fn a_replica_without_redis_keeps_its_share_of_the_quota() {
    let gw = TestGateway::start(GatewaySettings {
        rate_limit_replicas: 2,
        ..burst_of(4)
    })
    .await;
    let alice = gw.token("alice");
    pass(&[&gw; 2], &alice).await;
    // Half the rate: a call every 2,000 s.
    let wait = refused(&gw, &alice).await;
    assert!(wait > Duration::from_secs(1990), "{wait:?}");
}

#[tokio::test]
async fn two_gateways_sharing_a_redis_give_a_caller_its_burst_once() {
    let settings = shared_at(&redis_url(), 2, burst_of(4));
    let a = TestGateway::start(settings.clone()).await;
    let b = a.beside(settings.clone()).await;
    let alice = a.token("alice");
    pass(&[&a, &b, &a, &b], &alice).await;
    for gw in [&a, &b] {
        let wait = refused(gw, &alice).await;
        assert!(wait > Duration::from_secs(990), "{wait:?}");
    }
    // Another caller has a quota of its own, through either gateway.
    let bob = a.token("bob");
    pass(&[&b, &a, &b, &a], &bob).await;
    assert_eq!(
        code(b.echo(Some(&bob), b"hi").await),
        Code::ResourceExhausted
    );

    // The quota is a key per caller that vanishes once the caller has been
    // idle long enough to be as good as new: four calls at one per 1,000 s.
    let mut redis = redis::Client::open(redis_url())
        .expect("a Redis URL")
        .get_multiplexed_async_connection()
        .await
        .expect("connect to Redis");
    let key = format!("{}alice", settings.rate_limit_redis_key_prefix);
    let ttl: i64 = redis::cmd("PTTL")
        .arg(&key)
        .query_async(&mut redis)
        .await
        .expect("PTTL");
    assert!(
        ttl > 3_990_000 && ttl <= 4_000_000,
        "{key} expires in {ttl} ms"
    );
}

#[tokio::test]
async fn the_shared_quota_refills_at_its_rate() {
    // Two calls at once, then one every 50 ms.
    let settings = shared_at(
        &redis_url(),
        2,
        GatewaySettings {
            rate_limit_per_second: 20.0,
            rate_limit_burst: 2,
            ..Default::default()
        },
    );
    let a = TestGateway::start(settings.clone()).await;
    let b = a.beside(settings).await;
    let carol = a.token("carol");
    // Spent through both (each call may come after a refill on a slow
    // machine, so it is spent until one is refused).
    let mut passed = 0;
    let wait = loop {
        let gw = if passed % 2 == 0 { &a } else { &b };
        match gw.echo(Some(&carol), b"hi").await {
            Ok(_) => passed += 1,
            Err(status) => break retry_after(&status),
        }
    };
    assert!(passed >= 2, "the burst passes: {passed}");
    assert!(wait <= Duration::from_millis(50), "{wait:?}");
    eventually("the other gateway lets carol through again", || async {
        b.echo(Some(&carol), b"hi").await.is_ok()
    })
    .await;
}

#[tokio::test]
async fn without_redis_each_gateway_allows_its_share_of_the_quota() {
    record_metrics();
    // A Redis that accepts connections and never answers, and a closed port.
    let black_hole = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let closed = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let closed_addr = closed.local_addr().expect("address");
    drop(closed);
    let mut decided_locally = 0.0;
    for url in [
        format!("redis://{}", black_hole.local_addr().expect("address")),
        format!("redis://{closed_addr}"),
    ] {
        // Half of a burst of 4 for each of 2 replicas, after a deployment's
        // short wait.
        let gw = TestGateway::start(GatewaySettings {
            rate_limit_redis_timeout_ms: 50,
            ..shared_at(&url, 2, burst_of(4))
        })
        .await;
        let dave = gw.token("dave");
        pass(&[&gw; 2], &dave).await;
        let wait = refused(&gw, &dave).await;
        // Half the rate: a call every 2,000 s.
        assert!(wait > Duration::from_secs(1990), "{url}: {wait:?}");
        gw.echo(Some(&gw.token("erin")), b"hi")
            .await
            .expect("erin is not limited by dave");
        decided_locally += 4.0;
        assert_eq!(
            fallbacks(),
            decided_locally,
            "every call was decided locally ({url})"
        );
    }
}

#[tokio::test]
async fn once_redis_answers_again_the_quota_is_shared_again() {
    record_metrics();
    let redis = Relay::down(&redis_url()).await;
    let settings = shared_at(&redis.url(), 2, burst_of(4));
    let a = TestGateway::start(settings.clone()).await;
    let b = a.beside(settings).await;
    let alice = a.token("alice");
    // Redis stopped: a replica's share, half the burst.
    pass(&[&a, &a], &alice).await;
    refused(&a, &alice).await;
    assert_eq!(fallbacks(), 3.0);

    redis.up();
    // Each replica asks Redis again a moment after it failed to answer.
    for gw in [&a, &b] {
        let mut probe = 0;
        eventually("the gateway counts calls in Redis again", || {
            probe += 1;
            let token = gw.token(&format!("probe-{probe}"));
            async move {
                let before = fallbacks();
                gw.echo(Some(&token), b"hi").await.is_ok() && fallbacks() == before
            }
        })
        .await;
    }
    let carol = a.token("carol");
    pass(&[&a, &b, &a, &b], &carol).await;
    refused(&a, &carol).await;
    refused(&b, &carol).await;
}

/// Calls decided by a replica alone, Redis not answering.
fn fallbacks() -> f64 {
    metric("gateway_rate_limit_fallback_calls_total", &[]).unwrap_or(0.0)
}

/// Redis at an address of its own, stopped until [`Relay::up`]: meanwhile
/// each connection is closed as soon as it is made, as a stopped server's
/// port would refuse it; then each is relayed to the real server.
struct Relay {
    addr: SocketAddr,
    up: Arc<AtomicBool>,
    accepting: JoinHandle<()>,
}

impl Relay {
    async fn down(redis_url: &str) -> Self {
        let upstream = redis_url
            .strip_prefix("redis://")
            .expect("redis://host:port")
            .trim_end_matches('/')
            .to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let up = Arc::new(AtomicBool::new(false));
        let is_up = Arc::clone(&up);
        let accepting = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !is_up.load(Ordering::SeqCst) {
                    continue; // dropped: closed at once
                }
                let upstream = upstream.clone();
                tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
            }
        });
        Self {
            addr,
            up,
            accepting,
        }
    }

    fn url(&self) -> String {
        format!("redis://{}", self.addr)
    }

    fn up(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.accepting.abort();
    }
}
