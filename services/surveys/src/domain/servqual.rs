//! What a question measures: a SERVQUAL dimension, a service-index factor,
//! and the 100-point weights over each set of five.

use serde::{Deserialize, Serialize};

/// The five SERVQUAL dimensions of service quality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Dimension {
    /// Premises, equipment, staff appearance.
    Tangibles,
    /// Doing the service right, as promised.
    Reliability,
    /// Willingness to help, promptly.
    Responsiveness,
    /// Knowledge and courtesy that inspire trust.
    Assurance,
    /// Individual care.
    Empathy,
}

impl Dimension {
    pub const ALL: [Dimension; 5] = [
        Dimension::Tangibles,
        Dimension::Reliability,
        Dimension::Responsiveness,
        Dimension::Assurance,
        Dimension::Empathy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Tangibles => "tangibles",
            Dimension::Reliability => "reliability",
            Dimension::Responsiveness => "responsiveness",
            Dimension::Assurance => "assurance",
            Dimension::Empathy => "empathy",
        }
    }

    pub fn parse(s: &str) -> Option<Dimension> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// The five factors of the service index (after J.D. Power's CSI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Factor {
    ServiceInitiation,
    ServiceAdvisor,
    Facility,
    VehiclePickUp,
    ServiceQuality,
}

impl Factor {
    pub const ALL: [Factor; 5] = [
        Factor::ServiceInitiation,
        Factor::ServiceAdvisor,
        Factor::Facility,
        Factor::VehiclePickUp,
        Factor::ServiceQuality,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Factor::ServiceInitiation => "service_initiation",
            Factor::ServiceAdvisor => "service_advisor",
            Factor::Facility => "facility",
            Factor::VehiclePickUp => "vehicle_pick_up",
            Factor::ServiceQuality => "service_quality",
        }
    }

    pub fn parse(s: &str) -> Option<Factor> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Points given to each dimension (a 100-point allocation once published).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DimensionWeights {
    pub tangibles: u32,
    pub reliability: u32,
    pub responsiveness: u32,
    pub assurance: u32,
    pub empathy: u32,
}

impl DimensionWeights {
    pub fn get(&self, d: Dimension) -> u32 {
        match d {
            Dimension::Tangibles => self.tangibles,
            Dimension::Reliability => self.reliability,
            Dimension::Responsiveness => self.responsiveness,
            Dimension::Assurance => self.assurance,
            Dimension::Empathy => self.empathy,
        }
    }

    /// The sum of the points (wide enough not to overflow).
    pub fn total(&self) -> u64 {
        Dimension::ALL.iter().map(|d| u64::from(self.get(*d))).sum()
    }
}

/// Points given to each service-index factor (a 100-point allocation).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactorWeights {
    pub service_initiation: u32,
    pub service_advisor: u32,
    pub facility: u32,
    pub vehicle_pick_up: u32,
    pub service_quality: u32,
}

impl FactorWeights {
    pub fn get(&self, f: Factor) -> u32 {
        match f {
            Factor::ServiceInitiation => self.service_initiation,
            Factor::ServiceAdvisor => self.service_advisor,
            Factor::Facility => self.facility,
            Factor::VehiclePickUp => self.vehicle_pick_up,
            Factor::ServiceQuality => self.service_quality,
        }
    }

    pub fn total(&self) -> u64 {
        Factor::ALL.iter().map(|f| u64::from(self.get(*f))).sum()
    }
}

/// How perception compares with expectation, for an item or a dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Verdict {
    /// Perception above expectation.
    Exceeds,
    Meets,
    /// Perception below expectation.
    FallsShort,
}

impl Verdict {
    /// The verdict on a gap (perception − expectation) of this sign.
    pub fn of_gap(gap: i64) -> Verdict {
        match gap.signum() {
            1 => Verdict::Exceeds,
            0 => Verdict::Meets,
            _ => Verdict::FallsShort,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Exceeds => "exceeds",
            Verdict::Meets => "meets",
            Verdict::FallsShort => "falls_short",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for d in Dimension::ALL {
            assert_eq!(Dimension::parse(d.as_str()), Some(d));
        }
        for f in Factor::ALL {
            assert_eq!(Factor::parse(f.as_str()), Some(f));
        }
        assert_eq!(Factor::parse("Facility"), None);
    }

    #[test]
    fn weights_add_up_without_overflow() {
        let w = DimensionWeights {
            tangibles: u32::MAX,
            reliability: u32::MAX,
            ..Default::default()
        };
        assert_eq!(w.total(), 2 * u64::from(u32::MAX));
        assert_eq!(w.get(Dimension::Reliability), u32::MAX);
    }

    #[test]
    fn the_verdict_follows_the_sign_of_the_gap() {
        assert_eq!(Verdict::of_gap(1), Verdict::Exceeds);
        assert_eq!(Verdict::of_gap(0), Verdict::Meets);
        assert_eq!(Verdict::of_gap(-2000), Verdict::FallsShort);
    }
}
