//! The automatic checks of a claim. Each is a pure function of what was
//! read (from the event, this service's tables, parts and dealers) and
//! answers a [`Check`]: its name, the line it is about, the inputs it read,
//! its result and why. What a source did not answer in time is
//! [`Read::Unavailable`], and a check that needs it is UNAVAILABLE, never a
//! pass.

use std::collections::BTreeMap;

use time::{Date, Month};

use super::{Check, CheckResult, Claim, ClaimLine, LineKind};

pub const VEHICLE_IN_WARRANTY: &str = "vehicle_in_warranty";
pub const PART_WARRANTY_ELIGIBLE: &str = "part_warranty_eligible";
pub const HOURS_WITHIN_STANDARD: &str = "hours_within_standard";
pub const PART_ISSUED_ON_REPAIR_ORDER: &str = "part_issued_on_repair_order";
pub const NO_DUPLICATE_CLAIM: &str = "no_duplicate_claim";
pub const TECHNICIAN_CERTIFIED: &str = "technician_certified";
pub const PARTS_PRICED: &str = "parts_priced";

/// What a source answered, or why it did not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read<T> {
    Got(T),
    /// The source did not answer in time (or at all): the reason.
    Unavailable(String),
}

/// The vehicle as the event or the dealers service tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VehicleFacts {
    pub vin: String,
    pub model: String,
    pub warranty_start: Option<Date>,
}

/// A model's warranty: months from its start or kilometres, whichever
/// first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terms {
    pub months: i32,
    pub kilometres: i64,
}

/// An issue movement of the RO in the parts ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub line_number: i32,
    pub part_number: String,
    pub quantity: i64,
}

/// A certification a technician holds, valid to its last day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certification {
    pub kind: String,
    pub expire_date: Option<Date>,
}

/// Everything the checks read, gathered before they run. Maps are keyed by
/// part number, operation code and technician id; `None` inside a `Got` is
/// "the source has no such thing".
#[derive(Debug, Clone)]
pub struct Evidence {
    /// The RO's arrival day in the OEM's zone.
    pub arrival_day: Date,
    pub vehicle: Read<VehicleFacts>,
    /// The terms of the vehicle's model for its warranty start, if any.
    pub terms: Option<Terms>,
    /// Part number → warranty eligible.
    pub parts: BTreeMap<String, Read<Option<bool>>>,
    /// Part number → unit list price at the arrival.
    pub prices: BTreeMap<String, Read<Option<i64>>>,
    /// The warranty labour rate per hour at the arrival.
    pub labour_rate: Option<i64>,
    pub issues: Read<Vec<Issue>>,
    /// Operation code → the certification it requires ("" for none).
    pub operations: BTreeMap<String, Read<Option<String>>>,
    /// Technician id → the certifications held.
    pub technicians: BTreeMap<String, Read<Option<Vec<Certification>>>>,
    /// Other claims, not rejected, for the same VIN and causal part within
    /// the window.
    pub duplicates: Vec<String>,
    pub duplicate_days: i64,
}

impl<T> Read<T> {
    fn get(&self) -> Result<&T, String> {
        match self {
            Read::Got(v) => Ok(v),
            Read::Unavailable(why) => Err(why.clone()),
        }
    }
}

/// A read that is missing from the evidence: the check cannot tell.
fn missing<T>() -> Read<T> {
    Read::Unavailable("it was not read".into())
}

/// Builds one check.
struct Run {
    name: &'static str,
    line_number: i32,
    inputs: Vec<(String, String)>,
    now: i64,
}

impl Run {
    fn new(name: &'static str, line_number: i32, now: i64) -> Self {
        Self {
            name,
            line_number,
            inputs: vec![],
            now,
        }
    }

    fn input(mut self, name: &str, value: impl ToString) -> Self {
        self.inputs.push((name.to_owned(), value.to_string()));
        self
    }

    fn done(self, result: CheckResult, detail: impl Into<String>) -> Check {
        Check {
            name: self.name.to_owned(),
            line_number: self.line_number,
            inputs: self.inputs,
            result,
            detail: detail.into(),
            run_time: self.now,
        }
    }

    fn pass(self) -> Check {
        self.done(CheckResult::Passed, "")
    }

    fn fail(self, why: impl Into<String>) -> Check {
        self.done(CheckResult::Failed, why)
    }

    fn unavailable(self, why: impl Into<String>) -> Check {
        self.done(CheckResult::Unavailable, why)
    }

    /// Passes when `ok`, fails with `why` otherwise.
    fn verdict(self, ok: bool, why: impl FnOnce() -> String) -> Check {
        if ok { self.pass() } else { self.fail(why()) }
    }
}

/// `start` plus `months`, the day clamped to the month's last.
pub fn add_months(start: Date, months: i32) -> Date {
    let index = start.year() * 12 + i32::from(u8::from(start.month())) - 1 + months;
    let (year, month) = (index.div_euclid(12), index.rem_euclid(12) + 1);
    let month = Month::try_from(month as u8).unwrap_or(Month::December);
    let day = start.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(start)
}

/// The vehicle is inside its warranty on the RO's arrival day and at its
/// mileage: the day is before the warranty start + the model's months, and
/// the mileage at most the model's kilometres.
pub fn vehicle_in_warranty(claim: &Claim, e: &Evidence, now: i64) -> Check {
    let run = Run::new(VEHICLE_IN_WARRANTY, 0, now)
        .input("arrival_date", e.arrival_day)
        .input("mileage_km", claim.mileage_km);
    let v = match e.vehicle.get() {
        Ok(v) => v,
        Err(why) => return run.unavailable(format!("the vehicle could not be read: {why}")),
    };
    let run = run.input("model", &v.model);
    let Some(start) = v.warranty_start else {
        return run.fail("the vehicle has no warranty start date");
    };
    let run = run.input("warranty_start_date", start);
    let Some(terms) = e.terms else {
        return run.fail(format!(
            "no warranty terms for model {} starting {start}",
            v.model
        ));
    };
    let end = add_months(start, terms.months);
    let run = run
        .input("terms_months", terms.months)
        .input("terms_kilometres", terms.kilometres)
        .input("warranty_end_date", end);
    if e.arrival_day >= end {
        run.fail(format!("the warranty ended on {end}"))
    } else if claim.mileage_km > terms.kilometres {
        run.fail(format!(
            "{} km is beyond the warranty's {} km",
            claim.mileage_km, terms.kilometres
        ))
    } else {
        run.pass()
    }
}

/// The part of a parts line may be fitted under warranty.
pub fn part_warranty_eligible(line: &ClaimLine, e: &Evidence, now: i64) -> Check {
    let run = Run::new(PART_WARRANTY_ELIGIBLE, line.line_number, now)
        .input("part_number", &line.part_number);
    let read = e
        .parts
        .get(&line.part_number)
        .cloned()
        .unwrap_or_else(missing);
    match read.get() {
        Err(why) => run.unavailable(format!("the parts catalogue could not be read: {why}")),
        Ok(None) => run.fail(format!("no part {} in the catalogue", line.part_number)),
        Ok(Some(eligible)) => run
            .input("warranty_eligible", eligible)
            .verdict(*eligible, || {
                format!("part {} is not warranty eligible", line.part_number)
            }),
    }
}

/// The hours worked on a labour line are within its standard hours.
pub fn hours_within_standard(line: &ClaimLine, now: i64) -> Check {
    Run::new(HOURS_WITHIN_STANDARD, line.line_number, now)
        .input("standard_centihours", line.standard_centihours)
        .input("actual_centihours", line.actual_centihours)
        .verdict(line.actual_centihours <= line.standard_centihours, || {
            format!(
                "{} centihours worked against a standard of {}",
                line.actual_centihours, line.standard_centihours
            )
        })
}

/// The parts ledger shows the part issued on this RO line, at least the
/// quantity claimed.
pub fn part_issued_on_repair_order(
    claim: &Claim,
    line: &ClaimLine,
    e: &Evidence,
    now: i64,
) -> Check {
    let run = Run::new(PART_ISSUED_ON_REPAIR_ORDER, line.line_number, now)
        .input("repair_order_id", &claim.repair_order_id)
        .input("repair_order_line_number", line.repair_order_line_number)
        .input("part_number", &line.part_number)
        .input("quantity", line.quantity);
    let issues = match e.issues.get() {
        Ok(issues) => issues,
        Err(why) => return run.unavailable(format!("the parts ledger could not be read: {why}")),
    };
    let issued: i64 = issues
        .iter()
        .filter(|i| {
            i.line_number == line.repair_order_line_number && i.part_number == line.part_number
        })
        .map(|i| i.quantity)
        .sum();
    run.input("issued_quantity", issued)
        .verdict(issued >= line.quantity, || {
            format!(
                "the ledger shows {issued} of {} issued on repair order {} line {}",
                line.part_number, claim.repair_order_id, line.repair_order_line_number
            )
        })
}

/// No other claim (not rejected) for the same VIN and causal part within
/// the window before or after this RO's arrival.
pub fn no_duplicate_claim(claim: &Claim, e: &Evidence, now: i64) -> Check {
    let run = Run::new(NO_DUPLICATE_CLAIM, 0, now)
        .input("vin", &claim.vin)
        .input("causal_part_number", &claim.causal_part_number)
        .input("window_days", e.duplicate_days);
    if claim.vin.is_empty() {
        return match e.vehicle.get() {
            Err(why) => run.unavailable(format!("the vehicle could not be read: {why}")),
            Ok(_) => run.fail("the vehicle has no VIN"),
        };
    }
    run.input("other_claims", e.duplicates.join(","))
        .verdict(e.duplicates.is_empty(), || {
            format!(
                "{} claims the same VIN and part within {} days",
                e.duplicates.join(", "),
                e.duplicate_days
            )
        })
}

/// The technician of a labour line held the certification its operation
/// requires on the RO's arrival day.
pub fn technician_certified(line: &ClaimLine, e: &Evidence, now: i64) -> Check {
    let run = Run::new(TECHNICIAN_CERTIFIED, line.line_number, now)
        .input("operation_code", &line.operation_code)
        .input("technician_id", &line.technician_id)
        .input("on_date", e.arrival_day);
    let operation = e
        .operations
        .get(&line.operation_code)
        .cloned()
        .unwrap_or_else(missing);
    let required = match operation.get() {
        Err(why) => {
            return run.unavailable(format!("the labour catalogue could not be read: {why}"));
        }
        Ok(None) => return run.fail(format!("no labour operation {}", line.operation_code)),
        Ok(Some(required)) => required.clone(),
    };
    let run = run.input("required_certification", &required);
    if required.is_empty() {
        return run.pass();
    }
    if line.technician_id.is_empty() {
        return run.fail(format!(
            "{required} is required and no technician was recorded"
        ));
    }
    let technician = e
        .technicians
        .get(&line.technician_id)
        .cloned()
        .unwrap_or_else(missing);
    let held = match technician.get() {
        Err(why) => return run.unavailable(format!("the technician could not be read: {why}")),
        Ok(None) => return run.fail(format!("no staff member {}", line.technician_id)),
        Ok(Some(held)) => held.clone(),
    };
    let valid = held
        .iter()
        .find(|c| c.kind == required && c.expire_date.is_some_and(|d| d >= e.arrival_day));
    match valid {
        Some(c) => run
            .input(
                "expire_date",
                c.expire_date.map_or(String::new(), |d| d.to_string()),
            )
            .pass(),
        None => run.fail(format!(
            "technician {} held no valid {required} on {}",
            line.technician_id, e.arrival_day
        )),
    }
}

/// The line has its price: a part's list price in force at the arrival, or
/// the warranty labour rate then.
pub fn parts_priced(line: &ClaimLine, e: &Evidence, now: i64) -> Check {
    let run = Run::new(PARTS_PRICED, line.line_number, now);
    let run = match line.kind {
        LineKind::Part => run.input("part_number", &line.part_number),
        LineKind::Labour => run.input("operation_code", &line.operation_code),
    };
    if let Some(price) = line.unit_price {
        return run.input("unit_price", price).pass();
    }
    match line.kind {
        LineKind::Labour => run.fail("no warranty labour rate was in force at the arrival"),
        LineKind::Part => match e
            .prices
            .get(&line.part_number)
            .cloned()
            .unwrap_or_else(missing)
        {
            Read::Unavailable(why) => {
                run.unavailable(format!("the price could not be read: {why}"))
            }
            Read::Got(_) => run.fail(format!(
                "part {} had no price at the arrival",
                line.part_number
            )),
        },
    }
}

/// Prices the lines not yet priced from what was read.
pub fn price_lines(lines: &mut [ClaimLine], e: &Evidence) {
    for line in lines.iter_mut().filter(|l| l.claimed.is_none()) {
        let price = match line.kind {
            LineKind::Part => match e.prices.get(&line.part_number) {
                Some(Read::Got(Some(p))) => Some(*p),
                _ => None,
            },
            LineKind::Labour => e.labour_rate,
        };
        if let Some(price) = price {
            super::draft::price(line, price);
        }
    }
}

/// Every check of `claim`, in a fixed order: the claim's, then each line's.
pub fn run_all(claim: &Claim, e: &Evidence, now: i64) -> Vec<Check> {
    let mut checks = vec![
        vehicle_in_warranty(claim, e, now),
        no_duplicate_claim(claim, e, now),
    ];
    for line in &claim.lines {
        match line.kind {
            LineKind::Part => {
                checks.push(part_warranty_eligible(line, e, now));
                checks.push(part_issued_on_repair_order(claim, line, e, now));
            }
            LineKind::Labour => {
                checks.push(hours_within_standard(line, now));
                checks.push(technician_certified(line, e, now));
            }
        }
        checks.push(parts_priced(line, e, now));
    }
    checks
}

#[cfg(test)]
mod tests;
