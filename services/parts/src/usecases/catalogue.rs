//! Parts and their prices: read by the whole network, changed by head
//! office alone.

use aftercare_auth::Principal;
use aftercare_db::Tx;
use aftercare_edge::resource::{check_etag, new_meta, next_meta};
use aftercare_values::PageRequest;

use super::{Caller, area, begin, check_change, check_read, commit};
use crate::{
    domain::catalogue::{
        MAX_CHAIN, Part, PartFields, PartNumber, PartPatch, Price, PriceChange, Unit,
        check_supersession,
    },
    error::{Error, Result},
    store::{
        self,
        parts::{PART, existing},
    },
};

area!(
    /// Parts and their prices.
    Catalogue
);

impl Catalogue {
    /// The part `id`; with `follow`, the part at the end of its
    /// supersession chain.
    pub(crate) async fn get_part(
        &self,
        caller: &Principal,
        id: &PartNumber,
        follow: bool,
    ) -> Result<Part> {
        check_read(caller)?;
        let mut conn = self.cx.db.pool().acquire().await?;
        let now = self.cx.clock.now_micros();
        let mut part = existing(&mut conn, id.as_str(), now).await?;
        let mut hops = 0;
        while follow && let Some(next) = part.fields.superseded_by.clone() {
            hops += 1;
            if hops > MAX_CHAIN {
                return Err(store::corrupt(format!(
                    "supersession chain of {id} too long"
                )));
            }
            part = existing(&mut conn, next.as_str(), now).await?;
        }
        Ok(part)
    }

    pub(crate) async fn list_parts(
        &self,
        caller: &Principal,
        category: &str,
        page: &PageRequest,
    ) -> Result<Vec<Part>> {
        check_read(caller)?;
        store::parts::list(&self.cx.db, category, self.cx.clock.now_micros(), page).await
    }

    /// Creates a part with its first price, in force from its creation.
    pub(crate) async fn create_part(
        &self,
        caller: &Caller,
        part_number: PartNumber,
        unit: Unit,
        fields: PartFields,
        price: Price,
    ) -> Result<Part> {
        check_change(&caller.principal)?;
        let mut tx = begin!(self.cx, caller);
        if let Some(replacement) = &fields.superseded_by {
            check_replacement(&mut tx, &part_number, replacement).await?;
        }
        let now = self.cx.clock.now_micros();
        let part = Part {
            part_number,
            unit,
            fields,
            price,
            meta: new_meta(now),
        };
        store::parts::insert(&mut tx, &part).await?;
        store::prices::insert(&mut tx, &part.part_number, now, &price, now).await?;
        commit(tx, caller, part).await
    }

    pub(crate) async fn update_part(
        &self,
        caller: &Caller,
        id: &PartNumber,
        etag: Option<i64>,
        patch: PartPatch,
    ) -> Result<Part> {
        check_change(&caller.principal)?;
        let mut tx = begin!(self.cx, caller);
        let now = self.cx.clock.now_micros();
        let old = existing(&mut tx, id.as_str(), now).await?;
        check_etag(&old.meta, etag, PART, id.as_str())?;
        if let Some(Some(replacement)) = &patch.superseded_by
            && old.fields.superseded_by.as_ref() != Some(replacement)
        {
            check_replacement(&mut tx, id, replacement).await?;
        }
        let mut new = Part {
            meta: next_meta(&old.meta, now),
            ..old.clone()
        };
        new.fields.apply(patch);
        store::parts::update(&mut tx, old.meta.version, &new).await?;
        commit(tx, caller, new).await
    }

    /// Schedules a price of part `id`, in force from `effective_time`
    /// (micros). The part's version moves on, since what it answers changes.
    pub(crate) async fn schedule_price_change(
        &self,
        caller: &Caller,
        id: &PartNumber,
        effective_time: i64,
        price: Price,
    ) -> Result<PriceChange> {
        check_change(&caller.principal)?;
        let mut tx = begin!(self.cx, caller);
        let now = self.cx.clock.now_micros();
        let part = existing(&mut tx, id.as_str(), now).await?;
        let change = store::prices::insert(&mut tx, id, effective_time, &price, now).await?;
        store::parts::bump(&mut tx, id, part.meta.version, now).await?;
        commit(tx, caller, change).await
    }

    /// The price changes of part `id`, ordered by effective time, after the
    /// effective time `after` (micros).
    pub(crate) async fn list_price_changes(
        &self,
        caller: &Principal,
        id: &PartNumber,
        after: Option<i64>,
        limit: i64,
    ) -> Result<Vec<PriceChange>> {
        check_read(caller)?;
        let mut conn = self.cx.db.pool().acquire().await?;
        existing(&mut conn, id.as_str(), self.cx.clock.now_micros()).await?;
        store::prices::list(&mut conn, id, after, limit).await
    }

    /// The price change of part `id` in force at `at` (micros).
    pub(crate) async fn get_part_price(
        &self,
        caller: &Principal,
        id: &PartNumber,
        at: i64,
    ) -> Result<PriceChange> {
        check_read(caller)?;
        let mut conn = self.cx.db.pool().acquire().await?;
        existing(&mut conn, id.as_str(), at).await?;
        store::prices::at(&mut conn, id, at)
            .await?
            .ok_or_else(|| Error::not_found("price in force at that time of part", id.as_str()))
    }
}

/// Checks that `part` may be superseded by `replacement`: it exists, and the
/// chain it starts does not come back to `part`. Changes of supersession
/// queue on one lock, so that two of them cannot together make a cycle.
async fn check_replacement(tx: &mut Tx, part: &PartNumber, replacement: &PartNumber) -> Result<()> {
    const FIELD: &str = "part.superseded_by";
    if part == replacement {
        // Refused before anything is read.
        check_supersession(part, replacement, &[])
            .map_err(|e| Error::invalid(FIELD, e.to_string()))?;
    }
    store::parts::lock_supersession(tx).await?;
    let chain = store::parts::chain(tx, replacement).await?;
    check_supersession(part, replacement, &chain).map_err(|e| Error::invalid(FIELD, e.to_string()))
}
