//! Transfers between warehouses: shipped out of the source's stock and
//! inbound at the destination until received there.

use super::{
    Caller, Store, begin,
    ledger::{self, Booking, Counter},
    stock::{book_and_fill, check_unit},
    warehouses::{self, WAREHOUSE},
};
use crate::{
    domain::{
        access,
        catalogue::{PartNumber, Unit},
        quantity::Quantity,
        reservation::DAY,
        stock::Movement,
        transfer::{Transfer, TransferState},
        warehouse::NetworkId,
    },
    error::{Error, Result},
};

const TRANSFER: &str = "transfer";

#[derive(sqlx::FromRow)]
struct Row {
    transfer_id: String,
    from_warehouse_id: String,
    to_warehouse_id: String,
    part_number: String,
    quantity: i64,
    state: String,
    expected_time: i64,
    ship_time: i64,
    receive_time: Option<i64>,
}

impl TryFrom<Row> for Transfer {
    type Error = Error;

    fn try_from(r: Row) -> Result<Self> {
        let corrupt = || Error::Internal(format!("stored transfer {}", r.transfer_id).into());
        Ok(Transfer {
            quantity: Quantity::parse(r.quantity).map_err(|_| corrupt())?,
            state: TransferState::parse(&r.state).ok_or_else(corrupt)?,
            transfer_id: r.transfer_id,
            from_warehouse_id: r.from_warehouse_id,
            to_warehouse_id: r.to_warehouse_id,
            part_number: r.part_number,
            expected_time: r.expected_time,
            ship_time: r.ship_time,
            receive_time: r.receive_time,
        })
    }
}

/// A transfer to ship.
#[derive(Debug, Clone)]
pub struct TransferRequest {
    pub from: NetworkId,
    pub to: NetworkId,
    pub part_number: PartNumber,
    pub quantity: Quantity,
    pub expected_time: Option<i64>,
    /// The unit the caller counts in, if stated.
    pub unit: Option<Unit>,
}

impl Store {
    pub async fn create_transfer(&self, caller: &Caller, req: TransferRequest) -> Result<Transfer> {
        let mut tx = begin!(self, caller);
        let p = &caller.principal;
        let from = warehouses::visible(&mut tx, p, &req.from, access::check_move).await?;
        check_unit(&mut tx, &req.part_number, req.unit).await?;
        // A shipment goes to a warehouse the sender sees, or back up to its
        // own parent.
        let to = warehouses::find(&mut tx, req.to.as_str())
            .await?
            .filter(|to| access::sees(p, to) || from.parent.as_ref() == Some(&to.id))
            .ok_or_else(|| Error::not_found(WAREHOUSE, req.to.as_str()))?;
        let now = self.clock.now_micros();
        let t = Transfer {
            transfer_id: uuid::Uuid::now_v7().to_string(),
            from_warehouse_id: from.id.as_str().to_owned(),
            to_warehouse_id: to.id.as_str().to_owned(),
            part_number: req.part_number.as_str().to_owned(),
            quantity: req.quantity,
            state: TransferState::InTransit,
            expected_time: req.expected_time.unwrap_or(now + to.lead_time_days * DAY),
            ship_time: now,
            receive_time: None,
        };
        let reference = format!("transfer {} to {}", t.transfer_id, t.to_warehouse_id);
        book_and_fill(
            &mut tx,
            &Booking {
                warehouse_id: &t.from_warehouse_id,
                part_number: &t.part_number,
                movement: Movement::Ship(t.quantity),
                effective_time: None,
                reference: &reference,
                booked_by: &p.subject,
                clock: &self.clock,
            },
        )
        .await?;
        ledger::lock(&mut tx, &t.to_warehouse_id, &t.part_number).await?;
        ledger::count(
            &mut tx,
            &t.to_warehouse_id,
            &t.part_number,
            Counter::Inbound,
            t.quantity.get(),
        )
        .await?;
        sqlx::query(
            "INSERT INTO transfers (transfer_id, from_warehouse_id, to_warehouse_id, part_number, \
             quantity, state, expected_time, ship_time, receive_time) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL)",
        )
        .bind(&t.transfer_id)
        .bind(&t.from_warehouse_id)
        .bind(&t.to_warehouse_id)
        .bind(&t.part_number)
        .bind(t.quantity.get())
        .bind(t.state.as_str())
        .bind(t.expected_time)
        .bind(t.ship_time)
        .execute(&mut *tx)
        .await?;
        Self::commit(tx, caller, t).await
    }

    /// Receives a transfer at its destination, once.
    pub async fn receive_transfer(&self, caller: &Caller, id: &str) -> Result<Transfer> {
        let mut tx = begin!(self, caller);
        let row: Option<Row> = sqlx::query_as(
            "UPDATE transfers SET state = state WHERE transfer_id = $1 RETURNING transfer_id, \
             from_warehouse_id, to_warehouse_id, part_number, quantity, state, expected_time, \
             ship_time, receive_time",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let mut t = Transfer::try_from(row.ok_or_else(|| Error::not_found(TRANSFER, id))?)?;
        let p = &caller.principal;
        let to = NetworkId::from_store(t.to_warehouse_id.clone());
        warehouses::visible(&mut tx, p, &to, access::check_move)
            .await
            .map_err(|e| match e {
                Error::NotFound { .. } => Error::not_found(TRANSFER, id),
                e => e,
            })?;
        if t.state == TransferState::Received {
            return Self::commit(tx, caller, t).await;
        }
        let reference = format!("transfer {} from {}", t.transfer_id, t.from_warehouse_id);
        book_and_fill(
            &mut tx,
            &Booking {
                warehouse_id: &t.to_warehouse_id,
                part_number: &t.part_number,
                movement: Movement::Receive(t.quantity),
                effective_time: None,
                reference: &reference,
                booked_by: &p.subject,
                clock: &self.clock,
            },
        )
        .await?;
        ledger::count(
            &mut tx,
            &t.to_warehouse_id,
            &t.part_number,
            Counter::Inbound,
            -t.quantity.get(),
        )
        .await?;
        let now = self.clock.now_micros();
        sqlx::query(
            "UPDATE transfers SET state = 'received', receive_time = $1 WHERE transfer_id = $2",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        t.state = TransferState::Received;
        t.receive_time = Some(now);
        Self::commit(tx, caller, t).await
    }
}
