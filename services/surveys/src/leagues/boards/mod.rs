//! League tables ("boards"): per metric, scope, level and period, the dealers
//! or stations in order, ranked rows first (sort key descending, ties by
//! member id) and then the rows under the minimum sample (by member id),
//! each with its position and its competition rank.
//!
//! Two stores give the same answers: [`RedisBoards`] on Redis sorted sets for
//! the distributed mode, [`MemoryBoards`] in process for the embedded mode.
//! Boards are derived data: always rebuildable from the database with
//! [`LeagueBoards::replace`], and the service serves from the database when
//! a call fails with [`BoardError::Unavailable`] or finds the store lost its
//! tables ([`BoardError::Lost`]).
//!
//! The trait is object safe (`Arc<dyn LeagueBoards>`): the store is chosen at
//! start-up from the settings, tests and the service hold it the same way,
//! and a box per call is nothing next to a network round trip.

mod key;
mod memory;
mod redis;
mod rows;

use std::{future::Future, pin::Pin};

use aftercare_values::Period;

pub use self::{
    key::{BoardKey, BoardKeyError, Level, Scope},
    memory::MemoryBoards,
    redis::{DEFAULT_KEY_PREFIX, RedisBoards, RedisBoardsConfig},
    rows::{Counts, MAX_ROWS_PER_READ, MAX_SORT_KEY, Page, Row, RowError, Standing},
};

#[derive(Debug, thiserror::Error)]
pub enum BoardError {
    /// Redis cannot be reached or did not answer in time. Nothing waits for
    /// it to come back: the caller serves from the database; later calls
    /// reconnect on their own. A write that failed so may still have been
    /// applied (it timed out after it was sent): writes are idempotent, and
    /// a rebuild repairs a board either way.
    #[error("league tables unavailable")]
    Unavailable(#[source] ::redis::RedisError),
    /// Redis answered with an error this code does not expect.
    #[error("league table store failed")]
    Store(#[source] ::redis::RedisError),
    /// The store lost its tables since this process last looked (Redis
    /// restarted without persistence, or was flushed); it answers again,
    /// and the caller rebuilds them. Reported once per loss.
    #[error("the league table store lost its tables")]
    Lost,
    /// What Redis holds for a board is not what this code writes.
    #[error("league table {board} is inconsistent: {what}")]
    Inconsistent { board: String, what: &'static str },
}

pub type BoardResult<T> = Result<T, BoardError>;

/// The future every [`LeagueBoards`] method returns.
pub type BoardFuture<'a, T> = Pin<Box<dyn Future<Output = BoardResult<T>> + Send + 'a>>;

/// The league tables' store. A board exists while it holds rows; reading a
/// board that does not exist answers an empty page.
pub trait LeagueBoards: Send + Sync + std::fmt::Debug {
    /// Puts each row on its board in place of its member's row there, unless
    /// that row is of a higher [version](Row::version) — in one round trip,
    /// whatever the boards (as each scored response moves its dealer and
    /// station on a few dozen). A member given twice on a board keeps the
    /// last of its rows of the highest version.
    fn upsert<'a>(&'a self, rows: &'a [(BoardKey, Row)]) -> BoardFuture<'a, ()>;

    /// Takes these members off the board (a dealer that left its region).
    fn remove<'a>(&'a self, board: &'a BoardKey, members: &'a [String]) -> BoardFuture<'a, ()>;

    /// Replaces the whole board with `rows` atomically (a rebuild): a reader
    /// sees the old board or the new one, never a mix. No rows deletes it.
    /// An upsert of the same board while a replace is under way may be
    /// lost under the swap: the member keeps the rebuild's row until its
    /// next upsert.
    fn replace<'a>(&'a self, board: &'a BoardKey, rows: &'a [Row]) -> BoardFuture<'a, ()>;

    /// Up to `limit` standings from position `offset + 1`, at most
    /// [`MAX_ROWS_PER_READ`].
    fn page<'a>(&'a self, board: &'a BoardKey, offset: u64, limit: usize) -> BoardFuture<'a, Page>;

    /// The first `n` standings.
    fn top<'a>(&'a self, board: &'a BoardKey, n: usize) -> BoardFuture<'a, Page> {
        self.page(board, 0, n)
    }

    /// `member`'s standing with up to `k` neighbours above and below it, or
    /// `None` when it is not on the board.
    fn around<'a>(
        &'a self,
        board: &'a BoardKey,
        member: &'a str,
        k: usize,
    ) -> BoardFuture<'a, Option<Page>>;

    /// Each member's row on its board, or `None` where it is not on it, in
    /// one round trip (cheaper than its standing, which ranks it).
    fn rows<'a>(&'a self, at: &'a [(BoardKey, String)]) -> BoardFuture<'a, Vec<Option<Row>>>;

    /// Each member's standing on its board, or `None` where it is not on
    /// it, in one round trip.
    fn standings<'a>(
        &'a self,
        at: &'a [(BoardKey, String)],
    ) -> BoardFuture<'a, Vec<Option<Standing>>>;

    /// How many rows the board holds, ranked and unranked.
    fn len<'a>(&'a self, board: &'a BoardKey) -> BoardFuture<'a, Counts>;

    fn delete<'a>(&'a self, board: &'a BoardKey) -> BoardFuture<'a, ()>;

    /// The boards of `period` that hold rows, in [`BoardKey`] order: a
    /// rebuild replaces those it computes and deletes the others.
    fn boards(&self, period: Period) -> BoardFuture<'_, Vec<BoardKey>>;

    /// Fails with [`BoardError::Lost`] when the store lost its tables since
    /// this handle last looked (`page`, `around` and `upsert` look too). A
    /// store in process keeps them while the process lives.
    fn verify(&self) -> BoardFuture<'_, ()> {
        Box::pin(async { Ok(()) })
    }
}
