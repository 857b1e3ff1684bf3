//! The append-only movement ledger. The stock row is the ledger's sum, and a
//! movement dated in the past must leave every later balance valid: a
//! backdated issue that would have taken the shelf below zero last Tuesday
//! is refused, not booked.

use serde::{Deserialize, Serialize};

use super::stock::{Movement, Stock, StockError};

/// One line of the ledger: when it counts, and what it moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Microseconds since the epoch: when the movement happened, which for a
    /// backdated one is before it was booked.
    pub at: i64,
    pub movement: Movement,
}

/// A line of the ledger as stored and shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub warehouse_id: String,
    pub part_number: String,
    pub sequence: i64,
    pub entry: Entry,
    pub booking_time: i64,
    pub after: Stock,
    pub reference: String,
    pub booked_by: String,
    /// The repair-order line it was booked for (a reservation, its release
    /// or its issue).
    #[serde(default)]
    pub order_line: Option<OrderLine>,
}

/// Where a page of movements in booking order starts after: the last
/// movement's booking time, warehouse, part and sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingKey {
    pub booking_time: i64,
    pub warehouse_id: String,
    pub part_number: String,
    pub sequence: i64,
}

/// A line of a repair order, as the ledger names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    pub repair_order_id: String,
    pub line_number: i64,
}

impl OrderLine {
    /// The movement's reference: what a reader of the ledger sees.
    pub fn reference(&self) -> String {
        format!(
            "repair order {} line {}",
            self.repair_order_id, self.line_number
        )
    }
}

/// A movement the ledger cannot take, with the moment it would break.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("at {at}: {error}")]
pub struct Refusal {
    pub at: i64,
    pub error: StockError,
}

/// The stock after `entries`, applied in the order given (time order), from
/// `start`.
pub fn replay<'a>(
    start: Stock,
    entries: impl IntoIterator<Item = &'a Entry>,
) -> Result<Stock, Refusal> {
    entries.into_iter().try_fold(start, |stock, entry| {
        stock.apply(entry.movement).map_err(|error| Refusal {
            at: entry.at,
            error,
        })
    })
}

/// Whether `new` may join the ledger at its date: `before` is the balance
/// just before `new.at`, `later` the entries after it in time order. Gives
/// the balance after all of them.
pub fn insert(before: Stock, new: &Entry, later: &[Entry]) -> Result<Stock, Refusal> {
    replay(before, std::iter::once(new).chain(later))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::domain::quantity::Quantity;

    fn q(n: i64) -> Quantity {
        Quantity::parse(n).unwrap()
    }

    #[test]
    fn a_backdated_issue_that_would_have_gone_negative_is_refused() {
        // Monday 5 received, Wednesday 4 reserved and issued.
        let history = [
            Entry {
                at: 1,
                movement: Movement::Receive(q(5)),
            },
            Entry {
                at: 3,
                movement: Movement::Reserve(q(4)),
            },
            Entry {
                at: 3,
                movement: Movement::Issue(q(4)),
            },
        ];
        let monday = replay(Stock::default(), &history[..1]).unwrap();
        // Tuesday, booked today: a count found 2 fewer. Wednesday's 4 would
        // then not have been there.
        let tuesday = Entry {
            at: 2,
            movement: Movement::Adjust(-2),
        };
        assert_eq!(
            insert(monday, &tuesday, &history[1..]),
            Err(Refusal {
                at: 3,
                error: StockError::Insufficient { available: 3 }
            })
        );
        // One fewer still leaves Wednesday possible.
        let tuesday = Entry {
            at: 2,
            movement: Movement::Adjust(-1),
        };
        assert_eq!(
            insert(monday, &tuesday, &history[1..]),
            Ok(Stock {
                on_hand: 0,
                reserved: 0
            })
        );
    }

    proptest! {
        #[test]
        fn replaying_in_two_parts_is_replaying_once(n in 0usize..20, split in 0usize..20) {
            let entries: Vec<Entry> = (0..n as i64)
                .map(|i| Entry { at: i, movement: if i % 3 == 2 { Movement::Adjust(-1) } else { Movement::Receive(q(i + 1)) } })
                .collect();
            let split = split.min(entries.len());
            let whole = replay(Stock::default(), &entries);
            let parts = replay(Stock::default(), &entries[..split]).and_then(|s| replay(s, &entries[split..]));
            prop_assert_eq!(whole, parts);
        }
    }
}
