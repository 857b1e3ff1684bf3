//! The Redis key layout. A board `nps:national:dealer:2026-03` is two keys
//! under the prefix (`aftercare:league:` by default):
//!
//! ```text
//! aftercare:league:{nps:national:dealer:2026-03}:ranking  sorted set  member -> score
//! aftercare:league:{nps:national:dealer:2026-03}:entries  hash        member -> "<score> <version> <payload>"
//! aftercare:league:{nps:national:dealer:2026-03}:rebuild:<uuid>:ranking|entries
//!                                                          a rebuild's staged board, expiring, renamed over the two above
//! aftercare:league:generation                             string      the store's generation (see [`super::generation`])
//! ```
//!
//! The score is the sort key negated, or `+inf` for an unranked row (see
//! [`super::entry`]): ascending order is best first, and equal scores order
//! their members bytewise, as the board orders ties. The braces are a
//! cluster hash tag: a board's keys share one slot, so the scripts and
//! transactions that touch several of them stay legal on a Redis cluster.

use aftercare_values::Period;

use crate::leagues::boards::BoardKey;

/// The two keys that hold one board.
#[derive(Debug)]
pub(super) struct BoardKeys {
    pub(super) ranking: String,
    pub(super) entries: String,
}

const RANKING: &str = ":ranking";
const ENTRIES: &str = ":entries";

/// The key whose absence says the store lost its tables.
pub(super) fn generation(prefix: &str) -> String {
    format!("{prefix}generation")
}

/// A prefix must not hold braces, which would move the hash tag.
pub(super) fn is_valid_prefix(prefix: &str) -> bool {
    !prefix.contains(['{', '}'])
}

pub(super) fn live(prefix: &str, board: &BoardKey) -> BoardKeys {
    let tag = format!("{prefix}{{{board}}}");
    BoardKeys {
        ranking: format!("{tag}{RANKING}"),
        entries: format!("{tag}{ENTRIES}"),
    }
}

/// Where a rebuild stages a board before the swap; `id` keeps two rebuilds
/// of the same board apart.
pub(super) fn staged(prefix: &str, board: &BoardKey, id: &str) -> BoardKeys {
    let tag = format!("{prefix}{{{board}}}:rebuild:{id}");
    BoardKeys {
        ranking: format!("{tag}{RANKING}"),
        entries: format!("{tag}{ENTRIES}"),
    }
}

/// A SCAN pattern matching the ranking key of every board of `period`.
pub(super) fn period_pattern(prefix: &str, period: Period) -> String {
    let mut pattern = String::with_capacity(prefix.len() + 24);
    for c in prefix.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push_str(&format!("{{*:{period}}}{RANKING}"));
    pattern
}

/// The board a ranking key names, if it is one (staged keys are not).
pub(super) fn board_of(prefix: &str, key: &str) -> Option<BoardKey> {
    key.strip_prefix(prefix)?
        .strip_prefix('{')?
        .strip_suffix(RANKING)?
        .strip_suffix('}')?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::leagues::boards::{Level, Scope};

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
            keys.ranking,
            "aftercare:league:{nps:national:dealer:2026-03}:ranking"
        );
        assert_eq!(
            keys.entries,
            "aftercare:league:{nps:national:dealer:2026-03}:entries"
        );
        assert_eq!(
            board_of("aftercare:league:", &keys.ranking),
            Some(board.clone())
        );
        let staged = staged("aftercare:league:", &board, "x1");
        assert_eq!(board_of("aftercare:league:", &staged.ranking), None);
        assert_eq!(
            period_pattern("t*:", board.period()),
            "t\\*:{*:2026-03}:ranking"
        );
    }
}
