//! Required stock: the parts every station of a class must hold, and how a
//! station's warehouse holds them. A required part is held by the stock on
//! hand of the part and of the parts superseding it — the store sums those;
//! here only the verdict.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{catalogue::PartNumber, quantity::Quantity, warehouse::StationClass};

/// A part every station of a class must hold, and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequiredItem {
    pub station_class: StationClass,
    pub part_number: PartNumber,
    pub quantity: Quantity,
    pub update_time: OffsetDateTime,
}

/// How a warehouse holds one required item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemCompliance {
    pub part_number: PartNumber,
    pub required: i64,
    /// On hand of the part and of the parts superseding it.
    pub held: i64,
}

impl ItemCompliance {
    pub fn met(&self) -> bool {
        self.held >= self.required
    }

    /// What is missing to meet it; 0 when met.
    pub fn shortfall(&self) -> i64 {
        (self.required - self.held).max(0)
    }
}

/// How a warehouse holds its class's whole list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compliance {
    pub items: Vec<ItemCompliance>,
}

impl Compliance {
    pub fn items_required(&self) -> usize {
        self.items.len()
    }

    pub fn items_met(&self) -> usize {
        self.items.iter().filter(|i| i.met()).count()
    }

    /// Items met of items required in basis points; an empty list is met in
    /// full, since nothing it asks for is missing.
    pub fn basis_points(&self) -> u32 {
        aftercare_values::basis_points(self.items_met() as u64, self.items_required() as u64)
            .unwrap_or(10_000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(required: i64, held: i64) -> ItemCompliance {
        ItemCompliance {
            part_number: PartNumber::parse("P-1").unwrap(),
            required,
            held,
        }
    }

    #[test]
    fn an_item_is_met_when_enough_is_held() {
        assert!(item(4, 4).met());
        assert!(item(4, 9).met());
        assert_eq!(item(4, 9).shortfall(), 0);
        assert!(!item(4, 3).met());
        assert_eq!(item(4, 3).shortfall(), 1);
        // A count below zero never happens, but it is no less short.
        assert_eq!(item(4, 0).shortfall(), 4);
    }

    #[test]
    fn the_rate_counts_items_not_quantities() {
        // One item far short and two met: two thirds, whatever the amounts.
        let c = Compliance {
            items: vec![item(100, 1), item(1, 1), item(2, 5)],
        };
        assert_eq!((c.items_required(), c.items_met()), (3, 2));
        assert_eq!(c.basis_points(), 6667);
    }

    #[test]
    fn an_empty_list_is_met_in_full() {
        let c = Compliance { items: vec![] };
        assert_eq!(c.basis_points(), 10_000);
    }
}
