//! Stock levels: one row per part and warehouse (see `ledger`), read as
//! domain values, and the levels set on them; the ledger of a row read a
//! page at a time.

use aftercare_db::{
    Tx,
    list::{Arg, ListQuery},
};
use aftercare_values::PageRequest;
use sqlx::AnyConnection;

use super::ledger::{COLUMNS, StockRow};
use crate::{
    domain::{
        catalogue::PartNumber,
        ledger::{BookingKey, Entry, Line, OrderLine},
        levels::{Levels, StockLevel},
        stock::{Movement, Stock},
        warehouse::NetworkId,
    },
    error::{Error, Result},
};

impl From<StockRow> for StockLevel {
    fn from(r: StockRow) -> Self {
        StockLevel {
            stock: r.stock(),
            warehouse_id: r.warehouse_id,
            part_number: r.part_number,
            inbound: r.inbound,
            backordered: r.backordered,
            levels: Levels {
                safety_stock: r.safety_stock,
                reorder_point: r.reorder_point,
                min_quantity: r.min_quantity,
                max_quantity: r.max_quantity,
            },
            version: r.levels_version,
        }
    }
}

/// The stock level of `part_number` at `warehouse_id`, if it was ever
/// moved there.
pub(crate) async fn get(
    conn: &mut AnyConnection,
    warehouse_id: &NetworkId,
    part_number: &PartNumber,
) -> Result<Option<StockLevel>> {
    let row: Option<StockRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM stock WHERE warehouse_id = $1 AND part_number = $2"
    )))
    .bind(warehouse_id.as_str())
    .bind(part_number.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(Into::into))
}

/// A page of the stock levels of a warehouse, by part number; only those
/// that should be reordered when `to_reorder`.
pub(crate) async fn list(
    conn: &mut AnyConnection,
    warehouse_id: &NetworkId,
    to_reorder: bool,
    page: &PageRequest,
) -> Result<Vec<StockLevel>> {
    let mut query = ListQuery::new(&format!("SELECT {COLUMNS} FROM stock"), vec![]);
    query.eq("warehouse_id", warehouse_id.as_str());
    if to_reorder {
        // At or below the reorder point and below the maximum, picked by
        // the index: a page must not lose rows to a filter after the fetch.
        query.and(
            "on_hand - reserved + inbound <= reorder_point \
             AND on_hand - reserved + inbound < max_quantity",
            vec![],
        );
    }
    let rows: Vec<StockRow> = query
        .page(
            &mut *conn,
            "part_number",
            page.after.clone().map(Arg::Text),
            page.fetch_limit(),
        )
        .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Sets the levels of a locked stock row and moves its levels version on.
pub(crate) async fn set_levels(
    tx: &mut Tx,
    warehouse_id: &NetworkId,
    part_number: &PartNumber,
    levels: &Levels,
) -> Result<()> {
    sqlx::query(
        "UPDATE stock SET safety_stock = $1, reorder_point = $2, min_quantity = $3, \
         max_quantity = $4, levels_version = levels_version + 1 \
         WHERE warehouse_id = $5 AND part_number = $6",
    )
    .bind(levels.safety_stock)
    .bind(levels.reorder_point)
    .bind(levels.min_quantity)
    .bind(levels.max_quantity)
    .bind(warehouse_id.as_str())
    .bind(part_number.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The unit `part` is counted in, if the catalogue holds it.
pub(crate) async fn unit_of(conn: &mut AnyConnection, part: &PartNumber) -> Result<Option<String>> {
    let stored: Option<(String,)> = sqlx::query_as("SELECT unit FROM parts WHERE part_number = $1")
        .bind(part.as_str())
        .fetch_optional(conn)
        .await?;
    Ok(stored.map(|(unit,)| unit))
}

/// The ledger of one stock row, a page at a time in sequence order.
pub(crate) async fn movements(
    conn: &mut AnyConnection,
    warehouse_id: &NetworkId,
    part_number: &PartNumber,
    after: Option<i64>,
    limit: i64,
) -> Result<Vec<Line>> {
    let mut query = ListQuery::new(MOVEMENTS, vec![]);
    query
        .eq("warehouse_id", warehouse_id.as_str())
        .eq("part_number", part_number.as_str());
    let rows: Vec<MovementRow> = query
        .page(&mut *conn, "sequence", after.map(Arg::Int), limit)
        .await?;
    rows.into_iter().map(Line::try_from).collect()
}

/// The warehouses where movements of `repair_order_id` were booked.
pub(crate) async fn warehouses_of_order(
    conn: &mut AnyConnection,
    repair_order_id: &str,
) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT warehouse_id FROM stock_ledger WHERE repair_order_id = $1 \
         ORDER BY warehouse_id",
    )
    .bind(repair_order_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(w,)| w).collect())
}

/// The movements booked for `repair_order_id`'s lines in `warehouses`, a
/// page at a time in booking order.
pub(crate) async fn movements_of_order(
    conn: &mut AnyConnection,
    repair_order_id: &str,
    warehouses: &[String],
    after: Option<BookingKey>,
    limit: i64,
) -> Result<Vec<Line>> {
    let mut query = ListQuery::new(MOVEMENTS, vec![]);
    query
        .eq("repair_order_id", repair_order_id)
        .any_of("warehouse_id", warehouses);
    if let Some(k) = after {
        query.and(
            "booking_time > ? OR (booking_time = ? AND (warehouse_id > ? OR (warehouse_id = ? \
             AND (part_number > ? OR (part_number = ? AND sequence > ?)))))",
            vec![
                Arg::Int(k.booking_time),
                Arg::Int(k.booking_time),
                Arg::Text(k.warehouse_id.clone()),
                Arg::Text(k.warehouse_id),
                Arg::Text(k.part_number.clone()),
                Arg::Text(k.part_number),
                Arg::Int(k.sequence),
            ],
        );
    }
    let rows: Vec<MovementRow> = query
        .fetch(
            &mut *conn,
            "booking_time, warehouse_id, part_number, sequence",
            Some(limit),
        )
        .await?;
    rows.into_iter().map(Line::try_from).collect()
}

const MOVEMENTS: &str = "SELECT warehouse_id, part_number, sequence, kind, quantity, \
     effective_time, booking_time, on_hand_after, reserved_after, reference, booked_by, \
     repair_order_id, line_number FROM stock_ledger";

#[derive(aftercare_db::FromRow)]
struct MovementRow {
    warehouse_id: String,
    part_number: String,
    sequence: i64,
    kind: String,
    quantity: i64,
    effective_time: i64,
    booking_time: i64,
    on_hand_after: i64,
    reserved_after: i64,
    reference: String,
    booked_by: String,
    repair_order_id: Option<String>,
    line_number: Option<i64>,
}

impl TryFrom<MovementRow> for Line {
    type Error = Error;

    fn try_from(r: MovementRow) -> Result<Self> {
        let movement = Movement::from_ledger(&r.kind, r.quantity).ok_or_else(|| {
            Error::Internal(format!("stored movement {} {}", r.kind, r.quantity).into())
        })?;
        let order_line = match (r.repair_order_id, r.line_number) {
            (Some(repair_order_id), Some(line_number)) => Some(OrderLine {
                repair_order_id,
                line_number,
            }),
            _ => None,
        };
        Ok(Line {
            warehouse_id: r.warehouse_id,
            part_number: r.part_number,
            sequence: r.sequence,
            entry: Entry {
                at: r.effective_time,
                movement,
            },
            booking_time: r.booking_time,
            after: Stock {
                on_hand: r.on_hand_after,
                reserved: r.reserved_after,
            },
            reference: r.reference,
            booked_by: r.booked_by,
            order_line,
        })
    }
}
