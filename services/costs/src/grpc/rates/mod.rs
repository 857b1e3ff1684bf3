//! The `aftercare.costs.v1.CostRateService` contract.

use aftercare_auth::ServiceAuth;
use aftercare_db::timestamp::date_to_text;
use aftercare_edge::invalid_argument;
use aftercare_proto::{
    costs::v1::{
        self as pb,
        cost_rate_service_server::{CostRateService, CostRateServiceServer},
    },
    google::r#type::Date as PbDate,
};
use aftercare_values::{Currency, FieldViolation};
use time::Date;
use tonic::{Request, Response, service::interceptor::InterceptedService};

use super::{Reply, code, date, id, micros, money, non_negative, time};
use crate::{
    domain::rates::{KILOMETRES, LabourCostRate, MONTHS, WarrantyLabourRate, WarrantyTerms},
    usecases::Rates,
};

/// The gRPC face of the rates.
#[derive(Debug, Clone)]
pub(crate) struct CostRateApi {
    rates: Rates,
    currency: Currency,
}

impl CostRateApi {
    pub(crate) fn new(rates: Rates, currency: Currency) -> Self {
        Self { rates, currency }
    }

    pub(crate) fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<CostRateServiceServer<Self>, ServiceAuth> {
        CostRateServiceServer::with_interceptor(self, auth)
    }

    fn labour(&self, r: LabourCostRate) -> pb::LabourCostRate {
        pb::LabourCostRate {
            station_id: r.station_id,
            effective_time: time(r.effective_time),
            hourly_cost: money(r.hourly_cost, self.currency),
            create_time: time(r.create_time),
        }
    }

    fn warranty_labour(&self, r: WarrantyLabourRate) -> pb::WarrantyLabourRate {
        pb::WarrantyLabourRate {
            effective_time: time(r.effective_time),
            hourly_rate: money(r.hourly_rate, self.currency),
            create_time: time(r.create_time),
        }
    }
}

fn terms(t: WarrantyTerms) -> pb::WarrantyTerms {
    pb::WarrantyTerms {
        model: t.model,
        effective_date: Some(PbDate {
            year: t.effective_date.year(),
            month: i32::from(u8::from(t.effective_date.month())),
            day: i32::from(t.effective_date.day()),
        }),
        months: t.months,
        kilometres: t.kilometres,
        create_time: time(t.create_time),
    }
}

/// A time the request must set, in `field`.
fn required_time(t: Option<&prost_types::Timestamp>, field: &str) -> Result<i64, tonic::Status> {
    t.and_then(micros)
        .ok_or_else(|| invalid_argument(FieldViolation::new(field, "must be a valid time")))
}

fn required_date(d: Option<&PbDate>, field: &str) -> Result<Date, tonic::Status> {
    d.and_then(date)
        .ok_or_else(|| invalid_argument(FieldViolation::new(field, "must be a real day")))
}

/// A newest-first page key: an effective time.
fn time_key(key: &str) -> Option<i64> {
    key.parse().ok()
}

#[tonic::async_trait]
impl CostRateService for CostRateApi {
    #[tracing::instrument(skip_all)]
    async fn set_labour_cost_rate(
        &self,
        request: Request<pb::SetLabourCostRateRequest>,
    ) -> Reply<pb::LabourCostRate> {
        let caller =
            aftercare_edge::mutation(&request, "SetLabourCostRate", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let rate = aftercare_edge::required(r.rate, "rate")?;
        let station_id = if rate.station_id.is_empty() {
            String::new()
        } else {
            id(&rate.station_id, "rate.station_id")?
        };
        let effective = required_time(rate.effective_time.as_ref(), "rate.effective_time")?;
        let hourly = non_negative(rate.hourly_cost, self.currency, "rate.hourly_cost")?;
        let rate = self
            .rates
            .set_labour_cost(&caller, station_id, effective, hourly)
            .await?;
        Ok(Response::new(self.labour(rate)))
    }

    #[tracing::instrument(skip_all)]
    async fn list_labour_cost_rates(
        &self,
        request: Request<pb::ListLabourCostRatesRequest>,
    ) -> Reply<pb::ListLabourCostRatesResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        if !r.station_id.is_empty() {
            id(&r.station_id, "station_id")?;
        }
        let filters = [r.station_id.as_str()];
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let after = aftercare_edge::page_key(&page, time_key)?;
        let rows = self
            .rates
            .list_labour_cost(&principal, &r.station_id, after, page.fetch_limit())
            .await?;
        let keys: Vec<String> = rows.iter().map(|r| r.effective_time.to_string()).collect();
        let rows: Vec<_> = rows.into_iter().zip(keys).collect();
        let (rows, next_page_token) = page.finish(rows, |(_, k)| k.as_str(), &filters);
        Ok(Response::new(pb::ListLabourCostRatesResponse {
            rates: rows.into_iter().map(|(r, _)| self.labour(r)).collect(),
            next_page_token,
        }))
    }

    #[tracing::instrument(skip_all)]
    async fn set_warranty_labour_rate(
        &self,
        request: Request<pb::SetWarrantyLabourRateRequest>,
    ) -> Reply<pb::WarrantyLabourRate> {
        let caller = aftercare_edge::mutation(
            &request,
            "SetWarrantyLabourRate",
            &request.get_ref().request_id,
        )?;
        let r = request.into_inner();
        let rate = aftercare_edge::required(r.rate, "rate")?;
        let effective = required_time(rate.effective_time.as_ref(), "rate.effective_time")?;
        let hourly = non_negative(rate.hourly_rate, self.currency, "rate.hourly_rate")?;
        let rate = self
            .rates
            .set_warranty_labour(&caller, effective, hourly)
            .await?;
        Ok(Response::new(self.warranty_labour(rate)))
    }

    #[tracing::instrument(skip_all)]
    async fn list_warranty_labour_rates(
        &self,
        request: Request<pb::ListWarrantyLabourRatesRequest>,
    ) -> Reply<pb::ListWarrantyLabourRatesResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let page = aftercare_edge::page(r.page_size, &r.page_token, &[])?;
        let after = aftercare_edge::page_key(&page, time_key)?;
        let rows = self
            .rates
            .list_warranty_labour(&principal, after, page.fetch_limit())
            .await?;
        let keys: Vec<String> = rows.iter().map(|r| r.effective_time.to_string()).collect();
        let rows: Vec<_> = rows.into_iter().zip(keys).collect();
        let (rows, next_page_token) = page.finish(rows, |(_, k)| k.as_str(), &[]);
        Ok(Response::new(pb::ListWarrantyLabourRatesResponse {
            rates: rows
                .into_iter()
                .map(|(r, _)| self.warranty_labour(r))
                .collect(),
            next_page_token,
        }))
    }

    #[tracing::instrument(skip_all)]
    async fn set_warranty_terms(
        &self,
        request: Request<pb::SetWarrantyTermsRequest>,
    ) -> Reply<pb::WarrantyTerms> {
        let caller =
            aftercare_edge::mutation(&request, "SetWarrantyTerms", &request.get_ref().request_id)?;
        let r = request.into_inner();
        let t = aftercare_edge::required(r.terms, "terms")?;
        let model = code(&t.model, "terms.model")?;
        let day = required_date(t.effective_date.as_ref(), "terms.effective_date")?;
        if !MONTHS.contains(&t.months) {
            let why = "must be 1 to 240";
            return Err(invalid_argument(FieldViolation::new("terms.months", why)));
        }
        if !KILOMETRES.contains(&t.kilometres) {
            let why = "must be 1 to 10,000,000";
            return Err(invalid_argument(FieldViolation::new(
                "terms.kilometres",
                why,
            )));
        }
        let t = self
            .rates
            .set_warranty_terms(&caller, model, day, t.months, t.kilometres)
            .await?;
        Ok(Response::new(terms(t)))
    }

    #[tracing::instrument(skip_all)]
    async fn list_warranty_terms(
        &self,
        request: Request<pb::ListWarrantyTermsRequest>,
    ) -> Reply<pb::ListWarrantyTermsResponse> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        if !r.model.is_empty() {
            code(&r.model, "model")?;
        }
        let filters = [r.model.as_str()];
        let page = aftercare_edge::page(r.page_size, &r.page_token, &filters)?;
        let after = aftercare_edge::page_key(&page, |k| {
            let (model, day) = k.split_once('/')?;
            Some((model.to_owned(), day.to_owned()))
        })?;
        let rows = self
            .rates
            .list_warranty_terms(&principal, &r.model, after, page.fetch_limit())
            .await?;
        let keys: Vec<String> = rows
            .iter()
            .map(|t| format!("{}/{}", t.model, date_to_text(t.effective_date)))
            .collect();
        let rows: Vec<_> = rows.into_iter().zip(keys).collect();
        let (rows, next_page_token) = page.finish(rows, |(_, k)| k.as_str(), &filters);
        Ok(Response::new(pb::ListWarrantyTermsResponse {
            terms: rows.into_iter().map(|(t, _)| terms(t)).collect(),
            next_page_token,
        }))
    }
}
