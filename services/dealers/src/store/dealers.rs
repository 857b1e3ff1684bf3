//! The rows of dealers.

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
        network::{Dealer, DealerFields},
        text::{City, Code, DisplayName, Id},
    },
    error::Result,
};

#[derive(aftercare_db::FromRow)]
pub(crate) struct Row {
    id: String,
    region_id: String,
    display_name: String,
    code: String,
    city: String,
    version: i64,
    create_time: i64,
    update_time: i64,
}

impl Columns for Dealer {
    const TABLE: &'static str = "dealers";
    const FIXED: &'static [&'static str] = &[];
    const CHANGED: &'static [&'static str] = &["region_id", "display_name", "code", "city"];
    const SELECT: &'static str = "SELECT id, region_id, display_name, code, city, version, \
                                  create_time, update_time FROM dealers";
    const ID: &'static str = "id";
    const SCOPE: Option<ScopeColumns> = Some(ScopeColumns {
        region: "region_id",
        dealer: "id",
        station: None,
    });
    const FILTERS: &'static [&'static str] = &["region_id"];

    type Row = Row;

    fn from_row(r: Row) -> Result<Self> {
        Ok(Dealer {
            id: Id::from_store(r.id),
            fields: DealerFields {
                region_id: Id::from_store(r.region_id),
                display_name: DisplayName::from_store(r.display_name),
                code: Code::from_store(r.code),
                city: City::from_store(r.city),
            },
            meta: meta_from_row(r.version, r.create_time, r.update_time),
        })
    }

    fn id(&self) -> &str {
        self.id.as_str()
    }

    fn values(&self) -> Vec<Value> {
        let f = &self.fields;
        vec![
            f.region_id.as_str().into(),
            f.display_name.as_str().into(),
            f.code.as_str().into(),
            f.city.as_str().into(),
        ]
    }

    fn uniques(&self) -> Vec<(&'static str, String)> {
        vec![("code", format!("dealer code {} is taken", self.fields.code))]
    }
}

impl Deletable for Dealer {
    const REFERENCED: &'static str = "the dealer still has stations or customers";
}

impl Stored for Dealer {
    const WHAT: &'static str = "dealer";
    const CHANGE: Change = Change::Network;

    async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<Self>> {
        columns::find(conn, id).await
    }

    fn place(&self) -> Place<'_> {
        Place::Dealer {
            region_id: self.fields.region_id.as_str(),
            dealer_id: self.id.as_str(),
        }
    }

    fn meta(&self) -> &Meta {
        &self.meta
    }
}
