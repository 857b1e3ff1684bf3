//! The `aftercare.parts.v1.RequiredStockService` contract: the required
//! stock lists and each station's compliance. Proto in, parsed at the edge;
//! domain out.

use aftercare_auth::ServiceAuth;
use aftercare_edge::invalid_argument as invalid;
use aftercare_proto::parts::v1::{
    self as pb, required_stock_service_server::RequiredStockServiceServer,
};
use tonic::{Request, Response, service::interceptor::InterceptedService};

use super::{Reply, part_number, stock_convert as convert};
use crate::{
    domain::{
        required_stock::{Compliance, RequiredItem},
        warehouse::Warehouse,
    },
    store::Store,
};

/// The gRPC face of the required stock lists.
#[derive(Debug, Clone)]
pub struct RequiredStockApi {
    store: Store,
}

impl RequiredStockApi {
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    /// The tonic service, accepting only calls that carry a principal signed
    /// by the gateway.
    pub fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<RequiredStockServiceServer<Self>, ServiceAuth> {
        RequiredStockServiceServer::with_interceptor(self, auth)
    }
}

impl From<RequiredItem> for pb::RequiredStockItem {
    fn from(i: RequiredItem) -> Self {
        pb::RequiredStockItem {
            station_class: convert::pb_station_class(Some(i.station_class)) as i32,
            part_number: i.part_number.as_str().to_owned(),
            quantity: i.quantity.get(),
            update_time: super::convert::pb_time(i.update_time),
        }
    }
}

/// A station's compliance; item by item when `with_items`.
fn pb_compliance(w: Warehouse, c: Compliance, with_items: bool) -> pb::StationCompliance {
    pb::StationCompliance {
        warehouse_id: w.id.as_str().to_owned(),
        station_id: convert::text(w.station_id),
        dealer_id: convert::text(w.dealer_id),
        region_id: convert::text(w.region_id),
        station_class: convert::pb_station_class(w.station_class) as i32,
        items_required: c.items_required() as i32,
        items_met: c.items_met() as i32,
        rate_basis_points: c.basis_points() as i32,
        items: if with_items {
            c.items
                .iter()
                .map(|i| pb::ItemCompliance {
                    part_number: i.part_number.as_str().to_owned(),
                    required_quantity: i.required,
                    held_quantity: i.held,
                    met: i.met(),
                    shortfall: i.shortfall(),
                })
                .collect()
        } else {
            vec![]
        },
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
            convert::station_class(item.station_class, "item.station_class").map_err(invalid)?;
        let part = part_number(&item.part_number, "item.part_number")?;
        let quantity = convert::quantity(item.quantity, "item.quantity").map_err(invalid)?;
        Ok(Response::new(
            self.store
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
        let class = convert::station_class(r.station_class, "station_class").map_err(invalid)?;
        let part = part_number(&r.part_number, "part_number")?;
        self.store
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
        let class = convert::station_class(r.station_class, "station_class").map_err(invalid)?;
        let filters = [class.as_str()];
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let rows = self
            .store
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
        let id = convert::id(&request.get_ref().warehouse_id, "warehouse_id").map_err(invalid)?;
        let (w, c) = self.store.get_station_compliance(&principal, &id).await?;
        Ok(Response::new(pb_compliance(w, c, true)))
    }

    #[tracing::instrument(skip_all)]
    async fn list_station_compliance(
        &self,
        request: Request<pb::ListStationComplianceRequest>,
    ) -> Reply<pb::ListStationComplianceResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        convert::optional_id(&r.region_id, "region_id").map_err(invalid)?;
        convert::optional_id(&r.dealer_id, "dealer_id").map_err(invalid)?;
        let filters = [r.region_id.as_str(), r.dealer_id.as_str()];
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let rows = self
            .store
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
