//! The rows of vehicles.

use aftercare_db::timestamp;
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
        network::{Vehicle, VehicleFields},
        text::{Code, Id},
        vin::Vin,
    },
    error::{Error, Result},
};

#[derive(aftercare_db::FromRow)]
pub(crate) struct Row {
    id: String,
    dealer_id: String,
    region_id: String,
    vin: String,
    customer_id: String,
    model: String,
    sale_date: Option<String>,
    mileage_km: i64,
    warranty_start_date: Option<String>,
    version: i64,
    create_time: i64,
    update_time: i64,
}

impl Columns for Vehicle {
    const TABLE: &'static str = "vehicles";
    const FIXED: &'static [&'static str] = &[];
    const CHANGED: &'static [&'static str] = &[
        "vin",
        "customer_id",
        "model",
        "sale_date",
        "mileage_km",
        "warranty_start_date",
    ];
    const SELECT: &'static str = "SELECT v.id, c.dealer_id, d.region_id, v.vin, v.customer_id, \
                                  v.model, v.sale_date, v.mileage_km, v.warranty_start_date, \
                                  v.version, v.create_time, v.update_time FROM vehicles v \
                                  JOIN customers c ON c.id = v.customer_id \
                                  JOIN dealers d ON d.id = c.dealer_id";
    const ID: &'static str = "v.id";
    const SCOPE: Option<ScopeColumns> = Some(ScopeColumns {
        region: "d.region_id",
        dealer: "c.dealer_id",
        station: None,
    });
    const FILTERS: &'static [&'static str] = &["v.customer_id", "c.dealer_id", "v.vin"];

    type Row = Row;

    fn from_row(r: Row) -> Result<Self> {
        let date = |d: Option<String>| -> Result<_> {
            d.map(|d| {
                timestamp::date_from_text(&d).ok_or_else(|| {
                    Error::Internal(format!("vehicle {} has a bad date", r.id).into())
                })
            })
            .transpose()
        };
        Ok(Vehicle {
            fields: VehicleFields {
                vin: Vin::from_store(r.vin),
                customer_id: Id::from_store(r.customer_id),
                model: Code::from_store(r.model),
                sale_date: date(r.sale_date)?,
                mileage_km: r.mileage_km,
                warranty_start_date: date(r.warranty_start_date)?,
            },
            id: Id::from_store(r.id),
            dealer_id: Id::from_store(r.dealer_id),
            region_id: Id::from_store(r.region_id),
            meta: meta_from_row(r.version, r.create_time, r.update_time),
        })
    }

    fn id(&self) -> &str {
        self.id.as_str()
    }

    fn values(&self) -> Vec<Value> {
        let f = &self.fields;
        vec![
            f.vin.as_str().into(),
            f.customer_id.as_str().into(),
            f.model.as_str().into(),
            f.sale_date.map(timestamp::date_to_text).into(),
            f.mileage_km.into(),
            f.warranty_start_date.map(timestamp::date_to_text).into(),
        ]
    }

    fn uniques(&self) -> Vec<(&'static str, String)> {
        vec![(
            "vin",
            format!(
                "a vehicle with VIN {} is already registered",
                self.fields.vin
            ),
        )]
    }
}

impl Deletable for Vehicle {
    const REFERENCED: &'static str = "the vehicle is still referred to";
}

impl Stored for Vehicle {
    const WHAT: &'static str = "vehicle";
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
