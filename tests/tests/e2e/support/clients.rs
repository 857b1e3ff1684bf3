//! gRPC clients of the gateway that carry a bearer token, as a partner
//! system calls it, and the health check a deployment waits on.

use std::{
    net::SocketAddr,
    time::{Duration, Instant},
};

use aftercare_proto::{
    costs::v1::{
        cost_rate_service_client::CostRateServiceClient,
        repair_order_cost_service_client::RepairOrderCostServiceClient,
    },
    dealers::v1::{
        self as pb, dealers_service_client::DealersServiceClient,
        repair_order_service_client::RepairOrderServiceClient,
        service_standard_service_client::ServiceStandardServiceClient,
    },
    parts::v1::{
        labour_service_client::LabourServiceClient, parts_service_client::PartsServiceClient,
        price_board_service_client::PriceBoardServiceClient,
        required_stock_service_client::RequiredStockServiceClient,
        stock_service_client::StockServiceClient,
    },
    surveys::v1::{
        complaint_service_client::ComplaintServiceClient,
        dealer_scorecard_service_client::DealerScorecardServiceClient,
        league_service_client::LeagueServiceClient,
        survey_invitation_service_client::SurveyInvitationServiceClient,
        survey_response_service_client::SurveyResponseServiceClient,
        survey_score_service_client::SurveyScoreServiceClient,
        survey_template_service_client::SurveyTemplateServiceClient,
    },
};
use tonic::{
    Request, Status,
    metadata::{Ascii, MetadataValue},
    service::{Interceptor, interceptor::InterceptedService},
    transport::{Channel, Endpoint},
};
use tonic_health::pb::{
    HealthCheckRequest, health_check_response::ServingStatus, health_client::HealthClient,
};

use super::process::Running;

/// Adds `authorization: Bearer <token>` to every call, or nothing.
#[derive(Clone)]
pub(crate) struct Bearer(Option<MetadataValue<Ascii>>);

impl Interceptor for Bearer {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        if let Some(value) = &self.0 {
            request
                .metadata_mut()
                .insert("authorization", value.clone());
        }
        Ok(request)
    }
}

pub(crate) type Dealers = DealersServiceClient<InterceptedService<Channel, Bearer>>;

/// A connection to `addr` (plain HTTP/2).
pub(crate) async fn connect(addr: SocketAddr) -> Channel {
    Endpoint::from_shared(format!("http://{addr}"))
        .expect("a valid uri")
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .connect()
        .await
        .unwrap_or_else(|e| panic!("connect to {addr}: {e}"))
}

/// `channel` calling with `token` (or none), for any generated client:
/// `WarrantyClaimServiceClient::new(authed(&channel, Some(token)))`.
pub(crate) fn authed(
    channel: &Channel,
    token: Option<&str>,
) -> InterceptedService<Channel, Bearer> {
    InterceptedService::new(channel.clone(), bearer(token))
}

fn bearer(token: Option<&str>) -> Bearer {
    Bearer(token.map(|t| format!("Bearer {t}").parse().expect("an ASCII token")))
}

/// The dealers service through `channel`, calling with `token` (or none).
pub(crate) fn dealers(channel: &Channel, token: Option<&str>) -> Dealers {
    DealersServiceClient::with_interceptor(channel.clone(), bearer(token))
}

pub(crate) type RepairOrders = RepairOrderServiceClient<InterceptedService<Channel, Bearer>>;

/// The dealers service's repair orders through `channel`, calling with
/// `token`.
pub(crate) fn repair_orders(channel: &Channel, token: Option<&str>) -> RepairOrders {
    RepairOrderServiceClient::with_interceptor(channel.clone(), bearer(token))
}

pub(crate) type Standards = ServiceStandardServiceClient<InterceptedService<Channel, Bearer>>;

/// The dealers service's service standards through `channel`, calling with
/// `token`.
pub(crate) fn standards(channel: &Channel, token: Option<&str>) -> Standards {
    ServiceStandardServiceClient::with_interceptor(channel.clone(), bearer(token))
}

pub(crate) type Labour = LabourServiceClient<InterceptedService<Channel, Bearer>>;

/// The parts service's LabourService through `channel`, calling with
/// `token` (or none).
pub(crate) fn labour(channel: &Channel, token: Option<&str>) -> Labour {
    LabourServiceClient::with_interceptor(channel.clone(), bearer(token))
}

pub(crate) type Parts = PartsServiceClient<InterceptedService<Channel, Bearer>>;

/// The parts catalogue through `channel`, calling with `token`.
pub(crate) fn parts(channel: &Channel, token: Option<&str>) -> Parts {
    PartsServiceClient::with_interceptor(channel.clone(), bearer(token))
}

pub(crate) type Stock = StockServiceClient<InterceptedService<Channel, Bearer>>;

/// The parts service's StockService through `channel`, calling with
/// `token`.
pub(crate) fn stock(channel: &Channel, token: Option<&str>) -> Stock {
    StockServiceClient::with_interceptor(channel.clone(), bearer(token))
}

pub(crate) type RequiredStock = RequiredStockServiceClient<InterceptedService<Channel, Bearer>>;

/// The parts service's RequiredStockService through `channel`, calling
/// with `token`.
pub(crate) fn required_stock(channel: &Channel, token: Option<&str>) -> RequiredStock {
    RequiredStockServiceClient::with_interceptor(channel.clone(), bearer(token))
}

pub(crate) type PriceBoard = PriceBoardServiceClient<InterceptedService<Channel, Bearer>>;

/// The parts service's PriceBoardService through `channel`, calling with
/// `token`.
pub(crate) fn price_board(channel: &Channel, token: Option<&str>) -> PriceBoard {
    PriceBoardServiceClient::with_interceptor(channel.clone(), bearer(token))
}

pub(crate) type SurveyTemplates = SurveyTemplateServiceClient<InterceptedService<Channel, Bearer>>;

/// The surveys service's templates through `channel`, calling with `token`.
pub(crate) fn survey_templates(channel: &Channel, token: Option<&str>) -> SurveyTemplates {
    SurveyTemplateServiceClient::with_interceptor(channel.clone(), bearer(token))
}

pub(crate) type SurveyInvitations =
    SurveyInvitationServiceClient<InterceptedService<Channel, Bearer>>;

/// The surveys service's invitations through `channel`, calling with
/// `token`.
pub(crate) fn survey_invitations(channel: &Channel, token: Option<&str>) -> SurveyInvitations {
    SurveyInvitationServiceClient::with_interceptor(channel.clone(), bearer(token))
}

pub(crate) type SurveyResponses = SurveyResponseServiceClient<InterceptedService<Channel, Bearer>>;

/// The surveys service's responses through `channel`, calling with `token`
/// (none for a survey link's customer).
pub(crate) fn survey_responses(channel: &Channel, token: Option<&str>) -> SurveyResponses {
    SurveyResponseServiceClient::with_interceptor(channel.clone(), bearer(token))
}

pub(crate) type SurveyScores = SurveyScoreServiceClient<InterceptedService<Channel, Bearer>>;

/// The surveys service's scores through `channel`, calling with `token`.
pub(crate) fn survey_scores(channel: &Channel, token: Option<&str>) -> SurveyScores {
    SurveyScoreServiceClient::with_interceptor(channel.clone(), bearer(token))
}

pub(crate) type Leagues = LeagueServiceClient<InterceptedService<Channel, Bearer>>;

/// The surveys service's league tables through `channel`, calling with
/// `token`.
pub(crate) fn leagues(channel: &Channel, token: Option<&str>) -> Leagues {
    LeagueServiceClient::with_interceptor(channel.clone(), bearer(token))
}

pub(crate) type Complaints = ComplaintServiceClient<InterceptedService<Channel, Bearer>>;

/// The surveys service's complaints through `channel`, calling with `token`.
pub(crate) fn complaints(channel: &Channel, token: Option<&str>) -> Complaints {
    ComplaintServiceClient::with_interceptor(channel.clone(), bearer(token))
}

pub(crate) type Scorecards = DealerScorecardServiceClient<InterceptedService<Channel, Bearer>>;

/// The surveys service's dealer scorecards through `channel`, calling with
/// `token`.
pub(crate) fn scorecards(channel: &Channel, token: Option<&str>) -> Scorecards {
    DealerScorecardServiceClient::with_interceptor(channel.clone(), bearer(token))
}

pub(crate) type CostRates = CostRateServiceClient<InterceptedService<Channel, Bearer>>;

/// The costs service's rates through `channel`, calling with `token`.
pub(crate) fn cost_rates(channel: &Channel, token: Option<&str>) -> CostRates {
    CostRateServiceClient::with_interceptor(channel.clone(), bearer(token))
}

pub(crate) type RepairOrderCosts =
    RepairOrderCostServiceClient<InterceptedService<Channel, Bearer>>;

/// The costs service's repair-order costs through `channel`, calling with
/// `token`.
pub(crate) fn repair_order_costs(channel: &Channel, token: Option<&str>) -> RepairOrderCosts {
    RepairOrderCostServiceClient::with_interceptor(channel.clone(), bearer(token))
}

pub(crate) use aftercare_test_support::Outcome;

/// The ids of every station `client` may see, in the order listed.
pub(crate) async fn station_ids(client: &mut Dealers) -> Vec<String> {
    let request = pb::ListStationsRequest {
        page_size: 1000,
        ..Default::default()
    };
    let response = client.list_stations(request).await.answer();
    assert!(
        response.next_page_token.is_empty(),
        "one page holds them all"
    );
    response.stations.into_iter().map(|s| s.id).collect()
}

/// The ids of every dealer `client` may see, in the order listed.
pub(crate) async fn dealer_ids(client: &mut Dealers) -> Vec<String> {
    let request = pb::ListDealersRequest {
        page_size: 1000,
        ..Default::default()
    };
    let response = client.list_dealers(request).await.answer();
    assert!(
        response.next_page_token.is_empty(),
        "one page holds them all"
    );
    response.dealers.into_iter().map(|d| d.id).collect()
}

/// Waits until the server at `addr` reports `service` ("" for the server
/// as a whole) as serving, retrying until a deadline; fails at once when
/// `process` ends.
pub(crate) async fn wait_until_serving(addr: SocketAddr, service: &str, process: &mut Running) {
    const PATIENCE: Duration = Duration::from_secs(60);
    let deadline = Instant::now() + PATIENCE;
    let mut attempt = 0u32;
    loop {
        process.assert_running();
        let check = async {
            let channel = Endpoint::from_shared(format!("http://{addr}"))
                .map_err(|e| e.to_string())?
                .connect()
                .await
                .map_err(|e| e.to_string())?;
            let request = HealthCheckRequest {
                service: service.to_owned(),
            };
            let response = HealthClient::new(channel)
                .check(request)
                .await
                .map_err(|e| e.to_string())?;
            Ok::<_, String>(response.into_inner().status())
        };
        let last = match tokio::time::timeout(Duration::from_secs(5), check).await {
            Ok(Ok(ServingStatus::Serving)) => return,
            Ok(Ok(status)) => format!("{status:?}"),
            Ok(Err(e)) => e,
            Err(_) => "no answer within 5s".to_owned(),
        };
        assert!(
            Instant::now() < deadline,
            "{addr} did not report {service:?} serving within {PATIENCE:?}: {last}"
        );
        // Not a fixed wait for readiness: a short pause between attempts,
        // growing to a tenth of a second.
        attempt += 1;
        tokio::time::sleep(Duration::from_millis(10 * u64::from(attempt.min(10)))).await;
    }
}
