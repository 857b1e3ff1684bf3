//! Appointments, and the opening and reading of repair orders: each RO
//! opened is tallied for the service standards in the same transaction.

use aftercare_auth::Principal;
use aftercare_db::{Db, Tx, timestamp::now_micros};
use aftercare_edge::{
    Caller,
    resource::{new_meta, next_meta},
};
use aftercare_serving::watch::Changes;
use aftercare_values::{Money, OemZone, PageRequest};
use time::OffsetDateTime;

use super::access::{check_change, check_role, editable, list_scope, referenced};
use super::{commit, get};
use crate::{
    domain::{
        access::Change,
        network::{StaffMember, StaffPosition, Station, Vehicle},
        orders::{
            Appointment, AppointmentStatus, Booking, Opening, RepairOrder, StatusChange,
            check_no_show,
        },
        repair_order::Status,
        text::Id,
    },
    error::{Error, Result},
    store::{Stored, columns, compliance, repair_orders},
};

/// What arriving for an appointment adds to its booking.
#[derive(Debug, Clone)]
pub struct Arrival {
    pub arrival_time: Option<OffsetDateTime>,
    pub promise_time: OffsetDateTime,
    pub estimate: Money,
    pub mileage_km: i64,
    pub repair_order_id: Id,
}

/// Appointments and repair orders as they are opened and read.
#[derive(Debug, Clone)]
pub struct RepairOrders {
    db: Db,
    /// The OEM's time zone: compliance is tallied per station and local day.
    zone: OemZone,
    /// Wakes the watches of at-risk ROs after each RO opened.
    changes: Changes,
}

impl RepairOrders {
    pub fn new(db: Db) -> Self {
        Self {
            db,
            zone: OemZone::utc(),
            changes: Changes::default(),
        }
    }

    /// What the writes of ROs tell the watches of at-risk ROs: share it
    /// with [`super::Workshop::with_changes`].
    pub fn changes(&self) -> &Changes {
        &self.changes
    }

    pub fn with_zone(mut self, zone: OemZone) -> Self {
        self.zone = zone;
        self
    }

    pub async fn get_appointment(&self, caller: &Principal, id: &str) -> Result<Appointment> {
        get(&self.db, caller, id).await
    }

    pub async fn list_appointments(
        &self,
        caller: &Principal,
        station_id: &str,
        advisor_id: &str,
        page: &PageRequest,
    ) -> Result<Vec<Appointment>> {
        let scope = list_scope(caller)?;
        let mut conn = self.db.pool().acquire().await?;
        columns::list(&mut conn, &scope, &[station_id, advisor_id], page).await
    }

    pub async fn create_appointment(
        &self,
        caller: &Caller,
        id: Id,
        booking: Booking,
    ) -> Result<Appointment> {
        check_role(&caller.principal, Change::Workshop, Appointment::WHAT)?;
        let mut tx = aftercare_db::begin_write!(&self.db, caller.key.as_ref());
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
            meta: new_meta(now_micros()),
        };
        columns::insert(&mut tx, &appointment).await?;
        commit(tx, caller, appointment).await
    }

    /// The customer came: the appointment is marked and its RO opened, in
    /// one transaction.
    pub async fn arrive_for_appointment(
        &self,
        caller: &Caller,
        id: &str,
        arrival: Arrival,
    ) -> Result<RepairOrder> {
        let mut tx = aftercare_db::begin_write!(&self.db, caller.key.as_ref());
        let appointment: Appointment = editable(&mut tx, &caller.principal, id, None).await?;
        booked(&appointment)?;
        let b = appointment.booking.clone();
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
        let arrived = Appointment {
            status: AppointmentStatus::Arrived,
            repair_order_id: Some(ro.id.clone()),
            arrival_time: Some(ro.arrival_time()),
            meta: next_meta(&appointment.meta, now_micros()),
            ..appointment.clone()
        };
        columns::update(&mut tx, &arrived, appointment.meta.version).await?;
        let ro = commit(tx, caller, ro).await?;
        self.changes.notify();
        Ok(ro)
    }

    pub async fn record_no_show(&self, caller: &Caller, id: &str) -> Result<Appointment> {
        let mut tx = aftercare_db::begin_write!(&self.db, caller.key.as_ref());
        let old: Appointment = editable(&mut tx, &caller.principal, id, None).await?;
        booked(&old)?;
        let meta = next_meta(&old.meta, now_micros());
        check_no_show(old.booking.start_time, meta.update_time)
            .map_err(|e| Error::FailedPrecondition(format!("{} {id}: {e}", Appointment::WHAT)))?;
        let new = Appointment {
            status: AppointmentStatus::NoShow,
            meta,
            ..old.clone()
        };
        columns::update(&mut tx, &new, old.meta.version).await?;
        commit(tx, caller, new).await
    }

    pub async fn get_repair_order(&self, caller: &Principal, id: &str) -> Result<RepairOrder> {
        get(&self.db, caller, id).await
    }

    pub async fn list_repair_orders(
        &self,
        caller: &Principal,
        station_id: &str,
        vehicle_id: &str,
        status: Option<Status>,
        page: &PageRequest,
    ) -> Result<Vec<RepairOrder>> {
        let scope = list_scope(caller)?;
        let mut conn = self.db.pool().acquire().await?;
        let values = [station_id, vehicle_id, status.map_or("", Status::as_str)];
        repair_orders::list(&mut conn, &scope, &values, page).await
    }

    /// The open ROs of a station that will miss their promise, by promise.
    pub async fn list_at_risk(
        &self,
        caller: &Principal,
        station_id: &str,
        advisor_id: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<RepairOrder>> {
        let mut conn = self.db.pool().acquire().await?;
        let station: Station = referenced(&mut conn, caller, station_id).await?;
        let mut at_risk: Vec<RepairOrder> =
            repair_orders::open_work_at(&mut conn, station.id.as_str(), advisor_id)
                .await?
                .into_iter()
                .filter(|ro| ro.at_risk(now))
                .collect();
        at_risk.sort_by_key(|ro| ro.opening.promise_time);
        Ok(at_risk)
    }

    /// Opens an RO with no appointment.
    pub async fn create_repair_order(
        &self,
        caller: &Caller,
        id: Id,
        opening: Opening,
    ) -> Result<RepairOrder> {
        check_role(&caller.principal, Change::Workshop, RepairOrder::WHAT)?;
        let mut tx = aftercare_db::begin_write!(&self.db, caller.key.as_ref());
        let ro = open(
            &mut tx,
            &caller.principal,
            id,
            opening,
            None,
            "repair_order",
            &self.zone,
        )
        .await?;
        let ro = commit(tx, caller, ro).await?;
        self.changes.notify();
        Ok(ro)
    }
}

fn booked(a: &Appointment) -> Result<()> {
    if a.status == AppointmentStatus::Booked {
        Ok(())
    } else {
        Err(Error::FailedPrecondition(format!(
            "{} {} is {}, not booked",
            Appointment::WHAT,
            a.id,
            a.status.as_str()
        )))
    }
}

/// The station, vehicle and advisor an appointment or an RO names.
struct Parties<'a> {
    station_id: &'a Id,
    vehicle_id: &'a Id,
    advisor_id: &'a Id,
}

/// The station of `parties`, after checking each names an object the caller
/// sees and that they belong together (`at` is the request field holding
/// them).
async fn station_of(
    tx: &mut Tx,
    caller: &Principal,
    parties: Parties<'_>,
    at: &str,
) -> Result<Station> {
    let station: Station = referenced(tx, caller, parties.station_id.as_str()).await?;
    check_change(
        caller,
        Change::Workshop,
        station.place(),
        "station",
        station.id.as_str(),
    )?;
    let vehicle: Vehicle = referenced(tx, caller, parties.vehicle_id.as_str()).await?;
    if vehicle.dealer_id != station.dealer_id {
        return Err(Error::invalid(
            &format!("{at}.vehicle_id"),
            "is not a vehicle of one of the station's dealer's customers",
        ));
    }
    let advisor: StaffMember = referenced(tx, caller, parties.advisor_id.as_str()).await?;
    if advisor.station_id != station.id || advisor.fields.position != StaffPosition::ServiceAdvisor
    {
        return Err(Error::invalid(
            &format!("{at}.advisor_id"),
            "must be a service advisor of the station",
        ));
    }
    Ok(station)
}

/// A new RO, checked, written in `tx` and tallied for the standards.
async fn open(
    tx: &mut Tx,
    caller: &Principal,
    id: Id,
    mut opening: Opening,
    appointment_id: Option<Id>,
    at: &str,
    zone: &OemZone,
) -> Result<RepairOrder> {
    let parties = Parties {
        station_id: &opening.station_id,
        vehicle_id: &opening.vehicle_id,
        advisor_id: &opening.advisor_id,
    };
    let station = station_of(tx, caller, parties, at).await?;
    let meta = new_meta(now_micros());
    let now = meta.create_time;
    let arrival = opening
        .check(now)
        .map_err(|e| Error::invalid(&format!("{at}.{}", e.field()), e.to_string()))?;
    opening.arrival_time = Some(arrival);
    let ro = RepairOrder {
        id,
        dealer_id: station.dealer_id.clone(),
        region_id: station.region_id.clone(),
        opening,
        status: Status::Opened,
        labour: vec![],
        parts: vec![],
        history: vec![StatusChange {
            status: Status::Opened,
            time: now,
            actor: caller.subject.clone(),
        }],
        comeback_of: None,
        final_bill: None,
        approval: None,
        handover: vec![],
        cancel_reason: None,
        call_back_time: None,
        appointment_id,
        warehouse_id: None,
        meta,
    };
    repair_orders::insert(tx, &ro).await?;
    compliance::record(tx, None, &ro, zone).await?;
    Ok(ro)
}
