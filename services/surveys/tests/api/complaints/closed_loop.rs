use aftercare_outbox::{Deliver, StoredEvent};
use aftercare_proto::surveys::v1 as pb;
use aftercare_surveys::events::{COMPLAINTS, Deliverer, LOW_SCORE};
use aftercare_test_support::{Outcome, who};
use prost::Message;

use super::support::Net;
use crate::both;

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
    }
);
