//! The `aftercare.surveys.v1.ImprovementPlanService` contract.

mod convert;

use aftercare_auth::ServiceAuth;
use aftercare_edge::{Mask, invalid_argument};
use aftercare_proto::surveys::v1::{
    self as pb, improvement_plan_service_server::ImprovementPlanServiceServer,
};
use aftercare_values::FieldViolation;
use tonic::{Request, Response, service::interceptor::InterceptedService};

use self::convert::{etag, goals, required_time, state, text};
use super::{Reply, id, period};
use crate::usecases::{ImprovementPlans, NewPlan, PlanChanges, PlanFilter};

/// How many attributes of each kind a focus proposes at most.
const MAX_FOCUS: i32 = 20;

/// The gRPC face of improvement plans.
#[derive(Debug, Clone)]
pub struct ImprovementPlanApi {
    plans: ImprovementPlans,
}

impl ImprovementPlanApi {
    pub fn new(plans: ImprovementPlans) -> Self {
        Self { plans }
    }

    /// The tonic service, accepting only calls that carry a principal signed
    /// by the gateway.
    pub fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<ImprovementPlanServiceServer<Self>, ServiceAuth> {
        ImprovementPlanServiceServer::with_interceptor(self, auth)
    }
}

#[tonic::async_trait]
impl pb::improvement_plan_service_server::ImprovementPlanService for ImprovementPlanApi {
    #[tracing::instrument(skip_all)]
    async fn propose_improvement_focus(
        &self,
        request: Request<pb::ProposeImprovementFocusRequest>,
    ) -> Reply<pb::ImprovementFocus> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let dealer_id = id(&r.dealer_id, "dealer_id")?;
        let period = period(r.period, "period")?;
        let limit = match r.limit {
            0 => 3,
            n if (1..=MAX_FOCUS).contains(&n) => n as usize,
            _ => {
                let why = format!("must be 0 to {MAX_FOCUS}");
                return Err(invalid_argument(FieldViolation::new("limit", why)));
            }
        };
        let focus = self
            .plans
            .focus(&principal, &dealer_id, period, limit)
            .await?;
        Ok(Response::new(convert::focus(dealer_id, period, focus)))
    }

    #[tracing::instrument(skip_all)]
    async fn create_improvement_plan(
        &self,
        request: Request<pb::CreateImprovementPlanRequest>,
    ) -> Reply<pb::ImprovementPlan> {
        let caller = aftercare_edge::mutation(
            &request,
            "CreateImprovementPlan",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        let new = NewPlan {
            dealer_id: id(&r.dealer_id, "dealer_id")?,
            goals: goals(r.goals, "goals")?,
            baseline_period: period(r.baseline_period, "baseline_period")?,
            check_period: match r.check_period {
                None => None,
                given => Some(period(given, "check_period")?),
            },
            owner: text(&r.owner, "owner")?,
            deadline: required_time(r.deadline, "deadline")?,
        };
        let plan = self.plans.create(&caller, new).await?;
        Ok(Response::new(plan.into()))
    }

    #[tracing::instrument(skip_all)]
    async fn get_improvement_plan(
        &self,
        request: Request<pb::GetImprovementPlanRequest>,
    ) -> Reply<pb::ImprovementPlan> {
        let principal = aftercare_edge::principal(&request)?;
        let plan_id = id(&request.get_ref().id, "id")?;
        let plan = self.plans.get(&principal, &plan_id).await?;
        Ok(Response::new(plan.into()))
    }

    #[tracing::instrument(skip_all)]
    async fn list_improvement_plans(
        &self,
        request: Request<pb::ListImprovementPlansRequest>,
    ) -> Reply<pb::ListImprovementPlansResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let optional_id = |v: &str, field| {
            if v.is_empty() {
                Ok(String::new())
            } else {
                id(v, field)
            }
        };
        let filter = PlanFilter {
            dealer_id: optional_id(&r.dealer_id, "dealer_id")?,
            region_id: optional_id(&r.region_id, "region_id")?,
            state: state(r.state, "state")?,
        };
        let state_filter = r.state.to_string();
        let filters = [
            filter.dealer_id.as_str(),
            filter.region_id.as_str(),
            state_filter.as_str(),
        ];
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let rows = self.plans.list(&principal, &filter, &page).await?;
        let (rows, next_page_token) = page.finish(rows, |p| p.id.as_str(), &filters);
        Ok(Response::new(pb::ListImprovementPlansResponse {
            improvement_plans: rows.into_iter().map(Into::into).collect(),
            next_page_token,
        }))
    }

    #[tracing::instrument(skip_all)]
    async fn update_improvement_plan(
        &self,
        request: Request<pb::UpdateImprovementPlanRequest>,
    ) -> Reply<pb::ImprovementPlan> {
        let caller = aftercare_edge::mutation(
            &request,
            "UpdateImprovementPlan",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        let plan_id = id(&r.id, "id")?;
        let mask =
            Mask::new(r.update_mask, &["goals", "owner", "deadline"]).map_err(invalid_argument)?;
        let bad = |v: FieldViolation| invalid_argument(v);
        let changes = PlanChanges {
            goals: mask
                .take("goals", !r.goals.is_empty(), || Ok(r.goals.clone()))
                .map_err(bad)?
                .map(|g| goals(g, "goals"))
                .transpose()?,
            owner: mask
                .take("owner", !r.owner.is_empty(), || Ok(r.owner.clone()))
                .map_err(bad)?
                .map(|o| text(&o, "owner"))
                .transpose()?,
            deadline: mask
                .take("deadline", r.deadline.is_some(), || Ok(r.deadline))
                .map_err(bad)?
                .map(|d| required_time(d, "deadline"))
                .transpose()?,
        };
        let etag = etag(&r.etag, "etag")?;
        let plan = self.plans.update(&caller, &plan_id, changes, etag).await?;
        Ok(Response::new(plan.into()))
    }

    #[tracing::instrument(skip_all)]
    async fn cancel_improvement_plan(
        &self,
        request: Request<pb::CancelImprovementPlanRequest>,
    ) -> Reply<pb::ImprovementPlan> {
        let caller = aftercare_edge::mutation(
            &request,
            "CancelImprovementPlan",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        let plan_id = id(&r.id, "id")?;
        let etag = etag(&r.etag, "etag")?;
        let plan = self.plans.cancel(&caller, &plan_id, etag).await?;
        Ok(Response::new(plan.into()))
    }

    #[tracing::instrument(skip_all)]
    async fn check_improvement_plan(
        &self,
        request: Request<pb::CheckImprovementPlanRequest>,
    ) -> Reply<pb::ImprovementPlan> {
        let caller = aftercare_edge::mutation(
            &request,
            "CheckImprovementPlan",
            &request.get_ref().request_id,
        )?;
        let plan_id = id(&request.get_ref().id, "id")?;
        let plan = self.plans.check(&caller, &plan_id).await?;
        Ok(Response::new(plan.into()))
    }
}
