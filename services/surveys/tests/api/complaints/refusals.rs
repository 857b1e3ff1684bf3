use aftercare_proto::surveys::v1 as pb;
use aftercare_test_support::{Outcome, who};
use tonic::Code;

use super::support::{Net, opening};
use crate::both;

both!(
    bad_input_names_the_field_and_other_dealers_see_nothing,
    crate::complaints::support::start,
    |net: Net| async move {
        let mut d1 = net.client(who::dealer("d1"));
        let mut bad = opening("s1", pb::ComplaintSeverity::Low);
        bad.complaint.as_mut().unwrap().cause = "waiting-time".into();
        bad.complaint.as_mut().unwrap().class = pb::ComplaintClass::Quality.into();
        assert_eq!(d1.open_complaint(bad).await.bad_field(), "complaint.cause");
        let mut bad = opening("s1", pb::ComplaintSeverity::Unspecified);
        bad.complaint.as_mut().unwrap().severity = 0;
        assert_eq!(
            d1.open_complaint(bad).await.bad_field(),
            "complaint.severity"
        );
        let mut bad = opening("", pb::ComplaintSeverity::Low);
        bad.complaint.as_mut().unwrap().station_id.clear();
        assert_eq!(
            d1.open_complaint(bad).await.bad_field(),
            "complaint.station_id"
        );
        assert_eq!(
            d1.get_complaint(pb::GetComplaintRequest { id: "x".into() })
                .await
                .bad_field(),
            "id"
        );

        // Another dealer's station is not found; a retry opens nothing more.
        d1.open_complaint(opening("s2", pb::ComplaintSeverity::Low))
            .await
            .refused(Code::NotFound);
        let request = opening("s1", pb::ComplaintSeverity::Low);
        let first = d1.open_complaint(request.clone()).await.answer();
        let again = d1.open_complaint(request).await.answer();
        assert_eq!(first.id, again.id);
        let listed = net
            .client(who::oem())
            .list_complaints(pb::ListComplaintsRequest::default())
            .await
            .answer()
            .complaints;
        assert_eq!(listed.len(), 1);

        for other in [who::dealer("d2"), who::region("r2"), who::dms("d2")] {
            net.client(other)
                .get_complaint(pb::GetComplaintRequest {
                    id: first.id.clone(),
                })
                .await
                .refused(Code::NotFound);
        }
        net.client(who::region("r2"))
            .list_complaints(pb::ListComplaintsRequest {
                region_id: "r1".into(),
                ..Default::default()
            })
            .await
            .refused(Code::NotFound);
        let stale = pb::RespondToComplaintRequest {
            id: first.id.clone(),
            response: "called".into(),
            etag: "99".into(),
            request_id: "r-1".into(),
        };
        d1.respond_to_complaint(stale).await.refused(Code::Aborted);
    }
);
