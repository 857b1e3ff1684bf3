//! What a board looks like in Redis, for whoever inspects it there: the
//! documented keys and entries, and a rebuild that leaves no staged keys
//! and no expiry.

use aftercare_surveys::leagues::boards::{LeagueBoards, Row};
use redis::AsyncTypedCommands;

use crate::boards::support::{fresh_prefix, march, on, ranked, redis_boards, redis_url, unranked};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boards_are_stored_under_their_documented_keys() {
    let prefix = fresh_prefix();
    let boards = redis_boards(&prefix);
    let board = march("nps");
    boards
        .upsert(&on(&board, &[ranked("d-1", 42), unranked("d-2")]))
        .await
        .unwrap();

    let mut raw = redis::Client::open(redis_url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    let ranking = format!("{prefix}{{nps:national:dealer:2026-03}}:ranking");
    let entries = format!("{prefix}{{nps:national:dealer:2026-03}}:entries");
    // Each member scored by its sort key negated (+inf unranked), and its
    // entry "<score> <version> <payload>".
    assert_eq!(raw.zscore(&ranking, "d-1").await.unwrap(), Some(-42.0));
    assert_eq!(
        raw.zscore(&ranking, "d-2").await.unwrap(),
        Some(f64::INFINITY)
    );
    assert_eq!(
        raw.hget(&entries, "d-1").await.unwrap().as_deref(),
        Some("-42 0 d-1=42")
    );
    assert_eq!(
        raw.hget(&entries, "d-2").await.unwrap().as_deref(),
        Some("+inf 0 d-2=unranked")
    );
    // An upsert moves the member and replaces its entry.
    boards
        .upsert(&on(&board, &[ranked("d-1", 7).at_version(3)]))
        .await
        .unwrap();
    assert_eq!(raw.zcard(&ranking).await.unwrap(), 2);
    assert_eq!(raw.zscore(&ranking, "d-1").await.unwrap(), Some(-7.0));
    assert_eq!(
        raw.hget(&entries, "d-1").await.unwrap().as_deref(),
        Some("-7 3 d-1=7")
    );

    let rebuilt: Vec<Row> = (0..2_500).map(|i| ranked(&format!("d-{i}"), i)).collect();
    boards.replace(&board, &rebuilt).await.unwrap();
    // RENAME carries the staged keys' expiry over: the swap removes it.
    assert_eq!(raw.ttl(&ranking).await.unwrap(), -1);
    assert_eq!(raw.ttl(&entries).await.unwrap(), -1);
    let staged: Vec<String> = raw.keys(format!("{prefix}*rebuild*")).await.unwrap();
    assert!(staged.is_empty(), "staged keys left behind: {staged:?}");
    assert_eq!(raw.zcard(&ranking).await.unwrap(), 2_500);
    assert_eq!(raw.hlen(&entries).await.unwrap(), 2_500);
}
