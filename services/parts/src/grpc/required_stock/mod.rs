//! The `aftercare.parts.v1.RequiredStockService` contract: the required
//! stock lists and each station's compliance. Proto in, parsed at the edge;
//! domain out.

mod convert;

use aftercare_auth::ServiceAuth;
use aftercare_edge::invalid_argument as invalid;
use aftercare_proto::parts::v1::{
    self as pb, required_stock_service_server::RequiredStockServiceServer,
};
use tonic::{Request, Response, service::interceptor::InterceptedService};

use self::convert::pb_compliance;
use super::{Reply, fields, part_number};
use crate::usecases::{Context, RequiredStock};

/// The gRPC face of the required stock lists.
#[derive(Debug, Clone)]
pub(crate) struct RequiredStockApi {
    required: RequiredStock,
}

impl RequiredStockApi {
    pub(crate) fn new(cx: &Context) -> Self {
        Self {
            required: RequiredStock::new(cx.clone()),
        }
    }

    /// The tonic service, accepting only calls that carry a principal signed
    /// by the gateway.
    pub(crate) fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<RequiredStockServiceServer<Self>, ServiceAuth> {
        RequiredStockServiceServer::with_interceptor(self, auth)
    }
}

#[tonic::async_trait]
impl pb::required_stock_service_server::RequiredStockService for RequiredStockApi {
    #[tracing::instrument(skip_all)]
    async fn set_required_stock_item(
        &self,
        request: Request<pb::SetRequiredStockItemRequest>,
    ) -> Reply<pb::RequiredStockItem> {
        let caller = aftercare_edge::mutation(
            &request,
            "SetRequiredStockItem",
            &request.get_ref().request_id,
        )?;
        let item = aftercare_edge::required(request.into_inner().item, "item")?;
        let class =
            fields::station_class(item.station_class, "item.station_class").map_err(invalid)?;
        let part = part_number(&item.part_number, "item.part_number")?;
        let quantity = fields::quantity(item.quantity, "item.quantity").map_err(invalid)?;
        Ok(Response::new(
            self.required
                .set_required_item(&caller, class, part, quantity)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all)]
    async fn delete_required_stock_item(
        &self,
        request: Request<pb::DeleteRequiredStockItemRequest>,
    ) -> Reply<()> {
        let caller = aftercare_edge::mutation(
            &request,
            "DeleteRequiredStockItem",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        let class = fields::station_class(r.station_class, "station_class").map_err(invalid)?;
        let part = part_number(&r.part_number, "part_number")?;
        self.required
            .delete_required_item(&caller, class, &part)
            .await?;
        Ok(Response::new(()))
    }

    #[tracing::instrument(skip_all)]
    async fn list_required_stock_items(
        &self,
        request: Request<pb::ListRequiredStockItemsRequest>,
    ) -> Reply<pb::ListRequiredStockItemsResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let class = fields::station_class(r.station_class, "station_class").map_err(invalid)?;
        let filters = [class.as_str()];
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let rows = self
            .required
            .list_required_items(&principal, class, &page)
            .await?;
        let (rows, next_page_token) = page.finish(rows, |i| i.part_number.as_str(), &filters);
        Ok(Response::new(pb::ListRequiredStockItemsResponse {
            items: rows.into_iter().map(Into::into).collect(),
            next_page_token,
        }))
    }

    #[tracing::instrument(skip_all, fields(warehouse_id = %request.get_ref().warehouse_id))]
    async fn get_station_compliance(
        &self,
        request: Request<pb::GetStationComplianceRequest>,
    ) -> Reply<pb::StationCompliance> {
        let principal = aftercare_edge::principal(&request)?;
        let id = fields::id(&request.get_ref().warehouse_id, "warehouse_id").map_err(invalid)?;
        let (w, c) = self
            .required
            .get_station_compliance(&principal, &id)
            .await?;
        Ok(Response::new(pb_compliance(w, c, true)))
    }

    #[tracing::instrument(skip_all)]
    async fn list_station_compliance(
        &self,
        request: Request<pb::ListStationComplianceRequest>,
    ) -> Reply<pb::ListStationComplianceResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        fields::optional_id(&r.region_id, "region_id").map_err(invalid)?;
        fields::optional_id(&r.dealer_id, "dealer_id").map_err(invalid)?;
        let filters = [r.region_id.as_str(), r.dealer_id.as_str()];
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let rows = self
            .required
            .list_station_compliance(&principal, &r.region_id, &r.dealer_id, &page)
            .await?;
        let (rows, next_page_token) = page.finish(rows, |(w, _)| w.id.as_str(), &filters);
        Ok(Response::new(pb::ListStationComplianceResponse {
            stations: rows
                .into_iter()
                .map(|(w, c)| pb_compliance(w, c, false))
                .collect(),
            next_page_token,
        }))
    }
}
