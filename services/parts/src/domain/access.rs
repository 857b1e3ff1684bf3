//! Who may read and change what. Every member of the network reads the
//! catalogue; only head office changes it. Warehouses are seen by their
//! owner and those above it, and their stock is moved by their owner alone.
//! A survey link is no member.

use aftercare_auth::{Denied, Principal, Scope};

use super::warehouse::{Kind, Warehouse};

/// May `principal` read parts, prices and the network's availability?
pub fn check_read(principal: &Principal) -> Result<(), Denied> {
    match principal.scope {
        Scope::Oem | Scope::Region { .. } | Scope::Dealer { .. } | Scope::Dms { .. } => Ok(()),
        Scope::SurveyLink { .. } => Err(Denied::NotAllowed(
            "your role may not read the parts catalogue",
        )),
    }
}

/// May `principal` change parts and prices?
pub fn check_change(principal: &Principal) -> Result<(), Denied> {
    match principal.scope {
        Scope::Oem => Ok(()),
        _ => Err(Denied::NotAllowed(
            "only head office may change the parts catalogue",
        )),
    }
}

/// Does `principal` see warehouse `w` and its stock? Head office sees all;
/// a region its own and the central ones; a dealer its own (staff bound to
/// some stations: those stations' and the dealer's unbound ones).
pub fn sees(principal: &Principal, w: &Warehouse) -> bool {
    let is = |v: &Option<super::warehouse::NetworkId>, id: &str| {
        v.as_ref().is_some_and(|v| v.as_str() == id)
    };
    match &principal.scope {
        Scope::Oem => true,
        Scope::Region { region_id } => w.kind == Kind::Central || is(&w.region_id, region_id),
        Scope::Dealer {
            dealer_id,
            station_ids,
        } => {
            is(&w.dealer_id, dealer_id)
                && (station_ids.is_empty()
                    || w.station_id
                        .as_ref()
                        .is_none_or(|s| station_ids.iter().any(|x| x == s.as_str())))
        }
        Scope::Dms { dealer_id } => is(&w.dealer_id, dealer_id),
        Scope::SurveyLink { .. } => false,
    }
}

/// The warehouses a principal sees, as a list reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visible<'a> {
    All,
    /// The region's own and the central ones.
    Region(&'a str),
    /// The dealer's own; with stations, those stations' and the dealer's
    /// unbound ones.
    Dealer {
        dealer_id: &'a str,
        station_ids: &'a [String],
    },
}

/// Which warehouses `principal` may list: those [`sees`] lets through.
pub fn visible_warehouses(principal: &Principal) -> Result<Visible<'_>, Denied> {
    match &principal.scope {
        Scope::Oem => Ok(Visible::All),
        Scope::Region { region_id } => Ok(Visible::Region(region_id)),
        Scope::Dealer {
            dealer_id,
            station_ids,
        } => Ok(Visible::Dealer {
            dealer_id,
            station_ids,
        }),
        Scope::Dms { dealer_id } => Ok(Visible::Dealer {
            dealer_id,
            station_ids: &[],
        }),
        Scope::SurveyLink { .. } => Err(Denied::NotAllowed("your role may not read warehouses")),
    }
}

/// May `principal` see warehouse `w` at all?
pub fn check_see(principal: &Principal, w: &Warehouse) -> Result<(), Denied> {
    if sees(principal, w) {
        Ok(())
    } else {
        Err(Denied::Invisible)
    }
}

/// May `principal` move stock in or out of `w`? Only its owner: head office
/// for central warehouses, the region (or head office) for regional ones,
/// the dealer's staff and DMS for dealer ones.
pub fn check_move(principal: &Principal, w: &Warehouse) -> Result<(), Denied> {
    check_see(principal, w)?;
    let allowed = matches!(
        (&principal.scope, w.kind),
        (Scope::Oem, Kind::Central | Kind::Regional)
            | (Scope::Region { .. }, Kind::Regional)
            | (Scope::Dealer { .. } | Scope::Dms { .. }, Kind::Dealer)
    );
    if allowed {
        Ok(())
    } else {
        Err(Denied::NotAllowed(
            "only the warehouse's owner moves its stock",
        ))
    }
}

/// May `principal` set the stock levels of `w`? Its owner and those above.
pub fn check_plan(principal: &Principal, w: &Warehouse) -> Result<(), Denied> {
    check_see(principal, w)?;
    match (&principal.scope, w.kind) {
        (Scope::Region { .. }, Kind::Central) => Err(Denied::NotAllowed(
            "only head office sets the levels of a central warehouse",
        )),
        _ => Ok(()),
    }
}

/// May `principal` create warehouse `w`? Head office any; a region those of
/// its region, its dealers' included.
pub fn check_create(principal: &Principal, w: &Warehouse) -> Result<(), Denied> {
    match &principal.scope {
        Scope::Oem => Ok(()),
        Scope::Region { region_id }
            if w.kind != Kind::Central
                && w.region_id
                    .as_ref()
                    .is_some_and(|r| r.as_str() == region_id) =>
        {
            Ok(())
        }
        _ => Err(Denied::NotAllowed(
            "only head office, or a region within its own, creates warehouses",
        )),
    }
}

/// May `principal` read the fill rate of a dealer, of a region, or of the
/// whole network (both none)?
pub fn check_report(
    principal: &Principal,
    dealer_id: Option<&str>,
    region_id: Option<&str>,
) -> Result<(), Denied> {
    let allowed = match &principal.scope {
        Scope::Oem => true,
        // A region's figures are those of its lines: a dealer of another
        // region reads as zero lines, not as someone else's.
        Scope::Region { region_id: own } => match (dealer_id, region_id) {
            (_, Some(r)) => r == own,
            (Some(_), None) => true,
            (None, None) => false,
        },
        Scope::Dealer { dealer_id: own, .. } | Scope::Dms { dealer_id: own } => {
            region_id.is_none() && dealer_id == Some(own.as_str())
        }
        Scope::SurveyLink { .. } => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(Denied::NotAllowed(
            "this report is outside your part of the network",
        ))
    }
}

/// The owner namespace a repair-order line is reserved in: two dealers
/// using the same repair order id never meet.
pub fn reservation_owner(w: &Warehouse) -> String {
    match (&w.dealer_id, &w.region_id) {
        (Some(d), _) => format!("dealer:{d}"),
        (None, Some(r)) => format!("region:{r}"),
        (None, None) => "oem".into(),
    }
}

/// Does `principal` see another dealer's identity in the network's
/// availability? Head office and regions do; dealers only when the network
/// is configured to show owners.
pub fn sees_owner(principal: &Principal, w: &Warehouse, show_owners: bool) -> bool {
    show_owners
        || w.kind != Kind::Dealer
        || matches!(principal.scope, Scope::Oem | Scope::Region { .. })
        || sees(principal, w)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(scope: Scope) -> Principal {
        Principal {
            subject: "x".into(),
            scope,
        }
    }

    fn w(kind: Kind, region: &str, dealer: &str, station: &str) -> Warehouse {
        Warehouse::sample(kind, region, dealer, station)
    }

    #[test]
    fn a_dealer_moves_only_its_own_stock() {
        let own = w(Kind::Dealer, "north", "d1", "s1");
        let other = w(Kind::Dealer, "north", "d2", "");
        let regional = w(Kind::Regional, "north", "", "");
        let staff = p(Scope::Dealer {
            dealer_id: "d1".into(),
            station_ids: vec![],
        });
        let dms = p(Scope::Dms {
            dealer_id: "d1".into(),
        });
        for caller in [&staff, &dms] {
            assert_eq!(check_move(caller, &own), Ok(()));
            assert_eq!(check_move(caller, &other), Err(Denied::Invisible));
            assert_eq!(check_move(caller, &regional), Err(Denied::Invisible));
        }
        let other_station = p(Scope::Dealer {
            dealer_id: "d1".into(),
            station_ids: vec!["s2".into()],
        });
        assert_eq!(check_see(&other_station, &own), Err(Denied::Invisible));
    }

    #[test]
    fn regions_and_head_office_see_down_and_move_their_own() {
        let north = p(Scope::Region {
            region_id: "north".into(),
        });
        let dealer = w(Kind::Dealer, "north", "d1", "");
        let south_dealer = w(Kind::Dealer, "south", "d9", "");
        let regional = w(Kind::Regional, "north", "", "");
        let central = w(Kind::Central, "", "", "");
        assert!(sees(&north, &dealer) && sees(&north, &central));
        assert!(!sees(&north, &south_dealer));
        assert_eq!(check_move(&north, &regional), Ok(()));
        assert!(matches!(
            check_move(&north, &dealer),
            Err(Denied::NotAllowed(_))
        ));
        assert!(matches!(
            check_move(&north, &central),
            Err(Denied::NotAllowed(_))
        ));
        assert_eq!(check_plan(&north, &dealer), Ok(()));
        assert_eq!(check_create(&north, &dealer), Ok(()));
        assert!(check_create(&north, &central).is_err());
        let oem = p(Scope::Oem);
        assert_eq!(check_move(&oem, &central), Ok(()));
        assert!(matches!(
            check_move(&oem, &dealer),
            Err(Denied::NotAllowed(_))
        ));
    }

    #[test]
    fn a_list_of_warehouses_shows_what_each_principal_sees() {
        let dms = p(Scope::Dms {
            dealer_id: "d1".into(),
        });
        assert_eq!(
            visible_warehouses(&dms),
            Ok(Visible::Dealer {
                dealer_id: "d1",
                station_ids: &[]
            })
        );
        let north = p(Scope::Region {
            region_id: "north".into(),
        });
        assert_eq!(visible_warehouses(&north), Ok(Visible::Region("north")));
        assert_eq!(visible_warehouses(&p(Scope::Oem)), Ok(Visible::All));
        let survey = p(Scope::SurveyLink {
            invitation_id: "i1".into(),
        });
        assert!(matches!(
            visible_warehouses(&survey),
            Err(Denied::NotAllowed(_))
        ));
    }

    #[test]
    fn reports_stay_in_scope() {
        let staff = p(Scope::Dealer {
            dealer_id: "d1".into(),
            station_ids: vec![],
        });
        assert_eq!(check_report(&staff, Some("d1"), None), Ok(()));
        assert!(check_report(&staff, Some("d2"), None).is_err());
        assert!(check_report(&staff, None, None).is_err());
        let north = p(Scope::Region {
            region_id: "north".into(),
        });
        assert_eq!(check_report(&north, None, Some("north")), Ok(()));
        assert!(check_report(&north, None, Some("south")).is_err());
        assert!(check_report(&north, None, None).is_err());
    }
}
