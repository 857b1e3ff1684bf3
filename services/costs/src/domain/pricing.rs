//! The pricing tools: a cost-plus price, a break-even volume, a period at
//! another labour rate. The worked examples are in `docs/costing.md`,
//! "Break-even and cost-plus".

use super::amounts::{basis_points, per_centihours, with_markup};

/// The highest markup a quote takes: 1000 %.
pub const MAX_MARKUP_BP: i64 = 100_000;

/// Why a tool cannot answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PricingError {
    #[error(
        "the unit price {price} does not cover the unit variable cost {variable}: no volume breaks even"
    )]
    NoContribution { price: i64, variable: i64 },
    #[error("the amounts are out of range")]
    OutOfRange,
}

/// A cost-plus price: labour at the hourly cost for the standard hours,
/// plus parts at cost, with the markup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostPlus {
    pub standard_centihours: i32,
    pub hourly_cost: i64,
    pub labour_cost: i64,
    pub parts_cost: i64,
    pub markup_bp: i64,
}

impl CostPlus {
    pub fn new(
        standard_centihours: i32,
        hourly_cost: i64,
        parts_cost: i64,
        markup_bp: i64,
    ) -> Result<Self, PricingError> {
        let labour_cost = per_centihours(hourly_cost, i64::from(standard_centihours))
            .ok_or(PricingError::OutOfRange)?;
        let quote = Self {
            standard_centihours,
            hourly_cost,
            labour_cost,
            parts_cost,
            markup_bp,
        };
        quote.price().ok_or(PricingError::OutOfRange)?;
        Ok(quote)
    }

    pub fn cost(&self) -> i64 {
        self.labour_cost.saturating_add(self.parts_cost)
    }

    /// cost × (1 + markup), rounded half away from zero.
    pub fn price(&self) -> Option<i64> {
        self.labour_cost
            .checked_add(self.parts_cost)
            .and_then(|c| with_markup(c, self.markup_bp))
    }
}

/// The least whole number of units whose contribution (price − variable
/// cost) covers `fixed`, with the contribution.
pub fn break_even(fixed: i64, price: i64, variable: i64) -> Result<(i64, i64), PricingError> {
    let contribution = price
        .checked_sub(variable)
        .ok_or(PricingError::OutOfRange)?;
    if contribution <= 0 {
        return Err(PricingError::NoContribution { price, variable });
    }
    // Rounded up: the fixed costs are covered, not nearly covered.
    let units = (i128::from(fixed) + i128::from(contribution) - 1) / i128::from(contribution);
    let units = i64::try_from(units).map_err(|_| PricingError::OutOfRange)?;
    Ok((contribution, units))
}

/// A station's period as its tallies tell it, and at another labour rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhatIf {
    pub repair_orders: i64,
    pub costed_centihours: i64,
    pub labour_cost: i64,
    pub parts_cost: i64,
    pub bill: i64,
    pub labour_cost_at_rate: i64,
}

impl WhatIf {
    /// The period's hours costed at `hourly_cost` (once, on the period's
    /// total hours).
    pub fn at_rate(
        repair_orders: i64,
        costed_centihours: i64,
        labour_cost: i64,
        parts_cost: i64,
        bill: i64,
        hourly_cost: i64,
    ) -> Result<Self, PricingError> {
        Ok(Self {
            repair_orders,
            costed_centihours,
            labour_cost,
            parts_cost,
            bill,
            labour_cost_at_rate: per_centihours(hourly_cost, costed_centihours)
                .ok_or(PricingError::OutOfRange)?,
        })
    }

    pub fn margin(&self) -> i64 {
        self.bill - self.labour_cost - self.parts_cost
    }

    pub fn margin_at_rate(&self) -> i64 {
        self.bill - self.labour_cost_at_rate - self.parts_cost
    }

    pub fn margin_bp(&self) -> Option<i64> {
        basis_points(self.margin(), self.bill)
    }

    pub fn margin_bp_at_rate(&self) -> Option<i64> {
        basis_points(self.margin_at_rate(), self.bill)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_2_1_cost_plus_price_of_an_operation() {
        // docs/costing.md, example 2.1: 1.5 h at 42.00 an hour, no parts,
        // 25 % markup.
        let q = CostPlus::new(150, 4_200, 0, 2_500).unwrap();
        assert_eq!(q.labour_cost, 6_300);
        assert_eq!(q.cost(), 6_300);
        assert_eq!(q.price(), Some(7_875));
    }

    #[test]
    fn example_2_2_cost_plus_price_of_a_package() {
        // docs/costing.md, example 2.2: 0.8 h + 0.25 h at 42.00, parts
        // 2 × 3.15 + 1 × 12.40 at cost, 33.33 % markup.
        let q = CostPlus::new(105, 4_200, 2 * 315 + 1_240, 3_333).unwrap();
        assert_eq!(q.labour_cost, 4_410);
        assert_eq!(q.cost(), 6_280);
        assert_eq!(q.price(), Some(8_373));
    }

    #[test]
    fn example_2_3_break_even_volume() {
        // docs/costing.md, example 2.3.
        assert_eq!(break_even(1_000_000, 12_000, 7_500), Ok((4_500, 223)));
        // Covered exactly: no unit more.
        assert_eq!(break_even(900_000, 12_000, 7_500), Ok((4_500, 200)));
        assert_eq!(break_even(0, 12_000, 7_500), Ok((4_500, 0)));
    }

    #[test]
    fn example_2_4_a_price_that_does_not_cover_its_variable_cost() {
        // docs/costing.md, example 2.4.
        assert_eq!(
            break_even(1_000_000, 7_500, 7_500),
            Err(PricingError::NoContribution {
                price: 7_500,
                variable: 7_500
            })
        );
        assert!(break_even(1_000_000, 7_000, 7_500).is_err());
    }

    #[test]
    fn example_2_5_what_if_labour_rate() {
        // docs/costing.md, example 2.5: 40 ROs, 62.5 h costed at 38.00.
        let w = WhatIf::at_rate(40, 6_250, 237_500, 310_000, 800_000, 4_550).unwrap();
        assert_eq!(w.labour_cost_at_rate, 284_375);
        assert_eq!(w.margin(), 252_500);
        assert_eq!(w.margin_at_rate(), 205_625);
        assert_eq!(w.margin_bp(), Some(3_156));
        assert_eq!(w.margin_bp_at_rate(), Some(2_570));
    }
}
