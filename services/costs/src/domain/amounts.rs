//! Integer arithmetic on minor units: no float on a money path. Every
//! division rounds half away from zero, and an overflow is an error, never a
//! wrap.

/// `numerator / denominator`, rounded half away from zero; `None` when the
/// denominator is zero or the result does not fit.
pub fn div_round(numerator: i128, denominator: i128) -> Option<i64> {
    if denominator == 0 {
        return None;
    }
    let (n, d) = if denominator < 0 {
        (-numerator, -denominator)
    } else {
        (numerator, denominator)
    };
    // |n| + d/2 reaches the next multiple of d exactly from the half up.
    let magnitude = (n.abs() + d / 2) / d;
    let q = if n < 0 { -magnitude } else { magnitude };
    i64::try_from(q).ok()
}

/// `part / whole` in basis points (1 % = 100), rounded half away from zero;
/// `None` when `whole` is zero.
pub fn basis_points(part: i64, whole: i64) -> Option<i64> {
    div_round(i128::from(part) * 10_000, i128::from(whole))
}

/// `amount × centihours / 100`: an hourly rate times hundredths of an hour.
pub fn per_centihours(hourly: i64, centihours: i64) -> Option<i64> {
    div_round(i128::from(hourly) * i128::from(centihours), 100)
}

/// `amount × (10000 + bp) / 10000`: an amount with a markup in basis points.
pub fn with_markup(amount: i64, markup_bp: i64) -> Option<i64> {
    div_round(
        i128::from(amount) * (10_000 + i128::from(markup_bp)),
        10_000,
    )
}

/// The sum of `amounts`, or `None` on overflow.
pub fn sum(amounts: impl IntoIterator<Item = i64>) -> Option<i64> {
    amounts.into_iter().try_fold(0i64, i64::checked_add)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_round_away_from_zero() {
        assert_eq!(div_round(5, 2), Some(3));
        assert_eq!(div_round(-5, 2), Some(-3));
        assert_eq!(div_round(4, 3), Some(1));
        assert_eq!(div_round(5, 3), Some(2));
        assert_eq!(div_round(-5, 3), Some(-2));
        assert_eq!(div_round(7, -2), Some(-4));
        assert_eq!(div_round(1, 0), None);
    }

    #[test]
    fn basis_points_of_a_share() {
        assert_eq!(basis_points(1, 3), Some(3333));
        assert_eq!(basis_points(2, 3), Some(6667));
        assert_eq!(basis_points(-1_250, 10_000), Some(-1250));
        assert_eq!(basis_points(5, 0), None);
    }

    #[test]
    fn rates_times_hours() {
        // 45.00 an hour for 1.5 h is 67.50.
        assert_eq!(per_centihours(4_500, 150), Some(6_750));
        // 33.33 an hour for 0.25 h is 8.3325, rounded to 8.33.
        assert_eq!(per_centihours(3_333, 25), Some(833));
        assert_eq!(with_markup(10_000, 2_500), Some(12_500));
    }

    #[test]
    fn a_million_small_amounts_sum_exactly() {
        // 0.01 a million times is 10,000.00 exactly: no float drifts here.
        assert_eq!(sum(std::iter::repeat_n(1, 1_000_000)), Some(1_000_000));
        assert_eq!(sum([i64::MAX, 1]), None);
    }
}
