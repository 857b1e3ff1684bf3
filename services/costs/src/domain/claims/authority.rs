//! Who may do what with a claim, and the approver's decision per line.
//!
//! A claim is approved by the level its claimed amount calls for — up to
//! the station limit the dealer's own staff (not its DMS), up to the region
//! limit the region's manager, above it head office — or by a higher one.

use aftercare_auth::{Principal, Scope as Caller};

use super::{ApprovalLevel, CheckResult, Claim, ClaimError, ClaimState};
use crate::domain::access::{Denied, sees};

/// The approval thresholds, in minor units (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub station: i64,
    pub region: i64,
}

/// The level a claimed amount calls for.
pub fn level_for(claimed: i64, limits: Limits) -> ApprovalLevel {
    if claimed <= limits.station {
        ApprovalLevel::Station
    } else if claimed <= limits.region {
        ApprovalLevel::Region
    } else {
        ApprovalLevel::HeadOffice
    }
}

/// The level `principal` approves at, for a claim it sees: a DMS none.
fn level_of(principal: &Principal) -> Option<ApprovalLevel> {
    match principal.scope {
        Caller::Oem => Some(ApprovalLevel::HeadOffice),
        Caller::Region { .. } => Some(ApprovalLevel::Region),
        Caller::Dealer { .. } => Some(ApprovalLevel::Station),
        Caller::Dms { .. } | Caller::SurveyLink { .. } => None,
    }
}

/// May `principal` see `claim`?
pub fn check_read(principal: &Principal, claim: &Claim) -> Result<(), Denied> {
    if sees(principal, &claim.place) {
        Ok(())
    } else {
        Err(Denied::Invisible)
    }
}

/// May `principal` change, submit or resubmit `claim`? The dealer's staff
/// and DMS.
pub fn check_dealer_side(principal: &Principal, claim: &Claim) -> Result<(), Denied> {
    check_read(principal, claim)?;
    match principal.scope {
        Caller::Dealer { .. } | Caller::Dms { .. } => Ok(()),
        _ => Err(Denied::NotAllowed(
            "only the dealer's staff and DMS change and submit its claims",
        )),
    }
}

/// May `principal` approve or reject `claim`? The level its amount calls
/// for, or a higher one.
pub fn check_approver(principal: &Principal, claim: &Claim) -> Result<(), Denied> {
    check_read(principal, claim)?;
    match level_of(principal) {
        None => Err(Denied::NotAllowed(
            "a DMS submits claims; people approve them",
        )),
        Some(own) if own < claim.approval_level => {
            Err(Denied::NotAllowed(match claim.approval_level {
                ApprovalLevel::Region => "the claimed amount calls for the region's approval",
                _ => "the claimed amount calls for head office's approval",
            }))
        }
        Some(_) => Ok(()),
    }
}

/// May `principal` pay claims? Head office.
pub fn check_payer(principal: &Principal, claim: &Claim) -> Result<(), Denied> {
    check_read(principal, claim)?;
    match principal.scope {
        Caller::Oem => Ok(()),
        _ => Err(Denied::NotAllowed("only head office pays claims")),
    }
}

/// The approver's decision on one line: cut or rejected lines name a
/// reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub line_number: i32,
    pub approved: i64,
    pub reason: String,
}

/// Approves `claim`'s lines: those named in `decisions` at their amount,
/// the others as claimed. A line whose own check (or a check of the whole
/// claim) failed is approved at 0 only. Sets each line's approved amount,
/// the claim's approved total and its state (approved, or partly approved
/// when a line got less than it claimed); answers the approved total.
pub fn approve(claim: &mut Claim, decisions: &[Decision]) -> Result<i64, ClaimError> {
    claim.expect(ClaimState::Submitted, "approved")?;
    let mut seen = Vec::with_capacity(decisions.len());
    for d in decisions {
        if !claim.lines.iter().any(|l| l.line_number == d.line_number) {
            return Err(ClaimError::NoLine(d.line_number));
        }
        if seen.contains(&d.line_number) {
            return Err(ClaimError::DecidedTwice(d.line_number));
        }
        seen.push(d.line_number);
    }
    let failed = |line_number: i32| {
        claim
            .checks
            .iter()
            .find(|c| {
                c.result == CheckResult::Failed
                    && (c.line_number == 0 || c.line_number == line_number)
            })
            .map(|c| c.name.clone())
    };
    let mut decided = Vec::with_capacity(claim.lines.len());
    for line in &claim.lines {
        let claimed = line.claimed.unwrap_or(0);
        let (approved, reason) = match decisions.iter().find(|d| d.line_number == line.line_number)
        {
            Some(d) => (d.approved, d.reason.clone()),
            None if line.claimed.is_none() => (0, "the line was not priced".to_owned()),
            None => (claimed, String::new()),
        };
        if !(0..=claimed).contains(&approved) {
            return Err(ClaimError::AboveClaimed {
                line_number: line.line_number,
                claimed,
            });
        }
        if approved < claimed && reason.is_empty() {
            return Err(ClaimError::NoReason(line.line_number));
        }
        if approved > 0
            && let Some(name) = failed(line.line_number)
        {
            return Err(ClaimError::FailedCheck {
                line_number: line.line_number,
                name,
            });
        }
        decided.push((approved, reason));
    }
    let total =
        crate::domain::amounts::sum(decided.iter().map(|(a, _)| *a)).ok_or(ClaimError::Overflow)?;
    for (line, (approved, reason)) in claim.lines.iter_mut().zip(decided) {
        line.approved = Some(approved);
        line.decision_reason = reason;
    }
    claim.approved = Some(total);
    claim.state = if total == claim.claimed && claim.lines.iter().all(|l| l.claimed.is_some()) {
        ClaimState::Approved
    } else {
        ClaimState::PartlyApproved
    };
    Ok(total)
}

#[cfg(test)]
mod tests;
