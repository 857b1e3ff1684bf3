//! The survey journey through the gateway, the same in both modes: head
//! office publishes the network's survey, an RO delivered at a station gets
//! its invitation from the dealers service's outbox relay, the station's
//! staff mint the customer's link, the customer reads and answers with the
//! link token alone (once), the dealer's scores show the answers, and the
//! national league table of dealers lists the dealer by name; a better
//! answer at another dealer then moves the table.

use aftercare_proto::{
    common::v1::{Money, Period, PeriodKind},
    dealers::v1 as pb,
    surveys::v1 as sv,
};
use aftercare_test_support::eventually;
use tonic::{Code, transport::Channel};

use crate::support::{
    clients::{
        Outcome, dealers, leagues, repair_orders, survey_invitations, survey_responses,
        survey_scores, survey_templates,
    },
    system::EmbeddedSystem,
};

/// A dealer and one of its stations, where a customer is served.
pub(crate) struct Member<'a> {
    pub(crate) dealer_id: &'a str,
    /// The dealer's display name, as the dealers service holds it.
    pub(crate) dealer_name: &'a str,
    pub(crate) station_id: &'a str,
    /// A token of the dealer's staff.
    pub(crate) staff: &'a str,
    /// Makes the journey's request ids and VIN unique to the member (one
    /// digit).
    pub(crate) tag: char,
}

fn eur(minor_units: i64) -> Option<Money> {
    Some(Money {
        currency_code: "EUR".into(),
        minor_units,
    })
}

/// The month of `time` (UTC, the OEM's default offset).
pub(crate) fn month_of(time: &prost_types::Timestamp) -> Option<Period> {
    let at = time::OffsetDateTime::from_unix_timestamp(time.seconds).expect("a valid time");
    Some(Period {
        kind: PeriodKind::Month as i32,
        year: at.year(),
        number: i32::from(u8::from(at.month())),
    })
}

/// The README's survey: one SERVQUAL item (reliability, expectation and
/// perception on 1–7, the perception feeding the service index), an
/// overall-satisfaction rating on 1–5 and the NPS question.
fn survey() -> sv::SurveyVersion {
    let question = |id: &str, scale: sv::Scale, kind: sv::QuestionKind| sv::Question {
        id: id.into(),
        text: format!("Question {id}"),
        scale: scale as i32,
        kind: kind as i32,
        required: true,
        ..Default::default()
    };
    let servqual = |id: &str, kind: sv::QuestionKind, factor: sv::Factor| sv::Question {
        dimension: sv::Dimension::Reliability as i32,
        item: "rel".into(),
        factor: factor as i32,
        ..question(id, sv::Scale::OneToSeven, kind)
    };
    sv::SurveyVersion {
        questions: vec![
            servqual(
                "rel-e",
                sv::QuestionKind::Expectation,
                sv::Factor::Unspecified,
            ),
            servqual(
                "rel-p",
                sv::QuestionKind::Perception,
                sv::Factor::ServiceQuality,
            ),
            question("overall", sv::Scale::OneToFive, sv::QuestionKind::Rating),
            question("recommend", sv::Scale::ZeroToTen, sv::QuestionKind::Nps),
        ],
        dimension_weights: Some(sv::DimensionWeights {
            reliability: 100,
            ..Default::default()
        }),
        satisfaction_question: "overall".into(),
        nps_question: "recommend".into(),
        ..Default::default()
    }
}

/// Answers to [`survey`]: (expectation, perception, overall, recommend).
fn answers((expected, perceived, overall, recommend): (i32, i32, i32, i32)) -> Vec<sv::Answer> {
    [
        ("rel-e", expected),
        ("rel-p", perceived),
        ("overall", overall),
        ("recommend", recommend),
    ]
    .map(|(id, value)| sv::Answer {
        question_id: id.into(),
        value,
    })
    .to_vec()
}

/// Head office gives the member's station an advisor and a customer with
/// a vehicle; the station's staff open an RO for the vehicle and carry it
/// to delivery. The RO as delivered.
async fn deliver_an_ro(channel: &Channel, oem: &str, at: &Member<'_>) -> pb::RepairOrder {
    let tag = at.tag;
    let mut network = dealers(channel, Some(oem));
    let advisor = network
        .create_staff_member(pb::CreateStaffMemberRequest {
            staff_member: Some(pb::StaffMember {
                station_id: at.station_id.into(),
                display_name: format!("Advisor {tag}"),
                position: pb::StaffPosition::ServiceAdvisor as i32,
                ..Default::default()
            }),
            request_id: format!("e2e-survey-{tag}-advisor"),
            ..Default::default()
        })
        .await
        .answer();
    let customer = network
        .create_customer(pb::CreateCustomerRequest {
            customer: Some(pb::Customer {
                dealer_id: at.dealer_id.into(),
                display_name: format!("Customer {tag}"),
                advisor_id: advisor.id.clone(),
                // The survey reaches the customer in its language.
                locale: "zh-CN".into(),
                ..Default::default()
            }),
            request_id: format!("e2e-survey-{tag}-customer"),
            ..Default::default()
        })
        .await
        .answer();
    assert_eq!(customer.locale, "zh-CN");
    let vehicle = network
        .create_vehicle(pb::CreateVehicleRequest {
            vehicle: Some(pb::Vehicle {
                vin: format!("WAUZZZ8V5KA90000{tag}"),
                customer_id: customer.id.clone(),
                model: "VAN-E1".into(),
                mileage_km: 12_000,
                ..Default::default()
            }),
            request_id: format!("e2e-survey-{tag}-vehicle"),
            ..Default::default()
        })
        .await
        .answer();

    let mut ros = repair_orders(channel, Some(at.staff));
    let ro = ros
        .create_repair_order(pb::CreateRepairOrderRequest {
            repair_order: Some(pb::RepairOrder {
                station_id: at.station_id.into(),
                vehicle_id: vehicle.id.clone(),
                advisor_id: advisor.id.clone(),
                r#type: pb::RepairOrderType::Repair as i32,
                promise_time: Some(prost_types::Timestamp {
                    seconds: time::OffsetDateTime::now_utc().unix_timestamp() + 3 * 3600,
                    nanos: 0,
                }),
                estimate: eur(9_000),
                mileage_km: 12_400,
                ..Default::default()
            }),
            request_id: format!("e2e-survey-{tag}-open"),
            ..Default::default()
        })
        .await
        .answer();
    let id = ro.id.clone();
    ros.start_repair_order(pb::StartRepairOrderRequest {
        id: id.clone(),
        request_id: format!("e2e-survey-{tag}-start"),
        ..Default::default()
    })
    .await
    .answer();
    ros.complete_repair_order(pb::CompleteRepairOrderRequest {
        id: id.clone(),
        request_id: format!("e2e-survey-{tag}-complete"),
        ..Default::default()
    })
    .await
    .answer();
    let delivered = ros
        .deliver_repair_order(pb::DeliverRepairOrderRequest {
            id,
            final_bill: eur(9_000),
            handover: vec![pb::HandoverItem {
                item: "work explained".into(),
                done: true,
            }],
            request_id: format!("e2e-survey-{tag}-deliver"),
            ..Default::default()
        })
        .await
        .answer();
    assert_eq!(delivered.status, pb::RepairOrderStatus::Delivered as i32);
    delivered
}

/// The invitation of RO `ro`, once the dealers relay has delivered it, as
/// the station's staff list them.
pub(crate) async fn invitation_of(
    channel: &Channel,
    at: &Member<'_>,
    ro: &str,
) -> sv::SurveyInvitation {
    let invitations = survey_invitations(channel, Some(at.staff));
    eventually(&format!("the invitation of {ro}"), || {
        let request = sv::ListSurveyInvitationsRequest {
            station_id: at.station_id.into(),
            page_size: 1000,
            ..Default::default()
        };
        let mut invitations = invitations.clone();
        async move {
            let listed = invitations.list_survey_invitations(request).await.answer();
            listed
                .survey_invitations
                .into_iter()
                .find(|i| i.repair_order_id == ro)
        }
    })
    .await
}

/// The station's staff mint the invitation's link; the customer, with the
/// link token and no bearer token, reads the survey and answers it once.
pub(crate) async fn answer_by_link(
    channel: &Channel,
    at: &Member<'_>,
    invitation: &sv::SurveyInvitation,
    given: (i32, i32, i32, i32),
) {
    let link = survey_invitations(channel, Some(at.staff))
        .issue_survey_link(sv::IssueSurveyLinkRequest {
            invitation_id: invitation.id.clone(),
        })
        .await
        .answer();
    assert!(!link.link_token.is_empty());
    let mut customer = survey_responses(channel, None);
    let asked = customer
        .get_survey_by_link(sv::GetSurveyByLinkRequest {
            link_token: link.link_token.clone(),
        })
        .await
        .answer();
    let version = asked.version.expect("the version to answer");
    let ids: Vec<_> = version.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["rel-e", "rel-p", "overall", "recommend"]);
    assert_eq!(asked.delivery_time, invitation.delivery_time);
    // The invitation's language (the customer's, as its dealer recorded it)
    // and where the customer was served: what the survey page shows.
    assert_eq!(asked.locale, invitation.locale);
    assert!(!asked.station_name.is_empty());
    let submit = || sv::SubmitSurveyResponseRequest {
        link_token: link.link_token.clone(),
        answers: answers(given),
    };
    let submitted = customer.submit_survey_response(submit()).await.answer();
    assert!(submitted.submit_time.is_some());
    // The link is used: a second submit stores nothing.
    assert_eq!(
        customer.submit_survey_response(submit()).await.code(),
        Code::FailedPrecondition
    );
    // Nor does the link token open anything else.
    let mut as_bearer = survey_invitations(channel, Some(&link.link_token));
    let listed = as_bearer
        .list_survey_invitations(sv::ListSurveyInvitationsRequest::default())
        .await
        .code();
    assert_eq!(listed, Code::Unauthenticated);
}

/// The national satisfaction-rate table of dealers in `period`, as the
/// holder of `token` reads it, once it holds `members` entries.
async fn league_table(
    channel: &Channel,
    token: &str,
    period: Option<Period>,
    members: usize,
) -> sv::LeagueTable {
    let client = leagues(channel, Some(token));
    eventually(&format!("a league table of {members}"), || {
        let mut client = client.clone();
        let request = sv::GetLeagueTableRequest {
            table: Some(satisfaction_table(period, "")),
            ..Default::default()
        };
        async move {
            let table = client.get_league_table(request).await.answer();
            (table.entries.len() == members).then_some(table)
        }
    })
    .await
}

/// The satisfaction-rate table of dealers in `period`, of `region_id` (or
/// national when empty).
pub(crate) fn satisfaction_table(period: Option<Period>, region_id: &str) -> sv::LeagueTableKey {
    sv::LeagueTableKey {
        metric: sv::LeagueMetric::SatisfactionRate as i32,
        region_id: region_id.into(),
        level: sv::LeagueLevel::Dealer as i32,
        period,
    }
}

/// Each entry as (member, name, rank, sample size shown).
fn standings(t: &sv::LeagueTable) -> Vec<(&str, &str, Option<i64>, Option<i64>)> {
    t.entries
        .iter()
        .map(|e| {
            (
                e.member_id.as_str(),
                e.member_name.as_str(),
                e.rank,
                e.sample_size,
            )
        })
        .collect()
}

/// Head office publishes the network's survey, [`survey`], as version 1 of
/// `after-sales`.
pub(crate) async fn publish_survey(channel: &Channel, oem: &str) {
    let mut templates = survey_templates(channel, Some(oem));
    templates
        .create_survey_template(sv::CreateSurveyTemplateRequest {
            survey_template: Some(sv::SurveyTemplate {
                code: "after-sales".into(),
                display_name: "After your visit".into(),
                ..Default::default()
            }),
            request_id: "e2e-survey-template".into(),
        })
        .await
        .answer();
    let published = templates
        .publish_survey_version(sv::PublishSurveyVersionRequest {
            template_code: "after-sales".into(),
            version: Some(survey()),
            request_id: "e2e-survey-version".into(),
        })
        .await
        .answer();
    assert_eq!(published.number, 1);
}

/// The journey at `first` then `second`, two dealers with no survey
/// responses yet, in a system whose league tables rank from one response
/// (`surveys.league_min_sample` = 1).
pub(crate) async fn journey(channel: &Channel, oem: &str, first: Member<'_>, second: Member<'_>) {
    publish_survey(channel, oem).await;

    // An RO delivered at the first station: its invitation asks version 1.
    let ro = deliver_an_ro(channel, oem, &first).await;
    let invitation = invitation_of(channel, &first, &ro.id).await;
    assert_eq!(
        (
            invitation.dealer_id.as_str(),
            invitation.template_code.as_str(),
            invitation.version_number
        ),
        (first.dealer_id, "after-sales", 1)
    );
    // The customer's language came with the delivery.
    assert_eq!(invitation.locale, "zh-CN");
    // Another dealer does not see it.
    let code = survey_invitations(channel, Some(second.staff))
        .get_survey_invitation(sv::GetSurveyInvitationRequest {
            id: invitation.id.clone(),
        })
        .await
        .code();
    assert_eq!(code, Code::NotFound);

    // The customer is fairly pleased: reliability perceived 5 of 7 against
    // an expected 6, overall 3 of 5 (not top-two), would recommend 7 of 10
    // (passive).
    answer_by_link(channel, &first, &invitation, (6, 5, 3, 7)).await;
    let period = month_of(invitation.delivery_time.as_ref().expect("a delivery time"));

    // The dealer's scores are the answer's (docs/scoring.md §2): the gap
    // (4000 − 5000 g) is −1 point, the service index 4000 g / 6 = 667.
    let scores = survey_scores(channel, Some(first.staff))
        .get_survey_scores(sv::GetSurveyScoresRequest {
            dealer_id: first.dealer_id.into(),
            period,
            ..Default::default()
        })
        .await
        .answer();
    assert_eq!(scores.responses, 1);
    assert_eq!(scores.satisfaction_rate_basis_points, Some(0));
    assert_eq!(
        (scores.promoters, scores.passives, scores.detractors),
        (0, 1, 0)
    );
    assert_eq!(scores.nps, Some(0.0));
    assert_eq!(scores.service_index, Some(667.0));
    assert_eq!(scores.weighted_gap, Some(-1.0));
    assert_eq!(scores.unweighted_gap, Some(-1.0));

    // The league table lists the dealer by name, ranked, with its sample.
    let table = league_table(channel, first.staff, period, 1).await;
    assert_eq!(
        standings(&table),
        [(first.dealer_id, first.dealer_name, Some(1), Some(1))]
    );
    assert_eq!(table.entries[0].raw_value, Some(0.0));
    assert_eq!((table.ranked_count, table.unranked_count), (1, 0));

    // A delighted customer at the second dealer moves the table: the
    // second dealer goes above the first.
    // Head office watches the table meanwhile: the move is pushed to it.
    let moved = crate::streams::league_update_after(
        channel,
        oem,
        satisfaction_table(period, ""),
        async {
            let ro = deliver_an_ro(channel, oem, &second).await;
            let invitation = invitation_of(channel, &second, &ro.id).await;
            answer_by_link(channel, &second, &invitation, (6, 7, 5, 10)).await;
        },
        |u| u.table.as_ref().is_some_and(|t| t.entries.len() == 2),
    )
    .await;
    let moves: Vec<_> = moved
        .moves
        .iter()
        .map(|m| (m.member_id.as_str(), m.from_position, m.to_position))
        .collect();
    assert_eq!(
        moves,
        [
            (second.dealer_id, None, Some(1)),
            (first.dealer_id, Some(1), Some(2))
        ]
    );
    let scores = survey_scores(channel, Some(second.staff))
        .get_survey_scores(sv::GetSurveyScoresRequest {
            dealer_id: second.dealer_id.into(),
            period,
            ..Default::default()
        })
        .await
        .answer();
    assert_eq!(
        (
            scores.satisfaction_rate_basis_points,
            scores.nps,
            scores.service_index,
            scores.weighted_gap
        ),
        (Some(10_000), Some(100.0), Some(1000.0), Some(1.0))
    );

    // Head office sees every figure; the first dealer sees the second's
    // name and rank, not its figures. Nobody was ranked the month before:
    // no movement.
    let seen_by_oem = league_table(channel, oem, period, 2).await;
    assert_eq!(
        standings(&seen_by_oem),
        [
            (second.dealer_id, second.dealer_name, Some(1), Some(1)),
            (first.dealer_id, first.dealer_name, Some(2), Some(1)),
        ]
    );
    let seen_by_first = league_table(channel, first.staff, period, 2).await;
    assert_eq!(
        standings(&seen_by_first),
        [
            (second.dealer_id, second.dealer_name, Some(1), None),
            (first.dealer_id, first.dealer_name, Some(2), Some(1)),
        ]
    );
    let (above, own) = (&seen_by_first.entries[0], &seen_by_first.entries[1]);
    assert_eq!((above.raw_value, above.estimate), (None, None));
    assert_eq!(own.raw_value, Some(0.0));
    assert!(own.estimate.is_some());
    assert!(seen_by_first.entries.iter().all(|e| e.movement.is_none()));
    assert_eq!(
        (seen_by_first.ranked_count, seen_by_first.unranked_count),
        (2, 0)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_survey_journey_in_the_embedded_mode() {
    let system = EmbeddedSystem::start_with(|s| {
        s.surveys.league_min_sample = 1;
        s.gateway.default_deadline_ms = crate::streams::SHORT_DEADLINE.as_millis() as u64;
    })
    .await;
    let channel = crate::support::clients::connect(system.addr).await;
    let oem = system.token(&["--role", "oem"]);
    let alpine = system.token(&["--role", "dealer", "--dealer", "alpine-cars"]);
    let harbour = system.token(&["--role", "dealer", "--dealer", "harbour-motors"]);
    journey(
        &channel,
        &oem,
        Member {
            dealer_id: "alpine-cars",
            dealer_name: "Alpine Cars",
            station_id: "ac-munich",
            staff: &alpine,
            tag: '1',
        },
        Member {
            dealer_id: "harbour-motors",
            dealer_name: "Harbour Motors",
            station_id: "hm-city",
            staff: &harbour,
            tag: '2',
        },
    )
    .await;
    let north = system.token(&["--role", "region", "--region", "north"]);
    crate::streams::another_regions_league_is_not_watched(&channel, &north, "south").await;
    system.stop().await;
}
