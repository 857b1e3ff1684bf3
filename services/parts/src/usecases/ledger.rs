//! Booking a movement on a stock row: the row locked, the movement checked
//! by the domain's rules (replaying what follows when it is backdated), the
//! row and the ledger written; and the backorders a movement that frees
//! stock makes room for, filled in order. All in the caller's transaction.

use aftercare_db::{
    Tx,
    timestamp::{self, Clock},
};

use crate::{
    domain::{
        ledger::{self as rules, Entry, Line, OrderLine, Refusal},
        stock::{Movement, StockError},
    },
    error::{Error, LEDGER_CLOSED, Result, STOCK},
    store::{
        archive,
        ledger::{self, Booked, Booking, Counter, StockRow},
        reservations,
    },
};

/// The line `line_number` of `repair_order_id`, as the ledger names it.
pub(super) fn order_line(repair_order_id: &str, line_number: i64) -> OrderLine {
    OrderLine {
        repair_order_id: repair_order_id.to_owned(),
        line_number,
    }
}

/// Why a movement is refused, as the caller should read it.
fn refused(b: &Booking<'_>, error: StockError, at: Option<i64>) -> Error {
    let when = at.map_or(String::new(), |at| {
        format!(
            " at {} (a later movement would no longer fit)",
            timestamp::from_micros(at)
        )
    });
    let reason = match error {
        StockError::Insufficient { available } => format!("only {available} available{when}"),
        StockError::NotReserved { reserved } => format!("only {reserved} reserved{when}"),
        StockError::BelowReserved { on_hand, reserved } => {
            format!("the count would leave {on_hand} on hand with {reserved} reserved{when}")
        }
        StockError::TooMuch => format!("more on hand than can be counted{when}"),
    };
    Error::PreconditionFailure {
        kind: STOCK,
        subject: format!("{}/{}", b.warehouse_id, b.part_number),
        reason,
    }
}

/// Why a movement dated before the row's archived movements is refused.
fn closed(b: &Booking<'_>, closed_until: i64) -> Error {
    Error::PreconditionFailure {
        kind: LEDGER_CLOSED,
        subject: format!("{}/{}", b.warehouse_id, b.part_number),
        reason: format!(
            "the ledger is closed before {}: movements dated earlier are archived",
            timestamp::from_micros(closed_until)
        ),
    }
}

/// Books `b` on the locked row `row`: the stock after it, or why it cannot
/// be booked (nothing is written then).
pub(super) async fn book(tx: &mut Tx, row: &StockRow, b: &Booking<'_>) -> Result<Booked> {
    let now = b.clock.now_micros();
    // Entries are kept in time order: one booked now never counts before
    // the latest already there.
    let effective_time = b.effective_time.unwrap_or(now.max(row.last_effective_time));
    let after = if effective_time < row.last_effective_time {
        // The live ledger starts where the archived movements left off;
        // nothing is booked into a closed period.
        let opening = archive::opening(tx, b.warehouse_id, b.part_number).await?;
        if effective_time < opening.closed_until {
            return Err(closed(b, opening.closed_until));
        }
        let all = ledger::entries(tx, b.warehouse_id, b.part_number).await?;
        let split = all.partition_point(|e| e.at <= effective_time);
        let before = rules::replay(opening.stock, &all[..split])
            .map_err(|r| Error::Internal(format!("stored ledger does not replay: {r}").into()))?;
        let new = Entry {
            at: effective_time,
            movement: b.movement,
        };
        rules::insert(before, &new, &all[split..])
            .map_err(|Refusal { at, error }| refused(b, error, Some(at)))?
    } else {
        row.stock()
            .apply(b.movement)
            .map_err(|error| refused(b, error, None))?
    };
    let booked = Booked {
        sequence: row.last_sequence + 1,
        effective_time,
        booking_time: now,
        after,
    };
    ledger::record(tx, b, booked, effective_time.max(row.last_effective_time)).await
}

pub(super) fn line(b: &Booking<'_>, booked: Booked) -> Line {
    Line {
        warehouse_id: b.warehouse_id.to_owned(),
        part_number: b.part_number.to_owned(),
        sequence: booked.sequence,
        entry: Entry {
            at: booked.effective_time,
            movement: b.movement,
        },
        booking_time: booked.booking_time,
        after: booked.after,
        reference: b.reference.to_owned(),
        booked_by: b.booked_by.to_owned(),
        order_line: b.order_line.cloned(),
    }
}

/// Locks the row and books `b`, then fills the backorders the movement may
/// have made room for.
pub(super) async fn book_and_fill(tx: &mut Tx, b: &Booking<'_>) -> Result<Line> {
    let mut row = ledger::lock(tx, b.warehouse_id, b.part_number).await?;
    let booked = book(tx, &row, b).await?;
    row.take(&booked);
    if b.movement.frees_stock() && row.backordered > 0 {
        fill_backorders(
            tx,
            &mut row,
            b.warehouse_id,
            b.part_number,
            b.booked_by,
            b.clock,
        )
        .await?;
    }
    Ok(line(b, booked))
}

/// Reserves waiting backorders of a part at a warehouse, oldest first,
/// while the stock lasts; the first that does not fit stops the queue.
async fn fill_backorders(
    tx: &mut Tx,
    row: &mut StockRow,
    warehouse_id: &str,
    part_number: &str,
    booked_by: &str,
    clock: &Clock,
) -> Result<()> {
    while let Some(next) = reservations::next_backorder(tx, warehouse_id, part_number).await? {
        if row.stock().available() < next.quantity.get() {
            return Ok(());
        }
        let order_line = order_line(&next.repair_order_id, next.line_number);
        let reference = order_line.reference();
        let booked = book(
            tx,
            row,
            &Booking {
                warehouse_id,
                part_number,
                movement: Movement::Reserve(next.quantity),
                effective_time: None,
                reference: &reference,
                order_line: Some(&order_line),
                booked_by,
                clock,
            },
        )
        .await?;
        row.take(&booked);
        ledger::count(
            tx,
            warehouse_id,
            part_number,
            Counter::Backordered,
            -next.quantity.get(),
        )
        .await?;
        reservations::fill(tx, &next, clock.now_micros()).await?;
    }
    Ok(())
}
