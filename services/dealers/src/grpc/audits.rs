//! The `aftercare.dealers.v1.AuditService` contract: audit checklists and
//! facility audits. Proto in, parsed at the edge; domain out.

use aftercare_auth::ServiceAuth;
use aftercare_db::timestamp;
use aftercare_edge::invalid_argument as invalid;
use aftercare_proto::dealers::v1::{self as pb, audit_service_server::AuditServiceServer};
use aftercare_values::{AtField, FieldViolation};
use prost_types::Timestamp;
use time::OffsetDateTime;
use tonic::{Request, Response, service::interceptor::InterceptedService};

use super::{Reply, convert, id_of};
use crate::{
    domain::audits::{
        AuditFields, Checklist, ChecklistError, ChecklistFields, ChecklistItem, FacilityAudit,
        Item, Note, Verdict, check_audit_time, check_items, parse_points,
    },
    store::Store,
};

type Result<T> = std::result::Result<T, FieldViolation>;

/// The gRPC face of facility audits.
#[derive(Debug, Clone)]
pub struct AuditApi {
    store: Store,
}

impl AuditApi {
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    /// The tonic service, accepting only calls that carry a principal signed
    /// by the gateway.
    pub fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<AuditServiceServer<Self>, ServiceAuth> {
        AuditServiceServer::with_interceptor(self, auth)
    }
}

#[tonic::async_trait]
impl pb::audit_service_server::AuditService for AuditApi {
    #[tracing::instrument(skip_all)]
    async fn create_audit_checklist(
        &self,
        request: Request<pb::CreateAuditChecklistRequest>,
    ) -> Reply<pb::AuditChecklist> {
        let caller = aftercare_edge::mutation(
            &request,
            "CreateAuditChecklist",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        let checklist = aftercare_edge::required(r.audit_checklist, "audit_checklist")?;
        let id = convert::new_id(&r.audit_checklist_id, "audit_checklist_id").map_err(invalid)?;
        let fields = checklist_fields(&checklist).map_err(invalid)?;
        Ok(Response::new(
            self.store
                .create_audit_checklist(&caller, id, fields)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn get_audit_checklist(
        &self,
        request: Request<pb::GetAuditChecklistRequest>,
    ) -> Reply<pb::AuditChecklist> {
        let id = id_of(&request.get_ref().id, "id")?;
        Ok(Response::new(
            self.store
                .get_audit_checklist(&aftercare_edge::principal(&request)?, &id)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all)]
    async fn list_audit_checklists(
        &self,
        request: Request<pb::ListAuditChecklistsRequest>,
    ) -> Reply<pb::ListAuditChecklistsResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let filters = [r.code.as_str()];
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let rows = self
            .store
            .list_audit_checklists(&principal, &r.code, &page)
            .await?;
        let (rows, next_page_token) = page.finish(rows, |c| c.id.as_str(), &filters);
        Ok(Response::new(pb::ListAuditChecklistsResponse {
            audit_checklists: rows.into_iter().map(Into::into).collect(),
            next_page_token,
        }))
    }

    #[tracing::instrument(skip_all)]
    async fn create_facility_audit(
        &self,
        request: Request<pb::CreateFacilityAuditRequest>,
    ) -> Reply<pb::FacilityAudit> {
        let caller = aftercare_edge::mutation(
            &request,
            "CreateFacilityAudit",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        let audit = aftercare_edge::required(r.facility_audit, "facility_audit")?;
        let id = convert::new_id(&r.facility_audit_id, "facility_audit_id").map_err(invalid)?;
        let fields = audit_fields(&audit, OffsetDateTime::now_utc()).map_err(invalid)?;
        Ok(Response::new(
            self.store
                .create_facility_audit(&caller, id, fields)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn get_facility_audit(
        &self,
        request: Request<pb::GetFacilityAuditRequest>,
    ) -> Reply<pb::FacilityAudit> {
        let id = id_of(&request.get_ref().id, "id")?;
        Ok(Response::new(
            self.store
                .get_facility_audit(&aftercare_edge::principal(&request)?, &id)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all)]
    async fn list_facility_audits(
        &self,
        request: Request<pb::ListFacilityAuditsRequest>,
    ) -> Reply<pb::ListFacilityAuditsResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let filters = [r.station_id.as_str(), r.dealer_id.as_str()];
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let after = aftercare_edge::page_key(&page, parse_audit_key)?;
        let rows = self
            .store
            .list_facility_audits(
                &principal,
                &r.station_id,
                &r.dealer_id,
                after,
                page.fetch_limit(),
            )
            .await?;
        let keyed = rows.into_iter().map(|a| (audit_key(&a), a)).collect();
        let (rows, next_page_token) = page.finish(keyed, |(key, _)| key.as_str(), &filters);
        Ok(Response::new(pb::ListFacilityAuditsResponse {
            facility_audits: rows.into_iter().map(|(_, a)| a.into()).collect(),
            next_page_token,
        }))
    }
}

// Proto → domain -------------------------------------------------------------

fn checklist_fields(p: &pb::AuditChecklist) -> Result<ChecklistFields> {
    let code = convert::code(&p.code, "audit_checklist.code")?;
    let display_name = convert::name(&p.display_name, "audit_checklist.display_name")?;
    let items = p
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let field = |name: &str| format!("audit_checklist.items[{i}].{name}");
            Ok(ChecklistItem {
                item: Item {
                    code: convert::code(&item.code, &field("code"))?.into_string(),
                    points: parse_points(item.points.into()).at(&field("points"))?,
                    mandatory: item.mandatory,
                },
                description: convert::name(&item.description, &field("description"))?,
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

fn audit_fields(p: &pb::FacilityAudit, now: OffsetDateTime) -> Result<AuditFields> {
    let station_id = convert::id(&p.station_id, "facility_audit.station_id")?;
    let checklist_id = convert::id(&p.audit_checklist_id, "facility_audit.audit_checklist_id")?;
    let audit_time = audit_time(p.audit_time.as_ref(), now, "facility_audit.audit_time")?;
    let verdicts = p
        .verdicts
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let field = |name: &str| format!("facility_audit.verdicts[{i}].{name}");
            Ok(Verdict {
                item_code: convert::code(&v.item_code, &field("item_code"))?,
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
    let at = convert::required_time(v, field)?;
    check_audit_time(at, now).at(field)?;
    Ok(at)
}

/// A page key of the newest-first list: the audit time in microseconds and
/// the id.
fn audit_key(a: &FacilityAudit) -> String {
    format!("{}:{}", timestamp::to_micros(a.audit_time), a.id)
}

fn parse_audit_key(key: &str) -> Option<(i64, String)> {
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
            create_time: convert::timestamp(c.create_time),
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
            audit_time: convert::timestamp(a.audit_time),
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
            create_time: convert::timestamp(a.create_time),
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
