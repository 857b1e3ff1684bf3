//! The demo's quality loop, played through the contracts: a service standard
//! (so that every scorecard part has figures), the network's survey,
//! complaints opened by staff, a DMS and a callback agent and carried to
//! every state with those the closed loop opened on the low answers, one
//! opened hours back so that the sweep escalates it at its next tick, head
//! office's scorecard weights, an improvement plan for the weakest dealer,
//! and the dealer assessments refreshed for the league.

use std::time::Duration;

use aftercare_auth::Scope;
use aftercare_proto::{
    dealers::v1::{
        self as dealers_pb, service_standard_service_client::ServiceStandardServiceClient,
    },
    surveys::v1::{
        self as sv, complaint_service_client::ComplaintServiceClient,
        dealer_scorecard_service_client::DealerScorecardServiceClient,
        improvement_plan_service_client::ImprovementPlanServiceClient,
        survey_template_service_client::SurveyTemplateServiceClient,
    },
};
use anyhow::Context;
use time::OffsetDateTime;

use super::{Channels, month::Plan, month_of, staff, timestamp};

/// How far back the overdue complaint is opened: past the 4 h first-response
/// deadline of a CRITICAL complaint.
const OVERDUE_BY: time::Duration = time::Duration::hours(6);

/// The dealers whose customers answered low once (`month.rs`): the closed
/// loop opened a complaint at each.
const LOW_AT: [&str; 2] = ["lakeside-auto", "rhine-vehicles"];
/// The dealer the improvement plan is for: the lowest perception.
const WEAKEST: &str = "lakeside-auto";

/// The month most of the demo's answers fall in (its thirty days end
/// today): the improvement plan's baseline.
fn answered_month(today: OffsetDateTime) -> aftercare_proto::common::v1::Period {
    month_of(today - time::Duration::days(15))
}

/// The standard and the survey, which the ROs are measured and asked by
/// (in force since before the month began); and the complaint opened hours
/// back.
pub(super) async fn before_repair_orders(
    c: &Channels,
    today: OffsetDateTime,
) -> anyhow::Result<()> {
    let since = today - time::Duration::days(40);
    ServiceStandardServiceClient::new(c.signed(&c.dealers, Scope::Oem))
        .create_service_standard(dealers_pb::CreateServiceStandardRequest {
            standard: Some(dealers_pb::ServiceStandard {
                code: "DELIVERED-SAME-DAY".into(),
                display_name: "Vehicle handed back within 8 h of the RO's opening".into(),
                from_moment: dealers_pb::StandardMoment::Opened as i32,
                to_moment: dealers_pb::StandardMoment::Delivered as i32,
                first_version: Some(dealers_pb::StandardVersion {
                    effective_time: timestamp(since),
                    threshold: Some(prost_types::Duration {
                        seconds: 8 * 3600,
                        nanos: 0,
                    }),
                    target_basis_points: 9_000,
                    key: true,
                    ..Default::default()
                }),
                ..Default::default()
            }),
            request_id: "demo-standard-same-day".into(),
        })
        .await?;
    survey(c).await.context("the survey")?;
    overdue_complaint(c).await.context("the overdue complaint")
}

/// Head office publishes the network's survey: reliability and
/// responsiveness (expectation and perception on 1–7), overall satisfaction
/// on 1–5 and the NPS question.
async fn survey(c: &Channels) -> anyhow::Result<()> {
    let question = |id: &str, scale: sv::Scale, kind: sv::QuestionKind| sv::Question {
        id: id.into(),
        text: id.into(),
        scale: scale as i32,
        kind: kind as i32,
        required: true,
        ..Default::default()
    };
    let servqual = |item: &str, dimension: sv::Dimension, kind: sv::QuestionKind, text: &str| {
        let factor = match (kind, dimension) {
            (sv::QuestionKind::Perception, sv::Dimension::Reliability) => {
                sv::Factor::ServiceQuality
            }
            (sv::QuestionKind::Perception, _) => sv::Factor::ServiceAdvisor,
            _ => sv::Factor::Unspecified,
        };
        let suffix = if kind == sv::QuestionKind::Expectation {
            "e"
        } else {
            "p"
        };
        sv::Question {
            text: text.into(),
            dimension: dimension as i32,
            item: item.into(),
            factor: factor as i32,
            ..question(&format!("{item}-{suffix}"), sv::Scale::OneToSeven, kind)
        }
    };
    // The network's language in `text`, with an English translation.
    let english = |q: sv::Question, en: &str| sv::Question {
        translations: [("en".to_owned(), en.to_owned())].into(),
        ..q
    };
    use sv::{Dimension::*, QuestionKind::*};
    let version = sv::SurveyVersion {
        questions: vec![
            english(
                servqual("rel", Reliability, Expectation, "优秀的维修站一次就能修好"),
                "An excellent workshop fixes it the first time",
            ),
            english(
                servqual("rel", Reliability, Perception, "我们一次就修好了您的车"),
                "We fixed it the first time",
            ),
            english(
                servqual(
                    "resp",
                    Responsiveness,
                    Expectation,
                    "优秀的维修站会告诉您何时完工",
                ),
                "An excellent workshop tells you when the work will be done",
            ),
            english(
                servqual("resp", Responsiveness, Perception, "我们告诉了您何时完工"),
                "We told you when the work would be done",
            ),
            english(
                sv::Question {
                    text: "您对本次服务满意吗？".into(),
                    ..question("overall", sv::Scale::OneToFive, Rating)
                },
                "How satisfied are you?",
            ),
            english(
                sv::Question {
                    text: "您会向亲友推荐我们吗？".into(),
                    ..question("recommend", sv::Scale::ZeroToTen, Nps)
                },
                "Would you recommend us?",
            ),
        ],
        dimension_weights: Some(sv::DimensionWeights {
            reliability: 60,
            responsiveness: 40,
            ..Default::default()
        }),
        satisfaction_question: "overall".into(),
        nps_question: "recommend".into(),
        locale: "zh-CN".into(),
        ..Default::default()
    };
    let mut templates = SurveyTemplateServiceClient::new(c.signed(&c.surveys, Scope::Oem));
    templates
        .create_survey_template(sv::CreateSurveyTemplateRequest {
            survey_template: Some(sv::SurveyTemplate {
                code: "after-sales".into(),
                display_name: "After your visit".into(),
                ..Default::default()
            }),
            request_id: "demo-survey-template".into(),
        })
        .await?;
    templates
        .publish_survey_version(sv::PublishSurveyVersionRequest {
            template_code: "after-sales".into(),
            version: Some(version),
            request_id: "demo-survey-version".into(),
        })
        .await?;
    Ok(())
}

/// A CRITICAL complaint at la-konstanz opened [`OVERDUE_BY`] ago (surveys'
/// clock set back while it is opened): its first response is overdue, and
/// the escalation sweep hands it to the region at its next tick.
async fn overdue_complaint(c: &Channels) -> anyhow::Result<()> {
    c.rewind.set(OVERDUE_BY);
    let opened = complaints(c, staff("lakeside-auto"))
        .open_complaint(open(
            "la-konstanz",
            "",
            "The car was promised for noon and is still on the lift; nobody calls back.",
            (sv::ComplaintClass::NonQualityPeople, "not-called-back"),
            sv::ComplaintSeverity::Critical,
            sv::ComplaintSource::Customer,
            "demo-complaint-overdue",
        ))
        .await;
    c.rewind.set(time::Duration::ZERO);
    opened?;
    Ok(())
}

fn complaints(c: &Channels, scope: Scope) -> ComplaintServiceClient<super::Signed> {
    ComplaintServiceClient::new(c.signed(&c.surveys, scope))
}

fn open(
    station: &str,
    repair_order: &str,
    description: &str,
    (class, cause): (sv::ComplaintClass, &str),
    severity: sv::ComplaintSeverity,
    source: sv::ComplaintSource,
    request_id: &str,
) -> sv::OpenComplaintRequest {
    sv::OpenComplaintRequest {
        complaint: Some(sv::Complaint {
            station_id: if repair_order.is_empty() {
                station.into()
            } else {
                String::new()
            },
            repair_order_id: repair_order.into(),
            description: description.into(),
            class: class as i32,
            cause: cause.into(),
            severity: severity as i32,
            source: source as i32,
            ..Default::default()
        }),
        request_id: request_id.into(),
    }
}

/// Complaints in every state, weights, a plan, the assessments of the
/// months the demo's days fall in. (The sweep escalates the overdue
/// complaint at its next tick, within a minute: nothing waits for it.)
pub(super) async fn after_repair_orders(
    c: &Channels,
    plan: &Plan,
    today: OffsetDateTime,
) -> anyhow::Result<()> {
    carried_complaints(c, plan)
        .await
        .context("the complaints")?;
    weights(c).await.context("the scorecard weights")?;
    improvement_plan(c, today)
        .await
        .context("the improvement plan")?;
    let mut scorecards = DealerScorecardServiceClient::new(c.signed(&c.surveys, Scope::Oem));
    for month in [month_of(today - time::Duration::days(30)), month_of(today)] {
        scorecards
            .refresh_dealer_assessments(sv::RefreshDealerAssessmentsRequest {
                period: Some(month),
            })
            .await
            .context("the dealer assessments")?;
    }
    Ok(())
}

/// Waits (with patience for the relay) for `find` to answer.
pub(super) async fn waited<T, F, Fut>(what: &str, mut find: F) -> anyhow::Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<Option<T>>>,
{
    // The relays deliver within a second or two and the sweep ticks every
    // minute: the demo waits rather than fail the start.
    for _ in 0..1_200 {
        if let Some(found) = find().await? {
            return Ok(found);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("{what} never came")
}

/// Complaints opened by a station's staff, a DMS and a callback agent, and
/// the low-score ones the closed loop opened, carried to every state: one
/// open, one responded, one resolved, one closed, one reopened.
async fn carried_complaints(c: &Channels, plan: &Plan) -> anyhow::Result<()> {
    use sv::{ComplaintClass::*, ComplaintSeverity::*, ComplaintSource::*};
    let ro_at = |station: &str| {
        plan.delivered()
            .filter(|ro| ro.station == station && !ro.warranty())
            .last()
            .map(|ro| ro.id.as_str())
            .with_context(|| format!("no RO delivered at {station}"))
    };
    let opened = [
        (
            "harbour-motors",
            staff("harbour-motors"),
            open(
                "hm-city",
                ro_at("hm-city")?,
                "Waited two hours past the appointment before anyone took the car.",
                (NonQualityProcess, "waiting-time"),
                Medium,
                Staff,
                "demo-complaint-waiting",
            ),
        ),
        (
            "alpine-cars",
            Scope::Dms {
                dealer_id: "alpine-cars".into(),
            },
            open(
                "ac-munich",
                ro_at("ac-munich")?,
                "The brake noise is back a week after the pads were replaced.",
                (Quality, "repair-not-fixed"),
                High,
                Dms,
                "demo-complaint-dms",
            ),
        ),
        (
            "rhine-vehicles",
            staff("rhine-vehicles"),
            open(
                "rv-cologne",
                ro_at("rv-cologne")?,
                "On the callback: nobody explained the extra charge on the bill.",
                (NonQualityPeople, "communication"),
                Low,
                CallbackAgent,
                "demo-complaint-callback",
            ),
        ),
        (
            "harbour-motors",
            staff("harbour-motors"),
            open(
                "hm-airport",
                ro_at("hm-airport")?,
                "The new oil filter leaks.",
                (Quality, "part-defect"),
                High,
                Staff,
                "demo-complaint-part",
            ),
        ),
    ];
    let mut ids = vec![];
    for (dealer, scope, request) in opened {
        let complaint = complaints(c, scope)
            .open_complaint(request)
            .await?
            .into_inner();
        ids.push((dealer, complaint.id));
    }
    // The DMS's complaint is answered; the callback's resolved; the
    // waiting one closed on the customer's word; the leaking filter
    // resolved, then reopened when the leak came back.
    let steps: [(usize, &[Step]); 4] = [
        (1, &[Step::Respond]),
        (2, &[Step::Respond, Step::Resolve]),
        (0, &[Step::Respond, Step::Resolve, Step::Close]),
        (3, &[Step::Respond, Step::Resolve, Step::Reopen]),
    ];
    for (at, steps) in steps {
        let (dealer, id) = &ids[at];
        carry(c, dealer, id, steps).await?;
    }
    // The closed loop opened one complaint per low answer; the first is
    // answered.
    let oem = complaints(c, Scope::Oem);
    for (n, dealer) in LOW_AT.iter().enumerate() {
        let low = waited(&format!("the low-score complaint at {dealer}"), || {
            let mut oem = oem.clone();
            async move {
                let listed = oem
                    .list_complaints(sv::ListComplaintsRequest {
                        dealer_id: (*dealer).into(),
                        page_size: 100,
                        ..Default::default()
                    })
                    .await?
                    .into_inner();
                Ok(listed
                    .complaints
                    .into_iter()
                    .find(|c| c.source == LowScore as i32))
            }
        })
        .await?;
        if n == 0 {
            carry(c, dealer, &low.id, &[Step::Respond]).await?;
        }
    }
    Ok(())
}

#[derive(Clone, Copy)]
enum Step {
    Respond,
    Resolve,
    Close,
    Reopen,
}

/// The complaint's dealer's staff take it through `steps`.
async fn carry(c: &Channels, dealer: &str, id: &str, steps: &[Step]) -> anyhow::Result<()> {
    let mut own = complaints(c, staff(dealer));
    for step in steps {
        let rid = |name: &str| format!("demo-{id}-{name}");
        let id = id.to_owned();
        match step {
            Step::Respond => {
                own.respond_to_complaint(sv::RespondToComplaintRequest {
                    id,
                    response: "We are sorry; the service manager will call you today.".into(),
                    request_id: rid("respond"),
                    ..Default::default()
                })
                .await?
            }
            Step::Resolve => {
                own.resolve_complaint(sv::ResolveComplaintRequest {
                    id,
                    root_cause: "The job was closed without a final check.".into(),
                    corrective_action:
                        "A final check on every RO before handover; the work redone at no charge."
                            .into(),
                    // A low-score complaint is classed at its resolution.
                    class: sv::ComplaintClass::Quality as i32,
                    cause: "workmanship".into(),
                    request_id: rid("resolve"),
                    ..Default::default()
                })
                .await?
            }
            Step::Close => {
                own.close_complaint(sv::CloseComplaintRequest {
                    id,
                    confirmation: sv::CustomerConfirmation::Satisfied as i32,
                    note: "The customer confirmed on the phone.".into(),
                    request_id: rid("close"),
                    ..Default::default()
                })
                .await?
            }
            Step::Reopen => {
                own.reopen_complaint(sv::ReopenComplaintRequest {
                    id,
                    reason: "The leak came back after two days.".into(),
                    request_id: rid("reopen"),
                    ..Default::default()
                })
                .await?
            }
        };
    }
    Ok(())
}

/// Head office weighs satisfaction and complaints more than the built-in
/// weights do.
async fn weights(c: &Channels) -> anyhow::Result<()> {
    use sv::ScorecardPart::*;
    let weights = [
        (Satisfaction, 35),
        (Standards, 15),
        (Comebacks, 10),
        (FillRate, 10),
        (RequiredStock, 5),
        (Costs, 5),
        (Complaints, 20),
    ]
    .map(|(part, weight)| sv::ScorecardWeight {
        part: part as i32,
        weight,
    })
    .to_vec();
    DealerScorecardServiceClient::new(c.signed(&c.surveys, Scope::Oem))
        .set_scorecard_weights(sv::SetScorecardWeightsRequest {
            weights: Some(sv::ScorecardWeights {
                weights,
                ..Default::default()
            }),
            request_id: "demo-scorecard-weights".into(),
        })
        .await?;
    Ok(())
}

/// An improvement plan for the weakest dealer on its weakest item and
/// dimension, from this month's answers, checked next month.
async fn improvement_plan(c: &Channels, today: OffsetDateTime) -> anyhow::Result<()> {
    let mut plans = ImprovementPlanServiceClient::new(c.signed(&c.surveys, Scope::Oem));
    let focus = plans
        .propose_improvement_focus(sv::ProposeImprovementFocusRequest {
            dealer_id: WEAKEST.into(),
            period: Some(answered_month(today)),
            limit: 1,
        })
        .await?
        .into_inner();
    // The gap's goal: perception up to expectation.
    let goals: Vec<_> = focus
        .items
        .iter()
        .chain(&focus.dimensions)
        .map(|a| sv::PlanGoal {
            attribute_id: a.attribute_id.clone(),
            target: 0.0,
        })
        .collect();
    anyhow::ensure!(!goals.is_empty(), "no weak attribute at {WEAKEST}");
    plans
        .create_improvement_plan(sv::CreateImprovementPlanRequest {
            dealer_id: WEAKEST.into(),
            goals,
            baseline_period: Some(answered_month(today)),
            owner: "Lakeside Auto's service manager".into(),
            deadline: timestamp(today + time::Duration::days(60)),
            request_id: "demo-plan-lakeside".into(),
            ..Default::default()
        })
        .await?;
    Ok(())
}
