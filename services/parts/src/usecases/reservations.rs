//! Reservations of repair-order lines: reserved at once or backordered,
//! then issued or released. The reservation path is the hot one (see
//! `scripts/bench-parts`): it keeps to the fewest statements and holds the
//! stock row for as short a time as the database allows.

use aftercare_auth::Principal;
use aftercare_db::{Tx, idempotency};
use aftercare_values::PageRequest;

use super::{
    Caller, area, begin, commit,
    ledger::{book, book_and_fill, order_line},
    stock::check_unit,
    warehouses::visible,
};
use crate::{
    domain::{
        access,
        catalogue::{PartNumber, Unit},
        quantity::Quantity,
        reservation::{self, Reservation, State},
        stock::Movement,
        warehouse::{NetworkId, Warehouse},
    },
    error::{Error, Result, STOCK},
    store::{
        self,
        ledger::{self, Booking, Counter},
    },
};

const RESERVATION: &str = "reservation";

/// A repair-order line to reserve stock for.
#[derive(Debug, Clone)]
pub(crate) struct LineRequest {
    pub(crate) warehouse_id: NetworkId,
    pub(crate) part_number: PartNumber,
    pub(crate) quantity: Quantity,
    pub(crate) repair_order_id: NetworkId,
    pub(crate) line_number: i64,
    pub(crate) allow_backorder: bool,
    /// The unit the caller counts in, if stated.
    pub(crate) unit: Option<Unit>,
}

area!(
    /// Reservations of repair-order lines and the backorders.
    Reservations
);

impl Reservations {
    /// Reserves stock for a repair-order line once, whatever the retries.
    pub(crate) async fn reserve(&self, caller: &Caller, req: LineRequest) -> Result<Reservation> {
        let mut tx = begin!(self.cx, caller);
        let w = visible(
            &mut tx,
            &caller.principal,
            &req.warehouse_id,
            access::check_move,
        )
        .await?;
        check_unit(&mut tx, &req.part_number, req.unit).await?;
        let (older, newest) = store::reservations::numbers(&mut tx, &req.part_number).await?;
        let now = self.cx.clock.now_micros();
        let ro = req.repair_order_id.as_str();
        let owner = access::reservation_owner(&w);
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
        if !store::reservations::claim(&mut tx, &owner, &w, &r).await? {
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
            return commit(tx, caller, existing).await;
        }
        let order_line = order_line(ro, req.line_number);
        let reference = order_line.reference();
        let booking = |part_number| Booking {
            warehouse_id: &r.warehouse_id,
            part_number,
            movement: Movement::Reserve(req.quantity),
            effective_time: None,
            reference: &reference,
            order_line: Some(&order_line),
            booked_by: &caller.principal.subject,
            clock: &self.cx.clock,
        };
        // Older numbers of the part first, while they have enough.
        for old in &older {
            if ledger::reserve_if_available(&mut tx, &booking(old), req.quantity)
                .await?
                .is_some()
            {
                r.part_number = old.clone();
                store::reservations::set_part_number(&mut tx, &owner, &r).await?;
                return commit(tx, caller, r).await;
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
        match book(&mut tx, &row, &booking).await {
            Ok(_) => {}
            Err(Error::PreconditionFailure { kind: STOCK, .. }) if req.allow_backorder => {
                r.state = State::Backordered;
                r.served_at_once = false;
                r.expected_time =
                    expected_time(&mut tx, &w, &r.part_number, req.quantity, now).await?;
                store::reservations::set_state(&mut tx, &owner, &r, false).await?;
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
        commit(tx, caller, r).await
    }

    /// Releases (`issue` false) or issues a line's reservation.
    pub(crate) async fn settle(
        &self,
        caller: &Caller,
        warehouse_id: &NetworkId,
        repair_order_id: &NetworkId,
        line_number: i64,
        issue: bool,
    ) -> Result<Reservation> {
        let mut tx = begin!(self.cx, caller);
        let w = visible(&mut tx, &caller.principal, warehouse_id, access::check_move).await?;
        let mut r = lock(&mut tx, &w, repair_order_id.as_str(), line_number).await?;
        let step = if issue {
            reservation::issue(r.state, r.quantity)
        } else {
            reservation::release(r.state, r.quantity)
        }
        .map_err(|e| Error::FailedPrecondition(e.to_string()))?;
        if step.state == r.state {
            return commit(tx, caller, r).await;
        }
        if let Some(movement) = step.movement {
            let order_line = order_line(&r.repair_order_id, line_number);
            let reference = order_line.reference();
            book_and_fill(
                &mut tx,
                &Booking {
                    warehouse_id: &r.warehouse_id,
                    part_number: &r.part_number,
                    movement,
                    effective_time: None,
                    reference: &reference,
                    order_line: Some(&order_line),
                    booked_by: &caller.principal.subject,
                    clock: &self.cx.clock,
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
        r.update_time = self.cx.clock.now_micros();
        let served_at_once = r.served_at_once;
        let owner = access::reservation_owner(&w);
        store::reservations::set_state(&mut tx, &owner, &r, served_at_once).await?;
        commit(tx, caller, r).await
    }

    pub(crate) async fn get_reservation(
        &self,
        caller: &Principal,
        warehouse_id: &NetworkId,
        repair_order_id: &NetworkId,
        line_number: i64,
    ) -> Result<Reservation> {
        let mut conn = self.cx.db.pool().acquire().await?;
        let w = visible(&mut conn, caller, warehouse_id, access::check_see).await?;
        let owner = access::reservation_owner(&w);
        store::reservations::get(&mut conn, &owner, &w, repair_order_id, line_number)
            .await?
            .ok_or_else(|| not_found(repair_order_id.as_str(), line_number))
    }

    /// The backorders of a warehouse in the order they will be filled.
    pub(crate) async fn list_backorders(
        &self,
        caller: &Principal,
        warehouse_id: &NetworkId,
        page: &PageRequest,
    ) -> Result<Vec<(String, Reservation)>> {
        let mut conn = self.cx.db.pool().acquire().await?;
        visible(&mut conn, caller, warehouse_id, access::check_see).await?;
        store::reservations::backorders(&mut conn, warehouse_id, page).await
    }
}

fn not_found(repair_order_id: &str, line_number: i64) -> Error {
    Error::not_found(
        RESERVATION,
        &format!("{repair_order_id} line {line_number}"),
    )
}

/// The reservation of a line at `w`, locked for the rest of the
/// transaction; NOT_FOUND when the line is reserved elsewhere or not at all.
async fn lock(
    tx: &mut Tx,
    w: &Warehouse,
    repair_order_id: &str,
    line_number: i64,
) -> Result<Reservation> {
    let owner = access::reservation_owner(w);
    store::reservations::lock(tx, &owner, repair_order_id, line_number)
        .await?
        .filter(|r| r.warehouse_id == w.id.as_str())
        .ok_or_else(|| not_found(repair_order_id, line_number))
}

/// When a backorder of `quantity` at `w` may expect its part: the transfers
/// in transit to it, and what the warehouses above it hold.
async fn expected_time(
    tx: &mut Tx,
    w: &Warehouse,
    part: &str,
    quantity: Quantity,
    now: i64,
) -> Result<Option<i64>> {
    let inbound = store::reservations::inbound_times(tx, w, part).await?;
    let mut chain = vec![];
    let mut days = w.lead_time_days;
    for up in store::warehouses::ancestors(tx, w).await? {
        let available = store::reservations::available(tx, &up, part).await?;
        chain.push((available, days));
        days += up.lead_time_days;
    }
    Ok(reservation::expected_time(now, quantity, &inbound, &chain))
}
