//! The parts: one row each, read with the price in force at a time.

use aftercare_db::{
    Db, Tx,
    list::{Arg, ListQuery},
};
use aftercare_edge::resource::{expect_one, meta_from_row, on_write_error};
use aftercare_values::{Currency, Money, PageRequest};
use sqlx::AnyConnection;

use super::corrupt;
use crate::{
    domain::catalogue::{
        Category, DisplayName, MAX_CHAIN, Part, PartFields, PartNumber, Price, Unit,
    },
    error::{Error, Result},
};

pub(crate) const PART: &str = "part";

/// The parts with the price in force at `$1`: the latest change at or
/// before it, or, should there be none, the first.
macro_rules! select {
    ($($rest:literal)?) => {
        concat!(
            "SELECT p.part_number, p.unit, p.display_name, p.category, p.warranty_eligible, p.superseded_by, \
             p.version, p.create_time, p.update_time, \
             c.currency_code, c.list_price_minor, c.cost_minor \
             FROM parts p LEFT JOIN price_changes c ON c.part_number = p.part_number \
             AND c.effective_time = COALESCE(\
             (SELECT MAX(x.effective_time) FROM price_changes x WHERE x.part_number = p.part_number AND x.effective_time <= $1), \
             (SELECT MIN(y.effective_time) FROM price_changes y WHERE y.part_number = p.part_number))"
            $(, $rest)?
        )
    };
}

#[derive(aftercare_db::FromRow)]
struct Row {
    part_number: String,
    unit: String,
    display_name: String,
    category: String,
    warranty_eligible: i64,
    superseded_by: Option<String>,
    version: i64,
    create_time: i64,
    update_time: i64,
    currency_code: Option<String>,
    list_price_minor: Option<i64>,
    cost_minor: Option<i64>,
}

/// A price as stored: checked when it was written.
pub(crate) fn stored_price(currency: &str, list: i64, cost: i64) -> Result<Price> {
    let currency = Currency::parse(currency)
        .map_err(|e| corrupt(format!("stored currency {currency:?}: {e}")))?;
    let money = |minor_units| Money {
        currency,
        minor_units,
    };
    Price::new(money(list), money(cost)).map_err(|(_, e)| corrupt(format!("stored price: {e}")))
}

impl TryFrom<Row> for Part {
    type Error = Error;

    fn try_from(r: Row) -> Result<Self> {
        let (Some(currency), Some(list), Some(cost)) =
            (r.currency_code, r.list_price_minor, r.cost_minor)
        else {
            return Err(corrupt(format!("part {} has no price", r.part_number)));
        };
        Ok(Part {
            unit: Unit::parse(&r.unit).map_err(|_| corrupt(format!("stored unit {:?}", r.unit)))?,
            part_number: PartNumber::from_store(r.part_number),
            fields: PartFields {
                display_name: DisplayName::from_store(r.display_name),
                category: Category::from_store(r.category),
                warranty_eligible: r.warranty_eligible != 0,
                superseded_by: r.superseded_by.map(PartNumber::from_store),
            },
            price: stored_price(&currency, list, cost)?,
            meta: meta_from_row(r.version, r.create_time, r.update_time),
        })
    }
}

/// The part `id` with the price in force at `at` (micros).
pub(crate) async fn find(conn: &mut AnyConnection, id: &str, at: i64) -> Result<Option<Part>> {
    let row: Option<Row> = sqlx::query_as(select!(" WHERE p.part_number = $2"))
        .bind(at)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(Part::try_from).transpose()
}

/// The part `id`, or NOT_FOUND.
pub(crate) async fn existing(conn: &mut AnyConnection, id: &str, at: i64) -> Result<Part> {
    find(conn, id, at)
        .await?
        .ok_or_else(|| Error::not_found(PART, id))
}

/// The supersession chain from `start`: `start`, what supersedes it, and so
/// on, at most `MAX_CHAIN + 1` parts. NOT_FOUND when `start` does not exist.
pub(crate) async fn chain(tx: &mut Tx, start: &PartNumber) -> Result<Vec<PartNumber>> {
    let mut chain = vec![];
    let mut next = Some(start.clone());
    while let Some(part) = next
        && chain.len() <= MAX_CHAIN
    {
        let row: Option<(Option<String>,)> =
            sqlx::query_as("SELECT superseded_by FROM parts WHERE part_number = $1")
                .bind(part.as_str())
                .fetch_optional(&mut **tx)
                .await?;
        let Some((superseded_by,)) = row else {
            return Err(Error::not_found(PART, part.as_str()));
        };
        chain.push(part);
        next = superseded_by.map(PartNumber::from_store);
        if next.as_ref().is_some_and(|n| chain.contains(n)) {
            break;
        }
    }
    Ok(chain)
}

/// Whether the part `id` exists.
pub(crate) async fn exists(conn: &mut AnyConnection, id: &PartNumber) -> Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM parts WHERE part_number = $1")
        .bind(id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.is_some())
}

/// Takes the lock every change of supersession queues on, so that two of
/// them cannot together make a cycle.
pub(crate) async fn lock_supersession(tx: &mut Tx) -> Result<()> {
    sqlx::query("UPDATE catalogue_locks SET version = version + 1 WHERE name = 'supersession'")
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A page of the parts, of `category` when not empty, with the prices in
/// force at `at` (micros).
pub(crate) async fn list(
    db: &Db,
    category: &str,
    at: i64,
    page: &PageRequest,
) -> Result<Vec<Part>> {
    let mut query = ListQuery::new(select!(), vec![Arg::Int(at)]);
    query.filter("p.category", category);
    let rows: Vec<Row> = query
        .page(
            db.pool(),
            "p.part_number",
            page.after.clone().map(Arg::Text),
            page.fetch_limit(),
        )
        .await?;
    rows.into_iter().map(Part::try_from).collect()
}

/// Stores a new part (its price goes in with `prices::insert`).
pub(crate) async fn insert(tx: &mut Tx, part: &Part) -> Result<()> {
    let id = part.part_number.as_str();
    let created = aftercare_db::timestamp::to_micros(part.meta.create_time);
    sqlx::query(
        "INSERT INTO parts (part_number, display_name, category, warranty_eligible, superseded_by, \
         version, create_time, update_time, unit) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(part.fields.display_name.as_str())
    .bind(part.fields.category.as_str())
    .bind(i64::from(part.fields.warranty_eligible))
    .bind(part.fields.superseded_by.as_ref().map(PartNumber::as_str))
    .bind(part.meta.version)
    .bind(created)
    .bind(created)
    .bind(part.unit.as_str())
    .execute(&mut **tx)
    .await
    .map_err(|e| on_write_error(e, &[("parts", format!("part {id} already exists"))]))?;
    Ok(())
}

/// Stores `new` over the part at `old_version`; ABORTED when it moved on.
pub(crate) async fn update(tx: &mut Tx, old_version: i64, new: &Part) -> Result<()> {
    let id = new.part_number.as_str();
    let rows = sqlx::query(
        "UPDATE parts SET display_name = $1, category = $2, warranty_eligible = $3, \
         superseded_by = $4, version = $5, update_time = $6 WHERE part_number = $7 AND version = $8",
    )
    .bind(new.fields.display_name.as_str())
    .bind(new.fields.category.as_str())
    .bind(i64::from(new.fields.warranty_eligible))
    .bind(new.fields.superseded_by.as_ref().map(PartNumber::as_str))
    .bind(new.meta.version)
    .bind(aftercare_db::timestamp::to_micros(new.meta.update_time))
    .bind(id)
    .bind(old_version)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    expect_one(rows, PART, id)
}

/// Moves part `id` on from `version` at `now`, since what it answers
/// changed with a new price.
pub(crate) async fn bump(tx: &mut Tx, id: &PartNumber, version: i64, now: i64) -> Result<()> {
    let rows = sqlx::query(
        "UPDATE parts SET version = $1, update_time = $2 WHERE part_number = $3 AND version = $4",
    )
    .bind(version + 1)
    .bind(now)
    .bind(id.as_str())
    .bind(version)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    expect_one(rows, PART, id.as_str())
}
