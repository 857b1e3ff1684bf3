//! The two methods of a customer's survey link go through the gateway
//! without a bearer token, as an anonymous survey-link principal; every
//! other method still needs one.

use std::time::{Duration, SystemTime};

use aftercare_auth::{Principal, Scope, Secret, ServiceAuth, caller, token::TokenKeys};
use aftercare_gateway::{Gateway, GatewaySettings};
use aftercare_proto::surveys::v1::{
    self as pb,
    survey_response_service_client::SurveyResponseServiceClient,
    survey_response_service_server::{SurveyResponseService, SurveyResponseServiceServer},
};
use aftercare_serving::{ServerRoutes, in_process};
use tonic::{Code, Request, Response, Status, transport::Channel};

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

async fn start() -> (SurveyResponseServiceClient<Channel>, TokenKeys) {
    let keys = TokenKeys::new(&Secret::generate());
    let internal_key = Secret::generate();
    let surveys = SurveyResponseServiceServer::with_interceptor(
        Surveys,
        ServiceAuth::new(internal_key.clone()),
    );
    let (routes, _health) = ServerRoutes::new().with_service(surveys).finish().await;
    let channel = Gateway::new(GatewaySettings::default(), keys.clone(), internal_key)
        .route(
            "aftercare.surveys.v1",
            aftercare_gateway::backend(in_process("surveys", routes)),
        )
        .in_process()
        .await;
    (SurveyResponseServiceClient::new(channel), keys)
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
    let oem = Principal {
        subject: "alice".into(),
        scope: Scope::Oem,
    };
    let token = keys.mint(&oem, SystemTime::now(), Duration::from_secs(60));
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
    let oem = Principal {
        subject: "alice".into(),
        scope: Scope::Oem,
    };
    let token = keys.mint(&oem, SystemTime::now(), Duration::from_secs(60));
    let survey = client
        .get_survey_by_link(with_token(pb::GetSurveyByLinkRequest::default(), &token))
        .await
        .expect("with a token")
        .into_inner();
    assert_eq!(survey.version.unwrap().template_code, "alice/oem");
}
