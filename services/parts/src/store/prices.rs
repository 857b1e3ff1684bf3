//! The price history of each part: one row per change, by effective time.

use aftercare_db::{
    Tx,
    list::{Arg, ListQuery},
    timestamp,
};
use aftercare_edge::resource::on_write_error;
use sqlx::AnyConnection;

use super::parts::stored_price;
use crate::{
    domain::catalogue::{PartNumber, Price, PriceChange},
    error::{Error, Result},
};

macro_rules! select {
    ($($rest:literal)?) => {
        concat!(
            "SELECT part_number, effective_time, currency_code, list_price_minor, cost_minor, create_time \
             FROM price_changes"
            $(, $rest)?
        )
    };
}

#[derive(aftercare_db::FromRow)]
struct Row {
    part_number: String,
    effective_time: i64,
    currency_code: String,
    list_price_minor: i64,
    cost_minor: i64,
    create_time: i64,
}

impl TryFrom<Row> for PriceChange {
    type Error = Error;

    fn try_from(r: Row) -> Result<Self> {
        Ok(PriceChange {
            part_number: PartNumber::from_store(r.part_number),
            effective_time: timestamp::from_micros(r.effective_time),
            price: stored_price(&r.currency_code, r.list_price_minor, r.cost_minor)?,
            create_time: timestamp::from_micros(r.create_time),
        })
    }
}

/// Stores a price change; ALREADY_EXISTS when the part has one at that
/// effective time.
pub(crate) async fn insert(
    tx: &mut Tx,
    part: &PartNumber,
    effective_time: i64,
    price: &Price,
    now: i64,
) -> Result<PriceChange> {
    sqlx::query(
        "INSERT INTO price_changes (part_number, effective_time, currency_code, list_price_minor, \
         cost_minor, create_time) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(part.as_str())
    .bind(effective_time)
    .bind(price.currency().as_str())
    .bind(price.list_price().minor_units)
    .bind(price.cost().minor_units)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(|e| {
        let taken = format!(
            "part {part} already has a price change effective at {}",
            timestamp::from_micros(effective_time)
        );
        on_write_error(e, &[("price_changes", taken)])
    })?;
    Ok(PriceChange {
        part_number: part.clone(),
        effective_time: timestamp::from_micros(effective_time),
        price: *price,
        create_time: timestamp::from_micros(now),
    })
}

/// A page of the price changes of part `id`, ordered by effective time,
/// after the effective time `after` (micros).
pub(crate) async fn list(
    conn: &mut AnyConnection,
    id: &PartNumber,
    after: Option<i64>,
    limit: i64,
) -> Result<Vec<PriceChange>> {
    let mut query = ListQuery::new(select!(), vec![]);
    query.eq("part_number", id.as_str());
    let rows: Vec<Row> = query
        .page(&mut *conn, "effective_time", after.map(Arg::Int), limit)
        .await?;
    rows.into_iter().map(PriceChange::try_from).collect()
}

/// The price change of part `id` in force at `at` (micros), if any.
pub(crate) async fn at(
    conn: &mut AnyConnection,
    id: &PartNumber,
    at: i64,
) -> Result<Option<PriceChange>> {
    let row: Option<Row> = sqlx::query_as(select!(
        " WHERE part_number = $1 AND effective_time <= $2 ORDER BY effective_time DESC LIMIT 1"
    ))
    .bind(id.as_str())
    .bind(at)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(PriceChange::try_from).transpose()
}
