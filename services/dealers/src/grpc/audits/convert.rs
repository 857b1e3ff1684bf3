//! Audit checklists and facility audits between proto and domain.

use aftercare_db::timestamp;
use aftercare_proto::dealers::v1 as pb;
use aftercare_values::{AtField, FieldViolation};
use prost_types::Timestamp;
use time::OffsetDateTime;

use crate::{
    domain::audits::{
        AuditFields, Checklist, ChecklistError, ChecklistFields, ChecklistItem, FacilityAudit,
        Item, Note, Verdict, check_audit_time, check_items, parse_points,
    },
    grpc::fields,
};

type Result<T> = std::result::Result<T, FieldViolation>;

// Proto → domain -------------------------------------------------------------

pub(super) fn checklist_fields(p: &pb::AuditChecklist) -> Result<ChecklistFields> {
    let code = fields::code(&p.code, "audit_checklist.code")?;
    let display_name = fields::name(&p.display_name, "audit_checklist.display_name")?;
    let items = p
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let field = |name: &str| format!("audit_checklist.items[{i}].{name}");
            Ok(ChecklistItem {
                item: Item {
                    code: fields::code(&item.code, &field("code"))?.into_string(),
                    points: parse_points(item.points.into()).at(&field("points"))?,
                    mandatory: item.mandatory,
                },
                description: fields::name(&item.description, &field("description"))?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let scored: Vec<Item> = items.iter().map(|i| i.item.clone()).collect();
    check_items(&scored).map_err(|e| match &e {
        ChecklistError::ItemCount => FieldViolation::new("audit_checklist.items", e.to_string()),
        ChecklistError::Duplicate { index, .. } => FieldViolation::new(
            format!("audit_checklist.items[{index}].code"),
            e.to_string(),
        ),
    })?;
    Ok(ChecklistFields {
        code,
        display_name,
        items,
    })
}

pub(super) fn audit_fields(p: &pb::FacilityAudit, now: OffsetDateTime) -> Result<AuditFields> {
    let station_id = fields::id(&p.station_id, "facility_audit.station_id")?;
    let checklist_id = fields::id(&p.audit_checklist_id, "facility_audit.audit_checklist_id")?;
    let audit_time = audit_time(p.audit_time.as_ref(), now, "facility_audit.audit_time")?;
    let verdicts = p
        .verdicts
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let field = |name: &str| format!("facility_audit.verdicts[{i}].{name}");
            Ok(Verdict {
                item_code: fields::code(&v.item_code, &field("item_code"))?,
                passed: v.passed,
                note: Note::parse(&v.note).at(&field("note"))?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(AuditFields {
        station_id,
        checklist_id,
        audit_time,
        verdicts,
    })
}

/// A time that must be set; an audit's is not in the future.
fn audit_time(v: Option<&Timestamp>, now: OffsetDateTime, field: &str) -> Result<OffsetDateTime> {
    let at = fields::required_time(v, field)?;
    check_audit_time(at, now).at(field)?;
    Ok(at)
}

/// A page key of the newest-first list: the audit time in microseconds and
/// the id.
pub(super) fn audit_key(a: &FacilityAudit) -> String {
    format!("{}:{}", timestamp::to_micros(a.audit_time), a.id)
}

pub(super) fn parse_audit_key(key: &str) -> Option<(i64, String)> {
    let (micros, id) = key.split_once(':')?;
    Some((micros.parse().ok()?, id.to_owned()))
}

// Domain → proto -------------------------------------------------------------

impl From<Checklist> for pb::AuditChecklist {
    fn from(c: Checklist) -> Self {
        pb::AuditChecklist {
            id: c.id.into_string(),
            code: c.fields.code.into_string(),
            version: c.version as i32,
            display_name: c.fields.display_name.into_string(),
            items: c
                .fields
                .items
                .into_iter()
                .map(|i| pb::AuditChecklistItem {
                    code: i.item.code,
                    description: i.description.into_string(),
                    points: i.item.points as i32,
                    mandatory: i.item.mandatory,
                })
                .collect(),
            create_time: fields::timestamp(c.create_time),
        }
    }
}

impl From<FacilityAudit> for pb::FacilityAudit {
    fn from(a: FacilityAudit) -> Self {
        pb::FacilityAudit {
            id: a.id.into_string(),
            station_id: a.station_id.into_string(),
            dealer_id: a.dealer_id.into_string(),
            region_id: a.region_id.into_string(),
            audit_checklist_id: a.checklist_id.into_string(),
            audit_time: fields::timestamp(a.audit_time),
            auditor: a.auditor,
            verdicts: a
                .verdicts
                .into_iter()
                .map(|v| pb::AuditVerdict {
                    item_code: v.item_code.into_string(),
                    passed: v.passed,
                    note: v.note.map(Note::into_string).unwrap_or_default(),
                })
                .collect(),
            score_basis_points: a.outcome.score_basis_points as i32,
            mandatory_failed: a.outcome.mandatory_failed as i32,
            star_level: a.outcome.star_level.into(),
            create_time: fields::timestamp(a.create_time),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_times_are_kept_to_the_microsecond_and_not_ahead() {
        let now = OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
        let t = |seconds, nanos| Timestamp { seconds, nanos };
        let at = audit_time(Some(&t(1_700_000_000, 123_456_789)), now, "f").unwrap();
        assert_eq!(timestamp::to_micros(at), 1_700_000_000_123_456);
        assert!(audit_time(None, now, "f").is_err());
        assert!(audit_time(Some(&t(1_700_000_000, -1)), now, "f").is_err());
        assert!(audit_time(Some(&t(1_800_000_000 + 3600, 0)), now, "f").is_err());
        assert!(audit_time(Some(&t(i64::MAX, 0)), now, "f").is_err());
    }

    #[test]
    fn page_keys_round_trip() {
        assert_eq!(parse_audit_key("-5:a-1"), Some((-5, "a-1".to_owned())));
        assert_eq!(parse_audit_key("x:a"), None);
        assert_eq!(parse_audit_key("5"), None);
    }
}
