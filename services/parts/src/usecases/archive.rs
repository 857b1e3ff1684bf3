//! Closing the ledger's old periods: a stock row's movements dated before
//! the horizon move to the archive, a short transaction per row and batch,
//! with the opening they add up to (docs/retention.md). The stock row is
//! locked, not changed: the row still equals its ledger, which is now the
//! opening followed by the live movements.

use aftercare_db::{
    Db,
    retention::{RetentionSettings, Step},
};

use crate::{
    domain::{
        ledger::{self as rules, Entry},
        stock::Movement,
    },
    error::{Error, Result},
    store::{archive, ledger},
};

/// The retention step that archives movements dated more than `after_days`
/// back; none when `after_days` is 0.
pub(crate) fn archive_step(after_days: u64) -> Option<Step> {
    (after_days > 0).then(|| {
        Step::new(
            "stock_movements",
            RetentionSettings::days(after_days),
            |db, before, limit| async move {
                archive_before(&db, before, limit)
                    .await
                    .map_err(|e| match e {
                        Error::StoreUnavailable(e) => e,
                        e => sqlx::Error::Protocol(e.to_string()),
                    })
            },
        )
    })
}

/// Archives at most `limit` movements dated before `before`, row by row,
/// each row's share in a transaction of its own. Returns how many.
pub(crate) async fn archive_before(db: &Db, before: i64, limit: i64) -> Result<u64> {
    let mut moved = 0;
    while moved < limit {
        let Some((warehouse_id, part_number)) = archive::next_row(db, before).await? else {
            break;
        };
        let n = archive_row(db, &warehouse_id, &part_number, before, limit - moved).await?;
        if n == 0 {
            break; // another replica took them first
        }
        moved += n as i64;
    }
    Ok(moved as u64)
}

async fn archive_row(
    db: &Db,
    warehouse_id: &str,
    part_number: &str,
    before: i64,
    limit: i64,
) -> Result<u64> {
    let mut tx = db.begin().await?;
    // Bookings lock the row first too: no movement is booked on it, nor
    // replayed, while its oldest ones move.
    ledger::lock(&mut tx, warehouse_id, part_number).await?;
    let opening = archive::opening(&mut tx, warehouse_id, part_number).await?;
    let rows = archive::oldest(&mut tx, warehouse_id, part_number, before, limit).await?;
    let Some(&(last_sequence, ..)) = rows.last() else {
        return Ok(0);
    };
    let entries = rows
        .into_iter()
        .map(|(_, kind, quantity, at)| {
            let movement = Movement::from_ledger(&kind, quantity).ok_or_else(|| {
                Error::Internal(format!("stored movement {kind} {quantity}").into())
            })?;
            Ok(Entry { at, movement })
        })
        .collect::<Result<Vec<_>>>()?;
    let balance = rules::replay(opening.stock, &entries)
        .map_err(|r| Error::Internal(format!("stored ledger does not replay: {r}").into()))?;
    let last = entries.last().expect("at least one movement");
    let moved = archive::close(
        &mut tx,
        warehouse_id,
        part_number,
        last,
        last_sequence,
        balance,
    )
    .await?;
    tx.commit().await?;
    Ok(moved)
}
