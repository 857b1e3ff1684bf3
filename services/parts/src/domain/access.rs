//! Who may read and change the catalogue: every member of the network reads
//! it; only head office changes it. A survey link is no member.

use aftercare_auth::{Principal, Scope};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    PermissionDenied,
}

/// May `principal` read parts and prices?
pub fn check_read(principal: &Principal) -> Result<(), Denied> {
    match principal.scope {
        Scope::Oem | Scope::Region { .. } | Scope::Dealer { .. } | Scope::Dms { .. } => Ok(()),
        Scope::SurveyLink { .. } => Err(Denied::PermissionDenied),
    }
}

/// May `principal` change parts and prices?
pub fn check_change(principal: &Principal) -> Result<(), Denied> {
    match principal.scope {
        Scope::Oem => Ok(()),
        _ => Err(Denied::PermissionDenied),
    }
}
