//! Consecutive entries read from a board, made into a page with positions
//! and ranks.

use super::entry;
use crate::leagues::boards::{BoardError, BoardKey, BoardResult, Counts, Page, Standing};

/// What a read brings back, from one state of the board.
pub(super) struct Read {
    pub(super) total: u64,
    pub(super) ranked: u64,
    /// The index of the first entry (0 for the top).
    pub(super) start: u64,
    /// The ranked rows strictly better than the first entry.
    pub(super) better: u64,
    /// Member, entry, member, entry… (an entry missing where the board is
    /// inconsistent).
    pub(super) rows: Vec<Option<Vec<u8>>>,
}

/// What `read.lua` answers.
pub(super) type Reply = (u64, u64, u64, u64, Vec<Option<Vec<u8>>>);

impl From<Reply> for Read {
    fn from((total, ranked, start, better, rows): Reply) -> Self {
        Self {
            total,
            ranked,
            start,
            better,
            rows,
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
    let mut standings = Vec::with_capacity(read.rows.len() / 2);
    let mut previous: Option<(i64, u64)> = None;
    let mut position = read.start;
    let mut rows = read.rows.into_iter();
    while let Some(member) = rows.next() {
        position += 1;
        let member = member
            .and_then(|m| String::from_utf8(m).ok())
            .ok_or_else(|| inconsistent("a member is malformed"))?;
        let stored = rows
            .next()
            .flatten()
            .ok_or_else(|| inconsistent("a ranked member has no entry"))?;
        let row =
            entry::row(member, stored).ok_or_else(|| inconsistent("an entry is malformed"))?;
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
