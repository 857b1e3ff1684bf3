//! The `aftercare.costs.v1.PricingService` contract.

use aftercare_auth::ServiceAuth;
use aftercare_edge::invalid_argument;
use aftercare_proto::costs::v1::{
    self as pb,
    pricing_service_server::{PricingService, PricingServiceServer},
    quote_cost_plus_price_request::Item as PbItem,
};
use aftercare_values::{Currency, FieldViolation};
use tonic::{Request, Response, service::interceptor::InterceptedService};

use super::{Reply, amount, code, id, micros, money, non_negative, pb_period, period};
use crate::{
    domain::pricing::MAX_MARKUP_BP,
    usecases::{Item, Pricing},
};

/// The gRPC face of the pricing tools.
#[derive(Debug, Clone)]
pub(crate) struct PricingApi {
    pricing: Pricing,
    currency: Currency,
}

impl PricingApi {
    pub(crate) fn new(pricing: Pricing, currency: Currency) -> Self {
        Self { pricing, currency }
    }

    pub(crate) fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<PricingServiceServer<Self>, ServiceAuth> {
        PricingServiceServer::with_interceptor(self, auth)
    }
}

#[tonic::async_trait]
impl PricingService for PricingApi {
    #[tracing::instrument(skip_all, fields(station_id = %request.get_ref().station_id))]
    async fn quote_cost_plus_price(
        &self,
        request: Request<pb::QuoteCostPlusPriceRequest>,
    ) -> Reply<pb::CostPlusQuote> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let station_id = id(&r.station_id, "station_id")?;
        let item = match r.item {
            Some(PbItem::OperationCode(c)) => Item::Operation(code(&c, "operation_code")?),
            Some(PbItem::PackageId(p)) => Item::Package(code(&p, "package_id")?),
            None => {
                return Err(invalid_argument(FieldViolation::new(
                    "operation_code",
                    "an operation_code or a package_id must be set",
                )));
            }
        };
        if !(0..=MAX_MARKUP_BP).contains(&r.markup_bp) {
            return Err(invalid_argument(FieldViolation::new(
                "markup_bp",
                "must be 0 to 100,000",
            )));
        }
        let at = match &r.at_time {
            None => None,
            Some(t) => Some(micros(t).ok_or_else(|| {
                invalid_argument(FieldViolation::new("at_time", "must be a valid time"))
            })?),
        };
        let q = self
            .pricing
            .quote(&principal, &station_id, &item, r.markup_bp, at)
            .await?;
        let (operation_code, package_id) = match item {
            Item::Operation(c) => (c, String::new()),
            Item::Package(p) => (String::new(), p),
        };
        let c = self.currency;
        Ok(Response::new(pb::CostPlusQuote {
            station_id,
            operation_code,
            package_id,
            standard_centihours: q.standard_centihours,
            hourly_cost: money(q.hourly_cost, c),
            labour_cost: money(q.labour_cost, c),
            parts_cost: money(q.parts_cost, c),
            cost: money(q.cost(), c),
            markup_bp: q.markup_bp,
            price: q.price().and_then(|p| money(p, c)),
        }))
    }

    #[tracing::instrument(skip_all)]
    async fn get_break_even_volume(
        &self,
        request: Request<pb::GetBreakEvenVolumeRequest>,
    ) -> Reply<pb::BreakEvenVolume> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let c = self.currency;
        let fixed = non_negative(r.fixed_costs, c, "fixed_costs")?;
        let price = amount(r.unit_price, c, "unit_price")?;
        if price <= 0 {
            return Err(invalid_argument(FieldViolation::new(
                "unit_price.minor_units",
                "must be positive",
            )));
        }
        let variable = non_negative(r.unit_variable_cost, c, "unit_variable_cost")?;
        let (contribution, units) = self
            .pricing
            .break_even(&principal, fixed, price, variable)?;
        Ok(Response::new(pb::BreakEvenVolume {
            unit_contribution: money(contribution, c),
            units,
        }))
    }

    #[tracing::instrument(skip_all, fields(station_id = %request.get_ref().station_id))]
    async fn what_if_labour_rate(
        &self,
        request: Request<pb::WhatIfLabourRateRequest>,
    ) -> Reply<pb::LabourRateWhatIf> {
        let principal = aftercare_edge::principal(&request)?;
        let r = request.into_inner();
        let station_id = id(&r.station_id, "station_id")?;
        let period = period(r.period, "period")?;
        let c = self.currency;
        let hourly = non_negative(r.hourly_cost, c, "hourly_cost")?;
        let w = self
            .pricing
            .what_if(&principal, &station_id, &period, hourly)
            .await?;
        Ok(Response::new(pb::LabourRateWhatIf {
            station_id,
            period: Some(pb_period(&period)),
            repair_orders: w.repair_orders,
            costed_centihours: w.costed_centihours,
            labour_cost: money(w.labour_cost, c),
            labour_cost_at_rate: money(w.labour_cost_at_rate, c),
            margin: money(w.margin(), c),
            margin_at_rate: money(w.margin_at_rate(), c),
            margin_bp: w.margin_bp(),
            margin_bp_at_rate: w.margin_bp_at_rate(),
        }))
    }
}
