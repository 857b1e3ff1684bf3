//! The `aftercare.parts.v1.PriceBoardService` contract: a station's price
//! board. Proto in, parsed at the edge; domain out.

mod convert;

use aftercare_auth::ServiceAuth;
use aftercare_db::timestamp;
use aftercare_edge::invalid_argument as invalid;
use aftercare_proto::parts::v1::{self as pb, price_board_service_server::PriceBoardServiceServer};
use tonic::{Request, Response, service::interceptor::InterceptedService};

use self::convert::sections;
use super::{Reply, fields};
use crate::{
    domain::price_board::Place,
    usecases::{Context, PriceBoard},
};

/// The gRPC face of the price board.
#[derive(Debug, Clone)]
pub(crate) struct PriceBoardApi {
    board: PriceBoard,
}

impl PriceBoardApi {
    pub(crate) fn new(cx: &Context) -> Self {
        Self {
            board: PriceBoard::new(cx.clone()),
        }
    }

    /// The tonic service, accepting only calls that carry a principal signed
    /// by the gateway.
    pub(crate) fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<PriceBoardServiceServer<Self>, ServiceAuth> {
        PriceBoardServiceServer::with_interceptor(self, auth)
    }
}

#[tonic::async_trait]
impl pb::price_board_service_server::PriceBoardService for PriceBoardApi {
    #[tracing::instrument(skip_all, fields(station_id = %request.get_ref().station_id))]
    async fn list_price_board_entries(
        &self,
        request: Request<pb::ListPriceBoardEntriesRequest>,
    ) -> Reply<pb::ListPriceBoardEntriesResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let station = fields::id(&r.station_id, "station_id").map_err(invalid)?;
        let asked_at = fields::time(r.at_time.as_ref(), "at_time").map_err(invalid)?;
        let sections = sections(r.section).map_err(invalid)?;
        let at_filter = asked_at.map(|t| t.to_string()).unwrap_or_default();
        let section_filter = r.section.to_string();
        let filters = [r.station_id.as_str(), &at_filter, &section_filter];
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let after = aftercare_edge::page_key(&page, Place::parse)?;
        // Later pages read at the time of the first, whatever the clock says.
        let at = after
            .as_ref()
            .map(|p| p.at)
            .or(asked_at)
            .unwrap_or_else(|| self.board.clock().now_micros());
        let (dealer_id, entries) = self
            .board
            .list_price_board(
                &principal,
                &station,
                at,
                &sections,
                after.as_ref(),
                page.fetch_limit(),
            )
            .await?;
        let keyed = entries
            .into_iter()
            .map(|e| (Place::of(&e, at).key(), e))
            .collect();
        let (entries, next_page_token) = page.finish(keyed, |(key, _)| key.as_str(), &filters);
        Ok(Response::new(pb::ListPriceBoardEntriesResponse {
            entries: entries.into_iter().map(|(_, e)| e.into()).collect(),
            next_page_token,
            dealer_id: dealer_id.as_str().to_owned(),
            at_time: fields::pb_time(timestamp::from_micros(at)),
        }))
    }
}
