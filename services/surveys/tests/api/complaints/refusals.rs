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

both!(
    each_change_names_its_bad_field_hides_other_dealers_and_applies_a_retry_once,
    crate::complaints::support::start,
    |net: Net| async move {
        let mut d1 = net.client(who::dealer("d1"));
        let c = d1
            .open_complaint(opening("s1", pb::ComplaintSeverity::Low))
            .await
            .answer();
        let id = c.id.clone();
        let rid = || uuid::Uuid::new_v4().to_string();
        let respond = |response: &str| pb::RespondToComplaintRequest {
            id: id.clone(),
            response: response.into(),
            etag: String::new(),
            request_id: rid(),
        };
        let resolve = |class: pb::ComplaintClass, cause: &str| pb::ResolveComplaintRequest {
            id: id.clone(),
            root_cause: "a".into(),
            corrective_action: "b".into(),
            class: class.into(),
            cause: cause.into(),
            etag: String::new(),
            request_id: rid(),
        };
        let close = |confirmation: i32| pb::CloseComplaintRequest {
            id: id.clone(),
            confirmation,
            note: String::new(),
            etag: String::new(),
            request_id: rid(),
        };
        let reopen = |reason: &str| pb::ReopenComplaintRequest {
            id: id.clone(),
            reason: reason.into(),
            etag: String::new(),
            request_id: rid(),
        };
        // Bad input, each field named, before anything is looked up.
        assert_eq!(
            d1.respond_to_complaint(respond(" ")).await.bad_field(),
            "response"
        );
        let mut bad_id = respond("ok");
        bad_id.id = "ro-1".into();
        assert_eq!(d1.respond_to_complaint(bad_id).await.bad_field(), "id");
        let mut long_id = respond("ok");
        long_id.request_id = "x".repeat(200);
        assert_eq!(
            d1.respond_to_complaint(long_id).await.bad_field(),
            "request_id"
        );
        assert_eq!(
            d1.resolve_complaint(resolve(pb::ComplaintClass::Quality, "facility"))
                .await
                .bad_field(),
            "cause"
        );
        assert_eq!(
            d1.resolve_complaint(resolve(pb::ComplaintClass::Unspecified, "facility"))
                .await
                .bad_field(),
            "class"
        );
        assert_eq!(
            d1.close_complaint(close(0)).await.bad_field(),
            "confirmation"
        );
        assert_eq!(d1.reopen_complaint(reopen("")).await.bad_field(), "reason");
        assert_eq!(
            d1.list_complaint_notifications(pb::ListComplaintNotificationsRequest {
                page_token: "x".into(),
                ..Default::default()
            })
            .await
            .bad_field(),
            "page_token"
        );

        // Other dealers and regions: not found, whatever the change.
        for other in [who::dealer("d2"), who::region("r2")] {
            let mut c = net.client(other);
            c.respond_to_complaint(respond("ok"))
                .await
                .refused(Code::NotFound);
            c.resolve_complaint(resolve(pb::ComplaintClass::Unspecified, ""))
                .await
                .refused(Code::NotFound);
            c.close_complaint(close(1)).await.refused(Code::NotFound);
            c.reopen_complaint(reopen("again"))
                .await
                .refused(Code::NotFound);
        }
        // The dealer's DMS opens and reads; it does not handle.
        net.client(who::dms("d1"))
            .respond_to_complaint(respond("ok"))
            .await
            .refused(Code::PermissionDenied);

        // Each change retried: the same answer, one step more each time.
        d1.respond_to_complaint(respond("ok")).await.answer();
        for step in 0..3 {
            let (first, again) = match step {
                0 => {
                    let r = resolve(pb::ComplaintClass::Unspecified, "");
                    let a = d1.resolve_complaint(r.clone()).await.answer();
                    (a, d1.resolve_complaint(r).await.answer())
                }
                1 => {
                    let r = close(pb::CustomerConfirmation::Satisfied.into());
                    let a = d1.close_complaint(r.clone()).await.answer();
                    (a, d1.close_complaint(r).await.answer())
                }
                _ => {
                    let r = reopen("again");
                    let a = d1.reopen_complaint(r.clone()).await.answer();
                    (a, d1.reopen_complaint(r).await.answer())
                }
            };
            assert_eq!(first, again);
            assert_eq!(first.history.len(), 3 + step);
        }

        // The dealer reads its notifications from where it stopped.
        let mut feed = net.client(who::dealer("d1"));
        let page = feed
            .list_complaint_notifications(pb::ListComplaintNotificationsRequest {
                page_size: 1,
                ..Default::default()
            })
            .await
            .answer();
        assert_eq!(page.notifications.len(), 1);
        let rest = feed
            .list_complaint_notifications(pb::ListComplaintNotificationsRequest {
                page_size: 10,
                page_token: page.next_page_token.clone(),
            })
            .await
            .answer();
        assert!(rest.notifications.is_empty());
        assert_eq!(rest.next_page_token, page.next_page_token);
        let d2 = net
            .client(who::dealer("d2"))
            .list_complaint_notifications(pb::ListComplaintNotificationsRequest::default())
            .await
            .answer();
        assert!(d2.notifications.is_empty());
    }
);
