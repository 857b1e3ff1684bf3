//! What the surveys service tells operations, as Prometheus metrics (read
//! by `deploy/observability`).
//!
//! The league tables, as this process sees them (its marks are its own, in
//! memory: aggregate replicas with `max`):
//! - `league_tables_waiting_periods`: periods whose tables wait for the
//!   background rebuild (an update missed while Redis was away, a late
//!   answer's move), read from the database meanwhile;
//! - `league_tables_behind_seconds`: how long something has waited for a
//!   rebuild without a pause (0 when every table is as the database says);
//! - `league_table_store_losses_total`: times the store was found to have
//!   lost its tables (Redis restarted empty, or flushed).
//!
//! The complaints, read from the database (the same in every replica:
//! `max`), per `deadline` (`response` while open, `resolution` once
//! answered) and `owner` (`dealer`, `region`, `head_office`):
//! - `complaints_waiting`: complaints waiting on that deadline;
//! - `complaints_overdue`: those past it (a dealer's or region's is
//!   escalated by the next sweep; head office's stays overdue);
//! - `complaints_due_soon`: those due within the next hour;
//! - `complaints_escalations_total{owner}`: escalations by the sweep, to
//!   the owner they went to, counted by the replica whose sweep wrote them
//!   (each once, whoever swept: `sum`).
//!
//! All refreshed every `metrics_refresh_ms`; the complaints' read is a
//! partial index of the open ones (migration 0012).

use std::{sync::Arc, time::Duration};

use aftercare_db::{Db, timestamp::Clock};

use crate::{
    domain::complaint::{Complaint, Owner, State},
    error::Result,
    leagues::Leagues,
    store::complaints,
};

/// What "due soon" looks ahead.
const DUE_SOON: Duration = Duration::from_secs(3600);

/// The owners an escalation goes to.
const ESCALATED_TO: [Owner; 2] = [Owner::Region, Owner::HeadOffice];

/// Sets the gauges every `every` until the handle is aborted.
pub(crate) fn spawn(
    db: Db,
    clock: Clock,
    leagues: Arc<Leagues>,
    every: Duration,
) -> tokio::task::JoinHandle<()> {
    aftercare_db::periodic::every(every, move || {
        publish_leagues(&leagues);
        let (db, now) = (db.clone(), clock.now_micros());
        async move {
            if let Err(e) = publish_complaints(&db, now).await {
                tracing::debug!(error = %e, "complaint metrics not refreshed");
            }
        }
    })
}

fn publish_leagues(leagues: &Leagues) {
    let f = leagues.freshness();
    metrics::gauge!("league_tables_waiting_periods").set(f.waiting_periods as f64);
    metrics::gauge!("league_tables_behind_seconds").set(f.behind.map_or(0.0, |d| d.as_secs_f64()));
    metrics::counter!("league_table_store_losses_total").absolute(f.losses);
}

async fn publish_complaints(db: &Db, now: i64) -> Result<()> {
    let soon = now.saturating_add(DUE_SOON.as_micros() as i64);
    let rows = complaints::deadlines(db, now, soon).await?;
    for (state, deadline) in [(State::Open, "response"), (State::Responded, "resolution")] {
        for owner in Owner::ALL {
            let (waiting, overdue, due_soon) = rows
                .iter()
                .filter(|r| r.0 == state && r.1 == *owner)
                .fold((0, 0, 0), |(w, o, s), r| (w + r.2, o + r.3, s + r.4));
            let labels = [("deadline", deadline), ("owner", owner_label(*owner))];
            metrics::gauge!("complaints_waiting", &labels).set(waiting as f64);
            metrics::gauge!("complaints_overdue", &labels).set(overdue as f64);
            metrics::gauge!("complaints_due_soon", &labels).set(due_soon as f64);
        }
    }
    // The escalation counters exist before the first escalation.
    for owner in ESCALATED_TO {
        metrics::counter!("complaints_escalations_total", "owner" => owner_label(owner))
            .increment(0);
    }
    Ok(())
}

/// Counts the escalations a sweep committed, by the owner each went to.
pub(crate) fn escalated(complaints: &[Complaint]) {
    for c in complaints {
        metrics::counter!("complaints_escalations_total", "owner" => owner_label(c.owner))
            .increment(1);
    }
}

fn owner_label(owner: Owner) -> &'static str {
    match owner {
        Owner::Dealer => "dealer",
        Owner::Region => "region",
        Owner::HeadOffice => "head_office",
    }
}
