//! The rates costs are computed at: set by head office, read by every
//! member (a station's labour cost rates by those who see the station).

use aftercare_auth::{Principal, Scope as Caller};
use time::Date;

use super::{Caller as Mutation, area, begin, commit, peer_error};
use crate::{
    domain::{
        access,
        rates::{LabourCostRate, WarrantyLabourRate, WarrantyTerms},
        scope::Place,
    },
    error::{Error, Result},
    store::{self, places},
};

const RATE: &str = "labour cost rate";

area!(
    /// Labour cost rates, the warranty labour rate, warranty terms.
    Rates
);

impl Rates {
    /// Sets a station's labour cost per hour (or the network default's,
    /// for an empty `station_id`) from `effective_time`. A station the
    /// service never heard of is looked up at dealers first.
    pub(crate) async fn set_labour_cost(
        &self,
        caller: &Mutation,
        station_id: String,
        effective_time: i64,
        hourly_cost: i64,
    ) -> Result<LabourCostRate> {
        access::check_set_rates(&caller.principal)
            .map_err(|d| Error::denied(d, RATE, &station_id))?;
        let new_place = if station_id.is_empty() {
            None
        } else {
            self.station_at_dealers(&caller.principal, &station_id)
                .await?
        };
        let mut tx = begin!(self.cx, caller);
        if let Some(place) = &new_place {
            places::remember(&mut tx, place).await?;
        }
        let rate = LabourCostRate {
            station_id,
            effective_time,
            hourly_cost,
            create_time: self.cx.clock.now_micros(),
        };
        store::rates::insert_labour_cost(&mut tx, &rate).await?;
        commit(tx, caller, rate).await
    }

    /// Where `station_id` sits, asked of dealers when this service has not
    /// heard of it: `None` when it is known already.
    async fn station_at_dealers(
        &self,
        principal: &Principal,
        station_id: &str,
    ) -> Result<Option<Place>> {
        let mut conn = self.cx.db.pool().acquire().await?;
        if places::station(&mut conn, station_id).await?.is_some() {
            return Ok(None);
        }
        drop(conn);
        let station = self
            .cx
            .peers
            .station(principal, station_id)
            .await
            .map_err(|s| peer_error(&s, "station", station_id))?;
        Ok(Some(Place {
            station_id: station.id,
            dealer_id: station.dealer_id,
            region_id: station.region_id,
        }))
    }

    /// A station's rates (or the default's), newest effective first.
    pub(crate) async fn list_labour_cost(
        &self,
        caller: &Principal,
        station_id: &str,
        after: Option<i64>,
        limit: i64,
    ) -> Result<Vec<LabourCostRate>> {
        access::check_read_rates(caller).map_err(|d| Error::denied(d, RATE, station_id))?;
        let mut conn = self.cx.db.pool().acquire().await?;
        if !station_id.is_empty() && !matches!(caller.scope, Caller::Oem) {
            let visible = places::station(&mut conn, station_id)
                .await?
                .is_some_and(|p| access::sees(caller, &p));
            if !visible {
                return Err(Error::not_found("station", station_id));
            }
        }
        store::rates::list_labour_cost(&mut conn, station_id, after, limit).await
    }

    pub(crate) async fn set_warranty_labour(
        &self,
        caller: &Mutation,
        effective_time: i64,
        hourly_rate: i64,
    ) -> Result<WarrantyLabourRate> {
        access::check_set_rates(&caller.principal)
            .map_err(|d| Error::denied(d, "warranty labour rate", ""))?;
        let mut tx = begin!(self.cx, caller);
        let rate = WarrantyLabourRate {
            effective_time,
            hourly_rate,
            create_time: self.cx.clock.now_micros(),
        };
        store::rates::insert_warranty_labour(&mut tx, &rate).await?;
        commit(tx, caller, rate).await
    }

    pub(crate) async fn list_warranty_labour(
        &self,
        caller: &Principal,
        after: Option<i64>,
        limit: i64,
    ) -> Result<Vec<WarrantyLabourRate>> {
        access::check_read_rates(caller)
            .map_err(|d| Error::denied(d, "warranty labour rate", ""))?;
        let mut conn = self.cx.db.pool().acquire().await?;
        store::rates::list_warranty_labour(&mut conn, after, limit).await
    }

    pub(crate) async fn set_warranty_terms(
        &self,
        caller: &Mutation,
        model: String,
        effective_date: Date,
        months: i32,
        kilometres: i64,
    ) -> Result<WarrantyTerms> {
        access::check_set_rates(&caller.principal)
            .map_err(|d| Error::denied(d, "warranty terms", &model))?;
        let mut tx = begin!(self.cx, caller);
        let terms = WarrantyTerms {
            model,
            effective_date,
            months,
            kilometres,
            create_time: self.cx.clock.now_micros(),
        };
        store::rates::insert_warranty_terms(&mut tx, &terms).await?;
        commit(tx, caller, terms).await
    }

    pub(crate) async fn list_warranty_terms(
        &self,
        caller: &Principal,
        model: &str,
        after: Option<(String, String)>,
        limit: i64,
    ) -> Result<Vec<WarrantyTerms>> {
        access::check_read_rates(caller).map_err(|d| Error::denied(d, "warranty terms", model))?;
        let mut conn = self.cx.db.pool().acquire().await?;
        store::rates::list_warranty_terms(&mut conn, model, after, limit).await
    }
}
