//! What the metrics read of the budgets (`src/metrics.rs`): each budget of
//! a category and period with what is spent against it, and the network's
//! spending.

use aftercare_db::Db;

use crate::{
    domain::{cost_entry::Category, scope::ScopeLevel},
    error::Result,
};

/// Every budget of `category` for `period` (as `Period` displays it): its
/// scope's level, its amount, and the category's tally of its scope in
/// that period (what is spent against it).
pub(crate) async fn budgets(
    db: &Db,
    category: Category,
    period: &str,
) -> Result<Vec<(String, i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT b.scope_level, b.amount, COALESCE(t.amount, 0) FROM budgets b \
         LEFT JOIN tallies t ON t.scope_level = b.scope_level AND t.scope_id = b.scope_id \
              AND t.period = b.period AND t.measure = $3 \
         WHERE b.period = $1 AND b.category = $2",
    )
    .bind(period)
    .bind(category.as_str())
    .bind(category.measure())
    .fetch_all(db.pool())
    .await?)
}

/// The network's tally of `category` in `period`: zero when nothing was
/// added.
pub(crate) async fn network_spent(db: &Db, category: Category, period: &str) -> Result<i64> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT amount FROM tallies \
         WHERE scope_level = $1 AND scope_id = '' AND period = $2 AND measure = $3",
    )
    .bind(ScopeLevel::Network.as_str())
    .bind(period)
    .bind(category.measure())
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map_or(0, |(amount,)| amount))
}
