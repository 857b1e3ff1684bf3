//! Many rows in few statements: one multi-row INSERT per few hundred rows,
//! rather than a round trip per row.

use sqlx::AssertSqlSafe;

use crate::{Tx, list::Arg};

/// Rows per statement: far under SQLite's limit of bound parameters.
const ROWS_PER_STATEMENT: usize = 500;

/// Inserts `rows` (each as wide as the column list) with `insert` ("INSERT
/// INTO t (a, b, …)") and `then` after the values (an `ON CONFLICT …`
/// clause, or nothing). Rows go in the order given: writers that take the
/// same rows' locks in one order never deadlock.
pub async fn insert_all(
    tx: &mut Tx,
    insert: &str,
    then: &str,
    rows: &[Vec<Arg>],
) -> sqlx::Result<()> {
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let width = chunk[0].len();
        let values: Vec<String> = (0..chunk.len())
            .map(|r| {
                let row: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
                format!("({})", row.join(", "))
            })
            .collect();
        // Only placeholders go into the text; the values are bound.
        let mut query = sqlx::query(AssertSqlSafe(format!(
            "{insert} VALUES {} {then}",
            values.join(", ")
        )));
        for arg in chunk.iter().flatten() {
            query = match arg {
                Arg::Text(s) => query.bind(s.clone()),
                Arg::Int(i) => query.bind(*i),
            };
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}
