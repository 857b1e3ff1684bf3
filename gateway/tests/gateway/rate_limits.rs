//! Each caller's quota: one gateway keeps it itself; several gateways that
//! share a Redis keep one quota for all of them, and each falls back to its
//! share of it when Redis does not answer.
//!
//! The Redis is the one `scripts/test` starts (`AFTERCARE_TEST_REDIS_URL`);
//! each test keeps its keys under a prefix of its own.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aftercare_gateway::GatewaySettings;
use aftercare_test_support::{eventually, metric, patience, record_metrics};
use tokio::net::TcpListener;
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
    for _ in 0..3 {
        gw.echo(Some(&alice), b"hi")
            .await
            .expect("within the burst");
    }
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
    for _ in 0..2 {
        gw.echo(Some(&alice), b"hi")
            .await
            .expect("within the share");
    }
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
    for gw in [&a, &b, &a, &b] {
        gw.echo(Some(&alice), b"hi")
            .await
            .expect("within the burst");
    }
    for gw in [&a, &b] {
        let wait = refused(gw, &alice).await;
        assert!(wait > Duration::from_secs(990), "{wait:?}");
    }
    // Another caller has a quota of its own, through either gateway.
    let bob = a.token("bob");
    for gw in [&b, &a, &b, &a] {
        gw.echo(Some(&bob), b"hi")
            .await
            .expect("bob is not limited by alice");
    }
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
    let mut fallbacks = 0.0;
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
        for _ in 0..2 {
            gw.echo(Some(&dave), b"hi")
                .await
                .unwrap_or_else(|e| panic!("within the share ({url}): {e:?}"));
        }
        let wait = refused(&gw, &dave).await;
        // Half the rate: a call every 2,000 s.
        assert!(wait > Duration::from_secs(1990), "{url}: {wait:?}");
        gw.echo(Some(&gw.token("erin")), b"hi")
            .await
            .expect("erin is not limited by dave");
        fallbacks += 4.0;
        assert_eq!(
            metric("gateway_rate_limit_fallback_calls_total", &[]),
            Some(fallbacks),
            "every call was decided locally ({url})"
        );
    }
}
