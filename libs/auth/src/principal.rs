use aftercare_proto::common::v1 as pb;

/// The subject the dealers service's outbox relay calls other services as,
/// scoped to the dealer of the RO an event is about.
pub const DEALERS_RELAY: &str = "aftercare-dealers-relay";

/// The subject the surveys service's outbox relay (its complaints) calls
/// other services as, scoped to the dealer an event is about.
pub const SURVEYS_RELAY: &str = "aftercare-surveys-relay";

/// A verified caller: who, and what part of the network it may touch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub subject: String,
    pub scope: Scope,
}

impl Principal {
    /// The whole principal in one unambiguous string: role, subject, region,
    /// dealer, stations (sorted, once each) and invitation, each
    /// length-prefixed. Equal exactly when the principals are (station
    /// order aside). Idempotency keys are made of it, so that a stored
    /// answer goes back only to a caller in the very same scope.
    pub fn canonical(&self) -> String {
        let none = || String::new();
        let (region, dealer, mut stations, invitation) = match &self.scope {
            Scope::Oem => (none(), none(), vec![], none()),
            Scope::Region { region_id } => (region_id.clone(), none(), vec![], none()),
            Scope::Dealer {
                dealer_id,
                station_ids,
            } => (none(), dealer_id.clone(), station_ids.clone(), none()),
            Scope::Dms { dealer_id } => (none(), dealer_id.clone(), vec![], none()),
            Scope::SurveyLink { invitation_id } => (none(), none(), vec![], invitation_id.clone()),
        };
        stations.sort_unstable();
        stations.dedup();
        let mut out = String::new();
        let mut field = |s: &str| out.push_str(&format!("{}:{s}", s.len()));
        field(self.scope.role().as_str());
        field(&self.subject);
        field(&region);
        field(&dealer);
        field(&stations.len().to_string());
        stations.iter().for_each(|s| field(s));
        field(&invitation);
        out
    }
}

/// The part of the network a caller may touch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// OEM head office: everything.
    Oem,
    /// A region manager: one region's dealers.
    Region { region_id: String },
    /// Dealer or station staff: one dealer; with station ids, only those
    /// stations' station-bound objects.
    Dealer {
        dealer_id: String,
        station_ids: Vec<String>,
    },
    /// A partner DMS account: one dealer.
    Dms { dealer_id: String },
    /// The holder of a one-time survey link: one invitation.
    SurveyLink { invitation_id: String },
}

/// The roles a token names, as written in tokens and on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Oem,
    Region,
    Dealer,
    Dms,
    Survey,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Oem,
        Role::Region,
        Role::Dealer,
        Role::Dms,
        Role::Survey,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Oem => "oem",
            Role::Region => "region",
            Role::Dealer => "dealer",
            Role::Dms => "dms",
            Role::Survey => "survey",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScopeError {
    #[error("role {0} needs {1}")]
    Missing(&'static str, &'static str),
    #[error("unknown role")]
    UnknownRole,
}

impl Scope {
    /// Builds a scope from a role and the ids that role needs; ids a role
    /// does not use are ignored.
    pub fn new(
        role: Role,
        region_id: Option<String>,
        dealer_id: Option<String>,
        station_ids: Vec<String>,
        invitation_id: Option<String>,
    ) -> Result<Scope, ScopeError> {
        let need = |v: Option<String>, what| {
            v.filter(|s| !s.is_empty())
                .ok_or(ScopeError::Missing(role.as_str(), what))
        };
        Ok(match role {
            Role::Oem => Scope::Oem,
            Role::Region => Scope::Region {
                region_id: need(region_id, "a region id")?,
            },
            Role::Dealer => Scope::Dealer {
                dealer_id: need(dealer_id, "a dealer id")?,
                station_ids,
            },
            Role::Dms => Scope::Dms {
                dealer_id: need(dealer_id, "a dealer id")?,
            },
            Role::Survey => Scope::SurveyLink {
                invitation_id: need(invitation_id, "an invitation id")?,
            },
        })
    }

    pub fn role(&self) -> Role {
        match self {
            Scope::Oem => Role::Oem,
            Scope::Region { .. } => Role::Region,
            Scope::Dealer { .. } => Role::Dealer,
            Scope::Dms { .. } => Role::Dms,
            Scope::SurveyLink { .. } => Role::Survey,
        }
    }

    /// The dealer a dealer-bound caller (staff or DMS) belongs to.
    pub fn dealer_id(&self) -> Option<&str> {
        match self {
            Scope::Dealer { dealer_id, .. } | Scope::Dms { dealer_id } => Some(dealer_id),
            _ => None,
        }
    }
}

impl From<&Principal> for pb::Principal {
    fn from(p: &Principal) -> Self {
        let mut out = pb::Principal {
            subject: p.subject.clone(),
            ..Default::default()
        };
        match &p.scope {
            Scope::Oem => out.role = pb::Role::Oem as i32,
            Scope::Region { region_id } => {
                out.role = pb::Role::Region as i32;
                out.region_id = region_id.clone();
            }
            Scope::Dealer {
                dealer_id,
                station_ids,
            } => {
                out.role = pb::Role::Dealer as i32;
                out.dealer_id = dealer_id.clone();
                out.station_ids = station_ids.clone();
            }
            Scope::Dms { dealer_id } => {
                out.role = pb::Role::Dms as i32;
                out.dealer_id = dealer_id.clone();
            }
            Scope::SurveyLink { invitation_id } => {
                out.role = pb::Role::Survey as i32;
                out.invitation_id = invitation_id.clone();
            }
        }
        out
    }
}

impl TryFrom<pb::Principal> for Principal {
    type Error = ScopeError;

    fn try_from(p: pb::Principal) -> Result<Self, ScopeError> {
        let role = match pb::Role::try_from(p.role) {
            Ok(pb::Role::Oem) => Role::Oem,
            Ok(pb::Role::Region) => Role::Region,
            Ok(pb::Role::Dealer) => Role::Dealer,
            Ok(pb::Role::Dms) => Role::Dms,
            Ok(pb::Role::Survey) => Role::Survey,
            _ => return Err(ScopeError::UnknownRole),
        };
        let scope = Scope::new(
            role,
            Some(p.region_id),
            Some(p.dealer_id),
            p.station_ids,
            Some(p.invitation_id),
        )?;
        Ok(Principal {
            subject: p.subject,
            scope,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{dealer, dms, oem, region, station_staff, survey, with_subject};

    #[test]
    fn the_canonical_form_is_the_whole_principal() {
        let shared = |p| with_subject("shared", p);
        let all = [
            shared(oem()),
            shared(region("north")),
            shared(dealer("d1")),
            shared(dealer("d2")),
            shared(station_staff("d1", "s1")),
            shared(station_staff("d1", "s2")),
            shared(dms("d1")),
            shared(survey()),
            dealer("d1"),
        ];
        for (i, a) in all.iter().enumerate() {
            for (j, b) in all.iter().enumerate() {
                assert_eq!(a.canonical() == b.canonical(), i == j, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn the_canonical_form_is_unambiguous_and_ignores_station_order() {
        let staff = |subject: &str, dealer_id: &str, stations: &[&str]| Principal {
            subject: subject.into(),
            scope: Scope::Dealer {
                dealer_id: dealer_id.into(),
                station_ids: stations.iter().map(|s| (*s).into()).collect(),
            },
        };
        assert_eq!(
            staff("x", "d1", &["s2", "s1", "s1"]).canonical(),
            staff("x", "d1", &["s1", "s2"]).canonical()
        );
        // Separators inside ids cannot make two principals one.
        assert_ne!(
            staff("x", "d1", &["s1:s2"]).canonical(),
            staff("x", "d1", &["s1", "s2"]).canonical()
        );
        assert_ne!(
            staff("x4:d1", "", &[]).canonical(),
            staff("x", "d1", &[]).canonical()
        );
    }
}
