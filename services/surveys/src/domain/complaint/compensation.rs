//! Compensation and goodwill paid to a complaint's customer: proposed, then
//! approved or rejected by the level its amount calls for, as warranty
//! claims are (costs' `claims/authority.rs`).

use aftercare_auth::{Principal, Scope};

use super::Owner;
use crate::domain::access::{Denied, Place, sees};

coded!(
    /// Owed for a failure, or given for goodwill (costs' `CompensationKind`).
    Kind {
        Compensation = "COMPENSATION",
        Goodwill = "GOODWILL",
    }
);

coded!(Decision {
    Proposed = "PROPOSED",
    Approved = "APPROVED",
    Rejected = "REJECTED",
});

/// A payment proposed on a complaint.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Compensation {
    /// 1, 2… within the complaint.
    pub number: i64,
    pub kind: Kind,
    /// Positive, in minor units.
    pub amount: i64,
    pub reason: String,
    pub state: Decision,
    /// The level whose limit the amount is within.
    pub approval_level: Owner,
    pub proposed_by: String,
    pub propose_time: i64,
    pub decided_by: Option<String>,
    pub decide_time: Option<i64>,
    pub decision_note: Option<String>,
}

/// The approval limits, in minor units (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub dealer: i64,
    pub region: i64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            dealer: 20_000,
            region: 200_000,
        }
    }
}

/// The level an amount calls for: the dealer up to its limit, the region
/// up to its own, head office above.
pub fn level_for(amount: i64, limits: Limits) -> Owner {
    if amount <= limits.dealer {
        Owner::Dealer
    } else if amount <= limits.region {
        Owner::Region
    } else {
        Owner::HeadOffice
    }
}

/// The level `principal` acts at: a DMS (or a customer's link) none.
fn level_of(principal: &Principal) -> Option<Owner> {
    match principal.scope {
        Scope::Oem => Some(Owner::HeadOffice),
        Scope::Region { .. } => Some(Owner::Region),
        Scope::Dealer { .. } => Some(Owner::Dealer),
        Scope::Dms { .. } | Scope::SurveyLink { .. } => None,
    }
}

/// May `principal` propose a payment on a complaint of `place`: its
/// dealer's staff, its region manager, head office.
pub fn check_propose(principal: &Principal, place: Place<'_>) -> Result<(), Denied> {
    if !sees(principal, place) {
        return Err(Denied::Invisible);
    }
    level_of(principal)
        .map(drop)
        .ok_or(Denied::NotAllowed("a DMS does not propose payments"))
}

/// May `principal` approve or reject a payment that calls for `level` on a
/// complaint of `place`: that level or a higher one.
pub fn check_decide(principal: &Principal, place: Place<'_>, level: Owner) -> Result<(), Denied> {
    if !sees(principal, place) {
        return Err(Denied::Invisible);
    }
    match level_of(principal) {
        None => Err(Denied::NotAllowed("a DMS does not decide payments")),
        Some(own) if own < level => Err(Denied::NotAllowed(match level {
            Owner::Region => "the amount calls for the region's approval",
            _ => "the amount calls for head office's approval",
        })),
        Some(_) => Ok(()),
    }
}

/// The sum of the approved payments.
pub fn approved_sum(payments: &[Compensation]) -> i64 {
    payments
        .iter()
        .filter(|p| p.state == Decision::Approved)
        .map(|p| p.amount)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::access::Place;

    const PLACE: Place<'static> = Place {
        station_id: "s1",
        dealer_id: "d1",
        region_id: "r1",
    };

    fn principal(scope: Scope) -> Principal {
        Principal {
            subject: "someone".into(),
            scope,
        }
    }

    #[test]
    fn the_amount_calls_for_its_level_limits_inclusive() {
        let l = Limits::default();
        assert_eq!(level_for(20_000, l), Owner::Dealer);
        assert_eq!(level_for(20_001, l), Owner::Region);
        assert_eq!(level_for(200_000, l), Owner::Region);
        assert_eq!(level_for(200_001, l), Owner::HeadOffice);
    }

    #[test]
    fn a_level_decides_up_to_its_limit_and_above_calls_higher() {
        let region = principal(Scope::Region {
            region_id: "r1".into(),
        });
        assert!(check_decide(&region, PLACE, Owner::Region).is_ok());
        assert!(matches!(
            check_decide(&region, PLACE, Owner::HeadOffice),
            Err(Denied::NotAllowed(_))
        ));
        assert!(check_decide(&principal(Scope::Oem), PLACE, Owner::HeadOffice).is_ok());
        let other = principal(Scope::Region {
            region_id: "r2".into(),
        });
        assert_eq!(
            check_decide(&other, PLACE, Owner::Dealer),
            Err(Denied::Invisible)
        );
    }
}
