use aftercare_auth::Principal;
use aftercare_db::list::{Arg, ListQuery};
use aftercare_db::timestamp;
use aftercare_edge::resource::{expect_one, meta_from_row, new_meta, next_meta, on_write_error};
use aftercare_values::PageRequest;
use aftercare_values::resource::Meta;
use sqlx::AnyConnection;

use super::{
    Caller, Deletable, Store, Stored, begin, check_change, check_role, editable, list_scope,
};
use crate::{
    domain::{
        access::{Change, Place},
        network::{Region, RegionFields, RegionPatch},
        text::{DisplayName, Id},
    },
    error::Result,
};

const WHAT: &str = "region";

macro_rules! select {
    ($($rest:literal)?) => {
        concat!("SELECT id, display_name, version, create_time, update_time FROM regions" $(, $rest)?)
    };
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    display_name: String,
    version: i64,
    create_time: i64,
    update_time: i64,
}

impl From<Row> for Region {
    fn from(r: Row) -> Self {
        Region {
            id: Id::from_store(r.id),
            fields: RegionFields {
                display_name: DisplayName::from_store(r.display_name),
            },
            meta: meta_from_row(r.version, r.create_time, r.update_time),
        }
    }
}

impl Deletable for Region {
    const DELETE: &'static str = "DELETE FROM regions WHERE id = $1 AND version = $2";
    const REFERENCED: &'static str = "the region still has dealers";
}

impl Stored for Region {
    const WHAT: &'static str = WHAT;
    const CHANGE: Change = Change::Regions;

    async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<Self>> {
        let row: Option<Row> = sqlx::query_as(select!(" WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        Ok(row.map(Region::from))
    }

    fn place(&self) -> Place<'_> {
        Place::Region {
            region_id: self.id.as_str(),
        }
    }

    fn meta(&self) -> &Meta {
        &self.meta
    }
}

impl Store {
    pub async fn get_region(&self, caller: &Principal, id: &str) -> Result<Region> {
        self.get(caller, id).await
    }

    pub async fn list_regions(
        &self,
        caller: &Principal,
        page: &PageRequest,
    ) -> Result<Vec<Region>> {
        list_scope(caller)?;
        let rows: Vec<Row> = ListQuery::new(select!(), vec![])
            .page(
                self.db.pool(),
                "id",
                page.after.clone().map(Arg::Text),
                page.fetch_limit(),
            )
            .await?;
        Ok(rows.into_iter().map(Region::from).collect())
    }

    pub async fn create_region(
        &self,
        caller: &Caller,
        id: Id,
        fields: RegionFields,
    ) -> Result<Region> {
        check_role(&caller.principal, Region::CHANGE, WHAT)?;
        let mut tx = begin!(self, caller);
        let region = Region {
            id,
            fields,
            meta: new_meta(timestamp::now_micros()),
        };
        check_change(
            &caller.principal,
            Change::Regions,
            region.place(),
            WHAT,
            region.id.as_str(),
        )?;
        sqlx::query(
            "INSERT INTO regions (id, display_name, version, create_time, update_time) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(region.id.as_str())
        .bind(region.fields.display_name.as_str())
        .bind(region.meta.version)
        .bind(timestamp::to_micros(region.meta.create_time))
        .bind(timestamp::to_micros(region.meta.update_time))
        .execute(&mut *tx)
        .await
        .map_err(|e| on_write_error(e, &[("regions", format!("region {} already exists", region.id))]))?;
        Self::commit(tx, caller, region).await
    }

    pub async fn update_region(
        &self,
        caller: &Caller,
        id: &str,
        etag: Option<i64>,
        patch: RegionPatch,
    ) -> Result<Region> {
        let mut tx = begin!(self, caller);
        let old: Region = editable(&mut tx, &caller.principal, id, etag).await?;
        let mut new = Region {
            meta: next_meta(&old.meta, timestamp::now_micros()),
            ..old.clone()
        };
        new.fields.apply(patch);
        let rows = sqlx::query(
            "UPDATE regions SET display_name = $1, version = $2, update_time = $3 WHERE id = $4 AND version = $5",
        )
        .bind(new.fields.display_name.as_str())
        .bind(new.meta.version)
        .bind(timestamp::to_micros(new.meta.update_time))
        .bind(id)
        .bind(old.meta.version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        expect_one(rows, WHAT, id)?;
        Self::commit(tx, caller, new).await
    }

    pub async fn delete_region(&self, caller: &Caller, id: &str, etag: Option<i64>) -> Result<()> {
        self.delete::<Region>(caller, id, etag).await
    }
}
