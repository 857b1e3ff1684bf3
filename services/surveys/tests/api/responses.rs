//! Responses by one-time link: used once, expiring, replaced on reissue,
//! stored once under concurrency; low scores alert complaints.

use aftercare_proto::surveys::v1 as pb;
use aftercare_surveys::Rules;
use tonic::Code;

use crate::{
    both,
    support::{Harness, answers, code_of, field_of, start_with, who},
};

fn submit(token: &str, high: bool) -> pb::SubmitSurveyResponseRequest {
    pb::SubmitSurveyResponseRequest {
        link_token: token.into(),
        answers: answers(high),
    }
}

fn by_link(token: &str) -> pb::GetSurveyByLinkRequest {
    pb::GetSurveyByLinkRequest {
        link_token: token.into(),
    }
}

async fn outbox_events(h: &Harness, destination: &str) -> i64 {
    sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM outbox_events WHERE destination = $1")
        .bind(destination)
        .fetch_one(h.db.pool())
        .await
        .unwrap()
}

both!(a_link_is_answered_once, |h: Harness| async move {
    let version = h.publish_template("after-sales").await;
    let inv = h.deliver("ev-1", "ro-1", "d1", "r1").await;
    let token = h.issue(&inv.id).await;
    assert!(token.len() >= 43, "at least 256 bits, base64");
    let mut link = h.link();
    let survey = link
        .get_survey_by_link(by_link(&token))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(survey.version.unwrap().questions, version.questions);

    link.submit_survey_response(submit(&token, true))
        .await
        .unwrap();
    let again = link.submit_survey_response(submit(&token, true)).await;
    assert_eq!(code_of(again), Code::FailedPrecondition);
    assert_eq!(
        code_of(link.get_survey_by_link(by_link(&token)).await),
        Code::FailedPrecondition
    );
    // Nor can a new link be issued for an answered invitation.
    let reissue = h
        .invitations(who::dealer("d1"))
        .issue_survey_link(pb::IssueSurveyLinkRequest {
            invitation_id: inv.id.clone(),
        })
        .await;
    assert_eq!(code_of(reissue), Code::FailedPrecondition);

    let listed = h
        .responses(who::dealer("d1"))
        .list_survey_responses(pb::ListSurveyResponsesRequest::default())
        .await
        .unwrap()
        .into_inner()
        .survey_responses;
    assert_eq!(listed.len(), 1);
    let r = &listed[0];
    assert_eq!(r.channel, pb::ResponseChannel::Link as i32);
    assert_eq!(
        (r.invitation_id.as_str(), r.advisor_id.as_str()),
        (inv.id.as_str(), "adv-1")
    );
    assert_eq!(r.answers.len(), 6);
    let score = r.score.as_ref().unwrap();
    assert_eq!(score.items.len(), 2);
    assert_eq!(score.items[0].gap, 1000, "7 against 6 on a 1-7 scale");
    assert_eq!(score.top_two_box, Some(true));
    assert_eq!(score.nps, pb::NpsClass::Promoter as i32);
    assert!(!score.low_score);
    assert_eq!(outbox_events(&h, "complaints").await, 0);
});

both!(
    a_wrong_or_replaced_token_finds_nothing,
    |h: Harness| async move {
        h.publish_template("after-sales").await;
        let inv = h.deliver("ev-1", "ro-1", "d1", "r1").await;
        let old = h.issue(&inv.id).await;
        let new = h.issue(&inv.id).await;
        assert_ne!(old, new);
        let mut link = h.link();
        assert_eq!(
            code_of(link.submit_survey_response(submit(&old, true)).await),
            Code::NotFound
        );
        assert_eq!(
            code_of(link.get_survey_by_link(by_link("not-a-token")).await),
            Code::NotFound
        );
        assert_eq!(
            field_of(link.get_survey_by_link(by_link("")).await),
            "link_token"
        );
        link.submit_survey_response(submit(&new, true))
            .await
            .unwrap();
    }
);

/// The type of the `google.rpc.PreconditionFailure` a refusal carries: what
/// the survey page reads to say which refusal it was.
fn refusal_of<T: std::fmt::Debug>(r: Result<T, tonic::Status>) -> String {
    use tonic_types::StatusExt;
    let status = r.expect_err("the call should fail");
    assert_eq!(status.code(), Code::FailedPrecondition, "{status:?}");
    let failure = status
        .get_details_precondition_failure()
        .expect("a PreconditionFailure detail");
    assert_eq!(failure.violations[0].subject, "link_token");
    failure.violations[0].r#type.clone()
}

both!(a_used_link_says_so, |h: Harness| async move {
    h.publish_template("after-sales").await;
    let inv = h.deliver("ev-1", "ro-1", "d1", "r1").await;
    let token = h.issue(&inv.id).await;
    let mut link = h.link();
    link.submit_survey_response(submit(&token, true))
        .await
        .unwrap();
    assert_eq!(
        refusal_of(link.get_survey_by_link(by_link(&token)).await),
        "LINK_USED"
    );
    assert_eq!(
        refusal_of(link.submit_survey_response(submit(&token, true)).await),
        "LINK_USED"
    );
});

async fn start_expired(backend: aftercare_db::Backend) -> Harness {
    start_with(
        backend,
        Rules {
            link_lifetime_secs: 0,
            ..Rules::default()
        },
    )
    .await
}

both!(
    an_expired_link_is_refused,
    start_expired,
    |h: Harness| async move {
        h.publish_template("after-sales").await;
        let inv = h.deliver("ev-1", "ro-1", "d1", "r1").await;
        let token = h.issue(&inv.id).await;
        let mut link = h.link();
        let status = link
            .submit_survey_response(submit(&token, true))
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::FailedPrecondition);
        assert!(status.message().contains("expired"), "{}", status.message());
        assert_eq!(
            refusal_of(link.get_survey_by_link(by_link(&token)).await),
            "LINK_EXPIRED"
        );
        assert!(
            !status.message().contains(&inv.id),
            "the refusal names no invitation"
        );
        // A callback agent may still take it.
        h.invitations(who::dealer("d1"))
            .take_survey_by_phone(pb::TakeSurveyByPhoneRequest {
                invitation_id: inv.id,
                answers: answers(true),
                request_id: String::new(),
            })
            .await
            .unwrap();
    }
);

both!(
    bad_answers_name_the_item_and_keep_the_link,
    |h: Harness| async move {
        h.publish_template("after-sales").await;
        let inv = h.deliver("ev-1", "ro-1", "d1", "r1").await;
        let token = h.issue(&inv.id).await;
        let mut link = h.link();
        let mut off_scale = submit(&token, true);
        off_scale.answers[3].value = 9;
        assert_eq!(
            field_of(link.submit_survey_response(off_scale).await),
            "answers[rel-1-p]"
        );
        let mut unknown = submit(&token, true);
        unknown.answers.push(pb::Answer {
            question_id: "parking".into(),
            value: 1,
        });
        assert_eq!(
            field_of(link.submit_survey_response(unknown).await),
            "answers[parking]"
        );
        link.submit_survey_response(submit(&token, true))
            .await
            .unwrap();
    }
);

both!(
    two_concurrent_submits_store_one_response,
    |h: Harness| async move {
        h.publish_template("after-sales").await;
        for round in 0..3 {
            let inv = h
                .deliver(&format!("ev-{round}"), &format!("ro-{round}"), "d1", "r1")
                .await;
            let token = h.issue(&inv.id).await;
            let (mut a, mut b) = (h.link(), h.link());
            let (ra, rb) = tokio::join!(
                a.submit_survey_response(submit(&token, true)),
                b.submit_survey_response(submit(&token, false)),
            );
            let ok = [&ra, &rb].iter().filter(|r| r.is_ok()).count();
            assert_eq!(ok, 1, "{ra:?} {rb:?}");
            let failed = if ra.is_ok() { rb } else { ra };
            assert_eq!(code_of(failed), Code::FailedPrecondition);
        }
        let stored = h
            .responses(who::oem())
            .list_survey_responses(pb::ListSurveyResponsesRequest::default())
            .await
            .unwrap()
            .into_inner()
            .survey_responses;
        assert_eq!(stored.len(), 3);
    }
);

both!(
    a_low_score_alerts_complaints_in_the_same_transaction,
    |h: Harness| async move {
        h.publish_template("after-sales").await;
        let low = h.deliver("ev-1", "ro-1", "d1", "r1").await;
        let high = h.deliver("ev-2", "ro-2", "d1", "r1").await;
        let mut link = h.link();
        link.submit_survey_response(submit(&h.issue(&high.id).await, true))
            .await
            .unwrap();
        assert_eq!(outbox_events(&h, "complaints").await, 0);
        link.submit_survey_response(submit(&h.issue(&low.id).await, false))
            .await
            .unwrap();
        assert_eq!(outbox_events(&h, "complaints").await, 1);
        let kind: String =
            sqlx::query_scalar("SELECT kind FROM outbox_events WHERE destination = $1")
                .bind("complaints")
                .fetch_one(h.db.pool())
                .await
                .unwrap();
        assert_eq!(kind, "survey.low_score");
        let responses = h
            .responses(who::oem())
            .list_survey_responses(pb::ListSurveyResponsesRequest::default())
            .await
            .unwrap()
            .into_inner()
            .survey_responses;
        let flagged: Vec<_> = responses
            .iter()
            .filter(|r| r.score.as_ref().unwrap().low_score)
            .collect();
        assert_eq!(flagged.len(), 1);
        assert_eq!(flagged[0].invitation_id, low.id);
    }
);
