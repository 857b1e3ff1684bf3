//! The customer's link: a complaint opened through the survey's link, and
//! read by its own link — only what the customer may see; a wrong or
//! expired token NOT_FOUND.

use aftercare_proto::surveys::v1 as pb;
use aftercare_test_support::Outcome;
use time::macros::datetime;
use tonic::Code;

use crate::{
    both,
    complaints::support::{Net, start},
    support::{code_of, field_of, who},
};

fn by_link(token: &str, request_id: &str) -> pb::OpenComplaintByLinkRequest {
    pb::OpenComplaintByLinkRequest {
        survey_link_token: token.into(),
        description: "nobody called me back".into(),
        class: pb::ComplaintClass::Unspecified.into(),
        cause: String::new(),
        request_id: request_id.into(),
    }
}

/// A survey link of RO ro-1 of d1 (station s-d1).
async fn survey_link(net: &Net) -> String {
    net.h.publish_template("after-sales").await;
    let invitation = net.h.deliver("ev-1", "ro-1", "d1", "r1").await;
    net.h.issue(&invitation.id).await
}

both!(
    the_customer_opens_by_its_survey_link_and_sees_only_its_complaint,
    start,
    |net: Net| async move {
        let survey = survey_link(&net).await;
        let mut customer = net.client(who::link());
        let opened = customer
            .open_complaint_by_link(by_link(&survey, "c-1"))
            .await
            .answer();
        assert!(opened.id.starts_with("CP-"));
        assert_eq!(opened.state(), pb::ComplaintState::Open);
        assert!(opened.response_due_time.is_some());
        assert!(!opened.link_token.is_empty());
        // A retry answers the same complaint and opens none more.
        let again = customer
            .open_complaint_by_link(by_link(&survey, "c-1"))
            .await
            .answer();
        assert_eq!(again.id, opened.id);

        // The dealer sees it tied to the RO, unclassified, from the customer.
        let seen = net
            .client(who::dealer("d1"))
            .get_complaint(pb::GetComplaintRequest {
                id: opened.id.clone(),
            })
            .await
            .answer();
        assert_eq!(seen.repair_order_id, "ro-1");
        assert_eq!(seen.source(), pb::ComplaintSource::Customer);
        assert_eq!(seen.cause, "customer-link");
        assert!(seen.link_token.is_empty(), "the token is answered once");
        let listed = net
            .client(who::oem())
            .list_complaints(pb::ListComplaintsRequest::default())
            .await
            .answer();
        assert_eq!(listed.complaints.len(), 1);

        // Answered by the dealer: the customer reads the response by its link.
        net.client(who::dealer("d1"))
            .respond_to_complaint(pb::RespondToComplaintRequest {
                id: opened.id.clone(),
                response: "we will call you today".into(),
                etag: String::new(),
                request_id: "r-1".into(),
            })
            .await
            .answer();
        let status = customer
            .get_complaint_by_link(pb::GetComplaintByLinkRequest {
                link_token: opened.link_token.clone(),
            })
            .await
            .answer();
        assert_eq!(
            status,
            pb::CustomerComplaint {
                id: opened.id.clone(),
                state: pb::ComplaintState::Responded.into(),
                open_time: opened.open_time,
                response_due_time: None,
                resolution_due_time: opened.resolution_due_time,
                first_response: "we will call you today".into(),
                ..Default::default()
            }
        );

        // The opener of a staff complaint gets its link once, too.
        let staff = net
            .client(who::oem())
            .open_complaint(crate::complaints::support::opening(
                "s1",
                pb::ComplaintSeverity::Low,
            ))
            .await
            .answer();
        let other = customer
            .get_complaint_by_link(pb::GetComplaintByLinkRequest {
                link_token: staff.link_token.clone(),
            })
            .await
            .answer();
        assert_eq!(other.id, staff.id);
    }
);

both!(
    a_wrong_or_expired_token_is_not_found_and_bad_input_names_the_field,
    start,
    |net: Net| async move {
        let survey = survey_link(&net).await;
        let mut customer = net.client(who::link());
        let r = customer
            .open_complaint_by_link(by_link("not-a-token", "c-x"))
            .await;
        assert_eq!(code_of(r), Code::NotFound);
        let r = customer
            .get_complaint_by_link(pb::GetComplaintByLinkRequest {
                link_token: "not-a-token".into(),
            })
            .await;
        assert_eq!(code_of(r), Code::NotFound);
        let r = customer.open_complaint_by_link(by_link("", "c-y")).await;
        assert_eq!(field_of(r), "survey_link_token");
        let mut empty = by_link(&survey, "c-z");
        empty.description = String::new();
        let r = customer.open_complaint_by_link(empty).await;
        assert_eq!(field_of(r), "description");
        let mut wrong = by_link(&survey, "c-w");
        wrong.class = pb::ComplaintClass::Quality.into();
        wrong.cause = "facility".into();
        let r = customer.open_complaint_by_link(wrong).await;
        assert_eq!(field_of(r), "cause");
        let r = customer
            .get_complaint_by_link(pb::GetComplaintByLinkRequest::default())
            .await;
        assert_eq!(field_of(r), "link_token");

        // Past the link's expiry (30 days after its issue, now), the survey
        // link opens nothing.
        net.set_clock(datetime!(2099-01-01 00:00 UTC));
        let r = customer
            .open_complaint_by_link(by_link(&survey, "c-late"))
            .await;
        assert_eq!(code_of(r), Code::NotFound);
    }
);
