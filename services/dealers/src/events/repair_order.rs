//! The repair order as the dealers contract tells it: in the answers of the
//! `RepairOrderService` and in the events other services receive.

use aftercare_proto::{
    common::v1::Money as PbMoney, dealers::v1 as pb, google::r#type::Date as PbDate,
};
use aftercare_values::Money;
use prost_types::Timestamp;
use time::{Date, OffsetDateTime};

use crate::domain::{
    orders::{LabourLine, PartsLine, PartsLineState, RepairOrder, StatusChange},
    repair_order::{OrderType, Status},
};

/// The RO as answered at `now` (which decides whether it is at risk).
pub(crate) fn repair_order(ro: RepairOrder, now: OffsetDateTime) -> pb::RepairOrder {
    let at_risk = ro.at_risk(now);
    let arrival_time = timestamp(ro.arrival_time());
    let o = ro.opening;
    pb::RepairOrder {
        id: ro.id.into_string(),
        station_id: o.station_id.into_string(),
        dealer_id: ro.dealer_id.into_string(),
        vehicle_id: o.vehicle_id.into_string(),
        advisor_id: o.advisor_id.into_string(),
        r#type: pb_order_type(o.order_type).into(),
        fast_lane: o.fast_lane,
        arrival_time,
        promise_time: timestamp(o.promise_time),
        estimate: Some(pb_money(o.estimate)),
        mileage_km: o.mileage_km,
        status: pb_status(ro.status).into(),
        labour_lines: ro.labour.into_iter().map(labour_line).collect(),
        parts_lines: ro.parts.into_iter().map(parts_line).collect(),
        history: ro.history.into_iter().map(status_change).collect(),
        comeback: ro.comeback_of.is_some(),
        comeback_of_repair_order_id: ro.comeback_of.map(|i| i.into_string()).unwrap_or_default(),
        at_risk,
        final_bill: ro.final_bill.map(pb_money),
        customer_approval: ro.approval.map(|a| pb::CustomerApproval {
            method: a.method,
            approve_time: timestamp(a.time),
        }),
        handover: ro
            .handover
            .into_iter()
            .map(|h| pb::HandoverItem {
                item: h.item,
                done: h.done,
            })
            .collect(),
        cancel_reason: ro.cancel_reason.unwrap_or_default(),
        call_back_time: ro.call_back_time.and_then(timestamp),
        appointment_id: ro
            .appointment_id
            .map(|i| i.into_string())
            .unwrap_or_default(),
        create_time: timestamp(ro.meta.create_time),
        update_time: timestamp(ro.meta.update_time),
        etag: ro.meta.etag(),
    }
}

fn labour_line(l: LabourLine) -> pb::LabourLine {
    pb::LabourLine {
        line_number: l.line_number,
        operation_code: l.operation_code,
        standard_centihours: l.standard_centihours,
        actual_centihours: l.actual_centihours,
        technician_id: l.technician_id.map(|i| i.into_string()).unwrap_or_default(),
        comeback: l.comeback,
    }
}

fn parts_line(l: PartsLine) -> pb::PartsLine {
    pb::PartsLine {
        line_number: l.line_number,
        part_number: l.part_number,
        quantity: l.quantity,
        state: match l.state {
            PartsLineState::Reserved => pb::PartsLineState::Reserved,
            PartsLineState::Backordered => pb::PartsLineState::Backordered,
            PartsLineState::Issued => pb::PartsLineState::Issued,
            PartsLineState::Released => pb::PartsLineState::Released,
        }
        .into(),
        reserved_part_number: l.reserved_part_number,
        expected_time: l.expected_time.and_then(timestamp),
    }
}

pub(crate) fn pb_order_type(t: OrderType) -> pb::RepairOrderType {
    match t {
        OrderType::Maintenance => pb::RepairOrderType::Maintenance,
        OrderType::Repair => pb::RepairOrderType::Repair,
        OrderType::Warranty => pb::RepairOrderType::Warranty,
        OrderType::Recall => pb::RepairOrderType::Recall,
    }
}

pub(crate) fn timestamp(t: OffsetDateTime) -> Option<Timestamp> {
    Some(Timestamp {
        seconds: t.unix_timestamp(),
        nanos: t.nanosecond() as i32,
    })
}

pub(crate) fn pb_money(m: Money) -> PbMoney {
    PbMoney {
        currency_code: m.currency.as_str().to_owned(),
        minor_units: m.minor_units,
    }
}

fn pb_status(s: Status) -> pb::RepairOrderStatus {
    match s {
        Status::Opened => pb::RepairOrderStatus::Opened,
        Status::InProgress => pb::RepairOrderStatus::InProgress,
        Status::WaitingParts => pb::RepairOrderStatus::WaitingParts,
        Status::Completed => pb::RepairOrderStatus::Completed,
        Status::Delivered => pb::RepairOrderStatus::Delivered,
        Status::Closed => pb::RepairOrderStatus::Closed,
        Status::Cancelled => pb::RepairOrderStatus::Cancelled,
    }
}

fn status_change(c: StatusChange) -> pb::StatusChange {
    pb::StatusChange {
        status: pb_status(c.status).into(),
        time: timestamp(c.time),
        actor: c.actor,
    }
}

pub(crate) fn pb_date(d: Option<Date>) -> Option<PbDate> {
    d.map(|d| PbDate {
        year: d.year(),
        month: u8::from(d.month()).into(),
        day: d.day().into(),
    })
}
