//! A dealer's own business: its staff, its customers and their vehicles,
//! kept by whoever sees them.

use aftercare_auth::Principal;
use aftercare_db::{Db, Tx, timestamp::now_micros};
use aftercare_edge::{
    Caller,
    resource::{new_meta, next_meta},
};
use aftercare_values::PageRequest;

use super::access::{check_change, check_role, editable, list_scope, referenced};
use super::{commit, delete, get};
use crate::{
    domain::{
        access::Change,
        network::{
            Customer, CustomerFields, CustomerPatch, Dealer, StaffFields, StaffMember, StaffPatch,
            StaffPosition, Station, Vehicle, VehicleFields, VehiclePatch,
        },
        text::Id,
    },
    error::{Error, Result},
    store::{Stored, columns, staff},
};

/// Staff members, customers and vehicles.
#[derive(Debug, Clone)]
pub struct Dealership {
    db: Db,
}

impl Dealership {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    pub async fn get_staff_member(&self, caller: &Principal, id: &str) -> Result<StaffMember> {
        get(&self.db, caller, id).await
    }

    pub async fn list_staff_members(
        &self,
        caller: &Principal,
        station_id: &str,
        dealer_id: &str,
        page: &PageRequest,
    ) -> Result<Vec<StaffMember>> {
        let scope = list_scope(caller)?;
        // The members and their certifications from one snapshot.
        let mut tx = self.db.pool().begin().await?;
        staff::list(&mut tx, &scope, &[station_id, dealer_id], page).await
    }

    pub async fn create_staff_member(
        &self,
        caller: &Caller,
        id: Id,
        station_id: Id,
        fields: StaffFields,
    ) -> Result<StaffMember> {
        check_role(&caller.principal, StaffMember::CHANGE, StaffMember::WHAT)?;
        let mut tx = aftercare_db::begin_write!(&self.db, caller.key.as_ref());
        let station: Station = referenced(&mut tx, &caller.principal, station_id.as_str()).await?;
        let member = StaffMember {
            id,
            station_id,
            dealer_id: station.dealer_id,
            region_id: station.region_id,
            fields,
            meta: new_meta(now_micros()),
        };
        let (place, id) = (member.place(), member.id.as_str());
        check_change(
            &caller.principal,
            Change::Dealership,
            place,
            StaffMember::WHAT,
            id,
        )?;
        columns::insert(&mut tx, &member).await?;
        staff::write_certifications(&mut tx, &member).await?;
        commit(tx, caller, member).await
    }

    pub async fn update_staff_member(
        &self,
        caller: &Caller,
        id: &str,
        etag: Option<i64>,
        patch: StaffPatch,
    ) -> Result<StaffMember> {
        let mut tx = aftercare_db::begin_write!(&self.db, caller.key.as_ref());
        let old: StaffMember = editable(&mut tx, &caller.principal, id, etag).await?;
        if patch
            .position
            .is_some_and(|p| p != StaffPosition::ServiceAdvisor)
            && old.fields.position == StaffPosition::ServiceAdvisor
        {
            let advised = staff::advised_customers(&mut tx, id).await?;
            if advised > 0 {
                return Err(Error::FailedPrecondition(format!(
                    "staff member {id} is the service advisor of {advised} customers; give them another advisor first"
                )));
            }
        }
        let certifications_changed = patch.certifications.is_some();
        let mut new = StaffMember {
            meta: next_meta(&old.meta, now_micros()),
            ..old.clone()
        };
        new.fields.apply(patch);
        columns::update(&mut tx, &new, old.meta.version).await?;
        if certifications_changed {
            staff::write_certifications(&mut tx, &new).await?;
        }
        commit(tx, caller, new).await
    }

    pub async fn delete_staff_member(
        &self,
        caller: &Caller,
        id: &str,
        etag: Option<i64>,
    ) -> Result<()> {
        delete::<StaffMember>(&self.db, caller, id, etag).await
    }

    pub async fn get_customer(&self, caller: &Principal, id: &str) -> Result<Customer> {
        get(&self.db, caller, id).await
    }

    pub async fn list_customers(
        &self,
        caller: &Principal,
        dealer_id: &str,
        advisor_id: &str,
        page: &PageRequest,
    ) -> Result<Vec<Customer>> {
        let scope = list_scope(caller)?;
        let mut conn = self.db.pool().acquire().await?;
        columns::list(&mut conn, &scope, &[dealer_id, advisor_id], page).await
    }

    pub async fn create_customer(
        &self,
        caller: &Caller,
        id: Id,
        dealer_id: Id,
        fields: CustomerFields,
    ) -> Result<Customer> {
        check_role(&caller.principal, Customer::CHANGE, Customer::WHAT)?;
        let mut tx = aftercare_db::begin_write!(&self.db, caller.key.as_ref());
        let dealer: Dealer = referenced(&mut tx, &caller.principal, dealer_id.as_str()).await?;
        let customer = Customer {
            id,
            dealer_id,
            region_id: dealer.fields.region_id,
            fields,
            meta: new_meta(now_micros()),
        };
        let (place, id) = (customer.place(), customer.id.as_str());
        check_change(
            &caller.principal,
            Change::Dealership,
            place,
            Customer::WHAT,
            id,
        )?;
        check_advisor(&mut tx, &customer).await?;
        columns::insert(&mut tx, &customer).await?;
        commit(tx, caller, customer).await
    }

    pub async fn update_customer(
        &self,
        caller: &Caller,
        id: &str,
        etag: Option<i64>,
        patch: CustomerPatch,
    ) -> Result<Customer> {
        let mut tx = aftercare_db::begin_write!(&self.db, caller.key.as_ref());
        let old: Customer = editable(&mut tx, &caller.principal, id, etag).await?;
        let mut new = Customer {
            meta: next_meta(&old.meta, now_micros()),
            ..old.clone()
        };
        new.fields.apply(patch);
        check_advisor(&mut tx, &new).await?;
        columns::update(&mut tx, &new, old.meta.version).await?;
        commit(tx, caller, new).await
    }

    pub async fn delete_customer(
        &self,
        caller: &Caller,
        id: &str,
        etag: Option<i64>,
    ) -> Result<()> {
        delete::<Customer>(&self.db, caller, id, etag).await
    }

    pub async fn get_vehicle(&self, caller: &Principal, id: &str) -> Result<Vehicle> {
        get(&self.db, caller, id).await
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
        let mut conn = self.db.pool().acquire().await?;
        let values = [customer_id, dealer_id, vin];
        columns::list(&mut conn, &scope, &values, page).await
    }

    pub async fn create_vehicle(
        &self,
        caller: &Caller,
        id: Id,
        fields: VehicleFields,
    ) -> Result<Vehicle> {
        check_role(&caller.principal, Vehicle::CHANGE, Vehicle::WHAT)?;
        let mut tx = aftercare_db::begin_write!(&self.db, caller.key.as_ref());
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
            meta: new_meta(now_micros()),
        };
        let (place, id) = (vehicle.place(), vehicle.id.as_str());
        check_change(
            &caller.principal,
            Change::Dealership,
            place,
            Vehicle::WHAT,
            id,
        )?;
        columns::insert(&mut tx, &vehicle).await?;
        commit(tx, caller, vehicle).await
    }

    pub async fn update_vehicle(
        &self,
        caller: &Caller,
        id: &str,
        etag: Option<i64>,
        patch: VehiclePatch,
    ) -> Result<Vehicle> {
        let mut tx = aftercare_db::begin_write!(&self.db, caller.key.as_ref());
        let old: Vehicle = editable(&mut tx, &caller.principal, id, etag).await?;
        let mut new = Vehicle {
            meta: next_meta(&old.meta, now_micros()),
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
            check_change(
                &caller.principal,
                Change::Dealership,
                new.place(),
                Vehicle::WHAT,
                id,
            )?;
        }
        columns::update(&mut tx, &new, old.meta.version).await?;
        commit(tx, caller, new).await
    }

    pub async fn delete_vehicle(&self, caller: &Caller, id: &str, etag: Option<i64>) -> Result<()> {
        delete::<Vehicle>(&self.db, caller, id, etag).await
    }
}

/// The advisor must be a service advisor of the customer's own dealer.
async fn check_advisor(tx: &mut Tx, customer: &Customer) -> Result<()> {
    let Some(advisor_id) = &customer.fields.advisor_id else {
        return Ok(());
    };
    let advisor = StaffMember::find(tx, advisor_id.as_str()).await?;
    match advisor {
        Some(a)
            if a.dealer_id == customer.dealer_id
                && a.fields.position == StaffPosition::ServiceAdvisor =>
        {
            Ok(())
        }
        _ => Err(Error::invalid(
            "customer.advisor_id",
            format!(
                "{advisor_id} is not a service advisor of dealer {}",
                customer.dealer_id
            ),
        )),
    }
}
