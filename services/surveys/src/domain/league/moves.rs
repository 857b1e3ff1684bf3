//! What moved on a watched page of a table between two updates: the members
//! whose position or rank differs, a member that came onto the page, and
//! one that left it.

/// A member where it stands on a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub member: String,
    pub position: u64,
    /// None when unranked.
    pub rank: Option<u64>,
}

/// A member that moved: where it was (none when it was not on the page) and
/// where it is (none when it left the page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub member: String,
    pub from: Option<Placed>,
    pub to: Option<Placed>,
}

/// The moves from page `last` to page `now`: the moved members in their new
/// order, then those that left the page in their old order.
pub fn moves(last: &[Placed], now: &[Placed]) -> Vec<Move> {
    let was = |member: &str| last.iter().find(|p| p.member == member);
    let moved = now.iter().filter_map(|to| {
        let from = was(&to.member);
        (from != Some(to)).then(|| Move {
            member: to.member.clone(),
            from: from.cloned(),
            to: Some(to.clone()),
        })
    });
    let left = last
        .iter()
        .filter(|from| !now.iter().any(|p| p.member == from.member))
        .map(|from| Move {
            member: from.member.clone(),
            from: Some(from.clone()),
            to: None,
        });
    moved.chain(left).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(members: &[(&str, Option<u64>)]) -> Vec<Placed> {
        members
            .iter()
            .enumerate()
            .map(|(i, (member, rank))| Placed {
                member: (*member).to_owned(),
                position: i as u64 + 1,
                rank: *rank,
            })
            .collect()
    }

    #[test]
    fn an_unchanged_page_has_no_moves() {
        let p = page(&[("d1", Some(1)), ("d2", Some(2)), ("d3", None)]);
        assert_eq!(moves(&p, &p), []);
    }

    #[test]
    fn two_members_that_swap_places_both_move() {
        let last = page(&[("d1", Some(1)), ("d2", Some(2)), ("d3", Some(3))]);
        let now = page(&[("d2", Some(1)), ("d1", Some(2)), ("d3", Some(3))]);
        let moved = moves(&last, &now);
        assert_eq!(
            moved.iter().map(|m| m.member.as_str()).collect::<Vec<_>>(),
            ["d2", "d1"]
        );
        assert_eq!(moved[0].from.as_ref().map(|p| p.position), Some(2));
        assert_eq!(moved[0].to.as_ref().map(|p| p.position), Some(1));
    }

    #[test]
    fn a_tie_moves_a_rank_without_a_position() {
        // d2 catches up with d1: ranked 1, 1 now, in the same places.
        let last = page(&[("d1", Some(1)), ("d2", Some(2))]);
        let now = page(&[("d1", Some(1)), ("d2", Some(1))]);
        let moved = moves(&last, &now);
        assert_eq!(moved.len(), 1);
        assert_eq!(moved[0].member, "d2");
        assert_eq!(moved[0].to.as_ref().and_then(|p| p.rank), Some(1));
    }

    #[test]
    fn members_coming_onto_and_leaving_the_page_move() {
        // d3 is ranked for the first time and pushes d2 off a page of two.
        let last = page(&[("d1", Some(1)), ("d2", Some(2))]);
        let now = page(&[("d3", Some(1)), ("d1", Some(2))]);
        let moved = moves(&last, &now);
        assert_eq!(
            moved.iter().map(|m| m.member.as_str()).collect::<Vec<_>>(),
            ["d3", "d1", "d2"]
        );
        assert_eq!(moved[0].from, None);
        assert_eq!(moved[2].to, None);
    }
}
