//! Transfers between warehouses: shipped out of the source's stock and
//! inbound at the destination until received there.

use super::{
    Caller, area, begin, commit, ledger::book_and_fill, stock::check_unit, warehouses::visible,
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
    store::{
        self,
        ledger::{self, Booking, Counter},
        warehouses::WAREHOUSE,
    },
};

const TRANSFER: &str = "transfer";

/// A transfer to ship.
#[derive(Debug, Clone)]
pub(crate) struct TransferRequest {
    pub(crate) from: NetworkId,
    pub(crate) to: NetworkId,
    pub(crate) part_number: PartNumber,
    pub(crate) quantity: Quantity,
    pub(crate) expected_time: Option<i64>,
    /// The unit the caller counts in, if stated.
    pub(crate) unit: Option<Unit>,
}

area!(
    /// Transfers between warehouses.
    Transfers
);

impl Transfers {
    pub(crate) async fn create_transfer(
        &self,
        caller: &Caller,
        req: TransferRequest,
    ) -> Result<Transfer> {
        let mut tx = begin!(self.cx, caller);
        let p = &caller.principal;
        let from = visible(&mut tx, p, &req.from, access::check_move).await?;
        check_unit(&mut tx, &req.part_number, req.unit).await?;
        // A shipment goes to a warehouse the sender sees, or back up to its
        // own parent.
        let to = store::warehouses::find(&mut tx, req.to.as_str())
            .await?
            .filter(|to| access::sees(p, to) || from.parent.as_ref() == Some(&to.id))
            .ok_or_else(|| Error::not_found(WAREHOUSE, req.to.as_str()))?;
        let now = self.cx.clock.now_micros();
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
                order_line: None,
                booked_by: &p.subject,
                clock: &self.cx.clock,
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
        store::transfers::insert(&mut tx, &t).await?;
        commit(tx, caller, t).await
    }

    /// Receives a transfer at its destination, once.
    pub(crate) async fn receive_transfer(&self, caller: &Caller, id: &str) -> Result<Transfer> {
        let mut tx = begin!(self.cx, caller);
        let mut t = store::transfers::lock(&mut tx, id)
            .await?
            .ok_or_else(|| Error::not_found(TRANSFER, id))?;
        let p = &caller.principal;
        let to = NetworkId::from_store(t.to_warehouse_id.clone());
        visible(&mut tx, p, &to, access::check_move)
            .await
            .map_err(|e| match e {
                Error::NotFound { .. } => Error::not_found(TRANSFER, id),
                e => e,
            })?;
        if t.state == TransferState::Received {
            return commit(tx, caller, t).await;
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
                order_line: None,
                booked_by: &p.subject,
                clock: &self.cx.clock,
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
        let now = self.cx.clock.now_micros();
        store::transfers::receive(&mut tx, id, now).await?;
        t.state = TransferState::Received;
        t.receive_time = Some(now);
        commit(tx, caller, t).await
    }
}
