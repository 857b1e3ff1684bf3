//! The two methods of a customer's survey link go through the gateway
//! without a bearer token, as an anonymous survey-link principal; every
//! other method still needs one. Anonymous callers are rate-limited per
//! client address.

use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    time::{Duration, SystemTime},
};

use aftercare_auth::{Principal, Scope, Secret, ServiceAuth, caller, token::TokenKeys};
use aftercare_gateway::{Gateway, GatewaySettings};
use aftercare_proto::surveys::v1::{
    self as pb,
    survey_response_service_client::SurveyResponseServiceClient,
    survey_response_service_server::{SurveyResponseService, SurveyResponseServiceServer},
};
use aftercare_serving::{ServerRoutes, in_process};
use tokio::{net::TcpListener, sync::oneshot};
use tonic::{
    Code, Request, Response, Status,
    transport::{Channel, Endpoint},
};

/// Answers the link methods with the principal it was given (subject and
/// role in the template code); the others are not reached in these tests.
struct Surveys;

fn seen(principal: &Principal) -> String {
    let role = match principal.scope {
        Scope::SurveyLink { .. } => "survey",
        Scope::Oem => "oem",
        _ => "other",
    };
    format!("{}/{role}", principal.subject)
}

#[tonic::async_trait]
impl SurveyResponseService for Surveys {
    async fn get_survey_by_link(
        &self,
        request: Request<pb::GetSurveyByLinkRequest>,
    ) -> Result<Response<pb::SurveyByLink>, Status> {
        Ok(Response::new(pb::SurveyByLink {
            version: Some(pb::SurveyVersion {
                template_code: seen(caller(&request)?),
                ..Default::default()
            }),
            ..Default::default()
        }))
    }

    async fn submit_survey_response(
        &self,
        request: Request<pb::SubmitSurveyResponseRequest>,
    ) -> Result<Response<pb::SubmitSurveyResponseResponse>, Status> {
        caller(&request)?;
        Ok(Response::new(pb::SubmitSurveyResponseResponse::default()))
    }

    async fn get_survey_response(
        &self,
        request: Request<pb::GetSurveyResponseRequest>,
    ) -> Result<Response<pb::SurveyResponse>, Status> {
        caller(&request)?;
        Ok(Response::new(pb::SurveyResponse::default()))
    }

    async fn list_survey_responses(
        &self,
        request: Request<pb::ListSurveyResponsesRequest>,
    ) -> Result<Response<pb::ListSurveyResponsesResponse>, Status> {
        caller(&request)?;
        Ok(Response::new(pb::ListSurveyResponsesResponse::default()))
    }
}

/// A gateway in front of [`Surveys`], not yet serving.
async fn gateway(settings: GatewaySettings) -> (Gateway, TokenKeys) {
    let keys = TokenKeys::new(&Secret::generate());
    let internal_key = Secret::generate();
    let surveys = SurveyResponseServiceServer::with_interceptor(
        Surveys,
        ServiceAuth::new(internal_key.clone()),
    );
    let (routes, _health) = ServerRoutes::new().with_service(surveys).finish().await;
    let gateway = Gateway::new(settings, keys.clone(), internal_key).route(
        "aftercare.surveys.v1",
        aftercare_gateway::backend(in_process("surveys", routes)),
    );
    (gateway, keys)
}

async fn start() -> (SurveyResponseServiceClient<Channel>, TokenKeys) {
    let (gateway, keys) = gateway(GatewaySettings::default()).await;
    (
        SurveyResponseServiceClient::new(gateway.in_process().await),
        keys,
    )
}

/// The gateway served on a loopback port, until the sender is dropped.
async fn serve(settings: GatewaySettings) -> (SocketAddr, TokenKeys, oneshot::Sender<()>) {
    let (gateway, keys) = gateway(settings).await;
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("local address");
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let shutdown = async {
            stopped.await.ok();
        };
        gateway
            .serve(listener, shutdown)
            .await
            .expect("gateway serves");
    });
    (addr, keys, stop)
}

/// A client of the gateway at `addr` whose connection comes from `from`.
/// Loopback accepts any source in 127.0.0.0/8, so each is another client
/// address to the gateway.
async fn client_from(addr: SocketAddr, from: Ipv4Addr) -> SurveyResponseServiceClient<Channel> {
    let channel = Endpoint::from_shared(format!("http://{addr}"))
        .expect("uri")
        .local_address(Some(IpAddr::V4(from)))
        .connect()
        .await
        .expect("connect to the gateway");
    SurveyResponseServiceClient::new(channel)
}

/// Three calls at once, then (almost) none: the rate the tests below use.
fn burst_of_three() -> GatewaySettings {
    GatewaySettings {
        rate_limit_per_second: 0.001,
        rate_limit_burst: 3,
        ..Default::default()
    }
}

fn mint(keys: &TokenKeys, subject: &str) -> String {
    let principal = Principal {
        subject: subject.into(),
        scope: Scope::Oem,
    };
    keys.mint(&principal, SystemTime::now(), Duration::from_secs(60))
}

fn with_token<T>(message: T, token: &str) -> Request<T> {
    let mut request = Request::new(message);
    request.metadata_mut().insert(
        "authorization",
        format!("Bearer {token}").parse().expect("ascii"),
    );
    request
}

#[tokio::test]
async fn the_link_methods_need_no_token() {
    let (mut client, _) = start().await;
    let survey = client
        .get_survey_by_link(pb::GetSurveyByLinkRequest::default())
        .await
        .expect("through without a token")
        .into_inner();
    assert_eq!(
        survey.version.unwrap().template_code,
        "anonymous-survey-link/survey"
    );
    client
        .submit_survey_response(pb::SubmitSurveyResponseRequest::default())
        .await
        .expect("through without a token");
}

#[tokio::test]
async fn every_other_method_still_needs_a_token() {
    let (mut client, keys) = start().await;
    let get = client
        .get_survey_response(pb::GetSurveyResponseRequest::default())
        .await;
    assert_eq!(get.unwrap_err().code(), Code::Unauthenticated);
    let list = client
        .list_survey_responses(pb::ListSurveyResponsesRequest::default())
        .await;
    assert_eq!(list.unwrap_err().code(), Code::Unauthenticated);
    let token = mint(&keys, "alice");
    client
        .get_survey_response(with_token(pb::GetSurveyResponseRequest::default(), &token))
        .await
        .expect("with a token");
}

#[tokio::test]
async fn a_token_sent_to_a_link_method_is_checked() {
    let (mut client, keys) = start().await;
    let bad = client
        .get_survey_by_link(with_token(pb::GetSurveyByLinkRequest::default(), "forged"))
        .await;
    assert_eq!(bad.unwrap_err().code(), Code::Unauthenticated);
    let token = mint(&keys, "alice");
    let survey = client
        .get_survey_by_link(with_token(pb::GetSurveyByLinkRequest::default(), &token))
        .await
        .expect("with a token")
        .into_inner();
    assert_eq!(survey.version.unwrap().template_code, "alice/oem");
}

#[tokio::test]
async fn anonymous_callers_are_limited_per_client_address() {
    let (addr, keys, _stop) = serve(burst_of_three()).await;
    let mut first = client_from(addr, Ipv4Addr::new(127, 0, 0, 1)).await;
    let mut second = client_from(addr, Ipv4Addr::new(127, 0, 0, 2)).await;
    for _ in 0..3 {
        first
            .submit_survey_response(pb::SubmitSurveyResponseRequest::default())
            .await
            .expect("within the burst");
    }
    let over = first
        .get_survey_by_link(pb::GetSurveyByLinkRequest::default())
        .await;
    assert_eq!(over.unwrap_err().code(), Code::ResourceExhausted);

    // Another address has a bucket of its own, and is still the same
    // anonymous principal to the service.
    for _ in 0..3 {
        let survey = second
            .get_survey_by_link(pb::GetSurveyByLinkRequest::default())
            .await
            .expect("not limited by the first client")
            .into_inner();
        assert_eq!(
            survey.version.unwrap().template_code,
            "anonymous-survey-link/survey"
        );
    }

    // A caller with a token keeps its own bucket, even from the address
    // whose anonymous calls are used up.
    let token = mint(&keys, "alice");
    for _ in 0..3 {
        let survey = first
            .get_survey_by_link(with_token(pb::GetSurveyByLinkRequest::default(), &token))
            .await
            .expect("alice is not limited by the anonymous calls")
            .into_inner();
        assert_eq!(survey.version.unwrap().template_code, "alice/oem");
    }
}

#[tokio::test]
async fn in_process_anonymous_callers_share_one_bucket() {
    // No TCP peer, so no address to tell callers apart: every in-process
    // caller's anonymous calls count against the shared subject.
    let (gateway, _) = gateway(burst_of_three()).await;
    let channel = gateway.in_process().await;
    let mut first = SurveyResponseServiceClient::new(channel.clone());
    let mut second = SurveyResponseServiceClient::new(channel);
    for _ in 0..3 {
        first
            .get_survey_by_link(pb::GetSurveyByLinkRequest::default())
            .await
            .expect("within the burst");
    }
    let over = second
        .get_survey_by_link(pb::GetSurveyByLinkRequest::default())
        .await;
    assert_eq!(over.unwrap_err().code(), Code::ResourceExhausted);
}
