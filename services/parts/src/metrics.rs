//! What the parts service tells operations, as Prometheus gauges (read by
//! `deploy/observability`):
//!
//! - `parts_stock_outs{kind}`: stock rows of a part a warehouse plans to
//!   hold (safety stock above 0) with nothing available;
//! - `parts_backorders_open{kind}`: repair-order lines waiting as
//!   backorders;
//! - `parts_backorders_overdue{kind}`: those of them whose expected time
//!   has passed.
//!
//! `kind` is the warehouse's (`central`, `regional`, `dealer`): three
//! series each, however many stations the network has.
//!
//! Each replica reads them from the database every `metrics_refresh_ms`
//! rather than moving a gauge at each write: a gauge moved at the write
//! would count only its own replica's writes and start from nothing after a
//! restart, while a read gives the database's figures whichever replica (or
//! mode) is scraped. Every replica reports the same: aggregate with `max`,
//! not `sum`. The reads are two small partial indexes (migration 0008).

use std::time::Duration;

use aftercare_db::{Db, timestamp::Clock};

use crate::{domain::warehouse::Kind, error::Result, store::shortages};

const KINDS: [Kind; 3] = [Kind::Central, Kind::Regional, Kind::Dealer];

/// Reads the shortages at `clock`'s now and sets the gauges, every `every`
/// until the handle is aborted.
pub(crate) fn spawn(db: Db, clock: Clock, every: Duration) -> tokio::task::JoinHandle<()> {
    aftercare_db::periodic::every(every, move || {
        let (db, now) = (db.clone(), clock.now_micros());
        async move {
            if let Err(e) = refresh(&db, now).await {
                tracing::debug!(error = %e, "parts metrics not refreshed");
            }
        }
    })
}

async fn refresh(db: &Db, now: i64) -> Result<()> {
    let outs = shortages::stock_outs(db).await?;
    let backorders = shortages::backorders(db, now).await?;
    for kind in KINDS {
        let kind = kind.as_str();
        let out = outs.iter().find(|(k, _)| k == kind).map_or(0, |(_, n)| *n);
        let (open, overdue) = backorders
            .iter()
            .find(|(k, ..)| k == kind)
            .map_or((0, 0), |(_, open, overdue)| (*open, *overdue));
        metrics::gauge!("parts_stock_outs", "kind" => kind).set(out as f64);
        metrics::gauge!("parts_backorders_open", "kind" => kind).set(open as f64);
        metrics::gauge!("parts_backorders_overdue", "kind" => kind).set(overdue as f64);
    }
    Ok(())
}
