//! Who may see and change what. Every object has a place in the network
//! (its region, dealer, station); a caller's scope decides which places it
//! sees. What a caller cannot see does not exist for it (NOT_FOUND); what it
//! sees but may not change is PERMISSION_DENIED.

pub use aftercare_auth::Denied;
use aftercare_auth::{Principal, Scope};

/// Where an object sits in the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place<'a> {
    /// The network's shared reference data, in no region (audit
    /// checklists).
    Network,
    /// A region itself.
    Region { region_id: &'a str },
    /// A dealer, or something that belongs to a dealer as a whole
    /// (customers, vehicles).
    Dealer {
        region_id: &'a str,
        dealer_id: &'a str,
    },
    /// A station, or something bound to a station (its staff).
    Station {
        region_id: &'a str,
        dealer_id: &'a str,
        station_id: &'a str,
    },
}

/// The kinds of change, by who may make them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Regions: head office only.
    Regions,
    /// The network's standards (audit checklists): head office only.
    Standards,
    /// Dealers and stations, the shape of the network: head office, or the
    /// manager of the region they are in.
    Network,
    /// Staff, customers and vehicles, a dealer's own business: anyone who
    /// sees them.
    Dealership,
    /// Appointments and repair orders, the workshop's records: a dealer's
    /// staff and its DMS account, on what they see. Regions and head office
    /// read them.
    Workshop,
}

/// Whether `principal` sees `place`.
pub fn sees(principal: &Principal, place: Place<'_>) -> bool {
    let (region, dealer, station) = match place {
        // Every member of the network may read the list of regions and
        // the network's reference data.
        Place::Network | Place::Region { .. } => {
            return !matches!(principal.scope, Scope::SurveyLink { .. });
        }
        Place::Dealer {
            region_id,
            dealer_id,
        } => (region_id, dealer_id, None),
        Place::Station {
            region_id,
            dealer_id,
            station_id,
        } => (region_id, dealer_id, Some(station_id)),
    };
    match &principal.scope {
        Scope::Oem => true,
        Scope::Region { region_id } => region_id == region,
        Scope::Dealer {
            dealer_id,
            station_ids,
        } => {
            dealer_id == dealer
                && match station {
                    Some(s) if !station_ids.is_empty() => station_ids.iter().any(|own| own == s),
                    _ => true,
                }
        }
        Scope::Dms { dealer_id } => dealer_id == dealer,
        Scope::SurveyLink { .. } => false,
    }
}

/// May `principal` read the object at `place`?
pub fn check_read(principal: &Principal, place: Place<'_>) -> Result<(), Denied> {
    if sees(principal, place) {
        Ok(())
    } else {
        Err(Denied::Invisible)
    }
}

/// May `principal`'s role ever make `change`? Answered without looking at
/// any object, so a refusal says nothing about one.
pub fn check_role(principal: &Principal, change: Change) -> Result<(), Denied> {
    let (role_may, why) = match change {
        Change::Regions => (
            matches!(principal.scope, Scope::Oem),
            "only head office changes regions",
        ),
        Change::Standards => (
            matches!(principal.scope, Scope::Oem),
            "only head office changes the network's standards",
        ),
        Change::Network => (
            matches!(principal.scope, Scope::Oem | Scope::Region { .. }),
            "only head office and region managers change dealers and stations",
        ),
        Change::Dealership => (
            !matches!(principal.scope, Scope::SurveyLink { .. }),
            "a survey link changes nothing in the network",
        ),
        Change::Workshop => (
            matches!(principal.scope, Scope::Dealer { .. } | Scope::Dms { .. }),
            "only the dealer's staff and its DMS change the workshop's records",
        ),
    };
    if role_may {
        Ok(())
    } else {
        Err(Denied::NotAllowed(why))
    }
}

/// May `principal` make `change` to the object at `place` (or create one
/// there)? The role is checked first.
pub fn check_change(principal: &Principal, change: Change, place: Place<'_>) -> Result<(), Denied> {
    check_role(principal, change)?;
    check_read(principal, place)
}

/// Which objects a list may return to a caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListScope {
    All,
    Region {
        region_id: String,
    },
    /// One dealer; with station ids, station-bound objects of only those.
    Dealer {
        dealer_id: String,
        station_ids: Vec<String>,
    },
}

pub fn list_scope(principal: &Principal) -> Result<ListScope, Denied> {
    match &principal.scope {
        Scope::Oem => Ok(ListScope::All),
        Scope::Region { region_id } => Ok(ListScope::Region {
            region_id: region_id.clone(),
        }),
        Scope::Dealer {
            dealer_id,
            station_ids,
        } => Ok(ListScope::Dealer {
            dealer_id: dealer_id.clone(),
            station_ids: station_ids.clone(),
        }),
        Scope::Dms { dealer_id } => Ok(ListScope::Dealer {
            dealer_id: dealer_id.clone(),
            station_ids: vec![],
        }),
        Scope::SurveyLink { .. } => Err(Denied::NotAllowed("your role may not list the network")),
    }
}

#[cfg(test)]
mod tests {
    /// A refusal to a caller who sees the object, whatever the reason given.
    fn not_allowed(r: Result<impl std::fmt::Debug, Denied>) -> bool {
        matches!(r, Err(Denied::NotAllowed(_)))
    }

    use super::*;

    fn p(scope: Scope) -> Principal {
        Principal {
            subject: "t".into(),
            scope,
        }
    }

    const STATION: Place<'static> = Place::Station {
        region_id: "north",
        dealer_id: "d1",
        station_id: "s1",
    };
    const DEALER: Place<'static> = Place::Dealer {
        region_id: "north",
        dealer_id: "d1",
    };

    #[test]
    fn dealers_see_their_own_only() {
        let own = p(Scope::Dealer {
            dealer_id: "d1".into(),
            station_ids: vec![],
        });
        let other = p(Scope::Dealer {
            dealer_id: "d2".into(),
            station_ids: vec![],
        });
        assert!(sees(&own, STATION) && sees(&own, DEALER));
        assert_eq!(check_read(&other, STATION), Err(Denied::Invisible));
        assert_eq!(
            check_change(&other, Change::Dealership, DEALER),
            Err(Denied::Invisible)
        );
    }

    #[test]
    fn station_staff_see_their_stations_only() {
        let staff = p(Scope::Dealer {
            dealer_id: "d1".into(),
            station_ids: vec!["s2".into()],
        });
        assert!(!sees(&staff, STATION));
        assert!(
            sees(&staff, DEALER),
            "customers are the dealer's, not a station's"
        );
    }

    #[test]
    fn only_head_office_and_the_region_shape_the_network() {
        let north = p(Scope::Region {
            region_id: "north".into(),
        });
        let south = p(Scope::Region {
            region_id: "south".into(),
        });
        let dealer = p(Scope::Dealer {
            dealer_id: "d1".into(),
            station_ids: vec![],
        });
        assert_eq!(
            check_change(&p(Scope::Oem), Change::Network, STATION),
            Ok(())
        );
        assert_eq!(check_change(&north, Change::Network, STATION), Ok(()));
        assert_eq!(
            check_change(&south, Change::Network, STATION),
            Err(Denied::Invisible)
        );
        assert!(not_allowed(check_change(&dealer, Change::Network, STATION)));
        assert_eq!(check_change(&dealer, Change::Dealership, STATION), Ok(()));
    }

    #[test]
    fn regions_are_read_by_all_and_changed_by_head_office() {
        let place = Place::Region { region_id: "north" };
        let dms = p(Scope::Dms {
            dealer_id: "d1".into(),
        });
        let survey = p(Scope::SurveyLink {
            invitation_id: "i".into(),
        });
        assert_eq!(check_read(&dms, place), Ok(()));
        assert!(not_allowed(check_change(&dms, Change::Regions, place)));
        assert!(not_allowed(check_change(
            &p(Scope::Region {
                region_id: "north".into()
            }),
            Change::Regions,
            place
        )));
        assert_eq!(check_change(&p(Scope::Oem), Change::Regions, place), Ok(()));
        assert_eq!(check_read(&survey, place), Err(Denied::Invisible));
        assert!(not_allowed(list_scope(&survey)));
    }

    #[test]
    fn the_workshop_is_kept_by_the_dealer_and_read_above_it() {
        let own_station = p(Scope::Dealer {
            dealer_id: "d1".into(),
            station_ids: vec!["s1".into()],
        });
        let dms = p(Scope::Dms {
            dealer_id: "d1".into(),
        });
        let north = p(Scope::Region {
            region_id: "north".into(),
        });
        assert_eq!(
            check_change(&own_station, Change::Workshop, STATION),
            Ok(())
        );
        assert_eq!(check_change(&dms, Change::Workshop, STATION), Ok(()));
        assert_eq!(check_read(&north, STATION), Ok(()));
        for reader in [north, p(Scope::Oem)] {
            assert!(not_allowed(check_change(
                &reader,
                Change::Workshop,
                STATION
            )));
        }
        let other_station = p(Scope::Dealer {
            dealer_id: "d1".into(),
            station_ids: vec!["s2".into()],
        });
        assert_eq!(
            check_change(&other_station, Change::Workshop, STATION),
            Err(Denied::Invisible)
        );
    }

    #[test]
    fn standards_are_read_by_the_network_and_kept_by_head_office() {
        let north = p(Scope::Region {
            region_id: "north".into(),
        });
        let survey = p(Scope::SurveyLink {
            invitation_id: "i".into(),
        });
        assert_eq!(check_read(&north, Place::Network), Ok(()));
        assert_eq!(check_read(&survey, Place::Network), Err(Denied::Invisible));
        assert!(not_allowed(check_change(
            &north,
            Change::Standards,
            Place::Network
        )));
        assert_eq!(
            check_change(&p(Scope::Oem), Change::Standards, Place::Network),
            Ok(())
        );
    }
}
