//! The `aftercare.surveys.v1.SurveyResponseService` contract. The two link
//! methods take any verified caller (the gateway passes an anonymous
//! survey-link principal): the link token is what authorises them.

use aftercare_auth::ServiceAuth;
use aftercare_edge::invalid_argument as invalid;
use aftercare_proto::surveys::v1::{
    self as pb, survey_response_service_server::SurveyResponseServiceServer,
};
use aftercare_values::FieldViolation;
use tonic::{Request, Response, Status, service::interceptor::InterceptedService};

use super::{
    Reply, convert,
    templates::{dimension_to_pb, verdict_to_pb},
};
use crate::{
    domain::scoring::NpsClass,
    store::{Channel, Response as StoredResponse, Store},
};

/// The gRPC face of survey responses.
#[derive(Debug, Clone)]
pub struct SurveyResponseApi {
    store: Store,
    /// Moved as each response is stored.
    leagues: std::sync::Arc<crate::leagues::Leagues>,
}

impl SurveyResponseApi {
    pub fn new(store: Store, leagues: std::sync::Arc<crate::leagues::Leagues>) -> Self {
        Self { store, leagues }
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

/// A link token as sent: anything longer than a token could be is refused
/// before it is hashed.
fn link_token(v: &str) -> Result<&str, Status> {
    if v.is_empty() || v.len() > 128 {
        return Err(invalid(FieldViolation::new(
            "link_token",
            "must be the token of a survey link",
        )));
    }
    Ok(v)
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
            .store
            .survey_by_link(link_token(&request.get_ref().link_token)?)
            .await?;
        Ok(Response::new(pb::SurveyByLink {
            version: Some(survey.version.into()),
            expire_time: convert::time(survey.expire_time),
            delivery_time: convert::time(survey.delivery_time),
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
            .store
            .submit_by_link(link_token(&r.link_token)?, convert::answers(r.answers))
            .await?;
        self.leagues.record(&stored).await;
        Ok(Response::new(pb::SubmitSurveyResponseResponse {
            submit_time: convert::time(stored.submit_time),
        }))
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn get_survey_response(
        &self,
        request: Request<pb::GetSurveyResponseRequest>,
    ) -> Reply<pb::SurveyResponse> {
        let id = convert::id(&request.get_ref().id, "id")?;
        Ok(Response::new(
            self.store
                .get_response(&aftercare_edge::principal(&request)?, &id)
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
            .store
            .list_responses(&principal, &r.station_id, &r.dealer_id, &page)
            .await?;
        let (rows, next_page_token) = page.finish(rows, |r| r.id.as_str(), &filters);
        Ok(Response::new(pb::ListSurveyResponsesResponse {
            survey_responses: rows.into_iter().map(Into::into).collect(),
            next_page_token,
        }))
    }
}

impl From<StoredResponse> for pb::SurveyResponse {
    fn from(r: StoredResponse) -> Self {
        let s = r.score;
        let dimensions = s
            .dimensions()
            .into_iter()
            .map(|d| pb::DimensionGap {
                dimension: dimension_to_pb(d.dimension).into(),
                items: d.items as i64,
                gap: d.gap(),
                verdict: verdict_to_pb(d.verdict()).into(),
            })
            .collect();
        let nps = match s.nps {
            Some(NpsClass::Promoter) => pb::NpsClass::Promoter,
            Some(NpsClass::Passive) => pb::NpsClass::Passive,
            Some(NpsClass::Detractor) => pb::NpsClass::Detractor,
            None => pb::NpsClass::Unspecified,
        };
        pb::SurveyResponse {
            id: r.id,
            invitation_id: r.invitation_id,
            repair_order_id: r.repair_order_id,
            station_id: r.station_id,
            dealer_id: r.dealer_id,
            region_id: r.region_id,
            advisor_id: r.advisor_id,
            template_code: r.template_code,
            version_number: r.version_number as i32,
            channel: match r.channel {
                Channel::Link => pb::ResponseChannel::Link,
                Channel::Phone => pb::ResponseChannel::Phone,
            }
            .into(),
            agent: r.agent.unwrap_or_default(),
            answers: r
                .answers
                .into_iter()
                .map(|(question_id, value)| pb::Answer {
                    question_id,
                    value: value as i32,
                })
                .collect(),
            score: Some(pb::ResponseScore {
                items: s
                    .items
                    .into_iter()
                    .map(|i| pb::ItemScore {
                        gap: i.gap(),
                        verdict: verdict_to_pb(i.verdict()).into(),
                        item: i.item,
                        dimension: dimension_to_pb(i.dimension).into(),
                        expectation: i.expectation,
                        perception: i.perception,
                    })
                    .collect(),
                unweighted_gap: s.unweighted_gap,
                weighted_gap: s.weighted_gap,
                service_index: s.service_index.map(|v| v as i32),
                top_two_box: s.top_two_box,
                nps: nps.into(),
                low_score: r.low_score,
                dimensions,
            }),
            submit_time: convert::time(r.submit_time),
        }
    }
}
