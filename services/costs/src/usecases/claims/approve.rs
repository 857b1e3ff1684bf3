//! Approval: the decision per line, then the approved amount added to the
//! warranty actuals (`cost.WARRANTY`) of the station, the dealer, the region
//! and the network — within the WARRANTY budget of the dealer and of the
//! region for each period (month, quarter, year of the approval) that has
//! one. Each capped add locks its tally row, so two approvers racing for
//! the last of a budget cannot both pass: the second re-reads the row and
//! is refused, naming the budget and what is left. The budgets' alerts are
//! judged again in the same transaction, as after a cost entry.

use aftercare_db::{Tx, timestamp::from_micros};

use super::{WarrantyClaims, for_change, refused, save};
use crate::{
    domain::{
        claims::{
            Claim,
            authority::{self, Decision},
        },
        cost_entry::Category,
        scope::{Scope, ScopeLevel},
        tally::{TallyKey, periods_of},
    },
    error::{Error, Result},
    store::{budgets, tallies},
    usecases::{Caller, Context, alerts, commit},
};

/// The category of warranty costs, in budgets and in the cost tallies.
const WARRANTY: Category = Category::Warranty;
/// The kind of a budget refusal's precondition failure.
const BUDGET: &str = "BUDGET";

/// Adds `amount` to the warranty actuals of `claim`'s place in the periods
/// of `at`: capped by the dealer's and the region's budgets where set.
async fn spend(tx: &mut Tx, cx: &Context, claim: &Claim, amount: i64, at: i64) -> Result<()> {
    let category = WARRANTY.as_str();
    let measure = WARRANTY.measure();
    let periods = periods_of(&cx.zone, from_micros(at));
    let place = &claim.place;
    let capped = [
        Scope::new(ScopeLevel::Dealer, &place.dealer_id),
        Scope::new(ScopeLevel::Region, &place.region_id),
    ];
    let mut free = vec![];
    // Dealer before region, month before year: every approver locks the
    // rows in one order.
    for scope in &capped {
        for period in &periods {
            let key = TallyKey {
                scope: scope.clone(),
                period: period.to_string(),
                measure: measure.clone(),
            };
            match budgets::amount(tx, scope, category, &key.period).await? {
                None => free.push((key, amount)),
                Some(cap) => {
                    if !tallies::add_within(tx, &key, amount, cap).await? {
                        let spent = tallies::amount(tx, &key).await?;
                        return Err(Error::PreconditionFailure {
                            kind: BUDGET,
                            subject: format!("the {category} budget of {scope} for {}", key.period),
                            reason: format!(
                                "{} {} left of {cap}, {amount} asked",
                                (cap - spent).max(0),
                                cx.currency
                            ),
                        });
                    }
                }
            }
        }
    }
    for scope in [
        Scope::new(ScopeLevel::Station, &place.station_id),
        Scope::network(),
    ] {
        for period in &periods {
            let key = TallyKey {
                scope: scope.clone(),
                period: period.to_string(),
                measure: measure.clone(),
            };
            free.push((key, amount));
        }
    }
    tallies::add(tx, &free).await?;
    alerts::after_actual_change(tx, cx, place, WARRANTY, &periods).await?;
    Ok(())
}

impl WarrantyClaims {
    /// submitted → approved or partly approved, by the level the claimed
    /// amount calls for or a higher one, within the budgets left.
    pub(crate) async fn approve(
        &self,
        caller: &Caller,
        id: &str,
        etag: Option<i64>,
        decisions: &[Decision],
    ) -> Result<Claim> {
        let mut tx = begin!(self.cx, caller);
        let principal = &caller.principal;
        let mut claim = for_change(&mut tx, principal, id, etag, authority::check_approver).await?;
        let now = self.cx.clock.now_micros();
        let total = authority::approve(&mut claim, decisions).map_err(refused)?;
        if total > 0 {
            spend(&mut tx, &self.cx, &claim, total, now).await?;
        }
        let state = claim.state;
        claim.moved(state, &principal.subject, now, "");
        save(&mut tx, &mut claim, now).await?;
        commit(tx, caller, claim).await
    }
}
