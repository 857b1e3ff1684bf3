//! The `aftercare.costs.v1.CostControlService` contract: cost entries,
//! budgets, reports and alerts. Proto in, parsed at the edge; domain out.

mod convert;

use aftercare_auth::ServiceAuth;
use aftercare_edge::invalid_argument;
use aftercare_proto::costs::v1::{
    self as pb,
    cost_control_service_server::{CostControlService, CostControlServiceServer},
};
use aftercare_values::{Currency, FieldViolation, resource::parse_optional_etag};
use tonic::{Request, Response, service::interceptor::InterceptedService};

use self::convert::{
    category, category_filter, entry_key, new_entry, parse_entry_key, pb_alert, pb_budget,
    pb_entry, pb_report,
};
use super::{Reply, amount, id, period, scope, scope_filter};
use crate::{
    domain::scope::ScopeLevel,
    usecases::{Context, CostControl, EntryFilter},
};

use ScopeLevel::{Dealer, Network, Region, Station};

/// The gRPC face of cost control.
#[derive(Debug, Clone)]
pub(crate) struct CostControlApi {
    control: CostControl,
    currency: Currency,
}

impl CostControlApi {
    pub(crate) fn new(cx: &Context) -> Self {
        Self {
            control: CostControl::new(cx.clone()),
            currency: cx.currency,
        }
    }

    /// The tonic service, accepting only calls that carry a principal signed
    /// by the gateway.
    pub(crate) fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<CostControlServiceServer<Self>, ServiceAuth> {
        CostControlServiceServer::with_interceptor(self, auth)
    }
}

#[tonic::async_trait]
impl CostControlService for CostControlApi {
    #[tracing::instrument(skip_all)]
    async fn create_cost_entry(
        &self,
        request: Request<pb::CreateCostEntryRequest>,
    ) -> Reply<pb::CostEntry> {
        let caller =
            aftercare_edge::mutation(&request, "CreateCostEntry", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let entry = aftercare_edge::required(r.entry, "entry")?;
        let new = new_entry(entry, self.currency)?;
        let entry = self.control.create_cost_entry(&caller, new).await?;
        Ok(Response::new(pb_entry(entry, self.currency)))
    }

    #[tracing::instrument(skip_all, fields(id = %request.get_ref().id))]
    async fn get_cost_entry(
        &self,
        request: Request<pb::GetCostEntryRequest>,
    ) -> Reply<pb::CostEntry> {
        let principal = aftercare_edge::principal(&request)?;
        let entry_id = id(&request.get_ref().id, "id")?;
        let entry = self.control.get_cost_entry(&principal, &entry_id).await?;
        Ok(Response::new(pb_entry(entry, self.currency)))
    }

    #[tracing::instrument(skip_all)]
    async fn list_cost_entries(
        &self,
        request: Request<pb::ListCostEntriesRequest>,
    ) -> Reply<pb::ListCostEntriesResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let filter = EntryFilter {
            scope: scope_filter(
                r.scope.as_ref(),
                "scope",
                &[Station, Dealer, Region, Network],
            )?,
            period: r.period.map(|p| period(Some(p), "period")).transpose()?,
            category: category_filter(r.category, "category")?,
        };
        let fingerprint = format!("{:?}", (&filter.scope, &filter.period, filter.category));
        let filters = [fingerprint.as_str()];
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let after = aftercare_edge::page_key(&page, parse_entry_key)?;
        let rows = self
            .control
            .list_cost_entries(&principal, &filter, after, &page)
            .await?;
        let (rows, next_page_token) = page.finish(
            rows.into_iter().map(|e| (entry_key(&e), e)).collect(),
            |(key, _)| key.as_str(),
            &filters,
        );
        Ok(Response::new(pb::ListCostEntriesResponse {
            entries: rows
                .into_iter()
                .map(|(_, e)| pb_entry(e, self.currency))
                .collect(),
            next_page_token,
        }))
    }

    #[tracing::instrument(skip_all)]
    async fn set_budget(&self, request: Request<pb::SetBudgetRequest>) -> Reply<pb::Budget> {
        let caller =
            aftercare_edge::mutation(&request, "SetBudget", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let budget = aftercare_edge::required(r.budget, "budget")?;
        let scope = scope(
            budget.scope.as_ref(),
            "budget.scope",
            &[Dealer, Region, Network],
        )?;
        let category = category(budget.category, "budget.category")?;
        let period = period(budget.period, "budget.period")?;
        let amount = amount(budget.amount, self.currency, "budget.amount")?;
        if amount < 0 {
            return Err(invalid_argument(FieldViolation::new(
                "budget.amount.minor_units",
                "must not be negative",
            )));
        }
        let etag = parse_optional_etag(&r.etag)
            .map_err(|e| invalid_argument(FieldViolation::new("etag", e.to_string())))?;
        let budget = self
            .control
            .set_budget(&caller, scope, category, period, amount, etag)
            .await?;
        Ok(Response::new(pb_budget(budget, self.currency)))
    }

    #[tracing::instrument(skip_all)]
    async fn list_budgets(
        &self,
        request: Request<pb::ListBudgetsRequest>,
    ) -> Reply<pb::ListBudgetsResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let scope = scope_filter(r.scope.as_ref(), "scope", &[Dealer, Region, Network])?;
        let period = r.period.map(|p| period(Some(p), "period")).transpose()?;
        let fingerprint = format!("{:?}", (&scope, &period));
        let filters = [fingerprint.as_str()];
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let after = page.after.clone();
        let rows = self
            .control
            .list_budgets(&principal, scope, period, after, &page)
            .await?;
        let (rows, next_page_token) = page.finish(rows, |(key, _)| key.as_str(), &filters);
        Ok(Response::new(pb::ListBudgetsResponse {
            budgets: rows
                .into_iter()
                .map(|(_, b)| pb_budget(b, self.currency))
                .collect(),
            next_page_token,
        }))
    }

    #[tracing::instrument(skip_all)]
    async fn get_cost_report(
        &self,
        request: Request<pb::GetCostReportRequest>,
    ) -> Reply<pb::CostReport> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let scope = scope(r.scope.as_ref(), "scope", &[Dealer, Region, Network])?;
        let period = period(r.period, "period")?;
        let report = self
            .control
            .cost_report(&principal, &scope, &period)
            .await?;
        Ok(Response::new(pb_report(
            &scope,
            &period,
            report,
            self.currency,
        )))
    }

    #[tracing::instrument(skip_all)]
    async fn list_cost_alerts(
        &self,
        request: Request<pb::ListCostAlertsRequest>,
    ) -> Reply<pb::ListCostAlertsResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let page = aftercare_edge::page(r.page_size, "", &[])?;
        if r.after_sequence < 0 {
            return Err(invalid_argument(FieldViolation::new(
                "after_sequence",
                "must not be negative",
            )));
        }
        let scope = scope_filter(r.scope.as_ref(), "scope", &[Dealer, Region, Network])?;
        let alerts = self
            .control
            .list_alerts(
                &principal,
                scope.as_ref(),
                r.after_sequence,
                i64::from(page.size),
            )
            .await?;
        let last_sequence = alerts.last().map_or(r.after_sequence, |a| a.sequence);
        Ok(Response::new(pb::ListCostAlertsResponse {
            alerts: alerts
                .into_iter()
                .map(|a| pb_alert(a, self.currency))
                .collect(),
            last_sequence,
        }))
    }
}
