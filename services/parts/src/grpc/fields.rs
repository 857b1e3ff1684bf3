//! Fields that several contracts share: proto → domain at the edge, naming
//! the field of every error; domain → proto on the way out.

use aftercare_db::timestamp;
use aftercare_proto::{common::v1::Money as PbMoney, parts::v1 as pb};
use aftercare_values::{
    AtField, FieldViolation, Money,
    resource::{Meta, parse_optional_etag},
};
use prost_types::Timestamp;
use time::OffsetDateTime;

use crate::domain::{
    catalogue::{DisplayName, PartNumber, Unit},
    quantity::Quantity,
    warehouse::{NetworkId, StationClass},
};

type Result<T> = std::result::Result<T, FieldViolation>;

// Field parsers -------------------------------------------------------------

pub(super) fn part_number(v: &str, field: &str) -> Result<PartNumber> {
    PartNumber::parse(v).at(field)
}

/// A part number, or none when empty.
pub(super) fn optional_part_number(v: &str, field: &str) -> Result<Option<PartNumber>> {
    if v.is_empty() {
        Ok(None)
    } else {
        part_number(v, field).map(Some)
    }
}

/// A unit of measure, or none when empty.
pub(super) fn unit(v: &str, field: &str) -> Result<Option<Unit>> {
    if v.is_empty() {
        Ok(None)
    } else {
        Unit::parse(v).map(Some).at(field)
    }
}

pub(super) fn etag(v: &str, field: &str) -> Result<Option<i64>> {
    parse_optional_etag(v).at(field)
}

pub(super) fn name(v: &str, field: &str) -> Result<DisplayName> {
    DisplayName::parse(v).at(field)
}

pub(super) fn money(v: Option<&PbMoney>, field: &str) -> Result<Money> {
    let m = v.ok_or_else(|| FieldViolation::new(field, "must be set"))?;
    Money::parse_at(&m.currency_code, m.minor_units, field)
}

/// Seconds of 0001-01-01T00:00:00Z and of 9999-12-31T23:59:59Z.
const MIN_SECONDS: i64 = -62_135_596_800;
const MAX_SECONDS: i64 = 253_402_300_799;

/// A time as the store keeps it: microseconds since the epoch, between the
/// years 1 and 9999. Finer digits are dropped.
pub(super) fn time(v: Option<&Timestamp>, field: &str) -> Result<Option<i64>> {
    let Some(t) = v else { return Ok(None) };
    if !(MIN_SECONDS..=MAX_SECONDS).contains(&t.seconds) || !(0..1_000_000_000).contains(&t.nanos) {
        return Err(FieldViolation::new(
            field,
            "must be a valid time between the years 1 and 9999",
        ));
    }
    Ok(Some(t.seconds * 1_000_000 + i64::from(t.nanos / 1_000)))
}

// Domain → proto -------------------------------------------------------------

pub(super) fn pb_time(t: OffsetDateTime) -> Option<Timestamp> {
    Some(Timestamp {
        seconds: t.unix_timestamp(),
        nanos: t.nanosecond() as i32,
    })
}

pub(super) fn pb_money(m: Money) -> Option<PbMoney> {
    Some(PbMoney {
        currency_code: m.currency.as_str().to_owned(),
        minor_units: m.minor_units,
    })
}

pub(super) fn meta(m: &Meta) -> (String, Option<Timestamp>, Option<Timestamp>) {
    (m.etag(), pb_time(m.create_time), pb_time(m.update_time))
}

// Network ids, station classes, quantities ---------------------------------

pub(super) fn id(v: &str, field: &str) -> Result<NetworkId> {
    NetworkId::parse(v).at(field)
}

pub(super) fn optional_id(v: &str, field: &str) -> Result<Option<NetworkId>> {
    if v.is_empty() {
        Ok(None)
    } else {
        id(v, field).map(Some)
    }
}

/// A station class; none when unspecified.
pub(super) fn optional_station_class(v: i32, field: &str) -> Result<Option<StationClass>> {
    match pb::StationClass::try_from(v) {
        Ok(pb::StationClass::Unspecified) => Ok(None),
        Ok(pb::StationClass::Full) => Ok(Some(StationClass::Full)),
        Ok(pb::StationClass::Service) => Ok(Some(StationClass::Service)),
        Ok(pb::StationClass::Quick) => Ok(Some(StationClass::Quick)),
        Err(_) => Err(FieldViolation::new(field, "unknown station class")),
    }
}

pub(super) fn station_class(v: i32, field: &str) -> Result<StationClass> {
    optional_station_class(v, field)?.ok_or_else(|| FieldViolation::new(field, "must be set"))
}

pub(super) fn pb_station_class(c: Option<StationClass>) -> pb::StationClass {
    match c {
        None => pb::StationClass::Unspecified,
        Some(StationClass::Full) => pb::StationClass::Full,
        Some(StationClass::Service) => pb::StationClass::Service,
        Some(StationClass::Quick) => pb::StationClass::Quick,
    }
}

pub(super) fn quantity(v: i64, field: &str) -> Result<Quantity> {
    Quantity::parse(v).at(field)
}

/// A time the store keeps in micros.
pub(super) fn pb_micros(micros: i64) -> Option<Timestamp> {
    pb_time(timestamp::from_micros(micros))
}

pub(super) fn text(v: Option<NetworkId>) -> String {
    v.map(|v| v.as_str().to_owned()).unwrap_or_default()
}
