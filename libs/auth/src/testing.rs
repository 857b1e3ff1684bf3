//! The principals tests call as, one of each kind, named the same in every
//! service's tests.

use crate::{Principal, Scope, Secret, assertion::Signer};

fn principal(subject: String, scope: Scope) -> Principal {
    Principal { subject, scope }
}

pub fn oem() -> Principal {
    principal("head-office".into(), Scope::Oem)
}

pub fn region(region_id: &str) -> Principal {
    let scope = Scope::Region {
        region_id: region_id.into(),
    };
    principal(format!("rm-{region_id}"), scope)
}

/// A dealer's staff, at every station of the dealer.
pub fn dealer(dealer_id: &str) -> Principal {
    let scope = Scope::Dealer {
        dealer_id: dealer_id.into(),
        station_ids: vec![],
    };
    principal(format!("staff-{dealer_id}"), scope)
}

/// A dealer's staff whose account names one station.
pub fn station_staff(dealer_id: &str, station_id: &str) -> Principal {
    let scope = Scope::Dealer {
        dealer_id: dealer_id.into(),
        station_ids: vec![station_id.into()],
    };
    principal(format!("staff-{station_id}"), scope)
}

pub fn dms(dealer_id: &str) -> Principal {
    let scope = Scope::Dms {
        dealer_id: dealer_id.into(),
    };
    principal(format!("dms-{dealer_id}"), scope)
}

/// The dealers service's outbox relay, as it calls for `dealer_id`'s RO.
pub fn dealers_relay(dealer_id: &str) -> Principal {
    let scope = Scope::Dms {
        dealer_id: dealer_id.into(),
    };
    principal(crate::DEALERS_RELAY.into(), scope)
}

/// The surveys service's outbox relay, as it calls for `dealer_id`'s
/// complaint.
pub fn surveys_relay(dealer_id: &str) -> Principal {
    let scope = Scope::Dms {
        dealer_id: dealer_id.into(),
    };
    principal(crate::SURVEYS_RELAY.into(), scope)
}

/// The holder of a survey link, of invitation `inv-1`.
pub fn survey() -> Principal {
    let scope = Scope::SurveyLink {
        invitation_id: "inv-1".into(),
    };
    principal("inv-1".into(), scope)
}

/// `principal` under another subject: one identity provider account (or
/// the one subject `aftercare token` once gave every dealer) seen in two
/// scopes.
pub fn with_subject(subject: &str, principal: Principal) -> Principal {
    Principal {
        subject: subject.into(),
        ..principal
    }
}

/// Head office, signed with a key no service knows.
pub fn forger() -> Signer {
    Signer {
        principal: principal("x".into(), Scope::Oem),
        key: Secret::generate(),
    }
}
