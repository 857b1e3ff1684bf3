//! Scores aggregated per advisor, technician, station, dealer and region,
//! summed over a period within what the caller sees.

use aftercare_proto::{common::v1 as common, surveys::v1 as pb};
use tonic::Code;

use crate::{
    both,
    support::{Harness, answers, code_of, field_of, who},
};

fn month(m: i32) -> Option<common::Period> {
    Some(common::Period {
        kind: common::PeriodKind::Month.into(),
        year: 2026,
        number: m,
    })
}

both!(
    scores_add_up_per_subject_and_period,
    |h: Harness| async move {
        h.publish_template("after-sales").await;
        let good = h.deliver("ev-1", "ro-1", "d1", "r1").await;
        let bad = h.deliver("ev-2", "ro-2", "d2", "r1").await;
        h.invitations(who::dealer("d1"))
            .take_survey_by_phone(pb::TakeSurveyByPhoneRequest {
                invitation_id: good.id,
                answers: answers(true),
                request_id: String::new(),
            })
            .await
            .unwrap();
        let token = h.issue(&bad.id).await;
        h.link()
            .submit_survey_response(pb::SubmitSurveyResponseRequest {
                link_token: token,
                answers: answers(false),
            })
            .await
            .unwrap();

        let get = |p, r: pb::GetSurveyScoresRequest| {
            let mut c = h.scores(p);
            async move { c.get_survey_scores(r).await.map(|r| r.into_inner()) }
        };
        let req = |f: fn(&mut pb::GetSurveyScoresRequest)| {
            let mut r = pb::GetSurveyScoresRequest {
                period: month(11),
                ..Default::default()
            };
            f(&mut r);
            r
        };

        let network = get(who::oem(), req(|_| {})).await.unwrap();
        assert_eq!(network.responses, 2);
        assert_eq!(
            (network.promoters, network.passives, network.detractors),
            (1, 0, 1)
        );
        assert_eq!(network.nps, Some(0.0));
        assert_eq!(network.satisfaction_rate_basis_points, Some(5000));
        let index = network.service_index.unwrap();
        assert!((index - 528.0).abs() < 0.01, "{index}");

        let d1 = get(who::dealer("d1"), req(|r| r.dealer_id = "d1".into()))
            .await
            .unwrap();
        assert_eq!(
            (d1.responses, d1.service_index, d1.nps),
            (1, Some(1000.0), Some(100.0))
        );
        let tangibles = &d1.dimensions[0];
        assert_eq!(tangibles.dimension, pb::Dimension::Tangibles as i32);
        assert_eq!(
            (
                tangibles.perception_sum,
                tangibles.expectation_sum,
                tangibles.items
            ),
            (6000, 5000, 1)
        );
        assert_eq!(tangibles.gap, Some(1.0));
        // What a dealer sees is its own, whatever it asks.
        let own = get(who::dealer("d1"), req(|_| {})).await.unwrap();
        assert_eq!(own.responses, 1);

        // The advisor worked on both ROs; each dealer sees its part only.
        let advisor = get(who::oem(), req(|r| r.advisor_id = "adv-1".into()))
            .await
            .unwrap();
        assert_eq!(advisor.responses, 2);
        let mine = get(who::dealer("d1"), req(|r| r.advisor_id = "adv-1".into()))
            .await
            .unwrap();
        assert_eq!(mine.responses, 1);
        let technician = get(who::dealer("d2"), req(|r| r.technician_id = "t1".into()))
            .await
            .unwrap();
        assert_eq!(technician.responses, 1, "t1 counted once per response");
        let station = get(who::region("r1"), req(|r| r.station_id = "s-d1".into()))
            .await
            .unwrap();
        assert_eq!(station.responses, 1);
        let region = get(who::region("r1"), req(|r| r.region_id = "r1".into()))
            .await
            .unwrap();
        assert_eq!(region.responses, 2);
        let other_station = get(who::dealer("d2"), req(|r| r.station_id = "s-d1".into()))
            .await
            .unwrap();
        assert_eq!(other_station.responses, 0);
        let october = get(
            who::oem(),
            pb::GetSurveyScoresRequest {
                period: month(10),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!((october.responses, october.service_index), (0, None));

        assert_eq!(
            code_of(get(who::dealer("d2"), req(|r| r.dealer_id = "d1".into())).await),
            Code::NotFound
        );
        assert_eq!(
            code_of(get(who::region("r2"), req(|r| r.region_id = "r1".into())).await),
            Code::NotFound
        );
        assert_eq!(
            code_of(get(who::link(), req(|_| {})).await),
            Code::PermissionDenied
        );
        let two = req(|r| {
            r.advisor_id = "adv-1".into();
            r.technician_id = "t1".into();
        });
        assert_eq!(field_of(get(who::oem(), two).await), "technician_id");
        assert_eq!(
            field_of(get(who::oem(), pb::GetSurveyScoresRequest::default()).await),
            "period"
        );
    }
);
