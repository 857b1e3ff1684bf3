//! The `aftercare.surveys.v1.SurveyResponseService` contract. The two link
//! methods take any verified caller (the gateway passes an anonymous
//! survey-link principal): the link token is what authorises them. A
//! response as the contract has it is built where the low-score alert is
//! (`crate::events::message`), which carries the same message.

use aftercare_auth::ServiceAuth;
use aftercare_proto::surveys::v1::{
    self as pb, survey_response_service_server::SurveyResponseServiceServer,
};
use tonic::{Request, Response, service::interceptor::InterceptedService};

use super::{Reply, link_token};
use crate::usecases::Responses;

/// The gRPC face of survey responses.
#[derive(Debug, Clone)]
pub struct SurveyResponseApi {
    responses: Responses,
}

impl SurveyResponseApi {
    pub fn new(responses: Responses) -> Self {
        Self { responses }
    }

    /// The tonic service, accepting only calls that carry a principal signed
    /// by the gateway.
    pub fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<SurveyResponseServiceServer<Self>, ServiceAuth> {
        SurveyResponseServiceServer::with_interceptor(self, auth)
    }
}

#[tonic::async_trait]
impl pb::survey_response_service_server::SurveyResponseService for SurveyResponseApi {
    #[tracing::instrument(skip_all)]
    async fn get_survey_by_link(
        &self,
        request: Request<pb::GetSurveyByLinkRequest>,
    ) -> Reply<pb::SurveyByLink> {
        aftercare_edge::principal(&request)?;
        let survey = self
            .responses
            .survey_by_link(link_token(&request.get_ref().link_token, "link_token")?)
            .await?;
        Ok(Response::new(pb::SurveyByLink {
            version: Some(survey.version.into()),
            expire_time: super::time(survey.expire_time),
            delivery_time: super::time(survey.delivery_time),
            locale: survey.locale.unwrap_or_default(),
            station_name: survey.station_name.unwrap_or_default(),
        }))
    }

    #[tracing::instrument(skip_all)]
    async fn submit_survey_response(
        &self,
        request: Request<pb::SubmitSurveyResponseRequest>,
    ) -> Reply<pb::SubmitSurveyResponseResponse> {
        aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let stored = self
            .responses
            .submit_by_link(
                link_token(&r.link_token, "link_token")?,
                super::answers(r.answers),
            )
            .await?;
        Ok(Response::new(pb::SubmitSurveyResponseResponse {
            submit_time: super::time(stored.submit_time),
        }))
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn get_survey_response(
        &self,
        request: Request<pb::GetSurveyResponseRequest>,
    ) -> Reply<pb::SurveyResponse> {
        let id = super::id(&request.get_ref().id, "id")?;
        Ok(Response::new(
            self.responses
                .get(&aftercare_edge::principal(&request)?, &id)
                .await?
                .into(),
        ))
    }

    #[tracing::instrument(skip_all)]
    async fn list_survey_responses(
        &self,
        request: Request<pb::ListSurveyResponsesRequest>,
    ) -> Reply<pb::ListSurveyResponsesResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let filters = [r.station_id.as_str(), r.dealer_id.as_str()];
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let rows = self
            .responses
            .list(&principal, &r.station_id, &r.dealer_id, &page)
            .await?;
        let (rows, next_page_token) = page.finish(rows, |r| r.id.as_str(), &filters);
        Ok(Response::new(pb::ListSurveyResponsesResponse {
            survey_responses: rows.into_iter().map(Into::into).collect(),
            next_page_token,
        }))
    }
}
