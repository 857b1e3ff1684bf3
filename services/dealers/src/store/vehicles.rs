use aftercare_auth::Principal;
use aftercare_db::list::{Arg, ListQuery};
use aftercare_db::timestamp;
use aftercare_edge::resource::{expect_one, meta_from_row, new_meta, next_meta, on_write_error};
use aftercare_values::PageRequest;
use aftercare_values::resource::Meta;
use sqlx::AnyConnection;

use super::{
    Caller, Deletable, Store, Stored, begin, check_change, check_role, editable,
    list::{ScopeColumns, Scoped},
    list_scope, referenced,
};
use crate::{
    domain::{
        access::{Change, Place},
        network::{Customer, Vehicle, VehicleFields, VehiclePatch},
        text::{Code, Id},
        vin::Vin,
    },
    error::{Error, Result},
};

const WHAT: &str = "vehicle";

macro_rules! select {
    ($($rest:literal)?) => {
        concat!(
            "SELECT v.id, c.dealer_id, d.region_id, v.vin, v.customer_id, v.model, v.sale_date, v.mileage_km, \
             v.warranty_start_date, v.version, v.create_time, v.update_time FROM vehicles v \
             JOIN customers c ON c.id = v.customer_id JOIN dealers d ON d.id = c.dealer_id"
            $(, $rest)?
        )
    };
}

#[derive(sqlx::FromRow)]
struct Row {
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

impl TryFrom<Row> for Vehicle {
    type Error = Error;

    fn try_from(r: Row) -> Result<Self> {
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
}

impl Deletable for Vehicle {
    const DELETE: &'static str = "DELETE FROM vehicles WHERE id = $1 AND version = $2";
    const REFERENCED: &'static str = "the vehicle is still referred to";
}

impl Stored for Vehicle {
    const WHAT: &'static str = WHAT;
    const CHANGE: Change = Change::Dealership;

    async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<Self>> {
        let row: Option<Row> = sqlx::query_as(select!(" WHERE v.id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        row.map(Vehicle::try_from).transpose()
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

fn uniques(vehicle: &Vehicle) -> [(&'static str, String); 2] {
    [
        (
            "vin",
            format!(
                "a vehicle with VIN {} is already registered",
                vehicle.fields.vin
            ),
        ),
        ("vehicles", format!("vehicle {} already exists", vehicle.id)),
    ]
}

impl Store {
    pub async fn get_vehicle(&self, caller: &Principal, id: &str) -> Result<Vehicle> {
        self.get(caller, id).await
    }

    pub async fn list_vehicles(
        &self,
        caller: &Principal,
        customer_id: &str,
        dealer_id: &str,
        vin: &str,
        page: &PageRequest,
    ) -> Result<Vec<Vehicle>> {
        let scope = list_scope(caller)?;
        let mut query = ListQuery::new(select!(), vec![]);
        query
            .scope(
                &scope,
                ScopeColumns {
                    region: "d.region_id",
                    dealer: "c.dealer_id",
                    station: None,
                },
            )
            .filter("v.customer_id", customer_id)
            .filter("c.dealer_id", dealer_id)
            .filter("v.vin", vin);
        let rows: Vec<Row> = query
            .page(
                self.db.pool(),
                "v.id",
                page.after.clone().map(Arg::Text),
                page.fetch_limit(),
            )
            .await?;
        rows.into_iter().map(Vehicle::try_from).collect()
    }

    pub async fn create_vehicle(
        &self,
        caller: &Caller,
        id: Id,
        fields: VehicleFields,
    ) -> Result<Vehicle> {
        check_role(&caller.principal, Vehicle::CHANGE, WHAT)?;
        let mut tx = begin!(self, caller);
        let customer_id = fields.customer_id.as_str();
        let owner: Customer = referenced(&mut tx, &caller.principal, customer_id).await?;
        fields
            .check()
            .map_err(|e| Error::invalid("vehicle.warranty_start_date", e.to_string()))?;
        let vehicle = Vehicle {
            id,
            dealer_id: owner.dealer_id,
            region_id: owner.region_id,
            fields,
            meta: new_meta(timestamp::now_micros()),
        };
        check_change(
            &caller.principal,
            Change::Dealership,
            vehicle.place(),
            WHAT,
            vehicle.id.as_str(),
        )?;
        sqlx::query(
            "INSERT INTO vehicles (id, vin, customer_id, model, sale_date, mileage_km, warranty_start_date, version, \
             create_time, update_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(vehicle.id.as_str())
        .bind(vehicle.fields.vin.as_str())
        .bind(vehicle.fields.customer_id.as_str())
        .bind(vehicle.fields.model.as_str())
        .bind(vehicle.fields.sale_date.map(timestamp::date_to_text))
        .bind(vehicle.fields.mileage_km)
        .bind(vehicle.fields.warranty_start_date.map(timestamp::date_to_text))
        .bind(vehicle.meta.version)
        .bind(timestamp::to_micros(vehicle.meta.create_time))
        .bind(timestamp::to_micros(vehicle.meta.update_time))
        .execute(&mut *tx)
        .await
        .map_err(|e| on_write_error(e, &uniques(&vehicle)))?;
        Self::commit(tx, caller, vehicle).await
    }

    pub async fn update_vehicle(
        &self,
        caller: &Caller,
        id: &str,
        etag: Option<i64>,
        patch: VehiclePatch,
    ) -> Result<Vehicle> {
        let mut tx = begin!(self, caller);
        let old: Vehicle = editable(&mut tx, &caller.principal, id, etag).await?;
        let mut new = Vehicle {
            meta: next_meta(&old.meta, timestamp::now_micros()),
            ..old.clone()
        };
        new.fields.apply(patch);
        new.fields
            .check()
            .map_err(|e| Error::invalid("vehicle.warranty_start_date", e.to_string()))?;
        if new.fields.customer_id != old.fields.customer_id {
            // A change of owner: the new owner must be a customer the caller
            // may give the vehicle to.
            let customer_id = new.fields.customer_id.as_str();
            let owner: Customer = referenced(&mut tx, &caller.principal, customer_id).await?;
            new.dealer_id = owner.dealer_id;
            new.region_id = owner.region_id;
            check_change(&caller.principal, Change::Dealership, new.place(), WHAT, id)?;
        }
        let rows = sqlx::query(
            "UPDATE vehicles SET vin = $1, customer_id = $2, model = $3, sale_date = $4, mileage_km = $5, \
             warranty_start_date = $6, version = $7, update_time = $8 WHERE id = $9 AND version = $10",
        )
        .bind(new.fields.vin.as_str())
        .bind(new.fields.customer_id.as_str())
        .bind(new.fields.model.as_str())
        .bind(new.fields.sale_date.map(timestamp::date_to_text))
        .bind(new.fields.mileage_km)
        .bind(new.fields.warranty_start_date.map(timestamp::date_to_text))
        .bind(new.meta.version)
        .bind(timestamp::to_micros(new.meta.update_time))
        .bind(id)
        .bind(old.meta.version)
        .execute(&mut *tx)
        .await
        .map_err(|e| on_write_error(e, &uniques(&new)))?
        .rows_affected();
        expect_one(rows, WHAT, id)?;
        Self::commit(tx, caller, new).await
    }

    pub async fn delete_vehicle(&self, caller: &Caller, id: &str, etag: Option<i64>) -> Result<()> {
        self.delete::<Vehicle>(caller, id, etag).await
    }
}
