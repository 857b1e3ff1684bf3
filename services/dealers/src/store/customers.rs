use aftercare_auth::Principal;
use aftercare_db::list::{Arg, ListQuery};
use aftercare_db::{Tx, timestamp};
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
        network::{Customer, CustomerFields, CustomerPatch, Dealer, StaffMember, StaffPosition},
        text::{DisplayName, Email, Id, Phone},
    },
    error::{Error, Result},
};

const WHAT: &str = "customer";

macro_rules! select {
    ($($rest:literal)?) => {
        concat!(
            "SELECT c.id, c.dealer_id, d.region_id, c.display_name, c.phone, c.email, c.advisor_id, c.version, \
             c.create_time, c.update_time FROM customers c JOIN dealers d ON d.id = c.dealer_id"
            $(, $rest)?
        )
    };
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    dealer_id: String,
    region_id: String,
    display_name: String,
    phone: Option<String>,
    email: Option<String>,
    advisor_id: Option<String>,
    version: i64,
    create_time: i64,
    update_time: i64,
}

impl From<Row> for Customer {
    fn from(r: Row) -> Self {
        Customer {
            id: Id::from_store(r.id),
            dealer_id: Id::from_store(r.dealer_id),
            region_id: Id::from_store(r.region_id),
            fields: CustomerFields {
                display_name: DisplayName::from_store(r.display_name),
                phone: r.phone.map(Phone::from_store),
                email: r.email.map(Email::from_store),
                advisor_id: r.advisor_id.map(Id::from_store),
            },
            meta: meta_from_row(r.version, r.create_time, r.update_time),
        }
    }
}

impl Deletable for Customer {
    const DELETE: &'static str = "DELETE FROM customers WHERE id = $1 AND version = $2";
    const REFERENCED: &'static str = "the customer still owns vehicles";
}

impl Stored for Customer {
    const WHAT: &'static str = WHAT;
    const CHANGE: Change = Change::Dealership;

    async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<Self>> {
        let row: Option<Row> = sqlx::query_as(select!(" WHERE c.id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        Ok(row.map(Customer::from))
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

impl Store {
    pub async fn get_customer(&self, caller: &Principal, id: &str) -> Result<Customer> {
        self.get(caller, id).await
    }

    pub async fn list_customers(
        &self,
        caller: &Principal,
        dealer_id: &str,
        advisor_id: &str,
        page: &PageRequest,
    ) -> Result<Vec<Customer>> {
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
            .filter("c.dealer_id", dealer_id)
            .filter("c.advisor_id", advisor_id);
        let rows: Vec<Row> = query
            .page(
                self.db.pool(),
                "c.id",
                page.after.clone().map(Arg::Text),
                page.fetch_limit(),
            )
            .await?;
        Ok(rows.into_iter().map(Customer::from).collect())
    }

    pub async fn create_customer(
        &self,
        caller: &Caller,
        id: Id,
        dealer_id: Id,
        fields: CustomerFields,
    ) -> Result<Customer> {
        check_role(&caller.principal, Customer::CHANGE, WHAT)?;
        let mut tx = begin!(self, caller);
        let dealer: Dealer = referenced(&mut tx, &caller.principal, dealer_id.as_str()).await?;
        let customer = Customer {
            id,
            dealer_id,
            region_id: dealer.fields.region_id,
            fields,
            meta: new_meta(timestamp::now_micros()),
        };
        check_change(
            &caller.principal,
            Change::Dealership,
            customer.place(),
            WHAT,
            customer.id.as_str(),
        )?;
        check_advisor(&mut tx, &customer).await?;
        sqlx::query(
            "INSERT INTO customers (id, dealer_id, display_name, phone, email, advisor_id, version, create_time, \
             update_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(customer.id.as_str())
        .bind(customer.dealer_id.as_str())
        .bind(customer.fields.display_name.as_str())
        .bind(customer.fields.phone.as_ref().map(Phone::as_str))
        .bind(customer.fields.email.as_ref().map(Email::as_str))
        .bind(customer.fields.advisor_id.as_ref().map(Id::as_str))
        .bind(customer.meta.version)
        .bind(timestamp::to_micros(customer.meta.create_time))
        .bind(timestamp::to_micros(customer.meta.update_time))
        .execute(&mut *tx)
        .await
        .map_err(|e| on_write_error(e, &[("customers", format!("customer {} already exists", customer.id))]))?;
        Self::commit(tx, caller, customer).await
    }

    pub async fn update_customer(
        &self,
        caller: &Caller,
        id: &str,
        etag: Option<i64>,
        patch: CustomerPatch,
    ) -> Result<Customer> {
        let mut tx = begin!(self, caller);
        let old: Customer = editable(&mut tx, &caller.principal, id, etag).await?;
        let mut new = Customer {
            meta: next_meta(&old.meta, timestamp::now_micros()),
            ..old.clone()
        };
        new.fields.apply(patch);
        check_advisor(&mut tx, &new).await?;
        let rows = sqlx::query(
            "UPDATE customers SET display_name = $1, phone = $2, email = $3, advisor_id = $4, version = $5, \
             update_time = $6 WHERE id = $7 AND version = $8",
        )
        .bind(new.fields.display_name.as_str())
        .bind(new.fields.phone.as_ref().map(Phone::as_str))
        .bind(new.fields.email.as_ref().map(Email::as_str))
        .bind(new.fields.advisor_id.as_ref().map(Id::as_str))
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

    pub async fn delete_customer(
        &self,
        caller: &Caller,
        id: &str,
        etag: Option<i64>,
    ) -> Result<()> {
        self.delete::<Customer>(caller, id, etag).await
    }
}
