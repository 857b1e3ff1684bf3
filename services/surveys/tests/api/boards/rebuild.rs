//! Rebuilds: a replaced board equals the one live updates built, readers
//! never see half of a replace, and the boards of a period can be listed.

use std::{
    collections::BTreeMap,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
};

use aftercare_surveys::leagues::boards::{BoardKey, Counts, Level, Page, Row, Scope};
use aftercare_test_support::eventually;

use crate::{
    boards::support::{Boards, march, on, ranked, unranked},
    on_both,
};

/// A reproducible stream of numbers, to write boards without a random crate.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

on_both!(
    a_replaced_board_equals_the_one_built_by_upserts,
    |boards: Boards| async move {
        let live = march("nps");
        let rebuilt = march("nps-rebuilt");
        let mut rng = Lcg(7);
        let mut latest = BTreeMap::new();
        for _ in 0..400 {
            let member = format!("d-{:02}", rng.next(60));
            // Narrow keys make ties; one answer in six is under the minimum sample.
            let row = match rng.next(6) {
                0 => unranked(&member),
                _ => ranked(&member, rng.next(12) as i64 - 4),
            };
            boards
                .upsert(&on(&live, std::slice::from_ref(&row)))
                .await
                .unwrap();
            latest.insert(member, row);
        }
        let mut rows: Vec<Row> = latest.into_values().collect();
        rows.reverse();
        boards.replace(&rebuilt, &rows).await.unwrap();

        let by_upserts = boards.top(&live, 100).await.unwrap();
        let by_replace = boards.top(&rebuilt, 100).await.unwrap();
        assert_eq!(by_replace, by_upserts);
        assert_eq!(by_replace.counts.total(), rows.len() as u64);
        assert!(by_replace.counts.ranked > 0 && by_replace.counts.unranked > 0);

        // Replacing the live board with what it holds changes nothing.
        boards.replace(&live, &rows).await.unwrap();
        assert_eq!(boards.top(&live, 100).await.unwrap(), by_upserts);
    }
);

on_both!(
    a_replace_drops_the_members_it_does_not_name,
    |boards: Boards| async move {
        let board = march("nps");
        boards
            .upsert(&on(
                &board,
                &[ranked("a", 1), ranked("b", 2), unranked("c")],
            ))
            .await
            .unwrap();

        boards
            .replace(&board, &[ranked("b", 5), unranked("d")])
            .await
            .unwrap();
        let page = boards.top(&board, 10).await.unwrap();
        let rows: Vec<&Row> = page.standings.iter().map(|s| &s.row).collect();
        assert_eq!(rows, [&ranked("b", 5), &unranked("d")]);

        // No rows: no board.
        boards.replace(&board, &[]).await.unwrap();
        assert_eq!(boards.len(&board).await.unwrap(), Counts::default());
        assert!(boards.boards(board.period()).await.unwrap().is_empty());
    }
);

/// 2,500 rows (more than one staging round trip on Redis) with `payload` in
/// every row; `shift` moves the keys and some members between the states.
fn state(shift: i64, payload: &str) -> Vec<Row> {
    (0..2_500)
        .map(|i| {
            let member = format!("d-{:04}", i + shift);
            match i % 10 {
                0 => Row::unranked(&member, payload).unwrap(),
                _ => Row::ranked(&member, (i * 7 + shift) % 500, payload).unwrap(),
            }
        })
        .collect()
}

on_both!(
    readers_see_the_old_board_or_the_new_one_never_a_mix,
    |boards: Boards| async move {
        let board = march("nps");
        let (old, new) = (state(0, "old"), state(300, "new"));
        // What each whole state reads as.
        boards.replace(&board, &old).await.unwrap();
        let old_top = boards.top(&board, 50).await.unwrap();
        let old_around = boards.around(&board, "d-0400", 5).await.unwrap();
        boards.replace(&board, &new).await.unwrap();
        let new_top = boards.top(&board, 50).await.unwrap();
        let new_around = boards.around(&board, "d-0400", 5).await.unwrap();
        assert_ne!(old_top, new_top);
        assert_ne!(old_around, new_around);

        let done = Arc::new(AtomicBool::new(false));
        let reads = Arc::new(AtomicUsize::new(0));
        let reader = {
            let (boards, board, done, reads) =
                (boards.clone(), board.clone(), done.clone(), reads.clone());
            let expected = [old_top.clone(), new_top.clone()];
            let around = [old_around.clone(), new_around.clone()];
            tokio::spawn(async move {
                while !done.load(Ordering::Relaxed) {
                    let top: Page = boards.top(&board, 50).await.unwrap();
                    assert!(expected.contains(&top), "a top-50 read mixed two boards");
                    let near = boards.around(&board, "d-0400", 5).await.unwrap();
                    assert!(around.contains(&near), "an around read mixed two boards");
                    reads.fetch_add(1, Ordering::Relaxed);
                    tokio::task::yield_now().await;
                }
            })
        };
        for round in 0..10 {
            let rows = if round % 2 == 0 { &old } else { &new };
            let before = reads.load(Ordering::Relaxed);
            boards.replace(&board, rows).await.unwrap();
            // Two reads between replaces: at least one begins after this
            // one ended.
            eventually("the reader reads between the rebuilds", || async {
                (reads.load(Ordering::Relaxed) >= before + 2).then_some(())
            })
            .await;
        }
        done.store(true, Ordering::Relaxed);
        reader.await.expect("the reader saw whole boards only");
        assert_eq!(boards.top(&board, 50).await.unwrap(), new_top);
    }
);

on_both!(
    the_boards_of_a_period_are_listed_for_a_rebuild,
    |boards: Boards| async move {
        let key = |metric: &str, scope: Scope, level, period: &str| {
            BoardKey::new(metric, scope, level, period.parse().unwrap()).unwrap()
        };
        let north = || Scope::Region("north-1".to_owned());
        let mut march_boards = vec![
            key("nps", Scope::National, Level::Dealer, "2026-03"),
            key("nps", north(), Level::Station, "2026-03"),
            key("csi", Scope::National, Level::Dealer, "2026-03"),
        ];
        let others = [
            key("nps", Scope::National, Level::Dealer, "2026-Q1"),
            key("nps", Scope::National, Level::Dealer, "2026"),
            key("nps", Scope::National, Level::Dealer, "2026-04"),
            key("nps", north(), Level::Station, "2025-03"),
        ];
        for board in march_boards.iter().chain(&others) {
            boards
                .upsert(&on(board, &[ranked("d-1", 1)]))
                .await
                .unwrap();
        }

        march_boards.sort();
        let period = "2026-03".parse().unwrap();
        assert_eq!(boards.boards(period).await.unwrap(), march_boards);
        assert_eq!(
            boards.boards("2026-Q1".parse().unwrap()).await.unwrap(),
            [others[0].clone()]
        );
        assert_eq!(
            boards.boards("2026".parse().unwrap()).await.unwrap(),
            [others[1].clone()]
        );

        boards.delete(&march_boards[0]).await.unwrap();
        assert_eq!(boards.boards(period).await.unwrap(), march_boards[1..]);
        assert_eq!(
            boards.len(&march_boards[0]).await.unwrap(),
            Counts::default()
        );
    }
);
