//! The rows of regions.

use aftercare_edge::resource::meta_from_row;
use aftercare_values::resource::Meta;
use sqlx::AnyConnection;

use super::{
    Deletable, Stored,
    columns::{self, Columns, Value},
    list::ScopeColumns,
};
use crate::{
    domain::{
        access::{Change, Place},
        network::{Region, RegionFields},
        text::{DisplayName, Id},
    },
    error::Result,
};

#[derive(aftercare_db::FromRow)]
pub(crate) struct Row {
    id: String,
    display_name: String,
    version: i64,
    create_time: i64,
    update_time: i64,
}

impl Columns for Region {
    const TABLE: &'static str = "regions";
    const FIXED: &'static [&'static str] = &[];
    const CHANGED: &'static [&'static str] = &["display_name"];
    const SELECT: &'static str =
        "SELECT id, display_name, version, create_time, update_time FROM regions";
    const ID: &'static str = "id";
    const SCOPE: Option<ScopeColumns> = None;
    const FILTERS: &'static [&'static str] = &[];

    type Row = Row;

    fn from_row(r: Row) -> Result<Self> {
        Ok(Region {
            id: Id::from_store(r.id),
            fields: RegionFields {
                display_name: DisplayName::from_store(r.display_name),
            },
            meta: meta_from_row(r.version, r.create_time, r.update_time),
        })
    }

    fn id(&self) -> &str {
        self.id.as_str()
    }

    fn values(&self) -> Vec<Value> {
        vec![self.fields.display_name.as_str().into()]
    }
}

impl Deletable for Region {
    const REFERENCED: &'static str = "the region still has dealers";
}

impl Stored for Region {
    const WHAT: &'static str = "region";
    const CHANGE: Change = Change::Regions;

    async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<Self>> {
        columns::find(conn, id).await
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
