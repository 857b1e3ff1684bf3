//! The Redis key layout. A board `nps:national:dealer:2026-03` is two keys
//! under the prefix (`aftercare:league:` by default):
//!
//! ```text
//! aftercare:league:{nps:national:dealer:2026-03}:rows     sorted set  entry "<member> <score> <version> <payload>" -> score
//! aftercare:league:{nps:national:dealer:2026-03}:members  hash        member -> its entry
//! aftercare:league:{nps:national:dealer:2026-03}:rebuild:<uuid>:rows|members
//!                                                         a rebuild's staged board, expiring, renamed over the two above
//! ```
//!
//! The score is the sort key negated, or `+inf` for an unranked row (see
//! [`super::entry`]). The braces are a cluster hash tag: a board's keys share
//! one slot, so the scripts and transactions that touch several of them stay
//! legal on a Redis cluster.

use aftercare_values::Period;

use crate::boards::BoardKey;

/// The two keys that hold one board.
#[derive(Debug)]
pub(super) struct BoardKeys {
    pub(super) rows: String,
    pub(super) members: String,
}

const ROWS: &str = ":rows";
const MEMBERS: &str = ":members";

/// A prefix must not hold braces, which would move the hash tag.
pub(super) fn is_valid_prefix(prefix: &str) -> bool {
    !prefix.contains(['{', '}'])
}

pub(super) fn live(prefix: &str, board: &BoardKey) -> BoardKeys {
    let tag = format!("{prefix}{{{board}}}");
    BoardKeys {
        rows: format!("{tag}{ROWS}"),
        members: format!("{tag}{MEMBERS}"),
    }
}

/// Where a rebuild stages a board before the swap; `id` keeps two rebuilds
/// of the same board apart.
pub(super) fn staged(prefix: &str, board: &BoardKey, id: &str) -> BoardKeys {
    let tag = format!("{prefix}{{{board}}}:rebuild:{id}");
    BoardKeys {
        rows: format!("{tag}{ROWS}"),
        members: format!("{tag}{MEMBERS}"),
    }
}

/// A SCAN pattern matching the rows key of every board of `period`.
pub(super) fn period_pattern(prefix: &str, period: Period) -> String {
    let mut pattern = String::with_capacity(prefix.len() + 24);
    for c in prefix.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push_str(&format!("{{*:{period}}}{ROWS}"));
    pattern
}

/// The board a rows key names, if it is one (staged keys are not).
pub(super) fn board_of(prefix: &str, key: &str) -> Option<BoardKey> {
    key.strip_prefix(prefix)?
        .strip_prefix('{')?
        .strip_suffix(ROWS)?
        .strip_suffix('}')?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::boards::{Level, Scope};

    #[test]
    fn keys_follow_the_layout_and_parse_back() {
        let board = BoardKey::new(
            "nps",
            Scope::National,
            Level::Dealer,
            "2026-03".parse().unwrap(),
        )
        .unwrap();
        let keys = live("aftercare:league:", &board);
        assert_eq!(
            keys.rows,
            "aftercare:league:{nps:national:dealer:2026-03}:rows"
        );
        assert_eq!(
            keys.members,
            "aftercare:league:{nps:national:dealer:2026-03}:members"
        );
        assert_eq!(
            board_of("aftercare:league:", &keys.rows),
            Some(board.clone())
        );
        let staged = staged("aftercare:league:", &board, "x1");
        assert_eq!(board_of("aftercare:league:", &staged.rows), None);
        assert_eq!(
            period_pattern("t*:", board.period()),
            "t\\*:{*:2026-03}:rows"
        );
    }
}
