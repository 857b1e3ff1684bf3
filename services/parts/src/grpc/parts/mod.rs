//! The `aftercare.parts.v1.PartsService` contract: parts and their prices.
//! Proto in, parsed at the edge; domain out.

mod convert;

use aftercare_auth::ServiceAuth;
use aftercare_edge::invalid_argument as invalid;
use aftercare_proto::parts::v1::{self as pb, parts_service_server::PartsServiceServer};
use tonic::{Request, Response, service::interceptor::InterceptedService};

use super::{Reply, fields, int_key, part_number};
use crate::usecases::{Catalogue, Context};

/// The gRPC face of the service.
#[derive(Debug, Clone)]
pub(crate) struct PartsApi {
    catalogue: Catalogue,
}

impl PartsApi {
    pub(crate) fn new(cx: &Context) -> Self {
        Self {
            catalogue: Catalogue::new(cx.clone()),
        }
    }

    /// The tonic service, accepting only calls that carry a principal signed
    /// by the gateway.
    pub(crate) fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<PartsServiceServer<Self>, ServiceAuth> {
        PartsServiceServer::with_interceptor(self, auth)
    }
}

#[tonic::async_trait]
impl pb::parts_service_server::PartsService for PartsApi {
    #[tracing::instrument(skip_all, fields(part_number = %request.get_ref().part_number))]
    async fn get_part(&self, request: Request<pb::GetPartRequest>) -> Reply<pb::Part> {
        let r = request.get_ref();
        let id = part_number(&r.part_number, "part_number")?;
        Ok(Response::new(
            self.catalogue
                .get_part(
                    &aftercare_edge::principal(&request)?,
                    &id,
                    r.follow_supersession,
                )
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all)]
    async fn list_parts(
        &self,
        request: Request<pb::ListPartsRequest>,
    ) -> Reply<pb::ListPartsResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        if !r.category.is_empty() {
            convert::category(&r.category, "category").map_err(invalid)?;
        }
        let filters = [r.category.as_str()];
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let rows = self
            .catalogue
            .list_parts(&principal, &r.category, &page)
            .await?;
        let (rows, next_page_token) = page.finish(rows, |p| p.part_number.as_str(), &filters);
        Ok(Response::new(pb::ListPartsResponse {
            parts: rows.into_iter().map(Into::into).collect(),
            next_page_token,
        }))
    }

    #[tracing::instrument(skip_all)]
    async fn create_part(&self, request: Request<pb::CreatePartRequest>) -> Reply<pb::Part> {
        let caller =
            aftercare_edge::mutation(&request, "CreatePart", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let part = aftercare_edge::required(r.part, "part")?;
        let id = part_number(&part.part_number, "part.part_number")?;
        let unit = fields::unit(&part.unit, "part.unit")
            .map_err(invalid)?
            .unwrap_or_default();
        let part_fields = convert::part_fields(&part).map_err(invalid)?;
        let price = convert::part_price(&part).map_err(invalid)?;
        Ok(Response::new(
            self.catalogue
                .create_part(&caller, id, unit, part_fields, price)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all)]
    async fn update_part(&self, request: Request<pb::UpdatePartRequest>) -> Reply<pb::Part> {
        let caller =
            aftercare_edge::mutation(&request, "UpdatePart", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let part = aftercare_edge::required(r.part, "part")?;
        let id = part_number(&part.part_number, "part.part_number")?;
        let etag = fields::etag(&part.etag, "part.etag").map_err(invalid)?;
        let patch = convert::part_patch(&part, r.update_mask).map_err(invalid)?;
        Ok(Response::new(
            self.catalogue
                .update_part(&caller, &id, etag, patch)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all, fields(part_number = %request.get_ref().part_number))]
    async fn schedule_price_change(
        &self,
        request: Request<pb::SchedulePriceChangeRequest>,
    ) -> Reply<pb::PriceChange> {
        let caller = aftercare_edge::mutation(
            &request,
            "SchedulePriceChange",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        let id = part_number(&r.part_number, "part_number")?;
        let effective_time = aftercare_edge::required(
            fields::time(r.effective_time.as_ref(), "effective_time").map_err(invalid)?,
            "effective_time",
        )?;
        let price = convert::price(r.list_price.as_ref(), r.cost.as_ref(), "list_price", "cost")
            .map_err(invalid)?;
        Ok(Response::new(
            self.catalogue
                .schedule_price_change(&caller, &id, effective_time, price)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all, fields(part_number = %request.get_ref().part_number))]
    async fn list_price_changes(
        &self,
        request: Request<pb::ListPriceChangesRequest>,
    ) -> Reply<pb::ListPriceChangesResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let id = part_number(&r.part_number, "part_number")?;
        let filters = [r.part_number.as_str()];
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let after = int_key(&page)?;
        let rows = self
            .catalogue
            .list_price_changes(&principal, &id, after, page.fetch_limit())
            .await?
            .into_iter()
            .map(|c| (convert::price_change_key(&c), c))
            .collect();
        let (rows, next_page_token) = page.finish(rows, |(key, _)| key.as_str(), &filters);
        Ok(Response::new(pb::ListPriceChangesResponse {
            price_changes: rows.into_iter().map(|(_, c)| c.into()).collect(),
            next_page_token,
        }))
    }

    #[tracing::instrument(skip_all, fields(part_number = %request.get_ref().part_number))]
    async fn get_part_price(
        &self,
        request: Request<pb::GetPartPriceRequest>,
    ) -> Reply<pb::PriceChange> {
        let r = request.get_ref();
        let id = part_number(&r.part_number, "part_number")?;
        let at = fields::time(r.at_time.as_ref(), "at_time")
            .map_err(invalid)?
            .unwrap_or_else(|| self.catalogue.clock().now_micros());
        Ok(Response::new(
            self.catalogue
                .get_part_price(&aftercare_edge::principal(&request)?, &id, at)
                .await?
                .into(),
        ))
    }
}
