//! The `aftercare.costs.v1.RepairOrderCostService` contract.

mod convert;

use aftercare_auth::ServiceAuth;
use aftercare_proto::costs::v1::{
    self as pb,
    repair_order_cost_service_server::{RepairOrderCostService, RepairOrderCostServiceServer},
};
use aftercare_values::Currency;
use tonic::{Request, Response, service::interceptor::InterceptedService};

pub(crate) use self::convert::repair_order_cost;
use self::convert::{poor_quality, summary};
use super::{ALL_LEVELS, Reply, id, pb_period, pb_scope, period, scope, scope_filter};
use crate::usecases::{ListRequest, RepairOrderCosts};

/// The gRPC face of repair-order costs.
#[derive(Debug, Clone)]
pub(crate) struct RepairOrderCostApi {
    costs: RepairOrderCosts,
    currency: Currency,
}

impl RepairOrderCostApi {
    pub(crate) fn new(costs: RepairOrderCosts, currency: Currency) -> Self {
        Self { costs, currency }
    }

    pub(crate) fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<RepairOrderCostServiceServer<Self>, ServiceAuth> {
        RepairOrderCostServiceServer::with_interceptor(self, auth)
    }
}

/// A page token's key: the last record's delivery time and RO id.
fn page_key(key: &str) -> Option<(i64, String)> {
    let (time, id) = key.split_once(':')?;
    Some((time.parse().ok()?, id.to_owned()))
}

#[tonic::async_trait]
impl RepairOrderCostService for RepairOrderCostApi {
    #[tracing::instrument(skip_all, fields(id = %request.get_ref().repair_order_id))]
    async fn get_repair_order_cost(
        &self,
        request: Request<pb::GetRepairOrderCostRequest>,
    ) -> Reply<pb::RepairOrderCost> {
        let principal = aftercare_edge::principal(&request)?;
        let id = id(&request.get_ref().repair_order_id, "repair_order_id")?;
        let cost = self.costs.get(&principal, &id).await?;
        Ok(Response::new(repair_order_cost(cost, self.currency)))
    }

    #[tracing::instrument(skip_all)]
    async fn list_repair_order_costs(
        &self,
        request: Request<pb::ListRepairOrderCostsRequest>,
    ) -> Reply<pb::ListRepairOrderCostsResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let scope = scope_filter(r.scope.as_ref(), "scope", &ALL_LEVELS)?;
        let period = r.period.map(|p| period(Some(p), "period")).transpose()?;
        let fingerprint = [
            scope.as_ref().map(ToString::to_string).unwrap_or_default(),
            period.as_ref().map(ToString::to_string).unwrap_or_default(),
            r.comebacks_only.to_string(),
        ];
        let filters: Vec<&str> = fingerprint.iter().map(String::as_str).collect();
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let after = aftercare_edge::page_key(&page, page_key)?;
        let rows = self
            .costs
            .list(
                &principal,
                ListRequest {
                    scope,
                    period,
                    comebacks_only: r.comebacks_only,
                    after,
                    limit: page.fetch_limit(),
                },
            )
            .await?;
        let keys: Vec<String> = rows
            .iter()
            .map(|c| format!("{}:{}", c.delivery_time, c.repair_order_id))
            .collect();
        let rows: Vec<_> = rows.into_iter().zip(keys).collect();
        let (rows, next_page_token) = page.finish(rows, |(_, k)| k.as_str(), &filters);
        Ok(Response::new(pb::ListRepairOrderCostsResponse {
            repair_order_costs: rows
                .into_iter()
                .map(|(c, _)| repair_order_cost(c, self.currency))
                .collect(),
            next_page_token,
        }))
    }

    #[tracing::instrument(skip_all)]
    async fn get_cost_summary(
        &self,
        request: Request<pb::GetCostSummaryRequest>,
    ) -> Reply<pb::CostSummary> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let scope = scope(r.scope.as_ref(), "scope", &ALL_LEVELS)?;
        let period = period(r.period, "period")?;
        let s = self.costs.summary(&principal, &scope, &period).await?;
        Ok(Response::new(summary(
            &s,
            pb_scope(&scope),
            pb_period(&period),
            self.currency,
        )))
    }

    #[tracing::instrument(skip_all, fields(dealer_id = %request.get_ref().dealer_id))]
    async fn get_poor_quality_cost(
        &self,
        request: Request<pb::GetPoorQualityCostRequest>,
    ) -> Reply<pb::PoorQualityCost> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let dealer_id = id(&r.dealer_id, "dealer_id")?;
        let period = period(r.period, "period")?;
        let q = self
            .costs
            .poor_quality(&principal, &dealer_id, &period)
            .await?;
        Ok(Response::new(poor_quality(
            &q,
            dealer_id,
            pb_period(&period),
            self.currency,
        )))
    }
}
