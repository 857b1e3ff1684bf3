//! The records of the workshop: appointments and repair orders (ROs) with
//! their lines and history, and the checks on what a request puts into them.
//! The rules of an RO's life are in [`super::repair_order`].

use aftercare_values::Money;
use aftercare_values::resource::Meta;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::{
    network::Certification,
    repair_order::{OrderType, Status},
    standards::{Moment, OrderTimes},
    text::Id,
};

/// Where an appointment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppointmentStatus {
    Booked,
    Arrived,
    NoShow,
}

impl AppointmentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AppointmentStatus::Booked => "booked",
            AppointmentStatus::Arrived => "arrived",
            AppointmentStatus::NoShow => "no_show",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Booked, Self::Arrived, Self::NoShow]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// What a request books.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booking {
    pub station_id: Id,
    pub vehicle_id: Id,
    pub advisor_id: Id,
    pub start_time: OffsetDateTime,
    pub order_type: OrderType,
    pub fast_lane: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appointment {
    pub id: Id,
    pub dealer_id: Id,
    pub region_id: Id,
    pub booking: Booking,
    pub status: AppointmentStatus,
    pub repair_order_id: Option<Id>,
    pub arrival_time: Option<OffsetDateTime>,
    pub meta: Meta,
}

/// Why a no-show cannot be recorded yet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the slot has not started yet: a no-show is recorded once it has")]
pub struct TooEarly;

/// A no-show is known only once the slot has started.
pub fn check_no_show(start: OffsetDateTime, now: OffsetDateTime) -> Result<(), TooEarly> {
    if now < start { Err(TooEarly) } else { Ok(()) }
}

/// What opening an RO takes, from a walk-in, a DMS or an appointment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opening {
    pub station_id: Id,
    pub vehicle_id: Id,
    pub advisor_id: Id,
    pub order_type: OrderType,
    pub fast_lane: bool,
    /// None: the opening time.
    pub arrival_time: Option<OffsetDateTime>,
    pub promise_time: OffsetDateTime,
    pub estimate: Money,
    pub mileage_km: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpeningError {
    #[error("must be after the arrival")]
    PromiseBeforeArrival,
    #[error("cannot be in the future")]
    ArrivalInFuture,
}

impl OpeningError {
    /// The request field at fault, under the RO.
    pub fn field(&self) -> &'static str {
        match self {
            OpeningError::PromiseBeforeArrival => "promise_time",
            OpeningError::ArrivalInFuture => "arrival_time",
        }
    }
}

impl Opening {
    /// The arrival time, and checks of the times against each other.
    pub fn check(&self, now: OffsetDateTime) -> Result<OffsetDateTime, OpeningError> {
        let arrival = self.arrival_time.unwrap_or(now);
        if arrival > now {
            return Err(OpeningError::ArrivalInFuture);
        }
        if self.promise_time <= arrival {
            return Err(OpeningError::PromiseBeforeArrival);
        }
        Ok(arrival)
    }
}

/// An operation on the RO, with the standard time it had when added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabourLine {
    pub line_number: i32,
    pub operation_code: String,
    pub standard_centihours: i32,
    pub actual_centihours: i32,
    pub technician_id: Option<Id>,
    pub comeback: bool,
}

/// Where a parts line's stock stands, as the dealers service last knew it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartsLineState {
    Reserved,
    Backordered,
    /// The issue is on its way to the parts service (or has arrived).
    Issued,
    /// The release is on its way to the parts service (or has arrived).
    Released,
}

impl PartsLineState {
    pub fn as_str(self) -> &'static str {
        match self {
            PartsLineState::Reserved => "reserved",
            PartsLineState::Backordered => "backordered",
            PartsLineState::Issued => "issued",
            PartsLineState::Released => "released",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Reserved,
            Self::Backordered,
            Self::Issued,
            Self::Released,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartsLine {
    pub line_number: i32,
    pub part_number: String,
    pub quantity: i64,
    pub state: PartsLineState,
    pub reserved_part_number: String,
    pub expected_time: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub status: Status,
    pub time: OffsetDateTime,
    pub actor: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    pub method: String,
    pub time: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoverItem {
    pub item: String,
    pub done: bool,
}

/// Why a handover checklist is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HandoverError {
    #[error("must list at least one item")]
    Empty,
    #[error("item {0:?} is not done: the vehicle is handed over once every item is")]
    NotDone(String),
}

/// The vehicle is handed over once every point of the checklist is done.
pub fn check_handover(items: &[HandoverItem]) -> Result<(), HandoverError> {
    if items.is_empty() {
        return Err(HandoverError::Empty);
    }
    match items.iter().find(|i| !i.done) {
        Some(open) => Err(HandoverError::NotDone(open.item.clone())),
        None => Ok(()),
    }
}

/// Why a technician may not do an operation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the technician holds no certification {0} valid on {1}")]
pub struct NotQualified(pub String, pub Date);

/// A technician does an operation that asks for a certification only while
/// holding it, valid on the day.
pub fn check_qualified(
    required: &str,
    held: &[Certification],
    day: Date,
) -> Result<(), NotQualified> {
    if required.is_empty()
        || held
            .iter()
            .any(|c| c.kind.as_str() == required && c.is_valid_on(day))
    {
        Ok(())
    } else {
        Err(NotQualified(required.to_owned(), day))
    }
}

/// A repair order as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepairOrder {
    pub id: Id,
    pub dealer_id: Id,
    pub region_id: Id,
    /// As opened; its arrival time is always set.
    pub opening: Opening,
    pub status: Status,
    pub labour: Vec<LabourLine>,
    pub parts: Vec<PartsLine>,
    pub history: Vec<StatusChange>,
    pub comeback_of: Option<Id>,
    pub final_bill: Option<Money>,
    pub approval: Option<Approval>,
    pub handover: Vec<HandoverItem>,
    pub cancel_reason: Option<String>,
    pub call_back_time: Option<OffsetDateTime>,
    pub appointment_id: Option<Id>,
    /// The station's warehouse in the parts service, once a parts line
    /// needed it.
    pub warehouse_id: Option<String>,
    pub meta: Meta,
}

impl RepairOrder {
    pub fn arrival_time(&self) -> OffsetDateTime {
        self.opening
            .arrival_time
            .unwrap_or_else(|| self.open_time())
    }

    /// When the RO was opened: its first status change.
    pub fn open_time(&self) -> OffsetDateTime {
        self.history
            .first()
            .map_or(self.meta.create_time, |c| c.time)
    }

    /// When the RO first reached `status`, if it has.
    pub fn first(&self, status: Status) -> Option<OffsetDateTime> {
        self.history
            .iter()
            .find(|c| c.status == status)
            .map(|c| c.time)
    }

    /// What the service standards look at: its recorded moments, the first
    /// time each happened.
    pub fn times(&self) -> OrderTimes {
        let moments = [
            (Moment::Arrival, Some(self.arrival_time())),
            (Moment::Opened, Some(self.open_time())),
            (Moment::Started, self.first(Status::InProgress)),
            (Moment::Completed, self.first(Status::Completed)),
            (Moment::Delivered, self.first(Status::Delivered)),
            (Moment::Promised, Some(self.opening.promise_time)),
            (Moment::CalledBack, self.call_back_time),
        ];
        OrderTimes {
            station_id: self.opening.station_id.as_str().to_owned(),
            order_type: self.opening.order_type,
            fast_lane: self.opening.fast_lane,
            moments: moments
                .into_iter()
                .filter_map(|(m, at)| at.map(|at| (m, at)))
                .collect(),
            cancelled: self.first(Status::Cancelled),
        }
    }

    /// The work still to do: per labour line, its standard hours less the
    /// hours recorded on it, none when as many or more were recorded. A
    /// line with some hours recorded is not done yet.
    pub fn remaining_centihours(&self) -> i64 {
        self.labour
            .iter()
            .map(|l| i64::from(l.standard_centihours) - i64::from(l.actual_centihours))
            .map(|left| left.max(0))
            .sum()
    }

    /// Will it miss its promised time, judged at `now`?
    pub fn at_risk(&self, now: OffsetDateTime) -> bool {
        super::repair_order::at_risk(
            self.status,
            now,
            self.opening.promise_time,
            self.remaining_centihours(),
        )
    }

    pub fn next_labour_line(&self) -> i32 {
        self.labour.iter().map(|l| l.line_number).max().unwrap_or(0) + 1
    }

    pub fn next_parts_line(&self) -> i32 {
        self.parts.iter().map(|l| l.line_number).max().unwrap_or(0) + 1
    }

    /// The lines still waiting for stock.
    pub fn backordered(&self) -> impl Iterator<Item = &PartsLine> {
        self.parts
            .iter()
            .filter(|l| l.state == PartsLineState::Backordered)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;
    use crate::domain::text::Code;

    fn opening(arrival: Option<OffsetDateTime>, promise: OffsetDateTime) -> Opening {
        Opening {
            station_id: Id::from_store("s1".into()),
            vehicle_id: Id::from_store("v1".into()),
            advisor_id: Id::from_store("a1".into()),
            order_type: OrderType::Repair,
            fast_lane: false,
            arrival_time: arrival,
            promise_time: promise,
            estimate: Money::parse("EUR", 10_000).unwrap(),
            mileage_km: 0,
        }
    }

    #[test]
    fn the_promise_comes_after_the_arrival_and_the_arrival_is_not_ahead() {
        let now = datetime!(2026-03-02 09:00 UTC);
        let ok = opening(Some(datetime!(2026-03-02 08:50 UTC)), now);
        assert_eq!(ok.check(now), Ok(datetime!(2026-03-02 08:50 UTC)));
        assert_eq!(
            opening(None, now).check(now),
            Err(OpeningError::PromiseBeforeArrival)
        );
        assert_eq!(
            opening(
                Some(datetime!(2026-03-02 09:01 UTC)),
                now + time::Duration::HOUR
            )
            .check(now),
            Err(OpeningError::ArrivalInFuture)
        );
    }

    #[test]
    fn a_no_show_waits_for_the_slot() {
        let start = datetime!(2026-03-02 09:00 UTC);
        assert_eq!(
            check_no_show(start, datetime!(2026-03-02 08:59 UTC)),
            Err(TooEarly)
        );
        assert_eq!(check_no_show(start, start), Ok(()));
    }

    #[test]
    fn a_certified_operation_needs_a_valid_certification() {
        let held = [Certification {
            kind: Code::parse("HV-2").unwrap(),
            expire_date: date!(2026 - 03 - 31),
        }];
        assert_eq!(check_qualified("", &[], date!(2026 - 03 - 02)), Ok(()));
        assert_eq!(
            check_qualified("HV-2", &held, date!(2026 - 03 - 31)),
            Ok(())
        );
        assert!(check_qualified("HV-2", &held, date!(2026 - 04 - 01)).is_err());
        assert!(check_qualified("HV-3", &held, date!(2026 - 03 - 02)).is_err());
    }

    #[test]
    fn every_handover_item_must_be_done() {
        let item = |item: &str, done| HandoverItem {
            item: item.into(),
            done,
        };
        assert_eq!(check_handover(&[]), Err(HandoverError::Empty));
        assert_eq!(
            check_handover(&[item("work explained", true), item("old parts shown", false)]),
            Err(HandoverError::NotDone("old parts shown".into()))
        );
        assert_eq!(check_handover(&[item("work explained", true)]), Ok(()));
    }
}
