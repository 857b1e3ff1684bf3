//! What a scope's tallies of a period say: cost per RO and margin, and a
//! dealer's cost of poor quality. Read from the few tally rows, never
//! re-summed from the records.

use std::collections::BTreeMap;

use super::amounts::{basis_points, div_round, sum};

/// The tallies of one scope and period, measure → amount.
pub type Tallies = BTreeMap<String, i64>;

fn get(t: &Tallies, measure: &str) -> i64 {
    t.get(measure).copied().unwrap_or(0)
}

/// Cost per RO and margin of a scope in a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostSummary {
    pub repair_orders: i64,
    pub labour_cost: i64,
    pub parts_cost: i64,
    pub bill: i64,
    /// Warranty claims drafted in the period.
    pub claims: i64,
}

impl CostSummary {
    pub fn from_tallies(t: &Tallies) -> Self {
        Self {
            repair_orders: get(t, "ro.count"),
            labour_cost: get(t, "ro.labour_cost"),
            parts_cost: get(t, "ro.parts_cost"),
            bill: get(t, "ro.bill"),
            claims: get(t, "claims.count"),
        }
    }

    pub fn total_cost(&self) -> i64 {
        self.labour_cost.saturating_add(self.parts_cost)
    }

    pub fn margin(&self) -> i64 {
        self.bill.saturating_sub(self.total_cost())
    }

    /// `None` when the bill is zero.
    pub fn margin_bp(&self) -> Option<i64> {
        basis_points(self.margin(), self.bill)
    }

    /// `None` without an RO.
    pub fn cost_per_repair_order(&self) -> Option<i64> {
        div_round(
            i128::from(self.total_cost()),
            i128::from(self.repair_orders),
        )
    }

    /// Claims per 100 ROs in hundredths: claims × 10000 / ROs; 0 without an
    /// RO.
    pub fn claim_rate_centi(&self) -> i64 {
        div_round(
            i128::from(self.claims) * 10_000,
            i128::from(self.repair_orders),
        )
        .unwrap_or(0)
    }
}

/// What failures cost a dealer in a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoorQualityCost {
    pub comebacks: i64,
    pub comeback_count: i64,
    pub warranty_rework: i64,
    pub warranty_rework_count: i64,
    pub compensation: i64,
    pub goodwill: i64,
}

impl PoorQualityCost {
    pub fn from_tallies(t: &Tallies) -> Self {
        Self {
            comebacks: get(t, "ro.comeback.cost"),
            comeback_count: get(t, "ro.comeback.count"),
            warranty_rework: get(t, "ro.warranty_rework.cost"),
            warranty_rework_count: get(t, "ro.warranty_rework.count"),
            compensation: get(t, "copq.compensation"),
            goodwill: get(t, "copq.goodwill"),
        }
    }

    /// The four amounts together; `None` on overflow.
    pub fn total(&self) -> Option<i64> {
        sum([
            self.comebacks,
            self.warranty_rework,
            self.compensation,
            self.goodwill,
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tallies(pairs: &[(&str, i64)]) -> Tallies {
        pairs.iter().map(|(m, a)| ((*m).to_owned(), *a)).collect()
    }

    #[test]
    fn example_1_4_a_stations_month() {
        // docs/costing.md, example 1.4: three ROs, one warranty claim.
        let s = CostSummary::from_tallies(&tallies(&[
            ("ro.count", 3),
            ("ro.labour_cost", 20_000),
            ("ro.parts_cost", 12_001),
            ("ro.bill", 45_000),
            ("claims.count", 1),
        ]));
        assert_eq!(s.total_cost(), 32_001);
        assert_eq!(s.margin(), 12_999);
        assert_eq!(s.margin_bp(), Some(2_889));
        assert_eq!(s.cost_per_repair_order(), Some(10_667));
        assert_eq!(s.claim_rate_centi(), 3_333);
    }

    #[test]
    fn an_empty_period_has_no_ratios() {
        let s = CostSummary::from_tallies(&Tallies::new());
        assert_eq!(s.margin_bp(), None);
        assert_eq!(s.cost_per_repair_order(), None);
        assert_eq!(s.claim_rate_centi(), 0);
    }

    #[test]
    fn example_1_5_cost_of_poor_quality() {
        // docs/costing.md, example 1.5.
        let q = PoorQualityCost::from_tallies(&tallies(&[
            ("ro.comeback.count", 2),
            ("ro.comeback.cost", 18_000),
            ("ro.warranty_rework.count", 1),
            ("ro.warranty_rework.cost", 9_500),
            ("copq.compensation", 5_000),
            ("copq.goodwill", 2_500),
        ]));
        assert_eq!(q.total(), Some(35_000));
    }
}
