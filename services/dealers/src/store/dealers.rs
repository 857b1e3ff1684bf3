use aftercare_auth::Principal;
use aftercare_db::timestamp;
use aftercare_values::PageRequest;
use sqlx::{Any, Executor};

use super::{
    Begun, Caller, Store, begin, check_change, check_etag, check_read, expect_one,
    list::{ListQuery, ScopeColumns},
    list_scope, new_meta, next_meta, on_delete_error, on_write_error, regions,
};
use crate::{
    domain::{
        access::{Change, Place},
        network::{Dealer, DealerFields, DealerPatch},
        text::{City, Code, DisplayName, Id},
    },
    error::{Error, Result},
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
            meta: super::meta(r.version, r.create_time, r.update_time),
        }
    }
}

pub(super) fn place(dealer: &Dealer) -> Place<'_> {
    Place::Dealer {
        region_id: dealer.fields.region_id.as_str(),
        dealer_id: dealer.id.as_str(),
    }
}

/// The dealer with `id`, whoever asks.
pub(super) async fn find<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> Result<Option<Dealer>> {
    let row: Option<Row> = sqlx::query_as(select!(" WHERE id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await?;
    Ok(row.map(Dealer::from))
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
        let dealer = find(self.db.pool(), id)
            .await?
            .ok_or_else(|| Error::not_found(WHAT, id))?;
        check_read(caller, place(&dealer), WHAT, id)?;
        Ok(dealer)
    }

    pub async fn list_dealers(
        &self,
        caller: &Principal,
        region_id: &str,
        page: &PageRequest,
    ) -> Result<Vec<Dealer>> {
        let scope = list_scope(caller)?;
        let mut query = ListQuery::new(select!());
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
        let rows: Vec<Row> = query.page(self.db.pool(), "id", page).await?;
        Ok(rows.into_iter().map(Dealer::from).collect())
    }

    pub async fn create_dealer(
        &self,
        caller: &Caller,
        id: Id,
        fields: DealerFields,
    ) -> Result<Dealer> {
        let mut tx = begin!(self, caller);
        let region_id = fields.region_id.as_str();
        regions::find(&mut *tx, region_id)
            .await?
            .ok_or_else(|| Error::not_found("region", region_id))?;
        let dealer = Dealer {
            id,
            fields,
            meta: new_meta(),
        };
        check_change(
            &caller.principal,
            Change::Network,
            place(&dealer),
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
        let old = find(&mut *tx, id)
            .await?
            .ok_or_else(|| Error::not_found(WHAT, id))?;
        check_change(&caller.principal, Change::Network, place(&old), WHAT, id)?;
        check_etag(&old.meta, etag, WHAT, id)?;
        let mut new = Dealer {
            meta: next_meta(&old.meta),
            ..old.clone()
        };
        new.fields.apply(patch);
        if new.fields.region_id != old.fields.region_id {
            // Moving a dealer needs the right to place it in the new region.
            let region_id = new.fields.region_id.as_str();
            regions::find(&mut *tx, region_id)
                .await?
                .ok_or_else(|| Error::not_found("region", region_id))?;
            check_change(&caller.principal, Change::Network, place(&new), WHAT, id)?;
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
        let mut tx = begin!(self, caller);
        let old = find(&mut *tx, id)
            .await?
            .ok_or_else(|| Error::not_found(WHAT, id))?;
        check_change(&caller.principal, Change::Network, place(&old), WHAT, id)?;
        check_etag(&old.meta, etag, WHAT, id)?;
        let rows = sqlx::query("DELETE FROM dealers WHERE id = $1 AND version = $2")
            .bind(id)
            .bind(old.meta.version)
            .execute(&mut *tx)
            .await
            .map_err(|e| on_delete_error(e, "the dealer still has stations or customers"))?
            .rows_affected();
        expect_one(rows, WHAT, id)?;
        Self::commit(tx, caller, ()).await
    }
}
