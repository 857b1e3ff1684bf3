//! Costs through the gateway, the same in both modes: a warranty RO
//! delivered at a station is costed, and its claim drafted with its checks
//! (the part really issued on that RO, read from the parts ledger);
//! the dealer submits it, the level its amount calls for approves it, head
//! office pays it. The dealers outbox keeps nothing for costs afterwards,
//! and another dealer sees none of it.

use aftercare_db::Db;
use aftercare_proto::{
    common::v1::Money,
    costs::v1::{
        self as costs_pb, cost_rate_service_client::CostRateServiceClient,
        repair_order_cost_service_client::RepairOrderCostServiceClient,
        warranty_claim_service_client::WarrantyClaimServiceClient,
    },
    dealers::v1 as pb,
    google::r#type::Date,
    parts::v1::{self as parts_pb, ReservationState},
};
use aftercare_test_support::eventually;
use tonic::Code;

use crate::{
    repair_orders::{People, Station, Tokens, people},
    support::clients::{Outcome, authed, dealers, labour, parts, repair_orders, stock},
};

fn eur(minor_units: i64) -> Option<Money> {
    Some(Money {
        currency_code: "EUR".into(),
        minor_units,
    })
}

fn years_ago(years: i64) -> Option<prost_types::Timestamp> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64;
    Some(prost_types::Timestamp {
        seconds: now - years * 366 * 86_400,
        nanos: 0,
    })
}

pub(crate) const PART: &str = "E2E-PUMP-7";
const OPERATION: &str = "E2E-PUMP-FIT";

/// The journey at `at` (whose store is open), then the dealers outbox in
/// `dealers_db` checked for what waits for costs.
pub(crate) async fn journey(
    channel: &tonic::transport::Channel,
    at: Station<'_>,
    t: Tokens<'_>,
    dealers_db: &Db,
) -> People {
    warranty_catalogue(channel, &at, t).await;
    let (people, vehicle) = a_van_in_warranty(channel, &at, t).await;

    // The warranty repair, carried to delivery once the pump is issued.
    let id = repair(channel, &at, t, &people, &vehicle, "first").await;
    deliver(channel, t, &id).await;
    costed_and_claimed(channel, t, &id).await;

    // Nothing waits for costs in the dealers outbox: neither the RO's cost
    // nor its claim.
    let backlog = aftercare_outbox::pending_by_destination(dealers_db)
        .await
        .expect("the dealers outbox reads");
    let costs: Vec<_> = backlog
        .iter()
        .filter(|b| b.destination.starts_with("costs"))
        .collect();
    assert_eq!(costs.len(), 2, "costs and costs/claims: {backlog:?}");
    assert!(
        costs.iter().all(|b| b.pending == 0 && b.failed == 0),
        "{backlog:?}"
    );
    people
}

/// Head office's rates at `at` and of the network, the van's warranty
/// terms, the pump and the work of fitting it.
pub(crate) async fn warranty_catalogue(
    channel: &tonic::transport::Channel,
    at: &Station<'_>,
    t: Tokens<'_>,
) {
    let mut rates = CostRateServiceClient::new(authed(channel, Some(t.oem)));
    rates
        .set_labour_cost_rate(costs_pb::SetLabourCostRateRequest {
            rate: Some(costs_pb::LabourCostRate {
                station_id: at.station_id.into(),
                effective_time: years_ago(3),
                hourly_cost: eur(4_000),
                ..Default::default()
            }),
            request_id: "e2e-costs-rate".into(),
        })
        .await
        .answer();
    rates
        .set_warranty_labour_rate(costs_pb::SetWarrantyLabourRateRequest {
            rate: Some(costs_pb::WarrantyLabourRate {
                effective_time: years_ago(3),
                hourly_rate: eur(9_600),
                ..Default::default()
            }),
            request_id: "e2e-costs-warranty-rate".into(),
        })
        .await
        .answer();
    rates
        .set_warranty_terms(costs_pb::SetWarrantyTermsRequest {
            terms: Some(costs_pb::WarrantyTerms {
                model: "VAN-E2".into(),
                effective_date: Some(Date {
                    year: 2000,
                    month: 1,
                    day: 1,
                }),
                months: 36,
                kilometres: 100_000,
                ..Default::default()
            }),
            request_id: "e2e-costs-terms".into(),
        })
        .await
        .answer();
    parts(channel, Some(t.oem))
        .create_part(parts_pb::CreatePartRequest {
            part: Some(parts_pb::Part {
                part_number: PART.into(),
                display_name: "Coolant pump".into(),
                category: "COOLING".into(),
                list_price: eur(12_000),
                cost: eur(7_000),
                warranty_eligible: true,
                ..Default::default()
            }),
            request_id: "e2e-costs-part".into(),
        })
        .await
        .answer();
    labour(channel, Some(t.oem))
        .create_labour_operation(parts_pb::CreateLabourOperationRequest {
            labour_operation: Some(parts_pb::LabourOperation {
                operation_code: OPERATION.into(),
                display_name: "Replace the coolant pump".into(),
                standard_centihours: 150,
                price: eur(18_000),
                ..Default::default()
            }),
            request_id: "e2e-costs-op".into(),
        })
        .await
        .answer();
}

/// The station `at`: an advisor, a technician, a customer's van a year into
/// its warranty, three pumps on the shelf. The people and the van's id.
pub(crate) async fn a_van_in_warranty(
    channel: &tonic::transport::Channel,
    at: &Station<'_>,
    t: Tokens<'_>,
) -> (People, String) {
    let people = people(
        channel,
        at,
        t.oem,
        "costs",
        ["Carla Advisor", "Karl Technician", "Wanda Warranty"],
    )
    .await;
    let vehicle = vehicle(channel, t, &people.customer, "WAUZZZ8V6KA123457").await;
    stock(channel, Some(t.staff))
        .receive_stock(parts_pb::ReceiveStockRequest {
            warehouse_id: at.warehouse_id.into(),
            part_number: PART.into(),
            quantity: 3,
            request_id: "e2e-costs-receive".into(),
            ..Default::default()
        })
        .await
        .answer();
    (people, vehicle)
}

/// The warranty RO `id`, delivered, as costs holds it and its dealer's
/// staff and head office carry its claim: costed, drafted with every check
/// passed, submitted, approved by the station and paid. Another dealer
/// sees neither.
pub(crate) async fn costed_and_claimed(
    channel: &tonic::transport::Channel,
    t: Tokens<'_>,
    id: &str,
) {
    // Costed: 1.4 h at 40.00 and the pump at its cost of 70.00.
    let cost = eventually("costs records the RO's cost", || {
        let mut costs = RepairOrderCostServiceClient::new(authed(channel, Some(t.staff)));
        let request = costs_pb::GetRepairOrderCostRequest {
            repair_order_id: id.into(),
        };
        async move { costs.get_repair_order_cost(request).await.ok() }
    })
    .await
    .into_inner();
    let minor = |m: &Option<Money>| m.as_ref().map(|m| m.minor_units);
    assert_eq!(minor(&cost.labour_cost), Some(5_600));
    assert_eq!(minor(&cost.parts_cost), Some(7_000));
    assert_eq!(minor(&cost.total_cost), Some(12_600));

    // Drafted: the pump at its list price, 1.5 standard hours at 96.00,
    // every check passed — the pump was issued on this very RO.
    let claim_id = format!("WC-{id}");
    let mut dealer_claims = WarrantyClaimServiceClient::new(authed(channel, Some(t.staff)));
    let claim = eventually("costs drafts the claim", || {
        let mut claims = dealer_claims.clone();
        let request = costs_pb::GetWarrantyClaimRequest {
            id: claim_id.clone(),
        };
        async move { claims.get_warranty_claim(request).await.ok() }
    })
    .await
    .into_inner();
    assert_eq!(claim.state, costs_pb::ClaimState::Draft as i32);
    assert_eq!(minor(&claim.claimed), Some(12_000 + 14_400));
    assert_eq!(claim.causal_part_number, PART);
    let failed: Vec<_> = claim
        .checks
        .iter()
        .filter(|c| c.result != costs_pb::CheckResult::Passed as i32)
        .map(|c| (&c.name, &c.detail))
        .collect();
    assert!(failed.is_empty(), "checks not passed: {failed:?}");
    assert!(
        claim
            .checks
            .iter()
            .any(|c| c.name == "part_issued_on_repair_order"),
        "the ledger check ran: {:?}",
        claim.checks
    );
    assert_eq!(
        claim.approval_level,
        costs_pb::ApprovalLevel::Station as i32
    );

    // Submitted and approved by the station, paid by head office.
    let rid = |step: &str| format!("e2e-costs-{step}");
    dealer_claims
        .submit_warranty_claim(costs_pb::SubmitWarrantyClaimRequest {
            id: claim_id.clone(),
            request_id: rid("submit"),
            ..Default::default()
        })
        .await
        .answer();
    dealer_claims
        .approve_warranty_claim(costs_pb::ApproveWarrantyClaimRequest {
            id: claim_id.clone(),
            request_id: rid("approve"),
            ..Default::default()
        })
        .await
        .answer();
    let paid = WarrantyClaimServiceClient::new(authed(channel, Some(t.oem)))
        .pay_warranty_claim(costs_pb::PayWarrantyClaimRequest {
            id: claim_id.clone(),
            payment_reference: "PAY-E2E-1".into(),
            request_id: rid("pay"),
            ..Default::default()
        })
        .await
        .answer();
    assert_eq!(paid.state, costs_pb::ClaimState::Paid as i32);
    assert_eq!(minor(&paid.approved), Some(26_400));
    let states: Vec<i32> = paid.history.iter().map(|c| c.state).collect();
    use costs_pb::ClaimState::{Approved, Draft, Paid, Submitted};
    assert_eq!(
        states,
        [Draft, Submitted, Approved, Paid].map(|s| s as i32),
        "{:?}",
        paid.history
    );

    // Another dealer learns nothing of the cost or the claim.
    let other = WarrantyClaimServiceClient::new(authed(channel, Some(t.other)))
        .get_warranty_claim(costs_pb::GetWarrantyClaimRequest {
            id: claim_id.clone(),
        })
        .await
        .code();
    assert_eq!(other, Code::NotFound);
    let other = RepairOrderCostServiceClient::new(authed(channel, Some(t.other)))
        .get_repair_order_cost(costs_pb::GetRepairOrderCostRequest {
            repair_order_id: id.into(),
        })
        .await
        .code();
    assert_eq!(other, Code::NotFound);
}

/// A van of `customer`'s with `vin`, a year into its warranty.
async fn vehicle(
    channel: &tonic::transport::Channel,
    t: Tokens<'_>,
    customer: &str,
    vin: &str,
) -> String {
    let start = time::OffsetDateTime::now_utc().date() - time::Duration::days(365);
    let date = Some(Date {
        year: start.year(),
        month: i32::from(u8::from(start.month())),
        day: i32::from(start.day()),
    });
    dealers(channel, Some(t.oem))
        .create_vehicle(pb::CreateVehicleRequest {
            vehicle: Some(pb::Vehicle {
                vin: vin.into(),
                customer_id: customer.into(),
                model: "VAN-E2".into(),
                mileage_km: 30_000,
                sale_date: date,
                warranty_start_date: date,
                ..Default::default()
            }),
            request_id: format!("e2e-costs-vehicle-{vin}"),
            ..Default::default()
        })
        .await
        .answer()
        .id
}

/// A warranty RO of `vehicle` at `at`: the pump replaced in 1.4 h, the RO
/// completed and the pump issued in parts. Its id.
async fn repair(
    channel: &tonic::transport::Channel,
    at: &Station<'_>,
    t: Tokens<'_>,
    people: &People,
    vehicle: &str,
    tag: &str,
) -> String {
    let rid = |step: &str| format!("e2e-costs-{tag}-{step}");
    let ro = repair_orders(channel, Some(t.staff))
        .create_repair_order(pb::CreateRepairOrderRequest {
            repair_order: Some(pb::RepairOrder {
                station_id: at.station_id.into(),
                vehicle_id: vehicle.into(),
                advisor_id: people.advisor.clone(),
                r#type: pb::RepairOrderType::Warranty as i32,
                promise_time: years_ago(-1),
                estimate: eur(0),
                mileage_km: 31_500,
                ..Default::default()
            }),
            request_id: rid("open"),
            ..Default::default()
        })
        .await
        .answer();
    fit_the_pump(channel, at, t, people, &ro.id, tag).await;
    ro.id
}

/// The warranty RO `id`, open at `at`: the pump fitted in 1.4 h (reserved
/// as its line is added), the RO completed and the pump issued in parts.
pub(crate) async fn fit_the_pump(
    channel: &tonic::transport::Channel,
    at: &Station<'_>,
    t: Tokens<'_>,
    people: &People,
    id: &str,
    tag: &str,
) {
    let rid = |step: &str| format!("e2e-costs-{tag}-{step}");
    let id = id.to_owned();
    let mut ros = repair_orders(channel, Some(t.staff));
    ros.add_labour_line(pb::AddLabourLineRequest {
        repair_order_id: id.clone(),
        operation_code: OPERATION.into(),
        technician_id: people.technician.clone(),
        request_id: rid("labour"),
        ..Default::default()
    })
    .await
    .answer();
    let with_pump = ros
        .add_parts_line(pb::AddPartsLineRequest {
            repair_order_id: id.clone(),
            part_number: PART.into(),
            quantity: 1,
            request_id: rid("part-line"),
            ..Default::default()
        })
        .await
        .answer();
    assert_eq!(
        with_pump.parts_lines[0].state,
        pb::PartsLineState::Reserved as i32
    );
    ros.start_repair_order(pb::StartRepairOrderRequest {
        id: id.clone(),
        request_id: rid("start"),
        ..Default::default()
    })
    .await
    .answer();
    ros.record_labour_time(pb::RecordLabourTimeRequest {
        repair_order_id: id.clone(),
        line_number: 1,
        actual_centihours: 140,
        technician_id: people.technician.clone(),
        request_id: rid("time"),
        ..Default::default()
    })
    .await
    .answer();
    ros.complete_repair_order(pb::CompleteRepairOrderRequest {
        id: id.clone(),
        request_id: rid("complete"),
        ..Default::default()
    })
    .await
    .answer();
    let reservation = parts_pb::GetReservationRequest {
        warehouse_id: at.warehouse_id.into(),
        repair_order_id: id.clone(),
        line_number: 1,
    };
    eventually("the relay issues the pump", || {
        let mut store = stock(channel, Some(t.staff));
        let reservation = reservation.clone();
        async move {
            let r = store.get_reservation(reservation).await.answer();
            r.state == ReservationState::Issued as i32
        }
    })
    .await;
}

/// Delivers RO `id`: the customer pays nothing for warranty work.
async fn deliver(channel: &tonic::transport::Channel, t: Tokens<'_>, id: &str) {
    deliver_billed(channel, t, id, 0).await;
}

/// Delivers RO `id`, the customer billed `bill` (minor units) for what the
/// warranty does not cover.
pub(crate) async fn deliver_billed(
    channel: &tonic::transport::Channel,
    t: Tokens<'_>,
    id: &str,
    bill: i64,
) {
    let rid = |step: &str| format!("e2e-costs-{id}-{step}");
    repair_orders(channel, Some(t.staff))
        .deliver_repair_order(pb::DeliverRepairOrderRequest {
            id: id.into(),
            final_bill: eur(bill),
            handover: vec![pb::HandoverItem {
                item: "warranty repair explained".into(),
                done: true,
            }],
            request_id: rid("deliver"),
            ..Default::default()
        })
        .await
        .answer();
}

/// The regular's second van in for the same repair, completed with its
/// pump issued, not yet delivered. Its id.
pub(crate) async fn second_repair(
    channel: &tonic::transport::Channel,
    at: &Station<'_>,
    t: Tokens<'_>,
    regular: &People,
) -> String {
    let van = vehicle(channel, t, &regular.customer, "WAUZZZ8V8KA123458").await;
    repair(channel, at, t, regular, &van, "second").await
}

/// With parts stopped, RO `id` is delivered: its claim is drafted all the
/// same, the checks that read parts UNAVAILABLE (never a pass), and it
/// cannot be submitted; its cost waits for parts' prices.
pub(crate) async fn delivered_with_parts_stopped(
    channel: &tonic::transport::Channel,
    t: Tokens<'_>,
    id: &str,
) {
    deliver(channel, t, id).await;
    let claim_id = format!("WC-{id}");
    let mut claims = WarrantyClaimServiceClient::new(authed(channel, Some(t.staff)));
    let claim = eventually("costs drafts the claim with parts stopped", || {
        let mut claims = claims.clone();
        let request = costs_pb::GetWarrantyClaimRequest {
            id: claim_id.clone(),
        };
        async move { claims.get_warranty_claim(request).await.ok() }
    })
    .await
    .into_inner();
    let ledger = claim
        .checks
        .iter()
        .find(|c| c.name == "part_issued_on_repair_order")
        .expect("the ledger check ran");
    assert_eq!(
        ledger.result,
        costs_pb::CheckResult::Unavailable as i32,
        "{ledger:?}"
    );
    claims
        .submit_warranty_claim(costs_pb::SubmitWarrantyClaimRequest {
            id: claim_id.clone(),
            request_id: format!("e2e-costs-{id}-submit-early"),
            ..Default::default()
        })
        .await
        .refused(Code::FailedPrecondition);
    let cost = RepairOrderCostServiceClient::new(authed(channel, Some(t.staff)))
        .get_repair_order_cost(costs_pb::GetRepairOrderCostRequest {
            repair_order_id: id.into(),
        })
        .await
        .code();
    assert_eq!(cost, Code::NotFound, "costed without parts' prices");
}

/// With parts back, the claim of RO `id` checked again passes and is
/// submitted, and the RO's cost is recorded.
pub(crate) async fn checked_again_with_parts_back(
    channel: &tonic::transport::Channel,
    t: Tokens<'_>,
    id: &str,
) {
    let claim_id = format!("WC-{id}");
    let mut claims = WarrantyClaimServiceClient::new(authed(channel, Some(t.staff)));
    let claim = claims
        .rerun_warranty_claim_checks(costs_pb::RerunWarrantyClaimChecksRequest {
            id: claim_id.clone(),
            request_id: format!("e2e-costs-{id}-rerun"),
            ..Default::default()
        })
        .await
        .answer();
    let failed: Vec<_> = claim
        .checks
        .iter()
        .filter(|c| c.result != costs_pb::CheckResult::Passed as i32)
        .collect();
    assert!(failed.is_empty(), "{failed:?}");
    let submitted = claims
        .submit_warranty_claim(costs_pb::SubmitWarrantyClaimRequest {
            id: claim_id,
            request_id: format!("e2e-costs-{id}-submit"),
            ..Default::default()
        })
        .await
        .answer();
    assert_eq!(submitted.state, costs_pb::ClaimState::Submitted as i32);
    eventually("costs records the RO's cost once parts answers", || {
        let mut costs = RepairOrderCostServiceClient::new(authed(channel, Some(t.staff)));
        let request = costs_pb::GetRepairOrderCostRequest {
            repair_order_id: id.into(),
        };
        async move { costs.get_repair_order_cost(request).await.ok() }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_warranty_journey_in_the_embedded_mode() {
    let system = crate::support::system::EmbeddedSystem::start().await;
    let channel = crate::support::clients::connect(system.addr).await;
    let oem = system.token(&["--role", "oem"]);
    let staff = system.token(&["--role", "dealer", "--dealer", "lakeside-auto"]);
    let other = system.token(&["--role", "dealer", "--dealer", "harbour-motors"]);
    stock(&channel, Some(&oem))
        .create_warehouse(parts_pb::CreateWarehouseRequest {
            warehouse: Some(parts_pb::Warehouse {
                warehouse_id: "la-konstanz-wh".into(),
                display_name: "Parts store".into(),
                kind: parts_pb::WarehouseKind::Dealer as i32,
                region_id: "south".into(),
                dealer_id: "lakeside-auto".into(),
                station_id: "la-konstanz".into(),
                station_class: parts_pb::StationClass::Full as i32,
                lead_time_days: 1,
                ..Default::default()
            }),
            request_id: "e2e-costs-warehouse".into(),
        })
        .await
        .answer();
    let dealers_db = Db::connect(
        &format!(
            "sqlite://{}?mode=rwc",
            system.data_dir().join("dealers.db").display()
        ),
        1,
    )
    .await
    .expect("the dealers database opens");
    journey(
        &channel,
        Station {
            region_id: "south",
            dealer_id: "lakeside-auto",
            station_id: "la-konstanz",
            warehouse_id: "la-konstanz-wh",
            open_store: false,
        },
        Tokens {
            oem: &oem,
            staff: &staff,
            other: &other,
        },
        &dealers_db,
    )
    .await;
    dealers_db.close().await;
    system.stop().await;
}
