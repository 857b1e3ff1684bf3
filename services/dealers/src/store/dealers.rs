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
        network::{Dealer, DealerFields, DealerPatch, Region},
        text::{City, Code, DisplayName, Id},
    },
    error::Result,
};

const WHAT: &str = "dealer";

macro_rules! select {
    ($($rest:literal)?) => {
        concat!(
            "SELECT id, region_id, display_name, code, city, version, create_time, update_time FROM dealers"
            $(, $rest)?
        )
    };
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    region_id: String,
    display_name: String,
    code: String,
    city: String,
    version: i64,
    create_time: i64,
    update_time: i64,
}

impl From<Row> for Dealer {
    fn from(r: Row) -> Self {
        Dealer {
            id: Id::from_store(r.id),
            fields: DealerFields {
                region_id: Id::from_store(r.region_id),
                display_name: DisplayName::from_store(r.display_name),
                code: Code::from_store(r.code),
                city: City::from_store(r.city),
            },
            meta: meta_from_row(r.version, r.create_time, r.update_time),
        }
    }
}

impl Deletable for Dealer {
    const DELETE: &'static str = "DELETE FROM dealers WHERE id = $1 AND version = $2";
    const REFERENCED: &'static str = "the dealer still has stations or customers";
}

impl Stored for Dealer {
    const WHAT: &'static str = WHAT;
    const CHANGE: Change = Change::Network;

    async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<Self>> {
        let row: Option<Row> = sqlx::query_as(select!(" WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        Ok(row.map(Dealer::from))
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

fn uniques(dealer: &Dealer) -> [(&'static str, String); 2] {
    [
        (
            "code",
            format!("dealer code {} is taken", dealer.fields.code),
        ),
        ("dealers", format!("dealer {} already exists", dealer.id)),
    ]
}

impl Store {
    pub async fn get_dealer(&self, caller: &Principal, id: &str) -> Result<Dealer> {
        self.get(caller, id).await
    }

    pub async fn list_dealers(
        &self,
        caller: &Principal,
        region_id: &str,
        page: &PageRequest,
    ) -> Result<Vec<Dealer>> {
        let scope = list_scope(caller)?;
        let mut query = ListQuery::new(select!(), vec![]);
        query
            .scope(
                &scope,
                ScopeColumns {
                    region: "region_id",
                    dealer: "id",
                    station: None,
                },
            )
            .filter("region_id", region_id);
        let rows: Vec<Row> = query
            .page(
                self.db.pool(),
                "id",
                page.after.clone().map(Arg::Text),
                page.fetch_limit(),
            )
            .await?;
        Ok(rows.into_iter().map(Dealer::from).collect())
    }

    pub async fn create_dealer(
        &self,
        caller: &Caller,
        id: Id,
        fields: DealerFields,
    ) -> Result<Dealer> {
        check_role(&caller.principal, Dealer::CHANGE, WHAT)?;
        let mut tx = begin!(self, caller);
        let region_id = fields.region_id.as_str();
        let _: Region = referenced(&mut tx, &caller.principal, region_id).await?;
        let dealer = Dealer {
            id,
            fields,
            meta: new_meta(timestamp::now_micros()),
        };
        check_change(
            &caller.principal,
            Change::Network,
            dealer.place(),
            WHAT,
            dealer.id.as_str(),
        )?;
        sqlx::query(
            "INSERT INTO dealers (id, region_id, display_name, code, city, version, create_time, update_time) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(dealer.id.as_str())
        .bind(dealer.fields.region_id.as_str())
        .bind(dealer.fields.display_name.as_str())
        .bind(dealer.fields.code.as_str())
        .bind(dealer.fields.city.as_str())
        .bind(dealer.meta.version)
        .bind(timestamp::to_micros(dealer.meta.create_time))
        .bind(timestamp::to_micros(dealer.meta.update_time))
        .execute(&mut *tx)
        .await
        .map_err(|e| on_write_error(e, &uniques(&dealer)))?;
        Self::commit(tx, caller, dealer).await
    }

    pub async fn update_dealer(
        &self,
        caller: &Caller,
        id: &str,
        etag: Option<i64>,
        patch: DealerPatch,
    ) -> Result<Dealer> {
        let mut tx = begin!(self, caller);
        let old: Dealer = editable(&mut tx, &caller.principal, id, etag).await?;
        let mut new = Dealer {
            meta: next_meta(&old.meta, timestamp::now_micros()),
            ..old.clone()
        };
        new.fields.apply(patch);
        if new.fields.region_id != old.fields.region_id {
            // Moving a dealer needs the right to place it in the new region.
            let region_id = new.fields.region_id.as_str();
            let _: Region = referenced(&mut tx, &caller.principal, region_id).await?;
            check_change(&caller.principal, Change::Network, new.place(), WHAT, id)?;
        }
        let rows = sqlx::query(
            "UPDATE dealers SET region_id = $1, display_name = $2, code = $3, city = $4, version = $5, update_time = $6 \
             WHERE id = $7 AND version = $8",
        )
        .bind(new.fields.region_id.as_str())
        .bind(new.fields.display_name.as_str())
        .bind(new.fields.code.as_str())
        .bind(new.fields.city.as_str())
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

    pub async fn delete_dealer(&self, caller: &Caller, id: &str, etag: Option<i64>) -> Result<()> {
        self.delete::<Dealer>(caller, id, etag).await
    }
}
