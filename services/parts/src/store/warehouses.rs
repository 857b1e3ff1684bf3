//! Warehouses: one row each, with their owner and parent.

use aftercare_db::{
    Tx,
    list::{Arg, ListQuery},
};
use aftercare_edge::resource::on_write_error;
use aftercare_values::PageRequest;
use sqlx::AnyConnection;

use crate::{
    domain::{
        access::Visible,
        catalogue::DisplayName,
        warehouse::{Kind, NetworkId, StationClass, Warehouse},
    },
    error::{Error, Result},
};

pub(crate) const WAREHOUSE: &str = "warehouse";

const SELECT: &str = "SELECT warehouse_id, display_name, kind, region_id, dealer_id, station_id, \
     station_class, parent_warehouse_id, lead_time_days, create_time FROM warehouses";

#[derive(aftercare_db::FromRow)]
struct Row {
    warehouse_id: String,
    display_name: String,
    kind: String,
    region_id: Option<String>,
    dealer_id: Option<String>,
    station_id: Option<String>,
    station_class: Option<String>,
    parent_warehouse_id: Option<String>,
    lead_time_days: i64,
    create_time: i64,
}

impl TryFrom<Row> for Warehouse {
    type Error = Error;

    fn try_from(r: Row) -> Result<Self> {
        let id = |v: Option<String>| v.map(NetworkId::from_store);
        let station_class = r
            .station_class
            .map(|c| {
                StationClass::parse(&c)
                    .ok_or_else(|| Error::Internal(format!("stored station class {c:?}").into()))
            })
            .transpose()?;
        Ok(Warehouse {
            kind: Kind::parse(&r.kind)
                .ok_or_else(|| Error::Internal(format!("stored kind {:?}", r.kind).into()))?,
            id: NetworkId::from_store(r.warehouse_id),
            display_name: DisplayName::from_store(r.display_name),
            region_id: id(r.region_id),
            dealer_id: id(r.dealer_id),
            station_id: id(r.station_id),
            station_class,
            parent: id(r.parent_warehouse_id),
            lead_time_days: r.lead_time_days,
            create_time: r.create_time,
        })
    }
}

/// The warehouse `id`, whoever asks.
pub(crate) async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<Warehouse>> {
    find_where(conn, "warehouse_id", id).await
}

/// The warehouse serving station `station_id`.
pub(crate) async fn of_station(
    conn: &mut AnyConnection,
    station_id: &NetworkId,
) -> Result<Option<Warehouse>> {
    find_where(conn, "station_id", station_id.as_str()).await
}

/// The warehouse whose `column` (a unique one) is `value`.
async fn find_where(
    conn: &mut AnyConnection,
    column: &'static str,
    value: &str,
) -> Result<Option<Warehouse>> {
    let row: Option<Row> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE {column} = $1")))
            .bind(value)
            .fetch_optional(conn)
            .await?;
    row.map(Warehouse::try_from).transpose()
}

/// The warehouses holding `part` available, with the quantity, most
/// first.
pub(crate) async fn holding(conn: &mut AnyConnection, part: &str, limit: u32) -> Result<Holding> {
    #[derive(aftercare_db::FromRow)]
    struct HoldingRow {
        #[sqlx(flatten)]
        warehouse: Row,
        available: i64,
        // Over every warehouse holding the part, not only the listed ones.
        holding: i64,
        total: i64,
    }
    let rows: Vec<HoldingRow> = sqlx::query_as(
        "SELECT w.warehouse_id, w.display_name, w.kind, w.region_id, w.dealer_id, w.station_id, \
         w.station_class, w.parent_warehouse_id, w.lead_time_days, w.create_time, s.on_hand - s.reserved AS available, \
         COUNT(*) OVER () AS holding, CAST(SUM(s.on_hand - s.reserved) OVER () AS BIGINT) AS total \
         FROM stock s JOIN warehouses w ON w.warehouse_id = s.warehouse_id \
         WHERE s.part_number = $1 AND s.on_hand > s.reserved \
         ORDER BY s.on_hand - s.reserved DESC, w.warehouse_id LIMIT $2",
    )
    .bind(part)
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?;
    let (count, total) = rows.first().map_or((0, 0), |r| (r.holding, r.total));
    Ok(Holding {
        count,
        total,
        first: rows
            .into_iter()
            .map(|h| Ok((h.warehouse.try_into()?, h.available)))
            .collect::<Result<_>>()?,
    })
}

/// The warehouses holding a part available: how many, how much in all,
/// and the first of them, most available first.
pub(crate) struct Holding {
    pub(crate) count: i64,
    pub(crate) total: i64,
    pub(crate) first: Vec<(Warehouse, i64)>,
}

/// The warehouses above `w`, nearest first.
pub(crate) async fn ancestors(conn: &mut AnyConnection, w: &Warehouse) -> Result<Vec<Warehouse>> {
    let mut chain: Vec<Warehouse> = vec![];
    let mut next = w.parent.clone();
    // Two levels at most above a dealer; the bound guards stored data.
    while let Some(id) = next
        && chain.len() < 3
    {
        let Some(parent) = find(conn, id.as_str()).await? else {
            break;
        };
        next = parent.parent.clone();
        chain.push(parent);
    }
    Ok(chain)
}

/// The warehouses of `visible`, of `region_id` and `dealer_id` when not
/// empty, only those serving a station when `stations_only`, ordered by id.
pub(crate) async fn list(
    conn: &mut AnyConnection,
    visible: Visible<'_>,
    region_id: &str,
    dealer_id: &str,
    stations_only: bool,
    page: &PageRequest,
) -> Result<Vec<Warehouse>> {
    let mut query = ListQuery::new(SELECT, vec![]);
    query
        .filter("region_id", region_id)
        .filter("dealer_id", dealer_id);
    if stations_only {
        query.and("station_id IS NOT NULL", vec![]);
    }
    match visible {
        Visible::All => {}
        Visible::Region(region_id) => {
            query.and("kind = 'central' OR region_id = ?", vec![region_id.into()]);
        }
        Visible::Dealer {
            dealer_id,
            station_ids,
        } => {
            query.eq("dealer_id", dealer_id);
            if !station_ids.is_empty() {
                let marks = vec!["?"; station_ids.len()].join(", ");
                query.and(
                    &format!("station_id IS NULL OR station_id IN ({marks})"),
                    station_ids.iter().map(|s| s.as_str().into()).collect(),
                );
            }
        }
    }
    let rows: Vec<Row> = query
        .page(
            conn,
            "warehouse_id",
            page.after.clone().map(Arg::Text),
            page.fetch_limit(),
        )
        .await?;
    rows.into_iter().map(Warehouse::try_from).collect()
}

/// Stores a new warehouse.
pub(crate) async fn insert(tx: &mut Tx, w: &Warehouse) -> Result<()> {
    let id = |v: &Option<NetworkId>| v.as_ref().map(|v| v.as_str().to_owned());
    sqlx::query(
        "INSERT INTO warehouses (warehouse_id, display_name, kind, region_id, dealer_id, station_id, \
         station_class, parent_warehouse_id, lead_time_days, create_time) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(w.id.as_str())
    .bind(w.display_name.as_str())
    .bind(w.kind.as_str())
    .bind(id(&w.region_id))
    .bind(id(&w.dealer_id))
    .bind(id(&w.station_id))
    .bind(w.station_class.map(StationClass::as_str))
    .bind(id(&w.parent))
    .bind(w.lead_time_days)
    .bind(w.create_time)
    .execute(&mut **tx)
    .await
    .map_err(|e| {
        on_write_error(
            e,
            &[(
                "warehouses",
                format!("warehouse {} or a warehouse of its station already exists", w.id),
            )],
        )
    })?;
    Ok(())
}
