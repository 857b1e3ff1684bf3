//! Values and set-ups of the repair-order cost, rate and pricing tests: a
//! small network in dealers, parts with their cost history, rates, and
//! delivered-RO events as the dealers relay sends them.

use aftercare_proto::{
    common::v1::{Money, Period, PeriodKind},
    costs::v1 as pb,
    dealers::v1 as dealers_pb,
    google::r#type::Date,
    parts::v1 as parts_pb,
};
use aftercare_test_support::Outcome;
use prost_types::Timestamp;
use time::{Month, OffsetDateTime, macros::datetime};

use crate::support::{Harness, who};

pub(crate) fn rid() -> String {
    uuid::Uuid::now_v7().to_string()
}

pub(crate) fn eur(minor_units: i64) -> Option<Money> {
    Some(Money {
        currency_code: "EUR".into(),
        minor_units,
    })
}

/// The minor units of an answer's money.
pub(crate) fn units(m: &Option<Money>) -> i64 {
    m.as_ref().expect("an amount").minor_units
}

pub(crate) fn ts(t: OffsetDateTime) -> Option<Timestamp> {
    Some(Timestamp {
        seconds: t.unix_timestamp(),
        nanos: 0,
    })
}

pub(crate) fn month(year: i32, number: i32) -> Option<Period> {
    Some(Period {
        kind: PeriodKind::Month as i32,
        year,
        number,
    })
}

pub(crate) fn quarter(year: i32, number: i32) -> Option<Period> {
    Some(Period {
        kind: PeriodKind::Quarter as i32,
        year,
        number,
    })
}

pub(crate) fn year(year: i32) -> Option<Period> {
    Some(Period {
        kind: PeriodKind::Year as i32,
        year,
        number: 0,
    })
}

pub(crate) fn date(year: i32, month: Month, day: u8) -> Option<Date> {
    Some(Date {
        year,
        month: i32::from(u8::from(month)),
        day: i32::from(day),
    })
}

pub(crate) fn scope(level: pb::ScopeLevel, id: &str) -> Option<pb::CostScope> {
    Some(pb::CostScope {
        level: level as i32,
        id: id.into(),
    })
}

/// Regions r1 and r2; dealers d1 (r1, stations s1 and s2), d2 (r2, station
/// s3) and d3 (r1, station s4), in the dealers service.
pub(crate) async fn network(h: &Harness) {
    h.build_network(&[
        ("s1", "d1", "r1"),
        ("s2", "d1", "r1"),
        ("s3", "d2", "r2"),
        ("s4", "d3", "r1"),
    ])
    .await;
}

/// Part `number` in the parts catalogue, costing each `(from, cost)` from
/// its time on.
pub(crate) async fn part(h: &Harness, number: &str, costs: &[(OffsetDateTime, i64)]) {
    let mut c = h.parts_catalogue();
    c.create_part(parts_pb::CreatePartRequest {
        part: Some(parts_pb::Part {
            part_number: number.into(),
            display_name: format!("Part {number}"),
            category: "BRAKES".into(),
            list_price: eur(99_000),
            cost: eur(50_000),
            warranty_eligible: true,
            ..Default::default()
        }),
        request_id: rid(),
    })
    .await
    .answer();
    for (from, cost) in costs {
        c.schedule_price_change(parts_pb::SchedulePriceChangeRequest {
            part_number: number.into(),
            effective_time: ts(*from),
            list_price: eur(cost * 2),
            cost: eur(*cost),
            request_id: rid(),
        })
        .await
        .answer();
    }
}

/// A labour operation of `centihours` in the parts catalogue.
pub(crate) async fn operation(h: &Harness, code: &str, centihours: i32) {
    h.parts_labour()
        .create_labour_operation(parts_pb::CreateLabourOperationRequest {
            labour_operation: Some(parts_pb::LabourOperation {
                operation_code: code.into(),
                display_name: format!("Operation {code}"),
                standard_centihours: centihours,
                price: eur(4_500),
                ..Default::default()
            }),
            request_id: rid(),
        })
        .await
        .answer();
}

/// Station `station` (empty: the network default) costs `hourly` an hour
/// from `from`.
pub(crate) async fn rate(h: &Harness, station: &str, from: OffsetDateTime, hourly: i64) {
    h.rates(who::oem())
        .set_labour_cost_rate(pb::SetLabourCostRateRequest {
            rate: Some(pb::LabourCostRate {
                station_id: station.into(),
                effective_time: ts(from),
                hourly_cost: eur(hourly),
                create_time: None,
            }),
            request_id: rid(),
        })
        .await
        .answer();
}

/// Where an RO was done.
#[derive(Debug, Clone, Copy)]
pub(crate) struct At {
    pub(crate) station: &'static str,
    pub(crate) dealer: &'static str,
    pub(crate) region: &'static str,
}

pub(crate) const S1: At = At {
    station: "s1",
    dealer: "d1",
    region: "r1",
};
pub(crate) const S2: At = At {
    station: "s2",
    dealer: "d1",
    region: "r1",
};
pub(crate) const S3: At = At {
    station: "s3",
    dealer: "d2",
    region: "r2",
};

/// A delivered RO as the dealers service tells of it.
#[derive(Debug, Clone)]
pub(crate) struct Ro {
    pub(crate) id: &'static str,
    pub(crate) at: At,
    pub(crate) order_type: dealers_pb::RepairOrderType,
    pub(crate) comeback: bool,
    pub(crate) arrival: OffsetDateTime,
    pub(crate) delivery: OffsetDateTime,
    /// (operation, standard, actual) centihours.
    pub(crate) labour: Vec<(&'static str, i32, i32)>,
    /// (part, quantity), issued.
    pub(crate) parts: Vec<(&'static str, i64)>,
    pub(crate) bill: i64,
}

impl Ro {
    /// A repair at S1 arriving at `arrival` and delivered six hours later:
    /// 1.5 h of brake pads (1.75 h worked), two pads, billed 300.00.
    pub(crate) fn new(id: &'static str, arrival: OffsetDateTime) -> Self {
        Self {
            id,
            at: S1,
            order_type: dealers_pb::RepairOrderType::Repair,
            comeback: false,
            arrival,
            delivery: arrival + time::Duration::hours(6),
            labour: vec![("BRAKE-PADS", 150, 175)],
            parts: vec![("PAD-1", 2)],
            bill: 30_000,
        }
    }

    pub(crate) fn event(&self) -> dealers_pb::RepairOrderDelivered {
        let delivered = dealers_pb::StatusChange {
            status: dealers_pb::RepairOrderStatus::Delivered as i32,
            time: ts(self.delivery),
            ..Default::default()
        };
        dealers_pb::RepairOrderDelivered {
            repair_order: Some(dealers_pb::RepairOrder {
                id: self.id.into(),
                station_id: self.at.station.into(),
                dealer_id: self.at.dealer.into(),
                vehicle_id: "v1".into(),
                r#type: self.order_type as i32,
                arrival_time: ts(self.arrival),
                status: dealers_pb::RepairOrderStatus::Delivered as i32,
                labour_lines: self
                    .labour
                    .iter()
                    .enumerate()
                    .map(|(i, (op, standard, actual))| dealers_pb::LabourLine {
                        line_number: i as i32 + 1,
                        operation_code: (*op).into(),
                        standard_centihours: *standard,
                        actual_centihours: *actual,
                        technician_id: "t1".into(),
                        ..Default::default()
                    })
                    .collect(),
                parts_lines: self
                    .parts
                    .iter()
                    .enumerate()
                    .map(|(i, (part, quantity))| dealers_pb::PartsLine {
                        line_number: i as i32 + 1,
                        part_number: (*part).into(),
                        quantity: *quantity,
                        state: dealers_pb::PartsLineState::Issued as i32,
                        ..Default::default()
                    })
                    .collect(),
                history: vec![delivered],
                comeback: self.comeback,
                final_bill: eur(self.bill),
                ..Default::default()
            }),
            region_id: self.at.region.into(),
            dealer_name: format!("Dealer {}", self.at.dealer),
            station_name: format!("Station {}", self.at.station),
            vehicle: None,
            locale: String::new(),
        }
    }

    pub(crate) fn request(&self, event_id: &str) -> pb::ReceiveRepairOrderDeliveredRequest {
        pb::ReceiveRepairOrderDeliveredRequest {
            event: Some(self.event()),
            request_id: event_id.into(),
        }
    }

    /// Delivered by the dealers relay, with a fresh event id.
    pub(crate) async fn deliver(&self, h: &Harness) -> pb::RepairOrderCost {
        h.events(who::dealers_relay(self.at.dealer))
            .receive_repair_order_delivered(self.request(&rid()))
            .await
            .answer()
    }
}

/// 10 February 2026, 09:00 UTC, and so on.
pub(crate) const FEB_10: OffsetDateTime = datetime!(2026-02-10 09:00 UTC);
pub(crate) const JAN_1: OffsetDateTime = datetime!(2026-01-01 00:00 UTC);
pub(crate) const MAR_1: OffsetDateTime = datetime!(2026-03-01 00:00 UTC);
