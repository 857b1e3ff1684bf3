//! Transfers between warehouses: one row each, in transit until received.

use aftercare_db::Tx;

use crate::{
    domain::{
        quantity::Quantity,
        transfer::{Transfer, TransferState},
    },
    error::{Error, Result},
};

#[derive(aftercare_db::FromRow)]
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

/// Stores a transfer just shipped.
pub(crate) async fn insert(tx: &mut Tx, t: &Transfer) -> Result<()> {
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
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The transfer `id`, locked for the rest of the transaction.
pub(crate) async fn lock(tx: &mut Tx, id: &str) -> Result<Option<Transfer>> {
    let row: Option<Row> = sqlx::query_as(
        "UPDATE transfers SET state = state WHERE transfer_id = $1 RETURNING transfer_id, \
         from_warehouse_id, to_warehouse_id, part_number, quantity, state, expected_time, \
         ship_time, receive_time",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(Transfer::try_from).transpose()
}

/// Marks the transfer `id` received at `now`.
pub(crate) async fn receive(tx: &mut Tx, id: &str, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE transfers SET state = 'received', receive_time = $1 WHERE transfer_id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
