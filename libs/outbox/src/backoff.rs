use std::time::Duration;

/// How long a destination waits after a failed delivery: `base` doubling
/// with each consecutive failure of the same event, up to `cap`, less a
/// random part of up to half, so that relays retrying together spread out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub base: Duration,
    pub cap: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            base: Duration::from_millis(100),
            cap: Duration::from_secs(30),
        }
    }
}

impl Backoff {
    /// The longest wait after the `failures`-th failure in a row (from 1).
    pub fn ceiling(&self, failures: i64) -> Duration {
        // Past 32 doublings any base is beyond any sensible cap.
        let doublings = failures.saturating_sub(1).clamp(0, 32) as u32;
        self.base
            .saturating_mul(2u32.saturating_pow(doublings))
            .min(self.cap)
    }

    /// The wait after the `failures`-th failure in a row: between half the
    /// ceiling and the ceiling.
    pub fn delay(&self, failures: i64) -> Duration {
        let half = self.ceiling(failures) / 2;
        half + half.mul_f64(rand::random::<f64>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const B: Backoff = Backoff {
        base: Duration::from_millis(100),
        cap: Duration::from_secs(30),
    };

    #[test]
    fn ceiling_doubles_up_to_the_cap() {
        let ceilings: Vec<u128> = (1..=12).map(|n| B.ceiling(n).as_millis()).collect();
        assert_eq!(
            ceilings,
            [
                100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 30000, 30000, 30000
            ]
        );
        assert_eq!(B.ceiling(i64::MAX), B.cap);
        assert_eq!(B.ceiling(0), B.base);
    }

    #[test]
    fn delay_is_jittered_within_the_upper_half() {
        for failures in 1..=12 {
            for _ in 0..100 {
                let d = B.delay(failures);
                let ceiling = B.ceiling(failures);
                assert!(d >= ceiling / 2 && d <= ceiling, "{d:?} for {failures}");
            }
        }
    }
}
