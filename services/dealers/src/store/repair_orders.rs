//! The rows of repair orders: their lines, history and handover, and the
//! writes each change of an RO makes.

use std::collections::HashMap;

use aftercare_edge::resource::{expect_one, meta_from_row, next_meta, on_write_error};
use aftercare_values::resource::Meta;

use aftercare_db::list::{Arg, ListQuery};
use aftercare_db::{Tx, timestamp};
use aftercare_values::{Money, OemZone, PageRequest};
use sqlx::{Any, AnyConnection, AssertSqlSafe, Executor};
use time::OffsetDateTime;

use super::{
    Stored,
    list::{ScopeColumns, Scoped},
};
use crate::{
    domain::{
        access::{Change, ListScope, Place},
        orders::{
            Approval, HandoverItem, LabourLine, Opening, PartsLine, PartsLineState, RepairOrder,
            StatusChange,
        },
        repair_order::{OrderType, Status, is_comeback},
        text::Id,
    },
    error::{Error, Result},
};

pub(crate) const WHAT: &str = "repair order";

macro_rules! select {
    ($($rest:literal)?) => {
        concat!(
            "SELECT r.id, r.station_id, r.dealer_id, d.region_id, r.vehicle_id, r.advisor_id, r.order_type, \
             r.fast_lane, r.status, r.currency, r.estimate_minor, r.mileage_km, r.arrival_time, r.promise_time, \
             r.final_bill_minor, r.approval_method, r.approve_time, r.cancel_reason, r.call_back_time, \
             r.comeback_of, r.appointment_id, r.warehouse_id, r.version, r.create_time, r.update_time \
             FROM repair_orders r JOIN dealers d ON d.id = r.dealer_id"
            $(, $rest)?
        )
    };
}

#[derive(aftercare_db::FromRow)]
struct Row {
    id: String,
    station_id: String,
    dealer_id: String,
    region_id: String,
    vehicle_id: String,
    advisor_id: String,
    order_type: String,
    fast_lane: i64,
    status: String,
    currency: String,
    estimate_minor: i64,
    mileage_km: i64,
    arrival_time: i64,
    promise_time: i64,
    final_bill_minor: Option<i64>,
    approval_method: Option<String>,
    approve_time: Option<i64>,
    cancel_reason: Option<String>,
    call_back_time: Option<i64>,
    comeback_of: Option<String>,
    appointment_id: Option<String>,
    warehouse_id: Option<String>,
    version: i64,
    create_time: i64,
    update_time: i64,
}

#[derive(aftercare_db::FromRow)]
struct LabourRow {
    repair_order_id: String,
    line_number: i64,
    operation_code: String,
    standard_centihours: i64,
    actual_centihours: i64,
    technician_id: Option<String>,
    comeback: i64,
}

#[derive(aftercare_db::FromRow)]
struct PartsRow {
    repair_order_id: String,
    line_number: i64,
    part_number: String,
    quantity: i64,
    state: String,
    reserved_part_number: String,
    expected_time: Option<i64>,
}

#[derive(aftercare_db::FromRow)]
struct HistoryRow {
    repair_order_id: String,
    status: String,
    change_time: i64,
    actor: String,
}

#[derive(aftercare_db::FromRow)]
struct HandoverRow {
    repair_order_id: String,
    item: String,
    done: i64,
}

fn corrupt(id: &str, what: &str) -> Error {
    Error::Internal(format!("repair order {id} has a bad {what}").into())
}

fn status(id: &str, s: &str) -> Result<Status> {
    Status::parse(s).ok_or_else(|| corrupt(id, "status"))
}

/// `SELECT … WHERE repair_order_id IN (…)` over the given ROs.
async fn children<'e, R, E>(executor: E, columns: &str, table: &str, ids: &[&str]) -> Result<Vec<R>>
where
    R: for<'r> aftercare_db::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
    E: Executor<'e, Database = Any>,
{
    let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT {columns} FROM {table} WHERE repair_order_id IN ({}) ORDER BY repair_order_id, 2",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as::<Any, R>(AssertSqlSafe(sql));
    for id in ids {
        query = query.bind(*id);
    }
    Ok(query.fetch_all(executor).await?)
}

/// The ROs of `rows` with their lines, history and handover.
async fn assemble(conn: &mut AnyConnection, rows: Vec<Row>) -> Result<Vec<RepairOrder>> {
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut labour: HashMap<String, Vec<LabourLine>> = HashMap::new();
    let labour_rows: Vec<LabourRow> = children(
        &mut *conn,
        "repair_order_id, line_number, operation_code, standard_centihours, actual_centihours, \
         technician_id, comeback",
        "repair_order_labour",
        &ids,
    )
    .await?;
    for l in labour_rows {
        labour
            .entry(l.repair_order_id)
            .or_default()
            .push(LabourLine {
                line_number: l.line_number as i32,
                operation_code: l.operation_code,
                standard_centihours: l.standard_centihours as i32,
                actual_centihours: l.actual_centihours as i32,
                technician_id: l.technician_id.map(Id::from_store),
                comeback: l.comeback != 0,
            });
    }
    let mut parts: HashMap<String, Vec<PartsLine>> = HashMap::new();
    let parts_rows: Vec<PartsRow> = children(
        &mut *conn,
        "repair_order_id, line_number, part_number, quantity, state, reserved_part_number, expected_time",
        "repair_order_parts",
        &ids,
    )
    .await?;
    for p in parts_rows {
        let state = PartsLineState::parse(&p.state)
            .ok_or_else(|| corrupt(&p.repair_order_id, "parts line state"))?;
        parts.entry(p.repair_order_id).or_default().push(PartsLine {
            line_number: p.line_number as i32,
            part_number: p.part_number,
            quantity: p.quantity,
            state,
            reserved_part_number: p.reserved_part_number,
            expected_time: p.expected_time.map(timestamp::from_micros),
        });
    }
    let mut history: HashMap<String, Vec<StatusChange>> = HashMap::new();
    let history_rows: Vec<HistoryRow> = children(
        &mut *conn,
        "repair_order_id, seq, status, change_time, actor",
        "repair_order_history",
        &ids,
    )
    .await?;
    for h in history_rows {
        let s = status(&h.repair_order_id, &h.status)?;
        history
            .entry(h.repair_order_id)
            .or_default()
            .push(StatusChange {
                status: s,
                time: timestamp::from_micros(h.change_time),
                actor: h.actor,
            });
    }
    let mut handover: HashMap<String, Vec<HandoverItem>> = HashMap::new();
    let handover_rows: Vec<HandoverRow> = children(
        &mut *conn,
        "repair_order_id, position, item, done",
        "repair_order_handover",
        &ids,
    )
    .await?;
    for h in handover_rows {
        handover
            .entry(h.repair_order_id)
            .or_default()
            .push(HandoverItem {
                item: h.item,
                done: h.done != 0,
            });
    }
    rows.into_iter()
        .map(|r| {
            let order_type =
                OrderType::parse(&r.order_type).ok_or_else(|| corrupt(&r.id, "type"))?;
            let money =
                |minor| Money::parse(&r.currency, minor).map_err(|_| corrupt(&r.id, "currency"));
            Ok(RepairOrder {
                opening: Opening {
                    station_id: Id::from_store(r.station_id),
                    vehicle_id: Id::from_store(r.vehicle_id),
                    advisor_id: Id::from_store(r.advisor_id),
                    order_type,
                    fast_lane: r.fast_lane != 0,
                    arrival_time: Some(timestamp::from_micros(r.arrival_time)),
                    promise_time: timestamp::from_micros(r.promise_time),
                    estimate: money(r.estimate_minor)?,
                    mileage_km: r.mileage_km,
                },
                status: status(&r.id, &r.status)?,
                labour: labour.remove(&r.id).unwrap_or_default(),
                parts: parts.remove(&r.id).unwrap_or_default(),
                history: history.remove(&r.id).unwrap_or_default(),
                handover: handover.remove(&r.id).unwrap_or_default(),
                comeback_of: r.comeback_of.map(Id::from_store),
                final_bill: r.final_bill_minor.map(money).transpose()?,
                approval: match (r.approval_method, r.approve_time) {
                    (Some(method), Some(t)) => Some(Approval {
                        method,
                        time: timestamp::from_micros(t),
                    }),
                    _ => None,
                },
                cancel_reason: r.cancel_reason,
                call_back_time: r.call_back_time.map(timestamp::from_micros),
                appointment_id: r.appointment_id.map(Id::from_store),
                warehouse_id: r.warehouse_id,
                dealer_id: Id::from_store(r.dealer_id),
                region_id: Id::from_store(r.region_id),
                meta: meta_from_row(r.version, r.create_time, r.update_time),
                id: Id::from_store(r.id),
            })
        })
        .collect()
}

impl Stored for RepairOrder {
    const WHAT: &'static str = WHAT;
    const CHANGE: Change = Change::Workshop;

    async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<Self>> {
        let row: Option<Row> = sqlx::query_as(select!(" WHERE r.id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        Ok(assemble(conn, row.into_iter().collect()).await?.pop())
    }

    fn place(&self) -> Place<'_> {
        Place::Station {
            region_id: self.region_id.as_str(),
            dealer_id: self.dealer_id.as_str(),
            station_id: self.opening.station_id.as_str(),
        }
    }

    fn meta(&self) -> &Meta {
        &self.meta
    }
}

/// The column that keeps the time an RO reached `status`, for the
/// standards' queries; None for a status passed through more than once.
fn moment_column(status: Status) -> Option<&'static str> {
    match status {
        Status::Opened => Some("open_time"),
        Status::InProgress => Some("start_time"),
        Status::WaitingParts => None,
        Status::Completed => Some("complete_time"),
        Status::Delivered => Some("delivery_time"),
        Status::Closed => Some("close_time"),
        Status::Cancelled => Some("cancel_time"),
    }
}

/// A page of the ROs in `scope` whose station, vehicle and status are
/// `values` (empty for any), by id, with their lines and history.
pub(crate) async fn list(
    conn: &mut AnyConnection,
    scope: &ListScope,
    values: &[&str; 3],
    page: &PageRequest,
) -> Result<Vec<RepairOrder>> {
    let mut query = ListQuery::new(select!(), vec![]);
    query
        .scope(
            scope,
            ScopeColumns {
                region: "d.region_id",
                dealer: "r.dealer_id",
                station: Some("r.station_id"),
            },
        )
        .filter("r.station_id", values[0])
        .filter("r.vehicle_id", values[1])
        .filter("r.status", values[2]);
    let rows: Vec<Row> = query
        .page(
            &mut *conn,
            "r.id",
            page.after.clone().map(Arg::Text),
            page.fetch_limit(),
        )
        .await?;
    assemble(conn, rows).await
}

/// The station's ROs in work (of one advisor's, when `advisor_id` is set):
/// a station has tens at a time, not thousands.
pub(crate) async fn open_work_at(
    conn: &mut AnyConnection,
    station_id: &str,
    advisor_id: &str,
) -> Result<Vec<RepairOrder>> {
    let open_work =
        [Status::Opened, Status::InProgress, Status::WaitingParts].map(|s| s.as_str().to_owned());
    let mut query = ListQuery::new(select!(), vec![]);
    query
        .eq("r.station_id", station_id)
        .any_of("r.status", &open_work)
        .filter("r.advisor_id", advisor_id);
    let rows: Vec<Row> = query.page(&mut *conn, "r.id", None, 10_000).await?;
    assemble(conn, rows).await
}

/// Writes a new RO with its first status change.
pub(crate) async fn insert(tx: &mut Tx, ro: &RepairOrder) -> Result<()> {
    let arrival = ro.arrival_time();
    let now = ro.meta.create_time;
    let o = &ro.opening;
    sqlx::query(
        "INSERT INTO repair_orders (id, station_id, dealer_id, vehicle_id, advisor_id, order_type, fast_lane, \
         status, currency, estimate_minor, mileage_km, arrival_time, promise_time, open_time, appointment_id, \
         version, create_time, update_time) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
    )
    .bind(ro.id.as_str())
    .bind(o.station_id.as_str())
    .bind(ro.dealer_id.as_str())
    .bind(o.vehicle_id.as_str())
    .bind(o.advisor_id.as_str())
    .bind(o.order_type.as_str())
    .bind(i64::from(o.fast_lane))
    .bind(ro.status.as_str())
    .bind(o.estimate.currency.as_str())
    .bind(o.estimate.minor_units)
    .bind(o.mileage_km)
    .bind(timestamp::to_micros(arrival))
    .bind(timestamp::to_micros(o.promise_time))
    .bind(timestamp::to_micros(now))
    .bind(ro.appointment_id.as_ref().map(Id::as_str))
    .bind(ro.meta.version)
    .bind(timestamp::to_micros(ro.meta.create_time))
    .bind(timestamp::to_micros(ro.meta.update_time))
    .execute(&mut **tx)
    .await
    .map_err(|e| on_write_error(e, &[("repair_orders", format!("repair order {} already exists", ro.id))]))?;
    insert_history(tx, &ro.id, 0, &ro.history[0]).await?;
    Ok(())
}

async fn insert_history(tx: &mut Tx, id: &Id, seq: usize, change: &StatusChange) -> Result<()> {
    sqlx::query(
        "INSERT INTO repair_order_history (repair_order_id, seq, status, change_time, actor) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id.as_str())
    .bind(seq as i64)
    .bind(change.status.as_str())
    .bind(timestamp::to_micros(change.time))
    .bind(&change.actor)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The RO `old` with its row locked against concurrent changes: the
/// version bumped in `tx`, the update stamped `now`; ABORTED when it moved
/// on since it was read.
pub(crate) async fn lock_row(tx: &mut Tx, old: RepairOrder, now: i64) -> Result<RepairOrder> {
    let id = old.id.as_str();
    let meta = next_meta(&old.meta, now);
    let rows = sqlx::query(
        "UPDATE repair_orders SET version = $1, update_time = $2 WHERE id = $3 AND version = $4",
    )
    .bind(meta.version)
    .bind(timestamp::to_micros(meta.update_time))
    .bind(id)
    .bind(old.meta.version)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    expect_one(rows, WHAT, id)?;
    Ok(RepairOrder { meta, ..old })
}

/// Moves a locked RO to `status` now, recording the change and its moment.
pub(crate) async fn record_status(
    tx: &mut Tx,
    ro: &mut RepairOrder,
    status: Status,
    actor: &str,
    zone: &OemZone,
) -> Result<()> {
    let change = StatusChange {
        status,
        time: ro.meta.update_time,
        actor: actor.to_owned(),
    };
    let moment = match moment_column(status) {
        // The first time only: a resumed RO keeps the time work started.
        Some(column) => format!(", {column} = COALESCE({column}, $2)"),
        None => String::new(),
    };
    sqlx::query(AssertSqlSafe(format!(
        "UPDATE repair_orders SET status = $1{moment} WHERE id = $3"
    )))
    .bind(status.as_str())
    .bind(timestamp::to_micros(change.time))
    .bind(ro.id.as_str())
    .execute(&mut **tx)
    .await?;
    insert_history(tx, &ro.id, ro.history.len(), &change).await?;
    let before = ro.times();
    ro.status = status;
    ro.history.push(change);
    super::compliance::record(tx, Some(&before), ro, zone).await
}

pub(crate) async fn set_parts_state(
    tx: &mut Tx,
    ro: &mut RepairOrder,
    line_number: i32,
    state: PartsLineState,
    reserved: Option<(&str, Option<OffsetDateTime>)>,
) -> Result<()> {
    let line = ro
        .parts
        .iter_mut()
        .find(|l| l.line_number == line_number)
        .ok_or_else(|| corrupt(ro.id.as_str(), "parts line"))?;
    line.state = state;
    if let Some((part, expected)) = reserved {
        line.reserved_part_number = part.to_owned();
        line.expected_time = expected;
    }
    sqlx::query(
        "UPDATE repair_order_parts SET state = $1, reserved_part_number = $2, expected_time = $3 \
         WHERE repair_order_id = $4 AND line_number = $5",
    )
    .bind(state.as_str())
    .bind(&line.reserved_part_number)
    .bind(line.expected_time.map(timestamp::to_micros))
    .bind(ro.id.as_str())
    .bind(i64::from(line_number))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(crate) async fn insert_labour(
    tx: &mut Tx,
    ro: &Id,
    line: &LabourLine,
    required_certification: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO repair_order_labour (repair_order_id, line_number, operation_code, standard_centihours, \
         actual_centihours, technician_id, comeback, required_certification) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(ro.as_str())
    .bind(i64::from(line.line_number))
    .bind(&line.operation_code)
    .bind(i64::from(line.standard_centihours))
    .bind(i64::from(line.actual_centihours))
    .bind(line.technician_id.as_ref().map(Id::as_str))
    .bind(i64::from(line.comeback))
    .bind(required_certification)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(crate) async fn insert_parts(tx: &mut Tx, ro: &Id, line: &PartsLine) -> Result<()> {
    sqlx::query(
        "INSERT INTO repair_order_parts (repair_order_id, line_number, part_number, quantity, state, \
         reserved_part_number, expected_time) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(ro.as_str())
    .bind(i64::from(line.line_number))
    .bind(&line.part_number)
    .bind(line.quantity)
    .bind(line.state.as_str())
    .bind(&line.reserved_part_number)
    .bind(line.expected_time.map(timestamp::to_micros))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The latest earlier RO of the same vehicle with `operation_code`,
/// delivered before `ro` opened, if it makes `ro` a comeback.
pub(crate) async fn comeback_of(
    tx: &mut Tx,
    ro: &RepairOrder,
    operation_code: &str,
    window_days: i64,
) -> Result<Option<Id>> {
    let opened = ro.open_time();
    let earlier: Option<(String, i64)> = sqlx::query_as(
        "SELECT r.id, r.delivery_time FROM repair_orders r \
         JOIN repair_order_labour l ON l.repair_order_id = r.id \
         WHERE r.vehicle_id = $1 AND r.delivery_time <= $2 AND r.id <> $3 AND l.operation_code = $4 \
         ORDER BY r.delivery_time DESC LIMIT 1",
    )
    .bind(ro.opening.vehicle_id.as_str())
    .bind(timestamp::to_micros(opened))
    .bind(ro.id.as_str())
    .bind(operation_code)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(earlier
        .filter(|(_, delivered)| {
            is_comeback(timestamp::from_micros(*delivered), opened, window_days)
        })
        .map(|(id, _)| Id::from_store(id)))
}

/// The earlier RO whose work the RO comes back for.
pub(crate) async fn set_comeback_of(tx: &mut Tx, id: &Id, earlier: &Id) -> Result<()> {
    sqlx::query("UPDATE repair_orders SET comeback_of = $1 WHERE id = $2")
        .bind(earlier.as_str())
        .bind(id.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Where the RO's parts lines reserve.
pub(crate) async fn set_warehouse(tx: &mut Tx, id: &Id, warehouse_id: &str) -> Result<()> {
    sqlx::query("UPDATE repair_orders SET warehouse_id = $1 WHERE id = $2")
        .bind(warehouse_id)
        .bind(id.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The certification labour line `line_number` of the RO asks for.
pub(crate) async fn required_certification(
    tx: &mut Tx,
    id: &Id,
    line_number: i32,
) -> Result<String> {
    let (required,): (String,) = sqlx::query_as(
        "SELECT required_certification FROM repair_order_labour \
         WHERE repair_order_id = $1 AND line_number = $2",
    )
    .bind(id.as_str())
    .bind(i64::from(line_number))
    .fetch_one(&mut **tx)
    .await?;
    Ok(required)
}

/// The hours a technician recorded on labour line `line_number`.
pub(crate) async fn set_labour_time(
    tx: &mut Tx,
    id: &Id,
    line_number: i32,
    actual_centihours: i32,
    technician_id: &Id,
) -> Result<()> {
    sqlx::query(
        "UPDATE repair_order_labour SET actual_centihours = $1, technician_id = $2 \
         WHERE repair_order_id = $3 AND line_number = $4",
    )
    .bind(i64::from(actual_centihours))
    .bind(technician_id.as_str())
    .bind(id.as_str())
    .bind(i64::from(line_number))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(crate) async fn set_call_back(tx: &mut Tx, id: &Id, at: OffsetDateTime) -> Result<()> {
    sqlx::query("UPDATE repair_orders SET call_back_time = $1 WHERE id = $2")
        .bind(timestamp::to_micros(at))
        .bind(id.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub(crate) async fn set_cancel_reason(tx: &mut Tx, id: &Id, reason: &str) -> Result<()> {
    sqlx::query("UPDATE repair_orders SET cancel_reason = $1 WHERE id = $2")
        .bind(reason)
        .bind(id.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The final bill, the customer's approval and the handover of a delivery.
pub(crate) async fn set_delivery(
    tx: &mut Tx,
    id: &Id,
    final_bill: &Money,
    approval: Option<&Approval>,
    handover: &[HandoverItem],
) -> Result<()> {
    sqlx::query(
        "UPDATE repair_orders SET final_bill_minor = $1, approval_method = $2, approve_time = $3 \
         WHERE id = $4",
    )
    .bind(final_bill.minor_units)
    .bind(approval.map(|a| a.method.as_str()))
    .bind(approval.map(|a| timestamp::to_micros(a.time)))
    .bind(id.as_str())
    .execute(&mut **tx)
    .await?;
    for (position, item) in handover.iter().enumerate() {
        sqlx::query(
            "INSERT INTO repair_order_handover (repair_order_id, position, item, done) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id.as_str())
        .bind(position as i64)
        .bind(&item.item)
        .bind(i64::from(item.done))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
