//! Days and periods are the OEM's, in its time zone with daylight saving:
//! an RO delivered late on the last UTC day of a month counts in the next
//! month when that is already the OEM's date.

use aftercare_proto::{common::v1 as common, surveys::v1 as pb};
use aftercare_surveys::Rules;
use aftercare_values::OemZone;

use crate::{
    both,
    support::{Harness, answers, delivered_at, start_with, who},
};

/// 2026-03-31T22:30Z: 00:30 on 1 April in Berlin (summer time, UTC+2).
const LAST_OF_MARCH_UTC: i64 = 1_774_996_200;
/// 2026-10-31T23:30Z: 00:30 on 1 November in Berlin (winter time, UTC+1).
const LAST_OF_OCTOBER_UTC: i64 = 1_793_489_400;

async fn in_berlin(backend: aftercare_db::Backend) -> Harness {
    let zone = OemZone::parse("Europe/Berlin").unwrap();
    start_with(
        backend,
        Rules {
            zone,
            ..Rules::default()
        },
    )
    .await
}

fn month(number: i32) -> Option<common::Period> {
    Some(common::Period {
        kind: common::PeriodKind::Month.into(),
        year: 2026,
        number,
    })
}

both!(
    a_response_counts_in_the_oems_local_month,
    in_berlin,
    |h: Harness| async move {
        h.publish_template("after-sales").await;
        for (event, ro, at) in [
            ("ev-1", "ro-1", LAST_OF_MARCH_UTC),
            ("ev-2", "ro-2", LAST_OF_OCTOBER_UTC),
        ] {
            let invitation = h
                .invitations(who::relay("d1"))
                .receive_repair_order_delivered(delivered_at(event, ro, "d1", "r1", at))
                .await
                .unwrap()
                .into_inner();
            h.invitations(who::dealer("d1"))
                .take_survey_by_phone(pb::TakeSurveyByPhoneRequest {
                    invitation_id: invitation.id,
                    answers: answers(true),
                    request_id: String::new(),
                })
                .await
                .unwrap();
        }

        let mut scores = h.scores(who::oem());
        let mut invitations = h.invitations(who::oem());
        for (number, expected) in [(3, 0), (4, 1), (10, 0), (11, 1)] {
            let got = scores
                .get_survey_scores(pb::GetSurveyScoresRequest {
                    period: month(number),
                    dealer_id: "d1".into(),
                    ..Default::default()
                })
                .await
                .unwrap()
                .into_inner();
            assert_eq!(got.responses, expected, "responses of 2026-{number:02}");
            let rate = invitations
                .get_response_rate(pb::GetResponseRateRequest {
                    dealer_id: "d1".into(),
                    period: month(number),
                    ..Default::default()
                })
                .await
                .unwrap()
                .into_inner();
            assert_eq!(
                (rate.invited, rate.answered),
                (expected, expected),
                "response rate of 2026-{number:02}"
            );
        }
    }
);
