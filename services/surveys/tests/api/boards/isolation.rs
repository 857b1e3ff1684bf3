//! Boards that differ in one part of their key do not see each other.

use aftercare_surveys::leagues::boards::{BoardKey, Counts, Level, Scope};

use crate::{
    boards::support::{Boards, listed, on, ranked},
    on_both,
};

fn boards_one_part_apart() -> Vec<BoardKey> {
    let key = |metric: &str, scope: Scope, level, period: &str| {
        BoardKey::new(metric, scope, level, period.parse().unwrap()).unwrap()
    };
    let region = |id: &str| Scope::Region(id.to_owned());
    vec![
        key("nps", Scope::National, Level::Dealer, "2026-03"),
        key("csi", Scope::National, Level::Dealer, "2026-03"),
        key("nps", region("north"), Level::Dealer, "2026-03"),
        key("nps", region("south"), Level::Dealer, "2026-03"),
        key("nps", Scope::National, Level::Station, "2026-03"),
        key("nps", Scope::National, Level::Dealer, "2026-Q1"),
        key("nps", Scope::National, Level::Dealer, "2026"),
    ]
}

on_both!(boards_do_not_see_each_other, |boards: Boards| async move {
    let all = boards_one_part_apart();
    // The same member everywhere, each board with a key of its own and one
    // member only it holds.
    for (i, board) in all.iter().enumerate() {
        let rows = [ranked("d-1", i as i64), ranked(&format!("only-{i}"), 100)];
        boards.upsert(&on(board, &rows)).await.unwrap();
    }
    let check = async |i: usize, board: &BoardKey| {
        let top = boards.top(board, 10).await.unwrap();
        let only = format!("only-{i}");
        assert_eq!(
            listed(&top),
            [(only.as_str(), 1, Some(1)), ("d-1", 2, Some(2))],
            "{board}"
        );
        assert_eq!(top.standing_of("d-1").unwrap().row, ranked("d-1", i as i64));
    };
    for (i, board) in all.iter().enumerate() {
        check(i, board).await;
    }

    // Changing one board leaves the others as they were.
    boards.delete(&all[0]).await.unwrap();
    boards.remove(&all[1], &["d-1".to_owned()]).await.unwrap();
    boards.replace(&all[2], &[ranked("d-9", 1)]).await.unwrap();
    assert_eq!(boards.len(&all[0]).await.unwrap(), Counts::default());
    assert_eq!(
        boards.len(&all[1]).await.unwrap(),
        Counts {
            ranked: 1,
            unranked: 0
        }
    );
    assert_eq!(
        boards.len(&all[2]).await.unwrap(),
        Counts {
            ranked: 1,
            unranked: 0
        }
    );
    for (i, board) in all.iter().enumerate().skip(3) {
        check(i, board).await;
    }
});
