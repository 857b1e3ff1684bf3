//! Budgets: a dealer's, a region's or the network's limit for a category
//! and period.

use sqlx::AnyConnection;

use crate::{domain::scope::Scope, error::Result};

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
