//! Warranty claims through gRPC, on both stores, against the real parts
//! and dealers services: a small network every test builds afresh.
//!
//! ```text
//! region north ─┬─ d1 ─ s1 (technician t1, HV-2 until 2027-01-31)
//!               └─ d2 ─ s2
//! region south ─── d9 ─ s9
//! ```
//! Parts PAD-1 (45.50) and DISC-1 (120.00), both warranty eligible, and
//! BRAKE-REPLACE (1.5 h, needs HV-2); d1's warehouse d1-wh holds them. The
//! warranty labour rate is 80.00 an hour; VAN-E1 has 36 months / 100,000
//! km. A warranty RO `ro-N` arrives on 2026-11-10: two PAD-1 (line 1), one
//! DISC-1 (line 2), and BRAKE-REPLACE by t1 (1.4 h of 1.5): 331.00.

mod access;
mod bad_input;
mod budget;
mod checks;
mod flow;
mod metrics;

use aftercare_proto::{
    common::v1::Money,
    costs::v1::{self as pb, warranty_claim_service_client::WarrantyClaimServiceClient},
    dealers::v1 as dealers_pb,
    google::r#type::Date,
    parts::v1 as parts_pb,
};
pub(crate) use aftercare_test_support::{Outcome, Signed, both};
use prost_types::Timestamp;
use time::{OffsetDateTime, macros::datetime};
pub(crate) use tonic::Code;

pub(crate) use crate::support::{self, Harness, who};

/// The RO's arrival and delivery.
const ARRIVAL: OffsetDateTime = datetime!(2026-11-10 08:00 UTC);
const DELIVERY: OffsetDateTime = datetime!(2026-11-10 16:00 UTC);
/// When the claims are approved in the budget tests: December 2026.
pub(crate) const DECEMBER: OffsetDateTime = datetime!(2026-12-15 10:00 UTC);

pub(crate) fn rid() -> String {
    uuid::Uuid::new_v4().to_string()
}

pub(crate) fn eur(minor_units: i64) -> Option<Money> {
    Some(Money {
        currency_code: "EUR".into(),
        minor_units,
    })
}

fn ts(t: OffsetDateTime) -> Option<Timestamp> {
    Some(Timestamp {
        seconds: t.unix_timestamp(),
        nanos: 0,
    })
}

fn date(year: i32, month: i32, day: i32) -> Option<Date> {
    Some(Date { year, month, day })
}

pub(crate) fn claims(
    h: &Harness,
    p: aftercare_auth::Principal,
) -> WarrantyClaimServiceClient<Signed> {
    WarrantyClaimServiceClient::new(h.signed(p))
}

/// The network, the catalogue, d1's stock and costs' rates and terms.
pub(crate) async fn world(h: &Harness) {
    h.build_network(&[
        ("s1", "d1", "north"),
        ("s2", "d2", "north"),
        ("s9", "d9", "south"),
    ])
    .await;
    let mut net = h.network();
    net.create_staff_member(dealers_pb::CreateStaffMemberRequest {
        staff_member: Some(dealers_pb::StaffMember {
            station_id: "s1".into(),
            display_name: "Tess Technician".into(),
            position: dealers_pb::StaffPosition::Technician as i32,
            certifications: vec![dealers_pb::Certification {
                kind: "HV-2".into(),
                expire_date: date(2027, 1, 31),
            }],
            ..Default::default()
        }),
        staff_member_id: "t1".into(),
        request_id: rid(),
    })
    .await
    .answer();

    let mut catalogue = h.parts_catalogue();
    for (part, price) in [("PAD-1", 4_550), ("DISC-1", 12_000)] {
        catalogue
            .create_part(parts_pb::CreatePartRequest {
                part: Some(parts_pb::Part {
                    part_number: part.into(),
                    display_name: format!("Part {part}"),
                    category: "BRAKES".into(),
                    list_price: eur(price),
                    cost: eur(price / 2),
                    warranty_eligible: true,
                    ..Default::default()
                }),
                request_id: rid(),
            })
            .await
            .answer();
        // In force since the start of the year, so at the RO's arrival.
        catalogue
            .schedule_price_change(parts_pb::SchedulePriceChangeRequest {
                part_number: part.into(),
                effective_time: ts(datetime!(2026-01-01 00:00 UTC)),
                list_price: eur(price),
                cost: eur(price / 2),
                request_id: rid(),
            })
            .await
            .answer();
    }
    h.parts_labour()
        .create_labour_operation(parts_pb::CreateLabourOperationRequest {
            labour_operation: Some(parts_pb::LabourOperation {
                operation_code: "BRAKE-REPLACE".into(),
                display_name: "Replace brakes".into(),
                standard_centihours: 150,
                required_certification: "HV-2".into(),
                price: eur(15_000),
                ..Default::default()
            }),
            request_id: rid(),
        })
        .await
        .answer();
    let stock = h.parts_stock(who::oem());
    stock
        .clone()
        .create_warehouse(parts_pb::CreateWarehouseRequest {
            warehouse: Some(parts_pb::Warehouse {
                warehouse_id: "d1-wh".into(),
                display_name: "d1's warehouse".into(),
                kind: parts_pb::WarehouseKind::Dealer as i32,
                region_id: "north".into(),
                dealer_id: "d1".into(),
                ..Default::default()
            }),
            request_id: rid(),
        })
        .await
        .answer();
    let d1 = h.parts_stock(who::dealer("d1"));
    for part in ["PAD-1", "DISC-1"] {
        d1.clone()
            .receive_stock(parts_pb::ReceiveStockRequest {
                warehouse_id: "d1-wh".into(),
                part_number: part.into(),
                quantity: 100,
                request_id: rid(),
                ..Default::default()
            })
            .await
            .answer();
    }

    let db = h.db.pool();
    sqlx::query(
        "INSERT INTO warranty_labour_rates (effective_time, hourly_rate, create_time) \
         VALUES (0, 8000, 0)",
    )
    .execute(db)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO warranty_terms (model, effective_date, months, kilometres, create_time) \
         VALUES ('VAN-E1', '2000-01-01', 36, 100000, 0)",
    )
    .execute(db)
    .await
    .unwrap();
}

/// Reserves and issues `part` × `quantity` for line `line` of `ro` at d1's
/// warehouse, as the dealers relay does when the RO is completed.
pub(crate) async fn issue(h: &Harness, ro: &str, line: i32, part: &str, quantity: i64) {
    let relay = h.parts_stock(who::dealers_relay("d1"));
    relay
        .clone()
        .reserve_stock(parts_pb::ReserveStockRequest {
            warehouse_id: "d1-wh".into(),
            part_number: part.into(),
            quantity,
            repair_order_id: ro.into(),
            line_number: line,
            request_id: rid(),
            ..Default::default()
        })
        .await
        .answer();
    relay
        .clone()
        .issue_reservation(parts_pb::IssueReservationRequest {
            warehouse_id: "d1-wh".into(),
            repair_order_id: ro.into(),
            line_number: line,
            request_id: rid(),
        })
        .await
        .answer();
}

/// The delivered warranty RO `ro` of d1's s1 for vehicle number `n` (each
/// its own VIN), as dealers tells costs.
pub(crate) fn delivered(ro: &str, n: u32) -> dealers_pb::RepairOrderDelivered {
    let parts_line = |line_number, part: &str, quantity| dealers_pb::PartsLine {
        line_number,
        part_number: part.into(),
        quantity,
        state: dealers_pb::PartsLineState::Issued as i32,
        ..Default::default()
    };
    dealers_pb::RepairOrderDelivered {
        repair_order: Some(dealers_pb::RepairOrder {
            id: ro.into(),
            station_id: "s1".into(),
            dealer_id: "d1".into(),
            vehicle_id: format!("v{n}"),
            r#type: dealers_pb::RepairOrderType::Warranty as i32,
            arrival_time: ts(ARRIVAL),
            mileage_km: 42_000,
            status: dealers_pb::RepairOrderStatus::Delivered as i32,
            labour_lines: vec![dealers_pb::LabourLine {
                line_number: 1,
                operation_code: "BRAKE-REPLACE".into(),
                standard_centihours: 150,
                actual_centihours: 140,
                technician_id: "t1".into(),
                ..Default::default()
            }],
            parts_lines: vec![parts_line(1, "PAD-1", 2), parts_line(2, "DISC-1", 1)],
            history: vec![dealers_pb::StatusChange {
                status: dealers_pb::RepairOrderStatus::Delivered as i32,
                time: ts(DELIVERY),
                actor: "advisor".into(),
            }],
            final_bill: eur(0),
            ..Default::default()
        }),
        region_id: "north".into(),
        dealer_name: "Dealer d1".into(),
        station_name: "Station s1".into(),
        vehicle: Some(dealers_pb::Vehicle {
            id: format!("v{n}"),
            vin: format!("WVWZZZ1JZXW{n:06}"),
            model: "VAN-E1".into(),
            warranty_start_date: date(2025, 3, 1),
            ..Default::default()
        }),
        locale: String::new(),
    }
}

/// Delivers `event` as event `event_id` through the dealers relay.
pub(crate) async fn receive(
    h: &Harness,
    event: dealers_pb::RepairOrderDelivered,
    event_id: &str,
) -> Result<tonic::Response<pb::WarrantyClaim>, tonic::Status> {
    h.events(who::dealers_relay("d1"))
        .receive_warranty_repair_order_delivered(pb::ReceiveWarrantyRepairOrderDeliveredRequest {
            event: Some(event),
            request_id: event_id.into(),
        })
        .await
}

/// RO `ro` issued in parts and delivered: its claim as drafted.
pub(crate) async fn drafted(h: &Harness, ro: &str, n: u32) -> pb::WarrantyClaim {
    issue(h, ro, 1, "PAD-1", 2).await;
    issue(h, ro, 2, "DISC-1", 1).await;
    receive(h, delivered(ro, n), &rid()).await.answer()
}

/// [`drafted`], then submitted by d1's DMS.
pub(crate) async fn submitted(h: &Harness, ro: &str, n: u32) -> pb::WarrantyClaim {
    let claim = drafted(h, ro, n).await;
    claims(h, who::dms("d1"))
        .submit_warranty_claim(pb::SubmitWarrantyClaimRequest {
            id: claim.id,
            etag: String::new(),
            request_id: rid(),
        })
        .await
        .answer()
}

/// The results of a claim's checks: (name, line, result).
pub(crate) fn results(c: &pb::WarrantyClaim) -> Vec<(String, i32, pb::CheckResult)> {
    c.checks
        .iter()
        .map(|k| {
            (
                k.name.clone(),
                k.line_number,
                pb::CheckResult::try_from(k.result).unwrap(),
            )
        })
        .collect()
}

pub(crate) fn approve(
    id: &str,
    decisions: Vec<pb::LineDecision>,
) -> pb::ApproveWarrantyClaimRequest {
    pb::ApproveWarrantyClaimRequest {
        id: id.into(),
        line_decisions: decisions,
        etag: String::new(),
        request_id: rid(),
    }
}

/// A tally of costs, read from its table.
pub(crate) async fn tally(h: &Harness, level: &str, id: &str, period: &str, measure: &str) -> i64 {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT amount FROM tallies WHERE scope_level = $1 AND scope_id = $2 AND period = $3 \
         AND measure = $4",
    )
    .bind(level)
    .bind(id)
    .bind(period)
    .bind(measure)
    .fetch_optional(h.db.pool())
    .await
    .unwrap();
    row.map_or(0, |(a,)| a)
}
