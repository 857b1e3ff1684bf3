use serde::{Deserialize, Serialize};

/// The largest quantity one movement may move: far beyond any order, small
/// enough that sums never overflow.
pub const MAX_QUANTITY: i64 = 1_000_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be 1 to {MAX_QUANTITY}")]
pub struct QuantityError;

/// How many units a movement moves: always positive; the direction is the
/// movement's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Quantity(i64);

impl Quantity {
    pub fn parse(n: i64) -> Result<Self, QuantityError> {
        if (1..=MAX_QUANTITY).contains(&n) {
            Ok(Self(n))
        } else {
            Err(QuantityError)
        }
    }

    pub fn get(self) -> i64 {
        self.0
    }
}
