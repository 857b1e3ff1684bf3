//! Budgets: a dealer's, a region's or the network's limit for a category
//! and period.

use std::collections::BTreeMap;

use aftercare_db::{
    Db, Tx,
    list::{Arg, ListQuery},
};
use aftercare_values::Period;
use sqlx::AnyConnection;

use crate::{
    domain::{
        budget::Budget,
        control_access::View,
        cost_entry::Category,
        scope::{Scope, ScopeLevel},
    },
    error::Result,
};

/// The budget of `scope` for `category` in `period` (as [`Period`]
/// displays it), in minor units; `None` when none is set.
///
/// [`Period`]: aftercare_values::Period
pub(crate) async fn amount(
    conn: &mut AnyConnection,
    scope: &Scope,
    category: &str,
    period: &str,
) -> Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT amount FROM budgets \
         WHERE scope_level = $1 AND scope_id = $2 AND category = $3 AND period = $4",
    )
    .bind(scope.level.as_str())
    .bind(&scope.id)
    .bind(category)
    .bind(period)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(a,)| a))
}

const BUDGET_COLUMNS: &str =
    "scope_level, scope_id, region_id, category, period, amount, revision, update_time";

#[derive(aftercare_db::FromRow)]
struct Row {
    scope_level: String,
    scope_id: String,
    region_id: String,
    category: String,
    period: String,
    amount: i64,
    revision: i64,
    update_time: i64,
}

impl TryFrom<Row> for Budget {
    type Error = crate::Error;

    fn try_from(r: Row) -> Result<Self> {
        let bad = |what: &str| {
            super::corrupt(format!(
                "budget of {} {} {} {}: bad {what}",
                r.scope_level, r.scope_id, r.category, r.period
            ))
        };
        Ok(Budget {
            scope: Scope::new(
                ScopeLevel::parse(&r.scope_level).ok_or_else(|| bad("scope"))?,
                r.scope_id.clone(),
            ),
            category: Category::parse(&r.category).ok_or_else(|| bad("category"))?,
            period: r.period.parse().map_err(|_| bad("period"))?,
            region_id: r.region_id,
            amount: r.amount,
            revision: r.revision,
            update_time: r.update_time,
        })
    }
}

/// The budget of `scope` for `category` in `period`, whole.
pub(crate) async fn get(
    conn: &mut AnyConnection,
    scope: &Scope,
    category: Category,
    period: &Period,
) -> Result<Option<Budget>> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT scope_level, scope_id, region_id, category, period, amount, revision, \
         update_time FROM budgets \
         WHERE scope_level = $1 AND scope_id = $2 AND category = $3 AND period = $4",
    )
    .bind(scope.level.as_str())
    .bind(&scope.id)
    .bind(category.as_str())
    .bind(period.to_string())
    .fetch_optional(conn)
    .await?;
    row.map(TryInto::try_into).transpose()
}

/// Every budget of `scope` in `period`, by category.
pub(crate) async fn of_scope(
    conn: &mut AnyConnection,
    scope: &Scope,
    period: &Period,
) -> Result<BTreeMap<Category, i64>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT category, amount FROM budgets \
         WHERE scope_level = $1 AND scope_id = $2 AND period = $3",
    )
    .bind(scope.level.as_str())
    .bind(&scope.id)
    .bind(period.to_string())
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(c, a)| {
            Category::parse(&c)
                .map(|c| (c, a))
                .ok_or_else(|| super::corrupt(format!("budget of {scope}: bad category {c}")))
        })
        .collect()
}

/// Writes `budget`, new (revision 1) or replacing revision
/// `budget.revision - 1`; false when another writer got there first.
pub(crate) async fn put(tx: &mut Tx, budget: &Budget) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO budgets (scope_level, scope_id, region_id, category, period, amount, \
         revision, create_time, update_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
         ON CONFLICT (scope_level, scope_id, category, period) DO UPDATE SET \
         amount = excluded.amount, revision = excluded.revision, \
         update_time = excluded.update_time, region_id = excluded.region_id \
         WHERE budgets.revision = excluded.revision - 1",
    )
    .bind(budget.scope.level.as_str())
    .bind(&budget.scope.id)
    .bind(&budget.region_id)
    .bind(budget.category.as_str())
    .bind(budget.period.to_string())
    .bind(budget.amount)
    .bind(budget.revision)
    .bind(budget.update_time)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The region of `dealer_id` as a budget of it tells, if one is set.
pub(crate) async fn dealer_region(
    conn: &mut AnyConnection,
    dealer_id: &str,
) -> Result<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT region_id FROM budgets WHERE scope_level = 'dealer' AND scope_id = $1 LIMIT 1",
    )
    .bind(dealer_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(r,)| r))
}

/// What a list of budgets asks for.
#[derive(Debug, Clone)]
pub(crate) struct Filter {
    pub(crate) view: View,
    pub(crate) scope: Option<Scope>,
    pub(crate) period: Option<Period>,
}

/// The key a list of budgets is ordered and paged by.
const KEY: &str = "scope_level || '/' || scope_id || '/' || period || '/' || category";

/// A page of budgets, by scope, period and category.
pub(crate) async fn list(
    db: &Db,
    filter: &Filter,
    after: Option<String>,
    limit: i64,
) -> Result<Vec<(String, Budget)>> {
    let mut q = ListQuery::new(
        &format!("SELECT {KEY} AS list_key, {BUDGET_COLUMNS} FROM budgets"),
        vec![],
    );
    match &filter.view {
        View::All => {}
        View::Region(region) => {
            q.eq("region_id", region.as_str())
                .and("scope_level <> 'network'", vec![]);
        }
        View::Dealer { dealer_id, .. } => {
            q.eq("scope_level", "dealer")
                .eq("scope_id", dealer_id.as_str());
        }
        View::Nothing => return Ok(vec![]),
    }
    if let Some(scope) = &filter.scope {
        q.eq("scope_level", scope.level.as_str())
            .eq("scope_id", scope.id.as_str());
    }
    if let Some(period) = &filter.period {
        q.eq("period", period.to_string());
    }
    let rows: Vec<Keyed> = q.page(db.pool(), KEY, after.map(Arg::Text), limit).await?;
    rows.into_iter()
        .map(|k| Ok((k.list_key, k.row.try_into()?)))
        .collect()
}

#[derive(aftercare_db::FromRow)]
struct Keyed {
    list_key: String,
    #[sqlx(flatten)]
    row: Row,
}
