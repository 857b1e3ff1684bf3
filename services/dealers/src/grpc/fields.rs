//! The field parsers every contract shares: proto → domain at the edge,
//! naming the field of every error; and the times and dates on the way out.

use aftercare_proto::{dealers::v1 as pb, google::r#type::Date as PbDate};
use aftercare_values::{AtField, FieldViolation, resource::parse_optional_etag};
use prost_types::Timestamp;
use time::{Date, Month, OffsetDateTime};

use crate::domain::{
    network::{
        BuildStandard, Certification, StaffPosition, StarLevel, check_certifications, parse_mileage,
    },
    repair_order::OrderType,
    text::{City, Code, DisplayName, Email, Id, Locale, Phone, optional},
    vin::Vin,
};

pub(super) use crate::events::repair_order::{pb_date, pb_order_type, timestamp};

type Result<T> = std::result::Result<T, FieldViolation>;

// Field parsers -------------------------------------------------------------

pub(super) fn id(v: &str, field: &str) -> Result<Id> {
    if v.is_empty() {
        return Err(FieldViolation::new(field, "must be set"));
    }
    Id::parse(v).at(field)
}

pub(super) fn new_id(v: &str, field: &str) -> Result<Id> {
    Id::given_or_generated(v).at(field)
}

pub(super) fn etag(v: &str, field: &str) -> Result<Option<i64>> {
    parse_optional_etag(v).at(field)
}

pub(super) fn name(v: &str, field: &str) -> Result<DisplayName> {
    DisplayName::parse(v).at(field)
}

pub(super) fn code(v: &str, field: &str) -> Result<Code> {
    Code::parse(v).at(field)
}

pub(super) fn city(v: &str, field: &str) -> Result<City> {
    City::parse(v).at(field)
}

pub(super) fn phone(v: &str, field: &str) -> Result<Option<Phone>> {
    optional(v, Phone::parse).at(field)
}

pub(super) fn email(v: &str, field: &str) -> Result<Option<Email>> {
    optional(v, Email::parse).at(field)
}

/// A BCP 47 tag, or none when empty.
pub(super) fn locale(v: &str, field: &str) -> Result<Option<Locale>> {
    if v.is_empty() {
        return Ok(None);
    }
    Locale::parse(v).map(Some).at(field)
}

pub(super) fn optional_id(v: &str, field: &str) -> Result<Option<Id>> {
    optional(v, Id::parse).at(field)
}

pub(super) fn build_standard(v: i32, field: &str) -> Result<BuildStandard> {
    BuildStandard::from_number(v.into())
        .ok_or_else(|| FieldViolation::new(field, "must be FULL, SERVICE or QUICK"))
}

pub(super) fn star_level(v: i32, field: &str) -> Result<StarLevel> {
    StarLevel::parse(v.into()).at(field)
}

pub(super) fn position(v: i32, field: &str) -> Result<StaffPosition> {
    StaffPosition::from_number(v.into())
        .ok_or_else(|| FieldViolation::new(field, "must be set to a known position"))
}

pub(super) fn certifications(v: &[pb::Certification], field: &str) -> Result<Vec<Certification>> {
    let mut certs = v
        .iter()
        .enumerate()
        .map(|(i, c)| {
            Ok(Certification {
                kind: code(&c.kind, &format!("{field}[{i}].kind"))?,
                expire_date: date(c.expire_date.as_ref(), &format!("{field}[{i}].expire_date"))?
                    .ok_or_else(|| {
                        FieldViolation::new(format!("{field}[{i}].expire_date"), "must be set")
                    })?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    check_certifications(&certs).at(field)?;
    // In the order the store reads them back, so that the answer to a
    // create or update is what a later get returns.
    certs.sort_by(|a, b| a.kind.cmp(&b.kind));
    Ok(certs)
}

pub(super) fn vin(v: &str, require_check_digit: bool, field: &str) -> Result<Vin> {
    Vin::parse(v, require_check_digit).at(field)
}

pub(super) fn mileage(v: i64, field: &str) -> Result<i64> {
    parse_mileage(v).at(field)
}

/// An optional calendar date; all three parts set, or none.
pub(super) fn date(v: Option<&PbDate>, field: &str) -> Result<Option<Date>> {
    let Some(d) = v else { return Ok(None) };
    if (d.year, d.month, d.day) == (0, 0, 0) {
        return Ok(None);
    }
    let month = u8::try_from(d.month)
        .ok()
        .and_then(|m| Month::try_from(m).ok());
    let day = u8::try_from(d.day).ok();
    match (month, day) {
        (Some(month), Some(day)) if (1..=9999).contains(&d.year) => {
            Date::from_calendar_date(d.year, month, day)
                .map(Some)
                .at(field)
        }
        _ => Err(FieldViolation::new(
            field,
            "must be a calendar date with year, month and day",
        )),
    }
}

/// An optional time at the precision the store keeps (microseconds), so
/// that the answer to a write is what a later read returns.
pub(super) fn time(v: Option<&Timestamp>, field: &str) -> Result<Option<OffsetDateTime>> {
    let Some(t) = v else { return Ok(None) };
    let bad = || FieldViolation::new(field, "must be a time between 1970 and 9999");
    if !(0..1_000_000_000).contains(&t.nanos) {
        return Err(bad());
    }
    let micros = i128::from(t.seconds) * 1_000_000 + i128::from(t.nanos / 1_000);
    OffsetDateTime::from_unix_timestamp_nanos(micros * 1_000)
        .ok()
        .filter(|t| (1970..=9999).contains(&t.year()))
        .map(Some)
        .ok_or_else(bad)
}

pub(super) fn required_time(v: Option<&Timestamp>, field: &str) -> Result<OffsetDateTime> {
    time(v, field)?.ok_or_else(|| FieldViolation::new(field, "must be set"))
}

pub(super) fn order_type(v: i32, field: &str) -> Result<OrderType> {
    match pb::RepairOrderType::try_from(v) {
        Ok(pb::RepairOrderType::Maintenance) => Ok(OrderType::Maintenance),
        Ok(pb::RepairOrderType::Repair) => Ok(OrderType::Repair),
        Ok(pb::RepairOrderType::Warranty) => Ok(OrderType::Warranty),
        Ok(pb::RepairOrderType::Recall) => Ok(OrderType::Recall),
        _ => Err(FieldViolation::new(
            field,
            "must be MAINTENANCE, REPAIR, WARRANTY or RECALL",
        )),
    }
}

// Domain → proto -------------------------------------------------------------
