//! Warranty claims: drafted from a delivered warranty RO, checked
//! automatically, submitted, approved by the level its amount calls for
//! (per line, within the warranty budget left), rejected and resubmitted,
//! and paid. The worked examples of `docs/claims.md` are the tests here and
//! in the submodules.
//!
//! - [`draft`]: the lines of a claim and their prices;
//! - [`checks`]: the automatic checks, each a pure function of what was read;
//! - [`authority`]: who approves which amount, and the decision per line.

pub mod authority;
pub mod checks;
pub mod draft;
#[cfg(test)]
pub(crate) mod fixture;

use serde::{Deserialize, Serialize};
use time::Date;

use super::scope::Place;

/// Where a claim is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClaimState {
    Draft,
    Submitted,
    Approved,
    PartlyApproved,
    Rejected,
    Paid,
}

impl ClaimState {
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimState::Draft => "draft",
            ClaimState::Submitted => "submitted",
            ClaimState::Approved => "approved",
            ClaimState::PartlyApproved => "partly_approved",
            ClaimState::Rejected => "rejected",
            ClaimState::Paid => "paid",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            ClaimState::Draft,
            ClaimState::Submitted,
            ClaimState::Approved,
            ClaimState::PartlyApproved,
            ClaimState::Rejected,
            ClaimState::Paid,
        ]
        .into_iter()
        .find(|state| state.as_str() == s)
    }
}

/// Who must approve a claim: by its claimed amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ApprovalLevel {
    Station,
    Region,
    HeadOffice,
}

impl ApprovalLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalLevel::Station => "station",
            ApprovalLevel::Region => "region",
            ApprovalLevel::HeadOffice => "head_office",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            ApprovalLevel::Station,
            ApprovalLevel::Region,
            ApprovalLevel::HeadOffice,
        ]
        .into_iter()
        .find(|level| level.as_str() == s)
    }
}

/// What a line claims for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineKind {
    Part,
    Labour,
}

/// A line of a claim: an issued part at its list price, or a labour line
/// at standard hours × the warranty labour rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimLine {
    pub line_number: i32,
    pub kind: LineKind,
    pub repair_order_line_number: i32,
    pub part_number: String,
    pub quantity: i64,
    pub operation_code: String,
    pub technician_id: String,
    pub standard_centihours: i32,
    pub actual_centihours: i32,
    /// The part's unit price or the hourly rate; `None` while unread.
    pub unit_price: Option<i64>,
    /// `None` while the line is not priced.
    pub claimed: Option<i64>,
    /// `None` before a decision.
    pub approved: Option<i64>,
    pub decision_reason: String,
}

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckResult {
    Passed,
    Failed,
    /// Its source did not answer in time: never a pass.
    Unavailable,
}

/// One automatic check as it last ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub name: String,
    /// The line it is about; 0 for the whole claim.
    pub line_number: i32,
    /// What it read, by name.
    pub inputs: Vec<(String, String)>,
    pub result: CheckResult,
    /// Why it failed or was unavailable; empty on a pass.
    pub detail: String,
    pub run_time: i64,
}

/// A change of a claim's state: who, when, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateChange {
    pub state: ClaimState,
    pub actor: String,
    pub time: i64,
    pub reason: String,
}

/// A warranty claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub id: String,
    pub repair_order_id: String,
    pub place: Place,
    /// The dealers service's id of the vehicle: asked for when the event
    /// carried no VIN.
    pub vehicle_id: String,
    pub vin: String,
    pub model: String,
    pub mileage_km: i64,
    pub warranty_start: Option<Date>,
    pub arrival_time: i64,
    pub delivery_time: i64,
    pub causal_part_number: String,
    pub lines: Vec<ClaimLine>,
    pub checks: Vec<Check>,
    pub state: ClaimState,
    /// The sum of the priced lines' claimed amounts.
    pub claimed: i64,
    pub approved: Option<i64>,
    pub approval_level: ApprovalLevel,
    pub history: Vec<StateChange>,
    pub payment_reference: String,
    pub version: i64,
    pub create_time: i64,
    pub update_time: i64,
}

/// A claim's id: `WC-` and its RO's id.
pub fn claim_id(repair_order_id: &str) -> String {
    format!("WC-{repair_order_id}")
}

/// Why a claim cannot move as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClaimError {
    #[error("a {} claim cannot be {}", .0.as_str(), .1)]
    State(ClaimState, &'static str),
    #[error("check {name} of line {line_number} is unavailable: re-run the checks first")]
    Unavailable { name: String, line_number: i32 },
    #[error("line {0}: no such line on the claim")]
    NoLine(i32),
    #[error("line {0}: decided twice")]
    DecidedTwice(i32),
    #[error("line {line_number}: must be 0 to the claimed {claimed}")]
    AboveClaimed { line_number: i32, claimed: i64 },
    #[error("line {0}: a cut or rejected line needs a reason")]
    NoReason(i32),
    #[error("line {line_number}: check {name} failed, so it can only be approved at 0")]
    FailedCheck { line_number: i32, name: String },
    #[error("the claimed amount does not fit in 64 bits")]
    Overflow,
}

impl Claim {
    /// The claimed amounts of the priced lines, summed.
    pub fn claimed_total(lines: &[ClaimLine]) -> Result<i64, ClaimError> {
        super::amounts::sum(lines.iter().filter_map(|l| l.claimed)).ok_or(ClaimError::Overflow)
    }

    /// Records a move to `state` by `actor` at `now`.
    pub fn moved(&mut self, state: ClaimState, actor: &str, now: i64, reason: &str) {
        self.state = state;
        self.history.push(StateChange {
            state,
            actor: actor.to_owned(),
            time: now,
            reason: reason.to_owned(),
        });
    }

    /// The first check that is unavailable, which keeps the claim from
    /// being submitted.
    pub fn check_submittable(&self) -> Result<(), ClaimError> {
        match self
            .checks
            .iter()
            .find(|c| c.result == CheckResult::Unavailable)
        {
            Some(c) => Err(ClaimError::Unavailable {
                name: c.name.clone(),
                line_number: c.line_number,
            }),
            None => Ok(()),
        }
    }

    /// May the checks be run again (and the causal part changed)? Until a
    /// decision is made.
    pub fn check_open(&self, what: &'static str) -> Result<(), ClaimError> {
        match self.state {
            ClaimState::Draft | ClaimState::Submitted | ClaimState::Rejected => Ok(()),
            other => Err(ClaimError::State(other, what)),
        }
    }

    /// Is the claim in `state`, as `what` needs?
    pub fn expect(&self, state: ClaimState, what: &'static str) -> Result<(), ClaimError> {
        if self.state == state {
            Ok(())
        } else {
            Err(ClaimError::State(self.state, what))
        }
    }
}
