//! Labour operations: a piece of work with its standard time, the
//! certification a technician needs for it, and its published price. Parsed
//! at the edge; no transport and no SQL here.

use serde::{Deserialize, Serialize};

use aftercare_values::{
    resource::Meta,
    text::{TextError, code},
    text_type,
};

use super::{
    catalogue::DisplayName,
    published::{PublishedPrice, PublishedPriceChange},
};

text_type!(
    /// A labour operation's id: upper-case letters, digits and hyphens, at
    /// most 32 characters.
    OperationCode
);
text_type!(
    /// The OEM's code of a technician certification, e.g. `HV-2`:
    /// upper-case letters, digits and hyphens, at most 32 characters.
    CertificationCode
);

impl OperationCode {
    pub fn parse(s: &str) -> Result<Self, TextError> {
        code(s).map(Self)
    }
}

impl CertificationCode {
    pub fn parse(s: &str) -> Result<Self, TextError> {
        code(s).map(Self)
    }
}

/// The longest standard time: 1,000 hours, far beyond any one job.
pub const MAX_CENTIHOURS: i64 = 100_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be 1 to {MAX_CENTIHOURS} hundredths of an hour")]
pub struct StandardHoursError;

/// A standard time in hundredths of an hour (1.5 h is 150): whole numbers,
/// so that hours times a rate is exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct StandardHours(i64);

impl StandardHours {
    pub fn from_centihours(n: i64) -> Result<Self, StandardHoursError> {
        if (1..=MAX_CENTIHOURS).contains(&n) {
            Ok(Self(n))
        } else {
            Err(StandardHoursError)
        }
    }

    pub fn centihours(self) -> i64 {
        self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabourOperation {
    pub operation_code: OperationCode,
    pub fields: LabourFields,
    /// The price in force now.
    pub price: PublishedPrice,
    pub meta: Meta,
}

/// The fields of a labour operation that an update changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabourFields {
    pub display_name: DisplayName,
    pub standard_hours: StandardHours,
    pub required_certification: Option<CertificationCode>,
}

/// The parsed new value of each field an update names; `None` for others.
/// `required_certification: Some(None)` drops the requirement.
#[derive(Debug, Clone, Default)]
pub struct LabourPatch {
    pub display_name: Option<DisplayName>,
    pub standard_hours: Option<StandardHours>,
    pub required_certification: Option<Option<CertificationCode>>,
}

impl LabourFields {
    pub fn apply(&mut self, patch: LabourPatch) {
        if let Some(v) = patch.display_name {
            self.display_name = v;
        }
        if let Some(v) = patch.standard_hours {
            self.standard_hours = v;
        }
        if let Some(v) = patch.required_certification {
            self.required_certification = v;
        }
    }
}

/// A published price of a labour operation.
pub type LabourPriceChange = PublishedPriceChange<OperationCode>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_codes_are_codes() {
        assert!(OperationCode::parse("OIL-CHANGE-1").is_ok());
        assert_eq!(OperationCode::parse(""), Err(TextError::Empty));
        assert_eq!(OperationCode::parse("oil"), Err(TextError::Code));
        assert_eq!(CertificationCode::parse("HV 2"), Err(TextError::Code));
    }

    #[test]
    fn standard_hours_are_positive_and_bounded() {
        assert_eq!(
            StandardHours::from_centihours(150).unwrap().centihours(),
            150
        );
        assert!(StandardHours::from_centihours(MAX_CENTIHOURS).is_ok());
        for bad in [0, -1, MAX_CENTIHOURS + 1] {
            assert_eq!(StandardHours::from_centihours(bad), Err(StandardHoursError));
        }
    }

    #[test]
    fn a_patch_changes_only_what_it_names() {
        let name = |s| DisplayName::parse(s).unwrap();
        let mut fields = LabourFields {
            display_name: name("Oil change"),
            standard_hours: StandardHours::from_centihours(50).unwrap(),
            required_certification: Some(CertificationCode::parse("HV-2").unwrap()),
        };
        fields.apply(LabourPatch {
            standard_hours: Some(StandardHours::from_centihours(75).unwrap()),
            required_certification: Some(None),
            ..Default::default()
        });
        assert_eq!(fields.display_name, name("Oil change"));
        assert_eq!(fields.standard_hours.centihours(), 75);
        assert_eq!(fields.required_certification, None);
    }
}
