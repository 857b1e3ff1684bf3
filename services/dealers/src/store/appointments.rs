//! Appointments: booked, then arrived (opening an RO) or missed.

use aftercare_auth::Principal;
use aftercare_db::list::{Arg, ListQuery};
use aftercare_db::timestamp;
use aftercare_edge::resource::{expect_one, meta_from_row, new_meta, next_meta, on_write_error};
use aftercare_values::resource::Meta;
use aftercare_values::{Money, PageRequest};
use sqlx::AnyConnection;
use time::OffsetDateTime;

use super::{
    Caller, Store, Stored, begin, check_role, editable,
    list::{ScopeColumns, Scoped},
    list_scope,
    repair_orders::{Parties, open, station_of},
};
use crate::{
    domain::{
        access::{Change, Place},
        orders::{Appointment, AppointmentStatus, Booking, Opening, RepairOrder, check_no_show},
        repair_order::OrderType,
        text::Id,
    },
    error::{Error, Result},
};

const WHAT: &str = "appointment";

macro_rules! select {
    ($($rest:literal)?) => {
        concat!(
            "SELECT a.id, s.dealer_id, d.region_id, a.station_id, a.vehicle_id, a.advisor_id, a.start_time, \
             a.order_type, a.fast_lane, a.status, a.repair_order_id, a.arrival_time, a.version, a.create_time, \
             a.update_time FROM appointments a JOIN stations s ON s.id = a.station_id \
             JOIN dealers d ON d.id = s.dealer_id"
            $(, $rest)?
        )
    };
}

#[derive(sqlx::FromRow)]
struct Row {
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

impl TryFrom<Row> for Appointment {
    type Error = Error;

    fn try_from(r: Row) -> Result<Self> {
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
}

impl Stored for Appointment {
    const WHAT: &'static str = WHAT;
    const CHANGE: Change = Change::Workshop;

    async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<Self>> {
        let row: Option<Row> = sqlx::query_as(select!(" WHERE a.id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        row.map(Appointment::try_from).transpose()
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

/// What arriving for an appointment adds to its booking.
#[derive(Debug, Clone)]
pub struct Arrival {
    pub arrival_time: Option<OffsetDateTime>,
    pub promise_time: OffsetDateTime,
    pub estimate: Money,
    pub mileage_km: i64,
    pub repair_order_id: Id,
}

impl Store {
    pub async fn get_appointment(&self, caller: &Principal, id: &str) -> Result<Appointment> {
        super::get(&self.db, caller, id).await
    }

    pub async fn list_appointments(
        &self,
        caller: &Principal,
        station_id: &str,
        advisor_id: &str,
        page: &PageRequest,
    ) -> Result<Vec<Appointment>> {
        let scope = list_scope(caller)?;
        let mut query = ListQuery::new(select!(), vec![]);
        query
            .scope(
                &scope,
                ScopeColumns {
                    region: "d.region_id",
                    dealer: "s.dealer_id",
                    station: Some("a.station_id"),
                },
            )
            .filter("a.station_id", station_id)
            .filter("a.advisor_id", advisor_id);
        let rows: Vec<Row> = query
            .page(
                self.db.pool(),
                "a.id",
                page.after.clone().map(Arg::Text),
                page.fetch_limit(),
            )
            .await?;
        rows.into_iter().map(Appointment::try_from).collect()
    }

    pub async fn create_appointment(
        &self,
        caller: &Caller,
        id: Id,
        booking: Booking,
    ) -> Result<Appointment> {
        check_role(&caller.principal, Change::Workshop, WHAT)?;
        let mut tx = begin!(self, caller);
        let parties = Parties {
            station_id: &booking.station_id,
            vehicle_id: &booking.vehicle_id,
            advisor_id: &booking.advisor_id,
        };
        let station = station_of(&mut tx, &caller.principal, parties, "appointment").await?;
        let appointment = Appointment {
            id,
            dealer_id: station.dealer_id,
            region_id: station.region_id,
            booking,
            status: AppointmentStatus::Booked,
            repair_order_id: None,
            arrival_time: None,
            meta: new_meta(timestamp::now_micros()),
        };
        let b = &appointment.booking;
        sqlx::query(
            "INSERT INTO appointments (id, station_id, vehicle_id, advisor_id, start_time, order_type, fast_lane, \
             status, version, create_time, update_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(appointment.id.as_str())
        .bind(b.station_id.as_str())
        .bind(b.vehicle_id.as_str())
        .bind(b.advisor_id.as_str())
        .bind(timestamp::to_micros(b.start_time))
        .bind(b.order_type.as_str())
        .bind(i64::from(b.fast_lane))
        .bind(appointment.status.as_str())
        .bind(appointment.meta.version)
        .bind(timestamp::to_micros(appointment.meta.create_time))
        .bind(timestamp::to_micros(appointment.meta.update_time))
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            on_write_error(
                e,
                &[("appointments", format!("appointment {} already exists", appointment.id))],
            )
        })?;
        Self::commit(tx, caller, appointment).await
    }

    /// The customer came: the appointment is marked and its RO opened, in
    /// one transaction.
    pub async fn arrive_for_appointment(
        &self,
        caller: &Caller,
        id: &str,
        arrival: Arrival,
    ) -> Result<RepairOrder> {
        let mut tx = begin!(self, caller);
        let appointment: Appointment = editable(&mut tx, &caller.principal, id, None).await?;
        booked(&appointment)?;
        let b = appointment.booking;
        let opening = Opening {
            station_id: b.station_id,
            vehicle_id: b.vehicle_id,
            advisor_id: b.advisor_id,
            order_type: b.order_type,
            fast_lane: b.fast_lane,
            arrival_time: arrival.arrival_time,
            promise_time: arrival.promise_time,
            estimate: arrival.estimate,
            mileage_km: arrival.mileage_km,
        };
        let ro = open(
            &mut tx,
            &caller.principal,
            arrival.repair_order_id,
            opening,
            Some(appointment.id.clone()),
            "request",
            &self.zone,
        )
        .await?;
        let meta = next_meta(&appointment.meta, timestamp::now_micros());
        let rows = sqlx::query(
            "UPDATE appointments SET status = $1, repair_order_id = $2, arrival_time = $3, version = $4, \
             update_time = $5 WHERE id = $6 AND version = $7",
        )
        .bind(AppointmentStatus::Arrived.as_str())
        .bind(ro.id.as_str())
        .bind(timestamp::to_micros(ro.arrival_time()))
        .bind(meta.version)
        .bind(timestamp::to_micros(meta.update_time))
        .bind(id)
        .bind(appointment.meta.version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        expect_one(rows, WHAT, id)?;
        Self::commit(tx, caller, ro).await
    }

    pub async fn record_no_show(&self, caller: &Caller, id: &str) -> Result<Appointment> {
        let mut tx = begin!(self, caller);
        let old: Appointment = editable(&mut tx, &caller.principal, id, None).await?;
        booked(&old)?;
        let meta = next_meta(&old.meta, timestamp::now_micros());
        check_no_show(old.booking.start_time, meta.update_time)
            .map_err(|e| Error::FailedPrecondition(format!("{WHAT} {id}: {e}")))?;
        let rows = sqlx::query(
            "UPDATE appointments SET status = $1, version = $2, update_time = $3 WHERE id = $4 AND version = $5",
        )
        .bind(AppointmentStatus::NoShow.as_str())
        .bind(meta.version)
        .bind(timestamp::to_micros(meta.update_time))
        .bind(id)
        .bind(old.meta.version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        expect_one(rows, WHAT, id)?;
        let new = Appointment {
            status: AppointmentStatus::NoShow,
            meta,
            ..old
        };
        Self::commit(tx, caller, new).await
    }
}

fn booked(a: &Appointment) -> Result<()> {
    if a.status == AppointmentStatus::Booked {
        Ok(())
    } else {
        Err(Error::FailedPrecondition(format!(
            "{WHAT} {} is {}, not booked",
            a.id,
            a.status.as_str()
        )))
    }
}
