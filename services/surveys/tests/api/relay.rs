//! The dealers service's own deliverer, as its outbox relay runs it, calls
//! the receiver of RO-delivered events: each event applied once.

use aftercare_dealers::{events, peers::parts::PartsClient};
use aftercare_outbox::{Deliver, DeliveryError, StoredEvent};
use aftercare_proto::surveys::v1 as pb;
use prost::Message;
use tonic::transport::Endpoint;

use crate::{
    both,
    support::{Harness, delivered, who},
};

fn stored(id: &str, kind: &str, ro: &str) -> StoredEvent {
    let event = delivered(id, ro, "d1", "r1").event.unwrap();
    StoredEvent {
        id: id.into(),
        destination: events::SURVEYS.into(),
        kind: kind.into(),
        payload: event.encode_to_vec(),
        create_time: 0,
        attempts: 0,
    }
}

both!(
    the_dealers_relay_delivers_each_event_once,
    |h: Harness| async move {
        h.publish_template("after-sales").await;
        let parts = PartsClient::new(
            Endpoint::from_static("http://parts.invalid").connect_lazy(),
            h.served.key().clone(),
        );
        let deliverer =
            events::Deliverer::new(parts).with_surveys(h.served.channel(), h.served.key().clone());
        let event = stored("ev-1", events::DELIVERED, "ro-1");
        deliverer.deliver(&event).await.expect("delivered");
        deliverer.deliver(&event).await.expect("delivered again");
        let other = stored("ev-2", events::WARRANTY_DELIVERED, "ro-2");
        assert!(matches!(
            deliverer.deliver(&other).await,
            Err(DeliveryError::Permanent(_))
        ));
        let listed = h
            .invitations(who::oem())
            .list_survey_invitations(pb::ListSurveyInvitationsRequest::default())
            .await
            .unwrap()
            .into_inner()
            .survey_invitations;
        assert_eq!(listed.len(), 1);
        assert_eq!(
            (
                listed[0].repair_order_id.as_str(),
                listed[0].region_id.as_str()
            ),
            ("ro-1", "r1")
        );

        // Without the surveys channel the event waits for a later attempt.
        let unwired = events::Deliverer::new(PartsClient::new(
            Endpoint::from_static("http://parts.invalid").connect_lazy(),
            h.served.key().clone(),
        ));
        assert!(matches!(
            unwired.deliver(&event).await,
            Err(DeliveryError::Retryable(_))
        ));
    }
);
