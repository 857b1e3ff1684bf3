//! Order and ranks: sort key descending, ties ranked alike (1, 2, 2, 4)
//! and listed by member, unranked rows last without a rank.

use aftercare_surveys::leagues::boards::Counts;

use crate::{
    boards::support::{Boards, listed, march, on, ranked, unranked},
    on_both,
};

on_both!(
    ties_share_a_rank_and_the_next_rank_skips,
    |boards: Boards| async move {
        let board = march("nps");
        let rows = [
            ranked("d-b", 80),
            ranked("d-d", 70),
            ranked("d-a", 90),
            ranked("d-c", 80),
        ];
        boards.upsert(&on(&board, &rows)).await.unwrap();

        let top = boards.top(&board, 10).await.unwrap();
        assert_eq!(
            listed(&top),
            [
                ("d-a", 1, Some(1)),
                ("d-b", 2, Some(2)),
                ("d-c", 3, Some(2)),
                ("d-d", 4, Some(4)),
            ]
        );
        assert_eq!(top.standings[0].row, ranked("d-a", 90));
        assert_eq!(top.standings[1].row.payload(), b"d-b=80");
        assert_eq!(
            top.counts,
            Counts {
                ranked: 4,
                unranked: 0
            }
        );
    }
);

on_both!(
    unranked_rows_follow_the_ranked_ones_without_a_rank,
    |boards: Boards| async move {
        let board = march("nps");
        let rows = [
            ranked("m-2", 10),
            unranked("a-1"),
            ranked("m-1", 10),
            unranked("z-9"),
            ranked("b", -5),
            unranked("m-0"),
        ];
        boards.upsert(&on(&board, &rows)).await.unwrap();

        let top = boards.top(&board, 10).await.unwrap();
        assert_eq!(
            listed(&top),
            [
                ("m-1", 1, Some(1)),
                ("m-2", 2, Some(1)),
                ("b", 3, Some(3)),
                ("a-1", 4, None),
                ("m-0", 5, None),
                ("z-9", 6, None),
            ]
        );
        let counts = Counts {
            ranked: 3,
            unranked: 3,
        };
        assert_eq!(top.counts, counts);
        assert_eq!(boards.len(&board).await.unwrap(), counts);
        let a1 = top.standing_of("a-1").unwrap();
        assert_eq!(a1.row, unranked("a-1"));
        assert_eq!(a1.row.sort_key(), None);
    }
);

on_both!(an_upsert_moves_a_member, |boards: Boards| async move {
    let board = march("nps");
    let start = [
        ranked("a", 50),
        ranked("b", 40),
        ranked("c", 30),
        ranked("d", 20),
    ];
    boards.upsert(&on(&board, &start)).await.unwrap();

    // c's new answer takes it to the top.
    boards
        .upsert(&on(&board, &[ranked("c", 60)]))
        .await
        .unwrap();
    let top = boards.top(&board, 10).await.unwrap();
    assert_eq!(
        listed(&top),
        [
            ("c", 1, Some(1)),
            ("a", 2, Some(2)),
            ("b", 3, Some(3)),
            ("d", 4, Some(4))
        ]
    );
    assert_eq!(top.standing_of("c").unwrap().row.payload(), b"c=60");

    // a ties it: both first, a listed first.
    boards
        .upsert(&on(&board, &[ranked("a", 60)]))
        .await
        .unwrap();
    let top = boards.top(&board, 10).await.unwrap();
    assert_eq!(
        listed(&top),
        [
            ("a", 1, Some(1)),
            ("c", 2, Some(1)),
            ("b", 3, Some(3)),
            ("d", 4, Some(4))
        ]
    );

    // b falls under the minimum sample, then comes back.
    boards.upsert(&on(&board, &[unranked("b")])).await.unwrap();
    let top = boards.top(&board, 10).await.unwrap();
    assert_eq!(
        listed(&top),
        [
            ("a", 1, Some(1)),
            ("c", 2, Some(1)),
            ("d", 3, Some(3)),
            ("b", 4, None)
        ]
    );
    assert_eq!(
        top.counts,
        Counts {
            ranked: 3,
            unranked: 1
        }
    );
    boards
        .upsert(&on(&board, &[ranked("b", 10)]))
        .await
        .unwrap();
    let top = boards.top(&board, 10).await.unwrap();
    assert_eq!(
        listed(&top),
        [
            ("a", 1, Some(1)),
            ("c", 2, Some(1)),
            ("d", 3, Some(3)),
            ("b", 4, Some(4))
        ]
    );

    // In one batch, a member's last row wins.
    boards
        .upsert(&on(&board, &[ranked("d", 99), ranked("d", 5)]))
        .await
        .unwrap();
    let top = boards.top(&board, 10).await.unwrap();
    assert_eq!(top.standing_of("d").unwrap().row, ranked("d", 5));
    assert_eq!(top.standings.last().unwrap().row.member(), "d");
});

on_both!(
    an_older_row_never_lands_over_a_newer_one,
    |boards: Boards| async move {
        let board = march("nps");
        boards
            .upsert(&on(
                &board,
                &[ranked("a", 60).at_version(3), ranked("b", 50)],
            ))
            .await
            .unwrap();

        // A writer that read the member before its third response lands last.
        boards
            .upsert(&on(&board, &[ranked("a", 10).at_version(2)]))
            .await
            .unwrap();
        let top = boards.top(&board, 10).await.unwrap();
        assert_eq!(
            top.standing_of("a").unwrap().row,
            ranked("a", 60).at_version(3)
        );

        // The same version again (the member read once more) and a newer one
        // both land.
        for (key, version) in [(61, 3), (5, 4)] {
            let row = ranked("a", key).at_version(version);
            boards
                .upsert(&on(&board, std::slice::from_ref(&row)))
                .await
                .unwrap();
            let top = boards.top(&board, 10).await.unwrap();
            assert_eq!(top.standing_of("a").unwrap().row, row);
        }
        assert_eq!(
            listed(&boards.top(&board, 10).await.unwrap()),
            [("b", 1, Some(1)), ("a", 2, Some(2))]
        );
    }
);

on_both!(
    one_upsert_moves_members_on_several_boards,
    |boards: Boards| async move {
        let (nps, index) = (march("nps"), march("service-index"));
        let rows = [
            (nps.clone(), ranked("a", 3)),
            (index.clone(), ranked("a", 1)),
            (nps.clone(), ranked("b", 3)),
            (index.clone(), ranked("b", 2)),
            (nps.clone(), unranked("c")),
        ];
        boards.upsert(&rows).await.unwrap();

        let at = [
            (nps.clone(), "b".to_owned()),
            (index.clone(), "a".to_owned()),
            (nps.clone(), "c".to_owned()),
            (index.clone(), "c".to_owned()),
            (march("nps-elsewhere"), "a".to_owned()),
        ];
        let standings = boards.standings(&at).await.unwrap();
        let seen: Vec<_> = standings
            .iter()
            .map(|s| s.as_ref().map(|s| (s.row.member(), s.position, s.rank)))
            .collect();
        assert_eq!(
            seen,
            [
                Some(("b", 2, Some(1))),
                Some(("a", 2, Some(2))),
                Some(("c", 3, None)),
                None,
                None
            ]
        );
        assert_eq!(standings[0].as_ref().unwrap().row, ranked("b", 3));
        assert!(boards.standings(&[]).await.unwrap().is_empty());

        // The rows alone, as the standings hold them.
        let rows = boards.rows(&at).await.unwrap();
        let from_standings: Vec<_> = standings.into_iter().map(|s| s.map(|s| s.row)).collect();
        assert_eq!(rows, from_standings);
        assert!(boards.rows(&[]).await.unwrap().is_empty());
    }
);

on_both!(
    removed_members_leave_the_board,
    |boards: Boards| async move {
        let board = march("nps");
        let rows = [ranked("a", 3), ranked("b", 2), unranked("c")];
        boards.upsert(&on(&board, &rows)).await.unwrap();

        boards
            .remove(
                &board,
                &["a".to_owned(), "c".to_owned(), "nobody".to_owned()],
            )
            .await
            .unwrap();
        let top = boards.top(&board, 10).await.unwrap();
        assert_eq!(listed(&top), [("b", 1, Some(1))]);
        assert_eq!(
            top.counts,
            Counts {
                ranked: 1,
                unranked: 0
            }
        );
        assert_eq!(boards.around(&board, "a", 1).await.unwrap(), None);

        // The last member out takes the board with it.
        boards.remove(&board, &["b".to_owned()]).await.unwrap();
        assert_eq!(boards.len(&board).await.unwrap(), Counts::default());
        assert!(boards.boards(board.period()).await.unwrap().is_empty());
    }
);
