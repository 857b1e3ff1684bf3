//! The whole journey of one visit on the distributed system, every service
//! its own process on PostgreSQL (the league tables on Redis), the gateway
//! in front, as its users check it: the advisor books the van in and opens
//! its warranty RO on arrival; the pump is reserved, issued and fitted; the
//! van is delivered; costs prices the RO and the station carries the claim
//! to payment; the customer answers the survey on the survey page (gRPC-web,
//! with the link's token alone), low; the station enters the league table;
//! the low score opens a complaint which nobody answers, so that — surveys
//! running hours ahead — it escalates to the region, whose manager pays the
//! customer a compensation that costs counts; and the dealer's scorecard
//! shows the visit in its satisfaction, compliance, costs and complaints.

use std::net::SocketAddr;

use aftercare::services::Service;
use aftercare_proto::{
    common::v1::{Money, Period},
    costs::v1::{self as costs_pb, repair_order_cost_service_client::RepairOrderCostServiceClient},
    dealers::v1 as pb,
    parts::v1 as parts_pb,
    surveys::v1 as sv,
};
use aftercare_test_support::eventually;
use prost::Message;
use tonic::{Code, transport::Channel};

use crate::{
    costs::{
        PART, a_van_in_warranty, costed_and_claimed, deliver_billed, fit_the_pump,
        warranty_catalogue,
    },
    distributed::{elbe_motors, price_a_station},
    quality::{low_score_complaint, scorecard},
    repair_orders::{People, Station, Tokens, delivered_on_time_standard, this_months_compliance},
    support::{
        clients::{Outcome, authed, complaints, connect, dealers, leagues, repair_orders, stock},
        distributed::Distributed,
        http1::{self, grpc_web_frames},
    },
    surveys::{Member, invitation_of, month_of, publish_survey, satisfaction_table},
};

/// The station of the visit: em-dresden of elbe-motors, in the east, its
/// store opened by head office.
const AT: Station<'static> = Station {
    region_id: "east",
    dealer_id: "elbe-motors",
    station_id: "em-dresden",
    warehouse_id: "em-dresden-wh",
    open_store: false,
};

/// How far ahead the surveys process is run to see the complaint's first
/// response overdue: 5 hours, more than a critical complaint's 4 (the
/// default).
const AHEAD_SECS: &str = "18000";

fn eur(minor_units: i64) -> Option<Money> {
    Some(Money {
        currency_code: "EUR".into(),
        minor_units,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_visit_runs_through_every_service_apart() {
    let mut system = Distributed::start(&[
        // Ranked from one response, so that the station enters the table.
        ("AFTERCARE_SURVEYS__LEAGUE_MIN_SAMPLE", "1"),
        // The escalation sweep every second, so that it is seen soon.
        ("AFTERCARE_SURVEYS__COMPLAINTS__SWEEP_SECS", "1"),
    ])
    .await;
    let gateway = system.addr(Service::Gateway);
    let channel = connect(gateway).await;
    let oem = system.mint(&["--role", "oem"]);
    let staff = system.mint(&["--role", "dealer", "--dealer", "elbe-motors"]);
    let other = system.mint(&["--role", "dealer", "--dealer", "main-cars"]);
    let east = system.mint(&["--role", "region", "--region", "east"]);
    let t = Tokens {
        oem: &oem,
        staff: &staff,
        other: &other,
    };

    // Head office: the network, the station's store, the warranty catalogue
    // and rates, the survey, the standard of delivering on time; a customer
    // with a van in its warranty, pumps on the station's shelf.
    elbe_motors(&mut dealers(&channel, Some(&oem))).await;
    price_a_station(&channel, &oem).await;
    warranty_catalogue(&channel, &AT, t).await;
    publish_survey(&channel, &oem).await;
    delivered_on_time_standard(&channel, &oem).await;
    let (people, van) = a_van_in_warranty(&channel, &AT, t).await;

    // The advisor books the van in and opens its RO when it arrives; the
    // pump is reserved, issued and fitted; the van is delivered.
    let ro = booked_and_arrived(&channel, t, &people, &van).await;
    fit_the_pump(&channel, &AT, t, &people, &ro, "journey").await;
    let level = stock(&channel, Some(&staff))
        .get_stock_level(parts_pb::GetStockLevelRequest {
            warehouse_id: AT.warehouse_id.into(),
            part_number: PART.into(),
        })
        .await
        .answer();
    assert_eq!((level.on_hand, level.reserved), (2, 0), "one of 3 issued");
    // The customer pays 150.00 for what the warranty does not cover.
    deliver_billed(&channel, t, &ro, 15_000).await;

    // Costs prices the RO and drafts its claim, which the station submits
    // and approves and head office pays.
    costed_and_claimed(&channel, t, &ro).await;

    // The customer answers on the survey page, low.
    let member = Member {
        dealer_id: AT.dealer_id,
        dealer_name: "Elbe Motors",
        station_id: AT.station_id,
        staff: &staff,
        tag: '5',
    };
    let invitation = invitation_of(&channel, &member, &ro).await;
    answered_on_the_page(gateway, &channel, &staff, &invitation).await;
    let period = month_of(invitation.delivery_time.as_ref().expect("a delivery time"));
    the_station_enters_the_table(&channel, &oem, period).await;

    // The low score opens a complaint, which the dealer does not answer.
    let opened = low_score_complaint(&channel, &AT, &staff, &ro).await;
    assert_eq!(
        (opened.severity, opened.state, opened.owner_level),
        (
            sv::ComplaintSeverity::Critical as i32,
            sv::ComplaintState::Open as i32,
            sv::OwnerLevel::Dealer as i32
        )
    );

    // Surveys restarted running hours ahead: the first response is overdue,
    // and the sweep hands the complaint to the region.
    system
        .start_again(
            Service::Surveys,
            &[("AFTERCARE_OEM__CLOCK_OFFSET_SECS", AHEAD_SECS)],
        )
        .await;
    let escalated = escalated_to_the_region(&channel, &east, &opened.id).await;
    let refused = complaints(&channel, Some(&staff))
        .respond_to_complaint(sv::RespondToComplaintRequest {
            id: opened.id.clone(),
            response: "We are sorry.".into(),
            request_id: "e2e-journey-dealer-respond".into(),
            ..Default::default()
        })
        .await
        .code();
    assert_eq!(refused, Code::PermissionDenied, "the region owns it now");

    // The region manager answers and pays the customer 300.00, beyond the
    // dealer's limit; costs counts it in the dealer's cost of poor quality.
    compensated_by_the_region(&channel, &east, &escalated).await;
    let approved = complaints(&channel, Some(&staff))
        .get_complaint(sv::GetComplaintRequest {
            id: opened.id.clone(),
        })
        .await
        .answer();
    assert_eq!(
        approved.compensation_approved.map(|m| m.minor_units),
        Some(30_000),
        "the dealer sees what was paid"
    );
    let decided = approved.compensations[0].decide_time.expect("decided");
    counted_in_costs(&channel, &oem, month_of(&decided)).await;

    // The dealer's scorecard shows the visit.
    the_scorecard_shows_the_visit(&channel, t).await;
    system.assert_running();
}

/// The advisor books the van in for this hour, the customer arrives, and
/// the RO opens from the appointment. Its id.
async fn booked_and_arrived(
    channel: &Channel,
    t: Tokens<'_>,
    people: &People,
    van: &str,
) -> String {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let at = |seconds: i64| Some(prost_types::Timestamp { seconds, nanos: 0 });
    let mut advisor = repair_orders(channel, Some(t.staff));
    let booked = advisor
        .create_appointment(pb::CreateAppointmentRequest {
            appointment: Some(pb::Appointment {
                station_id: AT.station_id.into(),
                vehicle_id: van.into(),
                advisor_id: people.advisor.clone(),
                start_time: at(now + 600),
                r#type: pb::RepairOrderType::Warranty as i32,
                ..Default::default()
            }),
            request_id: "e2e-journey-book".into(),
            ..Default::default()
        })
        .await
        .answer();
    assert_eq!(booked.status, pb::AppointmentStatus::Booked as i32);
    let listed = advisor
        .list_appointments(pb::ListAppointmentsRequest {
            station_id: AT.station_id.into(),
            advisor_id: people.advisor.clone(),
            ..Default::default()
        })
        .await
        .answer();
    let ids: Vec<_> = listed.appointments.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, [booked.id.as_str()]);

    let ro = advisor
        .arrive_for_appointment(pb::ArriveForAppointmentRequest {
            id: booked.id.clone(),
            promise_time: at(now + 3 * 3600),
            // What the warranty does not cover, agreed with the customer.
            estimate: eur(15_000),
            mileage_km: 31_500,
            request_id: "e2e-journey-arrive".into(),
            ..Default::default()
        })
        .await
        .answer();
    assert_eq!(
        (ro.status, ro.r#type, ro.appointment_id.as_str()),
        (
            pb::RepairOrderStatus::Opened as i32,
            pb::RepairOrderType::Warranty as i32,
            booked.id.as_str()
        )
    );
    let arrived = advisor
        .get_appointment(pb::GetAppointmentRequest { id: booked.id })
        .await
        .answer();
    assert_eq!(
        (arrived.status, arrived.repair_order_id.as_str()),
        (pb::AppointmentStatus::Arrived as i32, ro.id.as_str())
    );
    ro.id
}

/// A call the survey page makes: gRPC-web over HTTP/1.1 from the page's own
/// origin (the gateway serves it), with no bearer token. The answer, or
/// the status code refusing it.
async fn as_the_page<A: Message + Default>(
    gateway: SocketAddr,
    service: &str,
    method: &str,
    request: &impl Message,
) -> Result<A, Code> {
    let path = format!("/aftercare.surveys.v1.{service}/{method}");
    let origin = format!("http://{gateway}");
    let answer = http1::grpc_web(gateway, &path, &request.encode_to_vec(), &origin, None).await;
    assert!(answer.head.starts_with("http/1.1 200"), "{}", answer.head);
    let (messages, trailers) = grpc_web_frames(&answer.body);
    // In the trailer frame, or in the headers of a trailers-only answer.
    let status = trailers.unwrap_or_else(|| answer.head.clone());
    let code = status
        .lines()
        .find_map(|l| l.strip_prefix("grpc-status:"))
        .and_then(|c| c.trim().parse::<i32>().ok())
        .unwrap_or_else(|| panic!("no grpc-status in {status:?}"));
    match (Code::from(code), messages.as_slice()) {
        (Code::Ok, [message]) => Ok(A::decode(message.as_slice()).expect("the answer decodes")),
        (Code::Ok, _) => panic!("one message, not {}", messages.len()),
        (code, _) => Err(code),
    }
}

/// The station's staff mint the invitation's link; the customer opens it on
/// the survey page, which asks the survey in the customer's language at the
/// station, answers low (reliability perceived 2 of 7 against an expected
/// 6, overall 1 of 5, recommend 0 of 10: a service index of 167), and
/// cannot answer again.
async fn answered_on_the_page(
    gateway: SocketAddr,
    channel: &Channel,
    staff: &str,
    invitation: &sv::SurveyInvitation,
) {
    let link = crate::support::clients::survey_invitations(channel, Some(staff))
        .issue_survey_link(sv::IssueSurveyLinkRequest {
            invitation_id: invitation.id.clone(),
        })
        .await
        .answer();
    let service = "SurveyResponseService";
    let asked: sv::SurveyByLink = as_the_page(
        gateway,
        service,
        "GetSurveyByLink",
        &sv::GetSurveyByLinkRequest {
            link_token: link.link_token.clone(),
        },
    )
    .await
    .expect("the page reads the survey");
    let questions: Vec<_> = asked
        .version
        .expect("a version")
        .questions
        .into_iter()
        .map(|q| q.id)
        .collect();
    assert_eq!(questions, ["rel-e", "rel-p", "overall", "recommend"]);
    assert_eq!(
        (asked.locale.as_str(), asked.station_name.as_str()),
        (invitation.locale.as_str(), "Elbe Motors Dresden")
    );
    let answers = [("rel-e", 6), ("rel-p", 2), ("overall", 1), ("recommend", 0)]
        .map(|(id, value)| sv::Answer {
            question_id: id.into(),
            value,
        })
        .to_vec();
    let submit = sv::SubmitSurveyResponseRequest {
        link_token: link.link_token,
        answers,
    };
    let thanked: Result<sv::SubmitSurveyResponseResponse, _> =
        as_the_page(gateway, service, "SubmitSurveyResponse", &submit).await;
    assert!(thanked.expect("the page submits").submit_time.is_some());
    let again: Result<sv::SubmitSurveyResponseResponse, _> =
        as_the_page(gateway, service, "SubmitSurveyResponse", &submit).await;
    assert_eq!(
        again.unwrap_err(),
        Code::FailedPrecondition,
        "the link is used"
    );
}

/// Head office reads the national table of stations of `period`: the
/// station is in it, ranked first on its one response.
async fn the_station_enters_the_table(channel: &Channel, oem: &str, period: Option<Period>) {
    let client = leagues(channel, Some(oem));
    let table = eventually("the station in the league table", || {
        let mut client = client.clone();
        let request = sv::GetLeagueTableRequest {
            table: Some(sv::LeagueTableKey {
                level: sv::LeagueLevel::Station as i32,
                ..satisfaction_table(period, "")
            }),
            ..Default::default()
        };
        async move {
            let table = client.get_league_table(request).await.answer();
            (!table.entries.is_empty()).then_some(table)
        }
    })
    .await;
    let entries: Vec<_> = table
        .entries
        .iter()
        .map(|e| (e.member_id.as_str(), e.rank, e.sample_size, e.raw_value))
        .collect();
    assert_eq!(entries, [(AT.station_id, Some(1), Some(1), Some(0.0))]);
}

/// The complaints' notifications the holder of `token` has so far.
async fn notifications(channel: &Channel, token: &str) -> Vec<sv::ComplaintNotification> {
    complaints(channel, Some(token))
        .list_complaint_notifications(sv::ListComplaintNotificationsRequest {
            page_size: 100,
            ..Default::default()
        })
        .await
        .answer()
        .notifications
}

/// The region manager (`east`) is told that complaint `id` is now the
/// region's, and finds it so, escalated by the sweep. The complaint.
async fn escalated_to_the_region(channel: &Channel, east: &str, id: &str) -> sv::Complaint {
    let escalation = sv::ComplaintNotificationKind::Escalated as i32;
    let told = eventually("the region told of the escalation", || async {
        let now = notifications(channel, east).await;
        now.into_iter()
            .find(|n| n.complaint_id == id && n.kind == escalation)
    })
    .await;
    assert_eq!(told.owner_level, sv::OwnerLevel::Region as i32);
    let complaint = complaints(channel, Some(east))
        .get_complaint(sv::GetComplaintRequest { id: id.into() })
        .await
        .answer();
    assert_eq!(complaint.owner_level, sv::OwnerLevel::Region as i32);
    let last = complaint.history.last().expect("a history");
    assert_eq!(
        (last.action, last.actor.as_str()),
        (
            sv::ComplaintAction::Escalated as i32,
            "aftercare-complaints-sweep"
        )
    );
    complaint
}

/// The region manager (`east`) answers the customer, proposes 300.00 of
/// compensation and approves it: more than the dealer may approve, within
/// the region's limit.
async fn compensated_by_the_region(channel: &Channel, east: &str, complaint: &sv::Complaint) {
    let mut region = complaints(channel, Some(east));
    let rid = |step: &str| format!("e2e-journey-region-{step}");
    let responded = region
        .respond_to_complaint(sv::RespondToComplaintRequest {
            id: complaint.id.clone(),
            response: "We are sorry; the region will see to it.".into(),
            etag: complaint.etag.clone(),
            request_id: rid("respond"),
        })
        .await
        .answer();
    assert_eq!(responded.state, sv::ComplaintState::Responded as i32);
    let proposed = region
        .propose_complaint_compensation(sv::ProposeComplaintCompensationRequest {
            id: complaint.id.clone(),
            compensation: Some(sv::ComplaintCompensation {
                kind: costs_pb::CompensationKind::Compensation as i32,
                amount: eur(30_000),
                reason: "A rental car for the days the van was back.".into(),
                ..Default::default()
            }),
            etag: responded.etag,
            request_id: rid("propose"),
        })
        .await
        .answer();
    let payment = proposed.compensations.last().expect("proposed");
    assert_eq!(payment.approval_level, sv::OwnerLevel::Region as i32);
    let approved = region
        .approve_complaint_compensation(sv::ApproveComplaintCompensationRequest {
            id: complaint.id.clone(),
            number: payment.number,
            etag: proposed.etag.clone(),
            request_id: rid("approve"),
            ..Default::default()
        })
        .await
        .answer();
    assert_eq!(
        approved.compensations.last().map(|c| c.state),
        Some(sv::CompensationState::Approved as i32)
    );
}

/// Head office reads the dealer's cost of poor quality of `period`: the
/// compensation, once the surveys outbox has told costs.
async fn counted_in_costs(channel: &Channel, oem: &str, period: Option<Period>) {
    let client = RepairOrderCostServiceClient::new(authed(channel, Some(oem)));
    let cost = eventually("costs counts the compensation", || {
        let mut client = client.clone();
        let request = costs_pb::GetPoorQualityCostRequest {
            dealer_id: AT.dealer_id.into(),
            period,
        };
        async move {
            let cost = client.get_poor_quality_cost(request).await.answer();
            cost.compensation
                .as_ref()
                .is_some_and(|m| m.minor_units > 0)
                .then_some(cost)
        }
    })
    .await;
    let minor = |m: &Option<Money>| m.as_ref().map(|m| m.minor_units);
    assert_eq!(minor(&cost.compensation), Some(30_000));
    assert_eq!(minor(&cost.goodwill), Some(0));
}

/// The dealer's staff read this month's scorecard: the one answer (none
/// satisfied), the RO delivered on time, costed with its margin, and
/// complained of.
async fn the_scorecard_shows_the_visit(channel: &Channel, t: Tokens<'_>) {
    use sv::scorecard_section::Figures;
    let card = scorecard(
        channel,
        t,
        AT.dealer_id,
        "the visit on the scorecard",
        |c| {
            c.sections
                .iter()
                .any(|s| matches!(&s.figures, Some(Figures::Complaints(f)) if f.complaints == 1))
        },
    )
    .await;
    let figures = |part: sv::ScorecardPart| {
        let section = card
            .sections
            .iter()
            .find(|s| s.part == part as i32)
            .unwrap_or_else(|| panic!("{part:?} on the scorecard: {card:?}"));
        assert!(section.score.is_some(), "{section:?}");
        section.figures.clone().expect("figures")
    };
    let Figures::Satisfaction(satisfaction) = figures(sv::ScorecardPart::Satisfaction) else {
        panic!("satisfaction figures");
    };
    assert_eq!(
        (satisfaction.sample_size, satisfaction.satisfaction_rate_bp),
        (1, Some(0))
    );
    let Figures::Standards(standards) = figures(sv::ScorecardPart::Standards) else {
        panic!("standards figures");
    };
    assert_eq!((standards.met, standards.missed), (1, 0));
    let Figures::Costs(costs) = figures(sv::ScorecardPart::Costs) else {
        panic!("cost figures");
    };
    // The RO cost 126.00 (1.4 h at 40.00, the pump at 70.00) against the
    // customer's 150.00: a margin of 24.00, 16 %.
    let minor = |m: &Option<Money>| m.as_ref().map(|m| m.minor_units);
    assert_eq!(
        (
            costs.repair_orders,
            minor(&costs.cost_per_repair_order),
            minor(&costs.margin),
            costs.margin_bp
        ),
        (1, Some(12_600), Some(2_400), Some(1_600))
    );
    let Figures::Complaints(complaints) = figures(sv::ScorecardPart::Complaints) else {
        panic!("complaint figures");
    };
    assert_eq!((complaints.complaints, complaints.repair_orders), (1, 1));

    // The advisor's own check agrees: the RO was delivered by its promise.
    let counts = this_months_compliance(channel, t.staff, AT.station_id).await;
    assert_eq!((counts.met, counts.missed, counts.pending), (1, 0, 0));
}
