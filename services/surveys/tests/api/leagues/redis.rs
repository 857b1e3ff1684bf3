//! The tables on Redis: moved by responses; served from the database, in
//! the same order, while Redis is down (a server of the test's own, really
//! killed); rebuilt once it is back; and a rebuild after a flush equals the
//! live state.

use std::{sync::Arc, time::Duration};

use aftercare_db::Backend;
use aftercare_proto::surveys::v1 as pb;
use aftercare_surveys::{
    Rules,
    leagues::boards::{RedisBoards, RedisBoardsConfig},
};
use aftercare_test_support::eventually;

use super::{NOVEMBER, answer, listed, month, network, nps, table};
use crate::{
    boards::{
        private_redis::PrivateRedis,
        support::{fresh_prefix, redis_boards},
    },
    both,
    support::{Harness, dealer_name, start_with_boards, who},
};

/// A service whose tables are on the shared Redis, under a prefix of its
/// own.
async fn on_shared_redis(backend: Backend) -> Harness {
    start_with_boards(
        backend,
        Rules::default(),
        Arc::new(redis_boards(&fresh_prefix())),
    )
    .await
}

/// A service whose tables are on a Redis server of its own.
pub(super) async fn on_private_redis(backend: Backend) -> Harness {
    let (server, config) = private_redis().await;
    let boards = RedisBoards::new(config).expect("valid Redis settings");
    let mut h = start_with_boards(backend, Rules::default(), Arc::new(boards)).await;
    h.redis = Some(server);
    h
}

/// A Redis server of the test's own, and the settings of a table store on
/// it, under a prefix of its own.
pub(super) async fn private_redis() -> (PrivateRedis, RedisBoardsConfig) {
    let server = PrivateRedis::start().await;
    let config = RedisBoardsConfig {
        key_prefix: fresh_prefix(),
        timeout: Duration::from_millis(300),
        ..RedisBoardsConfig::new(server.url())
    };
    (server, config)
}

both!(
    responses_move_a_redis_table_and_a_rebuild_after_a_flush_equals_it,
    on_shared_redis,
    |h: Harness| async move {
        network(&h).await;
        let before = table(&h, nps("", 11)).await;
        assert!(!before.served_from_database);
        assert_eq!(before.entries[2].member_id, "d3");
        // Two promoters lift d3 from third to... still behind d1 and d2 (2
        // detractors and 2 promoters is NPS 0), but ahead once more come.
        for tag in ["r3a", "r3b", "r3c", "r3d"] {
            answer(&h, tag, "d3", "r2", NOVEMBER, true).await;
        }
        let live = table(&h, nps("", 11)).await;
        assert!(!live.served_from_database);
        assert_eq!(
            listed(&live.entries)
                .iter()
                .map(|(m, _, r, _)| (m.as_str(), *r))
                .collect::<Vec<_>>(),
            [
                ("d1", Some(1)),
                ("d2", Some(1)),
                ("d3", Some(3)),
                ("d4", None)
            ]
        );
        let d3_before = before.entries[2].estimate.unwrap();
        assert!(live.entries[2].estimate.unwrap() > d3_before);

        // Flush the period's tables, then rebuild: equal to the live ones.
        let boards = h.leagues.boards();
        let period = "2026-11".parse().unwrap();
        for board in boards.boards(period).await.unwrap() {
            boards.delete(&board).await.unwrap();
        }
        assert!(table(&h, nps("", 11)).await.entries.is_empty());
        h.leagues(who::oem())
            .rebuild_league_tables(pb::RebuildLeagueTablesRequest { period: month(11) })
            .await
            .expect("rebuilt");
        assert_eq!(table(&h, nps("", 11)).await, live);
        let standing = |h: &Harness| {
            let mut c = h.leagues(who::oem());
            async move {
                c.get_league_standing(pb::GetLeagueStandingRequest {
                    table: nps("r1", 11),
                    member_id: "d2".into(),
                    neighbours: 2,
                })
                .await
                .unwrap()
                .into_inner()
            }
        };
        assert!(!standing(&h).await.served_from_database);
    }
);

both!(
    a_killed_redis_is_answered_for_by_the_database_and_rebuilt_when_back,
    on_private_redis,
    |mut h: Harness| async move {
        network(&h).await;
        let live = table(&h, nps("", 11)).await;
        assert!(!live.served_from_database);

        h.redis.as_mut().unwrap().kill();
        // Reads answer from the database, in the same order with the same
        // ranks and figures.
        let down = table(&h, nps("", 11)).await;
        assert!(down.served_from_database);
        assert_eq!(down.entries, live.entries);
        assert_eq!(
            down.entries[0].member_name,
            dealer_name(&down.entries[0].member_id)
        );
        assert_eq!(
            (down.ranked_count, down.unranked_count),
            (live.ranked_count, live.unranked_count)
        );
        // A response is still stored, and the database shows it.
        answer(&h, "down-1", "d4", "r1", NOVEMBER, true).await;
        let moved = table(&h, nps("", 11)).await;
        assert!(moved.served_from_database);
        assert_eq!(moved.ranked_count, 4);
        assert!(
            moved
                .entries
                .iter()
                .any(|e| e.member_id == "d4" && e.rank == Some(1))
        );

        // Back (empty, as after a crash without persistence): the repair
        // task rebuilds the stale tables, which then equal the live state.
        h.redis.as_mut().unwrap().restart().await;
        let rebuilt = eventually("the tables are rebuilt", || async {
            let now = table(&h, nps("", 11)).await;
            (!now.served_from_database).then_some(now)
        })
        .await;
        assert_eq!(rebuilt.entries, moved.entries);
        // The other tables of the period were rebuilt as well.
        let r1 = table(&h, nps("r1", 11)).await;
        assert!(!r1.served_from_database);
        assert_eq!(r1.entries.len(), 3);
        // And the store is live again: a response moves it.
        answer(&h, "up-1", "d3", "r2", NOVEMBER, true).await;
        let after = table(&h, nps("r2", 11)).await;
        assert!(!after.served_from_database);
        assert_eq!(after.entries[0].sample_size, Some(3));
    }
);

both!(
    concurrent_responses_of_one_dealer_leave_the_table_a_rebuild_gives,
    on_shared_redis,
    |h: Harness| async move {
        network(&h).await;
        // Sixteen answers for d3 at once (and four for d4): each update reads
        // d3's sums and writes its rows in whatever order they land.
        let answers = (0..20).map(|i| {
            let h = &h;
            async move {
                let (dealer, region) = if i < 16 { ("d3", "r2") } else { ("d4", "r1") };
                answer(h, &format!("c{i}"), dealer, region, NOVEMBER, i % 3 != 0).await;
            }
        });
        futures::future::join_all(answers).await;
        let live = table(&h, nps("", 11)).await;
        assert!(!live.served_from_database);
        let d3 = live.entries.iter().find(|e| e.member_id == "d3").unwrap();
        assert_eq!(d3.sample_size, Some(18));

        h.leagues(who::oem())
            .rebuild_league_tables(pb::RebuildLeagueTablesRequest { period: month(11) })
            .await
            .expect("rebuilt");
        assert_eq!(table(&h, nps("", 11)).await, live);
        assert!(h.leagues.is_settled());
    }
);
