//! Published prices with one amount: what a labour operation or a
//! maintenance package costs the customer, the same at every station. Like a
//! part's price, each is in force from its effective time until the next.

use aftercare_values::{Currency, Money};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::catalogue::PriceError;

/// One non-negative amount in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedPrice(Money);

impl PublishedPrice {
    pub fn new(amount: Money) -> Result<Self, PriceError> {
        if amount.minor_units < 0 {
            return Err(PriceError::Negative);
        }
        Ok(Self(amount))
    }

    pub fn amount(&self) -> Money {
        self.0
    }

    pub fn currency(&self) -> Currency {
        self.0.currency
    }
}

/// A published price of the item `key`, in force from its effective time
/// until the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedPriceChange<K> {
    pub key: K,
    pub effective_time: OffsetDateTime,
    pub price: PublishedPrice,
    pub create_time: OffsetDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_published_price_is_not_negative() {
        let eur = |n| Money::parse("EUR", n).unwrap();
        assert_eq!(PublishedPrice::new(eur(0)).unwrap().amount(), eur(0));
        assert_eq!(PublishedPrice::new(eur(-1)), Err(PriceError::Negative));
    }
}
