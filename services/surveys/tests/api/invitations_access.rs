//! A dealer never sees or changes another dealer's invitations or
//! responses: NOT_FOUND for what it cannot see.

use aftercare_proto::surveys::v1 as pb;
use tonic::Code;

use crate::{
    both,
    support::{Harness, answers, code_of, who},
};

both!(
    a_dealer_sees_and_contacts_only_its_own,
    |h: Harness| async move {
        h.publish_template("after-sales").await;
        let inv = h.deliver("ev-1", "ro-1", "d1", "r1").await;
        let get = |p| {
            let mut c = h.invitations(p);
            let id = inv.id.clone();
            async move {
                c.get_survey_invitation(pb::GetSurveyInvitationRequest { id })
                    .await
            }
        };
        for p in [
            who::oem(),
            who::region("r1"),
            who::dealer("d1"),
            who::dms("d1"),
        ] {
            assert_eq!(get(p).await.unwrap().into_inner().id, inv.id);
        }
        for p in [
            who::dealer("d2"),
            who::dms("d2"),
            who::region("r2"),
            who::link(),
        ] {
            assert_eq!(code_of(get(p).await), Code::NotFound);
        }

        let issue = |p| {
            let mut c = h.invitations(p);
            let invitation_id = inv.id.clone();
            async move {
                c.issue_survey_link(pb::IssueSurveyLinkRequest { invitation_id })
                    .await
            }
        };
        assert_eq!(code_of(issue(who::dealer("d2")).await), Code::NotFound);
        assert_eq!(code_of(issue(who::region("r2")).await), Code::NotFound);
        assert_eq!(
            code_of(issue(who::region("r1")).await),
            Code::PermissionDenied
        );
        assert_eq!(code_of(issue(who::dms("d1")).await), Code::PermissionDenied);
        assert!(
            !issue(who::dealer("d1"))
                .await
                .unwrap()
                .into_inner()
                .link_token
                .is_empty()
        );

        let phone = |p| {
            let mut c = h.invitations(p);
            let invitation_id = inv.id.clone();
            async move {
                c.take_survey_by_phone(pb::TakeSurveyByPhoneRequest {
                    invitation_id,
                    answers: answers(true),
                    request_id: String::new(),
                })
                .await
            }
        };
        assert_eq!(code_of(phone(who::dealer("d2")).await), Code::NotFound);
        assert_eq!(
            code_of(phone(who::region("r1")).await),
            Code::PermissionDenied
        );
        let response = phone(who::oem()).await.unwrap().into_inner();
        assert_eq!(response.agent, "head-office");

        let list = |p| {
            let mut c = h.invitations(p);
            async move {
                c.list_survey_invitations(pb::ListSurveyInvitationsRequest::default())
                    .await
                    .map(|r| r.into_inner().survey_invitations.len())
            }
        };
        assert_eq!(list(who::dealer("d1")).await.unwrap(), 1);
        assert_eq!(list(who::region("r1")).await.unwrap(), 1);
        assert_eq!(list(who::dealer("d2")).await.unwrap(), 0);
        assert_eq!(list(who::region("r2")).await.unwrap(), 0);
        assert_eq!(code_of(list(who::link()).await), Code::PermissionDenied);

        let get_response = |p| {
            let mut c = h.responses(p);
            let id = response.id.clone();
            async move {
                c.get_survey_response(pb::GetSurveyResponseRequest { id })
                    .await
            }
        };
        for p in [who::oem(), who::region("r1"), who::dealer("d1")] {
            assert_eq!(get_response(p).await.unwrap().into_inner().id, response.id);
        }
        for p in [who::dealer("d2"), who::region("r2"), who::link()] {
            assert_eq!(code_of(get_response(p).await), Code::NotFound);
        }
        let responses = |p| {
            let mut c = h.responses(p);
            async move {
                c.list_survey_responses(pb::ListSurveyResponsesRequest::default())
                    .await
                    .map(|r| r.into_inner().survey_responses.len())
            }
        };
        assert_eq!(responses(who::dealer("d1")).await.unwrap(), 1);
        assert_eq!(responses(who::dealer("d2")).await.unwrap(), 0);
        assert_eq!(responses(who::region("r2")).await.unwrap(), 0);
        // Another dealer's filter shows nothing of it either.
        let mut d2 = h.responses(who::dealer("d2"));
        let filtered = d2
            .list_survey_responses(pb::ListSurveyResponsesRequest {
                dealer_id: "d1".into(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner();
        assert!(filtered.survey_responses.is_empty());
    }
);

both!(lists_page_by_id, |h: Harness| async move {
    for i in 0..5 {
        h.deliver(&format!("ev-{i}"), &format!("ro-{i}"), "d1", "r1")
            .await;
    }
    let mut c = h.invitations(who::dealer("d1"));
    let mut seen = vec![];
    let mut token = String::new();
    loop {
        let page = c
            .list_survey_invitations(pb::ListSurveyInvitationsRequest {
                page_size: 2,
                page_token: token,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner();
        seen.extend(page.survey_invitations.into_iter().map(|i| i.id));
        if page.next_page_token.is_empty() {
            break;
        }
        token = page.next_page_token;
    }
    assert_eq!(seen.len(), 5);
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(seen, sorted);
});
