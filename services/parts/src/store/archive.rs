//! The ledger's archive: a stock row's oldest movements moved out of the
//! live ledger, and the opening they add up to (migration 0009). Every
//! function runs in the caller's transaction, on a locked stock row.

use aftercare_db::{Db, Tx};

use crate::domain::{ledger::Entry, stock::Stock};

/// Where a stock row's live ledger starts: the balance of its archived
/// movements, and the effective time of the last of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Opening {
    pub closed_until: i64,
    pub stock: Stock,
}

/// A stock row with movements dated before `before`, the oldest first.
pub(crate) async fn next_row(
    db: &Db,
    before: i64,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT warehouse_id, part_number FROM stock_movements WHERE effective_time < $1 \
         ORDER BY effective_time LIMIT 1",
    )
    .bind(before)
    .fetch_optional(db.pool())
    .await
}

/// The row's opening; zero with nothing archived yet.
pub(crate) async fn opening(
    tx: &mut Tx,
    warehouse_id: &str,
    part_number: &str,
) -> Result<Opening, sqlx::Error> {
    let row: Option<(i64, i64, i64)> = sqlx::query_as(
        "SELECT closed_until, on_hand, reserved FROM stock_openings \
         WHERE warehouse_id = $1 AND part_number = $2",
    )
    .bind(warehouse_id)
    .bind(part_number)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(
        row.map_or_else(Opening::default, |(closed_until, on_hand, reserved)| {
            Opening {
                closed_until,
                stock: Stock { on_hand, reserved },
            }
        }),
    )
}

/// The row's first `limit` live movements dated before `before`, in the
/// order they count, with their sequence numbers: a prefix of its ledger.
pub(crate) async fn oldest(
    tx: &mut Tx,
    warehouse_id: &str,
    part_number: &str,
    before: i64,
    limit: i64,
) -> Result<Vec<(i64, String, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT sequence, kind, quantity, effective_time FROM stock_movements \
         WHERE warehouse_id = $1 AND part_number = $2 AND effective_time < $3 \
         ORDER BY effective_time, sequence LIMIT $4",
    )
    .bind(warehouse_id)
    .bind(part_number)
    .bind(before)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

/// Moves the row's movements up to `last` (its effective time and sequence,
/// in ledger order) into the archive and sets the row's opening after them.
/// Returns the movements moved.
pub(crate) async fn close(
    tx: &mut Tx,
    warehouse_id: &str,
    part_number: &str,
    last: &Entry,
    last_sequence: i64,
    opening: Stock,
) -> Result<u64, sqlx::Error> {
    const UP_TO_LAST: &str = "warehouse_id = $1 AND part_number = $2 \
         AND (effective_time < $3 OR (effective_time = $3 AND sequence <= $4))";
    const COLUMNS: &str = "warehouse_id, part_number, sequence, kind, quantity, effective_time, \
         booking_time, on_hand_after, reserved_after, reference, booked_by, repair_order_id, \
         line_number";
    let copy = format!(
        "INSERT INTO stock_movements_archive ({COLUMNS}) \
         SELECT {COLUMNS} FROM stock_movements WHERE {UP_TO_LAST}"
    );
    let copied = sqlx::query(sqlx::AssertSqlSafe(copy))
        .bind(warehouse_id)
        .bind(part_number)
        .bind(last.at)
        .bind(last_sequence)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    let delete = format!("DELETE FROM stock_movements WHERE {UP_TO_LAST}");
    let deleted = sqlx::query(sqlx::AssertSqlSafe(delete))
        .bind(warehouse_id)
        .bind(part_number)
        .bind(last.at)
        .bind(last_sequence)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if copied != deleted {
        return Err(sqlx::Error::Protocol(format!(
            "archived {copied} movements of {warehouse_id}/{part_number} but removed {deleted}"
        )));
    }
    sqlx::query(
        "INSERT INTO stock_openings (warehouse_id, part_number, closed_until, on_hand, reserved) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (warehouse_id, part_number) DO UPDATE SET \
         closed_until = excluded.closed_until, on_hand = excluded.on_hand, \
         reserved = excluded.reserved",
    )
    .bind(warehouse_id)
    .bind(part_number)
    .bind(last.at)
    .bind(opening.on_hand)
    .bind(opening.reserved)
    .execute(&mut **tx)
    .await?;
    Ok(deleted)
}
