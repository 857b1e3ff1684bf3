//! What the network has of a part, what a warehouse should order, and the
//! first-time fill rate.

use aftercare_auth::{Principal, Scope};
use aftercare_db::timestamp;
use aftercare_values::{PageRequest, Period};

use super::{area, warehouses::visible};
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
    store::{self, parts::PART},
};

/// A warehouse's available quantity of a part, with the warehouse when the
/// caller may know whose it is.
#[derive(Debug, Clone)]
pub(crate) struct Availability {
    pub(crate) warehouse: Warehouse,
    pub(crate) owner_shown: bool,
    pub(crate) available: i64,
}

/// What the network has of a part: the first warehouses holding it, with
/// how many hold it and how much they hold in all.
#[derive(Debug, Clone)]
pub(crate) struct NetworkAvailability {
    pub(crate) warehouses: Vec<Availability>,
    pub(crate) warehouses_holding: i64,
    pub(crate) total_available: i64,
}

/// A part to order for a warehouse.
#[derive(Debug, Clone)]
pub(crate) struct Suggestion {
    pub(crate) level: StockLevel,
    pub(crate) from_warehouse_id: Option<NetworkId>,
    pub(crate) quantity: i64,
    pub(crate) position: i64,
}

area!(
    /// Reports on the stock: availability, replenishment, fill rate.
    Reports
);

impl Reports {
    /// The first `max_warehouses` warehouses holding `part` available, most
    /// first, and the totals over all of them.
    pub(crate) async fn part_availability(
        &self,
        caller: &Principal,
        part: &PartNumber,
        max_warehouses: u32,
    ) -> Result<NetworkAvailability> {
        access::check_read(caller).map_err(|d| Error::denied(d, PART, part.as_str()))?;
        let mut conn = self.cx.db.pool().acquire().await?;
        store::parts::existing(&mut conn, part.as_str(), self.cx.clock.now_micros()).await?;
        let holding = store::warehouses::holding(&mut conn, part.as_str(), max_warehouses).await?;
        let shown = self.cx.show_availability_owners;
        Ok(NetworkAvailability {
            warehouses: holding
                .first
                .into_iter()
                .map(|(warehouse, available)| Availability {
                    owner_shown: access::sees_owner(caller, &warehouse, shown),
                    warehouse,
                    available,
                })
                .collect(),
            warehouses_holding: holding.count,
            total_available: holding.total,
        })
    }

    /// The parts of a warehouse at or below their reorder point.
    pub(crate) async fn replenishment(
        &self,
        caller: &Principal,
        warehouse_id: &NetworkId,
        page: &PageRequest,
    ) -> Result<Vec<Suggestion>> {
        let mut conn = self.cx.db.pool().acquire().await?;
        let w = visible(&mut conn, caller, warehouse_id, access::check_see).await?;
        // The rows `replenishment::suggestion` orders for.
        let levels = store::stock::list(&mut conn, warehouse_id, true, page).await?;
        Ok(levels
            .into_iter()
            .filter_map(|level| {
                let levels = Levels {
                    on_hand: level.stock.on_hand,
                    reserved: level.stock.reserved,
                    inbound: level.inbound,
                    reorder_point: level.levels.reorder_point,
                    max: level.levels.max_quantity,
                };
                let quantity = replenishment::suggestion(&levels)?;
                Some(Suggestion {
                    position: level.stock.on_hand - level.stock.reserved + level.inbound,
                    level,
                    from_warehouse_id: w.parent.clone(),
                    quantity: quantity.get(),
                })
            })
            .collect())
    }

    /// The first-time fill rate of the lines asked in `period` (in the
    /// OEM's time zone) of a dealer, a region or the network.
    pub(crate) async fn fill_rate(
        &self,
        caller: &Principal,
        dealer_id: Option<&NetworkId>,
        region_id: Option<&NetworkId>,
        period: &Period,
    ) -> Result<FillRate> {
        let (from, to) = self.cx.zone.period_bounds(period);
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
        let (asked, served) =
            store::reports::lines_served(&self.cx.db, from, to, dealer, region).await?;
        Ok(FillRate {
            lines_asked: asked as u64,
            lines_served_at_once: served as u64,
        })
    }
}
