//! The network's shortages as operations watch them, per warehouse kind:
//! stock-outs and open backorders (`src/metrics.rs` publishes them). Each
//! query reads a partial index of migration 0008, whose condition it
//! repeats word for word (SQLite uses a partial index only then).

use aftercare_db::Db;

use crate::error::Result;

/// Per warehouse kind, the stock rows with a safety stock above 0 and
/// nothing available (on hand all reserved, or none).
pub(crate) async fn stock_outs(db: &Db) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT w.kind, COUNT(*) FROM stock s \
         JOIN warehouses w ON w.warehouse_id = s.warehouse_id \
         WHERE s.safety_stock > 0 AND s.on_hand <= s.reserved \
         GROUP BY w.kind",
    )
    .fetch_all(db.pool())
    .await?)
}

/// Per warehouse kind, the lines waiting as backorders, and those of them
/// whose expected time has passed at `now` (micros).
pub(crate) async fn backorders(db: &Db, now: i64) -> Result<Vec<(String, i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT w.kind, COUNT(*), \
                CAST(COALESCE(SUM(CASE WHEN r.expected_time < $1 THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM reservations r \
         JOIN warehouses w ON w.warehouse_id = r.warehouse_id \
         WHERE r.state = 'backordered' \
         GROUP BY w.kind",
    )
    .bind(now)
    .fetch_all(db.pool())
    .await?)
}
