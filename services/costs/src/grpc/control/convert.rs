//! The cost control messages ↔ domain values.

use aftercare_proto::costs::v1 as pb;
use aftercare_values::{Currency, FieldViolation};

use crate::{
    domain::{
        budget::{Alert, Budget, Line, Report},
        cost_entry::{Behaviour, Category, CostEntry, Driver, NewEntry},
        scope::Scope,
    },
    grpc::{amount, id, money, pb_period, pb_scope, period, time},
};

type Parsed<T> = Result<T, tonic::Status>;

fn invalid(field: &str, reason: &str) -> tonic::Status {
    aftercare_edge::invalid_argument(FieldViolation::new(field, reason))
}

/// The contract's category numbers follow [`Category::ALL`] from 1.
pub(super) fn category(v: i32, field: &str) -> Parsed<Category> {
    usize::try_from(v)
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| Category::ALL.get(i).copied())
        .ok_or_else(|| invalid(field, "must be a cost category"))
}

/// A category filter: unspecified means none.
pub(super) fn category_filter(v: i32, field: &str) -> Parsed<Option<Category>> {
    if v == 0 {
        Ok(None)
    } else {
        category(v, field).map(Some)
    }
}

pub(super) fn pb_category(c: Category) -> i32 {
    Category::ALL
        .iter()
        .position(|x| *x == c)
        .map_or(0, |i| i as i32 + 1)
}

fn behaviour(v: i32) -> Parsed<Option<Behaviour>> {
    match pb::CostBehaviour::try_from(v) {
        Ok(pb::CostBehaviour::Unspecified) => Ok(None),
        Ok(pb::CostBehaviour::Fixed) => Ok(Some(Behaviour::Fixed)),
        Ok(pb::CostBehaviour::Variable) => Ok(Some(Behaviour::Variable)),
        Ok(pb::CostBehaviour::SemiVariable) => Ok(Some(Behaviour::SemiVariable)),
        Err(_) => Err(invalid("entry.behaviour", "must be a cost behaviour")),
    }
}

fn pb_behaviour(b: Behaviour) -> i32 {
    let b = match b {
        Behaviour::Fixed => pb::CostBehaviour::Fixed,
        Behaviour::Variable => pb::CostBehaviour::Variable,
        Behaviour::SemiVariable => pb::CostBehaviour::SemiVariable,
    };
    b as i32
}

/// The entry a CreateCostEntry asks for, each field parsed (the whole is
/// checked by the domain).
pub(super) fn new_entry(e: pb::CostEntry, currency: Currency) -> Parsed<NewEntry> {
    let new = NewEntry {
        station_id: id(&e.station_id, "entry.station_id")?,
        month: period(e.month, "entry.month")?,
        category: category(e.category, "entry.category")?,
        behaviour: behaviour(e.behaviour)?,
        amount: amount(e.amount, currency, "entry.amount")?,
        fixed_amount: e
            .fixed_amount
            .map(|m| amount(Some(m), currency, "entry.fixed_amount"))
            .transpose()?,
        driver: e
            .driver
            .map(|d| Driver::parse(&d.name, d.quantity, "entry.driver"))
            .transpose()
            .map_err(aftercare_edge::invalid_argument)?,
        description: e.description,
    };
    // The entry as a whole is checked by the use case (NewEntry::check).
    Ok(new)
}

pub(super) fn pb_entry(e: CostEntry, currency: Currency) -> pb::CostEntry {
    let semi = e.behaviour == Behaviour::SemiVariable;
    pb::CostEntry {
        id: e.id,
        station_id: e.place.station_id,
        dealer_id: e.place.dealer_id,
        region_id: e.place.region_id,
        month: Some(pb_period(&e.month)),
        category: pb_category(e.category),
        behaviour: pb_behaviour(e.behaviour),
        amount: money(e.amount, currency),
        fixed_amount: if semi { money(e.fixed, currency) } else { None },
        driver: e.driver.map(|d| pb::CostDriver {
            name: d.name,
            quantity: d.quantity,
        }),
        description: e.description,
        created_by: e.created_by,
        create_time: time(e.create_time),
    }
}

/// A list's page key of an entry: its create time and id.
pub(super) fn entry_key(e: &CostEntry) -> String {
    format!("{}/{}", e.create_time, e.id)
}

pub(super) fn parse_entry_key(key: &str) -> Option<(i64, String)> {
    let (time, id) = key.split_once('/')?;
    Some((time.parse().ok()?, id.to_owned()))
}

pub(super) fn pb_budget(b: Budget, currency: Currency) -> pb::Budget {
    pb::Budget {
        scope: Some(pb_scope(&b.scope)),
        category: pb_category(b.category),
        period: Some(pb_period(&b.period)),
        amount: money(b.amount, currency),
        etag: b.revision.to_string(),
        update_time: time(b.update_time),
    }
}

fn pb_line(l: Line, currency: Currency) -> pb::CostReportLine {
    pb::CostReportLine {
        category: pb_category(l.category),
        actual: money(l.actual, currency),
        fixed: money(l.fixed, currency),
        variable: money(l.variable, currency),
        budget: l.budget.and_then(|b| money(b, currency)),
        variance: l.variance.and_then(|v| money(v.amount, currency)),
        variance_bp: l.variance.and_then(|v| v.bp),
    }
}

pub(super) fn pb_report(
    scope: &Scope,
    period: &aftercare_values::Period,
    r: Report,
    currency: Currency,
) -> pb::CostReport {
    pb::CostReport {
        scope: Some(pb_scope(scope)),
        period: Some(pb_period(period)),
        lines: r.lines.into_iter().map(|l| pb_line(l, currency)).collect(),
        total_actual: money(r.total_actual, currency),
        total_budget: r.total_budget.and_then(|b| money(b, currency)),
    }
}

pub(super) fn pb_alert(a: Alert, currency: Currency) -> pb::CostAlert {
    pb::CostAlert {
        sequence: a.sequence,
        scope: Some(pb_scope(&a.scope)),
        category: pb_category(a.category),
        period: Some(pb_period(&a.period)),
        budget: money(a.budget, currency),
        actual: money(a.actual, currency),
        variance_bp: a.variance_bp,
        threshold_bp: a.threshold_bp,
        raise_time: time(a.raise_time),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_number_as_the_contract_does() {
        for c in Category::ALL {
            assert_eq!(category(pb_category(c), "c").unwrap(), c);
        }
        assert_eq!(
            pb_category(Category::Warranty),
            pb::CostCategory::Warranty as i32
        );
        assert_eq!(
            pb_category(Category::Premises),
            pb::CostCategory::Premises as i32
        );
        assert!(category(0, "c").is_err());
        assert!(category(13, "c").is_err());
    }
}
