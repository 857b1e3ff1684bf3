//! The tally rows: sums kept as what they sum is written.

use std::collections::BTreeMap;

use aftercare_db::{Tx, insert::insert_all, list::Arg};
use sqlx::AnyConnection;

use crate::{
    domain::{scope::Scope, tally::TallyKey},
    error::Result,
};

/// Adds each amount to its row, creating the rows a first amount opens.
/// Rows are written in key order, so that writers touching the same rows
/// never deadlock.
pub(crate) async fn add(tx: &mut Tx, amounts: &[(TallyKey, i64)]) -> Result<()> {
    // One statement may not touch a row twice (PostgreSQL): merge first.
    let mut merged: BTreeMap<(&str, &str, &str, &str), i64> = BTreeMap::new();
    for (k, amount) in amounts {
        let key = (
            k.scope.level.as_str(),
            k.scope.id.as_str(),
            k.period.as_str(),
            k.measure.as_str(),
        );
        *merged.entry(key).or_default() += amount;
    }
    if merged.is_empty() {
        return Ok(());
    }
    let rows: Vec<Vec<Arg>> = merged
        .into_iter()
        .map(|((level, id, period, measure), amount)| {
            vec![
                Arg::Text(level.into()),
                Arg::Text(id.into()),
                Arg::Text(period.into()),
                Arg::Text(measure.into()),
                Arg::Int(amount),
            ]
        })
        .collect();
    insert_all(
        tx,
        "INSERT INTO tallies (scope_level, scope_id, period, measure, amount)",
        "ON CONFLICT (scope_level, scope_id, period, measure) \
         DO UPDATE SET amount = tallies.amount + excluded.amount",
        &rows,
    )
    .await?;
    Ok(())
}

/// Adds `amount` to one row only if the row's amount stays at most `cap`;
/// false (and nothing written) otherwise. The row is locked by the update,
/// so two writers racing for the last of a cap cannot both pass.
pub(crate) async fn add_within(tx: &mut Tx, key: &TallyKey, amount: i64, cap: i64) -> Result<bool> {
    sqlx::query(
        "INSERT INTO tallies (scope_level, scope_id, period, measure, amount) \
         VALUES ($1, $2, $3, $4, 0) ON CONFLICT DO NOTHING",
    )
    .bind(key.scope.level.as_str())
    .bind(&key.scope.id)
    .bind(&key.period)
    .bind(&key.measure)
    .execute(&mut **tx)
    .await?;
    let done = sqlx::query(
        "UPDATE tallies SET amount = amount + $5 \
         WHERE scope_level = $1 AND scope_id = $2 AND period = $3 AND measure = $4 \
         AND amount + $5 <= $6",
    )
    .bind(key.scope.level.as_str())
    .bind(&key.scope.id)
    .bind(&key.period)
    .bind(&key.measure)
    .bind(amount)
    .bind(cap)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Every measure of `scope` in `period` whose name starts with `prefix`.
pub(crate) async fn read(
    conn: &mut AnyConnection,
    scope: &Scope,
    period: &str,
    prefix: &str,
) -> Result<BTreeMap<String, i64>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT measure, amount FROM tallies \
         WHERE scope_level = $1 AND scope_id = $2 AND period = $3 \
         AND substr(measure, 1, $5) = $4",
    )
    .bind(scope.level.as_str())
    .bind(&scope.id)
    .bind(period)
    .bind(prefix)
    // An INTEGER: PostgreSQL has no substr(text, integer, bigint).
    .bind(i32::try_from(prefix.chars().count()).unwrap_or(i32::MAX))
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().collect())
}

/// One measure of `scope` in `period`: zero when nothing was added.
pub(crate) async fn amount(conn: &mut AnyConnection, key: &TallyKey) -> Result<i64> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT amount FROM tallies \
         WHERE scope_level = $1 AND scope_id = $2 AND period = $3 AND measure = $4",
    )
    .bind(key.scope.level.as_str())
    .bind(&key.scope.id)
    .bind(&key.period)
    .bind(&key.measure)
    .fetch_optional(conn)
    .await?;
    Ok(row.map_or(0, |(a,)| a))
}
