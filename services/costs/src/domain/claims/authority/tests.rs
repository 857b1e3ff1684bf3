//! docs/claims.md, "Who approves" and "Partial approval".

use aftercare_auth::testing as who;

use super::*;
use crate::domain::claims::{
    CheckResult,
    checks::{PART_ISSUED_ON_REPAIR_ORDER, run_all},
    fixture::{claim, evidence},
};

const LIMITS: Limits = Limits {
    station: 50_000,
    region: 500_000,
};

#[test]
fn the_amount_picks_the_level() {
    assert_eq!(level_for(50_000, LIMITS), ApprovalLevel::Station);
    assert_eq!(level_for(50_001, LIMITS), ApprovalLevel::Region);
    assert_eq!(level_for(500_000, LIMITS), ApprovalLevel::Region);
    assert_eq!(level_for(500_001, LIMITS), ApprovalLevel::HeadOffice);
}

#[test]
fn a_level_or_a_higher_one_approves() {
    let mut c = claim();
    for level in [
        ApprovalLevel::Station,
        ApprovalLevel::Region,
        ApprovalLevel::HeadOffice,
    ] {
        c.approval_level = level;
        let may = |p| check_approver(&p, &c).is_ok();
        assert_eq!(
            may(who::dealer("d1")),
            level == ApprovalLevel::Station,
            "{level:?}"
        );
        assert_eq!(may(who::region("north")), level <= ApprovalLevel::Region);
        assert!(may(who::oem()));
        // The DMS submits but never approves; others do not see the claim.
        assert_eq!(
            check_approver(&who::dms("d1"), &c),
            Err(Denied::NotAllowed(
                "a DMS submits claims; people approve them"
            ))
        );
        assert_eq!(
            check_approver(&who::dealer("d2"), &c),
            Err(Denied::Invisible)
        );
        assert_eq!(
            check_approver(&who::region("south"), &c),
            Err(Denied::Invisible)
        );
    }
}

#[test]
fn a_claim_approved_as_claimed_is_approved() {
    let mut c = claim();
    c.checks = run_all(&c, &evidence(), 0);
    assert_eq!(approve(&mut c, &[]), Ok(33_100));
    assert_eq!(c.state, ClaimState::Approved);
    assert_eq!(c.approved, Some(33_100));
}

#[test]
fn a_cut_line_makes_a_partial_approval_with_its_reason() {
    let mut c = claim();
    c.checks = run_all(&c, &evidence(), 0);
    let cut = Decision {
        line_number: 3,
        approved: 10_000,
        reason: "1.25 h is what the job takes".into(),
    };
    assert_eq!(
        approve(
            &mut c.clone(),
            &[Decision {
                reason: String::new(),
                ..cut.clone()
            }]
        ),
        Err(ClaimError::NoReason(3))
    );
    assert_eq!(
        approve(
            &mut c.clone(),
            &[Decision {
                approved: 12_001,
                ..cut.clone()
            }]
        ),
        Err(ClaimError::AboveClaimed {
            line_number: 3,
            claimed: 12_000
        })
    );
    assert_eq!(
        approve(
            &mut c.clone(),
            &[Decision {
                line_number: 9,
                ..cut.clone()
            }]
        ),
        Err(ClaimError::NoLine(9))
    );
    assert_eq!(approve(&mut c, &[cut]), Ok(31_100));
    assert_eq!(c.state, ClaimState::PartlyApproved);
    assert_eq!(c.lines[2].approved, Some(10_000));
    assert_eq!(c.lines[0].approved, Some(9_100));
}

#[test]
fn a_line_with_a_failed_check_is_approved_at_zero_only() {
    let mut c = claim();
    let mut e = evidence();
    e.issues = crate::domain::claims::checks::Read::Got(vec![]);
    c.checks = run_all(&c, &e, 0);
    assert!(
        c.checks
            .iter()
            .any(|k| k.name == PART_ISSUED_ON_REPAIR_ORDER && k.result == CheckResult::Failed)
    );
    assert_eq!(
        approve(&mut c.clone(), &[]),
        Err(ClaimError::FailedCheck {
            line_number: 1,
            name: PART_ISSUED_ON_REPAIR_ORDER.into()
        })
    );
    let zero = |line_number| Decision {
        line_number,
        approved: 0,
        reason: "not issued on the RO".into(),
    };
    assert_eq!(approve(&mut c, &[zero(1), zero(2)]), Ok(12_000));
    assert_eq!(c.state, ClaimState::PartlyApproved);
}

#[test]
fn only_a_submitted_claim_is_approved() {
    let mut c = claim();
    c.state = ClaimState::Draft;
    assert_eq!(
        approve(&mut c, &[]),
        Err(ClaimError::State(ClaimState::Draft, "approved"))
    );
}
