//! Claims ↔ the contract's messages.

use aftercare_proto::{costs::v1 as pb, google::r#type::Date as PbDate};
use aftercare_values::Currency;
use time::Date;

use crate::{
    domain::claims::{
        ApprovalLevel, Check, CheckResult, Claim, ClaimLine, ClaimState, LineKind, StateChange,
    },
    grpc::{money, time},
};

pub(super) fn pb_state(s: ClaimState) -> pb::ClaimState {
    match s {
        ClaimState::Draft => pb::ClaimState::Draft,
        ClaimState::Submitted => pb::ClaimState::Submitted,
        ClaimState::Approved => pb::ClaimState::Approved,
        ClaimState::PartlyApproved => pb::ClaimState::PartlyApproved,
        ClaimState::Rejected => pb::ClaimState::Rejected,
        ClaimState::Paid => pb::ClaimState::Paid,
    }
}

/// The state a list asks for: none for UNSPECIFIED.
pub(super) fn state(v: i32) -> Option<Option<ClaimState>> {
    Some(match pb::ClaimState::try_from(v).ok()? {
        pb::ClaimState::Unspecified => None,
        pb::ClaimState::Draft => Some(ClaimState::Draft),
        pb::ClaimState::Submitted => Some(ClaimState::Submitted),
        pb::ClaimState::Approved => Some(ClaimState::Approved),
        pb::ClaimState::PartlyApproved => Some(ClaimState::PartlyApproved),
        pb::ClaimState::Rejected => Some(ClaimState::Rejected),
        pb::ClaimState::Paid => Some(ClaimState::Paid),
    })
}

fn pb_level(l: ApprovalLevel) -> pb::ApprovalLevel {
    match l {
        ApprovalLevel::Station => pb::ApprovalLevel::Station,
        ApprovalLevel::Region => pb::ApprovalLevel::Region,
        ApprovalLevel::HeadOffice => pb::ApprovalLevel::HeadOffice,
    }
}

/// The level a list asks for: none for UNSPECIFIED.
pub(super) fn level(v: i32) -> Option<Option<ApprovalLevel>> {
    Some(match pb::ApprovalLevel::try_from(v).ok()? {
        pb::ApprovalLevel::Unspecified => None,
        pb::ApprovalLevel::Station => Some(ApprovalLevel::Station),
        pb::ApprovalLevel::Region => Some(ApprovalLevel::Region),
        pb::ApprovalLevel::HeadOffice => Some(ApprovalLevel::HeadOffice),
    })
}

fn pb_date(d: Date) -> PbDate {
    PbDate {
        year: d.year(),
        month: i32::from(u8::from(d.month())),
        day: i32::from(d.day()),
    }
}

fn pb_line(l: ClaimLine, c: Currency) -> pb::ClaimLine {
    pb::ClaimLine {
        line_number: l.line_number,
        kind: match l.kind {
            LineKind::Part => pb::ClaimLineKind::Part,
            LineKind::Labour => pb::ClaimLineKind::Labour,
        } as i32,
        repair_order_line_number: l.repair_order_line_number,
        part_number: l.part_number,
        quantity: l.quantity,
        operation_code: l.operation_code,
        technician_id: l.technician_id,
        standard_centihours: l.standard_centihours,
        actual_centihours: l.actual_centihours,
        unit_price: l.unit_price.and_then(|a| money(a, c)),
        claimed: l.claimed.and_then(|a| money(a, c)),
        approved: l.approved.and_then(|a| money(a, c)),
        decision_reason: l.decision_reason,
    }
}

fn pb_check(k: Check) -> pb::ClaimCheck {
    pb::ClaimCheck {
        name: k.name,
        line_number: k.line_number,
        inputs: k.inputs.into_iter().collect(),
        result: match k.result {
            CheckResult::Passed => pb::CheckResult::Passed,
            CheckResult::Failed => pb::CheckResult::Failed,
            CheckResult::Unavailable => pb::CheckResult::Unavailable,
        } as i32,
        detail: k.detail,
        run_time: time(k.run_time),
    }
}

fn pb_change(s: StateChange) -> pb::ClaimStateChange {
    pb::ClaimStateChange {
        state: pb_state(s.state) as i32,
        actor: s.actor,
        time: time(s.time),
        reason: s.reason,
    }
}

/// The claim as the contract tells it, its amounts in `currency`.
pub(crate) fn pb_claim(claim: Claim, currency: Currency) -> pb::WarrantyClaim {
    pb::WarrantyClaim {
        id: claim.id,
        repair_order_id: claim.repair_order_id,
        station_id: claim.place.station_id,
        dealer_id: claim.place.dealer_id,
        region_id: claim.place.region_id,
        vin: claim.vin,
        model: claim.model,
        mileage_km: claim.mileage_km,
        warranty_start_date: claim.warranty_start.map(pb_date),
        arrival_time: time(claim.arrival_time),
        delivery_time: time(claim.delivery_time),
        causal_part_number: claim.causal_part_number,
        lines: claim
            .lines
            .into_iter()
            .map(|l| pb_line(l, currency))
            .collect(),
        checks: claim.checks.into_iter().map(pb_check).collect(),
        state: pb_state(claim.state) as i32,
        claimed: money(claim.claimed, currency),
        approved: claim.approved.and_then(|a| money(a, currency)),
        approval_level: pb_level(claim.approval_level) as i32,
        history: claim.history.into_iter().map(pb_change).collect(),
        payment_reference: claim.payment_reference,
        etag: claim.version.to_string(),
        create_time: time(claim.create_time),
        update_time: time(claim.update_time),
    }
}
