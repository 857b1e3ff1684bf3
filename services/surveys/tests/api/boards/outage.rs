//! Redis going away: calls fail fast with `Unavailable`, never hang, and the
//! same store works again once Redis is back, with nothing restarted. Each
//! test has a server of its own to kill or freeze.

use std::{
    fmt::Debug,
    time::{Duration, Instant},
};

use aftercare_surveys::leagues::boards::{
    BoardError, BoardResult, Counts, LeagueBoards, RedisBoards, RedisBoardsConfig,
};

use crate::{
    boards::private_redis::PrivateRedis,
    boards::support::{fresh_prefix, listed, march, on, ranked},
};

const TIMEOUT: Duration = Duration::from_millis(300);

/// What a failing call may take past the timeout: scheduling on a busy
/// two-core machine.
const SLACK: Duration = Duration::from_millis(300);

fn store(server: &PrivateRedis) -> RedisBoards {
    let config = RedisBoardsConfig {
        key_prefix: fresh_prefix(),
        timeout: TIMEOUT,
        ..RedisBoardsConfig::new(server.url())
    };
    RedisBoards::new(config).expect("valid Redis settings")
}

async fn assert_unavailable_in_time<T: Debug>(
    what: &str,
    call: impl Future<Output = BoardResult<T>>,
) {
    let started = Instant::now();
    let outcome = call.await;
    let took = started.elapsed();
    assert!(
        matches!(outcome, Err(BoardError::Unavailable(_))),
        "{what}: {outcome:?}"
    );
    assert!(took <= TIMEOUT + SLACK, "{what} failed after {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_redis_fails_fast_and_is_used_again_once_back() {
    let mut server = PrivateRedis::start().await;
    let boards = store(&server);
    let board = march("nps");
    boards
        .upsert(&on(&board, &[ranked("d-1", 1)]))
        .await
        .unwrap();

    server.kill();
    for _ in 0..3 {
        assert_unavailable_in_time("top", boards.top(&board, 50)).await;
    }
    assert_unavailable_in_time("around", boards.around(&board, "d-1", 5)).await;
    assert_unavailable_in_time("len", boards.len(&board)).await;
    assert_unavailable_in_time("upsert", boards.upsert(&on(&board, &[ranked("d-2", 2)]))).await;
    assert_unavailable_in_time("replace", boards.replace(&board, &[ranked("d-2", 2)])).await;
    assert_unavailable_in_time("boards", boards.boards(board.period())).await;

    server.restart().await;
    // The same store, the first call: it reconnects by itself. The new
    // server kept nothing (no persistence), which the first call that looks
    // says, once.
    assert_eq!(boards.len(&board).await.unwrap(), Counts::default());
    assert!(matches!(
        boards.upsert(&on(&board, &[ranked("d-3", 3)])).await,
        Err(BoardError::Lost)
    ));
    boards
        .upsert(&on(&board, &[ranked("d-3", 3)]))
        .await
        .unwrap();
    let top = boards.top(&board, 50).await.unwrap();
    assert_eq!(listed(&top), [("d-3", 1, Some(1))]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frozen_redis_times_out_and_is_used_again_once_it_answers() {
    let server = PrivateRedis::start().await;
    let boards = store(&server);
    let board = march("nps");
    boards
        .upsert(&on(&board, &[ranked("d-1", 1)]))
        .await
        .unwrap();

    // Connected, but nothing answers: only the timeout ends the call.
    server.pause();
    assert_unavailable_in_time("top", boards.top(&board, 50)).await;
    assert_unavailable_in_time("len", boards.len(&board)).await;

    server.resume();
    let top = boards.top(&board, 50).await.unwrap();
    assert_eq!(listed(&top), [("d-1", 1, Some(1))]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_made_while_redis_is_down_connects_once_it_is_up() {
    let mut server = PrivateRedis::on_free_port();
    let boards = store(&server);
    let board = march("nps");
    assert_unavailable_in_time("top", boards.top(&board, 50)).await;

    server.restart().await;
    boards
        .upsert(&on(&board, &[ranked("d-1", 1)]))
        .await
        .unwrap();
    let top = boards.top(&board, 50).await.unwrap();
    assert_eq!(listed(&top), [("d-1", 1, Some(1))]);
}
