//! The `aftercare.costs.v1` contracts, one folder each: the tonic service in
//! `mod.rs` (proto in, parsed at the edge → one use case → proto out), its
//! conversions in `convert.rs`. No SQL here, and no rule that belongs to the
//! domain. Below, the edge helpers several contracts share.

mod claims;
mod control;
mod events;
mod pricing;
mod rates;
mod ro_costs;

pub(crate) use self::{
    claims::WarrantyClaimApi, control::CostControlApi, events::CostEventApi, pricing::PricingApi,
    rates::CostRateApi, ro_costs::RepairOrderCostApi,
};

use aftercare_edge::{
    fields::{id, micros, period},
    invalid_argument,
};
use aftercare_proto::{common::v1 as common, costs::v1 as pb};
use aftercare_values::{Currency, FieldViolation, Money, Period};
use prost_types::Timestamp;
use time::Date;
use tonic::{Response, Status};

use crate::domain::scope::{Scope, ScopeLevel};

type Reply<T> = Result<Response<T>, Status>;

/// µs since the epoch as a protobuf timestamp.
fn time(micros: i64) -> Option<Timestamp> {
    Some(Timestamp {
        seconds: micros.div_euclid(1_000_000),
        nanos: (micros.rem_euclid(1_000_000) * 1_000) as i32,
    })
}

/// A period as the contract tells it.
fn pb_period(p: &Period) -> common::Period {
    let (kind, year, number) = p.parts();
    common::Period {
        kind: kind as i32,
        year,
        number,
    }
}

/// An amount in the network's `currency`, in `field`: another currency is
/// refused, naming `<field>.currency_code`.
fn amount(m: Option<common::Money>, currency: Currency, field: &str) -> Result<i64, Status> {
    let m = aftercare_edge::required(m, field)?;
    let parsed = Money::parse(&m.currency_code, m.minor_units).map_err(|e| {
        invalid_argument(FieldViolation::new(
            format!("{field}.{}", e.field()),
            e.to_string(),
        ))
    })?;
    if parsed.currency != currency {
        return Err(invalid_argument(FieldViolation::new(
            format!("{field}.currency_code"),
            format!("must be the network's currency, {currency}"),
        )));
    }
    Ok(parsed.minor_units)
}

/// Minor units of the network's `currency` as the contract tells money.
fn money(minor_units: i64, currency: Currency) -> Option<common::Money> {
    Some(common::Money {
        currency_code: currency.as_str().to_owned(),
        minor_units,
    })
}

/// A `google.type.Date`, when it is a real day.
fn date(d: &aftercare_proto::google::r#type::Date) -> Option<Date> {
    let month = time::Month::try_from(u8::try_from(d.month).ok()?).ok()?;
    Date::from_calendar_date(d.year, month, u8::try_from(d.day).ok()?).ok()
}

/// Every scope level: for a figure any scope may have.
const ALL_LEVELS: [ScopeLevel; 4] = [
    ScopeLevel::Station,
    ScopeLevel::Dealer,
    ScopeLevel::Region,
    ScopeLevel::Network,
];

/// A scope of one of the `levels` the request names in `field`: a station,
/// dealer or region by its id, or the network with none.
fn scope(s: Option<&pb::CostScope>, field: &str, levels: &[ScopeLevel]) -> Result<Scope, Status> {
    let invalid = |at: &str, reason: String| {
        invalid_argument(FieldViolation::new(format!("{field}.{at}"), reason))
    };
    let s = s.ok_or_else(|| invalid_argument(FieldViolation::new(field, "must be set")))?;
    let level = match pb::ScopeLevel::try_from(s.level) {
        Ok(pb::ScopeLevel::Station) => ScopeLevel::Station,
        Ok(pb::ScopeLevel::Dealer) => ScopeLevel::Dealer,
        Ok(pb::ScopeLevel::Region) => ScopeLevel::Region,
        Ok(pb::ScopeLevel::Network) => ScopeLevel::Network,
        _ => return Err(invalid("level", "must be a scope level".into())),
    };
    if !levels.contains(&level) {
        let names: Vec<_> = levels.iter().map(|l| l.as_str()).collect();
        return Err(invalid(
            "level",
            format!("must be one of: {}", names.join(", ")),
        ));
    }
    if level == ScopeLevel::Network {
        if !s.id.is_empty() {
            return Err(invalid("id", "must be empty for the network".into()));
        }
        return Ok(Scope::network());
    }
    Ok(Scope::new(level, id(&s.id, &format!("{field}.id"))?))
}

/// A scope filter of one of the `levels`: unset means none.
fn scope_filter(
    s: Option<&pb::CostScope>,
    field: &str,
    levels: &[ScopeLevel],
) -> Result<Option<Scope>, Status> {
    s.map(|s| scope(Some(s), field, levels)).transpose()
}

/// A scope as the contract tells it.
fn pb_scope(s: &Scope) -> pb::CostScope {
    let level = match s.level {
        ScopeLevel::Station => pb::ScopeLevel::Station,
        ScopeLevel::Dealer => pb::ScopeLevel::Dealer,
        ScopeLevel::Region => pb::ScopeLevel::Region,
        ScopeLevel::Network => pb::ScopeLevel::Network,
    };
    pb::CostScope {
        level: level as i32,
        id: s.id.clone(),
    }
}

/// An amount in `field` that must not be negative.
fn non_negative(m: Option<common::Money>, currency: Currency, field: &str) -> Result<i64, Status> {
    let v = amount(m, currency, field)?;
    if v < 0 {
        return Err(invalid_argument(FieldViolation::new(
            format!("{field}.minor_units"),
            "must not be negative",
        )));
    }
    Ok(v)
}

/// A code of the parts catalogue (an operation, a part, a package, a
/// model) in `field`.
fn code(v: &str, field: &str) -> Result<String, Status> {
    aftercare_values::text::code(v)
        .map_err(|e| invalid_argument(FieldViolation::new(field, e.to_string())))
}
