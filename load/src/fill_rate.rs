//! The first-time fill rate over a large ledger: 1.1 million repair-order
//! lines (over a million ledger entries) written straight into the parts
//! database (PostgreSQL) — through the API they would take hours on this
//! machine — shaped row for row as the reservation path writes them; then GetFillRate timed through the
//! gateway for one dealer's month, its region's and the network's.
//!
//! The catalogue and the warehouses are made through the API, so that only
//! the bulk of reservations, stock rows and ledger entries is written by
//! hand.

use std::time::{Duration, Instant};

use aftercare_db::sqlx::{self, AnyConnection, Connection};
use aftercare_proto::{
    common::v1::{Period, PeriodKind},
    parts::v1::{self as pb, stock_service_client::StockServiceClient},
};
use anyhow::Context;
use tonic::transport::Channel;

use crate::{latency::Latencies, reservations, scenarios::Auth};

/// What to seed: `lines` repair-order lines of four lines each, going
/// round `dealers` dealers (in ten regions), then `months` months from
/// January 2024, each line of one of `parts` parts; one line in twenty
/// backordered, the rest served at once.
#[derive(Debug, Clone)]
pub(crate) struct Seed {
    pub(crate) lines: i64,
    pub(crate) dealers: i64,
    pub(crate) months: i64,
    pub(crate) parts: i64,
}

impl Default for Seed {
    fn default() -> Self {
        Self {
            lines: 1_100_000,
            dealers: 100,
            months: 24,
            parts: 200,
        }
    }
}

const FIRST_YEAR: i32 = 2024;

impl Seed {
    /// The month timed: the middle one.
    pub(crate) fn month(&self) -> Period {
        let m = self.months / 2;
        Period {
            kind: PeriodKind::Month as i32,
            year: FIRST_YEAR + (m / 12) as i32,
            number: (m % 12) as i32 + 1,
        }
    }
}

fn dealer(d: i64) -> String {
    format!("fr-dealer-{d:03}")
}

fn region(d: i64) -> String {
    format!("fr-region-{}", d % 10)
}

/// What [`seed`] wrote.
#[derive(Debug, Clone)]
pub(crate) struct Seeded {
    pub(crate) lines: u64,
    pub(crate) ledger_entries: u64,
    pub(crate) took: Duration,
}

/// Seeds the parts database of a running system: parts and warehouses
/// through `setup` as head office, then the lines, stock and ledger by SQL
/// on `db`, then ANALYZE, as a database that grew to this size would have
/// its statistics.
pub(crate) async fn seed(
    setup: &Channel,
    head_office: &Auth,
    db: &mut AnyConnection,
    seed: &Seed,
) -> anyhow::Result<Seeded> {
    anyhow::ensure!(
        db.backend_name() == "PostgreSQL",
        "the fill-rate seed is written for PostgreSQL, not {}",
        db.backend_name()
    );
    anyhow::ensure!(
        seed.lines > 0 && seed.dealers > 0 && seed.months > 0 && seed.parts > 0,
        "the fill-rate seed needs lines, dealers, months and parts"
    );
    let started = Instant::now();
    reservations::ensure_parts(setup, head_office, seed.parts as usize).await?;
    for d in 0..seed.dealers {
        let warehouse = pb::Warehouse {
            warehouse_id: format!("fr-wh-{d:03}"),
            display_name: format!("Fill-rate dealer {d}"),
            kind: pb::WarehouseKind::Dealer as i32,
            region_id: region(d),
            dealer_id: dealer(d),
            lead_time_days: 2,
            ..Default::default()
        };
        reservations::ensure_warehouse(setup, head_office, warehouse).await?;
    }

    let mut tx = db.begin().await?;
    sqlx::query(CREATE_LINES).execute(&mut *tx).await?;
    sqlx::query(LINES)
        .bind(seed.lines)
        .bind(seed.dealers)
        .bind(seed.months)
        .bind(seed.parts)
        .execute(&mut *tx)
        .await
        .context("failed to generate the lines")?;
    let lines = sqlx::query(RESERVATIONS)
        .execute(&mut *tx)
        .await
        .context("failed to write the reservations")?
        .rows_affected();
    sqlx::query(STOCK)
        .execute(&mut *tx)
        .await
        .context("failed to write the stock rows")?;
    let mut ledger_entries = 0;
    for (what, sql) in [("receipts", RECEIPTS), ("reserve entries", RESERVE_ENTRIES)] {
        ledger_entries += sqlx::query(sql)
            .execute(&mut *tx)
            .await
            .with_context(|| format!("failed to write the {what}"))?
            .rows_affected();
    }
    tx.commit().await?;
    sqlx::query("ANALYZE reservations, stock, stock_movements")
        .execute(&mut *db)
        .await?;
    Ok(Seeded {
        lines,
        ledger_entries,
        took: started.elapsed(),
    })
}

/// The lines, one row each, dropped with the transaction. Columns as the
/// reservations table has them.
const CREATE_LINES: &str = "CREATE TEMP TABLE fill_rate_lines (\
     repair_order_id TEXT, line_number BIGINT, dealer_id TEXT, region_id TEXT, \
     warehouse_id TEXT, part_number TEXT, quantity BIGINT, served BIGINT, create_time BIGINT\
     ) ON COMMIT DROP";

/// Line g is line g % 4 + 1 of repair order r = g / 4, which belongs to
/// dealer r % $2 and month (r / $2) % $3 and is opened at a scattered
/// second of the month's first 28 days (a line a microsecond after the
/// one before). Parts as `stock::part_number` names them. Backorders are
/// picked by a hash of g, not g itself, so that they do not fall on one
/// dealer's first lines.
const LINES: &str = "INSERT INTO fill_rate_lines \
     SELECT 'ro-fr-' || r, line_number, 'fr-dealer-' || lpad(d::text, 3, '0'), \
     'fr-region-' || (d % 10), 'fr-wh-' || lpad(d::text, 3, '0'), \
     'LOAD-' || lpad((1 + (g * 37 + r) % $4)::text, 4, '0'), 1 + g % 3, \
     CASE WHEN g * 7919 % 1000003 % 20 = 0 THEN 0 ELSE 1 END, \
     CAST(EXTRACT(EPOCH FROM TIMESTAMP '2024-01-01' + make_interval(months => CAST(m AS INT))) \
     AS BIGINT) * 1000000 + (r * 7919 % 2419200) * 1000000 + line_number \
     FROM generate_series(CAST(0 AS BIGINT), $1 - 1) AS g, \
     LATERAL (SELECT g / 4 AS r, g % 4 + 1 AS line_number) AS o, \
     LATERAL (SELECT r % $2 AS d, (r / $2) % $3 AS m) AS dm";

/// As `Store::reserve` writes a line: owned by its dealer, reserved or
/// backordered (no expected date: nothing up the chain), queued by time.
const RESERVATIONS: &str = "INSERT INTO reservations (owner, repair_order_id, line_number, \
     warehouse_id, part_number, quantity, state, served_at_once, expected_time, dealer_id, \
     region_id, create_time, update_time, queue_key) \
     SELECT 'dealer:' || dealer_id, repair_order_id, line_number, warehouse_id, part_number, \
     quantity, CASE served WHEN 1 THEN 'reserved' ELSE 'backordered' END, served, NULL, \
     dealer_id, region_id, create_time, create_time, \
     lpad(create_time::text, 20, '0') || '/' || repair_order_id || '/' || lpad(line_number::text, 10, '0') \
     FROM fill_rate_lines";

/// One stock row per warehouse and part: one receipt of what the served
/// lines took, all of it reserved, and the backorders waiting for more.
const STOCK: &str = "INSERT INTO stock (warehouse_id, part_number, on_hand, reserved, inbound, \
     backordered, last_sequence, last_effective_time, safety_stock, reorder_point, min_quantity, \
     max_quantity, levels_version) \
     SELECT warehouse_id, part_number, SUM(quantity * served), SUM(quantity * served), 0, \
     SUM(quantity * (1 - served)), \
     SUM(served) + CASE WHEN SUM(served) > 0 THEN 1 ELSE 0 END, \
     COALESCE(MAX(create_time) FILTER (WHERE served = 1), 0), 0, 0, 0, 0, 1 \
     FROM fill_rate_lines GROUP BY warehouse_id, part_number";

/// Entry 1 of each ledger: the receipt, a day before its first line.
const RECEIPTS: &str = "INSERT INTO stock_movements (warehouse_id, part_number, sequence, kind, \
     quantity, effective_time, booking_time, on_hand_after, reserved_after, reference, booked_by) \
     SELECT warehouse_id, part_number, 1, 'receive', SUM(quantity), \
     MIN(create_time) - 86400000000, MIN(create_time) - 86400000000, SUM(quantity), 0, \
     'fill-rate seed', 'dms-' || MIN(dealer_id) \
     FROM fill_rate_lines WHERE served = 1 GROUP BY warehouse_id, part_number";

/// Then one reserve entry per served line, in time order, with the stock
/// after it; booked by the dealer's DMS, referring to the line.
const RESERVE_ENTRIES: &str = "INSERT INTO stock_movements (warehouse_id, part_number, sequence, \
     kind, quantity, effective_time, booking_time, on_hand_after, reserved_after, reference, \
     booked_by) \
     SELECT warehouse_id, part_number, 1 + row_number() OVER w, 'reserve', quantity, \
     create_time, create_time, SUM(quantity) OVER (PARTITION BY warehouse_id, part_number), \
     SUM(quantity) OVER w, \
     'repair order ' || repair_order_id || ' line ' || line_number, 'dms-' || dealer_id \
     FROM fill_rate_lines WHERE served = 1 \
     WINDOW w AS (PARTITION BY warehouse_id, part_number \
     ORDER BY create_time, repair_order_id, line_number)";

/// GetFillRate of one scope, called again and again.
#[derive(Debug, Clone)]
pub(crate) struct Timing {
    pub(crate) scope: String,
    pub(crate) lines_asked: i64,
    pub(crate) rate_basis_points: i32,
    pub(crate) latencies: Latencies,
}

/// Times `calls` GetFillRate calls, one after another, through `gateway`
/// as head office, for the seed's month: of dealer 0, of its region and of
/// the whole network.
pub(crate) async fn time(
    gateway: Channel,
    head_office: Auth,
    seed: &Seed,
    calls: usize,
) -> anyhow::Result<Vec<Timing>> {
    let mut client = StockServiceClient::with_interceptor(gateway, head_office);
    let period = seed.month();
    let month = format!("{}-{:02}", period.year, period.number);
    let scopes = [
        (
            format!("dealer {}, {month}", dealer(0)),
            dealer(0),
            String::new(),
        ),
        (
            format!("region {}, {month}", region(0)),
            String::new(),
            region(0),
        ),
        (format!("network, {month}"), String::new(), String::new()),
    ];
    let mut timings = vec![];
    for (scope, dealer_id, region_id) in scopes {
        let request = pb::GetFillRateRequest {
            dealer_id,
            region_id,
            period: Some(period),
        };
        let mut nanos = Vec::with_capacity(calls);
        let mut answer = pb::FillRate::default();
        for _ in 0..calls {
            let started = Instant::now();
            answer = client
                .get_fill_rate(request.clone())
                .await
                .with_context(|| format!("GetFillRate of {scope} failed"))?
                .into_inner();
            nanos.push(started.elapsed().as_nanos() as u64);
        }
        timings.push(Timing {
            scope,
            lines_asked: answer.lines_asked,
            rate_basis_points: answer.rate_basis_points,
            latencies: Latencies::merge([nanos]),
        });
    }
    Ok(timings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_month_timed_is_the_middle_one() {
        let month = |months| {
            let p = Seed {
                months,
                ..Seed::default()
            }
            .month();
            (p.year, p.number)
        };
        assert_eq!(month(24), (2025, 1));
        assert_eq!(month(12), (2024, 7));
        assert_eq!(month(1), (2024, 1));
    }
}
