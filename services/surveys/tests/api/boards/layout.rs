//! What a board looks like in Redis, for whoever inspects it there: the
//! documented keys and entries, and a rebuild that leaves no staged keys
//! and no expiry.

use aftercare_surveys::boards::{LeagueBoards, Row};
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
    let rows = format!("{prefix}{{nps:national:dealer:2026-03}}:rows");
    let members = format!("{prefix}{{nps:national:dealer:2026-03}}:members");
    // Each row one entry "<member> <score> <version> <payload>", scored by
    // its score.
    assert_eq!(
        raw.zscore(&rows, "d-1 -42 0 d-1=42").await.unwrap(),
        Some(-42.0)
    );
    assert_eq!(
        raw.zscore(&rows, "d-2 +inf 0 d-2=unranked").await.unwrap(),
        Some(f64::INFINITY)
    );
    assert_eq!(
        raw.hget(&members, "d-1").await.unwrap().as_deref(),
        Some("d-1 -42 0 d-1=42")
    );
    // An upsert replaces the member's entry.
    boards
        .upsert(&on(&board, &[ranked("d-1", 7)]))
        .await
        .unwrap();
    assert_eq!(raw.zcard(&rows).await.unwrap(), 2);
    assert_eq!(
        raw.zscore(&rows, "d-1 -7 0 d-1=7").await.unwrap(),
        Some(-7.0)
    );

    let rebuilt: Vec<Row> = (0..2_500).map(|i| ranked(&format!("d-{i}"), i)).collect();
    boards.replace(&board, &rebuilt).await.unwrap();
    // RENAME carries the staged keys' expiry over: the swap removes it.
    assert_eq!(raw.ttl(&rows).await.unwrap(), -1);
    assert_eq!(raw.ttl(&members).await.unwrap(), -1);
    let staged: Vec<String> = raw.keys(format!("{prefix}*rebuild*")).await.unwrap();
    assert!(staged.is_empty(), "staged keys left behind: {staged:?}");
    assert_eq!(raw.zcard(&rows).await.unwrap(), 2_500);
}
