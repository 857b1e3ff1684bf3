//! The rows of stations.

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
        network::{BuildStandard, StarLevel, Station, StationFields},
        text::{City, Code, DisplayName, Id},
    },
    error::{Error, Result},
};

#[derive(aftercare_db::FromRow)]
pub(crate) struct Row {
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

impl Columns for Station {
    const TABLE: &'static str = "stations";
    const FIXED: &'static [&'static str] = &["dealer_id"];
    const CHANGED: &'static [&'static str] = &[
        "display_name",
        "code",
        "city",
        "build_standard",
        "star_level",
    ];
    const SELECT: &'static str = "SELECT s.id, s.dealer_id, d.region_id, s.display_name, s.code, \
                                  s.city, s.build_standard, s.star_level, s.version, s.create_time, \
                                  s.update_time FROM stations s JOIN dealers d ON d.id = s.dealer_id";
    const ID: &'static str = "s.id";
    const SCOPE: Option<ScopeColumns> = Some(ScopeColumns {
        region: "d.region_id",
        dealer: "s.dealer_id",
        station: Some("s.id"),
    });
    const FILTERS: &'static [&'static str] = &["s.dealer_id", "d.region_id"];

    type Row = Row;

    fn from_row(r: Row) -> Result<Self> {
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

    fn id(&self) -> &str {
        self.id.as_str()
    }

    fn values(&self) -> Vec<Value> {
        let f = &self.fields;
        vec![
            self.dealer_id.as_str().into(),
            f.display_name.as_str().into(),
            f.code.as_str().into(),
            f.city.as_str().into(),
            (f.build_standard as i64).into(),
            i64::from(f.star_level.get()).into(),
        ]
    }

    fn uniques(&self) -> Vec<(&'static str, String)> {
        vec![(
            "code",
            format!("station code {} is taken", self.fields.code),
        )]
    }
}

impl Deletable for Station {
    const REFERENCED: &'static str =
        "the station still has staff, facility audits or repair orders";
}

impl Stored for Station {
    const WHAT: &'static str = "station";
    const CHANGE: Change = Change::Network;

    async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<Self>> {
        columns::find(conn, id).await
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

/// The display names of the station's dealer and of the station, as they
/// are now.
pub(crate) async fn names(tx: &mut aftercare_db::Tx, station_id: &Id) -> Result<(String, String)> {
    Ok(sqlx::query_as(
        "SELECT d.display_name, s.display_name FROM stations s \
         JOIN dealers d ON d.id = s.dealer_id WHERE s.id = $1",
    )
    .bind(station_id.as_str())
    .fetch_one(&mut **tx)
    .await?)
}
