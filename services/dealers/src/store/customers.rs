//! The rows of customers.

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
        network::{Customer, CustomerFields},
        text::{DisplayName, Email, Id, Locale, Phone},
    },
    error::Result,
};

#[derive(aftercare_db::FromRow)]
pub(crate) struct Row {
    id: String,
    dealer_id: String,
    region_id: String,
    display_name: String,
    phone: Option<String>,
    email: Option<String>,
    advisor_id: Option<String>,
    locale: Option<String>,
    version: i64,
    create_time: i64,
    update_time: i64,
}

impl Columns for Customer {
    const TABLE: &'static str = "customers";
    const FIXED: &'static [&'static str] = &["dealer_id"];
    const CHANGED: &'static [&'static str] =
        &["display_name", "phone", "email", "advisor_id", "locale"];
    const SELECT: &'static str = "SELECT c.id, c.dealer_id, d.region_id, c.display_name, c.phone, \
                                  c.email, c.advisor_id, c.locale, c.version, c.create_time, c.update_time \
                                  FROM customers c JOIN dealers d ON d.id = c.dealer_id";
    const ID: &'static str = "c.id";
    const SCOPE: Option<ScopeColumns> = Some(ScopeColumns {
        region: "d.region_id",
        dealer: "c.dealer_id",
        station: None,
    });
    const FILTERS: &'static [&'static str] = &["c.dealer_id", "c.advisor_id"];

    type Row = Row;

    fn from_row(r: Row) -> Result<Self> {
        Ok(Customer {
            id: Id::from_store(r.id),
            dealer_id: Id::from_store(r.dealer_id),
            region_id: Id::from_store(r.region_id),
            fields: CustomerFields {
                display_name: DisplayName::from_store(r.display_name),
                phone: r.phone.map(Phone::from_store),
                email: r.email.map(Email::from_store),
                advisor_id: r.advisor_id.map(Id::from_store),
                locale: r.locale.map(Locale::from_store),
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
            self.dealer_id.as_str().into(),
            f.display_name.as_str().into(),
            f.phone.as_ref().map(Phone::as_str).into(),
            f.email.as_ref().map(Email::as_str).into(),
            f.advisor_id.as_ref().map(Id::as_str).into(),
            f.locale.as_ref().map(Locale::as_str).into(),
        ]
    }
}

impl Deletable for Customer {
    const REFERENCED: &'static str = "the customer still owns vehicles";
}

impl Stored for Customer {
    const WHAT: &'static str = "customer";
    const CHANGE: Change = Change::Dealership;

    async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<Self>> {
        columns::find(conn, id).await
    }

    fn place(&self) -> Place<'_> {
        Place::Dealer {
            region_id: self.region_id.as_str(),
            dealer_id: self.dealer_id.as_str(),
        }
    }

    fn meta(&self) -> &Meta {
        &self.meta
    }
}
