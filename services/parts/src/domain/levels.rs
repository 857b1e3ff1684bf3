//! The levels a warehouse plans a part with: safety stock, reorder point,
//! minimum and maximum.

use serde::{Deserialize, Serialize};

use super::quantity::MAX_QUANTITY;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Levels {
    pub safety_stock: i64,
    pub reorder_point: i64,
    pub min_quantity: i64,
    pub max_quantity: i64,
}

/// The levels that may be changed, each `Some` when asked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LevelsPatch {
    pub safety_stock: Option<i64>,
    pub reorder_point: Option<i64>,
    pub min_quantity: Option<i64>,
    pub max_quantity: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LevelsError {
    #[error("{0}: must be 0 to {MAX_QUANTITY}")]
    Range(&'static str),
    #[error("max_quantity: must be at least min_quantity ({0})")]
    BelowMin(i64),
    #[error("max_quantity: must be at least reorder_point ({0})")]
    BelowReorderPoint(i64),
}

impl LevelsError {
    pub fn field(&self) -> &'static str {
        match self {
            LevelsError::Range(f) => f,
            _ => "max_quantity",
        }
    }
}

impl Levels {
    /// The levels after `patch`, if they still make sense together.
    pub fn apply(self, patch: LevelsPatch) -> Result<Levels, LevelsError> {
        let next = Levels {
            safety_stock: patch.safety_stock.unwrap_or(self.safety_stock),
            reorder_point: patch.reorder_point.unwrap_or(self.reorder_point),
            min_quantity: patch.min_quantity.unwrap_or(self.min_quantity),
            max_quantity: patch.max_quantity.unwrap_or(self.max_quantity),
        };
        for (v, field) in [
            (next.safety_stock, "safety_stock"),
            (next.reorder_point, "reorder_point"),
            (next.min_quantity, "min_quantity"),
            (next.max_quantity, "max_quantity"),
        ] {
            if !(0..=MAX_QUANTITY).contains(&v) {
                return Err(LevelsError::Range(field));
            }
        }
        if next.max_quantity < next.min_quantity {
            return Err(LevelsError::BelowMin(next.min_quantity));
        }
        if next.max_quantity < next.reorder_point {
            return Err(LevelsError::BelowReorderPoint(next.reorder_point));
        }
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_hang_together() {
        let l = Levels::default()
            .apply(LevelsPatch {
                reorder_point: Some(4),
                max_quantity: Some(20),
                ..Default::default()
            })
            .unwrap();
        assert_eq!((l.reorder_point, l.max_quantity), (4, 20));
        assert_eq!(
            l.apply(LevelsPatch {
                max_quantity: Some(3),
                ..Default::default()
            }),
            Err(LevelsError::BelowReorderPoint(4))
        );
        assert_eq!(
            l.apply(LevelsPatch {
                safety_stock: Some(-1),
                ..Default::default()
            }),
            Err(LevelsError::Range("safety_stock"))
        );
    }
}

/// The stock of a part in a warehouse with its levels, as callers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockLevel {
    pub warehouse_id: String,
    pub part_number: String,
    pub stock: super::stock::Stock,
    pub inbound: i64,
    pub backordered: i64,
    pub levels: Levels,
    /// The version of the levels: the etag.
    pub version: i64,
}
