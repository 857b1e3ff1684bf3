//! The events costs receives: only from the sender's relay, and a bad event
//! is INVALID_ARGUMENT naming its field.

use aftercare_proto::{costs::v1 as pb, dealers::v1 as dealers_pb};
use aftercare_test_support::Outcome;

use super::*;
use crate::support::who;

both!(
    an_event_without_its_id_names_request_id,
    |h: support::Harness| async move {
        let field = h
            .events(who::dealers_relay("d1"))
            .receive_repair_order_delivered(pb::ReceiveRepairOrderDeliveredRequest {
                event: Some(dealers_pb::RepairOrderDelivered::default()),
                request_id: String::new(),
            })
            .await
            .bad_field();
        assert_eq!(field, "request_id");
    }
);
