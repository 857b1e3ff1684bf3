//! The parts catalogue: part numbers, categories, the editable fields of a
//! part, its supersession, and its prices. Parsed at the edge; no transport
//! and no SQL here.

use aftercare_values::{
    Currency, Money,
    resource::Meta,
    text::{self, TextError},
    text_type,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

text_type!(
    /// A part's id: upper-case letters, digits and hyphens, at most 32
    /// characters.
    PartNumber
);
text_type!(
    /// A category code: upper-case letters, digits and hyphens, at most 32
    /// characters.
    Category
);
text_type!(
    /// A name shown to people: 1 to 200 characters, no control characters.
    DisplayName
);

impl PartNumber {
    pub fn parse(s: &str) -> Result<Self, TextError> {
        text::code(s).map(Self)
    }
}

impl Category {
    pub fn parse(s: &str) -> Result<Self, TextError> {
        text::code(s).map(Self)
    }
}

impl DisplayName {
    pub fn parse(s: &str) -> Result<Self, TextError> {
        text::display_name(s, 200).map(Self)
    }
}

// Prices ---------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PriceError {
    #[error("must not be negative")]
    Negative,
    #[error("must be in the list price's currency ({0})")]
    CurrencyMismatch(Currency),
}

/// A network price: list price and cost, both non-negative, in one
/// currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Price {
    list_price: Money,
    cost: Money,
}

/// Which part of a price is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PriceField {
    ListPrice,
    Cost,
}

impl Price {
    pub fn new(list_price: Money, cost: Money) -> Result<Self, (PriceField, PriceError)> {
        if list_price.minor_units < 0 {
            return Err((PriceField::ListPrice, PriceError::Negative));
        }
        if cost.minor_units < 0 {
            return Err((PriceField::Cost, PriceError::Negative));
        }
        if cost.currency != list_price.currency {
            return Err((
                PriceField::Cost,
                PriceError::CurrencyMismatch(list_price.currency),
            ));
        }
        Ok(Self { list_price, cost })
    }

    pub fn list_price(&self) -> Money {
        self.list_price
    }

    pub fn cost(&self) -> Money {
        self.cost
    }

    pub fn currency(&self) -> Currency {
        self.list_price.currency
    }
}

/// A price of a part, in force from its effective time until the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceChange {
    pub part_number: PartNumber,
    pub effective_time: OffsetDateTime,
    pub price: Price,
    pub create_time: OffsetDateTime,
}

// Parts ----------------------------------------------------------------------

/// What a part's quantities count, in whole units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    #[default]
    Each,
    Litre,
    Metre,
    Kilogram,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be EA, L, M or KG")]
pub struct UnitError;

impl Unit {
    const ALL: [Unit; 4] = [Unit::Each, Unit::Litre, Unit::Metre, Unit::Kilogram];

    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Each => "EA",
            Unit::Litre => "L",
            Unit::Metre => "M",
            Unit::Kilogram => "KG",
        }
    }

    pub fn parse(s: &str) -> Result<Unit, UnitError> {
        Unit::ALL
            .into_iter()
            .find(|u| u.as_str() == s)
            .ok_or(UnitError)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    pub part_number: PartNumber,
    /// Fixed at creation: the part's stock is counted in it.
    pub unit: Unit,
    pub fields: PartFields,
    /// The price in force now.
    pub price: Price,
    pub meta: Meta,
}

/// The fields of a part that UpdatePart changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartFields {
    pub display_name: DisplayName,
    pub category: Category,
    pub warranty_eligible: bool,
    pub superseded_by: Option<PartNumber>,
}

/// The parsed new value of each field an update names; `None` for others.
/// `superseded_by: Some(None)` clears the supersession.
#[derive(Debug, Clone, Default)]
pub struct PartPatch {
    pub display_name: Option<DisplayName>,
    pub category: Option<Category>,
    pub warranty_eligible: Option<bool>,
    pub superseded_by: Option<Option<PartNumber>>,
}

impl PartFields {
    pub fn apply(&mut self, patch: PartPatch) {
        if let Some(v) = patch.display_name {
            self.display_name = v;
        }
        if let Some(v) = patch.category {
            self.category = v;
        }
        if let Some(v) = patch.warranty_eligible {
            self.warranty_eligible = v;
        }
        if let Some(v) = patch.superseded_by {
            self.superseded_by = v;
        }
    }
}

// Supersession ---------------------------------------------------------------

/// The longest supersession chain the service follows; longer chains are
/// refused when they are made.
pub const MAX_CHAIN: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SupersessionError {
    #[error("a part cannot supersede itself")]
    Itself,
    #[error("would make a cycle: {0} is already superseded, directly or not, by this part")]
    Cycle(PartNumber),
    #[error("would make a supersession chain longer than {MAX_CHAIN} parts")]
    TooLong,
}

/// Checks that `part` may be superseded by `replacement`, given the chain
/// that starts at the replacement (the replacement first, then what
/// supersedes it, and so on, as stored).
pub fn check_supersession(
    part: &PartNumber,
    replacement: &PartNumber,
    chain: &[PartNumber],
) -> Result<(), SupersessionError> {
    if part == replacement {
        return Err(SupersessionError::Itself);
    }
    if chain.iter().any(|p| p == part) {
        return Err(SupersessionError::Cycle(replacement.clone()));
    }
    if chain.len() >= MAX_CHAIN {
        return Err(SupersessionError::TooLong);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pn(s: &str) -> PartNumber {
        PartNumber::parse(s).unwrap()
    }

    fn eur(units: i64) -> Money {
        Money::parse("EUR", units).unwrap()
    }

    #[test]
    fn part_numbers_are_codes() {
        assert!(PartNumber::parse("OF-1234-A").is_ok());
        assert_eq!(PartNumber::parse(""), Err(TextError::Empty));
        assert_eq!(PartNumber::parse("of-1"), Err(TextError::Code));
        assert_eq!(
            PartNumber::parse(&"A".repeat(33)),
            Err(TextError::TooLong(32))
        );
    }

    #[test]
    fn prices_are_non_negative_in_one_currency() {
        assert!(Price::new(eur(100), eur(0)).is_ok());
        assert_eq!(
            Price::new(eur(-1), eur(0)).unwrap_err().0,
            PriceField::ListPrice
        );
        assert_eq!(Price::new(eur(1), eur(-1)).unwrap_err().0, PriceField::Cost);
        let usd = Money::parse("USD", 1).unwrap();
        assert_eq!(Price::new(eur(1), usd).unwrap_err().0, PriceField::Cost);
    }

    #[test]
    fn supersession_refuses_itself_and_cycles() {
        let (a, b, c) = (pn("A"), pn("B"), pn("C"));
        assert_eq!(check_supersession(&a, &b, std::slice::from_ref(&b)), Ok(()));
        assert_eq!(
            check_supersession(&a, &a, std::slice::from_ref(&a)),
            Err(SupersessionError::Itself)
        );
        assert!(matches!(
            check_supersession(&a, &b, &[b.clone(), c.clone(), a.clone()]),
            Err(SupersessionError::Cycle(_))
        ));
    }
}
