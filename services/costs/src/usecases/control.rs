//! Cost control: a station's costs entered per month (each added to the
//! tallies as it is written), budgets, the report of actuals against them,
//! and the alerts raised when one is overrun.

use std::collections::BTreeMap;

use aftercare_auth::Principal;
use aftercare_db::Tx;
use aftercare_values::{PageRequest, Period};
use tonic::Code;

use super::{Caller, Context, alerts, area, begin, commit};
use crate::{
    domain::{
        access::check_scope,
        budget::{Alert, Budget, Report, report},
        control_access::{check_enter_cost, check_set_budget, view},
        cost_entry::{Category, CostEntry, NewEntry},
        scope::{Place, Scope, ScopeLevel},
        tally::{TallyKey, periods_of_month},
    },
    error::{Error, Result},
    store::{self, budgets, cost_entries, places, tallies},
};

area!(
    /// Cost entries, budgets, reports and alerts.
    CostControl
);

/// What a list of entries asks for.
#[derive(Debug, Clone)]
pub(crate) struct EntryFilter {
    pub(crate) scope: Option<Scope>,
    pub(crate) period: Option<Period>,
    pub(crate) category: Option<Category>,
}

impl CostControl {
    /// Enters a cost of a station: the entry and its tallies, then the
    /// alerts its category's budgets call for, in one transaction.
    pub(crate) async fn create_cost_entry(
        &self,
        caller: &Caller,
        new: NewEntry,
    ) -> Result<CostEntry> {
        let split = new.check()?;
        let (place, told) = self.station(&caller.principal, &new.station_id).await?;
        check_enter_cost(&caller.principal, &place)
            .map_err(|d| Error::denied(d, "station", &new.station_id))?;
        let mut tx = begin!(self.cx, caller);
        if told {
            places::remember(&mut tx, &place).await?;
        }
        let entry = CostEntry {
            id: format!("ce-{}", uuid::Uuid::now_v7()),
            place,
            month: new.month,
            category: new.category,
            behaviour: split.behaviour,
            amount: split.amount,
            fixed: split.fixed,
            driver: new.driver,
            description: new.description,
            created_by: caller.principal.subject.clone(),
            create_time: self.cx.clock.now_micros(),
        };
        cost_entries::insert(&mut tx, std::slice::from_ref(&entry)).await?;
        tallies::add(&mut tx, &entry.tally_amounts()).await?;
        if entry.amount < 0 {
            check_not_below_zero(&mut tx, &entry).await?;
        }
        alerts::after_actual_change(
            &mut tx,
            &self.cx,
            &entry.place,
            entry.category,
            &periods_of_month(entry.month),
        )
        .await?;
        commit(tx, caller, entry).await
    }

    pub(crate) async fn get_cost_entry(&self, caller: &Principal, id: &str) -> Result<CostEntry> {
        let mut conn = self.cx.db.pool().acquire().await?;
        let entry = cost_entries::get(&mut conn, id)
            .await?
            .ok_or_else(|| Error::not_found("cost entry", id))?;
        if !crate::domain::access::sees(caller, &entry.place) {
            return Err(Error::not_found("cost entry", id));
        }
        Ok(entry)
    }

    /// A page of the entries the caller sees, newest first.
    pub(crate) async fn list_cost_entries(
        &self,
        caller: &Principal,
        filter: &EntryFilter,
        after: Option<(i64, String)>,
        page: &PageRequest,
    ) -> Result<Vec<CostEntry>> {
        let place = match &filter.scope {
            Some(scope) => {
                self.check_read(caller, scope).await?;
                match scope.level {
                    ScopeLevel::Station => Some(("station_id", scope.id.clone())),
                    ScopeLevel::Dealer => Some(("dealer_id", scope.id.clone())),
                    ScopeLevel::Region => Some(("region_id", scope.id.clone())),
                    ScopeLevel::Network => None,
                }
            }
            None => None,
        };
        let months = filter.period.map(|p| {
            let last = Period::containing(
                aftercare_values::period::PeriodKind::Month,
                p.end_day().previous_day().unwrap_or(p.first_day()),
            );
            let first =
                Period::containing(aftercare_values::period::PeriodKind::Month, p.first_day());
            (first.to_string(), last.to_string())
        });
        let filter = cost_entries::Filter {
            view: view(caller),
            place,
            months,
            category: filter.category,
        };
        cost_entries::list(&self.cx.db, &filter, after, page.fetch_limit()).await
    }

    /// Sets (or replaces, if it still has revision `etag`) a budget, and
    /// judges its alert again.
    pub(crate) async fn set_budget(
        &self,
        caller: &Caller,
        scope: Scope,
        category: Category,
        period: Period,
        amount: i64,
        etag: Option<i64>,
    ) -> Result<Budget> {
        let region_id = self.region_of(&caller.principal, &scope).await?;
        let what = format!("{scope} {} {period}", category.as_str());
        check_set_budget(&caller.principal, &scope, &region_id)
            .map_err(|d| Error::denied(d, "budget of", &what))?;
        let mut tx = begin!(self.cx, caller);
        let current = budgets::get(&mut tx, &scope, category, &period).await?;
        let revision = current.as_ref().map_or(0, |b| b.revision);
        if etag.is_some_and(|e| e != revision) {
            return Err(Error::stale("budget of", &what));
        }
        let budget = Budget {
            scope,
            region_id,
            category,
            period,
            amount,
            revision: revision + 1,
            update_time: self.cx.clock.now_micros(),
        };
        if !budgets::put(&mut tx, &budget).await? {
            return Err(Error::stale("budget of", &what));
        }
        alerts::judge(
            &mut tx,
            &self.cx,
            &budget.scope,
            &budget.region_id,
            category,
            &period,
        )
        .await?;
        commit(tx, caller, budget).await
    }

    pub(crate) async fn list_budgets(
        &self,
        caller: &Principal,
        scope: Option<Scope>,
        period: Option<Period>,
        after: Option<String>,
        page: &PageRequest,
    ) -> Result<Vec<(String, Budget)>> {
        if let Some(scope) = &scope {
            self.check_read(caller, scope).await?;
        }
        let filter = budgets::Filter {
            view: view(caller),
            scope,
            period,
        };
        budgets::list(&self.cx.db, &filter, after, page.fetch_limit()).await
    }

    /// The report of a dealer, region or the network in a period, read
    /// from its tallies and budgets alone.
    pub(crate) async fn cost_report(
        &self,
        caller: &Principal,
        scope: &Scope,
        period: &Period,
    ) -> Result<Report> {
        self.check_read(caller, scope).await?;
        let mut conn = self.cx.db.pool().acquire().await?;
        let actuals = tallies::read(&mut conn, scope, &period.to_string(), "cost.").await?;
        let budgets = budgets::of_scope(&mut conn, scope, period).await?;
        report(&actuals, &budgets).map_err(|e| store::corrupt(format!("{scope} {period}: {e}")))
    }

    /// At most `limit` alerts after `after_sequence` that the caller sees.
    pub(crate) async fn list_alerts(
        &self,
        caller: &Principal,
        scope: Option<&Scope>,
        after_sequence: i64,
        limit: i64,
    ) -> Result<Vec<Alert>> {
        if let Some(scope) = scope {
            self.check_read(caller, scope).await?;
        }
        store::alerts::list(&self.cx.db, &view(caller), scope, after_sequence, limit).await
    }

    /// NOT_FOUND unless `caller` sees the figures of `scope`.
    async fn check_read(&self, caller: &Principal, scope: &Scope) -> Result<()> {
        let place = match scope.level {
            ScopeLevel::Station => self.known_station(caller, &scope.id).await?,
            ScopeLevel::Dealer => match self.region_of(caller, scope).await {
                Ok(region_id) => Some(Place {
                    station_id: String::new(),
                    dealer_id: scope.id.clone(),
                    region_id,
                }),
                // Nobody knows the dealer: head office alone sees its nothing.
                Err(Error::NotFound { .. }) => None,
                Err(e) => return Err(e),
            },
            ScopeLevel::Region | ScopeLevel::Network => None,
        };
        check_scope(caller, scope, place.as_ref())
            .map_err(|d| Error::denied(d, scope.level.as_str(), &scope.id))
    }

    /// Where a station sits: as the service knows it, else as the dealers
    /// service tells `caller` (true: told now, to be remembered).
    async fn station(&self, caller: &Principal, id: &str) -> Result<(Place, bool)> {
        let mut conn = self.cx.db.pool().acquire().await?;
        if let Some(place) = places::station(&mut conn, id).await? {
            return Ok((place, false));
        }
        drop(conn);
        let station = self
            .cx
            .peers
            .station(caller, id)
            .await
            .map_err(|s| peer_error(s, "station", id))?;
        Ok((
            Place {
                station_id: station.id,
                dealer_id: station.dealer_id,
                region_id: station.region_id,
            },
            true,
        ))
    }

    /// [`Self::station`], none when nobody knows it.
    async fn known_station(&self, caller: &Principal, id: &str) -> Result<Option<Place>> {
        match self.station(caller, id).await {
            Ok((place, _)) => Ok(Some(place)),
            Err(Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The region of a budget's scope: a dealer's region (as the service
    /// knows it, else as the dealers service tells `caller`), a region's own
    /// id, none for the network.
    async fn region_of(&self, caller: &Principal, scope: &Scope) -> Result<String> {
        match scope.level {
            ScopeLevel::Network => return Ok(String::new()),
            ScopeLevel::Region => return Ok(scope.id.clone()),
            ScopeLevel::Dealer | ScopeLevel::Station => {}
        }
        let mut conn = self.cx.db.pool().acquire().await?;
        if let Some(place) = places::dealer(&mut conn, &scope.id).await? {
            return Ok(place.region_id);
        }
        if let Some(region) = budgets::dealer_region(&mut conn, &scope.id).await? {
            return Ok(region);
        }
        drop(conn);
        let dealer = self
            .cx
            .peers
            .dealer(caller, &scope.id)
            .await
            .map_err(|s| peer_error(s, "dealer", &scope.id))?;
        Ok(dealer.region_id)
    }
}

/// Refuses a correction that brings the station's month of the category
/// below zero in total (or its fixed or variable part).
async fn check_not_below_zero(tx: &mut Tx, entry: &CostEntry) -> Result<()> {
    let station = Scope::new(ScopeLevel::Station, &entry.place.station_id);
    let key = |measure: String| TallyKey {
        scope: station.clone(),
        period: entry.month.to_string(),
        measure,
    };
    let whole = tallies::amount(tx, &key(entry.category.measure())).await?;
    let fixed = tallies::amount(tx, &key(entry.category.fixed_measure())).await?;
    if whole < 0 || fixed < 0 || whole < fixed {
        return Err(Error::PreconditionFailure {
            kind: "COST_TOTAL",
            subject: format!("{station} {} {}", entry.category.as_str(), entry.month),
            reason: format!(
                "a correction of {} would bring the month's total to {whole} (fixed {fixed}); \
                 a total is never below zero",
                entry.amount
            ),
        });
    }
    Ok(())
}

/// A peer's refusal as the caller should see it: what the peer does not
/// show the caller does not exist for it; anything else is the peer's
/// outage.
fn peer_error(status: tonic::Status, what: &'static str, id: &str) -> Error {
    match status.code() {
        Code::NotFound | Code::PermissionDenied => Error::not_found(what, id),
        _ => Error::Unavailable(format!(
            "the dealers service did not tell of {what} {id}: {}",
            status.message()
        )),
    }
}

/// Writes `entries` as [`CostControl::create_cost_entry`] writes each — the
/// rows, their stations' places, their tallies, and the alerts their
/// categories' budgets call for — in one transaction, without access
/// checks or idempotency: for seeding data and load runs, where a million
/// entries one call each would take hours.
pub(crate) async fn seed_entries(cx: &Context, entries: &[CostEntry]) -> Result<()> {
    let mut tx = cx.db.begin().await?;
    let mut places = BTreeMap::new();
    let mut judged = BTreeMap::new();
    let mut amounts = Vec::with_capacity(entries.len() * 24);
    for e in entries {
        places.insert(e.place.station_id.clone(), e.place.clone());
        // The alerts of a dealer's stations are judged alike: once each.
        judged.insert(
            (e.place.dealer_id.clone(), e.category, e.month),
            e.place.clone(),
        );
        amounts.extend(e.tally_amounts());
    }
    for place in places.values() {
        places::remember(&mut tx, place).await?;
    }
    cost_entries::insert(&mut tx, entries).await?;
    tallies::add(&mut tx, &amounts).await?;
    for ((_, category, month), place) in judged {
        alerts::after_actual_change(&mut tx, cx, &place, category, &periods_of_month(month))
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use tonic::Status;

    use super::*;

    #[test]
    fn a_peer_that_does_not_show_a_place_hides_it_and_one_that_does_not_answer_is_out() {
        let hidden = peer_error(Status::permission_denied("no"), "station", "s1");
        assert!(matches!(hidden, Error::NotFound { .. }));
        let gone = peer_error(Status::not_found("no"), "station", "s1");
        assert!(matches!(gone, Error::NotFound { .. }));
        for code in [Code::Unavailable, Code::DeadlineExceeded, Code::Internal] {
            let out = peer_error(Status::new(code, "down"), "dealer", "d1");
            assert!(matches!(out, Error::Unavailable(_)), "{code:?}");
        }
    }
}
