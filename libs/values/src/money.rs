//! Money as integer minor units of one currency; never floating point.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::FieldViolation;

/// The largest amount, either way, that a request may carry: 10^12 minor
/// units (ten billion euros). Far beyond any price, bill or budget line, and
/// small enough that an amount times a quantity (at most 1,000,000) fits in
/// an i64 nine times over; sums past that are refused, never wrapped.
pub const MAX_MINOR_UNITS: i64 = 1_000_000_000_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("must be an ISO 4217 code of three upper-case letters")]
    BadCurrency,
    #[error("currencies differ: {0} and {1}")]
    CurrencyMismatch(Currency, Currency),
    #[error("must be -{MAX_MINOR_UNITS} to {MAX_MINOR_UNITS}")]
    OutOfRange,
    #[error("amount out of range")]
    Overflow,
}

impl MoneyError {
    /// The field of a `Money` message this error is about.
    pub fn field(&self) -> &'static str {
        match self {
            MoneyError::BadCurrency | MoneyError::CurrencyMismatch(..) => "currency_code",
            MoneyError::OutOfRange | MoneyError::Overflow => "minor_units",
        }
    }
}

/// An ISO 4217 alphabetic currency code, e.g. `EUR`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

impl Currency {
    pub fn parse(code: &str) -> Result<Self, MoneyError> {
        match code.as_bytes() {
            &[a, b, c] if [a, b, c].iter().all(u8::is_ascii_uppercase) => Ok(Self([a, b, c])),
            _ => Err(MoneyError::BadCurrency),
        }
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII upper-case letters get in, so this cannot fail.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for Currency {
    type Error = MoneyError;
    fn try_from(s: String) -> Result<Self, MoneyError> {
        Self::parse(&s)
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.as_str().to_owned()
    }
}

/// An amount of money in minor units (cents for EUR).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub currency: Currency,
    pub minor_units: i64,
}

impl Money {
    /// An amount of at most [`MAX_MINOR_UNITS`] either way.
    pub fn parse(currency_code: &str, minor_units: i64) -> Result<Self, MoneyError> {
        let currency = Currency::parse(currency_code)?;
        if !(-MAX_MINOR_UNITS..=MAX_MINOR_UNITS).contains(&minor_units) {
            return Err(MoneyError::OutOfRange);
        }
        Ok(Self {
            currency,
            minor_units,
        })
    }

    /// [`Money::parse`] of the request's `Money` at `field`, naming
    /// `{field}.currency_code` or `{field}.minor_units` when refused.
    pub fn parse_at(
        currency_code: &str,
        minor_units: i64,
        field: &str,
    ) -> Result<Self, FieldViolation> {
        Self::parse(currency_code, minor_units)
            .map_err(|e| FieldViolation::new(format!("{field}.{}", e.field()), e.to_string()))
    }

    /// The sum, refused across currencies and on overflow.
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch(self.currency, other.currency));
        }
        let minor_units = self
            .minor_units
            .checked_add(other.minor_units)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money {
            minor_units,
            ..self
        })
    }

    /// The amount times a whole quantity, refused on overflow.
    pub fn checked_mul(self, quantity: i64) -> Result<Money, MoneyError> {
        let minor_units = self
            .minor_units
            .checked_mul(quantity)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money {
            minor_units,
            ..self
        })
    }
}

impl fmt::Display for Money {
    /// Minor units as written, with the currency: `1234 EUR` is 12.34 EUR.
    /// Formatting with decimals belongs to the front end, which knows the
    /// currency's exponent and the reader's locale.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.minor_units, self.currency)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn adds_within_a_currency_only() {
        let a = Money::parse("EUR", 1250).unwrap();
        let b = Money::parse("EUR", -250).unwrap();
        assert_eq!(a.checked_add(b).unwrap().minor_units, 1000);
        let usd = Money::parse("USD", 1).unwrap();
        assert!(matches!(
            a.checked_add(usd),
            Err(MoneyError::CurrencyMismatch(..))
        ));
        let max = Money::parse("EUR", MAX_MINOR_UNITS).unwrap();
        assert_eq!(
            max.checked_mul(i64::MAX / MAX_MINOR_UNITS)
                .unwrap()
                .checked_add(max),
            Err(MoneyError::Overflow)
        );
    }

    #[test]
    fn amounts_are_bounded_and_the_refusal_names_its_field() {
        for units in [MAX_MINOR_UNITS, -MAX_MINOR_UNITS, 0] {
            assert_eq!(Money::parse("EUR", units).unwrap().minor_units, units);
        }
        for units in [
            MAX_MINOR_UNITS + 1,
            -MAX_MINOR_UNITS - 1,
            i64::MAX,
            i64::MIN,
        ] {
            assert_eq!(Money::parse("EUR", units), Err(MoneyError::OutOfRange));
            assert_eq!(
                Money::parse_at("EUR", units, "part.cost")
                    .unwrap_err()
                    .field,
                "part.cost.minor_units"
            );
        }
        assert_eq!(
            Money::parse_at("eur", 1, "part.cost").unwrap_err().field,
            "part.cost.currency_code"
        );
    }

    #[test]
    fn the_largest_amount_times_the_largest_quantity_fits() {
        let max = Money::parse("EUR", MAX_MINOR_UNITS).unwrap();
        let line = max.checked_mul(1_000_000).unwrap();
        let mut total = line;
        for _ in 1..9 {
            total = total.checked_add(line).unwrap();
        }
        assert_eq!(total.checked_add(line), Err(MoneyError::Overflow));
    }

    proptest! {
        #[test]
        fn any_three_upper_case_letters_are_a_currency(code in "[A-Z]{3}", units in -MAX_MINOR_UNITS..=MAX_MINOR_UNITS) {
            let m = Money::parse(&code, units).unwrap();
            prop_assert_eq!(m.currency.as_str(), code.as_str());
            prop_assert_eq!(m.minor_units, units);
        }

        #[test]
        fn anything_else_is_refused(code in "\\PC{0,6}") {
            let valid = code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase());
            prop_assert_eq!(Currency::parse(&code).is_ok(), valid);
        }

        #[test]
        fn addition_matches_integer_addition(a in any::<i64>(), b in any::<i64>()) {
            let eur = |minor_units| Money { currency: Currency::parse("EUR").unwrap(), minor_units };
            let sum = eur(a).checked_add(eur(b));
            match a.checked_add(b) {
                Some(s) => prop_assert_eq!(sum.unwrap().minor_units, s),
                None => prop_assert_eq!(sum, Err(MoneyError::Overflow)),
            }
        }

    }
}
