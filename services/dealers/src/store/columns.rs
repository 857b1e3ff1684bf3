//! The rows of objects that differ only in their columns: one table, an
//! `id`, the object's own columns, and `version`, `create_time`,
//! `update_time`. Read, written, changed, deleted and paged the same way
//! for each; the statements are made from the table's names alone, the
//! values are bound.

use aftercare_db::{
    Tx,
    list::{Arg, ListQuery},
    timestamp,
};
use aftercare_edge::resource::{expect_one, on_delete_error, on_write_error};
use aftercare_values::PageRequest;
use sqlx::{Any, AnyConnection, AssertSqlSafe, FromRow, any::AnyRow};

use super::{
    Stored,
    list::{ScopeColumns, Scoped},
};
use crate::{domain::access::ListScope, error::Result};

/// A value of a column, as it is bound.
pub(crate) enum Value {
    Text(Option<String>),
    Int(Option<i64>),
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(Some(s.to_owned()))
    }
}

impl From<Option<&str>> for Value {
    fn from(s: Option<&str>) -> Self {
        Value::Text(s.map(str::to_owned))
    }
}

impl From<Option<String>> for Value {
    fn from(s: Option<String>) -> Self {
        Value::Text(s)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(Some(i))
    }
}

impl From<Option<i64>> for Value {
    fn from(i: Option<i64>) -> Self {
        Value::Int(i)
    }
}

/// An object kept in one row of `TABLE`.
pub(crate) trait Columns: Stored {
    const TABLE: &'static str;
    /// The columns set when the object is made and never changed (its
    /// parent: `dealer_id`), then those an update writes, in the order of
    /// [`Columns::values`].
    const FIXED: &'static [&'static str];
    const CHANGED: &'static [&'static str];
    /// The object's row with what it derives from its parents:
    /// `SELECT … FROM t JOIN …`, its id column named [`Columns::ID`].
    const SELECT: &'static str;
    const ID: &'static str;
    /// The columns a caller's scope is checked against on a list; none for
    /// what every member of the network sees.
    const SCOPE: Option<ScopeColumns>;
    /// The columns a list may be filtered on, in the order the list's
    /// values are given.
    const FILTERS: &'static [&'static str];

    type Row: for<'r> FromRow<'r, AnyRow> + Send + Unpin;

    fn from_row(row: Self::Row) -> Result<Self>;
    fn id(&self) -> &str;
    /// The values of [`Columns::FIXED`], then of [`Columns::CHANGED`].
    fn values(&self) -> Vec<Value>;
    /// The unique columns or constraints (beyond the id) and the message a
    /// taken value gets.
    fn uniques(&self) -> Vec<(&'static str, String)> {
        vec![]
    }
}

fn bind_all<'q>(
    mut query: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments>,
    values: impl IntoIterator<Item = Value>,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments> {
    for value in values {
        query = match value {
            Value::Text(s) => query.bind(s),
            Value::Int(i) => query.bind(i),
        };
    }
    query
}

/// The messages of taken values: the object's own, then its id.
fn taken<R: Columns>(object: &R) -> Vec<(&'static str, String)> {
    let mut uniques = object.uniques();
    uniques.push((
        R::TABLE,
        format!("{} {} already exists", R::WHAT, object.id()),
    ));
    uniques
}

/// The object `id`, if it exists.
pub(crate) async fn find<R: Columns>(conn: &mut AnyConnection, id: &str) -> Result<Option<R>> {
    // Only the type's constant names go into the text.
    let sql = format!("{} WHERE {} = $1", R::SELECT, R::ID);
    let row: Option<R::Row> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(R::from_row).transpose()
}

/// Writes a new object: ALREADY_EXISTS when its id or a unique value is
/// taken.
pub(crate) async fn insert<R: Columns>(tx: &mut Tx, object: &R) -> Result<()> {
    let columns: Vec<&str> = std::iter::once("id")
        .chain(R::FIXED.iter().chain(R::CHANGED).copied())
        .chain(["version", "create_time", "update_time"])
        .collect();
    let params: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        R::TABLE,
        columns.join(", "),
        params.join(", ")
    );
    let meta = object.meta();
    let values = std::iter::once(Value::from(object.id()))
        .chain(object.values())
        .chain([
            Value::from(meta.version),
            Value::from(timestamp::to_micros(meta.create_time)),
            Value::from(timestamp::to_micros(meta.update_time)),
        ]);
    bind_all(sqlx::query(AssertSqlSafe(sql)), values)
        .execute(&mut **tx)
        .await
        .map_err(|e| on_write_error(e, &taken(object)))?;
    Ok(())
}

/// Writes the changed columns of `new` over the row still at
/// `old_version`: ABORTED when it has moved on.
pub(crate) async fn update<R: Columns>(tx: &mut Tx, new: &R, old_version: i64) -> Result<()> {
    let n = R::CHANGED.len();
    let sets: Vec<String> = R::CHANGED
        .iter()
        .chain(&["version", "update_time"])
        .enumerate()
        .map(|(i, c)| format!("{c} = ${}", i + 1))
        .collect();
    let sql = format!(
        "UPDATE {} SET {} WHERE id = ${} AND version = ${}",
        R::TABLE,
        sets.join(", "),
        n + 3,
        n + 4
    );
    let meta = new.meta();
    let values = new.values().into_iter().skip(R::FIXED.len()).chain([
        Value::from(meta.version),
        Value::from(timestamp::to_micros(meta.update_time)),
        Value::from(new.id()),
        Value::from(old_version),
    ]);
    let rows = bind_all(sqlx::query(AssertSqlSafe(sql)), values)
        .execute(&mut **tx)
        .await
        .map_err(|e| on_write_error(e, &taken(new)))?
        .rows_affected();
    expect_one(rows, R::WHAT, new.id())
}

/// Deletes the row of `id` still at `version`: FAILED_PRECONDITION with
/// `referenced` while other rows refer to it, ABORTED when it has moved on.
pub(crate) async fn delete<R: Columns>(
    tx: &mut Tx,
    id: &str,
    version: i64,
    referenced: &str,
) -> Result<()> {
    let sql = format!("DELETE FROM {} WHERE id = $1 AND version = $2", R::TABLE);
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(id)
        .bind(version)
        .execute(&mut **tx)
        .await
        .map_err(|e| on_delete_error(e, referenced))?
        .rows_affected();
    expect_one(rows, R::WHAT, id)
}

/// A page of the objects `query` selects, in the order of `key`.
pub(crate) async fn page<R: Columns>(
    conn: &mut AnyConnection,
    query: ListQuery,
    key: &str,
    page: &PageRequest,
) -> Result<Vec<R>> {
    let rows: Vec<R::Row> = query
        .page(
            &mut *conn,
            key,
            page.after.clone().map(Arg::Text),
            page.fetch_limit(),
        )
        .await?;
    rows.into_iter().map(R::from_row).collect()
}

/// A page of the objects of `R` in `scope` whose [`Columns::FILTERS`]
/// hold `values` (an empty value filters nothing), by id.
pub(crate) async fn list<R: Columns>(
    conn: &mut AnyConnection,
    scope: &ListScope,
    values: &[&str],
    page: &PageRequest,
) -> Result<Vec<R>> {
    let mut query = ListQuery::new(R::SELECT, vec![]);
    if let Some(columns) = R::SCOPE {
        query.scope(scope, columns);
    }
    for (column, value) in R::FILTERS.iter().zip(values) {
        query.filter(column, value);
    }
    self::page(conn, query, R::ID, page).await
}
