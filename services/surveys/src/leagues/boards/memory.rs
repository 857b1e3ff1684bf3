//! The league tables in process, for the embedded mode: each board a vector
//! kept in board order, so that a page is a slice and a rank a binary
//! search, as cheap as the Redis reads.

use std::{
    cmp::Reverse,
    collections::HashMap,
    sync::{PoisonError, RwLock},
};

use aftercare_values::Period;

use super::{
    BoardFuture, BoardKey, Counts, LeagueBoards, Page, Row, Standing,
    rows::{around_reach, last_per_member, page_limit},
};

/// League tables held in this process. A read holds the lock while it copies
/// its page, so it sees one state of the board; a rebuild builds the new
/// board outside the lock and swaps it in.
#[derive(Debug, Default)]
pub struct MemoryBoards {
    boards: RwLock<HashMap<BoardKey, Board>>,
}

impl MemoryBoards {
    pub fn new() -> Self {
        Self::default()
    }

    fn read<T>(&self, f: impl FnOnce(&HashMap<BoardKey, Board>) -> T) -> T {
        // No write panics half way (see Board), so a poisoned lock still
        // guards whole boards.
        f(&self.boards.read().unwrap_or_else(PoisonError::into_inner))
    }

    fn write<T>(&self, f: impl FnOnce(&mut HashMap<BoardKey, Board>) -> T) -> T {
        f(&mut self.boards.write().unwrap_or_else(PoisonError::into_inner))
    }
}

/// Where a row goes: ranked rows first by sort key descending, then the
/// unranked ones; members ascending within equal keys (byte order, as
/// Redis orders the members of equal scores).
type Order<'a> = (bool, Reverse<Option<i64>>, &'a str);

fn order(row: &Row) -> Order<'_> {
    (row.sort_key.is_none(), Reverse(row.sort_key), &row.member)
}

#[derive(Debug, Default)]
struct Board {
    /// Every row, in board order.
    rows: Vec<Row>,
    /// Each member's sort key, to find its row in `rows`.
    keys: HashMap<String, Option<i64>>,
}

impl Board {
    fn build(rows: &[Row]) -> Self {
        let mut rows: Vec<Row> = last_per_member(rows).into_iter().cloned().collect();
        rows.sort_by(|a, b| order(a).cmp(&order(b)));
        let keys = rows
            .iter()
            .map(|r| (r.member.clone(), r.sort_key))
            .collect();
        Self { rows, keys }
    }

    fn index_of(&self, member: &str) -> Option<usize> {
        let key = *self.keys.get(member)?;
        self.rows
            .binary_search_by(|r| order(r).cmp(&(key.is_none(), Reverse(key), member)))
            .ok()
    }

    /// Puts `row` in place of its member's row, unless that one is newer.
    fn put(&mut self, row: Row) {
        if self
            .index_of(&row.member)
            .is_some_and(|at| self.rows[at].version > row.version)
        {
            return;
        }
        self.take(&row.member);
        let at = self.rows.partition_point(|r| order(r) < order(&row));
        self.keys.insert(row.member.clone(), row.sort_key);
        self.rows.insert(at, row);
    }

    fn take(&mut self, member: &str) {
        if let Some(at) = self.index_of(member) {
            self.rows.remove(at);
            self.keys.remove(member);
        }
    }

    fn counts(&self) -> Counts {
        let ranked = self.rows.partition_point(|r| r.sort_key.is_some());
        Counts {
            ranked: ranked as u64,
            unranked: (self.rows.len() - ranked) as u64,
        }
    }

    /// 1 + the number of ranked rows with a strictly higher key.
    fn rank(&self, key: i64) -> u64 {
        let higher = self
            .rows
            .partition_point(|r| r.sort_key.is_some_and(|k| k > key));
        higher as u64 + 1
    }

    fn page(&self, start: usize, limit: usize) -> Page {
        let end = start.saturating_add(limit).min(self.rows.len());
        let standings = self
            .rows
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(i, row)| Standing {
                position: (start + i + 1) as u64,
                rank: row.sort_key.map(|key| self.rank(key)),
                row: row.clone(),
            })
            .collect();
        Page {
            standings,
            counts: self.counts(),
        }
    }
}

impl LeagueBoards for MemoryBoards {
    fn upsert<'a>(&'a self, rows: &'a [(BoardKey, Row)]) -> BoardFuture<'a, ()> {
        Box::pin(async move {
            if rows.is_empty() {
                return Ok(());
            }
            self.write(|boards| {
                for (board, row) in rows {
                    boards.entry(board.clone()).or_default().put(row.clone());
                }
            });
            Ok(())
        })
    }

    fn remove<'a>(&'a self, board: &'a BoardKey, members: &'a [String]) -> BoardFuture<'a, ()> {
        Box::pin(async move {
            self.write(|boards| {
                if let Some(target) = boards.get_mut(board) {
                    for member in members {
                        target.take(member);
                    }
                    if target.rows.is_empty() {
                        boards.remove(board);
                    }
                }
            });
            Ok(())
        })
    }

    fn replace<'a>(&'a self, board: &'a BoardKey, rows: &'a [Row]) -> BoardFuture<'a, ()> {
        Box::pin(async move {
            let built = Board::build(rows);
            self.write(|boards| {
                if built.rows.is_empty() {
                    boards.remove(board);
                } else {
                    boards.insert(board.clone(), built);
                }
            });
            Ok(())
        })
    }

    fn page<'a>(&'a self, board: &'a BoardKey, offset: u64, limit: usize) -> BoardFuture<'a, Page> {
        Box::pin(async move {
            let start = usize::try_from(offset).unwrap_or(usize::MAX);
            Ok(self.read(|boards| {
                boards
                    .get(board)
                    .map(|b| b.page(start, page_limit(limit)))
                    .unwrap_or_default()
            }))
        })
    }

    fn around<'a>(
        &'a self,
        board: &'a BoardKey,
        member: &'a str,
        k: usize,
    ) -> BoardFuture<'a, Option<Page>> {
        Box::pin(async move {
            let k = around_reach(k);
            Ok(self.read(|boards| {
                let board = boards.get(board)?;
                let at = board.index_of(member)?;
                let start = at.saturating_sub(k);
                Some(board.page(start, at - start + k + 1))
            }))
        })
    }

    fn rows<'a>(&'a self, at: &'a [(BoardKey, String)]) -> BoardFuture<'a, Vec<Option<Row>>> {
        Box::pin(async move {
            Ok(self.read(|boards| {
                at.iter()
                    .map(|(board, member)| {
                        let board = boards.get(board)?;
                        Some(board.rows[board.index_of(member)?].clone())
                    })
                    .collect()
            }))
        })
    }

    fn standings<'a>(
        &'a self,
        at: &'a [(BoardKey, String)],
    ) -> BoardFuture<'a, Vec<Option<Standing>>> {
        Box::pin(async move {
            Ok(self.read(|boards| {
                at.iter()
                    .map(|(board, member)| {
                        let board = boards.get(board)?;
                        let at = board.index_of(member)?;
                        board.page(at, 1).standings.pop()
                    })
                    .collect()
            }))
        })
    }

    fn len<'a>(&'a self, board: &'a BoardKey) -> BoardFuture<'a, Counts> {
        Box::pin(async move {
            Ok(self.read(|boards| boards.get(board).map(Board::counts).unwrap_or_default()))
        })
    }

    fn delete<'a>(&'a self, board: &'a BoardKey) -> BoardFuture<'a, ()> {
        Box::pin(async move {
            self.write(|boards| boards.remove(board));
            Ok(())
        })
    }

    fn boards(&self, period: Period) -> BoardFuture<'_, Vec<BoardKey>> {
        Box::pin(async move {
            let mut keys: Vec<BoardKey> = self.read(|boards| {
                boards
                    .keys()
                    .filter(|k| k.period() == period)
                    .cloned()
                    .collect()
            });
            keys.sort();
            Ok(keys)
        })
    }
}
