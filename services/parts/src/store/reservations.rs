//! Reservations of repair-order lines, one row each under the owner
//! namespace of their warehouse (`access::reservation_owner`), with the
//! queue key backorders are filled in.

use aftercare_db::{
    Tx,
    list::{Arg, ListQuery},
};
use aftercare_values::PageRequest;
use sqlx::AnyConnection;

use crate::{
    domain::{
        catalogue::{MAX_CHAIN, PartNumber},
        quantity::Quantity,
        reservation::{Reservation, State},
        warehouse::{NetworkId, Warehouse},
    },
    error::{Error, Result},
};

const COLUMNS: &str = "repair_order_id, line_number, warehouse_id, part_number, \
     COALESCE(requested_part_number, part_number) AS requested_part_number, quantity, state, \
     served_at_once, expected_time, create_time, update_time";

#[derive(aftercare_db::FromRow)]
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

#[derive(aftercare_db::FromRow)]
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

/// Claims a line for `r` at `w` (owned by `owner`), reserved until said
/// otherwise: false when the line is claimed already. A second ask for the
/// line, concurrent or later, waits here and then finds the first one's.
pub(crate) async fn claim(
    tx: &mut Tx,
    owner: &str,
    w: &Warehouse,
    r: &Reservation,
) -> Result<bool> {
    let claimed = sqlx::query(
        "INSERT INTO reservations (owner, repair_order_id, line_number, warehouse_id, part_number, \
         requested_part_number, quantity, state, served_at_once, expected_time, dealer_id, \
         region_id, create_time, update_time, queue_key) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, NULL, $9, $10, $11, $11, $12) \
         ON CONFLICT DO NOTHING",
    )
    .bind(owner)
    .bind(&r.repair_order_id)
    .bind(r.line_number)
    .bind(&r.warehouse_id)
    .bind(&r.part_number)
    .bind(&r.requested_part_number)
    .bind(r.quantity.get())
    .bind(r.state.as_str())
    .bind(w.dealer_id.as_ref().map(NetworkId::as_str))
    .bind(w.region_id.as_ref().map(NetworkId::as_str))
    .bind(r.create_time)
    .bind(format!(
        "{:020}/{}/{:010}",
        r.create_time, r.repair_order_id, r.line_number
    ))
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(claimed == 1)
}

/// The reservation of a line, locked for the rest of the transaction.
pub(crate) async fn lock(
    tx: &mut Tx,
    owner: &str,
    repair_order_id: &str,
    line_number: i64,
) -> Result<Option<Reservation>> {
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE reservations SET update_time = update_time \
         WHERE owner = $1 AND repair_order_id = $2 AND line_number = $3 RETURNING {COLUMNS}"
    )))
    .bind(owner)
    .bind(repair_order_id)
    .bind(line_number)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(Reservation::try_from).transpose()
}

/// Records that the line is served from an older number of its part.
pub(crate) async fn set_part_number(tx: &mut Tx, owner: &str, r: &Reservation) -> Result<()> {
    sqlx::query(
        "UPDATE reservations SET part_number = $1 \
         WHERE owner = $2 AND repair_order_id = $3 AND line_number = $4",
    )
    .bind(&r.part_number)
    .bind(owner)
    .bind(&r.repair_order_id)
    .bind(r.line_number)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Stores the state of `r`.
pub(crate) async fn set_state(
    tx: &mut Tx,
    owner: &str,
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
    .bind(owner)
    .bind(&r.repair_order_id)
    .bind(r.line_number)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A waiting backorder, as the queue hands it out.
pub(crate) struct Backorder {
    pub owner: String,
    pub repair_order_id: String,
    pub line_number: i64,
    pub quantity: Quantity,
}

/// The oldest backorder of a part at a warehouse.
pub(crate) async fn next_backorder(
    tx: &mut Tx,
    warehouse_id: &str,
    part_number: &str,
) -> Result<Option<Backorder>> {
    let next: Option<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT owner, repair_order_id, line_number, quantity FROM reservations \
         WHERE warehouse_id = $1 AND state = 'backordered' AND part_number = $2 \
         ORDER BY queue_key LIMIT 1",
    )
    .bind(warehouse_id)
    .bind(part_number)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((owner, repair_order_id, line_number, quantity)) = next else {
        return Ok(None);
    };
    let quantity = Quantity::parse(quantity)
        .map_err(|_| Error::Internal("stored backorder quantity".into()))?;
    Ok(Some(Backorder {
        owner,
        repair_order_id,
        line_number,
        quantity,
    }))
}

/// Marks backorder `b` reserved at `now`.
pub(crate) async fn fill(tx: &mut Tx, b: &Backorder, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE reservations SET state = 'reserved', expected_time = NULL, update_time = $1 \
         WHERE owner = $2 AND repair_order_id = $3 AND line_number = $4",
    )
    .bind(now)
    .bind(&b.owner)
    .bind(&b.repair_order_id)
    .bind(b.line_number)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// When the transfers in transit to `w` of `part` are expected.
pub(crate) async fn inbound_times(tx: &mut Tx, w: &Warehouse, part: &str) -> Result<Vec<i64>> {
    let inbound: Vec<(i64,)> = sqlx::query_as(
        "SELECT expected_time FROM transfers WHERE to_warehouse_id = $1 AND part_number = $2 \
         AND state = 'in_transit'",
    )
    .bind(w.id.as_str())
    .bind(part)
    .fetch_all(&mut **tx)
    .await?;
    Ok(inbound.into_iter().map(|(t,)| t).collect())
}

/// How much of `part` is available at `w` (none without a stock row).
pub(crate) async fn available(tx: &mut Tx, w: &Warehouse, part: &str) -> Result<i64> {
    let available: Option<(i64,)> = sqlx::query_as(
        "SELECT on_hand - reserved FROM stock WHERE warehouse_id = $1 AND part_number = $2",
    )
    .bind(w.id.as_str())
    .bind(part)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(available.map_or(0, |(a,)| a))
}

/// The numbers a line asking for `part` may be served with: the older
/// numbers of the part (those its supersession chain passed through, and
/// what they in turn superseded), oldest first, then the newest, where the
/// chain from `part` ends. Just `part` when it was never superseded.
pub(crate) async fn numbers(tx: &mut Tx, part: &PartNumber) -> Result<(Vec<String>, String)> {
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

/// The reservation of a line at `w` (owned by `owner`).
pub(crate) async fn get(
    conn: &mut AnyConnection,
    owner: &str,
    w: &Warehouse,
    repair_order_id: &NetworkId,
    line_number: i64,
) -> Result<Option<Reservation>> {
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM reservations \
         WHERE owner = $1 AND repair_order_id = $2 AND line_number = $3 AND warehouse_id = $4"
    )))
    .bind(owner)
    .bind(repair_order_id.as_str())
    .bind(line_number)
    .bind(w.id.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(Reservation::try_from).transpose()
}

/// A page of the backorders of a warehouse in the order they will be
/// filled, with their queue keys.
pub(crate) async fn backorders(
    conn: &mut AnyConnection,
    warehouse_id: &NetworkId,
    page: &PageRequest,
) -> Result<Vec<(String, Reservation)>> {
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
