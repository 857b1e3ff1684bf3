//! Budget alerts: after an actual or a budget changes, each category's
//! budget is judged again in the same transaction, and an alert is raised
//! once per crossing of the threshold (`variance_alert_bp` over budget).
//!
//! [`after_actual_change`] is the hook for every writer of a `cost.*`
//! tally: cost entries here, warranty approvals (`cost.WARRANTY`) in the
//! claims. Call it in the writer's transaction, after the tallies are added.

use aftercare_db::Tx;
use aftercare_values::Period;

use super::Context;
use crate::{
    domain::{
        amounts,
        budget::{Alert, AlertStep, alert_step, over_threshold},
        cost_entry::Category,
        scope::{Place, Scope, ScopeLevel},
        tally::TallyKey,
    },
    error::Result,
    store::{alerts, budgets, tallies},
};

/// Judges `category`'s budgets of the dealer, region and network of `place`
/// in each of `periods` (e.g. `tally::periods_of_month(month)`), after their
/// actuals changed in `tx`: raises the alerts of those that crossed the
/// threshold, re-arms those back under it. Returns the alerts raised.
pub(crate) async fn after_actual_change(
    tx: &mut Tx,
    cx: &Context,
    place: &Place,
    category: Category,
    periods: &[Period],
) -> Result<Vec<Alert>> {
    let mut judged: Vec<(Scope, String, Period)> = place
        .dealer_scopes()
        .into_iter()
        .flat_map(|scope| {
            let region = region_of(&scope, &place.region_id);
            periods
                .iter()
                .map(move |p| (scope.clone(), region.clone(), *p))
        })
        .collect();
    // Every writer locks states in one order: no deadlock between two.
    judged.sort_by(|a, b| (&a.0, a.2.to_string()).cmp(&(&b.0, b.2.to_string())));
    let mut raised = Vec::new();
    for (scope, region_id, period) in judged {
        raised.extend(judge(tx, cx, &scope, &region_id, category, &period).await?);
    }
    Ok(raised)
}

/// The region a scope's alerts sit in: a dealer's region, a region's own
/// id, none for the network.
fn region_of(scope: &Scope, dealer_region: &str) -> String {
    match scope.level {
        ScopeLevel::Network => String::new(),
        ScopeLevel::Region => scope.id.clone(),
        ScopeLevel::Dealer | ScopeLevel::Station => dealer_region.to_owned(),
    }
}

/// Judges one budget against its actual in `tx` (after the budget was set,
/// or an entry added to its actual): raises its alert once per crossing.
pub(crate) async fn judge(
    tx: &mut Tx,
    cx: &Context,
    scope: &Scope,
    region_id: &str,
    category: Category,
    period: &Period,
) -> Result<Option<Alert>> {
    let period_text = period.to_string();
    // The lock first: the budget and actual read after it are final.
    let was_raised = alerts::lock_state(tx, scope, category, &period_text).await?;
    let Some(budget) = budgets::get(tx, scope, category, period).await? else {
        return Ok(None);
    };
    let key = TallyKey {
        scope: scope.clone(),
        period: period_text.clone(),
        measure: category.measure(),
    };
    let actual = tallies::amount(tx, &key).await?;
    let threshold_bp = cx.settings.variance_alert_bp;
    let over = over_threshold(actual, budget.amount, threshold_bp);
    match alert_step(was_raised, over) {
        AlertStep::Keep => Ok(None),
        AlertStep::Rearm => {
            alerts::set_state(tx, scope, category, &period_text, false).await?;
            Ok(None)
        }
        AlertStep::Raise => {
            let alert = Alert {
                sequence: alerts::next_sequence(tx).await?,
                scope: scope.clone(),
                region_id: region_id.to_owned(),
                category,
                period: *period,
                budget: budget.amount,
                actual,
                variance_bp: amounts::basis_points(actual - budget.amount, budget.amount)
                    .unwrap_or(0),
                threshold_bp,
                raise_time: cx.clock.now_micros(),
            };
            alerts::insert(tx, &alert).await?;
            alerts::set_state(tx, scope, category, &period_text, true).await?;
            tracing::info!(
                scope = %scope, category = category.as_str(), period = %period,
                budget = budget.amount, actual, "cost budget alert raised"
            );
            Ok(Some(alert))
        }
    }
}
