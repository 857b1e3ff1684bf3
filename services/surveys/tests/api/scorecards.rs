//! The dealer scorecard through the real gRPC stack, with dealers, parts
//! and costs served over TCP: each stopped in turn, the rest answers and
//! the missing parts are named; the weights versioned; the dealer
//! assessment league; who may read what; bad input.

pub(crate) mod support;

use std::time::Instant;

use aftercare_proto::surveys::v1 as pb;
use tonic::Code;

use self::support::{DEADLINE, Network, Peer, start};
use crate::{
    both,
    leagues::{NOVEMBER, answer, listed, month},
    support::{code_of, field_of, who},
};

/// The parts of a scorecard whose reason names `service` as the cause.
fn blamed(card: &pb::DealerScorecard, service: &str) -> Vec<pb::ScorecardPart> {
    let cause = format!("the {service} service");
    card.sections
        .iter()
        .filter(|s| s.missing_reason.starts_with(&cause))
        .map(|s| s.part())
        .collect()
}

fn section(card: &pb::DealerScorecard, part: pb::ScorecardPart) -> &pb::ScorecardSection {
    card.sections
        .iter()
        .find(|s| s.part() == part)
        .expect("every part is listed")
}

/// d1 (r1) two promoters, d2 (r1) two detractors, d3 (r2) one promoter, in
/// November 2026.
async fn responses(n: &Network) {
    n.dealers().await;
    let h = &n.surveys;
    h.publish_template("after-sales").await;
    for (tag, dealer, region, high) in [
        ("s1a", "d1", "r1", true),
        ("s1b", "d1", "r1", true),
        ("s2a", "d2", "r1", false),
        ("s2b", "d2", "r1", false),
        ("s3a", "d3", "r2", true),
    ] {
        answer(h, tag, dealer, region, NOVEMBER, high).await;
    }
}

both!(
    each_service_stopped_in_turn_leaves_the_rest_answering_with_its_parts_named,
    start,
    |mut n: Network| async move {
        responses(&n).await;
        use pb::ScorecardPart as P;
        let all = n.scorecard(who::oem(), "d1", 11).await.expect("scorecard");
        // Everyone answered: no part blames a service; satisfaction is
        // scored from surveys' own responses.
        for service in ["dealers", "parts", "costs"] {
            assert_eq!(blamed(&all, service), [], "{all:?}");
        }
        assert_eq!(section(&all, P::Satisfaction).score, Some(1000));
        let composite = all.composite.clone().expect("a composite");
        assert_eq!(composite.value, Some(1000));
        assert!(composite.parts_used.contains(&(P::Satisfaction as i32)));

        for (peer, service, parts) in [
            (Peer::Dealers, "dealers", vec![P::Standards]),
            (Peer::Parts, "parts", vec![P::FillRate, P::RequiredStock]),
            (
                Peer::Costs,
                "costs",
                vec![P::Comebacks, P::Costs, P::Complaints],
            ),
        ] {
            n.stop(peer).await;
            let began = Instant::now();
            let card = n.scorecard(who::oem(), "d1", 11).await.expect("answers");
            assert!(began.elapsed() < DEADLINE * 2, "{:?}", began.elapsed());
            assert_eq!(blamed(&card, service), parts, "{card:?}");
            for part in &parts {
                assert!(card.missing_parts.contains(&(*part as i32)));
                assert_eq!(section(&card, *part).score, None);
            }
            // The rest answers: satisfaction and the composite are there.
            assert_eq!(section(&card, P::Satisfaction).score, Some(1000));
            assert_eq!(card.composite.and_then(|c| c.value), Some(1000));
            n.start(peer).await;
        }
    }
);

both!(
    a_service_that_does_not_answer_is_missing_once_the_deadline_passes,
    start,
    |mut n: Network| async move {
        n.dealers().await;
        // Costs' port accepts connections and never answers.
        n.stop(Peer::Costs).await;
        let _held = n.hold(Peer::Costs).await;
        let began = Instant::now();
        let card = n.scorecard(who::oem(), "d1", 11).await.expect("answers");
        let took = began.elapsed();
        assert!(took >= DEADLINE / 2 && took < DEADLINE * 2, "{took:?}");
        let costs = section(&card, pb::ScorecardPart::Costs);
        assert!(
            costs.missing_reason.contains("did not answer within"),
            "{costs:?}"
        );
        assert_eq!(blamed(&card, "dealers"), []);
    }
);

both!(
    complaints_are_counted_or_named_missing,
    start,
    |n: Network| async move {
        let card = n.scorecard(who::oem(), "d1", 11).await.expect("scorecard");
        let complaints = section(&card, pb::ScorecardPart::Complaints);
        assert_eq!(complaints.score, None);
        assert!(!complaints.missing_reason.is_empty());
    }
);

both!(
    weights_are_versioned_and_the_composite_names_its_version,
    start,
    |n: Network| async move {
        responses(&n).await;
        let mut c = n.scorecards(who::oem());
        let versions = c
            .get_scorecard_weights(pb::GetScorecardWeightsRequest {})
            .await
            .expect("weights")
            .into_inner()
            .versions;
        assert_eq!(versions.iter().map(|v| v.version).collect::<Vec<_>>(), [0]);
        let set = |request_id: &str, satisfaction: i32| pb::SetScorecardWeightsRequest {
            weights: Some(pb::ScorecardWeights {
                weights: vec![pb::ScorecardWeight {
                    part: pb::ScorecardPart::Satisfaction.into(),
                    weight: satisfaction,
                }],
                ..Default::default()
            }),
            request_id: request_id.into(),
        };
        let first = c.set_scorecard_weights(set("w-1", 50)).await.expect("set");
        assert_eq!(first.get_ref().version, 1);
        // A retry answers the same version and adds none.
        let again = c.set_scorecard_weights(set("w-1", 50)).await.expect("set");
        assert_eq!(again.get_ref(), first.get_ref());
        let second = c.set_scorecard_weights(set("w-2", 60)).await.expect("set");
        assert_eq!(second.get_ref().version, 2);
        let versions = c
            .get_scorecard_weights(pb::GetScorecardWeightsRequest {})
            .await
            .expect("weights")
            .into_inner()
            .versions;
        assert_eq!(
            versions.iter().map(|v| v.version).collect::<Vec<_>>(),
            [2, 1, 0]
        );
        let card = n.scorecard(who::oem(), "d2", 11).await.expect("scorecard");
        let composite = card.composite.expect("composite");
        assert_eq!(composite.weights_version, 2);
        // Only satisfaction weighs now.
        assert_eq!(
            composite.parts_used,
            [pb::ScorecardPart::Satisfaction as i32]
        );

        // Head office alone sets them; bad weights name the field.
        let by_region = n
            .scorecards(who::region("r1"))
            .set_scorecard_weights(set("w-3", 10))
            .await;
        assert_eq!(code_of(by_region), Code::PermissionDenied);
        assert_eq!(
            field_of(c.set_scorecard_weights(set("w-4", 1001)).await),
            "weights.weights[0].weight"
        );
        assert_eq!(
            field_of(c.set_scorecard_weights(set("w-5", 0)).await),
            "weights.weights"
        );
    }
);

both!(
    weights_set_at_once_get_versions_of_their_own_or_abort,
    start,
    |n: Network| async move {
        let set = |i: usize| {
            let mut c = n.scorecards(who::oem());
            async move {
                let request = pb::SetScorecardWeightsRequest {
                    weights: Some(pb::ScorecardWeights {
                        weights: vec![pb::ScorecardWeight {
                            part: pb::ScorecardPart::Satisfaction.into(),
                            weight: 10 + i as i32,
                        }],
                        ..Default::default()
                    }),
                    request_id: format!("at-once-{i}"),
                };
                c.set_scorecard_weights(request).await
            }
        };
        let answers = futures::future::join_all((0..8).map(set)).await;
        let mut versions = vec![];
        for answer in answers {
            match answer {
                Ok(set) => versions.push(set.into_inner().version),
                Err(s) => assert_eq!(s.code(), Code::Aborted, "{s:?}"),
            }
        }
        let mut distinct = versions.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), versions.len(), "{versions:?}");
        assert!(!versions.is_empty());
    }
);

both!(
    the_assessment_league_ranks_by_the_composite_with_small_samples_unranked,
    start,
    |n: Network| async move {
        responses(&n).await;
        let refreshed = n
            .scorecards(who::oem())
            .refresh_dealer_assessments(pb::RefreshDealerAssessmentsRequest { period: month(11) })
            .await
            .expect("refreshed")
            .into_inner();
        assert_eq!(refreshed.dealers, 3);
        let key = |region: &str| pb::LeagueTableKey {
            metric: pb::LeagueMetric::Assessment.into(),
            region_id: region.into(),
            level: pb::LeagueLevel::Dealer.into(),
            period: month(11),
        };
        let read = |region: &'static str| {
            let mut c = n.surveys.leagues(who::oem());
            async move {
                c.get_league_table(pb::GetLeagueTableRequest {
                    table: Some(key(region)),
                    page_size: 0,
                    page_token: String::new(),
                })
                .await
                .expect("table")
                .into_inner()
            }
        };
        let national = read("").await;
        // d1 (two promoters) above d2 (two detractors); d3 has one response:
        // listed, not ranked.
        assert_eq!(
            listed(&national.entries),
            [
                ("d1".into(), 1, Some(1), None),
                ("d2".into(), 2, Some(2), None),
                ("d3".into(), 3, None, None),
            ]
        );
        assert_eq!(national.entries[0].raw_value, Some(1000.0));
        assert_eq!(national.entries[0].sample_size, Some(2));
        let r2 = read("r2").await;
        assert_eq!(listed(&r2.entries), [("d3".into(), 1, None, None)]);

        // The league is rebuilt from the snapshots.
        n.surveys
            .leagues(who::oem())
            .rebuild_league_tables(pb::RebuildLeagueTablesRequest { period: month(11) })
            .await
            .expect("rebuilt");
        assert_eq!(read("").await.entries, national.entries);

        // Head office alone refreshes; stations are not assessed.
        let by_dealer = n
            .scorecards(who::dealer("d1"))
            .refresh_dealer_assessments(pb::RefreshDealerAssessmentsRequest { period: month(11) })
            .await;
        assert_eq!(code_of(by_dealer), Code::PermissionDenied);
        let stations = n
            .surveys
            .leagues(who::oem())
            .get_league_table(pb::GetLeagueTableRequest {
                table: Some(pb::LeagueTableKey {
                    level: pb::LeagueLevel::Station.into(),
                    ..key("")
                }),
                page_size: 0,
                page_token: String::new(),
            })
            .await;
        assert_eq!(field_of(stations), "table.level");
    }
);

both!(
    a_scorecard_is_read_by_its_dealer_its_region_and_head_office,
    start,
    |n: Network| async move {
        responses(&n).await;
        for reader in [
            who::oem(),
            who::region("r1"),
            who::dealer("d1"),
            who::dms("d1"),
        ] {
            n.scorecard(reader.clone(), "d1", 11)
                .await
                .unwrap_or_else(|e| panic!("{reader:?} reads d1's: {e:?}"));
        }
        for outsider in [who::region("r2"), who::dealer("d2"), who::dms("d2")] {
            let refused = n.scorecard(outsider, "d1", 11).await;
            assert_eq!(code_of(refused), Code::NotFound);
        }
        assert_eq!(
            code_of(n.scorecard(who::link(), "d1", 11).await),
            Code::PermissionDenied
        );
    }
);

both!(
    a_region_reads_the_scorecard_of_its_dealer_without_answers,
    start,
    |n: Network| async move {
        // No survey response tells d1's region: dealers does.
        n.dealers().await;
        n.scorecard(who::region("r1"), "d1", 11)
            .await
            .expect("r1 reads d1's scorecard");
        let refused = n.scorecard(who::region("r2"), "d1", 11).await;
        assert_eq!(code_of(refused), Code::NotFound);
    }
);

both!(
    bad_requests_name_the_field,
    start,
    |n: Network| async move {
        assert_eq!(
            field_of(n.scorecard(who::oem(), "D 1", 11).await),
            "dealer_id"
        );
        assert_eq!(field_of(n.scorecard(who::oem(), "d1", 13).await), "period");
        let no_period = n
            .scorecards(who::oem())
            .refresh_dealer_assessments(pb::RefreshDealerAssessmentsRequest { period: None })
            .await;
        assert_eq!(field_of(no_period), "period");
    }
);
