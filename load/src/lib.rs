//! What of the load tool the test suite runs too: the fault runs, at a
//! small size there (tests/tests/e2e/faults.rs) and at full size through
//! `aftercare-load fault-…` (scripts/fault-*).

pub mod faults;
pub mod survey_form;
