//! Required stock lists, kept by head office and read by the network, and
//! how each station's warehouse holds its class's list.

use aftercare_auth::Principal;
use aftercare_db::timestamp;
use aftercare_values::PageRequest;

use super::{
    Caller, area, begin, check_change, check_read, commit,
    stock::unit_of,
    warehouses::{self, visible},
};
use crate::{
    domain::{
        access,
        catalogue::PartNumber,
        quantity::Quantity,
        required_stock::{Compliance, RequiredItem},
        warehouse::{NetworkId, StationClass, Warehouse},
    },
    error::{Error, Result},
    store,
};

const ITEM: &str = "required stock item";

area!(
    /// Required stock lists and the stations' compliance.
    RequiredStock
);

impl RequiredStock {
    /// Sets how many of `part` every station of `class` must hold.
    pub(crate) async fn set_required_item(
        &self,
        caller: &Caller,
        class: StationClass,
        part: PartNumber,
        quantity: Quantity,
    ) -> Result<RequiredItem> {
        check_change(&caller.principal)?;
        let mut tx = begin!(self.cx, caller);
        unit_of(&mut tx, &part, "item.part_number").await?;
        let now = self.cx.clock.now_micros();
        let item = RequiredItem {
            station_class: class,
            part_number: part,
            quantity,
            update_time: timestamp::from_micros(now),
        };
        store::required_stock::upsert(&mut tx, &item).await?;
        commit(tx, caller, item).await
    }

    /// Takes `part` off the list of `class`; NOT_FOUND when it is not on it.
    pub(crate) async fn delete_required_item(
        &self,
        caller: &Caller,
        class: StationClass,
        part: &PartNumber,
    ) -> Result<()> {
        check_change(&caller.principal)?;
        let mut tx = begin!(self.cx, caller);
        if !store::required_stock::delete(&mut tx, class, part).await? {
            return Err(Error::not_found(
                ITEM,
                &format!("{part} of class {}", class.as_str()),
            ));
        }
        commit(tx, caller, ()).await
    }

    /// The list of `class`, ordered by part number.
    pub(crate) async fn list_required_items(
        &self,
        caller: &Principal,
        class: StationClass,
        page: &PageRequest,
    ) -> Result<Vec<RequiredItem>> {
        check_read(caller)?;
        store::required_stock::list(&self.cx.db, class, page).await
    }

    /// How the station warehouse `id` holds its class's list.
    pub(crate) async fn get_station_compliance(
        &self,
        caller: &Principal,
        id: &NetworkId,
    ) -> Result<(Warehouse, Compliance)> {
        let mut conn = self.cx.db.pool().acquire().await?;
        let w = visible(&mut conn, caller, id, access::check_see).await?;
        let compliance =
            store::required_stock::assess(&mut conn, station_class(&w)?, w.id.as_str()).await?;
        Ok((w, compliance))
    }

    /// The compliance of the station warehouses `caller` sees, of
    /// `region_id` and `dealer_id` when not empty, ordered by warehouse id.
    pub(crate) async fn list_station_compliance(
        &self,
        caller: &Principal,
        region_id: &str,
        dealer_id: &str,
        page: &PageRequest,
    ) -> Result<Vec<(Warehouse, Compliance)>> {
        let mut conn = self.cx.db.pool().acquire().await?;
        let stations =
            warehouses::list(&mut conn, caller, region_id, dealer_id, true, page).await?;
        let mut out = Vec::with_capacity(stations.len());
        for w in stations {
            let compliance =
                store::required_stock::assess(&mut conn, station_class(&w)?, w.id.as_str()).await?;
            out.push((w, compliance));
        }
        Ok(out)
    }
}

/// The class of the station `w` serves; INVALID_ARGUMENT when it serves
/// none.
fn station_class(w: &Warehouse) -> Result<StationClass> {
    w.station_class.ok_or_else(|| {
        Error::invalid(
            "warehouse_id",
            format!("warehouse {} serves no station", w.id),
        )
    })
}
