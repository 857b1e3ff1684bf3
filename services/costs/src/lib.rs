//! The `costs` service. It runs in both modes with health and reflection;
//! its contract `aftercare.costs.v1.CostsService` gains its methods with the
//! issue that builds it.

use aftercare_auth::{Secret, ServiceAuth};
use aftercare_proto::costs::v1::costs_service_server::{CostsService, CostsServiceServer};
use aftercare_serving::{Built, ServerRoutes};
use tonic::service::interceptor::InterceptedService;

/// The gRPC face of the service.
#[derive(Debug, Clone, Default)]
pub struct CostsApi;

impl CostsService for CostsApi {}

impl CostsApi {
    /// The tonic service, accepting only calls that carry a principal signed
    /// by the gateway.
    pub fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<CostsServiceServer<Self>, ServiceAuth> {
        CostsServiceServer::with_interceptor(self, auth)
    }
}

/// What the costs service is built from: only the key its callers sign
/// with, until it keeps data.
#[derive(Debug, Clone)]
pub struct Costs {
    key: Secret,
}

impl Costs {
    /// The service accepting calls signed with `key`.
    pub fn new(key: Secret) -> Self {
        Self { key }
    }

    /// Its contract, with health and reflection.
    pub async fn build(self) -> Built {
        Built::new(
            ServerRoutes::new().with_service(CostsApi.into_server(ServiceAuth::new(self.key))),
        )
        .await
    }
}
