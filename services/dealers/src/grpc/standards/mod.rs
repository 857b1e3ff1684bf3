//! The `aftercare.dealers.v1.ServiceStandardService` contract: proto in,
//! parsed at the edge; domain out. No SQL here, and no rule that belongs to
//! the domain.

use aftercare_auth::ServiceAuth;
use aftercare_db::timestamp::Clock;
use aftercare_edge::invalid_argument as invalid;
use aftercare_proto::dealers::v1::{
    self as pb, service_standard_service_server::ServiceStandardServiceServer,
};
use time::OffsetDateTime;
use tonic::{Request, Response, service::interceptor::InterceptedService};

mod convert;

use super::Reply;
use crate::usecases::Standards;

/// The gRPC face of the service standards.
#[derive(Debug, Clone)]
pub struct ServiceStandardApi {
    standards: Standards,
    /// Whether a new version would reach into the past, and whether an RO
    /// without its second moment is still pending, are judged at this time.
    clock: Clock,
}

impl ServiceStandardApi {
    pub fn new(standards: Standards) -> Self {
        Self {
            standards,
            clock: Clock::system(),
        }
    }

    /// The same service reading the time from `clock`: for tests that add
    /// versions and judge ROs at chosen times.
    pub fn with_clock(self, clock: Clock) -> Self {
        Self { clock, ..self }
    }

    /// The tonic service, accepting only calls that carry a principal signed
    /// by the gateway.
    pub fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<ServiceStandardServiceServer<Self>, ServiceAuth> {
        ServiceStandardServiceServer::with_interceptor(self, auth)
    }

    fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }
}

#[tonic::async_trait]
impl pb::service_standard_service_server::ServiceStandardService for ServiceStandardApi {
    #[tracing::instrument(skip_all, fields(code = tracing::field::Empty))]
    async fn create_service_standard(
        &self,
        request: Request<pb::CreateServiceStandardRequest>,
    ) -> Reply<pb::ServiceStandard> {
        let caller = aftercare_edge::mutation(
            &request,
            "CreateServiceStandard",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        let standard = aftercare_edge::required(r.standard, "standard")?;
        let now = self.now();
        let standard = convert::new_standard(&standard, now).map_err(invalid)?;
        tracing::Span::current().record("code", standard.rule.code.as_str());
        let created = self
            .standards
            .create_service_standard(&caller, standard, now)
            .await?;
        Ok(Response::new(convert::pb_standard(created, |_| true)))
    }

    #[tracing::instrument(skip_all, fields(code = %request.get_ref().code))]
    async fn get_service_standard(
        &self,
        request: Request<pb::GetServiceStandardRequest>,
    ) -> Reply<pb::ServiceStandard> {
        let code = convert::standard_code(&request.get_ref().code, "code").map_err(invalid)?;
        let principal = aftercare_edge::principal(&request)?;
        let shown = self
            .standards
            .get_service_standard(&principal, &code)
            .await?;
        let visible = shown.visible_pilots;
        Ok(Response::new(convert::pb_standard(shown.standard, |s| {
            visible.contains(s)
        })))
    }

    #[tracing::instrument(skip_all)]
    async fn list_service_standards(
        &self,
        request: Request<pb::ListServiceStandardsRequest>,
    ) -> Reply<pb::ListServiceStandardsResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let page = aftercare_edge::page(r.page_size, &r.page_token, &[])?;
        let rows = self
            .standards
            .list_service_standards(&principal, &page)
            .await?;
        let (rows, next_page_token) = page.finish(rows, |s| s.standard.rule.code.as_str(), &[]);
        Ok(Response::new(pb::ListServiceStandardsResponse {
            service_standards: rows
                .into_iter()
                .map(|shown| {
                    let visible = shown.visible_pilots;
                    convert::pb_standard(shown.standard, |s| visible.contains(s))
                })
                .collect(),
            next_page_token,
        }))
    }

    #[tracing::instrument(skip_all, fields(code = %request.get_ref().standard_code))]
    async fn add_standard_version(
        &self,
        request: Request<pb::AddStandardVersionRequest>,
    ) -> Reply<pb::ServiceStandard> {
        let caller = aftercare_edge::mutation(
            &request,
            "AddStandardVersion",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        let code = convert::standard_code(&r.standard_code, "standard_code").map_err(invalid)?;
        let version = convert::version(r.version.as_ref(), "version").map_err(invalid)?;
        let standard = self
            .standards
            .add_standard_version(&caller, &code, version, self.now())
            .await?;
        Ok(Response::new(convert::pb_standard(standard, |_| true)))
    }

    #[tracing::instrument(skip_all, fields(code = %request.get_ref().standard_code))]
    async fn get_standard_compliance(
        &self,
        request: Request<pb::GetStandardComplianceRequest>,
    ) -> Reply<pb::GetStandardComplianceResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let code = match r.standard_code.as_str() {
            "" => None,
            c => Some(convert::standard_code(c, "standard_code").map_err(invalid)?),
        };
        let period = convert::period(r.period.as_ref()).map_err(invalid)?;
        let scope = convert::scope(r.scope.as_ref()).map_err(invalid)?;
        let results = self
            .standards
            .standard_compliance(&principal, code.as_deref(), &period, &scope, self.now())
            .await?;
        Ok(Response::new(pb::GetStandardComplianceResponse {
            results: results
                .iter()
                .map(|r| convert::pb_compliance(&r.standard, &r.report))
                .collect(),
        }))
    }
}
