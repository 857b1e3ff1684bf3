//! Budget alerts: the raised-or-armed state of each category's budget, and
//! the feed of alerts raised.

use aftercare_db::{
    Db, FromRow, Tx,
    list::{Arg, ListQuery},
};

use super::corrupt;
use crate::{
    domain::{
        budget::Alert,
        control_access::View,
        cost_entry::Category,
        scope::{Scope, ScopeLevel},
    },
    error::Result,
};

/// Locks the alert state of `scope`'s `category` in `period` (making it,
/// armed, the first time) and tells whether its alert is raised. A change
/// of the actual or the budget takes this lock before it reads either, so
/// that two changes at once judge one after the other.
pub(crate) async fn lock_state(
    tx: &mut Tx,
    scope: &Scope,
    category: Category,
    period: &str,
) -> Result<bool> {
    let (raised,): (i32,) = sqlx::query_as(
        "INSERT INTO cost_alert_states (scope_level, scope_id, category, period, raised) \
         VALUES ($1, $2, $3, $4, 0) \
         ON CONFLICT (scope_level, scope_id, category, period) \
         DO UPDATE SET raised = cost_alert_states.raised RETURNING raised",
    )
    .bind(scope.level.as_str())
    .bind(&scope.id)
    .bind(category.as_str())
    .bind(period)
    .fetch_one(&mut **tx)
    .await?;
    Ok(raised != 0)
}

pub(crate) async fn set_state(
    tx: &mut Tx,
    scope: &Scope,
    category: Category,
    period: &str,
    raised: bool,
) -> Result<()> {
    sqlx::query(
        "UPDATE cost_alert_states SET raised = $5 \
         WHERE scope_level = $1 AND scope_id = $2 AND category = $3 AND period = $4",
    )
    .bind(scope.level.as_str())
    .bind(&scope.id)
    .bind(category.as_str())
    .bind(period)
    .bind(i32::from(raised))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The next alert's sequence. The counter's row stays locked until the
/// transaction ends, so alerts commit in the order of their sequences.
pub(crate) async fn next_sequence(tx: &mut Tx) -> Result<i64> {
    let (last,): (i64,) = sqlx::query_as(
        "UPDATE cost_alert_sequence SET last = last + 1 WHERE id = 1 RETURNING last",
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(last)
}

pub(crate) async fn insert(tx: &mut Tx, a: &Alert) -> Result<()> {
    sqlx::query(
        "INSERT INTO cost_alerts (sequence, scope_level, scope_id, region_id, category, \
         period, budget, actual, variance_bp, threshold_bp, raise_time) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(a.sequence)
    .bind(a.scope.level.as_str())
    .bind(&a.scope.id)
    .bind(&a.region_id)
    .bind(a.category.as_str())
    .bind(a.period.to_string())
    .bind(a.budget)
    .bind(a.actual)
    .bind(a.variance_bp)
    .bind(a.threshold_bp)
    .bind(a.raise_time)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(FromRow)]
struct Row {
    sequence: i64,
    scope_level: String,
    scope_id: String,
    region_id: String,
    category: String,
    period: String,
    budget: i64,
    actual: i64,
    variance_bp: i64,
    threshold_bp: i64,
    raise_time: i64,
}

impl TryFrom<Row> for Alert {
    type Error = crate::Error;

    fn try_from(r: Row) -> Result<Self> {
        let bad = |what: &str| corrupt(format!("cost alert {}: bad {what}", r.sequence));
        Ok(Alert {
            scope: Scope::new(
                ScopeLevel::parse(&r.scope_level).ok_or_else(|| bad("scope"))?,
                r.scope_id.clone(),
            ),
            category: Category::parse(&r.category).ok_or_else(|| bad("category"))?,
            period: r.period.parse().map_err(|_| bad("period"))?,
            sequence: r.sequence,
            region_id: r.region_id,
            budget: r.budget,
            actual: r.actual,
            variance_bp: r.variance_bp,
            threshold_bp: r.threshold_bp,
            raise_time: r.raise_time,
        })
    }
}

/// At most `limit` alerts after `after_sequence`, oldest first, of those
/// `view` sees, of `scope` when given.
pub(crate) async fn list(
    db: &Db,
    view: &View,
    scope: Option<&Scope>,
    after_sequence: i64,
    limit: i64,
) -> Result<Vec<Alert>> {
    let mut q = ListQuery::new(
        "SELECT sequence, scope_level, scope_id, region_id, category, period, budget, actual, \
         variance_bp, threshold_bp, raise_time FROM cost_alerts",
        vec![],
    );
    match view {
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
    if let Some(scope) = scope {
        q.eq("scope_level", scope.level.as_str())
            .eq("scope_id", scope.id.as_str());
    }
    let rows: Vec<Row> = q
        .page(db.pool(), "sequence", Some(Arg::Int(after_sequence)), limit)
        .await?;
    rows.into_iter().map(TryInto::try_into).collect()
}
