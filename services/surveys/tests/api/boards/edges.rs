//! Pages and neighbourhoods at the edges of a board, empty boards, the most a
//! read returns, and values at the ends of their range.

use aftercare_surveys::leagues::boards::{Counts, MAX_ROWS_PER_READ, MAX_SORT_KEY, Page, Row};

use crate::{
    boards::support::{Boards, listed, march, on, ranked, unranked},
    on_both,
};

/// r-1..r-6 ranked with ties (9, 8, 8, 8, 5, 5), then u-1 and u-2 unranked.
async fn eight_rows(boards: &Boards) -> aftercare_surveys::leagues::boards::BoardKey {
    let board = march("nps");
    let rows = [
        ranked("r-1", 9),
        ranked("r-2", 8),
        ranked("r-3", 8),
        ranked("r-4", 8),
        ranked("r-5", 5),
        ranked("r-6", 5),
        unranked("u-1"),
        unranked("u-2"),
    ];
    boards.upsert(&on(&board, &rows)).await.unwrap();
    board
}

const COUNTS: Counts = Counts {
    ranked: 6,
    unranked: 2,
};

on_both!(
    pages_cut_the_board_at_any_offset,
    |boards: Boards| async move {
        let board = eight_rows(&boards).await;
        let page = async |offset, limit| {
            let page = boards.page(&board, offset, limit).await.unwrap();
            assert_eq!(page.counts, COUNTS, "counts come with every page");
            page
        };

        let first = page(0, 3).await;
        assert_eq!(
            listed(&first),
            [
                ("r-1", 1, Some(1)),
                ("r-2", 2, Some(2)),
                ("r-3", 3, Some(2))
            ]
        );
        // Starting inside a tie: the rank counts the rows before the page.
        let inside_tie = page(3, 2).await;
        assert_eq!(
            listed(&inside_tie),
            [("r-4", 4, Some(2)), ("r-5", 5, Some(5))]
        );
        let across = page(5, 2).await;
        assert_eq!(listed(&across), [("r-6", 6, Some(5)), ("u-1", 7, None)]);
        let last = page(6, 10).await;
        assert_eq!(listed(&last), [("u-1", 7, None), ("u-2", 8, None)]);

        for (offset, limit) in [(8, 5), (1000, 5), (u64::MAX, 5), (3, 0)] {
            assert!(
                page(offset, limit).await.standings.is_empty(),
                "page({offset}, {limit})"
            );
        }

        // Pages of three, one after the other, make the whole board.
        let whole = page(0, 100).await;
        let mut joined = Vec::new();
        for offset in (0..8).step_by(3) {
            joined.extend(page(offset, 3).await.standings);
        }
        assert_eq!(joined, whole.standings);
    }
);

on_both!(around_a_member_at_the_edges, |boards: Boards| async move {
    let board = eight_rows(&boards).await;
    let around = async |member, k| {
        let page = boards.around(&board, member, k).await.unwrap();
        page.inspect(|p| assert_eq!(p.counts, COUNTS))
    };

    let first = around("r-1", 2).await.unwrap();
    assert_eq!(
        listed(&first),
        [
            ("r-1", 1, Some(1)),
            ("r-2", 2, Some(2)),
            ("r-3", 3, Some(2))
        ]
    );
    let last = around("u-2", 2).await.unwrap();
    assert_eq!(
        listed(&last),
        [("r-6", 6, Some(5)), ("u-1", 7, None), ("u-2", 8, None)]
    );
    let middle = around("r-4", 1).await.unwrap();
    assert_eq!(
        listed(&middle),
        [
            ("r-3", 3, Some(2)),
            ("r-4", 4, Some(2)),
            ("r-5", 5, Some(5))
        ]
    );
    let alone = around("r-4", 0).await.unwrap();
    assert_eq!(listed(&alone), [("r-4", 4, Some(2))]);
    let unranked = around("u-1", 1).await.unwrap();
    assert_eq!(
        listed(&unranked),
        [("r-6", 6, Some(5)), ("u-1", 7, None), ("u-2", 8, None)]
    );
    assert_eq!(around("r-3", 100).await.unwrap().standings.len(), 8);

    assert_eq!(around("nobody", 3).await, None);
    assert_eq!(
        boards.around(&march("other"), "r-1", 3).await.unwrap(),
        None
    );
});

on_both!(an_empty_board_answers_empty, |boards: Boards| async move {
    let board = march("nps");
    assert_eq!(boards.top(&board, 50).await.unwrap(), Page::default());
    assert_eq!(boards.page(&board, 10, 50).await.unwrap(), Page::default());
    assert_eq!(boards.len(&board).await.unwrap(), Counts::default());
    assert_eq!(boards.around(&board, "d-1", 5).await.unwrap(), None);
    boards.delete(&board).await.unwrap();
    boards.upsert(&on(&board, &[])).await.unwrap();
    assert!(boards.boards(board.period()).await.unwrap().is_empty());
});

on_both!(reads_stop_at_the_maximum, |boards: Boards| async move {
    let board = march("nps");
    let rows: Vec<Row> = (0..1_200)
        .map(|i| ranked(&format!("d-{i:04}"), i))
        .collect();
    boards.replace(&board, &rows).await.unwrap();

    let top = boards.top(&board, 5_000).await.unwrap();
    assert_eq!(top.standings.len(), MAX_ROWS_PER_READ);
    assert_eq!(top.counts.ranked, 1_200);
    let tail = boards.page(&board, 1_000, 1_000).await.unwrap();
    assert_eq!(tail.standings.len(), 200);
    assert_eq!(tail.standings[0].rank, Some(1_001));
    let around = boards
        .around(&board, "d-0600", 10_000)
        .await
        .unwrap()
        .unwrap();
    assert!(around.standings.len() <= MAX_ROWS_PER_READ);
    let centre = around.standings.len() / 2;
    assert_eq!(around.standings[centre].row.member(), "d-0600");
});

on_both!(
    sort_keys_and_payloads_come_back_exactly,
    |boards: Boards| async move {
        let board = march("nps");
        let every_byte: Vec<u8> = (0..=255).collect();
        let rows = [
            Row::ranked("top", MAX_SORT_KEY, every_byte.clone()).unwrap(),
            Row::ranked("next", MAX_SORT_KEY - 1, b"\xff\xfe not utf-8".to_vec()).unwrap(),
            Row::ranked("zero", 0, Vec::new()).unwrap(),
            Row::ranked("bottom", -MAX_SORT_KEY, b"{\"name\":\"x\"}".to_vec()).unwrap(),
            Row::unranked("new", Vec::new()).unwrap(),
        ];
        boards.upsert(&on(&board, &rows)).await.unwrap();

        let top = boards.top(&board, 10).await.unwrap();
        let read: Vec<&Row> = top.standings.iter().map(|s| &s.row).collect();
        assert_eq!(read, rows.iter().collect::<Vec<_>>());
        assert_eq!(top.standing_of("bottom").unwrap().rank, Some(4));
    }
);
