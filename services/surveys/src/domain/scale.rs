//! Answer scales, and the common grid every answer is put on so that answers
//! on different scales add up exactly.

use serde::{Deserialize, Serialize};

/// Grid units spanning the whole range of any scale. The ranges 4 (1–5),
/// 6 (1–7) and 10 (0–10) all divide 6000, so every answer lands on a whole
/// number of units; on a 1–7 scale one point is exactly 1000 units.
pub const GRID: i64 = 6000;

/// The values a question may be answered with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scale {
    OneToFive,
    OneToSeven,
    ZeroToTen,
}

impl Scale {
    pub const ALL: [Scale; 3] = [Scale::OneToFive, Scale::OneToSeven, Scale::ZeroToTen];

    pub fn min(self) -> u8 {
        match self {
            Scale::OneToFive | Scale::OneToSeven => 1,
            Scale::ZeroToTen => 0,
        }
    }

    pub fn max(self) -> u8 {
        match self {
            Scale::OneToFive => 5,
            Scale::OneToSeven => 7,
            Scale::ZeroToTen => 10,
        }
    }

    /// Whether `value` is an answer on this scale.
    pub fn contains(self, value: i64) -> bool {
        (i64::from(self.min())..=i64::from(self.max())).contains(&value)
    }

    /// How far `value` is from the bottom of the scale, in grid units
    /// (0 to [`GRID`]): 1–5 ×1500, 1–7 ×1000, 0–10 ×600.
    pub fn grid(self, value: u8) -> i64 {
        let range = i64::from(self.max() - self.min());
        (i64::from(value) - i64::from(self.min())) * GRID / range
    }

    /// Whether `value` is one of the two highest answers (top-two box).
    pub fn is_top_two(self, value: u8) -> bool {
        value >= self.max() - 1
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Scale::OneToFive => "1-5",
            Scale::OneToSeven => "1-7",
            Scale::ZeroToTen => "0-10",
        }
    }

    pub fn parse(s: &str) -> Option<Scale> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

impl std::fmt::Display for Scale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}–{}", self.min(), self.max())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_answer_lands_on_the_grid() {
        assert_eq!(Scale::OneToFive.grid(1), 0);
        assert_eq!(Scale::OneToFive.grid(4), 4500);
        assert_eq!(Scale::OneToSeven.grid(6), 5000);
        assert_eq!(Scale::ZeroToTen.grid(7), 4200);
        for scale in Scale::ALL {
            assert_eq!(scale.grid(scale.min()), 0);
            assert_eq!(scale.grid(scale.max()), GRID);
            for v in scale.min()..=scale.max() {
                // Exact: no remainder was thrown away.
                let range = i64::from(scale.max() - scale.min());
                assert_eq!(scale.grid(v) * range % GRID, 0, "{scale} {v}");
            }
        }
    }

    #[test]
    fn the_top_two_box_is_the_two_highest_answers() {
        let tops = |s: Scale| {
            (s.min()..=s.max())
                .filter(|v| s.is_top_two(*v))
                .collect::<Vec<_>>()
        };
        assert_eq!(tops(Scale::OneToFive), [4, 5]);
        assert_eq!(tops(Scale::OneToSeven), [6, 7]);
        assert_eq!(tops(Scale::ZeroToTen), [9, 10]);
    }

    #[test]
    fn scales_hold_their_values_and_round_trip_their_names() {
        assert!(Scale::ZeroToTen.contains(0));
        assert!(!Scale::OneToFive.contains(0));
        assert!(!Scale::OneToSeven.contains(8));
        assert_eq!(Scale::OneToSeven.to_string(), "1–7");
        for s in Scale::ALL {
            assert_eq!(Scale::parse(s.as_str()), Some(s));
        }
    }
}
