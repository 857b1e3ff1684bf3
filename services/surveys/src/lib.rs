//! The `surveys` service. It runs in both modes with health and reflection;
//! its contract `aftercare.surveys.v1.SurveysService` gains its methods with the
//! issue that builds it.

pub mod boards;
pub mod domain;

use aftercare_auth::ServiceAuth;
use aftercare_proto::surveys::v1::surveys_service_server::{SurveysService, SurveysServiceServer};
use tonic::service::interceptor::InterceptedService;

/// The gRPC face of the service.
#[derive(Debug, Clone, Default)]
pub struct SurveysApi;

impl SurveysService for SurveysApi {}

impl SurveysApi {
    /// The tonic service, accepting only calls that carry a principal signed
    /// by the gateway.
    pub fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<SurveysServiceServer<Self>, ServiceAuth> {
        SurveysServiceServer::with_interceptor(self, auth)
    }
}
