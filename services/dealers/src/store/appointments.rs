//! The rows of appointments: booked, then arrived (opening an RO) or
//! missed.

use aftercare_db::timestamp;
use aftercare_edge::resource::meta_from_row;
use aftercare_values::resource::Meta;
use sqlx::AnyConnection;

use super::{
    Stored,
    columns::{self, Columns, Value},
    list::ScopeColumns,
};
use crate::{
    domain::{
        access::{Change, Place},
        orders::{Appointment, AppointmentStatus, Booking},
        repair_order::OrderType,
        text::Id,
    },
    error::{Error, Result},
};

#[derive(aftercare_db::FromRow)]
pub(crate) struct Row {
    id: String,
    dealer_id: String,
    region_id: String,
    station_id: String,
    vehicle_id: String,
    advisor_id: String,
    start_time: i64,
    order_type: String,
    fast_lane: i64,
    status: String,
    repair_order_id: Option<String>,
    arrival_time: Option<i64>,
    version: i64,
    create_time: i64,
    update_time: i64,
}

impl Columns for Appointment {
    const TABLE: &'static str = "appointments";
    const FIXED: &'static [&'static str] = &[
        "station_id",
        "vehicle_id",
        "advisor_id",
        "start_time",
        "order_type",
        "fast_lane",
    ];
    const CHANGED: &'static [&'static str] = &["status", "repair_order_id", "arrival_time"];
    const SELECT: &'static str = "SELECT a.id, s.dealer_id, d.region_id, a.station_id, \
                                  a.vehicle_id, a.advisor_id, a.start_time, a.order_type, \
                                  a.fast_lane, a.status, a.repair_order_id, a.arrival_time, \
                                  a.version, a.create_time, a.update_time FROM appointments a \
                                  JOIN stations s ON s.id = a.station_id \
                                  JOIN dealers d ON d.id = s.dealer_id";
    const ID: &'static str = "a.id";
    const SCOPE: Option<ScopeColumns> = Some(ScopeColumns {
        region: "d.region_id",
        dealer: "s.dealer_id",
        station: Some("a.station_id"),
    });
    const FILTERS: &'static [&'static str] = &["a.station_id", "a.advisor_id"];

    type Row = Row;

    fn from_row(r: Row) -> Result<Self> {
        let corrupt =
            |what: &str| Error::Internal(format!("appointment {} has a bad {what}", r.id).into());
        Ok(Appointment {
            booking: Booking {
                station_id: Id::from_store(r.station_id),
                vehicle_id: Id::from_store(r.vehicle_id),
                advisor_id: Id::from_store(r.advisor_id),
                start_time: timestamp::from_micros(r.start_time),
                order_type: OrderType::parse(&r.order_type).ok_or_else(|| corrupt("type"))?,
                fast_lane: r.fast_lane != 0,
            },
            status: AppointmentStatus::parse(&r.status).ok_or_else(|| corrupt("status"))?,
            repair_order_id: r.repair_order_id.map(Id::from_store),
            arrival_time: r.arrival_time.map(timestamp::from_micros),
            dealer_id: Id::from_store(r.dealer_id),
            region_id: Id::from_store(r.region_id),
            meta: meta_from_row(r.version, r.create_time, r.update_time),
            id: Id::from_store(r.id),
        })
    }

    fn id(&self) -> &str {
        self.id.as_str()
    }

    fn values(&self) -> Vec<Value> {
        let b = &self.booking;
        vec![
            b.station_id.as_str().into(),
            b.vehicle_id.as_str().into(),
            b.advisor_id.as_str().into(),
            timestamp::to_micros(b.start_time).into(),
            b.order_type.as_str().into(),
            i64::from(b.fast_lane).into(),
            self.status.as_str().into(),
            self.repair_order_id.as_ref().map(Id::as_str).into(),
            self.arrival_time.map(timestamp::to_micros).into(),
        ]
    }
}

impl Stored for Appointment {
    const WHAT: &'static str = "appointment";
    const CHANGE: Change = Change::Workshop;

    async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<Self>> {
        columns::find(conn, id).await
    }

    fn place(&self) -> Place<'_> {
        Place::Station {
            region_id: self.region_id.as_str(),
            dealer_id: self.dealer_id.as_str(),
            station_id: self.booking.station_id.as_str(),
        }
    }

    fn meta(&self) -> &Meta {
        &self.meta
    }
}
