//! The events' messages → domain values.

use aftercare_edge::invalid_argument as invalid;
use aftercare_proto::{costs::v1 as pb, dealers::v1 as dealers_pb};
use aftercare_values::{Currency, FieldViolation, Money, text};
use tonic::Status;

use crate::{
    domain::{
        compensation::{Compensation, CompensationKind},
        delivered::{Delivered, LabourLine, OrderType, PartsLine, Vehicle},
        scope::Place,
    },
    grpc::{amount, date, id, micros, money, time},
};

/// The delivered RO of a dealers event: its place, lines, bill and the
/// times of its arrival and delivery (the DELIVERED change of its history,
/// else its last update). Only issued parts lines are kept.
pub(crate) fn delivered(
    event: dealers_pb::RepairOrderDelivered,
    event_id: &str,
) -> Result<Delivered, FieldViolation> {
    if event_id.is_empty() {
        return Err(FieldViolation::new("request_id", "must be the event id"));
    }
    let ro = event
        .repair_order
        .ok_or_else(|| FieldViolation::new("event.repair_order", "must be set"))?;
    let id = |v: &str, field: &str| {
        if aftercare_values::is_valid_id(v) {
            Ok(v.to_owned())
        } else {
            Err(FieldViolation::new(field, "must be an id"))
        }
    };
    let delivery_time = ro
        .history
        .iter()
        .rev()
        .find(|c| c.status == dealers_pb::RepairOrderStatus::Delivered as i32)
        .and_then(|c| c.time.as_ref())
        .or(ro.update_time.as_ref())
        .and_then(micros)
        .ok_or_else(|| FieldViolation::new("event.repair_order.history", "has no delivery time"))?;
    let arrival_time = ro
        .arrival_time
        .as_ref()
        .and_then(micros)
        .ok_or_else(|| FieldViolation::new("event.repair_order.arrival_time", "must be set"))?;
    let order_type = match dealers_pb::RepairOrderType::try_from(ro.r#type) {
        Ok(dealers_pb::RepairOrderType::Maintenance) => OrderType::Maintenance,
        Ok(dealers_pb::RepairOrderType::Repair) => OrderType::Repair,
        Ok(dealers_pb::RepairOrderType::Warranty) => OrderType::Warranty,
        Ok(dealers_pb::RepairOrderType::Recall) => OrderType::Recall,
        _ => {
            return Err(FieldViolation::new(
                "event.repair_order.type",
                "must be a repair order type",
            ));
        }
    };
    let bill = ro.final_bill.unwrap_or_default();
    let labour = ro
        .labour_lines
        .into_iter()
        .map(|l| LabourLine {
            line_number: l.line_number,
            operation_code: l.operation_code,
            technician_id: l.technician_id,
            standard_centihours: l.standard_centihours,
            actual_centihours: l.actual_centihours,
        })
        .collect();
    let parts = ro
        .parts_lines
        .into_iter()
        .filter(|l| l.state == dealers_pb::PartsLineState::Issued as i32)
        .map(|l| PartsLine {
            line_number: l.line_number,
            part_number: if l.reserved_part_number.is_empty() {
                l.part_number
            } else {
                l.reserved_part_number
            },
            quantity: l.quantity,
        })
        .collect();
    // Events written before the vehicle was added carry none.
    let vehicle = event.vehicle.map_or_else(
        || Vehicle {
            id: ro.vehicle_id.clone(),
            vin: String::new(),
            model: String::new(),
            warranty_start: None,
        },
        |v| Vehicle {
            id: ro.vehicle_id.clone(),
            vin: v.vin,
            model: v.model,
            warranty_start: v.warranty_start_date.as_ref().and_then(date),
        },
    );
    Ok(Delivered {
        repair_order_id: id(&ro.id, "event.repair_order.id")?,
        place: Place {
            station_id: id(&ro.station_id, "event.repair_order.station_id")?,
            dealer_id: id(&ro.dealer_id, "event.repair_order.dealer_id")?,
            region_id: id(&event.region_id, "event.region_id")?,
        },
        order_type,
        comeback: ro.comeback,
        vehicle,
        mileage_km: ro.mileage_km,
        arrival_time,
        delivery_time,
        labour,
        parts,
        bill: bill.minor_units,
        currency: bill.currency_code,
    })
}

/// The bill is in the network's currency (a warranty RO's zero bill may
/// carry none).
pub(crate) fn check_bill(d: &Delivered, currency: Currency) -> Result<(), FieldViolation> {
    const FIELD: &str = "event.repair_order.final_bill";
    if d.currency.is_empty() && d.bill == 0 {
        return Ok(());
    }
    let bill = Money::parse(&d.currency, d.bill)
        .map_err(|e| FieldViolation::new(format!("{FIELD}.{}", e.field()), e.to_string()))?;
    if bill.currency != currency {
        return Err(FieldViolation::new(
            format!("{FIELD}.currency_code"),
            format!("must be the network's currency, {currency}"),
        ));
    }
    Ok(())
}

/// A complaint's compensation as the event tells it.
pub(crate) fn compensation(
    e: pb::ComplaintCompensation,
    event_id: &str,
    currency: Currency,
) -> Result<Compensation, Status> {
    if event_id.is_empty() {
        return Err(invalid(FieldViolation::new(
            "request_id",
            "must be the event id",
        )));
    }
    let bad = |field: &str, e: text::TextError| invalid(FieldViolation::new(field, e.to_string()));
    let optional_id = |v: &str, field: &str| {
        if v.is_empty() {
            Ok(String::new())
        } else {
            id(v, field)
        }
    };
    let kind = match pb::CompensationKind::try_from(e.kind) {
        Ok(pb::CompensationKind::Compensation) => CompensationKind::Compensation,
        Ok(pb::CompensationKind::Goodwill) => CompensationKind::Goodwill,
        _ => {
            return Err(invalid(FieldViolation::new(
                "event.kind",
                "must be compensation or goodwill",
            )));
        }
    };
    let amount = amount(e.amount, currency, "event.amount")?;
    if amount <= 0 {
        return Err(invalid(FieldViolation::new(
            "event.amount.minor_units",
            "must be positive",
        )));
    }
    let approve_time = e
        .approve_time
        .as_ref()
        .and_then(micros)
        .ok_or_else(|| invalid(FieldViolation::new("event.approve_time", "must be set")))?;
    Ok(Compensation {
        complaint_id: text::display_name(&e.complaint_id, 64)
            .map_err(|err| bad("event.complaint_id", err))?,
        dealer_id: id(&e.dealer_id, "event.dealer_id")?,
        region_id: id(&e.region_id, "event.region_id")?,
        station_id: optional_id(&e.station_id, "event.station_id")?,
        repair_order_id: optional_id(&e.repair_order_id, "event.repair_order_id")?,
        kind,
        amount,
        approve_time,
        // Who approved it is shown, not relied on: it may be empty.
        approved_by: text::plain(&e.approved_by, 200)
            .map_err(|err| bad("event.approved_by", err))?,
    })
}

pub(crate) fn pb_compensation(c: Compensation, currency: Currency) -> pb::ComplaintCompensation {
    pb::ComplaintCompensation {
        complaint_id: c.complaint_id,
        dealer_id: c.dealer_id,
        region_id: c.region_id,
        station_id: c.station_id,
        repair_order_id: c.repair_order_id,
        kind: match c.kind {
            CompensationKind::Compensation => pb::CompensationKind::Compensation,
            CompensationKind::Goodwill => pb::CompensationKind::Goodwill,
        } as i32,
        amount: money(c.amount, currency),
        approve_time: time(c.approve_time),
        approved_by: c.approved_by,
    }
}
