//! Labour operations and their prices: read by the whole network, changed
//! by head office alone.

use aftercare_auth::Principal;
use aftercare_edge::resource::{check_etag, new_meta, next_meta};
use aftercare_values::PageRequest;

use super::{Caller, area, begin, check_change, check_read, commit};
use crate::{
    domain::{
        labour::{LabourFields, LabourOperation, LabourPatch, LabourPriceChange, OperationCode},
        published::PublishedPrice,
    },
    error::Result,
    store::{
        self,
        labour::{OPERATION, existing},
        published::LABOUR,
    },
};

area!(
    /// Labour operations and their prices.
    Labour
);

impl Labour {
    pub(crate) async fn get_labour_operation(
        &self,
        caller: &Principal,
        id: &OperationCode,
    ) -> Result<LabourOperation> {
        check_read(caller)?;
        let mut conn = self.cx.db.pool().acquire().await?;
        existing(&mut conn, id, self.cx.clock.now_micros()).await
    }

    pub(crate) async fn list_labour_operations(
        &self,
        caller: &Principal,
        page: &PageRequest,
    ) -> Result<Vec<LabourOperation>> {
        check_read(caller)?;
        store::labour::list(&self.cx.db, self.cx.clock.now_micros(), page).await
    }

    /// Creates a labour operation with its first price, in force from its
    /// creation.
    pub(crate) async fn create_labour_operation(
        &self,
        caller: &Caller,
        operation_code: OperationCode,
        fields: LabourFields,
        price: PublishedPrice,
    ) -> Result<LabourOperation> {
        check_change(&caller.principal)?;
        let mut tx = begin!(self.cx, caller);
        let now = self.cx.clock.now_micros();
        let operation = LabourOperation {
            operation_code,
            fields,
            price,
            meta: new_meta(now),
        };
        store::labour::insert(&mut tx, &operation).await?;
        LABOUR
            .insert(&mut tx, &operation.operation_code, now, price, now)
            .await?;
        commit(tx, caller, operation).await
    }

    pub(crate) async fn update_labour_operation(
        &self,
        caller: &Caller,
        id: &OperationCode,
        etag: Option<i64>,
        patch: LabourPatch,
    ) -> Result<LabourOperation> {
        check_change(&caller.principal)?;
        let mut tx = begin!(self.cx, caller);
        let now = self.cx.clock.now_micros();
        let old = existing(&mut tx, id, now).await?;
        check_etag(&old.meta, etag, OPERATION, id.as_str())?;
        let mut new = LabourOperation {
            meta: next_meta(&old.meta, now),
            ..old.clone()
        };
        new.fields.apply(patch);
        store::labour::update(&mut tx, old.meta.version, &new).await?;
        commit(tx, caller, new).await
    }

    /// Schedules a price of operation `id`, in force from `effective_time`
    /// (micros). The operation's version moves on, since what it answers
    /// changes.
    pub(crate) async fn schedule_labour_price_change(
        &self,
        caller: &Caller,
        id: &OperationCode,
        effective_time: i64,
        price: PublishedPrice,
    ) -> Result<LabourPriceChange> {
        check_change(&caller.principal)?;
        let mut tx = begin!(self.cx, caller);
        let now = self.cx.clock.now_micros();
        let operation = existing(&mut tx, id, now).await?;
        let change = LABOUR
            .insert(&mut tx, id, effective_time, price, now)
            .await?;
        LABOUR
            .bump(&mut tx, id.as_str(), operation.meta.version, now)
            .await?;
        commit(tx, caller, change).await
    }

    /// The price change of operation `id` in force at `at` (micros).
    pub(crate) async fn get_labour_price(
        &self,
        caller: &Principal,
        id: &OperationCode,
        at: i64,
    ) -> Result<LabourPriceChange> {
        check_read(caller)?;
        let mut conn = self.cx.db.pool().acquire().await?;
        existing(&mut conn, id, at).await?;
        LABOUR.at(&mut conn, id, at).await
    }
}
