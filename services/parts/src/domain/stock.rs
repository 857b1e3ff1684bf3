//! The stock of one part in one warehouse, and what each movement does to
//! it. The rule everything keeps: `0 ≤ reserved ≤ on_hand`. The database
//! holds the same rule as a constraint, so that no interleaving of callers
//! can break it; this module decides the answer a caller gets.

use serde::{Deserialize, Serialize};

use super::quantity::Quantity;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stock {
    pub on_hand: i64,
    pub reserved: i64,
}

/// A movement's effect on one warehouse's stock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Movement {
    /// Goods arrive (a delivery, or a transfer received).
    Receive(Quantity),
    /// Set aside for a repair-order line.
    Reserve(Quantity),
    /// A reservation given back.
    Release(Quantity),
    /// Reserved goods leave for the repair (consumes the reservation).
    Issue(Quantity),
    /// Goods leave for another warehouse, unreserved stock only.
    Ship(Quantity),
    /// A count found more (+) or fewer (−) than the books say.
    Adjust(i64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StockError {
    #[error("only {available} available")]
    Insufficient { available: i64 },
    #[error("only {reserved} reserved")]
    NotReserved { reserved: i64 },
    #[error("the count would leave {on_hand} on hand with {reserved} reserved")]
    BelowReserved { on_hand: i64, reserved: i64 },
    #[error("more on hand than can be counted")]
    TooMuch,
}

impl Movement {
    /// The kind as the ledger writes it.
    pub fn kind(self) -> &'static str {
        match self {
            Movement::Receive(_) => "receive",
            Movement::Reserve(_) => "reserve",
            Movement::Release(_) => "release",
            Movement::Issue(_) => "issue",
            Movement::Ship(_) => "ship",
            Movement::Adjust(_) => "adjust",
        }
    }

    /// The quantity as the ledger writes it: positive, but for an
    /// adjustment that found fewer.
    pub fn quantity(self) -> i64 {
        match self {
            Movement::Receive(q)
            | Movement::Reserve(q)
            | Movement::Release(q)
            | Movement::Issue(q)
            | Movement::Ship(q) => q.get(),
            Movement::Adjust(delta) => delta,
        }
    }

    /// A ledger line back as a movement.
    pub fn from_ledger(kind: &str, quantity: i64) -> Option<Movement> {
        if kind == "adjust" {
            return (quantity != 0).then_some(Movement::Adjust(quantity));
        }
        let q = Quantity::parse(quantity).ok()?;
        Some(match kind {
            "receive" => Movement::Receive(q),
            "reserve" => Movement::Reserve(q),
            "release" => Movement::Release(q),
            "issue" => Movement::Issue(q),
            "ship" => Movement::Ship(q),
            _ => return None,
        })
    }

    /// Whether it may free stock for waiting backorders.
    pub fn frees_stock(self) -> bool {
        matches!(
            self,
            Movement::Receive(_) | Movement::Release(_) | Movement::Adjust(1..)
        )
    }
}

impl Stock {
    /// On hand and not reserved.
    pub fn available(&self) -> i64 {
        self.on_hand - self.reserved
    }

    /// The stock after `movement`, or why it cannot happen.
    pub fn apply(self, movement: Movement) -> Result<Stock, StockError> {
        let Stock { on_hand, reserved } = self;
        let next = match movement {
            Movement::Receive(q) => Stock {
                on_hand: on_hand.checked_add(q.get()).ok_or(StockError::TooMuch)?,
                reserved,
            },
            Movement::Reserve(q) | Movement::Ship(q) if q.get() > self.available() => {
                return Err(StockError::Insufficient {
                    available: self.available(),
                });
            }
            Movement::Reserve(q) => Stock {
                on_hand,
                reserved: reserved + q.get(),
            },
            Movement::Ship(q) => Stock {
                on_hand: on_hand - q.get(),
                reserved,
            },
            Movement::Release(q) | Movement::Issue(q) if q.get() > reserved => {
                return Err(StockError::NotReserved { reserved });
            }
            Movement::Release(q) => Stock {
                on_hand,
                reserved: reserved - q.get(),
            },
            Movement::Issue(q) => Stock {
                on_hand: on_hand - q.get(),
                reserved: reserved - q.get(),
            },
            Movement::Adjust(delta) => {
                let on_hand = on_hand.checked_add(delta).ok_or(StockError::TooMuch)?;
                if on_hand < reserved {
                    return Err(StockError::BelowReserved { on_hand, reserved });
                }
                Stock { on_hand, reserved }
            }
        };
        debug_assert!(next.is_consistent(), "{self:?} + {movement:?} = {next:?}");
        Ok(next)
    }

    pub fn is_consistent(&self) -> bool {
        0 <= self.reserved && self.reserved <= self.on_hand
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn q(n: i64) -> Quantity {
        Quantity::parse(n).unwrap()
    }

    #[test]
    fn a_reservation_is_issued_or_released() {
        let s = Stock::default().apply(Movement::Receive(q(10))).unwrap();
        let s = s.apply(Movement::Reserve(q(4))).unwrap();
        assert_eq!((s.on_hand, s.reserved, s.available()), (10, 4, 6));
        let issued = s.apply(Movement::Issue(q(3))).unwrap();
        assert_eq!((issued.on_hand, issued.reserved), (7, 1));
        let released = s.apply(Movement::Release(q(4))).unwrap();
        assert_eq!((released.on_hand, released.reserved), (10, 0));
    }

    #[test]
    fn nothing_goes_below_zero_or_below_what_is_reserved() {
        let s = Stock {
            on_hand: 5,
            reserved: 3,
        };
        assert_eq!(
            s.apply(Movement::Reserve(q(3))),
            Err(StockError::Insufficient { available: 2 })
        );
        assert_eq!(
            s.apply(Movement::Ship(q(3))),
            Err(StockError::Insufficient { available: 2 })
        );
        assert_eq!(
            s.apply(Movement::Issue(q(4))),
            Err(StockError::NotReserved { reserved: 3 })
        );
        assert_eq!(
            s.apply(Movement::Adjust(-3)),
            Err(StockError::BelowReserved {
                on_hand: 2,
                reserved: 3
            })
        );
        assert_eq!(
            s.apply(Movement::Adjust(-2)),
            Ok(Stock {
                on_hand: 3,
                reserved: 3
            })
        );
    }

    #[test]
    fn a_sum_past_what_an_i64_holds_is_refused_not_wrapped() {
        let full = Stock {
            on_hand: i64::MAX - 1,
            reserved: 0,
        };
        assert_eq!(
            full.apply(Movement::Receive(q(2))),
            Err(StockError::TooMuch)
        );
        assert_eq!(full.apply(Movement::Adjust(2)), Err(StockError::TooMuch));
        assert_eq!(
            full.apply(Movement::Receive(q(1))).map(|s| s.on_hand),
            Ok(i64::MAX)
        );
    }

    fn movement() -> impl Strategy<Value = Movement> {
        let q = (1i64..=20).prop_map(|n| Quantity::parse(n).unwrap());
        prop_oneof![
            q.clone().prop_map(Movement::Receive),
            q.clone().prop_map(Movement::Reserve),
            q.clone().prop_map(Movement::Release),
            q.clone().prop_map(Movement::Issue),
            q.prop_map(Movement::Ship),
            (-20i64..=20).prop_map(Movement::Adjust),
        ]
    }

    proptest! {
        #[test]
        fn any_sequence_keeps_reserved_within_on_hand(moves in proptest::collection::vec(movement(), 0..60)) {
            let mut s = Stock::default();
            for m in moves {
                if let Ok(next) = s.apply(m) {
                    s = next;
                }
                prop_assert!(s.is_consistent(), "{s:?}");
            }
        }
    }
}
