//! Survey invitations: proto → domain (a delivered-RO event, a rate's
//! scope) and domain → proto.

use aftercare_edge::invalid_argument as invalid;
use aftercare_proto::{dealers::v1 as dealers_pb, surveys::v1 as pb};
use aftercare_values::FieldViolation;
use tonic::Status;

use crate::{
    domain::invitation::{Delivered, Invitation, RateScope},
    grpc::{id, micros, opt_time, time},
};

pub(super) fn rate_scope(r: &pb::GetResponseRateRequest) -> Result<RateScope, Status> {
    let set = [&r.station_id, &r.dealer_id, &r.region_id]
        .iter()
        .filter(|s| !s.is_empty())
        .count();
    if set > 1 {
        return Err(invalid(FieldViolation::new(
            "station_id",
            "set at most one of station_id, dealer_id and region_id",
        )));
    }
    Ok(if !r.station_id.is_empty() {
        RateScope::Station(id(&r.station_id, "station_id")?)
    } else if !r.dealer_id.is_empty() {
        RateScope::Dealer(id(&r.dealer_id, "dealer_id")?)
    } else if !r.region_id.is_empty() {
        RateScope::Region(id(&r.region_id, "region_id")?)
    } else {
        RateScope::Visible
    })
}

/// The delivered RO of an event: its ids, its technicians (each once, in
/// the order of the labour lines) and its delivery time (the DELIVERED
/// change of its history, else its last update).
pub(super) fn delivered(
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
    let mut technician_ids: Vec<String> = Vec::new();
    for line in &ro.labour_lines {
        if !line.technician_id.is_empty() && !technician_ids.contains(&line.technician_id) {
            technician_ids.push(line.technician_id.clone());
        }
    }
    let delivered_at = ro
        .history
        .iter()
        .rev()
        .find(|c| c.status == dealers_pb::RepairOrderStatus::Delivered as i32)
        .and_then(|c| c.time.as_ref())
        .or(ro.update_time.as_ref())
        .and_then(micros)
        .ok_or_else(|| FieldViolation::new("event.repair_order.history", "has no delivery time"))?;
    Ok(Delivered {
        event_id: event_id.to_owned(),
        repair_order_id: id(&ro.id, "event.repair_order.id")?,
        station_id: id(&ro.station_id, "event.repair_order.station_id")?,
        dealer_id: id(&ro.dealer_id, "event.repair_order.dealer_id")?,
        // Events written before the region was added carry none.
        region_id: event.region_id,
        advisor_id: ro.advisor_id,
        technician_ids,
        delivery_time: delivered_at,
        // Events written before the names were added carry none.
        dealer_name: event.dealer_name,
        station_name: event.station_name,
        // Events written before the locale was added carry none.
        locale: optional_locale(&event.locale, "event.locale")?,
    })
}

/// A BCP 47 tag, or none when empty.
fn optional_locale(tag: &str, field: &str) -> Result<Option<String>, FieldViolation> {
    if tag.is_empty() {
        return Ok(None);
    }
    aftercare_values::locale(tag)
        .map(Some)
        .map_err(|e| FieldViolation::new(field, e.to_string()))
}

impl From<Invitation> for pb::SurveyInvitation {
    fn from(i: Invitation) -> Self {
        let state = if i.response_id.is_some() {
            pb::InvitationState::Answered
        } else {
            pb::InvitationState::Open
        };
        pb::SurveyInvitation {
            id: i.id,
            repair_order_id: i.repair_order_id,
            station_id: i.station_id,
            dealer_id: i.dealer_id,
            region_id: i.region_id,
            advisor_id: i.advisor_id,
            technician_ids: i.technician_ids,
            delivery_time: time(i.delivery_time),
            template_code: i.template_code.unwrap_or_default(),
            version_number: i.version_number.unwrap_or_default() as i32,
            state: state.into(),
            link_expire_time: opt_time(i.link_expire_time),
            response_id: i.response_id.unwrap_or_default(),
            create_time: time(i.create_time),
            locale: i.locale.unwrap_or_default(),
        }
    }
}
