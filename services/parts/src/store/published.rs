//! Histories of published prices with one amount — of labour operations and
//! of maintenance packages — written once for both: the same columns in a
//! table of each owner's, the same SQL with the names put in at compile
//! time.

use aftercare_db::{Tx, timestamp};
use aftercare_values::{Currency, Money};
use sqlx::AnyConnection;

use crate::{
    domain::published::{PublishedPrice, PublishedPriceChange},
    error::{Error, Result},
};
use aftercare_edge::resource::{expect_one, on_write_error};

/// The price columns `c.currency_code, c.price_minor` of the change in force
/// at `$1` for the owner row `alias`: the latest change at or before `$1`,
/// or, should there be none, the first. For a LEFT JOIN after the owner's
/// table.
macro_rules! in_force {
    ($table:literal, $key:literal, $alias:literal) => {
        concat!(
            " LEFT JOIN ",
            $table,
            " c ON c.",
            $key,
            " = ",
            $alias,
            ".",
            $key,
            " AND c.effective_time = COALESCE(",
            "(SELECT MAX(x.effective_time) FROM ",
            $table,
            " x WHERE x.",
            $key,
            " = ",
            $alias,
            ".",
            $key,
            " AND x.effective_time <= $1), ",
            "(SELECT MIN(y.effective_time) FROM ",
            $table,
            " y WHERE y.",
            $key,
            " = ",
            $alias,
            ".",
            $key,
            "))"
        )
    };
}
pub(crate) use in_force;

/// The price history of one kind of priced item.
pub(crate) struct History {
    /// What is priced, for messages: "labour operation".
    what: &'static str,
    /// The table of the changes, as the constraint a taken effective time
    /// breaks names it.
    table: &'static str,
    insert: &'static str,
    at: &'static str,
    bump: &'static str,
}

/// The history in `table`, keyed by `key`, of the items in `owner`.
macro_rules! history {
    ($what:literal, $owner:literal, $table:literal, $key:literal) => {
        History {
            what: $what,
            table: $table,
            insert: concat!(
                "INSERT INTO ", $table, " (", $key,
                ", effective_time, currency_code, price_minor, create_time) VALUES ($1, $2, $3, $4, $5)"
            ),
            at: concat!(
                "SELECT effective_time, currency_code, price_minor, create_time FROM ", $table,
                " WHERE ", $key, " = $1 AND effective_time <= $2 ORDER BY effective_time DESC LIMIT 1"
            ),
            bump: concat!(
                "UPDATE ", $owner, " SET version = $1, update_time = $2 WHERE ", $key,
                " = $3 AND version = $4"
            ),
        }
    };
}

pub(crate) const LABOUR: History = history!(
    "labour operation",
    "labour_operations",
    "labour_price_changes",
    "operation_code"
);
pub(crate) const PACKAGE: History = history!(
    "maintenance package",
    "maintenance_packages",
    "package_price_changes",
    "package_id"
);

#[derive(aftercare_db::FromRow)]
struct Row {
    effective_time: i64,
    currency_code: String,
    price_minor: i64,
    create_time: i64,
}

/// A price as stored: checked when it was written.
pub(crate) fn stored(currency: &str, minor_units: i64) -> Result<PublishedPrice> {
    let corrupt = |e: String| Error::Internal(format!("stored published price: {e}").into());
    let currency = Currency::parse(currency).map_err(|e| corrupt(e.to_string()))?;
    PublishedPrice::new(Money {
        currency,
        minor_units,
    })
    .map_err(|e| corrupt(e.to_string()))
}

/// The price in force of a row read with [`in_force`]; every item has one
/// from its creation.
pub(crate) fn in_force_of(
    currency: Option<String>,
    minor_units: Option<i64>,
    what: &str,
    id: &str,
) -> Result<PublishedPrice> {
    match (currency, minor_units) {
        (Some(c), Some(m)) => stored(&c, m),
        _ => Err(Error::Internal(format!("{what} {id} has no price").into())),
    }
}

impl History {
    /// Stores a price change of `key`; ALREADY_EXISTS when it has one at that
    /// effective time.
    pub(crate) async fn insert<K: AsRef<str> + Clone>(
        &self,
        tx: &mut Tx,
        key: &K,
        effective_time: i64,
        price: PublishedPrice,
        now: i64,
    ) -> Result<PublishedPriceChange<K>> {
        let id = key.as_ref();
        sqlx::query(self.insert)
            .bind(id)
            .bind(effective_time)
            .bind(price.currency().as_str())
            .bind(price.amount().minor_units)
            .bind(now)
            .execute(&mut **tx)
            .await
            .map_err(|e| {
                let taken = format!(
                    "{} {id} already has a price change effective at {}",
                    self.what,
                    timestamp::from_micros(effective_time)
                );
                on_write_error(e, &[(self.table, taken)])
            })?;
        Ok(PublishedPriceChange {
            key: key.clone(),
            effective_time: timestamp::from_micros(effective_time),
            price,
            create_time: timestamp::from_micros(now),
        })
    }

    /// Moves the owner of `id` on from `version`, since what it answers
    /// changed with a new price.
    pub(crate) async fn bump(&self, tx: &mut Tx, id: &str, version: i64, now: i64) -> Result<()> {
        let rows = sqlx::query(self.bump)
            .bind(version + 1)
            .bind(now)
            .bind(id)
            .bind(version)
            .execute(&mut **tx)
            .await?
            .rows_affected();
        expect_one(rows, self.what, id)
    }

    /// The price change of `key` in force at `at` (micros), or NOT_FOUND.
    pub(crate) async fn at<K: AsRef<str> + Clone>(
        &self,
        conn: &mut AnyConnection,
        key: &K,
        at: i64,
    ) -> Result<PublishedPriceChange<K>> {
        let row: Option<Row> = sqlx::query_as(self.at)
            .bind(key.as_ref())
            .bind(at)
            .fetch_optional(&mut *conn)
            .await?;
        let Some(r) = row else {
            return Err(Error::NotFound {
                what: "price in force at that time",
                id: format!("of {} {}", self.what, key.as_ref()),
            });
        };
        Ok(PublishedPriceChange {
            key: key.clone(),
            effective_time: timestamp::from_micros(r.effective_time),
            price: stored(&r.currency_code, r.price_minor)?,
            create_time: timestamp::from_micros(r.create_time),
        })
    }
}
