//! Warehouses: created by head office or a region, read by those who see
//! them; and the warehouse every stock use case starts from, seen by the
//! caller or NOT_FOUND.

use aftercare_auth::{Denied, Principal};
use aftercare_values::PageRequest;
use sqlx::AnyConnection;

use super::{Caller, area, begin, commit};
use crate::{
    domain::{
        access,
        warehouse::{NetworkId, Warehouse},
    },
    error::{Error, Result},
    store::{self, warehouses::WAREHOUSE},
};

area!(
    /// Warehouses.
    Warehouses
);

impl Warehouses {
    pub(crate) async fn get_warehouse(
        &self,
        caller: &Principal,
        id: &NetworkId,
    ) -> Result<Warehouse> {
        let mut conn = self.cx.db.pool().acquire().await?;
        visible(&mut conn, caller, id, access::check_see).await
    }

    pub(crate) async fn list_warehouses(
        &self,
        caller: &Principal,
        region_id: &str,
        dealer_id: &str,
        page: &PageRequest,
    ) -> Result<Vec<Warehouse>> {
        let mut conn = self.cx.db.pool().acquire().await?;
        list(&mut conn, caller, region_id, dealer_id, false, page).await
    }

    pub(crate) async fn create_warehouse(
        &self,
        caller: &Caller,
        mut w: Warehouse,
    ) -> Result<Warehouse> {
        access::check_create(&caller.principal, &w)
            .map_err(|d| Error::denied(d, WAREHOUSE, w.id.as_str()))?;
        let mut tx = begin!(self.cx, caller);
        if let Some(parent_id) = &w.parent {
            let parent = store::warehouses::find(&mut tx, parent_id.as_str())
                .await?
                .ok_or_else(|| {
                    Error::invalid("warehouse.parent_warehouse_id", "no such warehouse")
                })?;
            w.check_parent(&parent)
                .map_err(|e| Error::invalid(&format!("warehouse.{}", e.field()), e.to_string()))?;
        }
        w.create_time = self.cx.clock.now_micros();
        store::warehouses::insert(&mut tx, &w).await?;
        commit(tx, caller, w).await
    }
}

/// The warehouse `id` if `caller` sees it, else NOT_FOUND; then `check`
/// decides what the caller may do with it.
pub(super) async fn visible(
    conn: &mut AnyConnection,
    caller: &Principal,
    id: &NetworkId,
    check: fn(&Principal, &Warehouse) -> Result<(), Denied>,
) -> Result<Warehouse> {
    let w = store::warehouses::find(conn, id.as_str())
        .await?
        .filter(|w| access::sees(caller, w))
        .ok_or_else(|| Error::not_found(WAREHOUSE, id.as_str()))?;
    check(caller, &w).map_err(|d| Error::denied(d, WAREHOUSE, id.as_str()))?;
    Ok(w)
}

/// The warehouse serving station `station_id` if `caller` sees it, else
/// NOT_FOUND naming the station.
pub(super) async fn of_station(
    conn: &mut AnyConnection,
    caller: &Principal,
    station_id: &NetworkId,
) -> Result<Warehouse> {
    store::warehouses::of_station(conn, station_id)
        .await?
        .filter(|w| access::sees(caller, w))
        .ok_or_else(|| Error::not_found("station", station_id.as_str()))
}

/// The warehouses `caller` sees, of `region_id` and `dealer_id` when not
/// empty, only those serving a station when `stations_only`, ordered by id.
pub(super) async fn list(
    conn: &mut AnyConnection,
    caller: &Principal,
    region_id: &str,
    dealer_id: &str,
    stations_only: bool,
    page: &PageRequest,
) -> Result<Vec<Warehouse>> {
    let visible =
        access::visible_warehouses(caller).map_err(|d| Error::denied(d, WAREHOUSE, ""))?;
    store::warehouses::list(conn, visible, region_id, dealer_id, stations_only, page).await
}
