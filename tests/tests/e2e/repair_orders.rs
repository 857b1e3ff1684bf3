//! The repair-order journey through the gateway, the same in both modes:
//! the station's staff open an RO, add work and a part (reserved in parts
//! at once), carry it to delivery, and the parts ledger shows the part
//! issued once, by the dealers service's outbox relay. Another dealer sees
//! none of it. The costs service then holds the RO's cost, told by the
//! same relay.

use aftercare_proto::{
    common::v1::Money,
    dealers::v1 as pb,
    parts::v1::{self as parts_pb, ReservationState},
};
use aftercare_test_support::eventually;
use tonic::Code;

use crate::support::clients::{
    Outcome, cost_rates, dealers, labour, parts, repair_order_costs, repair_orders, standards,
    stock,
};

/// Where the journey happens.
#[derive(Clone, Copy)]
pub(crate) struct Station<'a> {
    pub(crate) region_id: &'a str,
    pub(crate) dealer_id: &'a str,
    pub(crate) station_id: &'a str,
    /// The station's store in parts.
    pub(crate) warehouse_id: &'a str,
    /// Whether the store is still to be opened.
    pub(crate) open_store: bool,
}

/// The demo network's ac-munich (alpine-cars, south), its store still to
/// be opened: where the embedded journeys happen.
pub(crate) const AC_MUNICH: Station<'static> = Station {
    region_id: "south",
    dealer_id: "alpine-cars",
    station_id: "ac-munich",
    warehouse_id: "ac-munich-wh",
    open_store: true,
};

/// The tokens of the journey's callers.
#[derive(Clone, Copy)]
pub(crate) struct Tokens<'a> {
    pub(crate) oem: &'a str,
    /// The station's dealer's staff.
    pub(crate) staff: &'a str,
    /// Another dealer's staff.
    pub(crate) other: &'a str,
}

fn eur(minor_units: i64) -> Option<Money> {
    Some(Money {
        currency_code: "EUR".into(),
        minor_units,
    })
}

fn in_hours(hours: i64) -> Option<prost_types::Timestamp> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64;
    Some(prost_types::Timestamp {
        seconds: now + hours * 3600,
        nanos: 0,
    })
}

/// A station's service advisor and technician, and a customer of its
/// dealer served by the advisor.
pub(crate) struct People {
    pub(crate) advisor: String,
    pub(crate) technician: String,
    pub(crate) customer: String,
}

/// Head office adds the advisor, the technician and the customer `names`
/// at `at`; `tag` keeps their request ids apart from another journey's.
pub(crate) async fn people(
    channel: &tonic::transport::Channel,
    at: &Station<'_>,
    oem: &str,
    tag: &str,
    [advisor, technician, customer]: [&str; 3],
) -> People {
    let mut network = dealers(channel, Some(oem));
    let staff = |name: &str, position: pb::StaffPosition| pb::CreateStaffMemberRequest {
        staff_member: Some(pb::StaffMember {
            station_id: at.station_id.into(),
            display_name: name.into(),
            position: position as i32,
            ..Default::default()
        }),
        request_id: format!("e2e-{tag}-staff-{}", position as i32),
        ..Default::default()
    };
    let advisor = network
        .create_staff_member(staff(advisor, pb::StaffPosition::ServiceAdvisor))
        .await
        .answer()
        .id;
    let technician = network
        .create_staff_member(staff(technician, pb::StaffPosition::Technician))
        .await
        .answer()
        .id;
    let customer = network
        .create_customer(pb::CreateCustomerRequest {
            customer: Some(pb::Customer {
                dealer_id: at.dealer_id.into(),
                display_name: customer.into(),
                advisor_id: advisor.clone(),
                ..Default::default()
            }),
            request_id: format!("e2e-{tag}-customer"),
            ..Default::default()
        })
        .await
        .answer()
        .id;
    People {
        advisor,
        technician,
        customer,
    }
}

/// The journey; answers the id of the RO delivered.
pub(crate) async fn journey(
    channel: &tonic::transport::Channel,
    at: Station<'_>,
    t: Tokens<'_>,
) -> String {
    // Head office: an advisor, a technician, a customer with a vehicle; a
    // part and a labour operation in the catalogue; the station's store.
    let people = people(
        channel,
        &at,
        t.oem,
        "ro",
        ["Rita Advisor", "Theo Technician", "Rosa Customer"],
    )
    .await;
    let vehicle = dealers(channel, Some(t.oem))
        .create_vehicle(pb::CreateVehicleRequest {
            vehicle: Some(pb::Vehicle {
                vin: "WAUZZZ8V5KA987651".into(),
                customer_id: people.customer.clone(),
                model: "VAN-E1".into(),
                mileage_km: 21_000,
                ..Default::default()
            }),
            request_id: "e2e-ro-vehicle".into(),
            ..Default::default()
        })
        .await
        .answer();
    parts(channel, Some(t.oem))
        .create_part(parts_pb::CreatePartRequest {
            part: Some(parts_pb::Part {
                part_number: "WIPER-BLADE-2".into(),
                display_name: "Wiper blade".into(),
                category: "BODY".into(),
                list_price: eur(2_490),
                cost: eur(1_100),
                ..Default::default()
            }),
            request_id: "e2e-ro-part".into(),
        })
        .await
        .answer();
    labour(channel, Some(t.oem))
        .create_labour_operation(parts_pb::CreateLabourOperationRequest {
            labour_operation: Some(parts_pb::LabourOperation {
                operation_code: "WIPERS".into(),
                display_name: "Replace wiper blades".into(),
                standard_centihours: 20,
                price: eur(1_800),
                ..Default::default()
            }),
            request_id: "e2e-ro-op".into(),
        })
        .await
        .answer();
    if at.open_store {
        stock(channel, Some(t.oem))
            .create_warehouse(parts_pb::CreateWarehouseRequest {
                warehouse: Some(parts_pb::Warehouse {
                    warehouse_id: at.warehouse_id.into(),
                    display_name: "Parts store".into(),
                    kind: parts_pb::WarehouseKind::Dealer as i32,
                    region_id: at.region_id.into(),
                    dealer_id: at.dealer_id.into(),
                    station_id: at.station_id.into(),
                    station_class: parts_pb::StationClass::Full as i32,
                    lead_time_days: 1,
                    ..Default::default()
                }),
                request_id: "e2e-ro-warehouse".into(),
            })
            .await
            .answer();
    }
    let mut store = stock(channel, Some(t.staff));
    store
        .receive_stock(parts_pb::ReceiveStockRequest {
            warehouse_id: at.warehouse_id.into(),
            part_number: "WIPER-BLADE-2".into(),
            quantity: 5,
            request_id: "e2e-ro-receive".into(),
            ..Default::default()
        })
        .await
        .answer();

    // The station's staff: open, add work and a part, carry to delivery.
    let mut ros = repair_orders(channel, Some(t.staff));
    let ro = ros
        .create_repair_order(pb::CreateRepairOrderRequest {
            repair_order: Some(pb::RepairOrder {
                station_id: at.station_id.into(),
                vehicle_id: vehicle.id.clone(),
                advisor_id: people.advisor.clone(),
                r#type: pb::RepairOrderType::Repair as i32,
                promise_time: in_hours(3),
                estimate: eur(9_000),
                mileage_km: 21_400,
                ..Default::default()
            }),
            request_id: "e2e-ro-open".into(),
            ..Default::default()
        })
        .await
        .answer();
    let id = ro.id.clone();
    ros.add_labour_line(pb::AddLabourLineRequest {
        repair_order_id: id.clone(),
        operation_code: "WIPERS".into(),
        technician_id: people.technician.clone(),
        request_id: "e2e-ro-labour".into(),
        ..Default::default()
    })
    .await
    .answer();
    let with_part = ros
        .add_parts_line(pb::AddPartsLineRequest {
            repair_order_id: id.clone(),
            part_number: "WIPER-BLADE-2".into(),
            quantity: 2,
            request_id: "e2e-ro-part-line".into(),
            ..Default::default()
        })
        .await
        .answer();
    assert_eq!(
        with_part.parts_lines[0].state,
        pb::PartsLineState::Reserved as i32
    );
    ros.start_repair_order(pb::StartRepairOrderRequest {
        id: id.clone(),
        request_id: "e2e-ro-start".into(),
        ..Default::default()
    })
    .await
    .answer();
    ros.complete_repair_order(pb::CompleteRepairOrderRequest {
        id: id.clone(),
        request_id: "e2e-ro-complete".into(),
        ..Default::default()
    })
    .await
    .answer();
    let delivered = ros
        .deliver_repair_order(pb::DeliverRepairOrderRequest {
            id: id.clone(),
            final_bill: eur(8_500),
            handover: vec![pb::HandoverItem {
                item: "work explained".into(),
                done: true,
            }],
            request_id: "e2e-ro-deliver".into(),
            ..Default::default()
        })
        .await
        .answer();
    assert_eq!(delivered.status, pb::RepairOrderStatus::Delivered as i32);

    // The relay issues the reservation in parts: 2 of 5 gone, once.
    let reservation = parts_pb::GetReservationRequest {
        warehouse_id: at.warehouse_id.into(),
        repair_order_id: id.clone(),
        line_number: 1,
    };
    eventually("the relay issues the reservation", || {
        let (mut store, reservation) = (store.clone(), reservation.clone());
        async move {
            let r = store.get_reservation(reservation).await.answer();
            r.state == ReservationState::Issued as i32
        }
    })
    .await;
    let level = store
        .get_stock_level(parts_pb::GetStockLevelRequest {
            warehouse_id: at.warehouse_id.into(),
            part_number: "WIPER-BLADE-2".into(),
        })
        .await
        .answer();
    assert_eq!((level.on_hand, level.reserved), (3, 0));

    // Head office then defines "delivered by the promised time", measured
    // since the start of the month: the station's month counts the RO, met.
    delivered_on_time_standard(channel, t.oem).await;
    let counts = this_months_compliance(channel, t.staff, at.station_id).await;
    assert_eq!((counts.met, counts.missed, counts.pending), (1, 0, 0));

    // Another dealer learns nothing of the RO.
    let code = repair_orders(channel, Some(t.other))
        .get_repair_order(pb::GetRepairOrderRequest { id: id.clone() })
        .await
        .code();
    assert_eq!(code, Code::NotFound);
    id
}

/// Head office defines the standard "delivered by the promised time", in
/// force since the start of this month, with a target of 90 %.
pub(crate) async fn delivered_on_time_standard(channel: &tonic::transport::Channel, oem: &str) {
    let month_start = time::OffsetDateTime::now_utc()
        .replace_day(1)
        .expect("day 1")
        .date()
        .midnight()
        .assume_utc();
    standards(channel, Some(oem))
        .create_service_standard(pb::CreateServiceStandardRequest {
            standard: Some(pb::ServiceStandard {
                code: "E2E-DELIVERED-ON-TIME".into(),
                display_name: "Delivered by the promised time".into(),
                from_moment: pb::StandardMoment::Promised as i32,
                to_moment: pb::StandardMoment::Delivered as i32,
                first_version: Some(pb::StandardVersion {
                    effective_time: Some(prost_types::Timestamp {
                        seconds: month_start.unix_timestamp(),
                        nanos: 0,
                    }),
                    threshold: Some(prost_types::Duration::default()),
                    target_basis_points: 9000,
                    ..Default::default()
                }),
                ..Default::default()
            }),
            request_id: "e2e-ro-standard".into(),
        })
        .await
        .answer();
}

/// The station's ROs of this month against [`delivered_on_time_standard`],
/// as the holder of `token` reads them.
pub(crate) async fn this_months_compliance(
    channel: &tonic::transport::Channel,
    token: &str,
    station_id: &str,
) -> pb::ComplianceCounts {
    let now = time::OffsetDateTime::now_utc();
    let compliance = standards(channel, Some(token))
        .get_standard_compliance(pb::GetStandardComplianceRequest {
            standard_code: "E2E-DELIVERED-ON-TIME".into(),
            period: Some(aftercare_proto::common::v1::Period {
                kind: aftercare_proto::common::v1::PeriodKind::Month as i32,
                year: now.year(),
                number: i32::from(u8::from(now.month())),
            }),
            scope: Some(pb::get_standard_compliance_request::Scope::StationId(
                station_id.into(),
            )),
        })
        .await
        .answer();
    compliance.results[0].counts.expect("counts")
}

/// Head office sets the network's labour cost rate, 36.00 an hour, in force
/// from an hour ago: before the journey's RO opens.
pub(crate) async fn network_rate(channel: &tonic::transport::Channel, oem: &str) {
    cost_rates(channel, Some(oem))
        .set_labour_cost_rate(aftercare_proto::costs::v1::SetLabourCostRateRequest {
            rate: Some(aftercare_proto::costs::v1::LabourCostRate {
                effective_time: in_hours(-1),
                hourly_cost: eur(3_600),
                ..Default::default()
            }),
            request_id: "e2e-ro-cost-rate".into(),
        })
        .await
        .answer();
}

/// What the delivered RO `id` cost, as the costs service recorded it from
/// the dealers relay's event: 0.2 standard hours (none recorded) at the
/// network's 36.00 an hour, and two blades at 11.00, against the 85.00
/// bill.
pub(crate) async fn its_cost(channel: &tonic::transport::Channel, id: &str, t: &Tokens<'_>) {
    let get = aftercare_proto::costs::v1::GetRepairOrderCostRequest {
        repair_order_id: id.into(),
    };
    let costs = repair_order_costs(channel, Some(t.staff));
    let cost = eventually("the relay tells costs of the delivery", || {
        let (mut costs, get) = (costs.clone(), get.clone());
        async move { costs.get_repair_order_cost(get).await.ok() }
    })
    .await
    .into_inner();
    let units = |m: &Option<Money>| m.as_ref().expect("an amount").minor_units;
    assert_eq!(units(&cost.labour_cost), 720);
    assert_eq!(units(&cost.parts_cost), 2_200);
    assert_eq!(units(&cost.margin), 8_500 - 2_920);
    assert_eq!(cost.margin_bp, Some(6_565));
    let code = repair_order_costs(channel, Some(t.other))
        .get_repair_order_cost(get)
        .await
        .code();
    assert_eq!(code, Code::NotFound);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_repair_order_journey_in_the_embedded_mode() {
    let system = crate::support::system::EmbeddedSystem::start().await;
    let channel = crate::support::clients::connect(system.addr).await;
    let oem = system.token(&["--role", "oem"]);
    let staff = system.token(&["--role", "dealer", "--dealer", "alpine-cars"]);
    let other = system.token(&["--role", "dealer", "--dealer", "harbour-motors"]);
    let at = AC_MUNICH;
    let tokens = Tokens {
        oem: &oem,
        staff: &staff,
        other: &other,
    };
    network_rate(&channel, &oem).await;
    let id = journey(&channel, at, tokens).await;
    its_cost(&channel, &id, &tokens).await;
    system.stop().await;
}
