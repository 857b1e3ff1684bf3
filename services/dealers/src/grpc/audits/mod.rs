//! The `aftercare.dealers.v1.AuditService` contract: audit checklists and
//! facility audits. Proto in, parsed at the edge; domain out.

mod convert;

use aftercare_auth::ServiceAuth;
use aftercare_edge::invalid_argument as invalid;
use aftercare_proto::dealers::v1::{self as pb, audit_service_server::AuditServiceServer};
use time::OffsetDateTime;
use tonic::{Request, Response, service::interceptor::InterceptedService};

use self::convert::{audit_fields, audit_key, checklist_fields, parse_audit_key};
use super::{Reply, fields, id_of};
use crate::usecases::Audits;

/// The gRPC face of facility audits.
#[derive(Debug, Clone)]
pub struct AuditApi {
    audits: Audits,
}

impl AuditApi {
    pub fn new(audits: Audits) -> Self {
        Self { audits }
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
        let id = fields::new_id(&r.audit_checklist_id, "audit_checklist_id").map_err(invalid)?;
        let fields = checklist_fields(&checklist).map_err(invalid)?;
        Ok(Response::new(
            self.audits
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
            self.audits
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
            .audits
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
        let id = fields::new_id(&r.facility_audit_id, "facility_audit_id").map_err(invalid)?;
        let fields = audit_fields(&audit, OffsetDateTime::now_utc()).map_err(invalid)?;
        Ok(Response::new(
            self.audits
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
            self.audits
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
            .audits
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
