//! The `aftercare.surveys.v1.DealerScorecardService` contract.

mod convert;

use aftercare_auth::ServiceAuth;
use aftercare_edge::invalid_argument as invalid;
use aftercare_proto::surveys::v1::{
    self as pb, dealer_scorecard_service_server::DealerScorecardServiceServer,
};
use aftercare_values::FieldViolation;
use tonic::{Request, Response, service::interceptor::InterceptedService};

use self::convert::{scorecard, weights_in, weights_out};
use super::Reply;
use crate::{domain::scorecard::Weights, usecases::Scorecards};

/// The gRPC face of the dealer scorecard.
#[derive(Debug, Clone)]
pub struct DealerScorecardApi {
    scorecards: Scorecards,
}

impl DealerScorecardApi {
    pub fn new(scorecards: Scorecards) -> Self {
        Self { scorecards }
    }

    /// The tonic service, accepting only calls that carry a principal signed
    /// by the gateway.
    pub fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<DealerScorecardServiceServer<Self>, ServiceAuth> {
        DealerScorecardServiceServer::with_interceptor(self, auth)
    }
}

#[tonic::async_trait]
impl pb::dealer_scorecard_service_server::DealerScorecardService for DealerScorecardApi {
    #[tracing::instrument(skip_all, fields(dealer_id = %request.get_ref().dealer_id))]
    async fn get_dealer_scorecard(
        &self,
        request: Request<pb::GetDealerScorecardRequest>,
    ) -> Reply<pb::DealerScorecard> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let dealer = super::id(&r.dealer_id, "dealer_id")?;
        let period = super::period(r.period, "period")?;
        let card = self.scorecards.get(&principal, &dealer, period).await?;
        Ok(Response::new(scorecard(&card)))
    }

    #[tracing::instrument(skip_all)]
    async fn set_scorecard_weights(
        &self,
        request: Request<pb::SetScorecardWeightsRequest>,
    ) -> Reply<pb::ScorecardWeights> {
        let caller = aftercare_edge::mutation(
            &request,
            "SetScorecardWeights",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        let given = aftercare_edge::required(r.weights, "weights")?;
        let weights = Weights::parse(&weights_in(&given))
            .map_err(|e| invalid(FieldViolation::new(e.field, e.why)))?;
        let set = self.scorecards.set_weights(&caller, weights).await?;
        Ok(Response::new(weights_out(&set)))
    }

    #[tracing::instrument(skip_all)]
    async fn get_scorecard_weights(
        &self,
        request: Request<pb::GetScorecardWeightsRequest>,
    ) -> Reply<pb::GetScorecardWeightsResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let versions = self.scorecards.weights(&principal).await?;
        Ok(Response::new(pb::GetScorecardWeightsResponse {
            versions: versions.iter().map(weights_out).collect(),
        }))
    }

    #[tracing::instrument(skip_all)]
    async fn refresh_dealer_assessments(
        &self,
        request: Request<pb::RefreshDealerAssessmentsRequest>,
    ) -> Reply<pb::RefreshDealerAssessmentsResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let period = super::period(request.into_inner().period, "period")?;
        let done = self.scorecards.refresh(&principal, period).await?;
        Ok(Response::new(pb::RefreshDealerAssessmentsResponse {
            dealers: done.dealers as i64,
            dealers_with_missing_parts: done.with_missing_parts as i64,
            tables_rebuilt: done.tables as i64,
        }))
    }
}
