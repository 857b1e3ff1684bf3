use aftercare_auth::Principal;
use aftercare_db::Tx;
use aftercare_values::{Currency, Money, PageRequest};
use sqlx::AnyConnection;

use aftercare_db::list::{Arg, ListQuery};

use aftercare_edge::resource::{
    check_etag, expect_one, meta_from_row, new_meta, next_meta, on_write_error,
};

use super::{Caller, PART, Store, begin, check_change, check_read};
use crate::{
    domain::catalogue::{
        Category, DisplayName, MAX_CHAIN, Part, PartFields, PartNumber, PartPatch, Price, Unit,
        check_supersession,
    },
    error::{Error, Result},
};

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

#[derive(sqlx::FromRow)]
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

fn corrupt(what: String) -> Error {
    Error::Internal(what.into())
}

/// A price as stored: checked when it was written.
pub(super) fn stored_price(currency: &str, list: i64, cost: i64) -> Result<Price> {
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
pub(super) async fn find(conn: &mut AnyConnection, id: &str, at: i64) -> Result<Option<Part>> {
    let row: Option<Row> = sqlx::query_as(select!(" WHERE p.part_number = $2"))
        .bind(at)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(Part::try_from).transpose()
}

/// The part `id`, or NOT_FOUND.
pub(super) async fn existing(conn: &mut AnyConnection, id: &str, at: i64) -> Result<Part> {
    find(conn, id, at)
        .await?
        .ok_or_else(|| Error::not_found(PART, id))
}

/// The supersession chain from `start`: `start`, what supersedes it, and so
/// on, at most `MAX_CHAIN + 1` parts. NOT_FOUND when `start` does not exist.
async fn chain(tx: &mut Tx, start: &PartNumber) -> Result<Vec<PartNumber>> {
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

/// Checks that `part` may be superseded by `replacement`: it exists, and the
/// chain it starts does not come back to `part`. Changes of supersession
/// queue on one lock, so that two of them cannot together make a cycle.
async fn check_replacement(tx: &mut Tx, part: &PartNumber, replacement: &PartNumber) -> Result<()> {
    const FIELD: &str = "part.superseded_by";
    if part == replacement {
        // Refused before anything is read.
        check_supersession(part, replacement, &[])
            .map_err(|e| Error::invalid(FIELD, e.to_string()))?;
    }
    sqlx::query("UPDATE catalogue_locks SET version = version + 1 WHERE name = 'supersession'")
        .execute(&mut **tx)
        .await?;
    let chain = chain(tx, replacement).await?;
    check_supersession(part, replacement, &chain).map_err(|e| Error::invalid(FIELD, e.to_string()))
}

impl Store {
    /// The part `id`; with `follow`, the part at the end of its
    /// supersession chain.
    pub async fn get_part(
        &self,
        caller: &Principal,
        id: &PartNumber,
        follow: bool,
    ) -> Result<Part> {
        check_read(caller)?;
        let mut conn = self.db.pool().acquire().await?;
        let now = self.clock.now_micros();
        let mut part = existing(&mut conn, id.as_str(), now).await?;
        let mut hops = 0;
        while follow && let Some(next) = part.fields.superseded_by.clone() {
            hops += 1;
            if hops > MAX_CHAIN {
                return Err(corrupt(format!("supersession chain of {id} too long")));
            }
            part = existing(&mut conn, next.as_str(), now).await?;
        }
        Ok(part)
    }

    pub async fn list_parts(
        &self,
        caller: &Principal,
        category: &str,
        page: &PageRequest,
    ) -> Result<Vec<Part>> {
        check_read(caller)?;
        let mut query = ListQuery::new(select!(), vec![Arg::Int(self.clock.now_micros())]);
        query.filter("p.category", category);
        let rows: Vec<Row> = query
            .page(
                self.db.pool(),
                "p.part_number",
                page.after.clone().map(Arg::Text),
                page.fetch_limit(),
            )
            .await?;
        rows.into_iter().map(Part::try_from).collect()
    }

    /// Creates a part with its first price, in force from its creation.
    pub async fn create_part(
        &self,
        caller: &Caller,
        part_number: PartNumber,
        unit: Unit,
        fields: PartFields,
        price: Price,
    ) -> Result<Part> {
        check_change(&caller.principal)?;
        let mut tx = begin!(self, caller);
        if let Some(replacement) = &fields.superseded_by {
            check_replacement(&mut tx, &part_number, replacement).await?;
        }
        let now = self.clock.now_micros();
        let part = Part {
            part_number,
            unit,
            fields,
            price,
            meta: new_meta(now),
        };
        let id = part.part_number.as_str();
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
        .bind(now)
        .bind(now)
        .bind(part.unit.as_str())
        .execute(&mut *tx)
        .await
        .map_err(|e| on_write_error(e, &[("parts", format!("part {id} already exists"))]))?;
        super::prices::insert(&mut tx, &part.part_number, now, &price, now).await?;
        Self::commit(tx, caller, part).await
    }

    pub async fn update_part(
        &self,
        caller: &Caller,
        id: &PartNumber,
        etag: Option<i64>,
        patch: PartPatch,
    ) -> Result<Part> {
        check_change(&caller.principal)?;
        let mut tx = begin!(self, caller);
        let now = self.clock.now_micros();
        let old = existing(&mut tx, id.as_str(), now).await?;
        check_etag(&old.meta, etag, PART, id.as_str())?;
        if let Some(Some(replacement)) = &patch.superseded_by
            && old.fields.superseded_by.as_ref() != Some(replacement)
        {
            check_replacement(&mut tx, id, replacement).await?;
        }
        let mut new = Part {
            meta: next_meta(&old.meta, now),
            ..old.clone()
        };
        new.fields.apply(patch);
        let rows = sqlx::query(
            "UPDATE parts SET display_name = $1, category = $2, warranty_eligible = $3, \
             superseded_by = $4, version = $5, update_time = $6 WHERE part_number = $7 AND version = $8",
        )
        .bind(new.fields.display_name.as_str())
        .bind(new.fields.category.as_str())
        .bind(i64::from(new.fields.warranty_eligible))
        .bind(new.fields.superseded_by.as_ref().map(PartNumber::as_str))
        .bind(new.meta.version)
        .bind(now)
        .bind(id.as_str())
        .bind(old.meta.version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        expect_one(rows, PART, id.as_str())?;
        Self::commit(tx, caller, new).await
    }
}
