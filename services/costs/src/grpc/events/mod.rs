//! The `aftercare.costs.v1.CostEventService` contract: the events other
//! services' relays deliver, each applied once per event id.

pub(crate) mod convert;

use aftercare_auth::ServiceAuth;
use aftercare_edge::invalid_argument as invalid;
use aftercare_proto::costs::v1::{
    self as pb,
    cost_event_service_server::{CostEventService, CostEventServiceServer},
};
use aftercare_values::Currency;
use tonic::{Request, Response, service::interceptor::InterceptedService};

use self::convert::{check_bill, compensation, delivered, pb_compensation};
use super::{Reply, claims::claim_message, ro_costs::repair_order_cost};
use crate::usecases::{Compensations, Context, RepairOrderCosts, WarrantyClaims};

/// The gRPC face of the events costs receives.
#[derive(Debug, Clone)]
pub(crate) struct CostEventApi {
    costs: RepairOrderCosts,
    compensations: Compensations,
    claims: WarrantyClaims,
    currency: Currency,
}

impl CostEventApi {
    pub(crate) fn new(cx: &Context) -> Self {
        Self {
            costs: RepairOrderCosts::new(cx.clone()),
            compensations: Compensations::new(cx.clone()),
            claims: WarrantyClaims::new(cx.clone()),
            currency: cx.currency,
        }
    }

    /// The tonic service, accepting only calls that carry a principal signed
    /// by the gateway (or a peer's relay).
    pub(crate) fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<CostEventServiceServer<Self>, ServiceAuth> {
        CostEventServiceServer::with_interceptor(self, auth)
    }
}

#[tonic::async_trait]
impl CostEventService for CostEventApi {
    #[tracing::instrument(skip_all, fields(event_id = %request.get_ref().request_id))]
    async fn receive_repair_order_delivered(
        &self,
        request: Request<pb::ReceiveRepairOrderDeliveredRequest>,
    ) -> Reply<pb::RepairOrderCost> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let event = aftercare_edge::required(r.event, "event")?;
        let delivered = delivered(event, &r.request_id).map_err(invalid)?;
        check_bill(&delivered, self.currency).map_err(invalid)?;
        let cost = self
            .costs
            .receive_delivered(&principal, &r.request_id, delivered)
            .await?;
        Ok(Response::new(repair_order_cost(cost, self.currency)))
    }

    #[tracing::instrument(skip_all, fields(event_id = %request.get_ref().request_id))]
    async fn receive_warranty_repair_order_delivered(
        &self,
        request: Request<pb::ReceiveWarrantyRepairOrderDeliveredRequest>,
    ) -> Reply<pb::WarrantyClaim> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let event = aftercare_edge::required(r.event, "event")?;
        let delivered = delivered(event, &r.request_id).map_err(invalid)?;
        let claim = self
            .claims
            .receive(&principal, &r.request_id, delivered)
            .await?;
        Ok(Response::new(claim_message(claim, self.currency)))
    }

    #[tracing::instrument(skip_all, fields(event_id = %request.get_ref().request_id))]
    async fn receive_complaint_compensation(
        &self,
        request: Request<pb::ReceiveComplaintCompensationRequest>,
    ) -> Reply<pb::ComplaintCompensation> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let event = aftercare_edge::required(r.event, "event")?;
        let c = compensation(event, &r.request_id, self.currency)?;
        let c = self
            .compensations
            .receive(&principal, &r.request_id, c)
            .await?;
        Ok(Response::new(pb_compensation(c, self.currency)))
    }
}
