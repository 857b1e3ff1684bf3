//! What the network has of a part, what a warehouse should order, and the
//! first-time fill rate.

use aftercare_auth::{Principal, Scope};
use aftercare_db::{
    list::{Arg, ListQuery},
    timestamp,
};
use aftercare_values::{PageRequest, Period};

use super::{
    Store,
    ledger::{COLUMNS, StockRow},
    warehouses,
};
use crate::{
    domain::{
        access,
        catalogue::PartNumber,
        fill_rate::FillRate,
        levels::StockLevel,
        replenishment::{self, Levels},
        warehouse::{NetworkId, Warehouse},
    },
    error::{Error, Result},
};

/// A warehouse's available quantity of a part, with the warehouse when the
/// caller may know whose it is.
#[derive(Debug, Clone)]
pub struct Availability {
    pub warehouse: Warehouse,
    pub owner_shown: bool,
    pub available: i64,
}

/// A part to order for a warehouse.
#[derive(Debug, Clone)]
pub struct Suggestion {
    pub level: StockLevel,
    pub from_warehouse_id: Option<NetworkId>,
    pub quantity: i64,
    pub position: i64,
}

impl Store {
    /// The warehouses holding `part` available, most first.
    pub async fn part_availability(
        &self,
        caller: &Principal,
        part: &PartNumber,
    ) -> Result<Vec<Availability>> {
        access::check_read(caller).map_err(|d| Error::denied(d, "part", part.as_str()))?;
        let mut conn = self.db.pool().acquire().await?;
        super::parts::existing(&mut conn, part.as_str(), self.clock.now_micros()).await?;
        let holding = warehouses::holding(&mut conn, part.as_str()).await?;
        Ok(holding
            .into_iter()
            .map(|(warehouse, available)| Availability {
                owner_shown: access::sees_owner(caller, &warehouse, self.show_availability_owners),
                warehouse,
                available,
            })
            .collect())
    }

    /// The parts of a warehouse at or below their reorder point.
    pub async fn replenishment(
        &self,
        caller: &Principal,
        warehouse_id: &NetworkId,
        page: &PageRequest,
    ) -> Result<Vec<Suggestion>> {
        let mut conn = self.db.pool().acquire().await?;
        let w = warehouses::visible(&mut conn, caller, warehouse_id, access::check_see).await?;
        let mut query = ListQuery::new(&format!("SELECT {COLUMNS} FROM stock"), vec![]);
        // The rows `replenishment::suggestion` orders for, picked by the
        // index: a page must not lose rows to a filter after the fetch.
        query.eq("warehouse_id", warehouse_id.as_str()).and(
            "on_hand - reserved + inbound <= reorder_point \
             AND on_hand - reserved + inbound < max_quantity",
            vec![],
        );
        let rows: Vec<StockRow> = query
            .page(
                &mut *conn,
                "part_number",
                page.after.clone().map(Arg::Text),
                page.fetch_limit(),
            )
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let levels = Levels {
                    on_hand: row.on_hand,
                    reserved: row.reserved,
                    inbound: row.inbound,
                    reorder_point: row.reorder_point,
                    max: row.max_quantity,
                };
                let quantity = replenishment::suggestion(&levels)?;
                Some(Suggestion {
                    position: row.on_hand - row.reserved + row.inbound,
                    level: row.into(),
                    from_warehouse_id: w.parent.clone(),
                    quantity: quantity.get(),
                })
            })
            .collect())
    }

    /// The first-time fill rate of the lines asked in `period` (in the
    /// OEM's time zone) of a dealer, a region or the network.
    pub async fn fill_rate(
        &self,
        caller: &Principal,
        dealer_id: Option<&NetworkId>,
        region_id: Option<&NetworkId>,
        period: &Period,
    ) -> Result<FillRate> {
        let (from, to) = self.zone.period_bounds(period);
        let (from, to) = (timestamp::to_micros(from), timestamp::to_micros(to));
        let (dealer, region) = (
            dealer_id.map(NetworkId::as_str),
            region_id.map(NetworkId::as_str),
        );
        access::check_report(caller, dealer, region).map_err(|d| Error::denied(d, "report", ""))?;
        // A region reads only the lines of its own region.
        let region = match &caller.scope {
            Scope::Region { region_id } => Some(region_id.as_str()),
            _ => region,
        };
        let mut sql = String::from(
            "SELECT COUNT(*), CAST(COALESCE(SUM(served_at_once), 0) AS BIGINT) FROM reservations \
             WHERE create_time >= $1 AND create_time < $2",
        );
        let mut args = vec![];
        for (column, value) in [("dealer_id", dealer), ("region_id", region)] {
            if let Some(v) = value {
                args.push(v);
                sql.push_str(&format!(" AND {column} = ${}", args.len() + 2));
            }
        }
        let mut query = sqlx::query_as::<_, (i64, i64)>(sqlx::AssertSqlSafe(sql))
            .bind(from)
            .bind(to);
        for a in args {
            query = query.bind(a);
        }
        let (asked, served) = query.fetch_one(self.db.pool()).await?;
        Ok(FillRate {
            lines_asked: asked as u64,
            lines_served_at_once: served as u64,
        })
    }
}
