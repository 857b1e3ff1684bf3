//! The cost records of delivered ROs.

use aftercare_db::{
    Tx,
    list::{Arg, ListQuery},
};
use sqlx::AnyConnection;

use super::corrupt;
use crate::{
    domain::{costing::RepairOrderCost, delivered::OrderType, scope::Place},
    error::Result,
};

pub(crate) const REPAIR_ORDER_COST: &str = "repair order cost";

macro_rules! columns {
    () => {
        "repair_order_id, station_id, dealer_id, region_id, order_type, comeback, \
         arrival_time, delivery_time, labour_lines, parts_lines, labour_cost, parts_cost, bill, \
         labour_rate_missing"
    };
}

fn order_type_str(t: OrderType) -> &'static str {
    match t {
        OrderType::Maintenance => "maintenance",
        OrderType::Repair => "repair",
        OrderType::Warranty => "warranty",
        OrderType::Recall => "recall",
    }
}

fn order_type(s: &str) -> Option<OrderType> {
    Some(match s {
        "maintenance" => OrderType::Maintenance,
        "repair" => OrderType::Repair,
        "warranty" => OrderType::Warranty,
        "recall" => OrderType::Recall,
        _ => return None,
    })
}

#[derive(aftercare_db::FromRow)]
struct Row {
    repair_order_id: String,
    station_id: String,
    dealer_id: String,
    region_id: String,
    order_type: String,
    comeback: i64,
    arrival_time: i64,
    delivery_time: i64,
    labour_lines: String,
    parts_lines: String,
    labour_cost: i64,
    parts_cost: i64,
    bill: i64,
    labour_rate_missing: i64,
}

impl TryFrom<Row> for RepairOrderCost {
    type Error = crate::error::Error;

    fn try_from(r: Row) -> Result<Self> {
        let bad = |what: &str| corrupt(format!("repair order cost {}: {what}", r.repair_order_id));
        Ok(RepairOrderCost {
            order_type: order_type(&r.order_type).ok_or_else(|| bad("order type"))?,
            labour_lines: serde_json::from_str(&r.labour_lines).map_err(|_| bad("labour lines"))?,
            parts_lines: serde_json::from_str(&r.parts_lines).map_err(|_| bad("parts lines"))?,
            place: Place {
                station_id: r.station_id,
                dealer_id: r.dealer_id,
                region_id: r.region_id,
            },
            comeback: r.comeback != 0,
            arrival_time: r.arrival_time,
            delivery_time: r.delivery_time,
            labour_cost: r.labour_cost,
            parts_cost: r.parts_cost,
            bill: r.bill,
            labour_rate_missing: r.labour_rate_missing != 0,
            repair_order_id: r.repair_order_id,
        })
    }
}

/// Writes the record of an RO, unless one is there already: false then
/// (another event of the same RO came first), and nothing is written.
pub(crate) async fn insert(
    tx: &mut Tx,
    c: &RepairOrderCost,
    event_id: &str,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO repair_order_costs (repair_order_id, station_id, dealer_id, region_id, \
         order_type, comeback, arrival_time, delivery_time, labour_lines, parts_lines, \
         labour_cost, parts_cost, bill, labour_rate_missing, event_id, create_time) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
         ON CONFLICT (repair_order_id) DO NOTHING",
    )
    .bind(&c.repair_order_id)
    .bind(&c.place.station_id)
    .bind(&c.place.dealer_id)
    .bind(&c.place.region_id)
    .bind(order_type_str(c.order_type))
    .bind(i64::from(c.comeback))
    .bind(c.arrival_time)
    .bind(c.delivery_time)
    .bind(json(&c.labour_lines)?)
    .bind(json(&c.parts_lines)?)
    .bind(c.labour_cost)
    .bind(c.parts_cost)
    .bind(c.bill)
    .bind(i64::from(c.labour_rate_missing))
    .bind(event_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Lines as stored: JSON.
fn json<T: serde::Serialize>(lines: &[T]) -> Result<String> {
    serde_json::to_string(lines).map_err(|e| crate::error::Error::Internal(Box::new(e)))
}

pub(crate) async fn find(
    conn: &mut AnyConnection,
    repair_order_id: &str,
) -> Result<Option<RepairOrderCost>> {
    let row: Option<Row> = sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM repair_order_costs WHERE repair_order_id = $1"
    ))
    .bind(repair_order_id)
    .fetch_optional(conn)
    .await?;
    row.map(TryInto::try_into).transpose()
}

/// What a list asks for: the caller's part of the network, the request's
/// filters, the page.
#[derive(Debug, Clone, Default)]
pub(crate) struct ListFilter {
    /// (column, value) pairs every row must match: the caller's scope and
    /// the request's.
    pub(crate) equal: Vec<(&'static str, String)>,
    /// The caller's stations, when bound to some.
    pub(crate) stations: Option<Vec<String>>,
    /// Delivered in [start, end) (micros).
    pub(crate) delivered: Option<(i64, i64)>,
    pub(crate) comebacks_only: bool,
    /// The last (delivery time, RO id) of the previous page.
    pub(crate) after: Option<(i64, String)>,
    pub(crate) limit: i64,
}

/// Records newest delivery first (then by RO id, descending).
pub(crate) async fn list(conn: &mut AnyConnection, f: &ListFilter) -> Result<Vec<RepairOrderCost>> {
    let mut q = ListQuery::new(
        concat!("SELECT ", columns!(), " FROM repair_order_costs"),
        vec![],
    );
    for (column, value) in &f.equal {
        q.eq(column, value.as_str());
    }
    if let Some(stations) = &f.stations {
        q.any_of("station_id", stations);
    }
    if let Some((start, end)) = f.delivered {
        q.and(
            "delivery_time >= ? AND delivery_time < ?",
            vec![Arg::Int(start), Arg::Int(end)],
        );
    }
    if f.comebacks_only {
        q.and("comeback = ?", vec![Arg::Int(1)]);
    }
    if let Some((time, id)) = &f.after {
        q.and(
            "delivery_time < ? OR (delivery_time = ? AND repair_order_id < ?)",
            vec![Arg::Int(*time), Arg::Int(*time), Arg::Text(id.clone())],
        );
    }
    let rows: Vec<Row> = q
        .fetch(
            conn,
            "delivery_time DESC, repair_order_id DESC",
            Some(f.limit),
        )
        .await?;
    rows.into_iter().map(TryInto::try_into).collect()
}
