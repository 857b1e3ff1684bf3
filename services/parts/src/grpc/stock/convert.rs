//! Stock messages: proto → domain at the edge, naming the field of every
//! error; domain → proto on the way out.

use aftercare_db::timestamp::Clock;
use aftercare_proto::parts::v1 as pb;
use aftercare_values::FieldViolation;
use prost_types::Timestamp;

use crate::grpc::fields::{
    self, id, optional_id, optional_station_class, pb_micros, pb_station_class, text,
};
use crate::{
    domain::{
        ledger::Line,
        levels::StockLevel,
        reservation::{Reservation, State},
        stock::Movement,
        transfer::{Transfer, TransferState},
        warehouse::{Kind, Warehouse},
    },
    usecases::{Availability, Suggestion},
};

type Result<T> = std::result::Result<T, FieldViolation>;

pub(super) fn line_number(v: i32, field: &str) -> Result<i64> {
    if v >= 1 {
        Ok(i64::from(v))
    } else {
        Err(FieldViolation::new(field, "must be 1 or more"))
    }
}

/// A time a movement happened: not in the future of `clock`.
pub(super) fn past_time(v: Option<&Timestamp>, field: &str, clock: &Clock) -> Result<Option<i64>> {
    let t = fields::time(v, field)?;
    if t.is_some_and(|t| t > clock.now_micros()) {
        return Err(FieldViolation::new(field, "must not be in the future"));
    }
    Ok(t)
}

/// Free text of 1 to 200 characters (a reason), or up to 200 when optional
/// (a reference).
pub(super) fn note(v: &str, field: &str, required: bool) -> Result<String> {
    let v = v.trim();
    if required && v.is_empty() {
        return Err(FieldViolation::new(field, "must not be empty"));
    }
    if v.chars().count() > 200 || v.chars().any(char::is_control) {
        return Err(FieldViolation::new(
            field,
            "must be at most 200 characters, no control characters",
        ));
    }
    Ok(v.to_owned())
}

pub(super) fn warehouse(w: &pb::Warehouse) -> Result<Warehouse> {
    let kind = match pb::WarehouseKind::try_from(w.kind) {
        Ok(pb::WarehouseKind::Central) => Kind::Central,
        Ok(pb::WarehouseKind::Regional) => Kind::Regional,
        Ok(pb::WarehouseKind::Dealer) => Kind::Dealer,
        _ => return Err(FieldViolation::new("warehouse.kind", "must be set")),
    };
    if !(0..=crate::domain::warehouse::MAX_LEAD_TIME_DAYS).contains(&i64::from(w.lead_time_days)) {
        return Err(FieldViolation::new(
            "warehouse.lead_time_days",
            "must be 0 to 365",
        ));
    }
    let w = Warehouse {
        id: id(&w.warehouse_id, "warehouse.warehouse_id")?,
        display_name: fields::name(&w.display_name, "warehouse.display_name")?,
        kind,
        region_id: optional_id(&w.region_id, "warehouse.region_id")?,
        dealer_id: optional_id(&w.dealer_id, "warehouse.dealer_id")?,
        station_id: optional_id(&w.station_id, "warehouse.station_id")?,
        station_class: optional_station_class(w.station_class, "warehouse.station_class")?,
        parent: optional_id(&w.parent_warehouse_id, "warehouse.parent_warehouse_id")?,
        lead_time_days: i64::from(w.lead_time_days),
        create_time: 0,
    };
    w.check_owner()
        .map_err(|e| FieldViolation::new(format!("warehouse.{}", e.field()), e.to_string()))?;
    Ok(w)
}

fn pb_kind(k: Kind) -> pb::WarehouseKind {
    match k {
        Kind::Central => pb::WarehouseKind::Central,
        Kind::Regional => pb::WarehouseKind::Regional,
        Kind::Dealer => pb::WarehouseKind::Dealer,
    }
}

impl From<Warehouse> for pb::Warehouse {
    fn from(w: Warehouse) -> Self {
        pb::Warehouse {
            warehouse_id: w.id.as_str().to_owned(),
            display_name: w.display_name.into_string(),
            kind: pb_kind(w.kind) as i32,
            region_id: text(w.region_id),
            dealer_id: text(w.dealer_id),
            station_id: text(w.station_id),
            parent_warehouse_id: text(w.parent),
            lead_time_days: w.lead_time_days as i32,
            create_time: pb_micros(w.create_time),
            station_class: pb_station_class(w.station_class) as i32,
        }
    }
}

impl From<StockLevel> for pb::StockLevel {
    fn from(s: StockLevel) -> Self {
        pb::StockLevel {
            available: s.stock.available(),
            warehouse_id: s.warehouse_id,
            part_number: s.part_number,
            on_hand: s.stock.on_hand,
            reserved: s.stock.reserved,
            inbound: s.inbound,
            safety_stock: s.levels.safety_stock,
            reorder_point: s.levels.reorder_point,
            min_quantity: s.levels.min_quantity,
            max_quantity: s.levels.max_quantity,
            backordered: s.backordered,
            etag: s.version.to_string(),
        }
    }
}

impl From<Line> for pb::StockMovement {
    fn from(l: Line) -> Self {
        let kind = match l.entry.movement {
            Movement::Receive(_) => pb::MovementKind::Receive,
            Movement::Reserve(_) => pb::MovementKind::Reserve,
            Movement::Release(_) => pb::MovementKind::Release,
            Movement::Issue(_) => pb::MovementKind::Issue,
            Movement::Ship(_) => pb::MovementKind::Ship,
            Movement::Adjust(_) => pb::MovementKind::Adjust,
        };
        pb::StockMovement {
            warehouse_id: l.warehouse_id,
            part_number: l.part_number,
            sequence: l.sequence,
            kind: kind as i32,
            quantity: l.entry.movement.quantity(),
            effective_time: pb_micros(l.entry.at),
            booking_time: pb_micros(l.booking_time),
            on_hand_after: l.after.on_hand,
            reserved_after: l.after.reserved,
            reference: l.reference,
            booked_by: l.booked_by,
            repair_order_id: l
                .order_line
                .as_ref()
                .map(|o| o.repair_order_id.clone())
                .unwrap_or_default(),
            line_number: l.order_line.map_or(0, |o| o.line_number as i32),
        }
    }
}

impl From<Reservation> for pb::Reservation {
    fn from(r: Reservation) -> Self {
        let state = match r.state {
            State::Reserved => pb::ReservationState::Reserved,
            State::Backordered => pb::ReservationState::Backordered,
            State::Issued => pb::ReservationState::Issued,
            State::Released => pb::ReservationState::Released,
        };
        pb::Reservation {
            repair_order_id: r.repair_order_id,
            line_number: r.line_number as i32,
            warehouse_id: r.warehouse_id,
            part_number: r.part_number,
            requested_part_number: r.requested_part_number,
            quantity: r.quantity.get(),
            state: state as i32,
            served_at_once: r.served_at_once,
            expected_time: r.expected_time.and_then(pb_micros),
            create_time: pb_micros(r.create_time),
            update_time: pb_micros(r.update_time),
        }
    }
}

impl From<Transfer> for pb::Transfer {
    fn from(t: Transfer) -> Self {
        let state = match t.state {
            TransferState::InTransit => pb::TransferState::InTransit,
            TransferState::Received => pb::TransferState::Received,
        };
        pb::Transfer {
            transfer_id: t.transfer_id,
            from_warehouse_id: t.from_warehouse_id,
            to_warehouse_id: t.to_warehouse_id,
            part_number: t.part_number,
            quantity: t.quantity.get(),
            state: state as i32,
            expected_time: pb_micros(t.expected_time),
            ship_time: pb_micros(t.ship_time),
            receive_time: t.receive_time.and_then(pb_micros),
        }
    }
}

impl From<Availability> for pb::WarehouseAvailability {
    fn from(a: Availability) -> Self {
        let w = a.warehouse;
        let shown = a.owner_shown;
        pb::WarehouseAvailability {
            warehouse_id: if shown {
                w.id.as_str().to_owned()
            } else {
                String::new()
            },
            kind: pb_kind(w.kind) as i32,
            region_id: text(w.region_id),
            dealer_id: if shown {
                text(w.dealer_id)
            } else {
                String::new()
            },
            available: a.available,
        }
    }
}

impl From<Suggestion> for pb::ReplenishmentSuggestion {
    fn from(s: Suggestion) -> Self {
        pb::ReplenishmentSuggestion {
            warehouse_id: s.level.warehouse_id,
            part_number: s.level.part_number,
            from_warehouse_id: text(s.from_warehouse_id),
            quantity: s.quantity,
            position: s.position,
            reorder_point: s.level.levels.reorder_point,
            max_quantity: s.level.levels.max_quantity,
        }
    }
}
