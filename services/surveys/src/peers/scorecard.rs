//! The scorecard's reads of dealers (standards compliance), parts (fill
//! rate, required stock) and costs (cost summary, comebacks), each signed
//! as the caller and given the scorecard's one `deadline`: the scorecard
//! gathers them side by side and names missing whichever does not answer
//! in time.

use std::time::Duration;

use aftercare_auth::Principal;
use aftercare_proto::{
    common::v1 as common,
    costs::v1::{self as costs_pb, repair_order_cost_service_client::RepairOrderCostServiceClient},
    dealers::v1::{
        self as dealers_pb, get_standard_compliance_request::Scope,
        service_standard_service_client::ServiceStandardServiceClient,
    },
    parts::v1::{
        self as parts_pb, required_stock_service_client::RequiredStockServiceClient,
        stock_service_client::StockServiceClient,
    },
};
use aftercare_values::Period;
use tonic::Status;

use super::Peers;

/// The required-stock pages read at most (1000 stations each).
const MAX_STOCK_PAGES: usize = 10;

fn request<T>(message: T, deadline: Duration) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    request.set_timeout(deadline);
    request
}

fn period_pb(period: Period) -> common::Period {
    let (kind, year, number) = period.parts();
    common::Period {
        kind: kind as i32,
        year,
        number,
    }
}

/// Reads of one dealer and period, as one caller, under one deadline.
pub(crate) struct ScorecardReads<'a> {
    pub(crate) peers: &'a Peers,
    pub(crate) caller: &'a Principal,
    pub(crate) dealer_id: &'a str,
    pub(crate) period: Period,
    pub(crate) deadline: Duration,
}

impl ScorecardReads<'_> {
    /// The dealer's compliance with every standard.
    pub(crate) async fn standards(&self) -> Result<Vec<dealers_pb::StandardCompliance>, Status> {
        let peer = self.peers.dealers()?;
        let mut client = ServiceStandardServiceClient::new(peer.signed(self.caller));
        let message = dealers_pb::GetStandardComplianceRequest {
            standard_code: String::new(),
            period: Some(period_pb(self.period)),
            scope: Some(Scope::DealerId(self.dealer_id.to_owned())),
        };
        Ok(client
            .get_standard_compliance(request(message, self.deadline))
            .await?
            .into_inner()
            .results)
    }

    /// The dealer's first-time fill rate.
    pub(crate) async fn fill_rate(&self) -> Result<parts_pb::FillRate, Status> {
        let peer = self.peers.parts()?;
        let mut client = StockServiceClient::new(peer.signed(self.caller));
        let message = parts_pb::GetFillRateRequest {
            dealer_id: self.dealer_id.to_owned(),
            region_id: String::new(),
            period: Some(period_pb(self.period)),
        };
        Ok(client
            .get_fill_rate(request(message, self.deadline))
            .await?
            .into_inner())
    }

    /// The required-stock compliance of each of the dealer's stations.
    pub(crate) async fn required_stock(&self) -> Result<Vec<parts_pb::StationCompliance>, Status> {
        let peer = self.peers.parts()?;
        let mut client = RequiredStockServiceClient::new(peer.signed(self.caller));
        let (mut stations, mut page_token) = (vec![], String::new());
        for _ in 0..MAX_STOCK_PAGES {
            let message = parts_pb::ListStationComplianceRequest {
                region_id: String::new(),
                dealer_id: self.dealer_id.to_owned(),
                page_size: 1000,
                page_token,
            };
            let page = client
                .list_station_compliance(request(message, self.deadline))
                .await?
                .into_inner();
            stations.extend(page.stations);
            if page.next_page_token.is_empty() {
                break;
            }
            page_token = page.next_page_token;
        }
        Ok(stations)
    }

    /// The dealer's cost per RO, margin, claim rate and ROs delivered.
    pub(crate) async fn cost_summary(&self) -> Result<costs_pb::CostSummary, Status> {
        let peer = self.peers.costs()?;
        let mut client = RepairOrderCostServiceClient::new(peer.signed(self.caller));
        let message = costs_pb::GetCostSummaryRequest {
            scope: Some(costs_pb::CostScope {
                level: costs_pb::ScopeLevel::Dealer as i32,
                id: self.dealer_id.to_owned(),
            }),
            period: Some(period_pb(self.period)),
        };
        Ok(client
            .get_cost_summary(request(message, self.deadline))
            .await?
            .into_inner())
    }

    /// The dealer's comebacks (and their cost).
    pub(crate) async fn poor_quality(&self) -> Result<costs_pb::PoorQualityCost, Status> {
        let peer = self.peers.costs()?;
        let mut client = RepairOrderCostServiceClient::new(peer.signed(self.caller));
        let message = costs_pb::GetPoorQualityCostRequest {
            dealer_id: self.dealer_id.to_owned(),
            period: Some(period_pb(self.period)),
        };
        Ok(client
            .get_poor_quality_cost(request(message, self.deadline))
            .await?
            .into_inner())
    }
}
