//! Who may read and change what in surveys. Templates are read by every
//! member of the network and changed by head office alone. Invitations and
//! responses belong to a dealer: head office sees all, a region its
//! dealers', dealer staff and the DMS their own dealer's (staff bound to
//! some stations: those stations'). The holder of a survey link is no
//! member: it reaches its invitation only through the link token itself.

pub use aftercare_auth::Denied;
use aftercare_auth::{DEALERS_RELAY, Principal, Scope};

/// Where an invitation or response belongs.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    pub station_id: &'a str,
    pub dealer_id: &'a str,
    pub region_id: &'a str,
}

fn is_member(principal: &Principal) -> bool {
    !matches!(principal.scope, Scope::SurveyLink { .. })
}

/// May `principal` read templates and their versions?
pub fn check_read_templates(principal: &Principal) -> Result<(), Denied> {
    if is_member(principal) {
        Ok(())
    } else {
        Err(Denied::NotAllowed(
            "a survey link reads its survey through GetSurveyByLink",
        ))
    }
}

/// May `principal` create templates and publish versions?
pub fn check_change_templates(principal: &Principal) -> Result<(), Denied> {
    match principal.scope {
        Scope::Oem => Ok(()),
        _ => Err(Denied::NotAllowed(
            "only head office may change survey templates",
        )),
    }
}

/// Does `principal` see the invitations and responses of `place`?
pub fn sees(principal: &Principal, place: Place<'_>) -> bool {
    match &principal.scope {
        Scope::Oem => true,
        Scope::Region { region_id } => region_id == place.region_id,
        Scope::Dealer {
            dealer_id,
            station_ids,
        } => {
            dealer_id == place.dealer_id
                && (station_ids.is_empty() || station_ids.iter().any(|s| s == place.station_id))
        }
        Scope::Dms { dealer_id } => dealer_id == place.dealer_id,
        Scope::SurveyLink { .. } => false,
    }
}

/// May `principal` send the link of, or take by phone, an invitation of
/// `place`? Head office, or staff of the invitation's dealer (and station).
pub fn check_contact(principal: &Principal, place: Place<'_>) -> Result<(), Denied> {
    if !sees(principal, place) {
        return Err(Denied::Invisible);
    }
    match principal.scope {
        Scope::Oem | Scope::Dealer { .. } => Ok(()),
        _ => Err(Denied::NotAllowed(
            "only the dealer's staff or head office may contact its customers",
        )),
    }
}

/// What part of the invitations and responses a list shows `principal`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListScope {
    All,
    Region(String),
    Dealer {
        dealer_id: String,
        station_ids: Vec<String>,
    },
}

pub fn list_scope(principal: &Principal) -> Result<ListScope, Denied> {
    Ok(match &principal.scope {
        Scope::Oem => ListScope::All,
        Scope::Region { region_id } => ListScope::Region(region_id.clone()),
        Scope::Dealer {
            dealer_id,
            station_ids,
        } => ListScope::Dealer {
            dealer_id: dealer_id.clone(),
            station_ids: station_ids.clone(),
        },
        Scope::Dms { dealer_id } => ListScope::Dealer {
            dealer_id: dealer_id.clone(),
            station_ids: vec![],
        },
        Scope::SurveyLink { .. } => {
            return Err(Denied::NotAllowed("a survey link may not list surveys"));
        }
    })
}

/// A dealer or region that a request names (a response rate's, a score's)
/// is not seen outside the caller's scope: a dealer names no region and no
/// other dealer, a region manager no other region.
pub fn check_named(
    scope: &ListScope,
    dealer_id: Option<&str>,
    region_id: Option<&str>,
) -> Result<(), Denied> {
    let seen = match scope {
        ListScope::All => true,
        ListScope::Region(own) => region_id.is_none_or(|r| r == own),
        ListScope::Dealer { dealer_id: own, .. } => {
            region_id.is_none() && dealer_id.is_none_or(|d| d == own)
        }
    };
    if seen { Ok(()) } else { Err(Denied::Invisible) }
}

/// What a caller sees of the members of a league table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeagueViewer {
    /// Head office: every member's figures.
    All,
    /// A region manager: the figures of its region's members.
    Region(String),
    /// Dealer staff or its DMS: its own dealer's (and stations') figures;
    /// of the others only who they are and where they stand.
    Dealer(String),
}

impl LeagueViewer {
    /// Does the caller see the raw value, estimate and sample of a member
    /// of `dealer_id` in `region_id`?
    pub fn sees_figures(&self, dealer_id: &str, region_id: &str) -> bool {
        match self {
            LeagueViewer::All => true,
            LeagueViewer::Region(own) => own == region_id,
            LeagueViewer::Dealer(own) => own == dealer_id,
        }
    }
}

/// May `principal` read a league table of `region` (none: the national
/// one)? Head office and dealers every table, a region manager the national
/// ones and its own region's; a survey link none.
pub fn check_read_league(
    principal: &Principal,
    region: Option<&str>,
) -> Result<LeagueViewer, Denied> {
    match &principal.scope {
        Scope::Oem => Ok(LeagueViewer::All),
        Scope::Region { region_id } => match region {
            Some(r) if r != region_id => Err(Denied::NotAllowed(
                "a region manager reads the national tables and its own region's",
            )),
            _ => Ok(LeagueViewer::Region(region_id.clone())),
        },
        Scope::Dealer { dealer_id, .. } | Scope::Dms { dealer_id } => {
            Ok(LeagueViewer::Dealer(dealer_id.clone()))
        }
        Scope::SurveyLink { .. } => Err(Denied::NotAllowed(
            "a survey link may not read league tables",
        )),
    }
}

/// May `principal` rebuild league tables? Head office only.
pub fn check_rebuild_leagues(principal: &Principal) -> Result<(), Denied> {
    match principal.scope {
        Scope::Oem => Ok(()),
        _ => Err(Denied::NotAllowed(
            "only head office may rebuild the league tables",
        )),
    }
}

/// Is `principal` the dealers relay delivering an event of `dealer_id`'s?
pub fn is_dealers_relay(principal: &Principal, dealer_id: &str) -> bool {
    principal.subject == DEALERS_RELAY
        && matches!(&principal.scope, Scope::Dms { dealer_id: own } if own == dealer_id)
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

    const PLACE: Place<'static> = Place {
        station_id: "s1",
        dealer_id: "d1",
        region_id: "r1",
    };

    #[test]
    fn a_dealer_sees_its_own_and_a_region_its_dealers() {
        let dealer = |d: &str, s: Vec<String>| {
            p(Scope::Dealer {
                dealer_id: d.into(),
                station_ids: s,
            })
        };
        assert!(sees(&dealer("d1", vec![]), PLACE));
        assert!(sees(&dealer("d1", vec!["s1".into()]), PLACE));
        assert!(!sees(&dealer("d1", vec!["s2".into()]), PLACE));
        assert!(!sees(&dealer("d2", vec![]), PLACE));
        assert!(sees(
            &p(Scope::Region {
                region_id: "r1".into()
            }),
            PLACE
        ));
        assert!(!sees(
            &p(Scope::Region {
                region_id: "r2".into()
            }),
            PLACE
        ));
        let link = p(Scope::SurveyLink {
            invitation_id: "i".into(),
        });
        assert!(!sees(&link, PLACE));
        assert!(list_scope(&link).is_err());
    }

    #[test]
    fn only_staff_and_head_office_contact_customers() {
        let region = p(Scope::Region {
            region_id: "r1".into(),
        });
        assert!(matches!(
            check_contact(&region, PLACE),
            Err(Denied::NotAllowed(_))
        ));
        let dms = p(Scope::Dms {
            dealer_id: "d1".into(),
        });
        assert!(matches!(
            check_contact(&dms, PLACE),
            Err(Denied::NotAllowed(_))
        ));
        let other = p(Scope::Dms {
            dealer_id: "d2".into(),
        });
        assert_eq!(check_contact(&other, PLACE), Err(Denied::Invisible));
        assert!(check_contact(&p(Scope::Oem), PLACE).is_ok());
    }

    #[test]
    fn league_tables_are_read_by_members_with_their_own_figures() {
        let oem = check_read_league(&p(Scope::Oem), Some("r2")).unwrap();
        assert!(oem.sees_figures("d9", "r9"));
        let region = p(Scope::Region {
            region_id: "r1".into(),
        });
        let viewer = check_read_league(&region, None).unwrap();
        assert!(viewer.sees_figures("d9", "r1"));
        assert!(!viewer.sees_figures("d9", "r2"));
        assert!(check_read_league(&region, Some("r1")).is_ok());
        assert!(matches!(
            check_read_league(&region, Some("r2")),
            Err(Denied::NotAllowed(_))
        ));
        let dms = p(Scope::Dms {
            dealer_id: "d1".into(),
        });
        let viewer = check_read_league(&dms, Some("r2")).unwrap();
        assert!(viewer.sees_figures("d1", "r1"));
        assert!(!viewer.sees_figures("d2", "r1"));
        let link = p(Scope::SurveyLink {
            invitation_id: "i".into(),
        });
        assert!(check_read_league(&link, None).is_err());
        assert!(check_rebuild_leagues(&p(Scope::Oem)).is_ok());
        assert!(check_rebuild_leagues(&region).is_err());
        assert!(check_rebuild_leagues(&dms).is_err());
    }

    #[test]
    fn the_relay_is_known_by_subject_and_dealer() {
        let relay = |d: &str| Principal {
            subject: DEALERS_RELAY.into(),
            scope: Scope::Dms {
                dealer_id: d.into(),
            },
        };
        assert!(is_dealers_relay(&relay("d1"), "d1"));
        assert!(!is_dealers_relay(&relay("d2"), "d1"));
        assert!(!is_dealers_relay(
            &p(Scope::Dms {
                dealer_id: "d1".into()
            }),
            "d1"
        ));
        assert!(!is_dealers_relay(&p(Scope::Oem), "d1"));
    }

    #[test]
    fn a_named_dealer_or_region_outside_the_scope_is_not_seen() {
        let dealer = ListScope::Dealer {
            dealer_id: "d1".into(),
            station_ids: vec![],
        };
        let region = ListScope::Region("r1".into());
        let invisible = Err(Denied::Invisible);
        assert_eq!(check_named(&dealer, Some("d1"), None), Ok(()));
        assert_eq!(check_named(&dealer, Some("d2"), None), invisible);
        assert_eq!(check_named(&dealer, None, Some("r1")), invisible);
        assert_eq!(check_named(&region, Some("d2"), None), Ok(()));
        assert_eq!(check_named(&region, None, Some("r1")), Ok(()));
        assert_eq!(check_named(&region, None, Some("r2")), invisible);
        assert_eq!(check_named(&ListScope::All, Some("d2"), Some("r2")), Ok(()));
    }
}
