//! Facility audits through AuditService: checklists, audits scored into a
//! station's star level, retries, bad input and who may do what.
//!
//! The checklist of the domain's worked example (100 points): signage 10,
//! workshop tidiness 20, customer lounge 20, special tools 30 (mandatory),
//! high-voltage safety zone 20 (mandatory).

mod access;
mod bad_input;
mod idempotency;
mod scoring;

use prost_types::Timestamp;

use crate::{fixture::*, support::AuditClient, values::rid};

pub(crate) const ITEMS: [(&str, i32, bool); 5] = [
    ("SIGNAGE", 10, false),
    ("TIDY", 20, false),
    ("LOUNGE", 20, false),
    ("TOOLS", 30, true),
    ("HV-ZONE", 20, true),
];

pub(crate) fn checklist(code: &str) -> pb::AuditChecklist {
    pb::AuditChecklist {
        code: code.into(),
        display_name: "Facility standard".into(),
        items: ITEMS
            .iter()
            .map(|(code, points, mandatory)| pb::AuditChecklistItem {
                code: (*code).into(),
                description: format!("Checks {code}"),
                points: *points,
                mandatory: *mandatory,
            })
            .collect(),
        ..Default::default()
    }
}

pub(crate) fn create_checklist_request(
    id: &str,
    checklist: pb::AuditChecklist,
) -> pb::CreateAuditChecklistRequest {
    pb::CreateAuditChecklistRequest {
        audit_checklist: Some(checklist),
        audit_checklist_id: id.into(),
        request_id: rid(),
    }
}

/// The example checklist, code FACILITY, with id `id`, created by head
/// office.
pub(crate) async fn create_checklist(c: &mut AuditClient, id: &str) -> pb::AuditChecklist {
    c.create_audit_checklist(create_checklist_request(id, checklist("FACILITY")))
        .await
        .answer()
}

/// `days` days ago, at whole seconds.
pub(crate) fn days_ago(days: i64) -> Option<Timestamp> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64;
    Some(Timestamp {
        seconds: now - days * 86_400,
        nanos: 0,
    })
}

/// An audit of `station` against `checklist` `days` days ago, passing
/// every item but `failed`.
pub(crate) fn audit(
    station: &str,
    checklist: &str,
    days: i64,
    failed: &[&str],
) -> pb::FacilityAudit {
    pb::FacilityAudit {
        station_id: station.into(),
        audit_checklist_id: checklist.into(),
        audit_time: days_ago(days),
        verdicts: ITEMS
            .iter()
            .map(|(code, _, _)| pb::AuditVerdict {
                item_code: (*code).into(),
                passed: !failed.contains(code),
                note: String::new(),
            })
            .collect(),
        ..Default::default()
    }
}

pub(crate) fn create_audit_request(audit: pb::FacilityAudit) -> pb::CreateFacilityAuditRequest {
    pb::CreateFacilityAuditRequest {
        facility_audit: Some(audit),
        facility_audit_id: String::new(),
        request_id: rid(),
    }
}

pub(crate) async fn record(c: &mut AuditClient, audit: pb::FacilityAudit) -> pb::FacilityAudit {
    c.create_facility_audit(create_audit_request(audit))
        .await
        .answer()
}

/// The station as head office reads it through DealersService.
pub(crate) async fn read_station(h: &Harness, id: &str) -> pb::Station {
    h.oem().get_station(get::station(id)).await.answer()
}
