//! The shape of the network: regions, dealers and stations, kept by head
//! office and the region managers.

use aftercare_auth::Principal;
use aftercare_db::{Db, timestamp::now_micros};
use aftercare_edge::{
    Caller,
    resource::{new_meta, next_meta},
};
use aftercare_values::PageRequest;

use super::access::{check_change, check_role, editable, list_scope, referenced};
use super::{commit, delete, get};
use crate::{
    domain::{
        access::{Change, ListScope},
        network::{
            Dealer, DealerFields, DealerPatch, Region, RegionFields, RegionPatch, Station,
            StationFields, StationPatch,
        },
        text::Id,
    },
    error::Result,
    store::{Stored, columns},
};

/// Regions, dealers and stations.
#[derive(Debug, Clone)]
pub struct Network {
    db: Db,
}

impl Network {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    pub async fn get_region(&self, caller: &Principal, id: &str) -> Result<Region> {
        get(&self.db, caller, id).await
    }

    pub async fn list_regions(
        &self,
        caller: &Principal,
        page: &PageRequest,
    ) -> Result<Vec<Region>> {
        // Every member of the network sees the regions.
        list_scope(caller)?;
        let mut conn = self.db.pool().acquire().await?;
        columns::list(&mut conn, &ListScope::All, &[], page).await
    }

    pub async fn create_region(
        &self,
        caller: &Caller,
        id: Id,
        fields: RegionFields,
    ) -> Result<Region> {
        check_role(&caller.principal, Region::CHANGE, Region::WHAT)?;
        let mut tx = aftercare_db::begin_write!(&self.db, caller.key.as_ref());
        let region = Region {
            id,
            fields,
            meta: new_meta(now_micros()),
        };
        let id = region.id.as_str();
        check_change(
            &caller.principal,
            Region::CHANGE,
            region.place(),
            Region::WHAT,
            id,
        )?;
        columns::insert(&mut tx, &region).await?;
        commit(tx, caller, region).await
    }

    pub async fn update_region(
        &self,
        caller: &Caller,
        id: &str,
        etag: Option<i64>,
        patch: RegionPatch,
    ) -> Result<Region> {
        let mut tx = aftercare_db::begin_write!(&self.db, caller.key.as_ref());
        let old: Region = editable(&mut tx, &caller.principal, id, etag).await?;
        let mut new = Region {
            meta: next_meta(&old.meta, now_micros()),
            ..old.clone()
        };
        new.fields.apply(patch);
        columns::update(&mut tx, &new, old.meta.version).await?;
        commit(tx, caller, new).await
    }

    pub async fn delete_region(&self, caller: &Caller, id: &str, etag: Option<i64>) -> Result<()> {
        delete::<Region>(&self.db, caller, id, etag).await
    }

    pub async fn get_dealer(&self, caller: &Principal, id: &str) -> Result<Dealer> {
        get(&self.db, caller, id).await
    }

    pub async fn list_dealers(
        &self,
        caller: &Principal,
        region_id: &str,
        page: &PageRequest,
    ) -> Result<Vec<Dealer>> {
        let scope = list_scope(caller)?;
        let mut conn = self.db.pool().acquire().await?;
        columns::list(&mut conn, &scope, &[region_id], page).await
    }

    pub async fn create_dealer(
        &self,
        caller: &Caller,
        id: Id,
        fields: DealerFields,
    ) -> Result<Dealer> {
        check_role(&caller.principal, Dealer::CHANGE, Dealer::WHAT)?;
        let mut tx = aftercare_db::begin_write!(&self.db, caller.key.as_ref());
        let region_id = fields.region_id.as_str();
        let _: Region = referenced(&mut tx, &caller.principal, region_id).await?;
        let dealer = Dealer {
            id,
            fields,
            meta: new_meta(now_micros()),
        };
        let id = dealer.id.as_str();
        check_change(
            &caller.principal,
            Dealer::CHANGE,
            dealer.place(),
            Dealer::WHAT,
            id,
        )?;
        columns::insert(&mut tx, &dealer).await?;
        commit(tx, caller, dealer).await
    }

    pub async fn update_dealer(
        &self,
        caller: &Caller,
        id: &str,
        etag: Option<i64>,
        patch: DealerPatch,
    ) -> Result<Dealer> {
        let mut tx = aftercare_db::begin_write!(&self.db, caller.key.as_ref());
        let old: Dealer = editable(&mut tx, &caller.principal, id, etag).await?;
        let mut new = Dealer {
            meta: next_meta(&old.meta, now_micros()),
            ..old.clone()
        };
        new.fields.apply(patch);
        if new.fields.region_id != old.fields.region_id {
            // Moving a dealer needs the right to place it in the new region.
            let region_id = new.fields.region_id.as_str();
            let _: Region = referenced(&mut tx, &caller.principal, region_id).await?;
            check_change(
                &caller.principal,
                Change::Network,
                new.place(),
                Dealer::WHAT,
                id,
            )?;
        }
        columns::update(&mut tx, &new, old.meta.version).await?;
        commit(tx, caller, new).await
    }

    pub async fn delete_dealer(&self, caller: &Caller, id: &str, etag: Option<i64>) -> Result<()> {
        delete::<Dealer>(&self.db, caller, id, etag).await
    }

    pub async fn get_station(&self, caller: &Principal, id: &str) -> Result<Station> {
        get(&self.db, caller, id).await
    }

    pub async fn list_stations(
        &self,
        caller: &Principal,
        dealer_id: &str,
        region_id: &str,
        page: &PageRequest,
    ) -> Result<Vec<Station>> {
        let scope = list_scope(caller)?;
        let mut conn = self.db.pool().acquire().await?;
        columns::list(&mut conn, &scope, &[dealer_id, region_id], page).await
    }

    pub async fn create_station(
        &self,
        caller: &Caller,
        id: Id,
        dealer_id: Id,
        fields: StationFields,
    ) -> Result<Station> {
        check_role(&caller.principal, Station::CHANGE, Station::WHAT)?;
        let mut tx = aftercare_db::begin_write!(&self.db, caller.key.as_ref());
        let dealer: Dealer = referenced(&mut tx, &caller.principal, dealer_id.as_str()).await?;
        let station = Station {
            id,
            dealer_id,
            region_id: dealer.fields.region_id,
            fields,
            meta: new_meta(now_micros()),
        };
        let id = station.id.as_str();
        check_change(
            &caller.principal,
            Station::CHANGE,
            station.place(),
            Station::WHAT,
            id,
        )?;
        columns::insert(&mut tx, &station).await?;
        commit(tx, caller, station).await
    }

    pub async fn update_station(
        &self,
        caller: &Caller,
        id: &str,
        etag: Option<i64>,
        patch: StationPatch,
    ) -> Result<Station> {
        let mut tx = aftercare_db::begin_write!(&self.db, caller.key.as_ref());
        let old: Station = editable(&mut tx, &caller.principal, id, etag).await?;
        let mut new = Station {
            meta: next_meta(&old.meta, now_micros()),
            ..old.clone()
        };
        new.fields.apply(patch);
        columns::update(&mut tx, &new, old.meta.version).await?;
        commit(tx, caller, new).await
    }

    pub async fn delete_station(&self, caller: &Caller, id: &str, etag: Option<i64>) -> Result<()> {
        delete::<Station>(&self.db, caller, id, etag).await
    }
}
