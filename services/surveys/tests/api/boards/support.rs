//! The stores under test, and rows and boards to put in them.

use std::sync::Arc;

use aftercare_surveys::leagues::boards::{
    BoardKey, LeagueBoards, Level, MemoryBoards, Page, RedisBoards, RedisBoardsConfig, Row, Scope,
};

/// The shared Redis, started by `scripts/test` (or `start_redis` in
/// `scripts/lib/services.sh`).
pub(crate) const REDIS_URL_VAR: &str = "AFTERCARE_TEST_REDIS_URL";

pub(crate) type Boards = Arc<dyn LeagueBoards>;

/// Runs a test body once per store: `on_both!(name, |boards: Boards| async
/// move { … })` makes the module `name` with the tests `memory` and `redis`,
/// each handing the body a fresh, empty store.
#[macro_export]
macro_rules! on_both {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn memory() {
                ($body)($crate::boards::support::memory()).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn redis() {
                ($body)($crate::boards::support::redis()).await;
            }
        }
    };
}

pub(crate) fn memory() -> Boards {
    Arc::new(MemoryBoards::new())
}

/// A store on the shared Redis under a key prefix of its own, so that tests
/// running side by side never meet.
pub(crate) fn redis() -> Boards {
    Arc::new(redis_boards(&fresh_prefix()))
}

pub(crate) fn redis_url() -> String {
    std::env::var(REDIS_URL_VAR).unwrap_or_else(|_| {
        panic!("{REDIS_URL_VAR} is not set: run the tests with scripts/test, which starts Redis")
    })
}

pub(crate) fn fresh_prefix() -> String {
    format!("aftercare-test:{}:league:", uuid::Uuid::new_v4().simple())
}

pub(crate) fn redis_boards(prefix: &str) -> RedisBoards {
    let config = RedisBoardsConfig {
        key_prefix: prefix.to_owned(),
        ..RedisBoardsConfig::new(redis_url())
    };
    RedisBoards::new(config).expect("valid Redis settings")
}

/// The national dealer board of `metric` for March 2026.
pub(crate) fn march(metric: &str) -> BoardKey {
    BoardKey::new(
        metric,
        Scope::National,
        Level::Dealer,
        "2026-03".parse().unwrap(),
    )
    .unwrap()
}

/// A ranked row whose payload says who and what it is.
pub(crate) fn ranked(member: &str, key: i64) -> Row {
    Row::ranked(member, key, format!("{member}={key}")).unwrap()
}

pub(crate) fn unranked(member: &str) -> Row {
    Row::unranked(member, format!("{member}=unranked")).unwrap()
}

/// `rows` to put on `board`, as `LeagueBoards::upsert` takes them.
pub(crate) fn on(board: &BoardKey, rows: &[Row]) -> Vec<(BoardKey, Row)> {
    rows.iter().map(|r| (board.clone(), r.clone())).collect()
}

/// Each standing as (member, position, rank), to read a page at a glance.
pub(crate) fn listed(page: &Page) -> Vec<(&str, u64, Option<u64>)> {
    page.standings
        .iter()
        .map(|s| (s.row.member(), s.position, s.rank))
        .collect()
}
