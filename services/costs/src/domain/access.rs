//! Who may read and change what in costs. Every object belongs to a place
//! (station, dealer, region): head office sees all, a region manager its
//! region's, dealer staff and the DMS their own dealer's (staff bound to
//! some stations: those stations'). Rates and budgets are set by head office
//! (budgets of a region's dealers also by its manager). Events come only from
//! the sending service's relay.

pub use aftercare_auth::Denied;
use aftercare_auth::{DEALERS_RELAY, Principal, SURVEYS_RELAY, Scope as Caller};

use super::scope::{Place, Scope, ScopeLevel};

/// Does `principal` see the objects of `place`?
pub fn sees(principal: &Principal, place: &Place) -> bool {
    match &principal.scope {
        Caller::Oem => true,
        Caller::Region { region_id } => *region_id == place.region_id,
        Caller::Dealer {
            dealer_id,
            station_ids,
        } => {
            *dealer_id == place.dealer_id
                && (station_ids.is_empty() || station_ids.contains(&place.station_id))
        }
        Caller::Dms { dealer_id } => *dealer_id == place.dealer_id,
        Caller::SurveyLink { .. } => false,
    }
}

/// Does `principal` see the figures of a dealer (of `region_id`)?
pub fn sees_dealer(principal: &Principal, dealer_id: &str, region_id: &str) -> bool {
    match &principal.scope {
        Caller::Oem => true,
        Caller::Region { region_id: own } => own == region_id,
        Caller::Dealer { dealer_id: own, .. } | Caller::Dms { dealer_id: own } => own == dealer_id,
        Caller::SurveyLink { .. } => false,
    }
}

/// May `principal` read the figures of `scope`, whose dealer and region
/// (for a station or dealer) `place` tells? The network is head office's;
/// a region its manager's and head office's.
pub fn check_scope(
    principal: &Principal,
    scope: &Scope,
    place: Option<&Place>,
) -> Result<(), Denied> {
    let visible = match (scope.level, place) {
        (ScopeLevel::Network, _) => matches!(principal.scope, Caller::Oem),
        (ScopeLevel::Region, _) => match &principal.scope {
            Caller::Oem => true,
            Caller::Region { region_id } => *region_id == scope.id,
            _ => false,
        },
        (ScopeLevel::Dealer, Some(p)) => sees_dealer(principal, &p.dealer_id, &p.region_id),
        (ScopeLevel::Station, Some(p)) => sees(principal, p),
        // A dealer or station the service never heard of.
        (_, None) => matches!(principal.scope, Caller::Oem),
    };
    if visible {
        Ok(())
    } else {
        Err(Denied::Invisible)
    }
}

/// Is `principal` the dealers service's relay, for `dealer_id`'s RO?
pub fn is_dealers_relay(principal: &Principal, dealer_id: &str) -> bool {
    principal.subject == DEALERS_RELAY
        && matches!(&principal.scope, Caller::Dms { dealer_id: own } if own == dealer_id)
}

/// May `principal` tell of a complaint's compensation borne by
/// `dealer_id`? Head office, or the surveys service's relay for that dealer.
pub fn is_compensation_sender(principal: &Principal, dealer_id: &str) -> bool {
    match &principal.scope {
        Caller::Oem => true,
        Caller::Dms { dealer_id: own } => principal.subject == SURVEYS_RELAY && own == dealer_id,
        _ => false,
    }
}

/// May `principal` set rates and warranty terms? Head office only.
pub fn check_set_rates(principal: &Principal) -> Result<(), Denied> {
    match principal.scope {
        Caller::Oem => Ok(()),
        Caller::SurveyLink { .. } => Err(Denied::Invisible),
        _ => Err(Denied::NotAllowed(
            "only head office sets rates and warranty terms",
        )),
    }
}

/// May `principal` read rates and warranty terms? Every member.
pub fn check_read_rates(principal: &Principal) -> Result<(), Denied> {
    match principal.scope {
        Caller::SurveyLink { .. } => Err(Denied::NotAllowed("a survey link reads no costs")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(scope: Caller) -> Principal {
        Principal {
            subject: "u".into(),
            scope,
        }
    }

    fn place() -> Place {
        Place {
            station_id: "s1".into(),
            dealer_id: "d1".into(),
            region_id: "r1".into(),
        }
    }

    #[test]
    fn a_dealer_sees_its_own_places_only() {
        let own = p(Caller::Dms {
            dealer_id: "d1".into(),
        });
        let other = p(Caller::Dms {
            dealer_id: "d2".into(),
        });
        assert!(sees(&own, &place()));
        assert!(!sees(&other, &place()));
        let bound = p(Caller::Dealer {
            dealer_id: "d1".into(),
            station_ids: vec!["s2".into()],
        });
        assert!(!sees(&bound, &place()));
    }

    #[test]
    fn the_network_is_head_offices_and_a_region_its_managers() {
        let region = p(Caller::Region {
            region_id: "r1".into(),
        });
        assert!(check_scope(&region, &Scope::network(), None).is_err());
        assert!(check_scope(&region, &Scope::new(ScopeLevel::Region, "r1"), None).is_ok());
        assert!(check_scope(&region, &Scope::new(ScopeLevel::Region, "r2"), None).is_err());
        let dealer = Scope::new(ScopeLevel::Dealer, "d1");
        assert!(check_scope(&region, &dealer, Some(&place())).is_ok());
        assert!(check_scope(&p(Caller::Oem), &Scope::network(), None).is_ok());
    }
}
