use aftercare_outbox::{Deliver, StoredEvent};
use aftercare_proto::{dealers::v1 as dealers_pb, surveys::v1 as pb};
use aftercare_surveys::events::{COMPLAINTS, Deliverer, LOW_SCORE};
use aftercare_test_support::{Outcome, eventually, who};
use prost::Message;

use super::support::Net;
use crate::{both, support::answers};

fn low_score(event_id: &str, response_id: &str) -> StoredEvent {
    let response = pb::SurveyResponse {
        id: response_id.into(),
        repair_order_id: "ro-gone".into(),
        station_id: "s1".into(),
        dealer_id: "d1".into(),
        region_id: "r1".into(),
        advisor_id: "adv-1".into(),
        score: Some(pb::ResponseScore {
            service_index: Some(150),
            low_score: true,
            ..Default::default()
        }),
        ..Default::default()
    };
    StoredEvent {
        id: event_id.into(),
        destination: COMPLAINTS.into(),
        kind: LOW_SCORE.into(),
        payload: response.encode_to_vec(),
        create_time: 0,
        attempts: 0,
    }
}

both!(
    a_low_score_delivered_twice_opens_one_complaint,
    crate::complaints::support::start,
    |net: Net| async move {
        let deliverer = Deliverer::new(net.complaints.clone());
        deliverer
            .deliver(&low_score("ev-1", "resp-1"))
            .await
            .expect("delivered");
        deliverer
            .deliver(&low_score("ev-1", "resp-1"))
            .await
            .expect("again");
        // Another event of the same response: still one complaint.
        deliverer
            .deliver(&low_score("ev-2", "resp-1"))
            .await
            .expect("other event");
        let listed = net
            .client(who::region("r1"))
            .list_complaints(pb::ListComplaintsRequest::default())
            .await
            .answer()
            .complaints;
        assert_eq!(listed.len(), 1);
        let c = &listed[0];
        assert_eq!(c.source(), pb::ComplaintSource::LowScore);
        assert_eq!(c.severity(), pb::ComplaintSeverity::Critical);
        assert_eq!(c.survey_response_id, "resp-1");
        assert_eq!(c.advisor_id, "adv-1");
        assert_eq!(c.owner_level(), pb::OwnerLevel::Dealer);
        assert_eq!(c.class(), pb::ComplaintClass::Unspecified);

        // Unclassified until resolved: the resolution must class it.
        let mut d1 = net.client(who::dealer("d1"));
        d1.respond_to_complaint(pb::RespondToComplaintRequest {
            id: c.id.clone(),
            response: "we called the customer".into(),
            ..Default::default()
        })
        .await
        .answer();
        let resolve = |class: pb::ComplaintClass, cause: &str| pb::ResolveComplaintRequest {
            id: c.id.clone(),
            root_cause: "the advisor promised too early".into(),
            corrective_action: "promise times from the workshop plan".into(),
            class: class.into(),
            cause: cause.into(),
            ..Default::default()
        };
        let unclassed = d1
            .resolve_complaint(resolve(pb::ComplaintClass::Unspecified, ""))
            .await;
        assert_eq!(unclassed.bad_field(), "class");
        let resolved = d1
            .resolve_complaint(resolve(
                pb::ComplaintClass::NonQualityProcess,
                "missed-promise-time",
            ))
            .await
            .answer();
        assert_eq!(resolved.class(), pb::ComplaintClass::NonQualityProcess);
        assert_eq!(resolved.cause, "missed-promise-time");
    }
);

/// Waiting low-score events of the surveys outbox, and their attempts.
async fn waiting(net: &Net) -> (i64, i64) {
    sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(attempts), 0) AS BIGINT) \
         FROM outbox_events WHERE kind = $1 AND delivered_time IS NULL AND failed_time IS NULL",
    )
    .bind(LOW_SCORE)
    .fetch_one(net.h.db.pool())
    .await
    .unwrap()
}

both!(
    the_relay_retries_while_dealers_is_down_and_a_redelivery_opens_nothing_more,
    crate::complaints::support::start_fake,
    |mut net: Net| async move {
        net.known.add_ro(dealers_pb::RepairOrder {
            id: "ro-1".into(),
            station_id: "s-d1".into(),
            dealer_id: "d1".into(),
            advisor_id: "adv-1".into(),
            labour_lines: ["t1", "t2", "t1"]
                .map(|t| dealers_pb::LabourLine {
                    technician_id: t.into(),
                    ..Default::default()
                })
                .into(),
            parts_lines: ["p-1", "p-2", "p-1"]
                .map(|p| dealers_pb::PartsLine {
                    part_number: p.into(),
                    ..Default::default()
                })
                .into(),
            ..Default::default()
        });
        net.dealers.down().await;
        let h = &net.h;
        h.publish_template("after-sales").await;
        let invitation = h.deliver("ev-1", "ro-1", "d1", "r1").await;
        let token = h.issue(&invitation.id).await;
        h.link()
            .submit_survey_response(pb::SubmitSurveyResponseRequest {
                link_token: token,
                answers: answers(false),
            })
            .await
            .answer();
        eventually("the relay tries while dealers is down", || async {
            let (events, attempts) = waiting(&net).await;
            (events == 1 && attempts >= 1).then_some(())
        })
        .await;
        let mut region = net.client(who::region("r1"));
        let listed = region
            .list_complaints(pb::ListComplaintsRequest::default())
            .await;
        assert!(listed.answer().complaints.is_empty());

        // Dealers back; the relay delivers, and a relay that stopped after
        // applying the event but before marking it delivers it once more.
        net.known.serve(&mut net.dealers).await;
        let (event_id,): (String,) =
            sqlx::query_as("SELECT event_id FROM outbox_events WHERE kind = $1")
                .bind(LOW_SCORE)
                .fetch_one(net.h.db.pool())
                .await
                .unwrap();
        let response = net
            .h
            .responses(who::oem())
            .list_survey_responses(pb::ListSurveyResponsesRequest::default())
            .await
            .answer()
            .survey_responses
            .remove(0);
        let mut again = low_score(&event_id, &response.id);
        again.payload = response.encode_to_vec();
        Deliverer::new(net.complaints.clone())
            .deliver(&again)
            .await
            .expect("redelivered");
        eventually("the outbox holds no low score", || async {
            (waiting(&net).await.0 == 0).then_some(())
        })
        .await;
        let listed = region
            .list_complaints(pb::ListComplaintsRequest::default())
            .await
            .answer()
            .complaints;
        assert_eq!(listed.len(), 1);
        let c = &listed[0];
        assert_eq!(c.repair_order_id, "ro-1");
        assert_eq!(c.survey_response_id, response.id);
        assert_eq!(c.technician_ids, ["t1", "t2"]);
        assert_eq!(c.part_numbers, ["p-1", "p-2"]);
        assert_eq!(
            (c.station_id.as_str(), c.dealer_id.as_str()),
            ("s-d1", "d1")
        );
        assert_eq!(c.history[0].actor, aftercare_auth::SURVEYS_RELAY);
        // Found by its RO's technician, part and advisor.
        for request in [
            pb::ListComplaintsRequest {
                technician_id: "t2".into(),
                ..Default::default()
            },
            pb::ListComplaintsRequest {
                part_number: "p-2".into(),
                ..Default::default()
            },
            pb::ListComplaintsRequest {
                advisor_id: "adv-1".into(),
                ..Default::default()
            },
        ] {
            let found = region.list_complaints(request).await.answer().complaints;
            assert_eq!(found.len(), 1);
        }
    }
);
