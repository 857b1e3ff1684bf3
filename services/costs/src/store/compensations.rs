//! Complaints' approved compensation and goodwill.

use aftercare_db::Tx;
use sqlx::AnyConnection;

use super::corrupt;
use crate::{
    domain::compensation::{Compensation, CompensationKind},
    error::Result,
};

type Row = (
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    String,
);

fn from_row(r: Row) -> Result<Compensation> {
    let kind = CompensationKind::parse(&r.1)
        .ok_or_else(|| corrupt(format!("compensation {}: kind {}", r.0, r.1)))?;
    Ok(Compensation {
        complaint_id: r.0,
        kind,
        dealer_id: r.2,
        region_id: r.3,
        station_id: r.4,
        repair_order_id: r.5,
        amount: r.6,
        approve_time: r.7,
        approved_by: r.8,
    })
}

/// The compensation event `event_id` told of, if it was recorded.
pub(crate) async fn find(conn: &mut AnyConnection, event_id: &str) -> Result<Option<Compensation>> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT complaint_id, kind, dealer_id, region_id, station_id, repair_order_id, amount, \
         approve_time, approved_by FROM compensations WHERE event_id = $1",
    )
    .bind(event_id)
    .fetch_optional(conn)
    .await?;
    row.map(from_row).transpose()
}

/// Records `c`, told of by event `event_id`.
pub(crate) async fn insert(tx: &mut Tx, c: &Compensation, event_id: &str, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO compensations (complaint_id, kind, dealer_id, region_id, station_id, \
         repair_order_id, amount, approve_time, approved_by, event_id, create_time) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&c.complaint_id)
    .bind(c.kind.as_str())
    .bind(&c.dealer_id)
    .bind(&c.region_id)
    .bind(&c.station_id)
    .bind(&c.repair_order_id)
    .bind(c.amount)
    .bind(c.approve_time)
    .bind(&c.approved_by)
    .bind(event_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The region of `dealer_id` as a compensation told it, for a dealer with
/// no RO delivered yet.
pub(crate) async fn dealer_region(
    conn: &mut AnyConnection,
    dealer_id: &str,
) -> Result<Option<String>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT region_id FROM compensations WHERE dealer_id = $1 LIMIT 1")
            .bind(dealer_id)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(r,)| r))
}
