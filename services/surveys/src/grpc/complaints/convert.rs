//! Complaints between the contract and the domain.

use aftercare_proto::surveys::v1 as pb;
use aftercare_values::FieldViolation;

use crate::{
    domain::complaint::{
        Action, Class, Complaint, Confirmation, Grievance, Notification, NotificationKind, Owner,
        Severity, Source, State, compensation::approved_sum, is_cause_of,
    },
    events::message::time,
    usecases::Opening,
};

type Parsed<T> = Result<T, FieldViolation>;

fn bad(field: &str, why: &str) -> FieldViolation {
    FieldViolation::new(field, why)
}

/// Free text of 1 to 4000 characters (0 allowed when `optional`).
pub(super) fn text(v: String, field: &str, optional: bool) -> Parsed<String> {
    let v = v.trim().to_owned();
    if (v.is_empty() && !optional) || v.chars().count() > 4000 {
        return Err(bad(field, "must be 1 to 4000 characters"));
    }
    Ok(v)
}

/// A technician's id or a part number, as an RO's lines hold them: 1 to 63
/// characters.
fn is_subject(v: &str) -> bool {
    (1..=63).contains(&v.len())
}

fn ids(v: Vec<String>, field: &str) -> Parsed<Vec<String>> {
    let mut out: Vec<String> = vec![];
    for id in v {
        if !is_subject(&id) {
            return Err(bad(field, "each must be 1 to 63 characters"));
        }
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

/// A technician's id or a part number to filter by; empty for any.
pub(super) fn optional_subject(v: &str, field: &str) -> Parsed<String> {
    if v.is_empty() || is_subject(v) {
        Ok(v.to_owned())
    } else {
        Err(bad(field, "must be 1 to 63 characters"))
    }
}

pub(super) fn class(v: i32, field: &str) -> Parsed<Option<Class>> {
    Ok(match pb::ComplaintClass::try_from(v) {
        Ok(pb::ComplaintClass::Unspecified) => None,
        Ok(pb::ComplaintClass::Quality) => Some(Class::Quality),
        Ok(pb::ComplaintClass::NonQualityPeople) => Some(Class::People),
        Ok(pb::ComplaintClass::NonQualityProcess) => Some(Class::Process),
        Err(_) => return Err(bad(field, "unknown class")),
    })
}

/// A class and its cause, both given: the cause one of the class's.
pub(super) fn classed(
    class_v: i32,
    cause: String,
    prefix: &str,
) -> Parsed<Option<(Class, String)>> {
    let class_field = format!("{prefix}class");
    let cause_field = format!("{prefix}cause");
    match class(class_v, &class_field)? {
        None if cause.is_empty() => Ok(None),
        None => Err(bad(&class_field, "must be set with a cause")),
        Some(c) if is_cause_of(c, &cause) => Ok(Some((c, cause))),
        Some(_) => Err(bad(
            &cause_field,
            "must be a cause of the class (see the contract)",
        )),
    }
}

fn severity(v: i32) -> Parsed<Severity> {
    match pb::ComplaintSeverity::try_from(v) {
        Ok(pb::ComplaintSeverity::Low) => Ok(Severity::Low),
        Ok(pb::ComplaintSeverity::Medium) => Ok(Severity::Medium),
        Ok(pb::ComplaintSeverity::High) => Ok(Severity::High),
        Ok(pb::ComplaintSeverity::Critical) => Ok(Severity::Critical),
        _ => Err(bad(
            "complaint.severity",
            "must be LOW, MEDIUM, HIGH or CRITICAL",
        )),
    }
}

fn source(v: i32) -> Parsed<Source> {
    match pb::ComplaintSource::try_from(v) {
        Ok(pb::ComplaintSource::Customer) => Ok(Source::Customer),
        Ok(pb::ComplaintSource::Dms) => Ok(Source::Dms),
        Ok(pb::ComplaintSource::CallbackAgent) => Ok(Source::CallbackAgent),
        Ok(pb::ComplaintSource::Staff) => Ok(Source::Staff),
        _ => Err(bad(
            "complaint.source",
            "must be CUSTOMER, DMS, CALLBACK_AGENT or STAFF (LOW_SCORE is the service's own)",
        )),
    }
}

pub(super) fn opening(c: pb::Complaint) -> Parsed<Opening> {
    let optional_id = |v: String, field: &str| -> Parsed<Option<String>> {
        if v.is_empty() {
            return Ok(None);
        }
        if aftercare_values::is_valid_id(&v) {
            Ok(Some(v))
        } else {
            Err(bad(
                field,
                "must be 1 to 63 lower-case letters, digits and hyphens",
            ))
        }
    };
    let repair_order_id = optional_id(c.repair_order_id, "complaint.repair_order_id")?;
    let station_id = optional_id(c.station_id, "complaint.station_id")?;
    if repair_order_id.is_none() && station_id.is_none() {
        return Err(bad(
            "complaint.station_id",
            "must be set when there is no RO",
        ));
    }
    let description = text(c.description, "complaint.description", false)?;
    let Some((class, cause)) = classed(c.class, c.cause, "complaint.")? else {
        return Err(bad("complaint.class", "must be set"));
    };
    let grievance = Grievance {
        description,
        class,
        cause,
        severity: severity(c.severity)?,
        source: source(c.source)?,
    };
    Ok(Opening {
        advisor_id: optional_id(c.advisor_id, "complaint.advisor_id")?,
        technician_ids: ids(c.technician_ids, "complaint.technician_ids")?,
        part_numbers: ids(c.part_numbers, "complaint.part_numbers")?,
        repair_order_id,
        station_id,
        grievance,
    })
}

pub(super) fn state(v: i32) -> Parsed<Option<State>> {
    Ok(match pb::ComplaintState::try_from(v) {
        Ok(pb::ComplaintState::Unspecified) => None,
        Ok(pb::ComplaintState::Open) => Some(State::Open),
        Ok(pb::ComplaintState::Responded) => Some(State::Responded),
        Ok(pb::ComplaintState::Resolved) => Some(State::Resolved),
        Ok(pb::ComplaintState::Closed) => Some(State::Closed),
        Err(_) => return Err(bad("state", "unknown state")),
    })
}

pub(super) fn owner(v: i32) -> Parsed<Option<Owner>> {
    Ok(match pb::OwnerLevel::try_from(v) {
        Ok(pb::OwnerLevel::Unspecified) => None,
        Ok(pb::OwnerLevel::Dealer) => Some(Owner::Dealer),
        Ok(pb::OwnerLevel::Region) => Some(Owner::Region),
        Ok(pb::OwnerLevel::HeadOffice) => Some(Owner::HeadOffice),
        Err(_) => return Err(bad("owner_level", "unknown owner level")),
    })
}

pub(super) fn confirmation(v: i32) -> Parsed<Confirmation> {
    match pb::CustomerConfirmation::try_from(v) {
        Ok(pb::CustomerConfirmation::Satisfied) => Ok(Confirmation::Satisfied),
        Ok(pb::CustomerConfirmation::Dissatisfied) => Ok(Confirmation::Dissatisfied),
        Ok(pb::CustomerConfirmation::Unreachable) => Ok(Confirmation::Unreachable),
        _ => Err(bad(
            "confirmation",
            "must be SATISFIED, DISSATISFIED or UNREACHABLE",
        )),
    }
}

pub(super) fn owner_pb(o: Owner) -> pb::OwnerLevel {
    match o {
        Owner::Dealer => pb::OwnerLevel::Dealer,
        Owner::Region => pb::OwnerLevel::Region,
        Owner::HeadOffice => pb::OwnerLevel::HeadOffice,
    }
}

fn severity_pb(s: Severity) -> pb::ComplaintSeverity {
    match s {
        Severity::Low => pb::ComplaintSeverity::Low,
        Severity::Medium => pb::ComplaintSeverity::Medium,
        Severity::High => pb::ComplaintSeverity::High,
        Severity::Critical => pb::ComplaintSeverity::Critical,
    }
}

pub(crate) fn class_pb(c: Class) -> pb::ComplaintClass {
    match c {
        Class::Unclassified => pb::ComplaintClass::Unspecified,
        Class::Quality => pb::ComplaintClass::Quality,
        Class::People => pb::ComplaintClass::NonQualityPeople,
        Class::Process => pb::ComplaintClass::NonQualityProcess,
    }
}

pub(super) fn state_pb(s: State) -> pb::ComplaintState {
    match s {
        State::Open => pb::ComplaintState::Open,
        State::Responded => pb::ComplaintState::Responded,
        State::Resolved => pb::ComplaintState::Resolved,
        State::Closed => pb::ComplaintState::Closed,
    }
}

/// The complaint as the contract has it, judged overdue at `now`, its
/// payments in `currency`.
pub(super) fn complaint(c: Complaint, now: i64, currency: &str) -> pb::Complaint {
    let overdue = c.is_overdue(now);
    let etag = c.etag();
    let approved = approved_sum(&c.compensations);
    let compensations = c
        .compensations
        .into_iter()
        .map(|p| super::followups::compensation_pb(p, currency))
        .collect();
    let s = c.subject;
    let g = c.grievance;
    pb::Complaint {
        id: c.id,
        repair_order_id: s.repair_order_id.unwrap_or_default(),
        station_id: s.station_id,
        dealer_id: s.dealer_id,
        region_id: s.region_id,
        advisor_id: s.advisor_id.unwrap_or_default(),
        technician_ids: s.technician_ids,
        part_numbers: s.part_numbers,
        description: g.description,
        class: class_pb(g.class).into(),
        cause: g.cause,
        severity: severity_pb(g.severity).into(),
        source: match g.source {
            Source::Customer => pb::ComplaintSource::Customer,
            Source::Dms => pb::ComplaintSource::Dms,
            Source::CallbackAgent => pb::ComplaintSource::CallbackAgent,
            Source::LowScore => pb::ComplaintSource::LowScore,
            Source::Staff => pb::ComplaintSource::Staff,
        }
        .into(),
        state: state_pb(c.state).into(),
        owner_level: owner_pb(c.owner).into(),
        response_due_time: c.due.response.and_then(time),
        resolution_due_time: c.due.resolution.and_then(time),
        overdue,
        survey_response_id: c.survey_response_id.unwrap_or_default(),
        first_response: c.first_response.unwrap_or_default(),
        root_cause: c.root_cause.unwrap_or_default(),
        corrective_action: c.corrective_action.unwrap_or_default(),
        confirmation: match c.confirmation {
            None => pb::CustomerConfirmation::Unspecified,
            Some(Confirmation::Satisfied) => pb::CustomerConfirmation::Satisfied,
            Some(Confirmation::Dissatisfied) => pb::CustomerConfirmation::Dissatisfied,
            Some(Confirmation::Unreachable) => pb::CustomerConfirmation::Unreachable,
        }
        .into(),
        open_time: time(c.open_time),
        first_response_time: c.first_response_time.and_then(time),
        resolve_time: c.resolve_time.and_then(time),
        close_time: c.close_time.and_then(time),
        history: c
            .history
            .into_iter()
            .map(|s| pb::ComplaintStep {
                action: match s.action {
                    Action::Opened => pb::ComplaintAction::Opened,
                    Action::Responded => pb::ComplaintAction::Responded,
                    Action::Resolved => pb::ComplaintAction::Resolved,
                    Action::Closed => pb::ComplaintAction::Closed,
                    Action::Reopened => pb::ComplaintAction::Reopened,
                    Action::Escalated => pb::ComplaintAction::Escalated,
                }
                .into(),
                actor: s.actor.subject,
                actor_role: s.actor.role,
                time: time(s.time),
                note: s.note,
                owner_level: owner_pb(s.owner).into(),
            })
            .collect(),
        etag,
        update_time: time(c.update_time),
        compensations,
        compensation_approved: Some(super::followups::money(currency, approved)),
        link_token: c.link_token.unwrap_or_default(),
    }
}

pub(super) fn notification(n: Notification) -> pb::ComplaintNotification {
    pb::ComplaintNotification {
        sequence: n.sequence,
        kind: match n.kind {
            NotificationKind::Opened => pb::ComplaintNotificationKind::Opened,
            NotificationKind::Escalated => pb::ComplaintNotificationKind::Escalated,
        }
        .into(),
        complaint_id: n.complaint_id,
        dealer_id: n.dealer_id,
        region_id: n.region_id,
        station_id: n.station_id,
        severity: severity_pb(n.severity).into(),
        owner_level: owner_pb(n.owner).into(),
        time: time(n.time),
    }
}
