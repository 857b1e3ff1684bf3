//! Appointments and repair orders between proto and domain.

use aftercare_proto::{common::v1::Money as PbMoney, dealers::v1 as pb};
use aftercare_values::{FieldViolation, Money};

use crate::domain::{
    orders::{Appointment, AppointmentStatus, Approval, Booking, HandoverItem, Opening},
    reminders::{DueBy, Reminder},
    repair_order::Status,
};
pub(crate) use crate::events::repair_order::repair_order;
use crate::grpc::fields::{
    id, mileage, order_type, pb_date, pb_order_type, required_time, time, timestamp,
};

type Result<T> = std::result::Result<T, FieldViolation>;

// Proto → domain -------------------------------------------------------------

pub(crate) fn money(v: Option<&PbMoney>, field: &str) -> Result<Money> {
    let m = v.ok_or_else(|| FieldViolation::new(field, "must be set"))?;
    if m.minor_units < 0 {
        return Err(FieldViolation::new(
            format!("{field}.minor_units"),
            "must not be negative",
        ));
    }
    Money::parse_at(&m.currency_code, m.minor_units, field)
}

pub(crate) fn status(v: i32, field: &str) -> Result<Option<Status>> {
    use pb::RepairOrderStatus as S;
    Ok(Some(match S::try_from(v) {
        Ok(S::Unspecified) => return Ok(None),
        Ok(S::Opened) => Status::Opened,
        Ok(S::InProgress) => Status::InProgress,
        Ok(S::WaitingParts) => Status::WaitingParts,
        Ok(S::Completed) => Status::Completed,
        Ok(S::Delivered) => Status::Delivered,
        Ok(S::Closed) => Status::Closed,
        Ok(S::Cancelled) => Status::Cancelled,
        Err(_) => return Err(FieldViolation::new(field, "is not a known status")),
    }))
}

pub(crate) fn booking(a: &pb::Appointment) -> Result<Booking> {
    Ok(Booking {
        station_id: id(&a.station_id, "appointment.station_id")?,
        vehicle_id: id(&a.vehicle_id, "appointment.vehicle_id")?,
        advisor_id: id(&a.advisor_id, "appointment.advisor_id")?,
        start_time: required_time(a.start_time.as_ref(), "appointment.start_time")?,
        order_type: order_type(a.r#type, "appointment.type")?,
        fast_lane: a.fast_lane,
    })
}

pub(crate) fn opening(r: &pb::RepairOrder) -> Result<Opening> {
    Ok(Opening {
        station_id: id(&r.station_id, "repair_order.station_id")?,
        vehicle_id: id(&r.vehicle_id, "repair_order.vehicle_id")?,
        advisor_id: id(&r.advisor_id, "repair_order.advisor_id")?,
        order_type: order_type(r.r#type, "repair_order.type")?,
        fast_lane: r.fast_lane,
        arrival_time: time(r.arrival_time.as_ref(), "repair_order.arrival_time")?,
        promise_time: required_time(r.promise_time.as_ref(), "repair_order.promise_time")?,
        estimate: money(r.estimate.as_ref(), "repair_order.estimate")?,
        mileage_km: mileage(r.mileage_km, "repair_order.mileage_km")?,
    })
}

pub(crate) fn approval(v: Option<&pb::CustomerApproval>) -> Result<Option<Approval>> {
    let Some(a) = v else { return Ok(None) };
    let method = a.method.trim();
    if method.is_empty() || method.chars().count() > 200 {
        return Err(FieldViolation::new(
            "customer_approval.method",
            "must be 1 to 200 characters",
        ));
    }
    Ok(Some(Approval {
        method: method.to_owned(),
        time: required_time(a.approve_time.as_ref(), "customer_approval.approve_time")?,
    }))
}

pub(crate) fn handover(v: &[pb::HandoverItem]) -> Result<Vec<HandoverItem>> {
    v.iter()
        .enumerate()
        .map(|(i, h)| {
            let item = h.item.trim();
            if item.is_empty() || item.chars().count() > 200 {
                return Err(FieldViolation::new(
                    format!("handover[{i}].item"),
                    "must be 1 to 200 characters",
                ));
            }
            Ok(HandoverItem {
                item: item.to_owned(),
                done: h.done,
            })
        })
        .collect()
}

// Domain → proto -------------------------------------------------------------

impl From<Appointment> for pb::Appointment {
    fn from(a: Appointment) -> Self {
        let b = a.booking;
        pb::Appointment {
            id: a.id.into_string(),
            station_id: b.station_id.into_string(),
            dealer_id: a.dealer_id.into_string(),
            vehicle_id: b.vehicle_id.into_string(),
            advisor_id: b.advisor_id.into_string(),
            start_time: timestamp(b.start_time),
            r#type: pb_order_type(b.order_type).into(),
            fast_lane: b.fast_lane,
            status: match a.status {
                AppointmentStatus::Booked => pb::AppointmentStatus::Booked,
                AppointmentStatus::Arrived => pb::AppointmentStatus::Arrived,
                AppointmentStatus::NoShow => pb::AppointmentStatus::NoShow,
            }
            .into(),
            repair_order_id: a
                .repair_order_id
                .map(|i| i.into_string())
                .unwrap_or_default(),
            arrival_time: a.arrival_time.and_then(timestamp),
            create_time: timestamp(a.meta.create_time),
            update_time: timestamp(a.meta.update_time),
            etag: a.meta.etag(),
        }
    }
}

pub(crate) fn reminder(r: Reminder) -> pb::MaintenanceReminder {
    pb::MaintenanceReminder {
        vehicle_id: r.vehicle_id,
        customer_id: r.customer_id,
        advisor_id: r.advisor_id,
        model: r.model,
        due_date: pb_date(Some(r.due.date)),
        reason: match r.due.by {
            DueBy::Time => pb::DueReason::Time,
            DueBy::Mileage => pb::DueReason::Mileage,
        }
        .into(),
        mileage_km: r.mileage_km,
        last_service_date: pb_date(r.last_service),
    }
}
