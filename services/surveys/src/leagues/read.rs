//! Reads of a table: from the table store, or — when it does not answer,
//! or the period's tables missed an update — from the database, computed
//! as a rebuild would and read through an in-process board, so that both
//! give the same order, ranks and pages.

use super::{
    Leagues,
    boards::{BoardError, BoardKey, LeagueBoards, MemoryBoards, Page},
    compute::compute,
};
use crate::error::{Error, Result};

/// Who answered a read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Boards,
    Database,
}

#[derive(Debug, Clone)]
pub struct Read {
    pub page: Page,
    pub source: Source,
}

impl Leagues {
    /// The table `key` computed from the database, in a board of its own.
    async fn computed_board(&self, key: &BoardKey) -> Result<MemoryBoards> {
        let rows = compute(&self.db, key, self.settings()).await?;
        let board = MemoryBoards::new();
        board
            .replace(key, &rows)
            .await
            .map_err(|e| Error::Internal(Box::new(e)))?;
        Ok(board)
    }

    /// The store failed a read: the database answers. The store may come
    /// back empty (a restart without persistence), so the period is
    /// rebuilt once it answers again; every period, when the store says it
    /// lost its tables.
    fn unanswered(&self, key: &BoardKey, e: BoardError) {
        tracing::warn!(error = %e, board = %key, "reading the league table from the database");
        self.mark_stale([key.period()]);
        self.noticed(&e);
    }

    /// Whether the store may answer for `key` (its period is not stale).
    fn trusts_boards(&self, key: &BoardKey) -> bool {
        !self.is_stale(key.period())
    }

    /// Up to `limit` standings from position `offset + 1`.
    pub async fn page(&self, key: &BoardKey, offset: u64, limit: usize) -> Result<Read> {
        if self.trusts_boards(key) {
            match self.boards.page(key, offset, limit).await {
                Ok(page) => {
                    return Ok(Read {
                        page,
                        source: Source::Boards,
                    });
                }
                Err(e) => self.unanswered(key, e),
            }
        }
        let board = self.computed_board(key).await?;
        let page = board
            .page(key, offset, limit)
            .await
            .map_err(|e| Error::Internal(Box::new(e)))?;
        Ok(Read {
            page,
            source: Source::Database,
        })
    }

    /// `member`'s standing and up to `k` neighbours each side, if listed.
    pub async fn around(&self, key: &BoardKey, member: &str, k: usize) -> Result<Option<Read>> {
        if self.trusts_boards(key) {
            match self.boards.around(key, member, k).await {
                Ok(page) => {
                    return Ok(page.map(|page| Read {
                        page,
                        source: Source::Boards,
                    }));
                }
                Err(e) => self.unanswered(key, e),
            }
        }
        let board = self.computed_board(key).await?;
        let page = board
            .around(key, member, k)
            .await
            .map_err(|e| Error::Internal(Box::new(e)))?;
        Ok(page.map(|page| Read {
            page,
            source: Source::Database,
        }))
    }
}
