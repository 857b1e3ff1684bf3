//! The quality loop through the gateway, the same in both modes: an RO
//! delivered, its customer's low answer through the survey link, the
//! complaint the surveys relay opens for it — tied to the RO's advisor,
//! technician and part — answered, resolved and closed by the dealer; then
//! the dealer's scorecard with every part present and, in the distributed
//! mode, with parts stopped, the parts it gives named missing.

use aftercare_proto::{
    common::v1::{Money, Period, PeriodKind},
    dealers::v1 as pb,
    parts::v1 as parts_pb,
    surveys::v1 as sv,
};
use aftercare_test_support::eventually;
use tonic::transport::Channel;

use crate::{
    repair_orders::{Station, Tokens, journey, network_rate, people},
    support::{
        clients::{Outcome, complaints, dealers, repair_orders, required_stock, scorecards, stock},
        system::EmbeddedSystem,
    },
    surveys::{Member, answer_by_link, invitation_of, publish_survey},
};

fn eur(minor_units: i64) -> Option<Money> {
    Some(Money {
        currency_code: "EUR".into(),
        minor_units,
    })
}

fn this_month() -> Option<Period> {
    let now = time::OffsetDateTime::now_utc();
    Some(Period {
        kind: PeriodKind::Month as i32,
        year: now.year(),
        number: i32::from(u8::from(now.month())),
    })
}

/// The RO the customer complains of, as the test knows it.
struct Served {
    ro: String,
    advisor: String,
    technician: String,
}

/// Head office adds an advisor, a technician and a customer with a vehicle
/// at `at`; the staff receive two wiper blades, open an RO with the wiper
/// job and a blade, and carry it to delivery. The journey's catalogue
/// (`WIPERS`, `WIPER-BLADE-2`) and store are there already.
async fn deliver(channel: &Channel, at: &Station<'_>, t: Tokens<'_>, tag: &str) -> Served {
    let who = people(
        channel,
        at,
        t.oem,
        &format!("quality-{tag}"),
        ["Quinn Advisor", "Quentin Technician", "Queenie Customer"],
    )
    .await;
    let rid = |step: &str| format!("e2e-quality-{tag}-{step}");
    let vehicle = dealers(channel, Some(t.oem))
        .create_vehicle(pb::CreateVehicleRequest {
            vehicle: Some(pb::Vehicle {
                vin: format!("WAUZZZ8V5KA98{tag:0>4}"),
                customer_id: who.customer.clone(),
                model: "VAN-E1".into(),
                mileage_km: 31_000,
                ..Default::default()
            }),
            request_id: rid("vehicle"),
            ..Default::default()
        })
        .await
        .answer();
    stock(channel, Some(t.staff))
        .receive_stock(parts_pb::ReceiveStockRequest {
            warehouse_id: at.warehouse_id.into(),
            part_number: "WIPER-BLADE-2".into(),
            quantity: 2,
            request_id: rid("receive"),
            ..Default::default()
        })
        .await
        .answer();
    let mut ros = repair_orders(channel, Some(t.staff));
    let ro = ros
        .create_repair_order(pb::CreateRepairOrderRequest {
            repair_order: Some(pb::RepairOrder {
                station_id: at.station_id.into(),
                vehicle_id: vehicle.id,
                advisor_id: who.advisor.clone(),
                r#type: pb::RepairOrderType::Repair as i32,
                promise_time: Some(prost_types::Timestamp {
                    seconds: time::OffsetDateTime::now_utc().unix_timestamp() + 3 * 3600,
                    nanos: 0,
                }),
                estimate: eur(5_000),
                mileage_km: 31_200,
                ..Default::default()
            }),
            request_id: rid("open"),
            ..Default::default()
        })
        .await
        .answer();
    let id = ro.id;
    ros.add_labour_line(pb::AddLabourLineRequest {
        repair_order_id: id.clone(),
        operation_code: "WIPERS".into(),
        technician_id: who.technician.clone(),
        request_id: rid("labour"),
        ..Default::default()
    })
    .await
    .answer();
    ros.add_parts_line(pb::AddPartsLineRequest {
        repair_order_id: id.clone(),
        part_number: "WIPER-BLADE-2".into(),
        quantity: 1,
        request_id: rid("part"),
        ..Default::default()
    })
    .await
    .answer();
    for step in ["start", "complete"] {
        let (id, request_id) = (id.clone(), rid(step));
        if step == "start" {
            ros.start_repair_order(pb::StartRepairOrderRequest {
                id,
                request_id,
                ..Default::default()
            })
            .await
            .answer();
        } else {
            ros.complete_repair_order(pb::CompleteRepairOrderRequest {
                id,
                request_id,
                ..Default::default()
            })
            .await
            .answer();
        }
    }
    ros.deliver_repair_order(pb::DeliverRepairOrderRequest {
        id: id.clone(),
        final_bill: eur(4_500),
        handover: vec![pb::HandoverItem {
            item: "work explained".into(),
            done: true,
        }],
        request_id: rid("deliver"),
        ..Default::default()
    })
    .await
    .answer();
    Served {
        ro: id,
        advisor: who.advisor,
        technician: who.technician,
    }
}

/// The closed loop at `at` (whose network has published the survey): the
/// customer answers low, the relay opens one complaint tied to the RO, and
/// the dealer's staff respond, resolve and close it on the customer's word.
pub(crate) async fn closed_loop(channel: &Channel, at: &Station<'_>, t: Tokens<'_>, tag: &str) {
    let served = deliver(channel, at, t, tag).await;
    let member = Member {
        dealer_id: at.dealer_id,
        dealer_name: "",
        station_id: at.station_id,
        staff: t.staff,
        tag: '9',
    };
    let invitation = invitation_of(channel, &member, &served.ro).await;
    // Reliability perceived 2 of 7: a service index of 167, below the
    // alert threshold of 600.
    answer_by_link(channel, &member, &invitation, (6, 2, 1, 0)).await;

    let opened = low_score_complaint(channel, at, t.staff, &served.ro).await;
    assert_eq!(
        (
            opened.station_id.as_str(),
            opened.dealer_id.as_str(),
            opened.region_id.as_str()
        ),
        (at.station_id, at.dealer_id, at.region_id)
    );
    assert_eq!(opened.advisor_id, served.advisor);
    assert_eq!(
        opened.technician_ids,
        std::slice::from_ref(&served.technician)
    );
    assert_eq!(opened.part_numbers, ["WIPER-BLADE-2"]);
    assert_eq!(
        (opened.state, opened.owner_level),
        (
            sv::ComplaintState::Open as i32,
            sv::OwnerLevel::Dealer as i32
        )
    );
    assert!(opened.id.starts_with("CP-"), "{}", opened.id);

    let mut staff = complaints(channel, Some(t.staff));
    let rid = |step: &str| format!("e2e-quality-{tag}-complaint-{step}");
    let responded = staff
        .respond_to_complaint(sv::RespondToComplaintRequest {
            id: opened.id.clone(),
            response: "We are sorry; we will call you today.".into(),
            etag: opened.etag.clone(),
            request_id: rid("respond"),
        })
        .await
        .answer();
    assert_eq!(responded.state, sv::ComplaintState::Responded as i32);
    let resolved = staff
        .resolve_complaint(sv::ResolveComplaintRequest {
            id: opened.id.clone(),
            root_cause: "The blade was fitted without its clip.".into(),
            corrective_action: "Blades refitted; a check of the clips added to the job card."
                .into(),
            class: sv::ComplaintClass::Quality as i32,
            cause: "workmanship".into(),
            etag: responded.etag.clone(),
            request_id: rid("resolve"),
        })
        .await
        .answer();
    assert_eq!(resolved.state, sv::ComplaintState::Resolved as i32);
    let closed = staff
        .close_complaint(sv::CloseComplaintRequest {
            id: opened.id.clone(),
            confirmation: sv::CustomerConfirmation::Satisfied as i32,
            note: "The customer confirmed on the phone.".into(),
            etag: resolved.etag.clone(),
            request_id: rid("close"),
        })
        .await
        .answer();
    assert_eq!(closed.state, sv::ComplaintState::Closed as i32);
    assert_eq!(
        (
            closed.root_cause.as_str(),
            closed.corrective_action.as_str()
        ),
        (
            "The blade was fitted without its clip.",
            "Blades refitted; a check of the clips added to the job card."
        )
    );
    assert_eq!(closed.class, sv::ComplaintClass::Quality as i32);
    assert_eq!(
        closed.confirmation,
        sv::CustomerConfirmation::Satisfied as i32
    );
    let steps: Vec<_> = closed.history.iter().map(|s| s.action).collect();
    use sv::ComplaintAction::*;
    assert_eq!(
        steps,
        [Opened, Responded, Resolved, Closed].map(|a| a as i32)
    );
    assert_eq!(closed.history[0].actor, "aftercare-surveys-relay");

    // The corrective action shows on the dealer's scorecard, at the RO's
    // station.
    let card = scorecard(channel, t, at.dealer_id, "the corrective action", |c| {
        c.corrective_actions
            .iter()
            .any(|a| a.complaint_id == closed.id)
    })
    .await;
    let action = card
        .corrective_actions
        .iter()
        .find(|a| a.complaint_id == closed.id)
        .expect("listed");
    assert_eq!(
        (
            action.station_id.as_str(),
            action.repair_order_id.as_str(),
            action.root_cause.as_str(),
            action.corrective_action.as_str()
        ),
        (
            at.station_id,
            served.ro.as_str(),
            closed.root_cause.as_str(),
            closed.corrective_action.as_str()
        )
    );
}

/// The complaint the surveys relay opens for the low-scored answer on RO
/// `ro` at `at`, as the dealer's staff (`staff`) list it: the one of the
/// RO, from the low score's response.
pub(crate) async fn low_score_complaint(
    channel: &Channel,
    at: &Station<'_>,
    staff: &str,
    ro: &str,
) -> sv::Complaint {
    let client = complaints(channel, Some(staff));
    let of_the_ro = || {
        let mut client = client.clone();
        let request = sv::ListComplaintsRequest {
            dealer_id: at.dealer_id.into(),
            page_size: 100,
            ..Default::default()
        };
        async move {
            let listed = client.list_complaints(request).await.answer().complaints;
            listed
                .into_iter()
                .filter(|c| c.repair_order_id == ro)
                .collect::<Vec<_>>()
        }
    };
    eventually("the low score's complaint", || {
        let listing = of_the_ro();
        async move { !listing.await.is_empty() }
    })
    .await;
    // Exactly one complaint for the response.
    let [opened] = <[_; 1]>::try_from(of_the_ro().await).expect("one complaint of the RO");
    assert_eq!(opened.source, sv::ComplaintSource::LowScore as i32);
    assert!(!opened.survey_response_id.is_empty());
    opened
}

/// Head office requires a wiper blade at every full station, so that the
/// required-stock part has a list to measure.
pub(crate) async fn require_a_blade(channel: &Channel, oem: &str) {
    required_stock(channel, Some(oem))
        .set_required_stock_item(parts_pb::SetRequiredStockItemRequest {
            item: Some(parts_pb::RequiredStockItem {
                station_class: parts_pb::StationClass::Full as i32,
                part_number: "WIPER-BLADE-2".into(),
                quantity: 1,
                ..Default::default()
            }),
            request_id: "e2e-quality-required-blade".into(),
        })
        .await
        .answer();
}

/// The dealer's scorecard of this month as its staff read it, once `ready`
/// says it is as the test waits for.
pub(crate) async fn scorecard(
    channel: &Channel,
    t: Tokens<'_>,
    dealer: &str,
    what: &str,
    ready: impl Fn(&sv::DealerScorecard) -> bool,
) -> sv::DealerScorecard {
    let client = scorecards(channel, Some(t.staff));
    let ready = &ready;
    eventually(what, || {
        let mut client = client.clone();
        let request = sv::GetDealerScorecardRequest {
            dealer_id: dealer.into(),
            period: this_month(),
        };
        async move {
            let card = client.get_dealer_scorecard(request).await.answer();
            ready(&card).then_some(card)
        }
    })
    .await
}

/// The dealer's scorecard has every part, the complaint counted against its
/// ROs, and a composite of all seven parts (the relays of dealers to costs
/// and surveys deliver meanwhile).
pub(crate) async fn every_part_present(channel: &Channel, t: Tokens<'_>, dealer: &str) {
    let card = scorecard(channel, t, dealer, "a scorecard with every part", |c| {
        c.missing_parts.is_empty()
    })
    .await;
    let parts: Vec<_> = card.sections.iter().map(|s| s.part).collect();
    use sv::ScorecardPart::*;
    let all = [
        Satisfaction,
        Standards,
        Comebacks,
        FillRate,
        RequiredStock,
        Costs,
        Complaints,
    ]
    .map(|p| p as i32);
    assert_eq!(parts, all);
    assert!(card.sections.iter().all(|s| s.score.is_some()), "{card:?}");
    let composite = card.composite.expect("a composite");
    assert!(composite.value.is_some());
    assert_eq!(composite.parts_used, all);
    let complaints = card
        .sections
        .iter()
        .find_map(|s| match &s.figures {
            Some(sv::scorecard_section::Figures::Complaints(f)) => Some(*f),
            _ => None,
        })
        .expect("the complaints' figures");
    assert!(complaints.complaints >= 1, "{complaints:?}");
    assert!(complaints.repair_orders >= complaints.complaints);
}

/// With parts stopped the scorecard still answers: fill rate and required
/// stock named missing for the parts service, the rest present.
pub(crate) async fn parts_missing(channel: &Channel, t: Tokens<'_>, dealer: &str) {
    use sv::ScorecardPart::*;
    let of_parts = [FillRate as i32, RequiredStock as i32];
    let card = scorecard(channel, t, dealer, "the parts named missing", |c| {
        c.missing_parts == of_parts
    })
    .await;
    for section in &card.sections {
        if of_parts.contains(&section.part) {
            assert!(
                section.missing_reason.contains("parts service"),
                "{section:?}"
            );
            assert!(section.score.is_none());
        } else {
            assert!(section.score.is_some(), "{section:?}");
        }
    }
    let composite = card.composite.expect("a composite");
    assert!(composite.value.is_some());
    assert!(
        composite.parts_used.iter().all(|p| !of_parts.contains(p)),
        "{composite:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quality_loop_in_the_embedded_mode() {
    let system = EmbeddedSystem::start().await;
    let channel = crate::support::clients::connect(system.addr).await;
    let oem = system.token(&["--role", "oem"]);
    let staff = system.token(&["--role", "dealer", "--dealer", "alpine-cars"]);
    let other = system.token(&["--role", "dealer", "--dealer", "harbour-motors"]);
    let at = crate::repair_orders::AC_MUNICH;
    let tokens = Tokens {
        oem: &oem,
        staff: &staff,
        other: &other,
    };
    // The network's survey, rate, catalogue, store and a standard (the
    // repair-order journey's), and a required-stock list.
    publish_survey(&channel, &oem).await;
    network_rate(&channel, &oem).await;
    journey(
        &channel,
        Station {
            open_store: true,
            ..at
        },
        tokens,
    )
    .await;
    require_a_blade(&channel, &oem).await;

    closed_loop(&channel, &at, tokens, "1").await;
    every_part_present(&channel, tokens, "alpine-cars").await;
    system.stop().await;
}
