//! The `aftercare.surveys.v1.SurveyScoreService` contract.

mod convert;

use aftercare_auth::ServiceAuth;
use aftercare_proto::surveys::v1::{
    self as pb, survey_score_service_server::SurveyScoreServiceServer,
};
use tonic::{Request, Response, service::interceptor::InterceptedService};

use self::convert::{scores, subject};
use super::Reply;
use crate::usecases::Scores;

/// The gRPC face of aggregated scores.
#[derive(Debug, Clone)]
pub struct SurveyScoreApi {
    scores: Scores,
}

impl SurveyScoreApi {
    pub fn new(scores: Scores) -> Self {
        Self { scores }
    }

    /// The tonic service, accepting only calls that carry a principal signed
    /// by the gateway.
    pub fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<SurveyScoreServiceServer<Self>, ServiceAuth> {
        SurveyScoreServiceServer::with_interceptor(self, auth)
    }
}

#[tonic::async_trait]
impl pb::survey_score_service_server::SurveyScoreService for SurveyScoreApi {
    #[tracing::instrument(skip_all)]
    async fn get_survey_scores(
        &self,
        request: Request<pb::GetSurveyScoresRequest>,
    ) -> Reply<pb::SurveyScores> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let subject = subject(&r)?;
        let period = super::period(r.period, "period")?;
        let sums = self.scores.scores(&principal, subject, period).await?;
        Ok(Response::new(scores(&sums)))
    }
}
