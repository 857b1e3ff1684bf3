//! First-time fill rate: of the order lines asked of a warehouse, the share
//! served from stock at once (not backordered).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FillRate {
    pub lines_asked: u64,
    pub lines_served_at_once: u64,
}

impl FillRate {
    pub fn record(&mut self, served_at_once: bool) {
        self.lines_asked += 1;
        self.lines_served_at_once += u64::from(served_at_once);
    }

    /// The rate of a wider scope (a region from its dealers, a quarter from
    /// its months): lines add up, rates do not average.
    pub fn merge(self, other: FillRate) -> FillRate {
        FillRate {
            lines_asked: self.lines_asked + other.lines_asked,
            lines_served_at_once: self.lines_served_at_once + other.lines_served_at_once,
        }
    }

    /// The rate in basis points (10 000 = every line at once); none when no
    /// line was asked.
    pub fn basis_points(&self) -> Option<u32> {
        aftercare_values::basis_points(self.lines_served_at_once, self.lines_asked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_add_up_and_rates_do_not_average() {
        // A dealer with 9 of 10 lines at once and one with 1 of 90.
        let a = FillRate {
            lines_asked: 10,
            lines_served_at_once: 9,
        };
        let b = FillRate {
            lines_asked: 90,
            lines_served_at_once: 1,
        };
        assert_eq!(a.basis_points(), Some(9000));
        assert_eq!(b.basis_points(), Some(111));
        // 10 of 100, not the mean of 90 % and 1.1 %.
        assert_eq!(a.merge(b).basis_points(), Some(1000));
        assert_eq!(FillRate::default().basis_points(), None);
    }

    #[test]
    fn rounding_is_half_up() {
        let r = FillRate {
            lines_asked: 3,
            lines_served_at_once: 2,
        };
        assert_eq!(r.basis_points(), Some(6667));
        let mut r = FillRate::default();
        r.record(true);
        r.record(false);
        assert_eq!(r.basis_points(), Some(5000));
    }
}
