//! docs/claims.md, "The checks": each check passing on the fixture's claim
//! and failing (or unavailable) as the page shows.

use time::macros::date;

use super::*;
use crate::domain::claims::fixture::{claim, evidence};

fn results(checks: &[Check]) -> Vec<(&str, i32, CheckResult)> {
    checks
        .iter()
        .map(|c| (c.name.as_str(), c.line_number, c.result))
        .collect()
}

#[test]
fn every_check_passes_on_the_examples_claim() {
    let checks = run_all(&claim(), &evidence(), 7);
    use CheckResult::Passed;
    assert_eq!(
        results(&checks),
        [
            (VEHICLE_IN_WARRANTY, 0, Passed),
            (NO_DUPLICATE_CLAIM, 0, Passed),
            (PART_WARRANTY_ELIGIBLE, 1, Passed),
            (PART_ISSUED_ON_REPAIR_ORDER, 1, Passed),
            (PARTS_PRICED, 1, Passed),
            (PART_WARRANTY_ELIGIBLE, 2, Passed),
            (PART_ISSUED_ON_REPAIR_ORDER, 2, Passed),
            (PARTS_PRICED, 2, Passed),
            (HOURS_WITHIN_STANDARD, 3, Passed),
            (TECHNICIAN_CERTIFIED, 3, Passed),
            (PARTS_PRICED, 3, Passed),
        ]
    );
    let warranty = &checks[0];
    assert!(
        warranty
            .inputs
            .contains(&("warranty_end_date".into(), "2028-03-01".into()))
    );
    assert!(warranty.detail.is_empty() && warranty.run_time == 7);
}

#[test]
fn the_warranty_ends_after_its_months_or_its_kilometres() {
    let (c, mut e) = (claim(), evidence());
    // 36 months from 2025-03-01 end on 2028-03-01: that day is out.
    e.arrival_day = date!(2028 - 02 - 29);
    assert_eq!(vehicle_in_warranty(&c, &e, 0).result, CheckResult::Passed);
    e.arrival_day = date!(2028 - 03 - 01);
    let out = vehicle_in_warranty(&c, &e, 0);
    assert_eq!(
        (out.result, out.detail.as_str()),
        (CheckResult::Failed, "the warranty ended on 2028-03-01")
    );
    // 100,000 km is in; 100,001 km is out.
    let (mut c, mut e) = (claim(), evidence());
    c.mileage_km = 100_000;
    assert_eq!(vehicle_in_warranty(&c, &e, 0).result, CheckResult::Passed);
    c.mileage_km = 100_001;
    assert_eq!(vehicle_in_warranty(&c, &e, 0).result, CheckResult::Failed);
    // A model without terms is no warranty; an unread vehicle is no pass.
    e.terms = None;
    assert_eq!(vehicle_in_warranty(&c, &e, 0).result, CheckResult::Failed);
    e.vehicle = Read::Unavailable("deadline exceeded".into());
    assert_eq!(
        vehicle_in_warranty(&c, &e, 0).result,
        CheckResult::Unavailable
    );
}

#[test]
fn a_month_end_start_ends_on_the_last_day_of_a_shorter_month() {
    assert_eq!(add_months(date!(2025 - 01 - 31), 1), date!(2025 - 02 - 28));
    assert_eq!(add_months(date!(2024 - 11 - 30), 15), date!(2026 - 02 - 28));
    assert_eq!(add_months(date!(2025 - 03 - 01), 36), date!(2028 - 03 - 01));
}

#[test]
fn a_part_not_eligible_or_unknown_fails_and_an_unread_one_is_unavailable() {
    let (c, mut e) = (claim(), evidence());
    let pad = &c.lines[0];
    e.parts.insert("PAD-1".into(), Read::Got(Some(false)));
    assert_eq!(
        part_warranty_eligible(pad, &e, 0).result,
        CheckResult::Failed
    );
    e.parts.insert("PAD-1".into(), Read::Got(None));
    assert_eq!(
        part_warranty_eligible(pad, &e, 0).detail,
        "no part PAD-1 in the catalogue"
    );
    e.parts
        .insert("PAD-1".into(), Read::Unavailable("parts is down".into()));
    assert_eq!(
        part_warranty_eligible(pad, &e, 0).result,
        CheckResult::Unavailable
    );
}

#[test]
fn more_hours_than_standard_fail() {
    let mut c = claim();
    let labour = &mut c.lines[2];
    labour.actual_centihours = 150;
    assert_eq!(hours_within_standard(labour, 0).result, CheckResult::Passed);
    labour.actual_centihours = 151;
    let failed = hours_within_standard(labour, 0);
    assert_eq!(
        failed.detail,
        "151 centihours worked against a standard of 150"
    );
}

#[test]
fn a_part_the_ledger_does_not_show_issued_on_that_line_fails() {
    let (c, mut e) = (claim(), evidence());
    // One pad issued of the two claimed.
    e.issues = Read::Got(vec![Issue {
        line_number: 1,
        part_number: "PAD-1".into(),
        quantity: 1,
    }]);
    let pads = part_issued_on_repair_order(&c, &c.lines[0], &e, 0);
    assert_eq!(pads.result, CheckResult::Failed);
    assert!(
        pads.inputs
            .contains(&("issued_quantity".into(), "1".into()))
    );
    // The disc was issued on no line of the RO.
    let disc = part_issued_on_repair_order(&c, &c.lines[1], &e, 0);
    assert_eq!(
        disc.detail,
        "the ledger shows 0 of DISC-1 issued on repair order ro-1 line 2"
    );
    e.issues = Read::Unavailable("deadline exceeded".into());
    assert_eq!(
        part_issued_on_repair_order(&c, &c.lines[0], &e, 0).result,
        CheckResult::Unavailable
    );
}

#[test]
fn another_claim_for_the_vin_and_part_in_the_window_fails() {
    let (c, mut e) = (claim(), evidence());
    e.duplicates = vec!["WC-ro-0".into()];
    let dup = no_duplicate_claim(&c, &e, 0);
    assert_eq!(
        dup.detail,
        "WC-ro-0 claims the same VIN and part within 30 days"
    );
}

#[test]
fn a_technician_without_the_certification_on_the_day_fails() {
    let (c, mut e) = (claim(), evidence());
    let labour = &c.lines[2];
    // Expired the day before the arrival.
    e.technicians.insert(
        "t1".into(),
        Read::Got(Some(vec![Certification {
            kind: "HV-2".into(),
            expire_date: Some(date!(2026 - 11 - 09)),
        }])),
    );
    assert_eq!(
        technician_certified(labour, &e, 0).detail,
        "technician t1 held no valid HV-2 on 2026-11-10"
    );
    // Valid to the arrival day itself: a pass.
    e.technicians.insert(
        "t1".into(),
        Read::Got(Some(vec![Certification {
            kind: "HV-2".into(),
            expire_date: Some(date!(2026 - 11 - 10)),
        }])),
    );
    assert_eq!(
        technician_certified(labour, &e, 0).result,
        CheckResult::Passed
    );
    // An operation needing nothing passes whoever did it.
    e.operations
        .insert("BRAKE-REPLACE".into(), Read::Got(Some(String::new())));
    e.technicians.clear();
    assert_eq!(
        technician_certified(labour, &e, 0).result,
        CheckResult::Passed
    );
    e.operations
        .insert("BRAKE-REPLACE".into(), Read::Unavailable("down".into()));
    assert_eq!(
        technician_certified(labour, &e, 0).result,
        CheckResult::Unavailable
    );
}

#[test]
fn an_unread_price_is_unavailable_and_prices_once_read() {
    let (mut c, mut e) = (claim(), evidence());
    c.lines[0].unit_price = None;
    c.lines[0].claimed = None;
    e.prices
        .insert("PAD-1".into(), Read::Unavailable("parts is down".into()));
    assert_eq!(
        parts_priced(&c.lines[0], &e, 0).result,
        CheckResult::Unavailable
    );
    price_lines(&mut c.lines, &e);
    assert_eq!(c.lines[0].claimed, None);
    e.prices.insert("PAD-1".into(), Read::Got(Some(4_550)));
    price_lines(&mut c.lines, &e);
    assert_eq!(c.lines[0].claimed, Some(9_100));
    assert_eq!(parts_priced(&c.lines[0], &e, 0).result, CheckResult::Passed);
}
