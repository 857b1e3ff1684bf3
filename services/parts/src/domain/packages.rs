//! Maintenance packages: for one model and service interval, the labour
//! operations and parts a service includes and its one published price, so
//! that a customer knows what a service contains and what it costs. Parsed
//! at the edge; no transport and no SQL here.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use aftercare_values::{
    resource::Meta,
    text::{TextError, code},
    text_type,
};

use super::{
    catalogue::{DisplayName, PartNumber},
    labour::OperationCode,
    published::{PublishedPrice, PublishedPriceChange},
    quantity::Quantity,
};

text_type!(
    /// A maintenance package's id, chosen by the client: upper-case letters,
    /// digits and hyphens, at most 32 characters.
    PackageId
);
text_type!(
    /// The OEM's model code, e.g. `VAN-E1`: upper-case letters, digits and
    /// hyphens, at most 32 characters.
    ModelCode
);

impl PackageId {
    pub fn parse(s: &str) -> Result<Self, TextError> {
        code(s).map(Self)
    }
}

impl ModelCode {
    pub fn parse(s: &str) -> Result<Self, TextError> {
        code(s).map(Self)
    }
}

// Service intervals ----------------------------------------------------------

/// The longest interval in months: 20 years.
pub const MAX_MONTHS: i64 = 240;
/// The longest interval in kilometres.
pub const MAX_KILOMETRES: i64 = 1_000_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntervalError {
    #[error("must be 0 to {MAX_MONTHS}")]
    Months,
    #[error("must be 0 to {MAX_KILOMETRES}")]
    Kilometres,
    #[error("must set months or kilometres above zero")]
    Neither,
}

/// When a service is due: after so many months or so many kilometres,
/// whichever comes first. Zero means no limit of that kind; at least one of
/// the two is above zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ServiceInterval {
    months: i64,
    kilometres: i64,
}

impl ServiceInterval {
    pub fn new(months: i64, kilometres: i64) -> Result<Self, IntervalError> {
        if !(0..=MAX_MONTHS).contains(&months) {
            return Err(IntervalError::Months);
        }
        if !(0..=MAX_KILOMETRES).contains(&kilometres) {
            return Err(IntervalError::Kilometres);
        }
        if months == 0 && kilometres == 0 {
            return Err(IntervalError::Neither);
        }
        Ok(Self { months, kilometres })
    }

    pub fn months(self) -> i64 {
        self.months
    }

    pub fn kilometres(self) -> i64 {
        self.kilometres
    }
}

// Contents -------------------------------------------------------------------

/// The most operations, and the most parts, one package holds.
pub const MAX_ITEMS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContentsError {
    #[error("must include at least one labour operation")]
    NoOperation,
    #[error("must hold at most {MAX_ITEMS} items")]
    TooMany,
    /// The item at `at` repeats the one at `first`.
    #[error("is already in the package at [{first}]")]
    Duplicate { at: usize, first: usize },
}

impl ContentsError {
    /// The index of the item at fault, when one is.
    pub fn index(&self) -> Option<usize> {
        match self {
            ContentsError::Duplicate { at, .. } => Some(*at),
            _ => None,
        }
    }
}

/// The first item that repeats an earlier one: (its index, the earlier's).
fn first_duplicate<'a, T: Eq + std::hash::Hash + 'a>(
    items: impl IntoIterator<Item = &'a T>,
) -> Option<(usize, usize)> {
    let mut seen = HashMap::new();
    items
        .into_iter()
        .enumerate()
        .find_map(|(at, item)| seen.insert(item, at).map(|first| (at, first)))
}

/// The labour operations of a package, in order: at least one, at most
/// [`MAX_ITEMS`], none twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageOperations(Vec<OperationCode>);

impl PackageOperations {
    pub fn new(codes: Vec<OperationCode>) -> Result<Self, ContentsError> {
        if codes.is_empty() {
            return Err(ContentsError::NoOperation);
        }
        if codes.len() > MAX_ITEMS {
            return Err(ContentsError::TooMany);
        }
        if let Some((at, first)) = first_duplicate(&codes) {
            return Err(ContentsError::Duplicate { at, first });
        }
        Ok(Self(codes))
    }

    /// Operations this service stored after checking them.
    pub(crate) fn from_store(codes: Vec<OperationCode>) -> Self {
        Self(codes)
    }

    pub fn codes(&self) -> &[OperationCode] {
        &self.0
    }
}

/// A part a package includes, and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackagePart {
    pub part_number: PartNumber,
    pub quantity: Quantity,
}

/// The parts of a package, in order: at most [`MAX_ITEMS`], none twice
/// (a quantity says how many). A package may hold no parts (an inspection).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageParts(Vec<PackagePart>);

impl PackageParts {
    pub fn new(parts: Vec<PackagePart>) -> Result<Self, ContentsError> {
        if parts.len() > MAX_ITEMS {
            return Err(ContentsError::TooMany);
        }
        if let Some((at, first)) = first_duplicate(parts.iter().map(|p| &p.part_number)) {
            return Err(ContentsError::Duplicate { at, first });
        }
        Ok(Self(parts))
    }

    /// Parts this service stored after checking them.
    pub(crate) fn from_store(parts: Vec<PackagePart>) -> Self {
        Self(parts)
    }

    pub fn items(&self) -> &[PackagePart] {
        &self.0
    }
}

// Packages -------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaintenancePackage {
    pub package_id: PackageId,
    pub model_code: ModelCode,
    pub interval: ServiceInterval,
    pub fields: PackageFields,
    /// The price in force now.
    pub price: PublishedPrice,
    pub meta: Meta,
}

/// The fields of a package that an update changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageFields {
    pub display_name: DisplayName,
    pub operations: PackageOperations,
    pub parts: PackageParts,
}

/// The parsed new value of each field an update names; `None` for others.
/// A list is replaced as a whole.
#[derive(Debug, Clone, Default)]
pub struct PackagePatch {
    pub display_name: Option<DisplayName>,
    pub operations: Option<PackageOperations>,
    pub parts: Option<PackageParts>,
}

impl PackageFields {
    pub fn apply(&mut self, patch: PackagePatch) {
        if let Some(v) = patch.display_name {
            self.display_name = v;
        }
        if let Some(v) = patch.operations {
            self.operations = v;
        }
        if let Some(v) = patch.parts {
            self.parts = v;
        }
    }
}

/// A published price of a maintenance package.
pub type PackagePriceChange = PublishedPriceChange<PackageId>;

#[cfg(test)]
mod tests {
    use super::*;

    fn op(s: &str) -> OperationCode {
        OperationCode::parse(s).unwrap()
    }

    fn part(s: &str, n: i64) -> PackagePart {
        PackagePart {
            part_number: PartNumber::parse(s).unwrap(),
            quantity: Quantity::parse(n).unwrap(),
        }
    }

    #[test]
    fn an_interval_has_months_or_kilometres() {
        let i = ServiceInterval::new(12, 15_000).unwrap();
        assert_eq!((i.months(), i.kilometres()), (12, 15_000));
        assert!(ServiceInterval::new(12, 0).is_ok());
        assert!(ServiceInterval::new(0, 30_000).is_ok());
        assert_eq!(ServiceInterval::new(0, 0), Err(IntervalError::Neither));
    }

    #[test]
    fn an_interval_is_bounded_and_not_negative() {
        assert_eq!(ServiceInterval::new(-1, 10), Err(IntervalError::Months));
        assert_eq!(
            ServiceInterval::new(MAX_MONTHS + 1, 10),
            Err(IntervalError::Months)
        );
        assert_eq!(ServiceInterval::new(12, -1), Err(IntervalError::Kilometres));
        assert_eq!(
            ServiceInterval::new(12, MAX_KILOMETRES + 1),
            Err(IntervalError::Kilometres)
        );
        assert!(ServiceInterval::new(MAX_MONTHS, MAX_KILOMETRES).is_ok());
    }

    #[test]
    fn operations_are_at_least_one_and_each_once() {
        let ops = PackageOperations::new(vec![op("A"), op("B")]).unwrap();
        assert_eq!(ops.codes(), [op("A"), op("B")]);
        assert_eq!(
            PackageOperations::new(vec![]),
            Err(ContentsError::NoOperation)
        );
        let twice = PackageOperations::new(vec![op("A"), op("B"), op("C"), op("B")]).unwrap_err();
        assert_eq!(twice, ContentsError::Duplicate { at: 3, first: 1 });
        assert_eq!(twice.index(), Some(3));
        let many = (0..=MAX_ITEMS).map(|n| op(&format!("OP-{n}"))).collect();
        assert_eq!(PackageOperations::new(many), Err(ContentsError::TooMany));
    }

    #[test]
    fn parts_are_each_once_and_may_be_none() {
        assert!(PackageParts::new(vec![]).is_ok());
        assert!(PackageParts::new(vec![part("OF-1", 1), part("OIL-5W30", 5)]).is_ok());
        let twice = PackageParts::new(vec![part("OF-1", 1), part("OF-1", 2)]).unwrap_err();
        assert_eq!(twice, ContentsError::Duplicate { at: 1, first: 0 });
        let many = (0..=MAX_ITEMS)
            .map(|n| part(&format!("P-{n}"), 1))
            .collect();
        assert_eq!(PackageParts::new(many), Err(ContentsError::TooMany));
    }

    #[test]
    fn a_patch_replaces_whole_lists() {
        let mut fields = PackageFields {
            display_name: DisplayName::parse("12-month service").unwrap(),
            operations: PackageOperations::new(vec![op("A"), op("B")]).unwrap(),
            parts: PackageParts::new(vec![part("OF-1", 1)]).unwrap(),
        };
        fields.apply(PackagePatch {
            operations: Some(PackageOperations::new(vec![op("C")]).unwrap()),
            ..Default::default()
        });
        assert_eq!(fields.operations.codes(), [op("C")]);
        assert_eq!(fields.parts.items(), [part("OF-1", 1)]);
        assert_eq!(fields.display_name.as_str(), "12-month service");
    }
}
