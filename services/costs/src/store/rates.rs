//! The effective-dated rates: a station's labour cost, the warranty labour
//! rate, a model's warranty terms. Each reader answers the one in force at a
//! moment (or, for terms, for a warranty start day).

use sqlx::AnyConnection;

use crate::error::Result;

/// The labour cost per hour of `station_id` in force at `at` (micros): its
/// own rate, else the network default's; `None` when neither is set.
pub(crate) async fn labour_cost_at(
    conn: &mut AnyConnection,
    station_id: &str,
    at: i64,
) -> Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT hourly_cost FROM labour_cost_rates \
         WHERE station_id IN ($1, '') AND effective_time <= $2 \
         ORDER BY CASE WHEN station_id = '' THEN 1 ELSE 0 END, effective_time DESC LIMIT 1",
    )
    .bind(station_id)
    .bind(at)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(r,)| r))
}

/// The warranty labour rate per hour in force at `at` (micros).
pub(crate) async fn warranty_labour_at(conn: &mut AnyConnection, at: i64) -> Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT hourly_rate FROM warranty_labour_rates WHERE effective_time <= $1 \
         ORDER BY effective_time DESC LIMIT 1",
    )
    .bind(at)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(r,)| r))
}

/// The warranty terms (months, kilometres) of `model` for a vehicle whose
/// warranty starts on `start` ('YYYY-MM-DD').
pub(crate) async fn warranty_terms_for(
    conn: &mut AnyConnection,
    model: &str,
    start: &str,
) -> Result<Option<(i32, i64)>> {
    let row: Option<(i32, i64)> = sqlx::query_as(
        "SELECT months, kilometres FROM warranty_terms \
         WHERE model = $1 AND effective_date <= $2 \
         ORDER BY effective_date DESC LIMIT 1",
    )
    .bind(model)
    .bind(start)
    .fetch_optional(conn)
    .await?;
    Ok(row)
}
