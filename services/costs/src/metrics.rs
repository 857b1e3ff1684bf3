//! What the costs service tells operations, as Prometheus gauges (read by
//! `deploy/observability`):
//!
//! - `warranty_budgets{level, burn}`: the WARRANTY budgets of the current
//!   month (the OEM's), per scope level (`dealer`, `region`, `network`) and
//!   how much of each approved claims spent (`under_90_percent`,
//!   `over_90_percent`, `exhausted`: an approval past it is refused);
//! - `warranty_month_spent_minor_units`: the warranty approved in the
//!   network this month, in the currency's minor units.
//!
//! Counts per level rather than a series per dealer: nine series however
//! many dealers the network has; the dealers themselves are in the
//! budget report and the cost alerts.
//!
//! Each replica reads them from the database every `metrics_refresh_ms`
//! (the month's budgets and their tally rows, found by the budgets' period
//! index): the database's figures whichever replica is scraped, and right
//! after a restart. Every replica reports the same: aggregate with `max`.

use std::time::Duration;

use aftercare_values::period::PeriodKind;

use crate::{
    domain::{budget::Burn, cost_entry::Category, scope::ScopeLevel},
    error::Result,
    store::burn,
    usecases::Context,
};

const LEVELS: [ScopeLevel; 3] = [ScopeLevel::Dealer, ScopeLevel::Region, ScopeLevel::Network];

/// Reads the month's warranty budgets and sets the gauges, every `every`
/// until the handle is aborted.
pub(crate) fn spawn(cx: Context, every: Duration) -> tokio::task::JoinHandle<()> {
    aftercare_db::periodic::every(every, move || {
        let cx = cx.clone();
        async move {
            if let Err(e) = refresh(&cx).await {
                tracing::debug!(error = %e, "costs metrics not refreshed");
            }
        }
    })
}

async fn refresh(cx: &Context) -> Result<()> {
    let month = cx
        .zone
        .period_of(PeriodKind::Month, cx.clock.now())
        .to_string();
    let budgets = burn::budgets(&cx.db, Category::Warranty, &month).await?;
    let spent = burn::network_spent(&cx.db, Category::Warranty, &month).await?;
    for level in LEVELS {
        for band in Burn::ALL {
            let count = budgets
                .iter()
                .filter(|(l, amount, spent)| {
                    l == level.as_str() && Burn::of(*spent, *amount) == band
                })
                .count();
            metrics::gauge!("warranty_budgets", "level" => level.as_str(), "burn" => band.as_str())
                .set(count as f64);
        }
    }
    metrics::gauge!("warranty_month_spent_minor_units").set(spent as f64);
    Ok(())
}
