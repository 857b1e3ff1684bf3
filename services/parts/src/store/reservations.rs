//! Reservations of repair-order lines: reserved at once or backordered,
//! then issued or released; backorders filled in order as stock arrives.

use aftercare_auth::Principal;
use aftercare_db::{
    Tx, idempotency,
    list::{Arg, ListQuery},
    timestamp::Clock,
};
use aftercare_values::PageRequest;

use super::{
    Caller, Store, begin,
    ledger::{self, Booking, Counter, StockRow},
    stock::{book_and_fill, check_unit},
    warehouses,
};
use crate::{
    domain::{
        access,
        catalogue::{MAX_CHAIN, PartNumber, Unit},
        quantity::Quantity,
        reservation::{self, Reservation, State},
        stock::Movement,
        warehouse::{NetworkId, Warehouse},
    },
    error::{Error, Result, STOCK},
};

const RESERVATION: &str = "reservation";

const COLUMNS: &str = "repair_order_id, line_number, warehouse_id, part_number, \
     COALESCE(requested_part_number, part_number) AS requested_part_number, quantity, state, \
     served_at_once, expected_time, create_time, update_time";

#[derive(sqlx::FromRow)]
struct Row {
    repair_order_id: String,
    line_number: i64,
    warehouse_id: String,
    part_number: String,
    requested_part_number: String,
    quantity: i64,
    state: String,
    served_at_once: i64,
    expected_time: Option<i64>,
    create_time: i64,
    update_time: i64,
}

#[derive(sqlx::FromRow)]
struct QueueRow {
    queue_key: String,
    #[sqlx(flatten)]
    row: Row,
}

impl TryFrom<Row> for Reservation {
    type Error = Error;

    fn try_from(r: Row) -> Result<Self> {
        let corrupt =
            || Error::Internal(format!("stored reservation {}", r.repair_order_id).into());
        Ok(Reservation {
            quantity: Quantity::parse(r.quantity).map_err(|_| corrupt())?,
            state: State::parse(&r.state).ok_or_else(corrupt)?,
            repair_order_id: r.repair_order_id,
            line_number: r.line_number,
            warehouse_id: r.warehouse_id,
            part_number: r.part_number,
            requested_part_number: r.requested_part_number,
            served_at_once: r.served_at_once != 0,
            expected_time: r.expected_time,
            create_time: r.create_time,
            update_time: r.update_time,
        })
    }
}

/// A repair-order line to reserve stock for.
#[derive(Debug, Clone)]
pub struct LineRequest {
    pub warehouse_id: NetworkId,
    pub part_number: PartNumber,
    pub quantity: Quantity,
    pub repair_order_id: NetworkId,
    pub line_number: i64,
    pub allow_backorder: bool,
    /// The unit the caller counts in, if stated.
    pub unit: Option<Unit>,
}

fn reference(repair_order_id: &str, line_number: i64) -> String {
    format!("repair order {repair_order_id} line {line_number}")
}

/// The reservation of a line, locked for the rest of the transaction.
async fn lock(
    tx: &mut Tx,
    w: &Warehouse,
    repair_order_id: &str,
    line_number: i64,
) -> Result<Reservation> {
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE reservations SET update_time = update_time \
         WHERE owner = $1 AND repair_order_id = $2 AND line_number = $3 RETURNING {COLUMNS}"
    )))
    .bind(access::reservation_owner(w))
    .bind(repair_order_id)
    .bind(line_number)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(Reservation::try_from)
        .transpose()?
        .filter(|r| r.warehouse_id == w.id.as_str())
        .ok_or_else(|| {
            Error::not_found(
                RESERVATION,
                &format!("{repair_order_id} line {line_number}"),
            )
        })
}

async fn set_state(
    tx: &mut Tx,
    w: &Warehouse,
    r: &Reservation,
    served_at_once: bool,
) -> Result<()> {
    sqlx::query(
        "UPDATE reservations SET state = $1, served_at_once = $2, expected_time = $3, update_time = $4 \
         WHERE owner = $5 AND repair_order_id = $6 AND line_number = $7",
    )
    .bind(r.state.as_str())
    .bind(i64::from(served_at_once))
    .bind(r.expected_time)
    .bind(r.update_time)
    .bind(access::reservation_owner(w))
    .bind(&r.repair_order_id)
    .bind(r.line_number)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// When a backorder of `quantity` at `w` may expect its part.
async fn expected_time(
    tx: &mut Tx,
    w: &Warehouse,
    part: &str,
    quantity: Quantity,
    now: i64,
) -> Result<Option<i64>> {
    let inbound: Vec<(i64,)> = sqlx::query_as(
        "SELECT expected_time FROM transfers WHERE to_warehouse_id = $1 AND part_number = $2 \
         AND state = 'in_transit'",
    )
    .bind(w.id.as_str())
    .bind(part)
    .fetch_all(&mut **tx)
    .await?;
    let mut chain = vec![];
    let mut days = w.lead_time_days;
    for up in warehouses::ancestors(tx, w).await? {
        let available: Option<(i64,)> = sqlx::query_as(
            "SELECT on_hand - reserved FROM stock WHERE warehouse_id = $1 AND part_number = $2",
        )
        .bind(up.id.as_str())
        .bind(part)
        .fetch_optional(&mut **tx)
        .await?;
        chain.push((available.map_or(0, |(a,)| a), days));
        days += up.lead_time_days;
    }
    let inbound: Vec<i64> = inbound.into_iter().map(|(t,)| t).collect();
    Ok(reservation::expected_time(now, quantity, &inbound, &chain))
}

/// Reserves waiting backorders of a part at a warehouse, oldest first,
/// while the stock lasts; the first that does not fit stops the queue.
pub(super) async fn fill_backorders(
    tx: &mut Tx,
    row: &mut StockRow,
    warehouse_id: &str,
    part_number: &str,
    booked_by: &str,
    clock: &Clock,
) -> Result<()> {
    loop {
        let next: Option<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT owner, repair_order_id, line_number, quantity FROM reservations \
             WHERE warehouse_id = $1 AND state = 'backordered' AND part_number = $2 \
             ORDER BY queue_key LIMIT 1",
        )
        .bind(warehouse_id)
        .bind(part_number)
        .fetch_optional(&mut **tx)
        .await?;
        let Some((owner, ro, line, quantity)) = next else {
            return Ok(());
        };
        let quantity = Quantity::parse(quantity)
            .map_err(|_| Error::Internal("stored backorder quantity".into()))?;
        if row.stock().available() < quantity.get() {
            return Ok(());
        }
        let reference = reference(&ro, line);
        let booked = ledger::book(
            tx,
            row,
            &Booking {
                warehouse_id,
                part_number,
                movement: Movement::Reserve(quantity),
                effective_time: None,
                reference: &reference,
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
            -quantity.get(),
        )
        .await?;
        sqlx::query(
            "UPDATE reservations SET state = 'reserved', expected_time = NULL, update_time = $1 \
             WHERE owner = $2 AND repair_order_id = $3 AND line_number = $4",
        )
        .bind(clock.now_micros())
        .bind(owner)
        .bind(ro)
        .bind(line)
        .execute(&mut **tx)
        .await?;
    }
}

/// The numbers a line asking for `part` may be served with: the older
/// numbers of the part (those its supersession chain passed through, and
/// what they in turn superseded), oldest first, then the newest, where the
/// chain from `part` ends. Just `part` when it was never superseded.
async fn numbers(tx: &mut Tx, part: &PartNumber) -> Result<(Vec<String>, String)> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "WITH RECURSIVE up (part_number, depth) AS ( \
             SELECT CAST($1 AS TEXT), 0 \
             UNION ALL \
             SELECT p.superseded_by, u.depth + 1 FROM up u \
             JOIN parts p ON p.part_number = u.part_number \
             WHERE p.superseded_by IS NOT NULL AND u.depth < $2 \
         ), \
         newest AS (SELECT part_number FROM up ORDER BY depth DESC LIMIT 1), \
         down (part_number, depth) AS ( \
             SELECT part_number, 0 FROM newest \
             UNION ALL \
             SELECT p.part_number, d.depth + 1 FROM down d \
             JOIN parts p ON p.superseded_by = d.part_number \
             WHERE d.depth < $2 \
         ) \
         SELECT part_number FROM down ORDER BY depth DESC, part_number",
    )
    .bind(part.as_str())
    .bind(MAX_CHAIN as i64)
    .fetch_all(&mut **tx)
    .await?;
    let mut numbers: Vec<String> = rows.into_iter().map(|(p,)| p).collect();
    let newest = numbers
        .pop()
        .ok_or_else(|| Error::Internal("a part's numbers are never none".into()))?;
    Ok((numbers, newest))
}

impl Store {
    /// Reserves stock for a repair-order line once, whatever the retries.
    pub async fn reserve(&self, caller: &Caller, req: LineRequest) -> Result<Reservation> {
        let mut tx = begin!(self, caller);
        let w = warehouses::visible(
            &mut tx,
            &caller.principal,
            &req.warehouse_id,
            access::check_move,
        )
        .await?;
        check_unit(&mut tx, &req.part_number, req.unit).await?;
        let (older, newest) = numbers(&mut tx, &req.part_number).await?;
        let now = self.clock.now_micros();
        let ro = req.repair_order_id.as_str();
        let mut r = Reservation {
            repair_order_id: ro.to_owned(),
            line_number: req.line_number,
            warehouse_id: w.id.as_str().to_owned(),
            part_number: newest,
            requested_part_number: req.part_number.as_str().to_owned(),
            quantity: req.quantity,
            state: State::Reserved,
            served_at_once: true,
            expected_time: None,
            create_time: now,
            update_time: now,
        };
        // The line is claimed first: a second ask for it, concurrent or
        // later, waits here and then finds the first one's reservation.
        let claimed = sqlx::query(
            "INSERT INTO reservations (owner, repair_order_id, line_number, warehouse_id, part_number, \
             requested_part_number, quantity, state, served_at_once, expected_time, dealer_id, \
             region_id, create_time, update_time, queue_key) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, NULL, $9, $10, $11, $11, $12) \
             ON CONFLICT DO NOTHING",
        )
        .bind(access::reservation_owner(&w))
        .bind(ro)
        .bind(req.line_number)
        .bind(&r.warehouse_id)
        .bind(&r.part_number)
        .bind(&r.requested_part_number)
        .bind(req.quantity.get())
        .bind(State::Reserved.as_str())
        .bind(w.dealer_id.as_ref().map(NetworkId::as_str))
        .bind(w.region_id.as_ref().map(NetworkId::as_str))
        .bind(now)
        .bind(format!("{now:020}/{ro}/{:010}", req.line_number))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed == 0 {
            let existing = lock(&mut tx, &w, ro, req.line_number).await.map_err(|_| {
                Error::AlreadyExists(format!(
                    "line {} of repair order {ro} is reserved in another warehouse",
                    req.line_number
                ))
            })?;
            if existing.requested_part_number != r.requested_part_number
                || existing.quantity != r.quantity
            {
                return Err(Error::AlreadyExists(format!(
                    "line {} of repair order {ro} is already reserved for {} x {}",
                    req.line_number,
                    existing.quantity.get(),
                    existing.requested_part_number
                )));
            }
            return Self::commit(tx, caller, existing).await;
        }
        let reference = reference(ro, req.line_number);
        let booking = |part_number| Booking {
            warehouse_id: &r.warehouse_id,
            part_number,
            movement: Movement::Reserve(req.quantity),
            effective_time: None,
            reference: &reference,
            booked_by: &caller.principal.subject,
            clock: &self.clock,
        };
        // Older numbers of the part first, while they have enough.
        for old in &older {
            if ledger::reserve_if_available(&mut tx, &booking(old), req.quantity)
                .await?
                .is_some()
            {
                sqlx::query(
                    "UPDATE reservations SET part_number = $1 \
                     WHERE owner = $2 AND repair_order_id = $3 AND line_number = $4",
                )
                .bind(old)
                .bind(access::reservation_owner(&w))
                .bind(ro)
                .bind(req.line_number)
                .execute(&mut *tx)
                .await?;
                r.part_number = old.clone();
                return Self::commit(tx, caller, r).await;
            }
        }
        let newest = r.part_number.clone();
        let booking = booking(&newest);
        // Served from stock at once, the common case: the answer is stored
        // before the stock row is touched, so that the row stays locked
        // for as short a time as the database allows.
        if let Some(key) = &caller.key {
            idempotency::record(&mut tx, key, &r).await?;
        }
        if ledger::reserve_if_available(&mut tx, &booking, req.quantity)
            .await?
            .is_some()
        {
            tx.commit().await?;
            return Ok(r);
        }
        let row = ledger::lock(&mut tx, booking.warehouse_id, booking.part_number).await?;
        match ledger::book(&mut tx, &row, &booking).await {
            Ok(_) => {}
            Err(Error::PreconditionFailure { kind: STOCK, .. }) if req.allow_backorder => {
                r.state = State::Backordered;
                r.served_at_once = false;
                r.expected_time =
                    expected_time(&mut tx, &w, &r.part_number, req.quantity, now).await?;
                set_state(&mut tx, &w, &r, false).await?;
                ledger::count(
                    &mut tx,
                    &r.warehouse_id,
                    &r.part_number,
                    Counter::Backordered,
                    req.quantity.get(),
                )
                .await?;
            }
            Err(e) => return Err(e),
        }
        Self::commit(tx, caller, r).await
    }

    /// Releases (`issue` false) or issues a line's reservation.
    pub async fn settle(
        &self,
        caller: &Caller,
        warehouse_id: &NetworkId,
        repair_order_id: &NetworkId,
        line_number: i64,
        issue: bool,
    ) -> Result<Reservation> {
        let mut tx = begin!(self, caller);
        let w = warehouses::visible(&mut tx, &caller.principal, warehouse_id, access::check_move)
            .await?;
        let mut r = lock(&mut tx, &w, repair_order_id.as_str(), line_number).await?;
        let step = if issue {
            reservation::issue(r.state, r.quantity)
        } else {
            reservation::release(r.state, r.quantity)
        }
        .map_err(|e| Error::FailedPrecondition(e.to_string()))?;
        if step.state == r.state {
            return Self::commit(tx, caller, r).await;
        }
        if let Some(movement) = step.movement {
            let reference = reference(&r.repair_order_id, line_number);
            book_and_fill(
                &mut tx,
                &Booking {
                    warehouse_id: &r.warehouse_id,
                    part_number: &r.part_number,
                    movement,
                    effective_time: None,
                    reference: &reference,
                    booked_by: &caller.principal.subject,
                    clock: &self.clock,
                },
            )
            .await?;
        }
        if step.unqueued > 0 {
            ledger::lock(&mut tx, &r.warehouse_id, &r.part_number).await?;
            ledger::count(
                &mut tx,
                &r.warehouse_id,
                &r.part_number,
                Counter::Backordered,
                -step.unqueued,
            )
            .await?;
        }
        r.state = step.state;
        r.expected_time = None;
        r.update_time = self.clock.now_micros();
        let served_at_once = r.served_at_once;
        set_state(&mut tx, &w, &r, served_at_once).await?;
        Self::commit(tx, caller, r).await
    }

    pub async fn get_reservation(
        &self,
        caller: &Principal,
        warehouse_id: &NetworkId,
        repair_order_id: &NetworkId,
        line_number: i64,
    ) -> Result<Reservation> {
        let mut conn = self.db.pool().acquire().await?;
        let w = warehouses::visible(&mut conn, caller, warehouse_id, access::check_see).await?;
        let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM reservations \
             WHERE owner = $1 AND repair_order_id = $2 AND line_number = $3 AND warehouse_id = $4"
        )))
        .bind(access::reservation_owner(&w))
        .bind(repair_order_id.as_str())
        .bind(line_number)
        .bind(w.id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
        row.map(Reservation::try_from).transpose()?.ok_or_else(|| {
            Error::not_found(
                RESERVATION,
                &format!("{repair_order_id} line {line_number}"),
            )
        })
    }

    /// The backorders of a warehouse in the order they will be filled.
    pub async fn list_backorders(
        &self,
        caller: &Principal,
        warehouse_id: &NetworkId,
        page: &PageRequest,
    ) -> Result<Vec<(String, Reservation)>> {
        let mut conn = self.db.pool().acquire().await?;
        warehouses::visible(&mut conn, caller, warehouse_id, access::check_see).await?;
        let mut query = ListQuery::new(
            &format!("SELECT queue_key, {COLUMNS} FROM reservations"),
            vec![],
        );
        query
            .eq("warehouse_id", warehouse_id.as_str())
            .eq("state", State::Backordered.as_str());
        let rows: Vec<QueueRow> = query
            .page(
                &mut *conn,
                "queue_key",
                page.after.clone().map(Arg::Text),
                page.fetch_limit(),
            )
            .await?;
        rows.into_iter()
            .map(|q| Ok((q.queue_key, q.row.try_into()?)))
            .collect()
    }
}
