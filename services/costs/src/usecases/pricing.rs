//! The pricing tools: nothing is stored; each reads what it needs (the
//! catalogue from parts, rates and tallies here) and computes.

use aftercare_auth::{Principal, Scope as Caller};
use aftercare_values::Period;
use tonic::Code;

use super::{area, peer_error, timestamp};
use crate::{
    domain::{
        access,
        pricing::{self, CostPlus, PricingError, WhatIf},
        scope::{Scope, ScopeLevel},
        summary::CostSummary,
    },
    error::{Error, Result},
    store::{places, rates, tallies},
};

/// What a quote prices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Item {
    Operation(String),
    Package(String),
}

area!(
    /// Cost-plus prices, break-even volumes, what-ifs.
    Pricing
);

impl Pricing {
    /// The cost-plus price of `item` at `station_id`, at the rates and costs
    /// in force at `at` (now when `None`).
    pub(crate) async fn quote(
        &self,
        caller: &Principal,
        station_id: &str,
        item: &Item,
        markup_bp: i64,
        at: Option<i64>,
    ) -> Result<CostPlus> {
        self.check_station(caller, station_id).await?;
        let at = at.unwrap_or_else(|| self.cx.clock.now_micros());
        let (centihours, parts_cost) = match item {
            Item::Operation(code) => (self.standard_centihours(caller, code).await?, 0),
            Item::Package(id) => self.package(caller, id, at).await?,
        };
        let mut conn = self.cx.db.pool().acquire().await?;
        let hourly = rates::labour_cost_at(&mut conn, station_id, at)
            .await?
            .ok_or_else(|| {
                Error::FailedPrecondition(format!(
                    "station {station_id} has no labour cost rate in force at that time \
                     (nor has the network a default)"
                ))
            })?;
        CostPlus::new(centihours, hourly, parts_cost, markup_bp).map_err(out_of_range)
    }

    async fn standard_centihours(&self, caller: &Principal, code: &str) -> Result<i32> {
        let operation = self
            .cx
            .peers
            .labour_operation(caller, code)
            .await
            .map_err(|s| peer_error(&s, "labour operation", code))?;
        Ok(operation.standard_centihours)
    }

    /// A package's standard hours and its parts at cost at `at`.
    async fn package(&self, caller: &Principal, id: &str, at: i64) -> Result<(i32, i64)> {
        let package = self
            .cx
            .peers
            .maintenance_package(caller, id)
            .await
            .map_err(|s| peer_error(&s, "maintenance package", id))?;
        let mut centihours: i32 = 0;
        for op in &package.operations {
            let hours = self.standard_centihours(caller, &op.operation_code).await?;
            centihours = centihours
                .checked_add(hours)
                .ok_or_else(|| out_of_range(PricingError::OutOfRange))?;
        }
        let mut parts_cost: i64 = 0;
        for part in &package.parts {
            let number = &part.part_number;
            let price = match self
                .cx
                .peers
                .part_price(caller, number, timestamp(at))
                .await
            {
                Ok(price) => price,
                Err(s) if s.code() == Code::NotFound => {
                    return Err(Error::FailedPrecondition(format!(
                        "part {number} of package {id} has no cost at that time"
                    )));
                }
                Err(s) => return Err(peer_error(&s, "part", number)),
            };
            let cost = price.cost.unwrap_or_default();
            if cost.currency_code != self.cx.currency.as_str() {
                return Err(Error::FailedPrecondition(format!(
                    "part {number} costs in {}, not in the network's currency {}",
                    cost.currency_code, self.cx.currency
                )));
            }
            parts_cost = cost
                .minor_units
                .checked_mul(part.quantity)
                .and_then(|c| parts_cost.checked_add(c))
                .ok_or_else(|| out_of_range(PricingError::OutOfRange))?;
        }
        Ok((centihours, parts_cost))
    }

    /// The break-even volume; FAILED_PRECONDITION when the price does not
    /// cover the variable cost.
    pub(crate) fn break_even(
        &self,
        caller: &Principal,
        fixed: i64,
        price: i64,
        variable: i64,
    ) -> Result<(i64, i64)> {
        access::check_read_rates(caller).map_err(|d| Error::denied(d, "price", ""))?;
        pricing::break_even(fixed, price, variable).map_err(|e| match e {
            PricingError::NoContribution { .. } => Error::PreconditionFailure {
                kind: "PRICE",
                subject: "unit_price".into(),
                reason: e.to_string(),
            },
            PricingError::OutOfRange => out_of_range(e),
        })
    }

    /// `station_id`'s ROs delivered in `period`, their labour at
    /// `hourly_cost`.
    pub(crate) async fn what_if(
        &self,
        caller: &Principal,
        station_id: &str,
        period: &Period,
        hourly_cost: i64,
    ) -> Result<WhatIf> {
        self.check_station(caller, station_id).await?;
        let scope = Scope::new(ScopeLevel::Station, station_id);
        let mut conn = self.cx.db.pool().acquire().await?;
        let t = tallies::read(&mut conn, &scope, &period.to_string(), "ro.").await?;
        let s = CostSummary::from_tallies(&t);
        let centihours = t.get("ro.centihours").copied().unwrap_or(0);
        WhatIf::at_rate(
            s.repair_orders,
            centihours,
            s.labour_cost,
            s.parts_cost,
            s.bill,
            hourly_cost,
        )
        .map_err(out_of_range)
    }

    /// Head office prices for any station; others for the stations they
    /// see (NOT_FOUND otherwise).
    async fn check_station(&self, caller: &Principal, station_id: &str) -> Result<()> {
        access::check_read_rates(caller).map_err(|d| Error::denied(d, "station", station_id))?;
        if matches!(caller.scope, Caller::Oem) {
            return Ok(());
        }
        let mut conn = self.cx.db.pool().acquire().await?;
        let visible = places::station(&mut conn, station_id)
            .await?
            .is_some_and(|p| access::sees(caller, &p));
        if visible {
            Ok(())
        } else {
            Err(Error::not_found("station", station_id))
        }
    }
}

fn out_of_range(e: PricingError) -> Error {
    Error::FailedPrecondition(format!("cannot price: {e}"))
}
