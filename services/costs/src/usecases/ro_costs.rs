//! Repair-order costs: recorded once per RO from the dealers service's
//! delivered event, read one by one and in lists, summed per scope and
//! period from the tallies.

use std::collections::{BTreeSet, HashMap};

use aftercare_auth::{Principal, Scope as Caller};
use aftercare_db::timestamp::from_micros;
use aftercare_values::Period;
use tonic::Code;

use super::{area, place_of, timestamp};
use crate::{
    domain::{
        access,
        costing::{self, RepairOrderCost},
        delivered::Delivered,
        scope::{Scope, ScopeLevel},
        summary::{CostSummary, PoorQualityCost, Tallies},
        tally::periods_of,
    },
    error::{Error, Result},
    store::{
        self, places, rates,
        ro_costs::{ListFilter, REPAIR_ORDER_COST},
        tallies,
    },
};

area!(
    /// What each delivered RO cost, and the sums of a scope.
    RepairOrderCosts
);

/// What a list of records asks for.
#[derive(Debug, Clone, Default)]
pub(crate) struct ListRequest {
    pub(crate) scope: Option<Scope>,
    pub(crate) period: Option<Period>,
    pub(crate) comebacks_only: bool,
    /// The last (delivery time, RO id) of the previous page.
    pub(crate) after: Option<(i64, String)>,
    pub(crate) limit: i64,
}

impl RepairOrderCosts {
    /// Records the cost of a delivered RO, once per event and once per RO;
    /// only the dealers relay, for the RO's dealer, may tell. Parts' costs
    /// are read before the transaction opens; parts not answering is
    /// UNAVAILABLE, so that the relay tries again.
    pub(crate) async fn receive_delivered(
        &self,
        caller: &Principal,
        event_id: &str,
        d: Delivered,
    ) -> Result<RepairOrderCost> {
        if !access::is_dealers_relay(caller, &d.place.dealer_id) {
            return Err(Error::PermissionDenied(
                "only the dealers service tells of delivered repair orders".into(),
            ));
        }
        if let Some(done) = self.find(&d.repair_order_id).await? {
            return Ok(done);
        }
        let unit_costs = self.unit_costs(caller, &d).await?;
        let mut tx = self.cx.db.begin().await?;
        let first = aftercare_outbox::apply_once(&mut tx, event_id).await?;
        if let Some(done) = store::ro_costs::find(&mut tx, &d.repair_order_id).await? {
            // Another event of the same RO, or this one raced with itself.
            tx.commit().await?;
            return Ok(done);
        }
        if !first {
            return Err(Error::Internal(
                format!("event {event_id} was applied but left no cost record").into(),
            ));
        }
        let rate = rates::labour_cost_at(&mut tx, &d.place.station_id, d.arrival_time).await?;
        let cost = costing::cost(&d, rate, &unit_costs)
            .map_err(|e| Error::invalid("event.repair_order", e.to_string()))?;
        places::remember(&mut tx, &d.place).await?;
        let now = self.cx.clock.now_micros();
        if !store::ro_costs::insert(&mut tx, &cost, event_id, now).await? {
            // Another event of the RO committed meanwhile: its record stands.
            drop(tx);
            return self.find(&d.repair_order_id).await?.ok_or_else(|| {
                Error::Internal(format!("no cost record of {}", d.repair_order_id).into())
            });
        }
        let periods = periods_of(&self.cx.zone, from_micros(d.delivery_time));
        tallies::add(&mut tx, &cost.tallies(&periods)).await?;
        tx.commit().await?;
        Ok(cost)
    }

    async fn find(&self, repair_order_id: &str) -> Result<Option<RepairOrderCost>> {
        let mut conn = self.cx.db.pool().acquire().await?;
        store::ro_costs::find(&mut conn, repair_order_id).await
    }

    /// The cost of each issued part at the RO's arrival, as parts tells it
    /// (signed as the relay's principal); a part parts knows no cost of
    /// then is left out, and costs zero.
    async fn unit_costs(&self, caller: &Principal, d: &Delivered) -> Result<HashMap<String, i64>> {
        let parts: BTreeSet<&str> = d.parts.iter().map(|l| l.part_number.as_str()).collect();
        let mut costs = HashMap::new();
        for part in parts {
            let at = timestamp(d.arrival_time);
            match self.cx.peers.part_price(caller, part, at).await {
                Ok(price) => {
                    let cost = price.cost.unwrap_or_default();
                    if cost.currency_code != self.cx.currency.as_str() {
                        return Err(Error::FailedPrecondition(format!(
                            "part {part} costs in {}, not in the network's currency {}",
                            cost.currency_code, self.cx.currency
                        )));
                    }
                    costs.insert(part.to_owned(), cost.minor_units);
                }
                Err(s) if s.code() == Code::NotFound => {
                    tracing::warn!(
                        repair_order_id = %d.repair_order_id,
                        part_number = %part,
                        "no cost of the part at the arrival: costed at zero"
                    );
                }
                Err(s) => {
                    return Err(Error::Unavailable(format!(
                        "the cost of part {part} could not be read from parts: {}",
                        s.message()
                    )));
                }
            }
        }
        Ok(costs)
    }

    pub(crate) async fn get(&self, caller: &Principal, id: &str) -> Result<RepairOrderCost> {
        self.find(id)
            .await?
            .filter(|c| access::sees(caller, &c.place))
            .ok_or_else(|| Error::not_found(REPAIR_ORDER_COST, id))
    }

    /// Records newest delivery first, within what the caller sees and the
    /// request asks.
    pub(crate) async fn list(
        &self,
        caller: &Principal,
        r: ListRequest,
    ) -> Result<Vec<RepairOrderCost>> {
        let mut filter = ListFilter {
            comebacks_only: r.comebacks_only,
            after: r.after,
            limit: r.limit,
            ..ListFilter::default()
        };
        match &caller.scope {
            Caller::Oem => {}
            Caller::Region { region_id } => filter.equal.push(("region_id", region_id.clone())),
            Caller::Dealer {
                dealer_id,
                station_ids,
            } => {
                filter.equal.push(("dealer_id", dealer_id.clone()));
                if !station_ids.is_empty() {
                    filter.stations = Some(station_ids.clone());
                }
            }
            Caller::Dms { dealer_id } => filter.equal.push(("dealer_id", dealer_id.clone())),
            Caller::SurveyLink { .. } => {
                return Err(Error::PermissionDenied(
                    "a survey link reads no costs".into(),
                ));
            }
        }
        let mut conn = self.cx.db.pool().acquire().await?;
        if let Some(scope) = &r.scope {
            let place = place_of(&mut conn, scope).await?;
            access::check_scope(caller, scope, place.as_ref())
                .map_err(|_| Error::not_found(scope_what(scope), &scope.id))?;
            match scope.level {
                ScopeLevel::Station => filter.equal.push(("station_id", scope.id.clone())),
                ScopeLevel::Dealer => filter.equal.push(("dealer_id", scope.id.clone())),
                ScopeLevel::Region => filter.equal.push(("region_id", scope.id.clone())),
                ScopeLevel::Network => {}
            }
        }
        if let Some(period) = &r.period {
            let (start, end) = self.cx.zone.period_bounds(period);
            filter.delivered = Some((
                aftercare_db::timestamp::to_micros(start),
                aftercare_db::timestamp::to_micros(end),
            ));
        }
        store::ro_costs::list(&mut conn, &filter).await
    }

    /// Cost per RO and margin of `scope` in `period`, from its tallies.
    pub(crate) async fn summary(
        &self,
        caller: &Principal,
        scope: &Scope,
        period: &Period,
    ) -> Result<CostSummary> {
        let mut conn = self.cx.db.pool().acquire().await?;
        let place = place_of(&mut conn, scope).await?;
        access::check_scope(caller, scope, place.as_ref())
            .map_err(|_| Error::not_found(scope_what(scope), &scope.id))?;
        let period = period.to_string();
        let mut t: Tallies = tallies::read(&mut conn, scope, &period, "ro.").await?;
        t.extend(tallies::read(&mut conn, scope, &period, "claims.").await?);
        Ok(CostSummary::from_tallies(&t))
    }

    /// A dealer's cost of poor quality in `period`, from its tallies.
    pub(crate) async fn poor_quality(
        &self,
        caller: &Principal,
        dealer_id: &str,
        period: &Period,
    ) -> Result<PoorQualityCost> {
        let scope = Scope::new(ScopeLevel::Dealer, dealer_id);
        let mut conn = self.cx.db.pool().acquire().await?;
        let region = match places::dealer(&mut conn, dealer_id).await? {
            Some(place) => Some(place.region_id),
            None => store::compensations::dealer_region(&mut conn, dealer_id).await?,
        };
        let visible = match &region {
            Some(region) => access::sees_dealer(caller, dealer_id, region),
            None => matches!(caller.scope, Caller::Oem),
        };
        if !visible {
            return Err(Error::not_found("dealer", dealer_id));
        }
        let period = period.to_string();
        let mut t = tallies::read(&mut conn, &scope, &period, "ro.").await?;
        t.extend(tallies::read(&mut conn, &scope, &period, "copq.").await?);
        let q = PoorQualityCost::from_tallies(&t);
        if q.total().is_none() {
            return Err(Error::Internal(
                format!("the cost of poor quality of {dealer_id} is out of range").into(),
            ));
        }
        Ok(q)
    }
}

/// What a scope is called in a NOT_FOUND.
fn scope_what(scope: &Scope) -> &'static str {
    match scope.level {
        ScopeLevel::Station => "station",
        ScopeLevel::Dealer => "dealer",
        ScopeLevel::Region => "region",
        ScopeLevel::Network => "network",
    }
}
