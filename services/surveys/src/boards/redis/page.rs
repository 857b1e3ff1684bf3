//! Consecutive entries read from a board, made into a page with positions
//! and ranks.

use super::entry;
use crate::boards::{BoardError, BoardKey, BoardResult, Counts, Page, Standing};

/// What a read brings back, from one state of the board.
pub(super) struct Read {
    pub(super) total: u64,
    pub(super) ranked: u64,
    /// The index of the first entry (0 for the top).
    pub(super) start: u64,
    /// The ranked rows strictly better than the first entry.
    pub(super) better: u64,
    pub(super) entries: Vec<Vec<u8>>,
}

impl From<(u64, u64, u64, u64, Vec<Vec<u8>>)> for Read {
    fn from((total, ranked, start, better, entries): (u64, u64, u64, u64, Vec<Vec<u8>>)) -> Self {
        Self {
            total,
            ranked,
            start,
            better,
            entries,
        }
    }
}

pub(super) fn assemble(board: &BoardKey, read: Read) -> BoardResult<Page> {
    let inconsistent = |what| BoardError::Inconsistent {
        board: board.to_string(),
        what,
    };
    if read.ranked > read.total {
        return Err(inconsistent("more ranked rows than rows"));
    }
    let mut standings = Vec::with_capacity(read.entries.len());
    let mut previous: Option<(i64, u64)> = None;
    for (i, stored) in read.entries.into_iter().enumerate() {
        let position = read.start + i as u64 + 1;
        let row = entry::row(stored).ok_or_else(|| inconsistent("an entry is malformed"))?;
        // Rows come best first: a key equal to the previous one shares its
        // rank; any other is below every row before it, so its rank is its
        // position. Only the first row needs the count of better rows.
        let rank = row.sort_key.map(|key| match previous {
            Some((k, rank)) if k == key => rank,
            Some(_) => position,
            None => read.better + 1,
        });
        previous = row.sort_key.zip(rank);
        standings.push(Standing {
            position,
            rank,
            row,
        });
    }
    Ok(Page {
        standings,
        counts: Counts {
            ranked: read.ranked,
            unranked: read.total - read.ranked,
        },
    })
}
