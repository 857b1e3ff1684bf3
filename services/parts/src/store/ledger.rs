//! The stock rows and their ledger: a row locked (made at zero the first
//! time), its entries read back in the order they count, a booking written
//! as the row's new stock and one entry appended, all in the caller's
//! transaction. The database's CHECK on the row is the last word.

use aftercare_db::{Tx, timestamp::Clock};

use crate::{
    domain::{
        ledger::{Entry, OrderLine},
        quantity::Quantity,
        stock::{Movement, Stock},
    },
    error::{Error, Result},
};

/// The stock row's columns, as every query reads them.
pub(crate) const COLUMNS: &str = "warehouse_id, part_number, on_hand, reserved, inbound, \
     backordered, last_sequence, last_effective_time, safety_stock, reorder_point, min_quantity, \
     max_quantity, levels_version";

#[derive(Debug, Clone, aftercare_db::FromRow)]
pub(crate) struct StockRow {
    pub warehouse_id: String,
    pub part_number: String,
    pub on_hand: i64,
    pub reserved: i64,
    pub inbound: i64,
    pub backordered: i64,
    pub last_sequence: i64,
    pub last_effective_time: i64,
    pub safety_stock: i64,
    pub reorder_point: i64,
    pub min_quantity: i64,
    pub max_quantity: i64,
    pub levels_version: i64,
}

impl StockRow {
    pub(crate) fn stock(&self) -> Stock {
        Stock {
            on_hand: self.on_hand,
            reserved: self.reserved,
        }
    }

    /// The locked row as `booked` left it, so that the transaction books on
    /// without reading it again.
    pub(crate) fn take(&mut self, booked: &Booked) {
        self.on_hand = booked.after.on_hand;
        self.reserved = booked.after.reserved;
        self.last_sequence = booked.sequence;
        self.last_effective_time = self.last_effective_time.max(booked.effective_time);
    }
}

/// One movement to book.
pub(crate) struct Booking<'a> {
    pub warehouse_id: &'a str,
    pub part_number: &'a str,
    pub movement: Movement,
    /// When it happened, if earlier than now.
    pub effective_time: Option<i64>,
    pub reference: &'a str,
    /// The repair-order line it is booked for, if any.
    pub order_line: Option<&'a OrderLine>,
    pub booked_by: &'a str,
    /// The store's clock, read for the booking time as the row is booked.
    pub clock: &'a Clock,
}

/// The ledger entry as booked, with the stock after it.
#[derive(Debug, Clone)]
pub(crate) struct Booked {
    pub sequence: i64,
    pub effective_time: i64,
    pub booking_time: i64,
    pub after: Stock,
}

/// Locks the stock row of a part in a warehouse, creating it at zero the
/// first time. INVALID_ARGUMENT when the part does not exist.
pub(crate) async fn lock(tx: &mut Tx, warehouse_id: &str, part_number: &str) -> Result<StockRow> {
    // An UPDATE that changes nothing takes the row lock on PostgreSQL; on
    // SQLite the write transaction already holds the database.
    let locking = format!(
        "UPDATE stock SET last_sequence = last_sequence WHERE warehouse_id = $1 AND part_number = $2 \
         RETURNING {COLUMNS}"
    );
    if let Some(row) = sqlx::query_as(sqlx::AssertSqlSafe(locking.clone()))
        .bind(warehouse_id)
        .bind(part_number)
        .fetch_optional(&mut **tx)
        .await?
    {
        return Ok(row);
    }
    sqlx::query(
        "INSERT INTO stock (warehouse_id, part_number, on_hand, reserved, inbound, backordered, \
         last_sequence, last_effective_time, safety_stock, reorder_point, min_quantity, max_quantity, \
         levels_version) VALUES ($1, $2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1) ON CONFLICT DO NOTHING",
    )
    .bind(warehouse_id)
    .bind(part_number)
    .execute(&mut **tx)
    .await
    .map_err(|e| {
        if aftercare_db::errors::is_foreign_key_violation(&e) {
            Error::invalid("part_number", format!("no part {part_number} in the catalogue"))
        } else {
            e.into()
        }
    })?;
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(locking))
        .bind(warehouse_id)
        .bind(part_number)
        .fetch_one(&mut **tx)
        .await?)
}

/// The ledger of a stock row in the order it counts: by effective time,
/// then booking order.
pub(crate) async fn entries(
    tx: &mut Tx,
    warehouse_id: &str,
    part_number: &str,
) -> Result<Vec<Entry>> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT effective_time, kind, quantity FROM stock_movements \
         WHERE warehouse_id = $1 AND part_number = $2 ORDER BY effective_time, sequence",
    )
    .bind(warehouse_id)
    .bind(part_number)
    .fetch_all(&mut **tx)
    .await?;
    rows.into_iter()
        .map(|(at, kind, quantity)| {
            let movement = Movement::from_ledger(&kind, quantity).ok_or_else(|| {
                Error::Internal(format!("stored movement {kind} {quantity}").into())
            })?;
            Ok(Entry { at, movement })
        })
        .collect()
}

/// Writes what booking `b` on a locked row left: the row's stock after
/// it, its last sequence and latest effective time, and the ledger entry.
pub(crate) async fn record(
    tx: &mut Tx,
    b: &Booking<'_>,
    booked: Booked,
    last_effective_time: i64,
) -> Result<Booked> {
    sqlx::query(
        "UPDATE stock SET on_hand = $1, reserved = $2, last_sequence = $3, last_effective_time = $4 \
         WHERE warehouse_id = $5 AND part_number = $6",
    )
    .bind(booked.after.on_hand)
    .bind(booked.after.reserved)
    .bind(booked.sequence)
    .bind(last_effective_time)
    .bind(b.warehouse_id)
    .bind(b.part_number)
    .execute(&mut **tx)
    .await?;
    append(tx, b, booked).await
}

/// Appends the ledger entry of `b`, booked as `booked`.
async fn append(tx: &mut Tx, b: &Booking<'_>, booked: Booked) -> Result<Booked> {
    sqlx::query(
        "INSERT INTO stock_movements (warehouse_id, part_number, sequence, kind, quantity, \
         effective_time, booking_time, on_hand_after, reserved_after, reference, booked_by, \
         repair_order_id, line_number) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(b.warehouse_id)
    .bind(b.part_number)
    .bind(booked.sequence)
    .bind(b.movement.kind())
    .bind(b.movement.quantity())
    .bind(booked.effective_time)
    .bind(booked.booking_time)
    .bind(booked.after.on_hand)
    .bind(booked.after.reserved)
    .bind(b.reference)
    .bind(b.booked_by)
    .bind(b.order_line.map(|l| l.repair_order_id.as_str()))
    .bind(b.order_line.map(|l| l.line_number))
    .execute(&mut **tx)
    .await?;
    Ok(booked)
}

/// Books a reservation of `quantity` now if that much is available, in one
/// guarded UPDATE and the ledger entry: the row is locked only for those
/// two statements and the commit, which is what lets many callers reserve
/// one part at once. None when less is available (or the row does not
/// exist yet); nothing is written then, and the caller books the locked
/// way, where the domain decides what to answer.
pub(crate) async fn reserve_if_available(
    tx: &mut Tx,
    b: &Booking<'_>,
    quantity: Quantity,
) -> Result<Option<Booked>> {
    let now = b.clock.now_micros();
    // The guard is the domain's rule for a reservation (Stock::apply):
    // reserved + quantity <= on_hand.
    let row: Option<(i64, i64, i64, i64)> = sqlx::query_as(
        "UPDATE stock SET reserved = reserved + $1, last_sequence = last_sequence + 1, \
         last_effective_time = CASE WHEN last_effective_time > $2 THEN last_effective_time ELSE $2 END \
         WHERE warehouse_id = $3 AND part_number = $4 AND on_hand - reserved >= $1 \
         RETURNING on_hand, reserved, last_sequence, last_effective_time",
    )
    .bind(quantity.get())
    .bind(now)
    .bind(b.warehouse_id)
    .bind(b.part_number)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((on_hand, reserved, sequence, effective_time)) = row else {
        return Ok(None);
    };
    let booked = Booked {
        sequence,
        effective_time,
        booking_time: now,
        after: Stock { on_hand, reserved },
    };
    append(tx, b, booked).await.map(Some)
}

/// Changes the inbound or backordered counter of a locked row by `delta`.
pub(crate) async fn count(
    tx: &mut Tx,
    warehouse_id: &str,
    part_number: &str,
    column: Counter,
    delta: i64,
) -> Result<()> {
    let sql = match column {
        Counter::Inbound => {
            "UPDATE stock SET inbound = inbound + $1 WHERE warehouse_id = $2 AND part_number = $3"
        }
        Counter::Backordered => {
            "UPDATE stock SET backordered = backordered + $1 WHERE warehouse_id = $2 AND part_number = $3"
        }
    };
    sqlx::query(sql)
        .bind(delta)
        .bind(warehouse_id)
        .bind(part_number)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Counter {
    Inbound,
    Backordered,
}
