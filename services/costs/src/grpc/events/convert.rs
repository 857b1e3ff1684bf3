//! The events' messages → domain values.

use aftercare_proto::dealers::v1 as dealers_pb;
use aftercare_values::FieldViolation;

use crate::{
    domain::{
        delivered::{Delivered, LabourLine, OrderType, PartsLine, Vehicle},
        scope::Place,
    },
    grpc::{date, micros},
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
