//! Stock levels, and the movements that need no reservation: receiving and
//! counting. Each movement that frees stock fills waiting backorders.

use aftercare_auth::Principal;
use aftercare_db::{
    Tx,
    list::{Arg, ListQuery},
};
use aftercare_values::PageRequest;
use sqlx::AnyConnection;

use super::{
    Caller, Store, begin,
    ledger::{self, Booked, Booking, COLUMNS, StockRow},
    reservations, warehouses,
};
use crate::{
    domain::{
        access,
        catalogue::{PartNumber, Unit},
        ledger::{Entry, Line},
        levels::{Levels, LevelsPatch, StockLevel},
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

/// The stock of a part nobody has moved in a warehouse yet.
fn empty(warehouse_id: &str, part_number: &str) -> StockLevel {
    StockLevel {
        warehouse_id: warehouse_id.to_owned(),
        part_number: part_number.to_owned(),
        stock: Stock::default(),
        inbound: 0,
        backordered: 0,
        levels: Levels::default(),
        version: 1,
    }
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
    }
}

/// A receipt or a count to book.
#[derive(Debug, Clone)]
pub struct MovementRequest {
    pub warehouse_id: NetworkId,
    pub part_number: PartNumber,
    pub movement: Movement,
    /// The unit the caller counts in, if stated.
    pub unit: Option<Unit>,
    /// When it happened, if earlier than now.
    pub effective_time: Option<i64>,
    pub reference: String,
}

/// The unit of `part`, or INVALID_ARGUMENT on `field` when the catalogue
/// has no such part.
pub(super) async fn unit_of(
    conn: &mut AnyConnection,
    part: &PartNumber,
    field: &str,
) -> Result<String> {
    let stored: Option<(String,)> = sqlx::query_as("SELECT unit FROM parts WHERE part_number = $1")
        .bind(part.as_str())
        .fetch_optional(conn)
        .await?;
    stored
        .map(|(unit,)| unit)
        .ok_or_else(|| Error::invalid(field, format!("no part {part} in the catalogue")))
}

/// Refuses a quantity stated in another unit than the part's.
pub(super) async fn check_unit(tx: &mut Tx, part: &PartNumber, unit: Option<Unit>) -> Result<()> {
    let Some(unit) = unit else { return Ok(()) };
    let stored = unit_of(tx, part, "part_number").await?;
    if stored != unit.as_str() {
        return Err(Error::invalid(
            "unit",
            format!("part {part} is counted in {stored}, not {}", unit.as_str()),
        ));
    }
    Ok(())
}

/// Locks the row and books `b`, then fills the backorders the movement may
/// have made room for.
pub(super) async fn book_and_fill(tx: &mut Tx, b: &Booking<'_>) -> Result<Line> {
    let mut row = ledger::lock(tx, b.warehouse_id, b.part_number).await?;
    let booked = ledger::book(tx, &row, b).await?;
    row.take(&booked);
    if b.movement.frees_stock() && row.backordered > 0 {
        reservations::fill_backorders(
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

impl Store {
    pub async fn get_stock_level(
        &self,
        caller: &Principal,
        warehouse_id: &NetworkId,
        part_number: &PartNumber,
    ) -> Result<StockLevel> {
        let mut conn = self.db.pool().acquire().await?;
        warehouses::visible(&mut conn, caller, warehouse_id, access::check_see).await?;
        let row: Option<StockRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM stock WHERE warehouse_id = $1 AND part_number = $2"
        )))
        .bind(warehouse_id.as_str())
        .bind(part_number.as_str())
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(row) = row {
            return Ok(row.into());
        }
        super::parts::existing(&mut conn, part_number.as_str(), self.clock.now_micros()).await?;
        Ok(empty(warehouse_id.as_str(), part_number.as_str()))
    }

    pub async fn list_stock_levels(
        &self,
        caller: &Principal,
        warehouse_id: &NetworkId,
        page: &PageRequest,
    ) -> Result<Vec<StockLevel>> {
        let mut conn = self.db.pool().acquire().await?;
        warehouses::visible(&mut conn, caller, warehouse_id, access::check_see).await?;
        let mut query = ListQuery::new(&format!("SELECT {COLUMNS} FROM stock"), vec![]);
        query.eq("warehouse_id", warehouse_id.as_str());
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

    pub async fn update_stock_level(
        &self,
        caller: &Caller,
        warehouse_id: &NetworkId,
        part_number: &PartNumber,
        etag: Option<i64>,
        patch: LevelsPatch,
    ) -> Result<StockLevel> {
        let mut tx = begin!(self, caller);
        warehouses::visible(&mut tx, &caller.principal, warehouse_id, access::check_plan).await?;
        let row = ledger::lock(&mut tx, warehouse_id.as_str(), part_number.as_str()).await?;
        if etag.is_some_and(|v| v != row.levels_version) {
            return Err(Error::stale(
                "stock level",
                &format!("{warehouse_id}/{part_number}"),
            ));
        }
        let levels = StockLevel::from(row.clone())
            .levels
            .apply(patch)
            .map_err(|e| Error::invalid(&format!("stock_level.{}", e.field()), e.to_string()))?;
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
        .execute(&mut *tx)
        .await?;
        let level = StockLevel {
            levels,
            version: row.levels_version + 1,
            ..row.into()
        };
        Self::commit(tx, caller, level).await
    }

    /// Books a receipt or a count at a warehouse the caller moves stock of.
    pub async fn book_movement(&self, caller: &Caller, m: MovementRequest) -> Result<Line> {
        let mut tx = begin!(self, caller);
        warehouses::visible(
            &mut tx,
            &caller.principal,
            &m.warehouse_id,
            access::check_move,
        )
        .await?;
        check_unit(&mut tx, &m.part_number, m.unit).await?;
        let line = book_and_fill(
            &mut tx,
            &Booking {
                warehouse_id: m.warehouse_id.as_str(),
                part_number: m.part_number.as_str(),
                movement: m.movement,
                effective_time: m.effective_time,
                reference: &m.reference,
                booked_by: &caller.principal.subject,
                clock: &self.clock,
            },
        )
        .await?;
        Self::commit(tx, caller, line).await
    }

    pub async fn list_stock_movements(
        &self,
        caller: &Principal,
        warehouse_id: &NetworkId,
        part_number: &PartNumber,
        after: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Line>> {
        let mut conn = self.db.pool().acquire().await?;
        warehouses::visible(&mut conn, caller, warehouse_id, access::check_see).await?;
        let mut query = ListQuery::new(
            "SELECT sequence, kind, quantity, effective_time, booking_time, on_hand_after, \
             reserved_after, reference, booked_by FROM stock_movements",
            vec![],
        );
        query
            .eq("warehouse_id", warehouse_id.as_str())
            .eq("part_number", part_number.as_str());
        let rows: Vec<MovementRow> = query
            .page(&mut *conn, "sequence", after.map(Arg::Int), limit)
            .await?;
        rows.into_iter()
            .map(|r| {
                let movement = Movement::from_ledger(&r.kind, r.quantity).ok_or_else(|| {
                    Error::Internal(format!("stored movement {} {}", r.kind, r.quantity).into())
                })?;
                Ok(Line {
                    warehouse_id: warehouse_id.as_str().to_owned(),
                    part_number: part_number.as_str().to_owned(),
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
                })
            })
            .collect()
    }
}

#[derive(sqlx::FromRow)]
struct MovementRow {
    sequence: i64,
    kind: String,
    quantity: i64,
    effective_time: i64,
    booking_time: i64,
    on_hand_after: i64,
    reserved_after: i64,
    reference: String,
    booked_by: String,
}
