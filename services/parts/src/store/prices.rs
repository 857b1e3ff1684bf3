use aftercare_auth::Principal;
use aftercare_db::{Tx, timestamp};

use aftercare_db::list::{Arg, ListQuery};

use aftercare_edge::resource::{expect_one, on_write_error};

use super::{
    Caller, PART, Store, begin, check_change, check_read,
    parts::{existing, stored_price},
};
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

#[derive(sqlx::FromRow)]
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
pub(super) async fn insert(
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

impl Store {
    /// Schedules a price of part `id`, in force from `effective_time`
    /// (micros). The part's version moves on, since what it answers changes.
    pub async fn schedule_price_change(
        &self,
        caller: &Caller,
        id: &PartNumber,
        effective_time: i64,
        price: Price,
    ) -> Result<PriceChange> {
        check_change(&caller.principal)?;
        let mut tx = begin!(self, caller);
        let now = self.clock.now_micros();
        let part = existing(&mut tx, id.as_str(), now).await?;
        let change = insert(&mut tx, id, effective_time, &price, now).await?;
        let rows = sqlx::query(
            "UPDATE parts SET version = $1, update_time = $2 WHERE part_number = $3 AND version = $4",
        )
        .bind(part.meta.version + 1)
        .bind(now)
        .bind(id.as_str())
        .bind(part.meta.version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        expect_one(rows, PART, id.as_str())?;
        Self::commit(tx, caller, change).await
    }

    /// The price changes of part `id`, ordered by effective time, after the
    /// effective time `after` (micros).
    pub async fn list_price_changes(
        &self,
        caller: &Principal,
        id: &PartNumber,
        after: Option<i64>,
        limit: i64,
    ) -> Result<Vec<PriceChange>> {
        check_read(caller)?;
        let mut conn = self.db.pool().acquire().await?;
        existing(&mut conn, id.as_str(), self.clock.now_micros()).await?;
        let mut query = ListQuery::new(select!(), vec![]);
        query.eq("part_number", id.as_str());
        let rows: Vec<Row> = query
            .page(&mut *conn, "effective_time", after.map(Arg::Int), limit)
            .await?;
        rows.into_iter().map(PriceChange::try_from).collect()
    }

    /// The price change of part `id` in force at `at` (micros).
    pub async fn get_part_price(
        &self,
        caller: &Principal,
        id: &PartNumber,
        at: i64,
    ) -> Result<PriceChange> {
        check_read(caller)?;
        let mut conn = self.db.pool().acquire().await?;
        existing(&mut conn, id.as_str(), at).await?;
        let row: Option<Row> = sqlx::query_as(select!(
            " WHERE part_number = $1 AND effective_time <= $2 ORDER BY effective_time DESC LIMIT 1"
        ))
        .bind(id.as_str())
        .bind(at)
        .fetch_optional(&mut *conn)
        .await?;
        row.map(PriceChange::try_from)
            .transpose()?
            .ok_or_else(|| Error::not_found("price in force at that time of part", id.as_str()))
    }
}
