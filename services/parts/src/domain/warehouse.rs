//! Warehouses: who owns each (head office, a region, a dealer) and where it
//! is replenished from. Parsed at the edge; no transport and no SQL here.

use serde::{Deserialize, Serialize};

use aftercare_values::{
    text::{self, TextError},
    text_type,
};

use super::catalogue::DisplayName;

text_type!(
    /// The id of a warehouse, or of a region, dealer, station or repair
    /// order of the network: lower-case letters, digits and hyphens, 1 to 63
    /// characters, not starting with a hyphen.
    NetworkId
);

impl NetworkId {
    pub fn parse(s: &str) -> Result<Self, TextError> {
        text::id(s).map(Self)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    Central,
    Regional,
    Dealer,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Central => "central",
            Kind::Regional => "regional",
            Kind::Dealer => "dealer",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        [Kind::Central, Kind::Regional, Kind::Dealer]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// The class of a service station, after the facility standard it is built
/// to; it decides the stock the station must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StationClass {
    Full,
    Service,
    Quick,
}

impl StationClass {
    pub fn as_str(self) -> &'static str {
        match self {
            StationClass::Full => "full",
            StationClass::Service => "service",
            StationClass::Quick => "quick",
        }
    }

    pub fn parse(s: &str) -> Option<StationClass> {
        [
            StationClass::Full,
            StationClass::Service,
            StationClass::Quick,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

/// The longest lead time a warehouse may state.
pub const MAX_LEAD_TIME_DAYS: i64 = 365;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warehouse {
    pub id: NetworkId,
    pub display_name: DisplayName,
    pub kind: Kind,
    /// Set for regional and dealer warehouses.
    pub region_id: Option<NetworkId>,
    /// Set for dealer warehouses.
    pub dealer_id: Option<NetworkId>,
    /// Optionally set for dealer warehouses.
    pub station_id: Option<NetworkId>,
    /// Set exactly when `station_id` is.
    pub station_class: Option<StationClass>,
    pub parent: Option<NetworkId>,
    pub lead_time_days: i64,
    /// Microseconds since the epoch.
    pub create_time: i64,
}

/// Why a warehouse cannot be as described, with the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WarehouseError {
    #[error("{0}: must be set for a {1} warehouse")]
    Missing(&'static str, &'static str),
    #[error("{0}: must be empty for a {1} warehouse")]
    NotAllowed(&'static str, &'static str),
    #[error("parent_warehouse_id: a {child} warehouse is replenished from {allowed}")]
    Parent {
        child: &'static str,
        allowed: &'static str,
    },
    #[error("parent_warehouse_id: must be a warehouse of the same region")]
    ParentRegion,
    #[error("station_class: must be set exactly when station_id is")]
    StationClass,
}

impl WarehouseError {
    /// The field of the warehouse at fault.
    pub fn field(&self) -> &'static str {
        match self {
            WarehouseError::Missing(f, _) | WarehouseError::NotAllowed(f, _) => f,
            WarehouseError::Parent { .. } | WarehouseError::ParentRegion => "parent_warehouse_id",
            WarehouseError::StationClass => "station_class",
        }
    }
}

impl Warehouse {
    /// Checks that the owner fields fit the kind.
    pub fn check_owner(&self) -> Result<(), WarehouseError> {
        let kind = self.kind.as_str();
        let need = |v: &Option<NetworkId>, f| {
            v.as_ref()
                .map(|_| ())
                .ok_or(WarehouseError::Missing(f, kind))
        };
        let none = |v: &Option<NetworkId>, f| match v {
            Some(_) => Err(WarehouseError::NotAllowed(f, kind)),
            None => Ok(()),
        };
        match self.kind {
            Kind::Central => {
                none(&self.region_id, "region_id")?;
                none(&self.dealer_id, "dealer_id")?;
                none(&self.station_id, "station_id")?;
                none(&self.parent, "parent_warehouse_id")?;
            }
            Kind::Regional => {
                need(&self.region_id, "region_id")?;
                none(&self.dealer_id, "dealer_id")?;
                none(&self.station_id, "station_id")?;
            }
            Kind::Dealer => {
                need(&self.region_id, "region_id")?;
                need(&self.dealer_id, "dealer_id")?;
            }
        }
        if self.station_id.is_some() != self.station_class.is_some() {
            return Err(WarehouseError::StationClass);
        }
        Ok(())
    }

    /// Checks that `parent` may replenish this warehouse: one level up
    /// (central → regional → dealer, or central → dealer), in the same
    /// region.
    pub fn check_parent(&self, parent: &Warehouse) -> Result<(), WarehouseError> {
        let allowed = match (self.kind, parent.kind) {
            (Kind::Regional, Kind::Central) | (Kind::Dealer, Kind::Central) => true,
            (Kind::Dealer, Kind::Regional) => {
                if parent.region_id != self.region_id {
                    return Err(WarehouseError::ParentRegion);
                }
                true
            }
            _ => false,
        };
        if allowed {
            return Ok(());
        }
        Err(WarehouseError::Parent {
            child: self.kind.as_str(),
            allowed: match self.kind {
                Kind::Central => "no other warehouse",
                Kind::Regional => "a central warehouse",
                Kind::Dealer => "a regional or central warehouse",
            },
        })
    }
}

#[cfg(test)]
impl Warehouse {
    /// A warehouse `w` of `kind` with these owners, "" for none.
    pub(crate) fn sample(kind: Kind, region: &str, dealer: &str, station: &str) -> Warehouse {
        let id = |s: &str| (!s.is_empty()).then(|| NetworkId::parse(s).unwrap());
        Warehouse {
            id: NetworkId::parse("w").unwrap(),
            display_name: DisplayName::parse("W").unwrap(),
            kind,
            region_id: id(region),
            dealer_id: id(dealer),
            station_id: id(station),
            station_class: (!station.is_empty()).then_some(StationClass::Service),
            parent: None,
            lead_time_days: 1,
            create_time: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warehouse(kind: Kind, region: &str, dealer: &str) -> Warehouse {
        Warehouse::sample(kind, region, dealer, "")
    }

    #[test]
    fn owners_fit_the_kind() {
        assert_eq!(warehouse(Kind::Central, "", "").check_owner(), Ok(()));
        assert_eq!(
            warehouse(Kind::Central, "north", "").check_owner(),
            Err(WarehouseError::NotAllowed("region_id", "central"))
        );
        assert_eq!(
            warehouse(Kind::Regional, "", "").check_owner(),
            Err(WarehouseError::Missing("region_id", "regional"))
        );
        assert_eq!(
            warehouse(Kind::Dealer, "north", "").check_owner(),
            Err(WarehouseError::Missing("dealer_id", "dealer"))
        );
        assert_eq!(warehouse(Kind::Dealer, "north", "d1").check_owner(), Ok(()));
    }

    #[test]
    fn a_station_warehouse_has_a_class_and_no_other_does() {
        let station = Warehouse::sample(Kind::Dealer, "north", "d1", "s1");
        assert_eq!(station.check_owner(), Ok(()));
        let unclassed = Warehouse {
            station_class: None,
            ..station.clone()
        };
        assert_eq!(unclassed.check_owner(), Err(WarehouseError::StationClass));
        let classed_without_station = Warehouse {
            station_id: None,
            ..station
        };
        assert_eq!(
            classed_without_station.check_owner(),
            Err(WarehouseError::StationClass)
        );
    }

    #[test]
    fn replenishment_comes_from_one_level_up_in_the_region() {
        let central = warehouse(Kind::Central, "", "");
        let north = warehouse(Kind::Regional, "north", "");
        let south = warehouse(Kind::Regional, "south", "");
        let dealer = warehouse(Kind::Dealer, "north", "d1");
        assert_eq!(north.check_parent(&central), Ok(()));
        assert_eq!(dealer.check_parent(&north), Ok(()));
        assert_eq!(dealer.check_parent(&central), Ok(()));
        assert_eq!(
            dealer.check_parent(&south),
            Err(WarehouseError::ParentRegion)
        );
        assert!(north.check_parent(&south).is_err());
        assert!(north.check_parent(&dealer).is_err());
    }
}
