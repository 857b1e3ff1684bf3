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
        network::{BuildStandard, Dealer, StarLevel, Station, StationFields, StationPatch},
        text::{City, Code, DisplayName, Id},
    },
    error::{Error, Result},
};

const WHAT: &str = "station";

macro_rules! select {
    ($($rest:literal)?) => {
        concat!(
            "SELECT s.id, s.dealer_id, d.region_id, s.display_name, s.code, s.city, s.build_standard, s.star_level, \
             s.version, s.create_time, s.update_time FROM stations s JOIN dealers d ON d.id = s.dealer_id"
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
    code: String,
    city: String,
    build_standard: i64,
    star_level: i64,
    version: i64,
    create_time: i64,
    update_time: i64,
}

impl TryFrom<Row> for Station {
    type Error = Error;

    fn try_from(r: Row) -> Result<Self> {
        let corrupt =
            |what: &str| Error::Internal(format!("station {} has an unknown {what}", r.id).into());
        Ok(Station {
            fields: StationFields {
                display_name: DisplayName::from_store(r.display_name),
                code: Code::from_store(r.code),
                city: City::from_store(r.city),
                build_standard: BuildStandard::from_number(r.build_standard)
                    .ok_or_else(|| corrupt("build standard"))?,
                star_level: StarLevel::parse(r.star_level).map_err(|_| corrupt("star level"))?,
            },
            id: Id::from_store(r.id),
            dealer_id: Id::from_store(r.dealer_id),
            region_id: Id::from_store(r.region_id),
            meta: meta_from_row(r.version, r.create_time, r.update_time),
        })
    }
}

impl Deletable for Station {
    const DELETE: &'static str = "DELETE FROM stations WHERE id = $1 AND version = $2";
    const REFERENCED: &'static str =
        "the station still has staff, facility audits or repair orders";
}

impl Stored for Station {
    const WHAT: &'static str = WHAT;
    const CHANGE: Change = Change::Network;

    async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<Self>> {
        let row: Option<Row> = sqlx::query_as(select!(" WHERE s.id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        row.map(Station::try_from).transpose()
    }

    fn place(&self) -> Place<'_> {
        Place::Station {
            region_id: self.region_id.as_str(),
            dealer_id: self.dealer_id.as_str(),
            station_id: self.id.as_str(),
        }
    }

    fn meta(&self) -> &Meta {
        &self.meta
    }
}

fn uniques(station: &Station) -> [(&'static str, String); 2] {
    [
        (
            "code",
            format!("station code {} is taken", station.fields.code),
        ),
        ("stations", format!("station {} already exists", station.id)),
    ]
}

impl Store {
    pub async fn get_station(&self, caller: &Principal, id: &str) -> Result<Station> {
        self.get(caller, id).await
    }

    pub async fn list_stations(
        &self,
        caller: &Principal,
        dealer_id: &str,
        region_id: &str,
        page: &PageRequest,
    ) -> Result<Vec<Station>> {
        let scope = list_scope(caller)?;
        let mut query = ListQuery::new(select!(), vec![]);
        query
            .scope(
                &scope,
                ScopeColumns {
                    region: "d.region_id",
                    dealer: "s.dealer_id",
                    station: Some("s.id"),
                },
            )
            .filter("s.dealer_id", dealer_id)
            .filter("d.region_id", region_id);
        let rows: Vec<Row> = query
            .page(
                self.db.pool(),
                "s.id",
                page.after.clone().map(Arg::Text),
                page.fetch_limit(),
            )
            .await?;
        rows.into_iter().map(Station::try_from).collect()
    }

    pub async fn create_station(
        &self,
        caller: &Caller,
        id: Id,
        dealer_id: Id,
        fields: StationFields,
    ) -> Result<Station> {
        check_role(&caller.principal, Station::CHANGE, WHAT)?;
        let mut tx = begin!(self, caller);
        let dealer: Dealer = referenced(&mut tx, &caller.principal, dealer_id.as_str()).await?;
        let station = Station {
            id,
            dealer_id,
            region_id: dealer.fields.region_id,
            fields,
            meta: new_meta(timestamp::now_micros()),
        };
        check_change(
            &caller.principal,
            Change::Network,
            station.place(),
            WHAT,
            station.id.as_str(),
        )?;
        sqlx::query(
            "INSERT INTO stations (id, dealer_id, display_name, code, city, build_standard, star_level, version, \
             create_time, update_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(station.id.as_str())
        .bind(station.dealer_id.as_str())
        .bind(station.fields.display_name.as_str())
        .bind(station.fields.code.as_str())
        .bind(station.fields.city.as_str())
        .bind(station.fields.build_standard as i64)
        .bind(i64::from(station.fields.star_level.get()))
        .bind(station.meta.version)
        .bind(timestamp::to_micros(station.meta.create_time))
        .bind(timestamp::to_micros(station.meta.update_time))
        .execute(&mut *tx)
        .await
        .map_err(|e| on_write_error(e, &uniques(&station)))?;
        Self::commit(tx, caller, station).await
    }

    pub async fn update_station(
        &self,
        caller: &Caller,
        id: &str,
        etag: Option<i64>,
        patch: StationPatch,
    ) -> Result<Station> {
        let mut tx = begin!(self, caller);
        let old: Station = editable(&mut tx, &caller.principal, id, etag).await?;
        let mut new = Station {
            meta: next_meta(&old.meta, timestamp::now_micros()),
            ..old.clone()
        };
        new.fields.apply(patch);
        let rows = sqlx::query(
            "UPDATE stations SET display_name = $1, code = $2, city = $3, build_standard = $4, star_level = $5, \
             version = $6, update_time = $7 WHERE id = $8 AND version = $9",
        )
        .bind(new.fields.display_name.as_str())
        .bind(new.fields.code.as_str())
        .bind(new.fields.city.as_str())
        .bind(new.fields.build_standard as i64)
        .bind(i64::from(new.fields.star_level.get()))
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

    pub async fn delete_station(&self, caller: &Caller, id: &str, etag: Option<i64>) -> Result<()> {
        self.delete::<Station>(caller, id, etag).await
    }
}
