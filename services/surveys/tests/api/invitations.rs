//! Invitations from the dealers' RO-delivered event: once per event and per
//! RO, from the relay only; taken by phone; response rates.

use aftercare_proto::{common::v1 as common, surveys::v1 as pb};
use tonic::Code;

use crate::{
    both,
    support::{Harness, answers, code_of, delivered, field_of, who},
};

both!(an_event_makes_one_invitation, |h: Harness| async move {
    h.publish_template("after-sales").await;
    let first = h.deliver("ev-1", "ro-1", "d1", "r1").await;
    assert_eq!(first.repair_order_id, "ro-1");
    assert_eq!(
        (
            first.station_id.as_str(),
            first.dealer_id.as_str(),
            first.region_id.as_str()
        ),
        ("s-d1", "d1", "r1")
    );
    assert_eq!(first.advisor_id, "adv-1");
    assert_eq!(first.technician_ids, ["t1", "t2"]);
    assert_eq!(first.delivery_time.unwrap().seconds, 1_794_312_000);
    assert_eq!(
        (first.template_code.as_str(), first.version_number),
        ("after-sales", 1)
    );
    assert_eq!(first.state, pb::InvitationState::Open as i32);

    // The relay retries the event, and the RO is delivered again later.
    let again = h.deliver("ev-1", "ro-1", "d1", "r1").await;
    assert_eq!(again.id, first.id);
    let other_event = h.deliver("ev-2", "ro-1", "d1", "r1").await;
    assert_eq!(other_event.id, first.id);
    let all = h
        .invitations(who::oem())
        .list_survey_invitations(pb::ListSurveyInvitationsRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(all.survey_invitations.len(), 1);
});

both!(only_the_dealers_relay_delivers, |h: Harness| async move {
    for p in [
        who::dms("d1"),
        who::relay("d2"),
        who::oem(),
        who::dealer("d1"),
        who::link(),
    ] {
        let r = h
            .invitations(p)
            .receive_repair_order_delivered(delivered("ev-1", "ro-1", "d1", "r1"))
            .await;
        assert_eq!(code_of(r), Code::PermissionDenied);
    }
    let mut relay = h.invitations(who::relay("d1"));
    let mut no_id = delivered("ev-1", "ro-1", "d1", "r1");
    no_id.request_id.clear();
    assert_eq!(
        field_of(relay.receive_repair_order_delivered(no_id).await),
        "request_id"
    );
    let mut bad_ro = delivered("ev-1", "RO 1", "d1", "r1");
    assert_eq!(
        field_of(relay.receive_repair_order_delivered(bad_ro.clone()).await),
        "event.repair_order.id"
    );
    bad_ro.event = None;
    assert_eq!(
        field_of(relay.receive_repair_order_delivered(bad_ro).await),
        "event"
    );
    // Nothing was applied: the event still creates its invitation.
    let made = h.deliver("ev-1", "ro-1", "d1", "r1").await;
    assert_eq!(made.repair_order_id, "ro-1");
});

both!(
    without_a_template_the_invitation_waits,
    |h: Harness| async move {
        let inv = h.deliver("ev-1", "ro-1", "d1", "r1").await;
        assert_eq!((inv.template_code.as_str(), inv.version_number), ("", 0));
        let issue = h
            .invitations(who::oem())
            .issue_survey_link(pb::IssueSurveyLinkRequest {
                invitation_id: inv.id.clone(),
            })
            .await;
        assert_eq!(code_of(issue), Code::FailedPrecondition);
        let phone = h
            .invitations(who::dealer("d1"))
            .take_survey_by_phone(pb::TakeSurveyByPhoneRequest {
                invitation_id: inv.id,
                answers: answers(true),
                request_id: String::new(),
            })
            .await;
        assert_eq!(code_of(phone), Code::FailedPrecondition);
    }
);

both!(
    a_callback_agent_takes_the_survey_once,
    |h: Harness| async move {
        h.publish_template("after-sales").await;
        let inv = h.deliver("ev-1", "ro-1", "d1", "r1").await;
        let mut agent = h.invitations(who::dealer("d1"));
        let take = |request_id: &str, answers| pb::TakeSurveyByPhoneRequest {
            invitation_id: inv.id.clone(),
            answers,
            request_id: request_id.into(),
        };
        let mut missing = answers(true);
        missing.retain(|a| a.question_id != "overall");
        assert_eq!(
            field_of(agent.take_survey_by_phone(take("", missing)).await),
            "answers[overall]"
        );

        let first = agent
            .take_survey_by_phone(take("call-1", answers(true)))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(first.channel, pb::ResponseChannel::Phone as i32);
        assert_eq!(first.agent, "staff-d1");
        assert_eq!(first.invitation_id, inv.id);
        assert!(first.score.as_ref().unwrap().service_index.is_some());
        let retry = agent
            .take_survey_by_phone(take("call-1", answers(true)))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(retry, first, "the retry answers the first response");
        let other = agent
            .take_survey_by_phone(take("call-2", answers(false)))
            .await;
        assert_eq!(code_of(other), Code::FailedPrecondition);
        let list = h
            .responses(who::oem())
            .list_survey_responses(pb::ListSurveyResponsesRequest::default())
            .await
            .unwrap()
            .into_inner();
        assert_eq!(list.survey_responses.len(), 1);
        let got = h
            .invitations(who::dealer("d1"))
            .get_survey_invitation(pb::GetSurveyInvitationRequest { id: inv.id })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(got.state, pb::InvitationState::Answered as i32);
        assert_eq!(got.response_id, first.id);
    }
);

fn rate(
    station_id: &str,
    dealer_id: &str,
    region_id: &str,
    month: i32,
) -> pb::GetResponseRateRequest {
    pb::GetResponseRateRequest {
        station_id: station_id.into(),
        dealer_id: dealer_id.into(),
        region_id: region_id.into(),
        period: Some(common::Period {
            kind: common::PeriodKind::Month.into(),
            year: 2026,
            number: month,
        }),
    }
}

both!(
    response_rates_per_scope_and_period,
    |h: Harness| async move {
        h.publish_template("after-sales").await;
        let a = h.deliver("ev-1", "ro-1", "d1", "r1").await;
        h.deliver("ev-2", "ro-2", "d1", "r1").await;
        h.deliver("ev-3", "ro-3", "d2", "r1").await;
        h.deliver("ev-4", "ro-4", "d3", "r2").await;
        h.invitations(who::dealer("d1"))
            .take_survey_by_phone(pb::TakeSurveyByPhoneRequest {
                invitation_id: a.id,
                answers: answers(true),
                request_id: String::new(),
            })
            .await
            .unwrap();
        let get = |p, r| {
            let mut c = h.invitations(p);
            async move { c.get_response_rate(r).await.map(|r| r.into_inner()) }
        };
        let d1 = get(who::dealer("d1"), rate("", "d1", "", 11))
            .await
            .unwrap();
        assert_eq!(
            (d1.invited, d1.answered, d1.rate_basis_points),
            (2, 1, 5000)
        );
        let station = get(who::oem(), rate("s-d1", "", "", 11)).await.unwrap();
        assert_eq!((station.invited, station.answered), (2, 1));
        let r1 = get(who::region("r1"), rate("", "", "r1", 11))
            .await
            .unwrap();
        assert_eq!(
            (r1.invited, r1.answered, r1.rate_basis_points),
            (3, 1, 3333)
        );
        let network = get(who::oem(), rate("", "", "", 11)).await.unwrap();
        assert_eq!(network.invited, 4);
        // What a caller sees: its own, whatever it asks.
        let own = get(who::dealer("d2"), rate("", "", "", 11)).await.unwrap();
        assert_eq!((own.invited, own.answered), (1, 0));
        let october = get(who::oem(), rate("", "", "", 10)).await.unwrap();
        assert_eq!((october.invited, october.rate_basis_points), (0, 0));
        assert_eq!(
            code_of(get(who::dealer("d2"), rate("", "d1", "", 11)).await),
            Code::NotFound
        );
        assert_eq!(
            code_of(get(who::region("r2"), rate("", "", "r1", 11)).await),
            Code::NotFound
        );
        assert_eq!(
            code_of(get(who::dealer("d2"), rate("", "", "r1", 11)).await),
            Code::NotFound
        );
        let mut none = rate("", "d1", "", 11);
        none.period = None;
        assert_eq!(field_of(get(who::oem(), none).await), "period");
        assert_eq!(
            field_of(get(who::oem(), rate("", "d1", "", 13)).await),
            "period"
        );
        assert_eq!(
            field_of(get(who::oem(), rate("s-d1", "d1", "", 11)).await),
            "station_id"
        );
        assert_eq!(
            code_of(get(who::link(), rate("", "", "", 11)).await),
            Code::PermissionDenied
        );
    }
);

both!(
    a_stored_answer_goes_only_to_its_own_principal,
    |h: Harness| async move {
        h.publish_template("after-sales").await;
        let inv = h.deliver("ev-1", "ro-1", "d1", "r1").await;
        // One identity-provider subject in two dealers' scopes.
        let shared = |p| h.invitations(aftercare_auth::testing::with_subject("shared", p));
        let (mut d1, mut d2) = (shared(who::dealer("d1")), shared(who::dealer("d2")));
        let take = |request_id: &str| pb::TakeSurveyByPhoneRequest {
            invitation_id: inv.id.clone(),
            answers: answers(true),
            request_id: request_id.into(),
        };
        let first = d1.take_survey_by_phone(take("call-1")).await.unwrap();
        let first = first.into_inner();

        // d2 replaying d1's exact call gets what it would get without d1's:
        // the invitation is not found, and d1's response is not handed over.
        assert_eq!(
            code_of(d2.take_survey_by_phone(take("call-2")).await),
            Code::NotFound
        );
        assert_eq!(
            code_of(d2.take_survey_by_phone(take("call-1")).await),
            Code::NotFound
        );

        let retry = d1.take_survey_by_phone(take("call-1")).await.unwrap();
        assert_eq!(
            retry.into_inner(),
            first,
            "d1's retry still gets its answer"
        );
    }
);
