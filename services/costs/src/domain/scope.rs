//! The parts of the network a figure is about, and where one place sits in
//! them.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How wide a scope is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ScopeLevel {
    Station,
    Dealer,
    Region,
    Network,
}

impl ScopeLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            ScopeLevel::Station => "station",
            ScopeLevel::Dealer => "dealer",
            ScopeLevel::Region => "region",
            ScopeLevel::Network => "network",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "station" => ScopeLevel::Station,
            "dealer" => ScopeLevel::Dealer,
            "region" => ScopeLevel::Region,
            "network" => ScopeLevel::Network,
            _ => return None,
        })
    }
}

/// A station, a dealer, a region, or the network (with an empty id).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Scope {
    pub level: ScopeLevel,
    pub id: String,
}

impl Scope {
    pub fn new(level: ScopeLevel, id: impl Into<String>) -> Self {
        Self {
            level,
            id: id.into(),
        }
    }

    pub fn network() -> Self {
        Self::new(ScopeLevel::Network, "")
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.level {
            ScopeLevel::Network => f.write_str("the network"),
            level => write!(f, "{} {}", level.as_str(), self.id),
        }
    }
}

/// Where a station sits: its dealer and region. Events carry it, so that
/// nothing has to ask the dealers service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub station_id: String,
    pub dealer_id: String,
    pub region_id: String,
}

impl Place {
    /// The station, its dealer, its region and the network: every scope a
    /// figure of the station counts in.
    pub fn scopes(&self) -> [Scope; 4] {
        [
            Scope::new(ScopeLevel::Station, &self.station_id),
            Scope::new(ScopeLevel::Dealer, &self.dealer_id),
            Scope::new(ScopeLevel::Region, &self.region_id),
            Scope::network(),
        ]
    }

    /// The dealer, its region and the network.
    pub fn dealer_scopes(&self) -> [Scope; 3] {
        [
            Scope::new(ScopeLevel::Dealer, &self.dealer_id),
            Scope::new(ScopeLevel::Region, &self.region_id),
            Scope::network(),
        ]
    }
}
