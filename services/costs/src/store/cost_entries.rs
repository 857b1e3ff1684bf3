//! Cost entries: written once, read back by id or listed newest first.

use aftercare_db::{
    Db, FromRow, Tx,
    insert::insert_all,
    list::{Arg, ListQuery},
};
use sqlx::AnyConnection;

use super::corrupt;
use crate::{
    domain::{
        control_access::View,
        cost_entry::{Behaviour, Category, CostEntry, Driver},
        scope::Place,
    },
    error::Result,
};

const COLUMNS: &str = "id, station_id, dealer_id, region_id, month, category, behaviour, \
     amount, fixed_amount, driver_name, driver_quantity, description, created_by, create_time";

#[derive(FromRow)]
struct Row {
    id: String,
    station_id: String,
    dealer_id: String,
    region_id: String,
    month: String,
    category: String,
    behaviour: String,
    amount: i64,
    fixed_amount: i64,
    driver_name: String,
    driver_quantity: i64,
    description: String,
    created_by: String,
    create_time: i64,
}

impl TryFrom<Row> for CostEntry {
    type Error = crate::Error;

    fn try_from(r: Row) -> Result<Self> {
        let bad = |what: &str| corrupt(format!("cost entry {}: bad {what}", r.id));
        Ok(CostEntry {
            month: r.month.parse().map_err(|_| bad("month"))?,
            category: Category::parse(&r.category).ok_or_else(|| bad("category"))?,
            behaviour: Behaviour::parse(&r.behaviour).ok_or_else(|| bad("behaviour"))?,
            driver: (!r.driver_name.is_empty()).then(|| Driver {
                name: r.driver_name.clone(),
                quantity: r.driver_quantity,
            }),
            place: Place {
                station_id: r.station_id,
                dealer_id: r.dealer_id,
                region_id: r.region_id,
            },
            amount: r.amount,
            fixed: r.fixed_amount,
            description: r.description,
            created_by: r.created_by,
            create_time: r.create_time,
            id: r.id,
        })
    }
}

fn args(e: &CostEntry) -> Vec<Arg> {
    let (driver_name, driver_quantity) = e
        .driver
        .as_ref()
        .map_or((String::new(), 0), |d| (d.name.clone(), d.quantity));
    vec![
        Arg::Text(e.id.clone()),
        Arg::Text(e.place.station_id.clone()),
        Arg::Text(e.place.dealer_id.clone()),
        Arg::Text(e.place.region_id.clone()),
        Arg::Text(e.month.to_string()),
        Arg::Text(e.category.as_str().into()),
        Arg::Text(e.behaviour.as_str().into()),
        Arg::Int(e.amount),
        Arg::Int(e.fixed),
        Arg::Text(driver_name),
        Arg::Int(driver_quantity),
        Arg::Text(e.description.clone()),
        Arg::Text(e.created_by.clone()),
        Arg::Int(e.create_time),
    ]
}

/// Writes `entries`, a few hundred rows a statement.
pub(crate) async fn insert(tx: &mut Tx, entries: &[CostEntry]) -> Result<()> {
    let rows: Vec<Vec<Arg>> = entries.iter().map(args).collect();
    if rows.is_empty() {
        return Ok(());
    }
    insert_all(
        tx,
        "INSERT INTO cost_entries (id, station_id, dealer_id, region_id, month, category, \
         behaviour, amount, fixed_amount, driver_name, driver_quantity, description, \
         created_by, create_time)",
        "",
        &rows,
    )
    .await?;
    Ok(())
}

pub(crate) async fn get(conn: &mut AnyConnection, id: &str) -> Result<Option<CostEntry>> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, station_id, dealer_id, region_id, month, category, behaviour, amount, \
         fixed_amount, driver_name, driver_quantity, description, created_by, create_time \
         FROM cost_entries WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.map(TryInto::try_into).transpose()
}

/// What a list asks for: the rows a caller sees, narrowed by the filters.
#[derive(Debug, Clone)]
pub(crate) struct Filter {
    pub(crate) view: View,
    /// A column (`station_id`, `dealer_id`, `region_id`) and its value.
    pub(crate) place: Option<(&'static str, String)>,
    /// The first and last month, as `2026-01`.
    pub(crate) months: Option<(String, String)>,
    pub(crate) category: Option<Category>,
}

/// A page of entries, newest first, after the entry (`create_time`, `id`)
/// of the last page.
pub(crate) async fn list(
    db: &Db,
    filter: &Filter,
    after: Option<(i64, String)>,
    limit: i64,
) -> Result<Vec<CostEntry>> {
    let mut q = ListQuery::new(&format!("SELECT {COLUMNS} FROM cost_entries"), vec![]);
    match &filter.view {
        View::All => {}
        View::Region(region) => {
            q.eq("region_id", region.as_str());
        }
        View::Dealer {
            dealer_id,
            station_ids,
        } => {
            q.eq("dealer_id", dealer_id.as_str());
            if !station_ids.is_empty() {
                q.any_of("station_id", station_ids);
            }
        }
        View::Nothing => return Ok(vec![]),
    }
    if let Some((column, value)) = &filter.place {
        q.eq(column, value.as_str());
    }
    if let Some((first, last)) = &filter.months {
        q.and(
            "month >= ? AND month <= ?",
            vec![first.as_str().into(), last.as_str().into()],
        );
    }
    if let Some(category) = filter.category {
        q.eq("category", category.as_str());
    }
    if let Some((time, id)) = after {
        q.and(
            "create_time < ? OR (create_time = ? AND id < ?)",
            vec![time.into(), time.into(), id.into()],
        );
    }
    let rows: Vec<Row> = q
        .fetch(db.pool(), "create_time DESC, id DESC", Some(limit))
        .await?;
    rows.into_iter().map(TryInto::try_into).collect()
}
