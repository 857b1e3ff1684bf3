//! Who may enter costs, set budgets and read them (see [`super::access`]
//! for the shared rules): a dealer's staff and DMS enter their own
//! stations' costs and read their own dealer's budgets and alerts; budgets
//! are set by head office, a dealer's also by its region's manager.

use aftercare_auth::{Denied, Principal, Scope as Caller};

use super::{
    access::sees,
    scope::{Place, Scope, ScopeLevel},
};

/// May `principal` enter a cost of the station at `place`?
pub fn check_enter_cost(principal: &Principal, place: &Place) -> Result<(), Denied> {
    match &principal.scope {
        Caller::Oem => Ok(()),
        Caller::Dealer { .. } | Caller::Dms { .. } if sees(principal, place) => Ok(()),
        Caller::Region { region_id } if *region_id == place.region_id => Err(Denied::NotAllowed(
            "a region manager reads its dealers' costs; the dealers enter them",
        )),
        _ => Err(Denied::Invisible),
    }
}

/// The budgets (and alerts) a caller sees: of a scope whose region is
/// `region_id` (a dealer's region, a region itself, empty for the network).
pub fn sees_budget(principal: &Principal, scope: &Scope, region_id: &str) -> bool {
    match &principal.scope {
        Caller::Oem => true,
        Caller::Region { region_id: own } => scope.level != ScopeLevel::Network && own == region_id,
        Caller::Dealer { dealer_id, .. } | Caller::Dms { dealer_id } => {
            scope.level == ScopeLevel::Dealer && *dealer_id == scope.id
        }
        Caller::SurveyLink { .. } => false,
    }
}

/// May `principal` set the budget of `scope` (in region `region_id`)? Head
/// office any; a region manager its region's dealers'.
pub fn check_set_budget(
    principal: &Principal,
    scope: &Scope,
    region_id: &str,
) -> Result<(), Denied> {
    match &principal.scope {
        Caller::Oem => Ok(()),
        Caller::Region { region_id: own }
            if scope.level == ScopeLevel::Dealer && own == region_id =>
        {
            Ok(())
        }
        _ if sees_budget(principal, scope, region_id) => Err(Denied::NotAllowed(
            "budgets are set by head office, a dealer's also by its region's manager",
        )),
        Caller::Region { .. } if scope.level == ScopeLevel::Network => Err(Denied::NotAllowed(
            "the network's budgets are set by head office",
        )),
        _ => Err(Denied::Invisible),
    }
}

/// Which rows of a list a caller sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    All,
    Region(String),
    /// A dealer's; staff bound to some stations: those stations' entries.
    Dealer {
        dealer_id: String,
        station_ids: Vec<String>,
    },
    Nothing,
}

pub fn view(principal: &Principal) -> View {
    match &principal.scope {
        Caller::Oem => View::All,
        Caller::Region { region_id } => View::Region(region_id.clone()),
        Caller::Dealer {
            dealer_id,
            station_ids,
        } => View::Dealer {
            dealer_id: dealer_id.clone(),
            station_ids: station_ids.clone(),
        },
        Caller::Dms { dealer_id } => View::Dealer {
            dealer_id: dealer_id.clone(),
            station_ids: vec![],
        },
        Caller::SurveyLink { .. } => View::Nothing,
    }
}

#[cfg(test)]
mod tests {
    use aftercare_auth::testing as who;

    use super::*;

    fn s1() -> Place {
        Place {
            station_id: "s1".into(),
            dealer_id: "d1".into(),
            region_id: "north".into(),
        }
    }

    #[test]
    fn costs_are_entered_by_their_dealer_or_head_office() {
        assert!(check_enter_cost(&who::oem(), &s1()).is_ok());
        assert!(check_enter_cost(&who::dms("d1"), &s1()).is_ok());
        assert_eq!(
            check_enter_cost(&who::dms("d2"), &s1()),
            Err(Denied::Invisible)
        );
        assert!(matches!(
            check_enter_cost(&who::region("north"), &s1()),
            Err(Denied::NotAllowed(_))
        ));
        assert_eq!(
            check_enter_cost(&who::region("south"), &s1()),
            Err(Denied::Invisible)
        );
        assert_eq!(
            check_enter_cost(&who::station_staff("d1", "s2"), &s1()),
            Err(Denied::Invisible)
        );
    }

    #[test]
    fn budgets_are_set_above_the_dealer() {
        let d1 = Scope::new(ScopeLevel::Dealer, "d1");
        let north = Scope::new(ScopeLevel::Region, "north");
        assert!(check_set_budget(&who::region("north"), &d1, "north").is_ok());
        assert_eq!(
            check_set_budget(&who::region("south"), &d1, "north"),
            Err(Denied::Invisible)
        );
        assert!(matches!(
            check_set_budget(&who::region("north"), &north, "north"),
            Err(Denied::NotAllowed(_))
        ));
        assert!(matches!(
            check_set_budget(&who::dealer("d1"), &d1, "north"),
            Err(Denied::NotAllowed(_))
        ));
        assert_eq!(
            check_set_budget(&who::dealer("d2"), &d1, "north"),
            Err(Denied::Invisible)
        );
        assert!(check_set_budget(&who::oem(), &Scope::network(), "").is_ok());
    }
}
