//! Redis restarted empty between two calls — no call failing, as the
//! shipped Redis without persistence does at every restart: the service
//! notices that the store lost its tables, serves them from the database
//! in the same order, and rebuilds them.

use std::sync::Arc;

use aftercare_db::Backend;
use aftercare_surveys::{
    Rules,
    leagues::boards::{BoardKey, LeagueBoards, Level, RedisBoards, Scope},
};
use aftercare_test_support::{eventually, metric, record_metrics};

use super::{NOVEMBER, answer, network, nps, redis::private_redis, table};
use crate::{
    both,
    support::{Harness, start_with_boards, start_without_repairs},
};

/// A service on a Redis of its own, whose tables are rebuilt only when the
/// test says: what a read sees right after the restart is then certain.
async fn repaired_by_the_test(backend: Backend) -> Harness {
    let (server, config) = private_redis().await;
    let boards = RedisBoards::new(config).expect("valid Redis settings");
    let mut h = start_without_repairs(backend, Rules::default(), Arc::new(boards)).await;
    h.redis = Some(server);
    h
}

/// A service on a Redis of its own, with the background task, and a store
/// handle of another replica's on the same tables (a call of the test's
/// own through the service's handle would take the news of a loss from the
/// service).
async fn beside_another_replica(backend: Backend) -> (Harness, RedisBoards) {
    let (server, config) = private_redis().await;
    let other = RedisBoards::new(config.clone()).expect("valid Redis settings");
    let boards = RedisBoards::new(config).expect("valid Redis settings");
    let mut h = start_with_boards(backend, Rules::default(), Arc::new(boards)).await;
    h.redis = Some(server);
    (h, other)
}

/// Three dealers in November, answered as it ran: the tables are built by
/// the responses alone, with nothing to rebuild.
async fn three_dealers(h: &Harness) {
    h.publish_template("after-sales").await;
    for (tag, dealer, region, high) in [
        ("a1", "d1", "r1", true),
        ("a2", "d1", "r1", true),
        ("b1", "d2", "r1", false),
        ("b2", "d2", "r1", true),
        ("c1", "d3", "r2", false),
        ("c2", "d3", "r2", false),
    ] {
        answer(h, tag, dealer, region, NOVEMBER, high).await;
    }
    assert!(h.leagues.is_settled());
}

both!(
    a_redis_restarted_empty_between_two_calls_is_read_from_the_database_then_rebuilt,
    repaired_by_the_test,
    |mut h: Harness| async move {
        three_dealers(&h).await;
        let live = table(&h, nps("", 11)).await;
        assert!(!live.served_from_database);
        assert_eq!(live.entries.len(), 3);

        // A read is the first call after the restart.
        h.redis.as_mut().unwrap().restart().await;
        let after = table(&h, nps("", 11)).await;
        assert!(after.served_from_database);
        assert_eq!(after.entries, live.entries);
        assert!(!h.leagues.is_settled());
        h.leagues.repair().await.expect("rebuilt");
        assert_eq!(table(&h, nps("", 11)).await, live);
        assert_eq!(table(&h, nps("r1", 11)).await.entries.len(), 2);

        // A response is the first call after the restart: the table does
        // not come back one member at a time.
        h.redis.as_mut().unwrap().restart().await;
        answer(&h, "after-restart", "d4", "r2", NOVEMBER, true).await;
        let after = table(&h, nps("", 11)).await;
        assert!(after.served_from_database);
        assert_eq!(after.entries.len(), 4);
        h.leagues.repair().await.expect("rebuilt");
        let rebuilt = table(&h, nps("", 11)).await;
        assert!(!rebuilt.served_from_database);
        assert_eq!(rebuilt.entries, after.entries);
    }
);

both!(
    a_quiet_redis_restart_is_noticed_and_rebuilt_before_anyone_asks,
    beside_another_replica,
    |(mut h, other): (Harness, RedisBoards)| async move {
        network(&h).await;
        let live = table(&h, nps("", 11)).await;
        assert_eq!(live.entries.len(), 4);

        // No call at all after the restart: the background task looks.
        h.redis.as_mut().unwrap().restart().await;
        let key = BoardKey::new(
            "nps",
            Scope::National,
            Level::Dealer,
            "2026-11".parse().unwrap(),
        )
        .unwrap();
        eventually("the store holds the table again", || async {
            let page = other.top(&key, 50).await.ok()?;
            (page.standings.len() == 4).then_some(())
        })
        .await;
        let served = eventually("the service reads the store again", || async {
            let now = table(&h, nps("", 11)).await;
            (!now.served_from_database).then_some(now)
        })
        .await;
        assert_eq!(served, live);
    }
);

both!(
    a_lost_store_shows_in_the_metrics_until_its_tables_are_rebuilt,
    repaired_by_the_test,
    |mut h: Harness| async move {
        record_metrics();
        three_dealers(&h).await;
        let fresh = || {
            metric("league_tables_waiting_periods", &[]) == Some(0.0)
                && metric("league_tables_behind_seconds", &[]) == Some(0.0)
        };
        eventually("the tables are as the database says", || async {
            fresh() && metric("league_table_store_losses_total", &[]) == Some(0.0)
        })
        .await;

        h.redis.as_mut().unwrap().restart().await;
        assert!(table(&h, nps("", 11)).await.served_from_database);
        eventually("the loss shows, and the tables are behind", || async {
            metric("league_table_store_losses_total", &[]) == Some(1.0)
                && metric("league_tables_behind_seconds", &[]).is_some_and(|s| s > 0.0)
        })
        .await;

        h.leagues.repair().await.expect("rebuilt");
        eventually("the tables are caught up", || async {
            fresh() && metric("league_table_store_losses_total", &[]) == Some(1.0)
        })
        .await;
    }
);
