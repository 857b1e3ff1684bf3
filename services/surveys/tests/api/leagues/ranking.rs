//! What a table holds: ties, the minimum sample, movement, paging and a
//! member's neighbours; moved by each response, late ones included.

use aftercare_proto::surveys::v1 as pb;
use aftercare_test_support::eventually;

use super::{NOVEMBER, OCTOBER, answer, listed, names, network, nps, table};
use crate::{
    both,
    support::{Harness, dealer_name, delivered_at, station_name, who},
};

both!(
    responses_move_the_table_with_ties_min_sample_and_movement,
    |h: Harness| async move {
        network(&h).await;
        let november = table(&h, nps("", 11)).await;
        assert!(!november.served_from_database);
        // d1 and d2 tie (1, 1, 3); d4 has one answer: listed, unranked. Movement
        // from October (d2 first, d1 second): d1 +1, d2 0; d3 and d4 none.
        assert_eq!(
            listed(&november.entries),
            [
                ("d1".into(), 1, Some(1), Some(1)),
                ("d2".into(), 2, Some(1), Some(0)),
                ("d3".into(), 3, Some(3), None),
                ("d4".into(), 4, None, None),
            ]
        );
        assert_eq!((november.ranked_count, november.unranked_count), (3, 1));
        // Each entry carries the member's name, as the events told it.
        assert_eq!(
            names(&november.entries),
            ["d1", "d2", "d3", "d4"].map(|d| (d.to_owned(), dealer_name(d)))
        );
        let d4 = &november.entries[3];
        assert_eq!((d4.raw_value, d4.sample_size), (Some(100.0), Some(1)));
        // The estimate is served rounded to six decimals: (2·20 + 100) / 3.
        assert_eq!(d4.estimate, Some(46.666667));
        let d1 = &november.entries[0];
        assert_eq!((d1.raw_value, d1.sample_size), (Some(100.0), Some(2)));
        // Ranked by the estimate, not the raw value: d4's raw 100 does not
        // rank it, and the estimate is pulled toward October's network (NPS
        // 20 with C = 2): (2·20 + 200) / (2 + 2) = 60.
        assert_eq!(d1.estimate, Some(60.0));
        // October's late answers moved every November table's prior, in r2
        // too (where no late answer was): (2·20 − 200) / 4 = −40.
        let r2 = table(&h, nps("r2", 11)).await;
        assert_eq!(r2.entries[0].estimate, Some(-40.0));
        assert_eq!(november.entries[2].estimate, Some(-40.0));

        // One more promoter for d4: ranked, and tied with d1 and d2 (three
        // at 1), so d3 is fourth.
        answer(&h, "n4b", "d4", "r1", NOVEMBER, true).await;
        let after = table(&h, nps("", 11)).await;
        assert_eq!(
            listed(&after.entries),
            [
                ("d1".into(), 1, Some(1), Some(1)),
                ("d2".into(), 2, Some(1), Some(0)),
                ("d4".into(), 3, Some(1), None),
                ("d3".into(), 4, Some(4), None),
            ]
        );
        // A detractor for d1 drops it below d2 and d4.
        answer(&h, "n1c", "d1", "r1", NOVEMBER, false).await;
        let after = table(&h, nps("", 11)).await;
        assert_eq!(
            listed(&after.entries)
                .iter()
                .map(|(m, _, r, _)| (m.as_str(), *r))
                .collect::<Vec<_>>(),
            [
                ("d2", Some(1)),
                ("d4", Some(1)),
                ("d1", Some(3)),
                ("d3", Some(4))
            ]
        );

        // The regional table holds r1's dealers only, ranked among themselves.
        let r1 = table(&h, nps("r1", 11)).await;
        assert_eq!(
            listed(&r1.entries)
                .iter()
                .map(|(m, _, r, _)| (m.as_str(), *r))
                .collect::<Vec<_>>(),
            [("d2", Some(1)), ("d4", Some(1)), ("d1", Some(3))]
        );

        // Stations are ranked too (s-<dealer>).
        let stations = table(
            &h,
            Some(pb::LeagueTableKey {
                level: pb::LeagueLevel::Station.into(),
                ..nps("", 11).unwrap()
            }),
        )
        .await;
        assert_eq!(stations.entries.len(), 4);
        assert_eq!(stations.entries[0].member_id, "s-d2");
        assert_eq!(stations.entries[0].member_name, station_name("d2"));

        // The rebuilt table equals the live one.
        let live = table(&h, nps("", 11)).await;
        h.leagues(who::oem())
            .rebuild_league_tables(pb::RebuildLeagueTablesRequest {
                period: crate::leagues::month(11),
            })
            .await
            .expect("rebuilt");
        assert_eq!(table(&h, nps("", 11)).await, live);
    }
);

both!(pages_and_neighbours, |h: Harness| async move {
    network(&h).await;
    let mut client = h.leagues(who::oem());
    let first = client
        .get_league_table(pb::GetLeagueTableRequest {
            table: nps("", 11),
            page_size: 2,
            page_token: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        first
            .entries
            .iter()
            .map(|e| e.member_id.as_str())
            .collect::<Vec<_>>(),
        ["d1", "d2"]
    );
    assert!(!first.next_page_token.is_empty());
    let second = client
        .get_league_table(pb::GetLeagueTableRequest {
            table: nps("", 11),
            page_size: 2,
            page_token: first.next_page_token.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        listed(&second.entries),
        [
            ("d3".into(), 3, Some(3), None),
            ("d4".into(), 4, None, None)
        ]
    );
    assert!(second.next_page_token.is_empty());
    // A token of another table is refused.
    let other = client
        .get_league_table(pb::GetLeagueTableRequest {
            table: nps("r1", 11),
            page_size: 2,
            page_token: first.next_page_token,
        })
        .await;
    assert_eq!(crate::support::field_of(other), "page_token");

    let standing = client
        .get_league_standing(pb::GetLeagueStandingRequest {
            table: nps("", 11),
            member_id: "d2".into(),
            neighbours: 1,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(standing.entry.as_ref().unwrap().member_id, "d2");
    assert_eq!(
        standing
            .entries
            .iter()
            .map(|e| e.member_id.as_str())
            .collect::<Vec<_>>(),
        ["d1", "d2", "d3"]
    );
    let missing = client
        .get_league_standing(pb::GetLeagueStandingRequest {
            table: nps("", 11),
            member_id: "d9".into(),
            neighbours: 1,
        })
        .await;
    assert_eq!(crate::support::code_of(missing), tonic::Code::NotFound);
    let bad = client
        .get_league_standing(pb::GetLeagueStandingRequest {
            table: nps("", 11),
            member_id: "d2".into(),
            neighbours: 500,
        })
        .await;
    assert_eq!(crate::support::field_of(bad), "neighbours");
    let unspecified = client
        .get_league_table(pb::GetLeagueTableRequest {
            table: Some(pb::LeagueTableKey {
                metric: 0,
                ..nps("", 11).unwrap()
            }),
            ..Default::default()
        })
        .await;
    assert_eq!(crate::support::field_of(unspecified), "table.metric");
});

both!(
    three_perfect_answers_do_not_top_twenty_at_95_percent,
    |h: Harness| async move {
        h.publish_template("after-sales").await;
        for i in 0..3 {
            answer(&h, &format!("lucky-{i}"), "d-lucky", "r1", NOVEMBER, true).await;
        }
        for i in 0..20 {
            answer(
                &h,
                &format!("steady-{i}"),
                "d-steady",
                "r1",
                NOVEMBER,
                i != 0,
            )
            .await;
        }
        for metric in [pb::LeagueMetric::Nps, pb::LeagueMetric::SatisfactionRate] {
            let t = table(
                &h,
                Some(pb::LeagueTableKey {
                    metric: metric.into(),
                    ..nps("", 11).unwrap()
                }),
            )
            .await;
            let (steady, lucky) = (&t.entries[0], &t.entries[1]);
            assert_eq!(
                (steady.member_id.as_str(), lucky.member_id.as_str()),
                ("d-steady", "d-lucky"),
                "{metric:?}"
            );
            // The lucky one has the better raw value, shown beside the
            // estimate it is ranked by.
            assert!(lucky.raw_value > steady.raw_value, "{metric:?}");
            assert!(lucky.estimate < steady.estimate, "{metric:?}");
            assert_eq!((steady.rank, lucky.rank), (Some(1), Some(2)));
            assert_eq!((steady.sample_size, lucky.sample_size), (Some(20), Some(3)));
        }
    }
);

both!(
    a_late_answer_leaves_nothing_to_rebuild_when_the_next_period_has_no_responses,
    |h: Harness| async move {
        h.publish_template("after-sales").await;
        // October is over, and November has no responses: no table of
        // November has a prior or previous ranks for this answer to move.
        answer(&h, "o1", "d1", "r1", OCTOBER, true).await;
        assert!(h.leagues.is_settled());
    }
);

both!(
    tables_missing_at_start_up_are_served_from_the_database_then_built,
    |h: Harness| async move {
        network(&h).await;
        let live = table(&h, nps("", 11)).await;
        // In-process tables start empty after a restart, and Redis may have
        // lost some: the service marks the periods with responses and no
        // tables stale.
        let boards = h.leagues.boards();
        for period in ["2026-11", "2026-Q4", "2026"] {
            for board in boards.boards(period.parse().unwrap()).await.unwrap() {
                boards.delete(&board).await.unwrap();
            }
        }
        h.leagues.mark_unbuilt().await.unwrap();
        // October's tables are there: not marked.
        assert!(!h.leagues.is_stale("2026-10".parse().unwrap()));
        let meanwhile = table(&h, nps("", 11)).await;
        assert!(meanwhile.served_from_database);
        assert_eq!(meanwhile.entries, live.entries);
        assert_eq!(from_boards(&h, nps("", 11)).await, live);
        // The quarter and the year were built too.
        let quarter = from_boards(
            &h,
            Some(pb::LeagueTableKey {
                period: Some(aftercare_proto::common::v1::Period {
                    kind: aftercare_proto::common::v1::PeriodKind::Quarter.into(),
                    year: 2026,
                    number: 4,
                }),
                ..nps("", 11).unwrap()
            }),
        )
        .await;
        assert_eq!(quarter.entries.len(), 4);
    }
);

/// The table once the table store serves it (the repair task builds the
/// stale periods one after another).
async fn from_boards(h: &Harness, key: Option<pb::LeagueTableKey>) -> pb::LeagueTable {
    eventually("the table store serves the table", || async {
        let now = table(h, key.clone()).await;
        (!now.served_from_database).then_some(now)
    })
    .await
}

both!(
    a_member_is_named_as_its_latest_delivery_names_it,
    |h: Harness| async move {
        h.publish_template("after-sales").await;
        answer(&h, "first", "d1", "r1", NOVEMBER, true).await;
        let name = |t: &pb::LeagueTable| t.entries[0].member_name.clone();
        assert_eq!(name(&table(&h, nps("", 11)).await), dealer_name("d1"));

        // The dealer renamed, on a later delivery: the table, moved by the
        // response, shows the new name.
        let renamed = |tag: &str, seconds: i64, dealer_name: &str| {
            let mut event = delivered_at(
                &format!("ev-{tag}"),
                &format!("ro-{tag}"),
                "d1",
                "r1",
                seconds,
            );
            event.event.as_mut().unwrap().dealer_name = dealer_name.into();
            event
        };
        for (tag, seconds, dealer_name, expected) in [
            (
                "renamed",
                NOVEMBER + 3600,
                "Dealer d1 Renamed",
                "Dealer d1 Renamed",
            ),
            // An event of an earlier delivery, or one without names,
            // leaves the latest name.
            ("earlier", NOVEMBER - 3600, "Dealer d1", "Dealer d1 Renamed"),
            ("unnamed", NOVEMBER + 7200, "", "Dealer d1 Renamed"),
        ] {
            let invitation = h
                .invitations(who::relay("d1"))
                .receive_repair_order_delivered(renamed(tag, seconds, dealer_name))
                .await
                .expect("invitation created")
                .into_inner();
            h.invitations(who::oem())
                .take_survey_by_phone(pb::TakeSurveyByPhoneRequest {
                    invitation_id: invitation.id,
                    answers: crate::support::answers(true),
                    request_id: String::new(),
                })
                .await
                .expect("answered by phone");
            let t = table(&h, nps("", 11)).await;
            assert_eq!(name(&t), expected, "after {tag}");
        }
    }
);
