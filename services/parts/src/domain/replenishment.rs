//! Replenishment: a warehouse at or below its reorder point orders up to its
//! maximum from its parent warehouse, counting what is already on the way.

use super::quantity::Quantity;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Levels {
    pub on_hand: i64,
    pub reserved: i64,
    /// Shipped to this warehouse and not yet received.
    pub inbound: i64,
    pub reorder_point: i64,
    pub max: i64,
}

/// How much to order, if anything: the stock position (available plus
/// inbound) at or below the reorder point is brought up to the maximum.
pub fn suggestion(l: &Levels) -> Option<Quantity> {
    let position = l.on_hand - l.reserved + l.inbound;
    if position > l.reorder_point {
        return None;
    }
    Quantity::parse(l.max - position).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(on_hand: i64, reserved: i64, inbound: i64) -> Levels {
        Levels {
            on_hand,
            reserved,
            inbound,
            reorder_point: 4,
            max: 20,
        }
    }

    #[test]
    fn orders_up_to_max_counting_what_is_on_the_way() {
        assert_eq!(suggestion(&levels(10, 0, 0)), None);
        assert_eq!(suggestion(&levels(10, 6, 0)).map(Quantity::get), Some(16));
        assert_eq!(
            suggestion(&levels(2, 0, 3)),
            None,
            "5 in position is above the reorder point"
        );
        assert_eq!(suggestion(&levels(0, 0, 0)).map(Quantity::get), Some(20));
    }
}
