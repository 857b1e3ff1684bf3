//! The worked examples of `docs/scoring.md` §2 and §3, as a client reads
//! them: each SERVQUAL item's and dimension's gap and verdict on a
//! response, and a station's dimension verdicts over responses A and B.

use aftercare_proto::{common::v1 as common, surveys::v1 as pb};

use crate::{
    both,
    support::{Harness, question, who},
};

use pb::{Dimension as D, Factor as F, QuestionKind as K, Scale as S, Verdict as V};

/// The example survey of §1 (`after-service` there; published under the code invitations use).
fn example_survey() -> pb::SurveyVersion {
    let servqual =
        |id, kind, dimension, factor| question(id, kind, S::OneToSeven, dimension, factor, true);
    pb::SurveyVersion {
        questions: vec![
            servqual("tan-1-e", K::Expectation, D::Tangibles, F::Unspecified),
            servqual("tan-1-p", K::Perception, D::Tangibles, F::Facility),
            servqual("rel-1-e", K::Expectation, D::Reliability, F::Unspecified),
            servqual("rel-1-p", K::Perception, D::Reliability, F::ServiceQuality),
            servqual("rel-2-e", K::Expectation, D::Reliability, F::Unspecified),
            servqual("rel-2-p", K::Perception, D::Reliability, F::VehiclePickUp),
            servqual("res-1-e", K::Expectation, D::Responsiveness, F::Unspecified),
            servqual(
                "res-1-p",
                K::Perception,
                D::Responsiveness,
                F::ServiceAdvisor,
            ),
            question(
                "booking",
                K::Rating,
                S::OneToFive,
                D::Unspecified,
                F::ServiceInitiation,
                false,
            ),
            question(
                "advisor",
                K::Rating,
                S::OneToFive,
                D::Unspecified,
                F::ServiceAdvisor,
                false,
            ),
            question(
                "overall",
                K::Rating,
                S::OneToFive,
                D::Unspecified,
                F::Unspecified,
                true,
            ),
            question(
                "recommend",
                K::Nps,
                S::ZeroToTen,
                D::Unspecified,
                F::Unspecified,
                true,
            ),
        ],
        dimension_weights: Some(pb::DimensionWeights {
            tangibles: 20,
            reliability: 50,
            responsiveness: 30,
            ..Default::default()
        }),
        factor_weights: Some(pb::FactorWeights {
            service_initiation: 20,
            service_advisor: 20,
            facility: 10,
            vehicle_pick_up: 20,
            service_quality: 30,
        }),
        satisfaction_question: "overall".into(),
        nps_question: "recommend".into(),
        ..Default::default()
    }
}

/// Responses A (example 2.1) and B (example 2.2).
const RESPONSE_A: &[(&str, i32)] = &[
    ("tan-1-e", 6),
    ("tan-1-p", 7),
    ("rel-1-e", 7),
    ("rel-1-p", 6),
    ("rel-2-e", 7),
    ("rel-2-p", 4),
    ("res-1-e", 6),
    ("res-1-p", 6),
    ("booking", 5),
    ("advisor", 4),
    ("overall", 4),
    ("recommend", 9),
];
const RESPONSE_B: &[(&str, i32)] = &[
    ("tan-1-e", 5),
    ("tan-1-p", 5),
    ("rel-1-e", 6),
    ("rel-1-p", 3),
    ("rel-2-e", 6),
    ("rel-2-p", 7),
    ("res-1-e", 7),
    ("res-1-p", 3),
    ("overall", 2),
    ("recommend", 6),
];

async fn publish(h: &Harness) {
    let mut t = h.templates(who::oem());
    t.create_survey_template(pb::CreateSurveyTemplateRequest {
        survey_template: Some(pb::SurveyTemplate {
            code: "after-sales".into(),
            display_name: "After service".into(),
            ..Default::default()
        }),
        request_id: String::new(),
    })
    .await
    .expect("template created");
    t.publish_survey_version(pb::PublishSurveyVersionRequest {
        template_code: "after-sales".into(),
        version: Some(example_survey()),
        request_id: String::new(),
    })
    .await
    .expect("version published");
}

/// The response to RO `ro` of station s-d1, taken by phone.
async fn respond(h: &Harness, ro: &str, answers: &[(&str, i32)]) -> pb::ResponseScore {
    let invitation = h.deliver(&format!("ev-{ro}"), ro, "d1", "r1").await;
    h.invitations(who::oem())
        .take_survey_by_phone(pb::TakeSurveyByPhoneRequest {
            invitation_id: invitation.id,
            answers: answers
                .iter()
                .map(|(q, value)| pb::Answer {
                    question_id: (*q).into(),
                    value: *value,
                })
                .collect(),
            request_id: String::new(),
        })
        .await
        .expect("answered")
        .into_inner()
        .score
        .expect("scored")
}

fn items(s: &pb::ResponseScore) -> Vec<(&str, i64, V)> {
    s.items
        .iter()
        .map(|i| (i.item.as_str(), i.gap, i.verdict()))
        .collect()
}

fn dimensions(s: &pb::ResponseScore) -> Vec<(D, i64, i64, V)> {
    s.dimensions
        .iter()
        .map(|d| (d.dimension(), d.items, d.gap, d.verdict()))
        .collect()
}

both!(
    responses_a_and_b_give_the_gaps_and_verdicts_the_doc_works_out,
    |h: Harness| async move {
        publish(&h).await;

        let a = respond(&h, "ro-a", RESPONSE_A).await;
        assert_eq!(
            items(&a),
            [
                ("tan-1", 1000, V::Exceeds),
                ("rel-1", -1000, V::FallsShort),
                ("rel-2", -3000, V::FallsShort),
                ("res-1", 0, V::Meets),
            ]
        );
        assert_eq!(
            dimensions(&a),
            [
                (D::Tangibles, 1, 1000, V::Exceeds),
                (D::Reliability, 2, -2000, V::FallsShort),
                (D::Responsiveness, 1, 0, V::Meets),
            ]
        );
        assert_eq!((a.unweighted_gap, a.weighted_gap), (Some(-333), Some(-800)));

        let b = respond(&h, "ro-b", RESPONSE_B).await;
        assert_eq!(
            items(&b),
            [
                ("tan-1", 0, V::Meets),
                ("rel-1", -3000, V::FallsShort),
                ("rel-2", 1000, V::Exceeds),
                ("res-1", -4000, V::FallsShort),
            ]
        );
        assert_eq!(
            dimensions(&b),
            [
                (D::Tangibles, 1, 0, V::Meets),
                (D::Reliability, 2, -1000, V::FallsShort),
                (D::Responsiveness, 1, -4000, V::FallsShort),
            ]
        );
        assert_eq!(
            (b.unweighted_gap, b.weighted_gap),
            (Some(-1667), Some(-1700))
        );

        // Example 3.1: the station over both.
        let station = h
            .scores(who::oem())
            .get_survey_scores(pb::GetSurveyScoresRequest {
                station_id: "s-d1".into(),
                period: Some(common::Period {
                    kind: common::PeriodKind::Month.into(),
                    year: 2026,
                    number: 11,
                }),
                ..Default::default()
            })
            .await
            .expect("scores read")
            .into_inner();
        assert_eq!(
            station
                .dimensions
                .iter()
                .map(|d| (d.dimension(), d.gap, d.verdict()))
                .collect::<Vec<_>>(),
            [
                (D::Tangibles, Some(0.5), V::Exceeds),
                (D::Reliability, Some(-1.5), V::FallsShort),
                (D::Responsiveness, Some(-2.0), V::FallsShort),
            ]
        );
    }
);
