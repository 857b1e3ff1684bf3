//! The `aftercare.parts.v1.PriceBoardService` contract: a station's price
//! board. Proto in, parsed at the edge; domain out.

use aftercare_auth::ServiceAuth;
use aftercare_db::timestamp;
use aftercare_edge::invalid_argument as invalid;
use aftercare_proto::parts::v1::{self as pb, price_board_service_server::PriceBoardServiceServer};
use aftercare_values::FieldViolation;
use tonic::{Request, Response, service::interceptor::InterceptedService};

use super::{Reply, convert, stock_convert};
use crate::{
    domain::price_board::{Details, Entry, Place, Section},
    store::Store,
};

/// The gRPC face of the price board.
#[derive(Debug, Clone)]
pub struct PriceBoardApi {
    store: Store,
}

impl PriceBoardApi {
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    /// The tonic service, accepting only calls that carry a principal signed
    /// by the gateway.
    pub fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<PriceBoardServiceServer<Self>, ServiceAuth> {
        PriceBoardServiceServer::with_interceptor(self, auth)
    }
}

/// The sections asked for: one, or the whole board.
fn sections(v: i32) -> Result<Vec<Section>, FieldViolation> {
    match pb::PriceBoardSection::try_from(v) {
        Ok(pb::PriceBoardSection::Unspecified) => Ok(Section::ALL.to_vec()),
        Ok(pb::PriceBoardSection::Parts) => Ok(vec![Section::Parts]),
        Ok(pb::PriceBoardSection::LabourOperations) => Ok(vec![Section::LabourOperations]),
        Ok(pb::PriceBoardSection::MaintenancePackages) => Ok(vec![Section::MaintenancePackages]),
        Err(_) => Err(FieldViolation::new("section", "unknown section")),
    }
}

fn pb_section(s: Section) -> pb::PriceBoardSection {
    match s {
        Section::Parts => pb::PriceBoardSection::Parts,
        Section::LabourOperations => pb::PriceBoardSection::LabourOperations,
        Section::MaintenancePackages => pb::PriceBoardSection::MaintenancePackages,
    }
}

impl From<Entry> for pb::PriceBoardEntry {
    fn from(e: Entry) -> Self {
        use pb::price_board_entry::Details as Pb;
        let section = pb_section(e.section()) as i32;
        let details = match e.details {
            Details::Part {
                unit,
                superseded_by,
            } => Pb::Part(pb::PartDetails {
                unit: unit.as_str().to_owned(),
                superseded_by: superseded_by
                    .map(|p| p.as_str().to_owned())
                    .unwrap_or_default(),
            }),
            Details::LabourOperation {
                standard_centihours,
            } => Pb::LabourOperation(pb::LabourOperationDetails {
                standard_centihours: standard_centihours as i32,
            }),
            Details::MaintenancePackage {
                model_code,
                interval_months,
                interval_km,
            } => Pb::MaintenancePackage(pb::MaintenancePackageDetails {
                model_code,
                interval_months: interval_months as i32,
                interval_km: interval_km as i32,
            }),
        };
        pb::PriceBoardEntry {
            section,
            code: e.code,
            display_name: e.display_name,
            price: convert::pb_money(e.price),
            effective_time: convert::pb_time(e.effective_time),
            details: Some(details),
        }
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
        let station = stock_convert::id(&r.station_id, "station_id").map_err(invalid)?;
        let asked_at = convert::time(r.at_time.as_ref(), "at_time").map_err(invalid)?;
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
            .unwrap_or_else(|| self.store.clock().now_micros());
        let (dealer_id, entries) = self
            .store
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
            at_time: convert::pb_time(timestamp::from_micros(at)),
        }))
    }
}
