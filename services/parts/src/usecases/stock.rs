//! Stock levels, and the movements that need no reservation: receiving and
//! counting. Each movement that frees stock fills waiting backorders.

use aftercare_auth::Principal;
use aftercare_db::Tx;
use aftercare_values::PageRequest;
use sqlx::AnyConnection;

use super::{Caller, area, begin, commit, ledger::book_and_fill, warehouses::visible};
use crate::{
    domain::{
        access,
        catalogue::{PartNumber, Unit},
        ledger::{BookingKey, Line},
        levels::{Levels, LevelsPatch, StockLevel},
        stock::{self, Movement},
        warehouse::NetworkId,
    },
    error::{Error, Result},
    store::{
        self,
        ledger::{self, Booking},
    },
};

/// A receipt or a count to book.
#[derive(Debug, Clone)]
pub(crate) struct MovementRequest {
    pub(crate) warehouse_id: NetworkId,
    pub(crate) part_number: PartNumber,
    pub(crate) movement: Movement,
    /// The unit the caller counts in, if stated.
    pub(crate) unit: Option<Unit>,
    /// When it happened, if earlier than now.
    pub(crate) effective_time: Option<i64>,
    pub(crate) reference: String,
}

area!(
    /// Stock levels and the movements booked on them.
    Stock
);

impl Stock {
    pub(crate) async fn get_stock_level(
        &self,
        caller: &Principal,
        warehouse_id: &NetworkId,
        part_number: &PartNumber,
    ) -> Result<StockLevel> {
        let mut conn = self.cx.db.pool().acquire().await?;
        visible(&mut conn, caller, warehouse_id, access::check_see).await?;
        if let Some(level) = store::stock::get(&mut conn, warehouse_id, part_number).await? {
            return Ok(level);
        }
        store::parts::existing(&mut conn, part_number.as_str(), self.cx.clock.now_micros()).await?;
        Ok(empty(warehouse_id.as_str(), part_number.as_str()))
    }

    pub(crate) async fn list_stock_levels(
        &self,
        caller: &Principal,
        warehouse_id: &NetworkId,
        page: &PageRequest,
    ) -> Result<Vec<StockLevel>> {
        let mut conn = self.cx.db.pool().acquire().await?;
        visible(&mut conn, caller, warehouse_id, access::check_see).await?;
        store::stock::list(&mut conn, warehouse_id, false, page).await
    }

    pub(crate) async fn update_stock_level(
        &self,
        caller: &Caller,
        warehouse_id: &NetworkId,
        part_number: &PartNumber,
        etag: Option<i64>,
        patch: LevelsPatch,
    ) -> Result<StockLevel> {
        let mut tx = begin!(self.cx, caller);
        visible(&mut tx, &caller.principal, warehouse_id, access::check_plan).await?;
        let row = ledger::lock(&mut tx, warehouse_id.as_str(), part_number.as_str()).await?;
        if etag.is_some_and(|v| v != row.levels_version) {
            return Err(Error::stale(
                "stock level",
                &format!("{warehouse_id}/{part_number}"),
            ));
        }
        let old = StockLevel::from(row);
        let levels = old
            .levels
            .apply(patch)
            .map_err(|e| Error::invalid(&format!("stock_level.{}", e.field()), e.to_string()))?;
        store::stock::set_levels(&mut tx, warehouse_id, part_number, &levels).await?;
        let level = StockLevel {
            levels,
            version: old.version + 1,
            ..old
        };
        commit(tx, caller, level).await
    }

    /// Books a receipt or a count at a warehouse the caller moves stock of.
    pub(crate) async fn book_movement(&self, caller: &Caller, m: MovementRequest) -> Result<Line> {
        let mut tx = begin!(self.cx, caller);
        visible(
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
                order_line: None,
                booked_by: &caller.principal.subject,
                clock: &self.cx.clock,
            },
        )
        .await?;
        commit(tx, caller, line).await
    }

    pub(crate) async fn list_stock_movements(
        &self,
        caller: &Principal,
        warehouse_id: &NetworkId,
        part_number: &PartNumber,
        after: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Line>> {
        let mut conn = self.cx.db.pool().acquire().await?;
        visible(&mut conn, caller, warehouse_id, access::check_see).await?;
        store::stock::movements(&mut conn, warehouse_id, part_number, after, limit).await
    }

    /// The movements booked for `repair_order_id`'s lines in the
    /// warehouses the caller sees; NOT_FOUND when it has movements in none
    /// of those.
    pub(crate) async fn list_order_movements(
        &self,
        caller: &Principal,
        repair_order_id: &NetworkId,
        after: Option<BookingKey>,
        limit: i64,
    ) -> Result<Vec<Line>> {
        access::check_read(caller)
            .map_err(|d| Error::denied(d, "repair order", repair_order_id.as_str()))?;
        let mut conn = self.cx.db.pool().acquire().await?;
        let booked_in =
            store::stock::warehouses_of_order(&mut conn, repair_order_id.as_str()).await?;
        let mut seen = Vec::with_capacity(booked_in.len());
        for id in booked_in.iter() {
            let visible = store::warehouses::find(&mut conn, id)
                .await?
                .is_some_and(|w| access::sees(caller, &w));
            if visible {
                seen.push(id.clone());
            }
        }
        if seen.is_empty() && !booked_in.is_empty() {
            return Err(Error::not_found("repair order", repair_order_id.as_str()));
        }
        store::stock::movements_of_order(&mut conn, repair_order_id.as_str(), &seen, after, limit)
            .await
    }
}

/// The stock of a part nobody has moved in a warehouse yet.
fn empty(warehouse_id: &str, part_number: &str) -> StockLevel {
    StockLevel {
        warehouse_id: warehouse_id.to_owned(),
        part_number: part_number.to_owned(),
        stock: stock::Stock::default(),
        inbound: 0,
        backordered: 0,
        levels: Levels::default(),
        version: 1,
    }
}

/// The unit of `part`, or INVALID_ARGUMENT on `field` when the catalogue
/// has no such part.
pub(super) async fn unit_of(
    conn: &mut AnyConnection,
    part: &PartNumber,
    field: &str,
) -> Result<String> {
    store::stock::unit_of(conn, part)
        .await?
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
