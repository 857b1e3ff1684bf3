//! What operations see of the warranty budgets: how many of the month's
//! are spent under 90 %, over 90 % or to the end, per level, and the
//! network's warranty spent this month, as the gauges `/metrics` exports.

use aftercare_test_support::{Backend, eventually, metric, record_metrics};
use aftercare_values::OemZone;

use super::*;
use crate::control;

async fn start_with_quick_metrics(backend: Backend) -> Harness {
    let settings = aftercare_costs::CostsSettings {
        metrics_refresh_ms: 20,
        ..Default::default()
    };
    support::start_with(backend, settings, OemZone::utc()).await
}

/// The number of budgets of `level` spent as `burn` says.
fn budgets(level: &str, burn: &str) -> Option<f64> {
    metric("warranty_budgets", &[("level", level), ("burn", burn)])
}

both!(
    the_months_warranty_budget_burn_is_exported_per_level,
    start_with_quick_metrics,
    |h: Harness| async move {
        record_metrics();
        world(&h).await;
        h.set_clock(DECEMBER);
        let set = |scope, amount| {
            control::set_budget(
                &h,
                scope,
                pb::CostCategory::Warranty,
                control::month(2026, 12),
                amount,
            )
        };
        set(control::dealer("d1"), 36_000).await;
        set(control::region("north"), 33_100).await;
        let claim = submitted(&h, "ro-1", 1).await;
        eventually("the month's budgets, nothing spent", || async {
            budgets("dealer", "under_90_percent") == Some(1.0)
                && budgets("region", "under_90_percent") == Some(1.0)
                && budgets("network", "under_90_percent") == Some(0.0)
                && metric("warranty_month_spent_minor_units", &[]) == Some(0.0)
        })
        .await;

        // 331.00 approved: 92 % of d1's budget, all of north's.
        claims(&h, who::dealer("d1"))
            .approve_warranty_claim(approve(&claim.id, vec![]))
            .await
            .answer();
        eventually("d1's budget over 90 %, north's spent", || async {
            budgets("dealer", "under_90_percent") == Some(0.0)
                && budgets("dealer", "over_90_percent") == Some(1.0)
                && budgets("region", "exhausted") == Some(1.0)
                && budgets("region", "under_90_percent") == Some(0.0)
                && metric("warranty_month_spent_minor_units", &[]) == Some(33_100.0)
        })
        .await;
    }
);
