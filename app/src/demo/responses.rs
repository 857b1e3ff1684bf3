//! The customers' answers: each delivered visit the plan has answer it
//! does so through its survey link, as the customer's phone would, the
//! stations answered side by side. The answers are the plan's perception of
//! reliability and responsiveness; the expectation is 6 for both.

use std::collections::HashMap;

use aftercare_auth::Scope;
use aftercare_proto::surveys::v1::{
    self as sv, survey_invitation_service_client::SurveyInvitationServiceClient,
    survey_response_service_client::SurveyResponseServiceClient,
};
use anyhow::Context;
use tokio::task::JoinSet;

use super::{Channels, STATIONS, month::Plan, quality::waited, staff};

/// Waits for each station's invitations (the dealers relay delivers them),
/// then answers those the plan answers.
pub(super) async fn answer(c: &Channels, plan: &Plan) -> anyhow::Result<()> {
    let mut stations = JoinSet::new();
    for (station, dealer, _) in STATIONS {
        let answers: Vec<_> = plan
            .delivered()
            .filter(|v| v.station == *station)
            .map(|v| (v.id.clone(), v.answer))
            .collect();
        let c = c.clone();
        stations.spawn(async move {
            answer_at(&c, station, dealer, answers)
                .await
                .with_context(|| format!("at {station}"))
        });
    }
    while let Some(done) = stations.join_next().await {
        done??;
    }
    Ok(())
}

async fn answer_at(
    c: &Channels,
    station: &str,
    dealer: &str,
    answers: Vec<(String, Option<(i32, i32)>)>,
) -> anyhow::Result<()> {
    let invitations = SurveyInvitationServiceClient::new(c.signed(&c.surveys, staff(dealer)));
    let by_ro = waited(&format!("the invitations at {station}"), || {
        let mut invitations = invitations.clone();
        let expected = answers.len();
        async move {
            let mut all = HashMap::new();
            let mut page_token = String::new();
            loop {
                let page = invitations
                    .list_survey_invitations(sv::ListSurveyInvitationsRequest {
                        station_id: station.into(),
                        page_size: 1000,
                        page_token,
                        ..Default::default()
                    })
                    .await?
                    .into_inner();
                all.extend(
                    page.survey_invitations
                        .into_iter()
                        .map(|i| (i.repair_order_id.clone(), i.id)),
                );
                if page.next_page_token.is_empty() {
                    break;
                }
                page_token = page.next_page_token;
            }
            Ok((all.len() >= expected).then_some(all))
        }
    })
    .await?;
    let mut invitations = invitations;
    let mut customer = SurveyResponseServiceClient::new(c.signed(
        &c.surveys,
        Scope::SurveyLink {
            invitation_id: "by-link-token".into(),
        },
    ));
    for (ro, answer) in answers {
        let Some((rel, resp)) = answer else { continue };
        let invitation_id = by_ro
            .get(&ro)
            .with_context(|| format!("no invitation for {ro}"))?
            .clone();
        let link = invitations
            .issue_survey_link(sv::IssueSurveyLinkRequest { invitation_id })
            .await?
            .into_inner();
        customer
            .submit_survey_response(sv::SubmitSurveyResponseRequest {
                link_token: link.link_token,
                answers: answers_of(rel, resp),
            })
            .await?;
    }
    Ok(())
}

/// The survey's answers for a perception of reliability and responsiveness
/// (1–7): overall satisfaction and the recommendation follow them.
fn answers_of(rel: i32, resp: i32) -> Vec<sv::Answer> {
    let overall = ((rel + resp) / 3 + 1).clamp(1, 5);
    let recommend = ((rel + resp) * 10 / 14).clamp(0, 10);
    [
        ("rel-e", 6),
        ("rel-p", rel),
        ("resp-e", 6),
        ("resp-p", resp),
        ("overall", overall),
        ("recommend", recommend),
    ]
    .map(|(id, value)| sv::Answer {
        question_id: id.into(),
        value,
    })
    .to_vec()
}
