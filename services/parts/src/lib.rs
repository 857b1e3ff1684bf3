//! The `parts` service. It runs in both modes with health and reflection;
//! its contract `aftercare.parts.v1.PartsService` gains its methods with the
//! issue that builds it. [`domain`] already holds the stock rules.

pub mod domain;

use aftercare_auth::ServiceAuth;
use aftercare_proto::parts::v1::parts_service_server::{PartsService, PartsServiceServer};
use tonic::service::interceptor::InterceptedService;

/// The gRPC face of the service.
#[derive(Debug, Clone, Default)]
pub struct PartsApi;

impl PartsService for PartsApi {}

impl PartsApi {
    /// The tonic service, accepting only calls that carry a principal signed
    /// by the gateway.
    pub fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<PartsServiceServer<Self>, ServiceAuth> {
        PartsServiceServer::with_interceptor(self, auth)
    }
}
