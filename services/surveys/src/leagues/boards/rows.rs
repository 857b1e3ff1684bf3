//! What a board holds (rows) and what a read answers (standings in a page).

use aftercare_values::is_valid_id;

/// The largest sort key magnitude: Redis keeps scores as doubles, which hold
/// every integer up to 2^53 exactly and no longer all of them past it.
pub const MAX_SORT_KEY: i64 = 1 << 53;

/// The most rows one read returns: a longer page is cut to this (as a
/// `page_size` above the maximum is), which keeps every read's cost bounded.
pub const MAX_ROWS_PER_READ: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RowError {
    #[error("member must be a dealer or station id")]
    Member,
    #[error("sort key must be between -2^53 and 2^53")]
    SortKey,
}

/// One member's row. A row with a sort key is ranked (higher is better); one
/// without is listed after the ranked rows, unranked (under the minimum
/// sample). The payload (name, raw value, sample size, estimate…) is the
/// scoring code's business: the board stores and returns it untouched.
///
/// The version orders a member's rows: an upsert never puts a row over one
/// of a higher version, so that writers racing for a member leave the
/// newest row whatever order they land in (the league tables number a
/// member's rows by its responses in the period).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub(super) member: String,
    pub(super) sort_key: Option<i64>,
    pub(super) version: u64,
    pub(super) payload: Vec<u8>,
}

impl Row {
    pub fn ranked(
        member: &str,
        sort_key: i64,
        payload: impl Into<Vec<u8>>,
    ) -> Result<Self, RowError> {
        if !(-MAX_SORT_KEY..=MAX_SORT_KEY).contains(&sort_key) {
            return Err(RowError::SortKey);
        }
        Self::new(member, Some(sort_key), payload.into())
    }

    pub fn unranked(member: &str, payload: impl Into<Vec<u8>>) -> Result<Self, RowError> {
        Self::new(member, None, payload.into())
    }

    fn new(member: &str, sort_key: Option<i64>, payload: Vec<u8>) -> Result<Self, RowError> {
        if !is_valid_id(member) {
            return Err(RowError::Member);
        }
        Ok(Self {
            member: member.to_owned(),
            sort_key,
            version: 0,
            payload,
        })
    }

    /// The row at `version` (0 unless set).
    pub fn at_version(mut self, version: u64) -> Self {
        self.version = version;
        self
    }

    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn member(&self) -> &str {
        &self.member
    }

    /// `None` for an unranked row.
    pub fn sort_key(&self) -> Option<i64> {
        self.sort_key
    }

    pub fn is_ranked(&self) -> bool {
        self.sort_key.is_some()
    }

    pub fn payload(&self) -> &[u8] {
        &self.payload
    }
}

/// A row where it stands: its position in the whole board (1 for the first
/// row, ranked or not) and its rank among the ranked rows — standard
/// competition ranking, 1 + the number of ranked rows with a strictly higher
/// sort key (1, 2, 2, 4) — or `None` for an unranked row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub position: u64,
    pub rank: Option<u64>,
    pub row: Row,
}

/// How many rows a board holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub ranked: u64,
    pub unranked: u64,
}

impl Counts {
    pub fn total(&self) -> u64 {
        self.ranked + self.unranked
    }
}

/// Consecutive standings, read with the board's counts from the same state
/// of the board.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    pub standings: Vec<Standing>,
    pub counts: Counts,
}

impl Page {
    /// The standing of `member`, when it is on this page.
    pub fn standing_of(&self, member: &str) -> Option<&Standing> {
        self.standings.iter().find(|s| s.row.member == member)
    }
}

/// The rows a page of `limit` rows may hold.
pub(super) fn page_limit(limit: usize) -> usize {
    limit.min(MAX_ROWS_PER_READ)
}

/// How many neighbours on each side `around` may return, so that the member
/// and its neighbours fit in one read.
pub(super) fn around_reach(k: usize) -> usize {
    k.min((MAX_ROWS_PER_READ - 1) / 2)
}

/// The last row of a batch wins for a member written twice, as a Redis
/// ZADD/HSET with the member twice does.
pub(super) fn last_per_member(rows: &[Row]) -> Vec<&Row> {
    let mut seen = std::collections::HashSet::new();
    let mut last: Vec<&Row> = rows
        .iter()
        .rev()
        .filter(|r| seen.insert(r.member.as_str()))
        .collect();
    last.reverse();
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_refuse_what_a_board_cannot_hold() {
        assert_eq!(
            Row::ranked("d-1", MAX_SORT_KEY + 1, []),
            Err(RowError::SortKey)
        );
        assert_eq!(
            Row::ranked("d-1", -MAX_SORT_KEY - 1, []),
            Err(RowError::SortKey)
        );
        assert!(Row::ranked("d-1", -MAX_SORT_KEY, []).is_ok());
        assert_eq!(Row::unranked("D 1", []), Err(RowError::Member));
    }

    #[test]
    fn the_last_row_of_a_member_wins() {
        let rows = [
            Row::ranked("a", 1, []).unwrap(),
            Row::ranked("b", 2, []).unwrap(),
            Row::unranked("a", []).unwrap(),
        ];
        let last: Vec<_> = last_per_member(&rows)
            .into_iter()
            .map(|r| (r.member(), r.sort_key()))
            .collect();
        assert_eq!(last, [("b", Some(2)), ("a", None)]);
    }
}
