//! Proto → domain at the edge, naming the field of every error; domain →
//! proto on the way out.

use aftercare_db::timestamp;
use aftercare_proto::{common::v1::Money as PbMoney, parts::v1 as pb};
use aftercare_values::{
    AtField, FieldViolation, Money,
    resource::{Meta, parse_etag},
};
use prost_types::Timestamp;
use time::OffsetDateTime;

use crate::domain::catalogue::{
    Category, DisplayName, Part, PartNumber, Price, PriceChange, PriceField, Unit,
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
    if v.is_empty() {
        Ok(None)
    } else {
        parse_etag(v).map(Some).at(field)
    }
}

pub(super) fn name(v: &str, field: &str) -> Result<DisplayName> {
    DisplayName::parse(v).at(field)
}

pub(super) fn category(v: &str, field: &str) -> Result<Category> {
    Category::parse(v).at(field)
}

pub(super) fn money(v: Option<&PbMoney>, field: &str) -> Result<Money> {
    let m = v.ok_or_else(|| FieldViolation::new(field, "must be set"))?;
    Money::parse_at(&m.currency_code, m.minor_units, field)
}

/// A list price and a cost, at `list_field` and `cost_field`.
pub(super) fn price(
    list_price: Option<&PbMoney>,
    cost: Option<&PbMoney>,
    list_field: &str,
    cost_field: &str,
) -> Result<Price> {
    let list_price = money(list_price, list_field)?;
    let cost = money(cost, cost_field)?;
    Price::new(list_price, cost).map_err(|(which, e)| {
        let field = match which {
            PriceField::ListPrice => list_field,
            PriceField::Cost => cost_field,
        };
        FieldViolation::new(field, e.to_string())
    })
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

/// The key a list of price changes is paged by.
pub(super) fn price_change_key(c: &PriceChange) -> String {
    timestamp::to_micros(c.effective_time).to_string()
}

impl From<Part> for pb::Part {
    fn from(p: Part) -> Self {
        let (etag, create_time, update_time) = meta(&p.meta);
        pb::Part {
            part_number: p.part_number.into_string(),
            unit: p.unit.as_str().to_owned(),
            display_name: p.fields.display_name.into_string(),
            category: p.fields.category.into_string(),
            list_price: pb_money(p.price.list_price()),
            cost: pb_money(p.price.cost()),
            warranty_eligible: p.fields.warranty_eligible,
            superseded_by: p
                .fields
                .superseded_by
                .map(PartNumber::into_string)
                .unwrap_or_default(),
            etag,
            create_time,
            update_time,
        }
    }
}

impl From<PriceChange> for pb::PriceChange {
    fn from(c: PriceChange) -> Self {
        pb::PriceChange {
            part_number: c.part_number.into_string(),
            effective_time: pb_time(c.effective_time),
            list_price: pb_money(c.price.list_price()),
            cost: pb_money(c.price.cost()),
            create_time: pb_time(c.create_time),
        }
    }
}
