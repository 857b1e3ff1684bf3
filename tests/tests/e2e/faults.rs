//! The fault runs of `aftercare-load` (scripts/fault-*), small: the real
//! binary in the distributed mode on PostgreSQL, one fault each, and what
//! the stores hold afterwards. Each needs `AFTERCARE_TEST_POSTGRES_URL`
//! (and the Redis one, `AFTERCARE_TEST_REDIS_URL`); scripts/test sets them.

use std::time::Duration;

use aftercare_load::faults::{
    outbox::{self, OutboxSettings},
    postgres::{self, PostgresSettings},
    redis::{self, RedisSettings},
    slow::{self, SlowSettings},
};
use aftercare_test_support::patience;

use crate::support::process::binary;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outbox_receiver_killed_ten_times_loses_and_doubles_nothing() {
    let figures = outbox::run(&OutboxSettings {
        binary: binary().to_owned(),
        events: 500,
        kills: 10,
        patience: patience(),
    })
    .await
    .expect("the run completes");
    eprintln!("{figures}");
    assert!(figures.none_lost_none_doubled(), "{figures}");
    assert!(figures.attempts > 500, "the kills cost retries: {figures}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgresql_cut_off_under_load_answers_unavailable_and_leaves_nothing_half_written() {
    let figures = postgres::run(&PostgresSettings {
        binary: binary().to_owned(),
        clients: 4,
        before: Duration::from_secs(1),
        outage: Duration::from_secs(2),
        after: Duration::from_secs(1),
        patience: patience(),
    })
    .await
    .expect("the run completes");
    eprintln!("{figures}");
    assert!(figures.as_promised(), "{figures}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_cut_off_under_load_serves_the_same_ranking_from_the_database_and_rebuilds() {
    let redis_url = std::env::var("AFTERCARE_TEST_REDIS_URL").expect(
        "AFTERCARE_TEST_REDIS_URL: a Redis for the league tables (scripts/test starts one)",
    );
    let figures = redis::run(&RedisSettings {
        binary: binary().to_owned(),
        redis_url,
        clients: 2,
        before: Duration::from_secs(1),
        outage: Duration::from_secs(2),
        patience: patience(),
    })
    .await
    .expect("the run completes");
    eprintln!("{figures}");
    assert!(figures.as_promised(), "{figures}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_slowed_past_the_deadline_holds_no_transaction_open() {
    let postgres_url = std::env::var(aftercare_db::testing::POSTGRES_URL_VAR)
        .expect("AFTERCARE_TEST_POSTGRES_URL (scripts/test starts PostgreSQL)");
    let figures = slow::run(&SlowSettings {
        binary: binary().to_owned(),
        deadline: Duration::from_secs(1),
        latency: Duration::from_secs(3),
        claims: 8,
        clients: 4,
        postgres_url,
        patience: patience(),
    })
    .await
    .expect("the run completes");
    eprintln!("{figures}");
    assert!(figures.as_promised(), "{figures}");
}
