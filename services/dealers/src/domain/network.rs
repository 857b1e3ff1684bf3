//! The objects of the service network and the rules that hold between
//! their fields. Each object is its id, its editable fields, the fields the
//! network derives (its dealer, its region), and [`Meta`].
//!
//! An update is a `…Patch`: the parsed new value of each field named in the
//! update mask, `None` for the others.

use aftercare_values::resource::Meta;
use serde::{Deserialize, Serialize};
use time::Date;

use super::{
    text::{City, Code, DisplayName, Email, Id, Locale, Phone},
    vin::Vin,
};

macro_rules! apply {
    ($fields:expr, $patch:expr, $($name:ident),+) => {
        $(if let Some(v) = $patch.$name { $fields.$name = v; })+
    };
}

// Regions ------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    pub id: Id,
    pub fields: RegionFields,
    pub meta: Meta,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionFields {
    pub display_name: DisplayName,
}

#[derive(Debug, Clone, Default)]
pub struct RegionPatch {
    pub display_name: Option<DisplayName>,
}

impl RegionFields {
    pub fn apply(&mut self, patch: RegionPatch) {
        apply!(self, patch, display_name);
    }
}

// Dealers ------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dealer {
    pub id: Id,
    pub fields: DealerFields,
    pub meta: Meta,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealerFields {
    pub region_id: Id,
    pub display_name: DisplayName,
    pub code: Code,
    pub city: City,
}

#[derive(Debug, Clone, Default)]
pub struct DealerPatch {
    pub region_id: Option<Id>,
    pub display_name: Option<DisplayName>,
    pub code: Option<Code>,
    pub city: Option<City>,
}

impl DealerFields {
    pub fn apply(&mut self, patch: DealerPatch) {
        apply!(self, patch, region_id, display_name, code, city);
    }
}

// Stations -----------------------------------------------------------------

/// The facility standard a station is built to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BuildStandard {
    Full = 1,
    Service = 2,
    Quick = 3,
}

impl BuildStandard {
    pub fn from_number(n: i64) -> Option<Self> {
        [Self::Full, Self::Service, Self::Quick]
            .into_iter()
            .find(|s| *s as i64 == n)
    }
}

/// Star level from the last facility audit: 0 (not audited) to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct StarLevel(u8);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be 0 (not audited) to 5")]
pub struct StarLevelError;

impl StarLevel {
    pub fn parse(n: i64) -> Result<Self, StarLevelError> {
        u8::try_from(n)
            .ok()
            .filter(|n| *n <= 5)
            .map(Self)
            .ok_or(StarLevelError)
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Station {
    pub id: Id,
    /// Set at creation; a station does not change hands.
    pub dealer_id: Id,
    /// The dealer's region.
    pub region_id: Id,
    pub fields: StationFields,
    pub meta: Meta,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationFields {
    pub display_name: DisplayName,
    pub code: Code,
    pub city: City,
    pub build_standard: BuildStandard,
    pub star_level: StarLevel,
}

#[derive(Debug, Clone, Default)]
pub struct StationPatch {
    pub display_name: Option<DisplayName>,
    pub code: Option<Code>,
    pub city: Option<City>,
    pub build_standard: Option<BuildStandard>,
    pub star_level: Option<StarLevel>,
}

impl StationFields {
    pub fn apply(&mut self, patch: StationPatch) {
        apply!(
            self,
            patch,
            display_name,
            code,
            city,
            build_standard,
            star_level
        );
    }
}

// Staff --------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StaffPosition {
    Technician = 1,
    ServiceAdvisor = 2,
    PartsClerk = 3,
    CallbackAgent = 4,
    Manager = 5,
}

impl StaffPosition {
    pub fn from_number(n: i64) -> Option<Self> {
        [
            Self::Technician,
            Self::ServiceAdvisor,
            Self::PartsClerk,
            Self::CallbackAgent,
            Self::Manager,
        ]
        .into_iter()
        .find(|p| *p as i64 == n)
    }
}

/// A certification a technician holds, valid up to and including its
/// expiry date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certification {
    pub kind: Code,
    pub expire_date: Date,
}

impl Certification {
    pub fn is_valid_on(&self, day: Date) -> bool {
        day <= self.expire_date
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("certification {0} is listed twice")]
pub struct DuplicateCertification(pub String);

/// The certifications of one person: one entry per kind.
pub fn check_certifications(certs: &[Certification]) -> Result<(), DuplicateCertification> {
    let mut kinds: Vec<&str> = certs.iter().map(|c| c.kind.as_str()).collect();
    kinds.sort_unstable();
    match kinds.windows(2).find(|w| w[0] == w[1]) {
        Some(w) => Err(DuplicateCertification(w[0].to_owned())),
        None => Ok(()),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: Id,
    /// Set at creation.
    pub station_id: Id,
    /// The station's dealer and region.
    pub dealer_id: Id,
    pub region_id: Id,
    pub fields: StaffFields,
    pub meta: Meta,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffFields {
    pub display_name: DisplayName,
    pub position: StaffPosition,
    pub certifications: Vec<Certification>,
}

#[derive(Debug, Clone, Default)]
pub struct StaffPatch {
    pub display_name: Option<DisplayName>,
    pub position: Option<StaffPosition>,
    pub certifications: Option<Vec<Certification>>,
}

impl StaffFields {
    pub fn apply(&mut self, patch: StaffPatch) {
        apply!(self, patch, display_name, position, certifications);
    }
}

// Customers ----------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub id: Id,
    /// Set at creation.
    pub dealer_id: Id,
    pub region_id: Id,
    pub fields: CustomerFields,
    pub meta: Meta,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerFields {
    pub display_name: DisplayName,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
    /// The one named service advisor: a service advisor of the same dealer.
    pub advisor_id: Option<Id>,
    /// The language the customer prefers, told with each delivery so that
    /// the survey asks in it.
    pub locale: Option<Locale>,
}

#[derive(Debug, Clone, Default)]
pub struct CustomerPatch {
    pub display_name: Option<DisplayName>,
    pub phone: Option<Option<Phone>>,
    pub email: Option<Option<Email>>,
    pub advisor_id: Option<Option<Id>>,
    pub locale: Option<Option<Locale>>,
}

impl CustomerFields {
    pub fn apply(&mut self, patch: CustomerPatch) {
        apply!(self, patch, display_name, phone, email, advisor_id, locale);
    }
}

// Vehicles -----------------------------------------------------------------

/// The largest mileage accepted, in kilometres: beyond any vehicle's life.
pub const MAX_MILEAGE_KM: i64 = 10_000_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be 0 to {MAX_MILEAGE_KM} km")]
pub struct MileageError;

pub fn parse_mileage(km: i64) -> Result<i64, MileageError> {
    if (0..=MAX_MILEAGE_KM).contains(&km) {
        Ok(km)
    } else {
        Err(MileageError)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vehicle {
    pub id: Id,
    /// The owner's dealer and region.
    pub dealer_id: Id,
    pub region_id: Id,
    pub fields: VehicleFields,
    pub meta: Meta,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VehicleFields {
    pub vin: Vin,
    pub customer_id: Id,
    pub model: Code,
    pub sale_date: Option<Date>,
    pub mileage_km: i64,
    pub warranty_start_date: Option<Date>,
}

#[derive(Debug, Clone, Default)]
pub struct VehiclePatch {
    pub vin: Option<Vin>,
    pub customer_id: Option<Id>,
    pub model: Option<Code>,
    pub sale_date: Option<Option<Date>>,
    pub mileage_km: Option<i64>,
    pub warranty_start_date: Option<Option<Date>>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the warranty cannot start before the sale")]
pub struct WarrantyBeforeSale;

impl VehicleFields {
    pub fn apply(&mut self, patch: VehiclePatch) {
        apply!(
            self,
            patch,
            vin,
            customer_id,
            model,
            sale_date,
            mileage_km,
            warranty_start_date
        );
    }

    /// Rules between fields, checked after every create and update.
    pub fn check(&self) -> Result<(), WarrantyBeforeSale> {
        match (self.sale_date, self.warranty_start_date) {
            (Some(sale), Some(start)) if start < sale => Err(WarrantyBeforeSale),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use aftercare_values::resource::parse_etag;
    use time::macros::date;

    use super::*;

    #[test]
    fn certifications_are_valid_through_their_last_day() {
        let c = Certification {
            kind: Code::parse("HV-2").unwrap(),
            expire_date: date!(2026 - 12 - 31),
        };
        assert!(c.is_valid_on(date!(2026 - 12 - 31)));
        assert!(!c.is_valid_on(date!(2027 - 01 - 01)));
    }

    #[test]
    fn a_certification_kind_is_held_once() {
        let c = |k: &str| Certification {
            kind: Code::parse(k).unwrap(),
            expire_date: date!(2027 - 01 - 01),
        };
        assert!(check_certifications(&[c("HV-2"), c("BRAKES")]).is_ok());
        assert_eq!(
            check_certifications(&[c("HV-2"), c("BRAKES"), c("HV-2")]),
            Err(DuplicateCertification("HV-2".into()))
        );
    }

    #[test]
    fn warranty_starts_on_or_after_the_sale() {
        let mut v = VehicleFields {
            vin: Vin::parse("1M8GDM9AXKP042788", true).unwrap(),
            customer_id: Id::parse("c-1").unwrap(),
            model: Code::parse("VAN-E1").unwrap(),
            sale_date: Some(date!(2026 - 03 - 01)),
            mileage_km: 0,
            warranty_start_date: Some(date!(2026 - 03 - 01)),
        };
        assert!(v.check().is_ok());
        v.apply(VehiclePatch {
            warranty_start_date: Some(Some(date!(2026 - 02 - 28))),
            ..Default::default()
        });
        assert_eq!(v.check(), Err(WarrantyBeforeSale));
    }

    #[test]
    fn star_levels_and_etags() {
        assert!(StarLevel::parse(5).is_ok());
        assert!(StarLevel::parse(6).is_err());
        assert!(StarLevel::parse(-1).is_err());
        assert_eq!(parse_etag("3"), Ok(3));
        assert!(parse_etag("W/\"3\"").is_err());
        assert!(parse_etag("0").is_err());
    }
}
