//! Exact arithmetic on the integer sums: means of means as fractions, and
//! one rounding rule, so that a score computed twice (here, in the database
//! fallback, in a rebuild) is the same integer.

/// `num / den` rounded to the nearest integer, halves away from zero
/// (−2.5 → −3, 2.5 → 3), so that a gap and its opposite round alike.
/// `den` must be positive.
pub(crate) fn round_div(num: i128, den: i128) -> i128 {
    debug_assert!(den > 0);
    let (q, r) = (num / den, num % den);
    if 2 * r.abs() >= den {
        q + num.signum()
    } else {
        q
    }
}

/// A mean of means: `Σ wᵢ·(sumᵢ / countᵢ) / Σ wᵢ` over `parts` of
/// (weight, sum, count), as an exact fraction (numerator, denominator).
/// Parts with no count or no weight are left out; none when nothing is left.
pub(crate) fn weighted_mean(parts: &[(u64, i64, u64)]) -> Option<(i128, i128)> {
    let parts: Vec<_> = parts
        .iter()
        .filter(|(w, _, n)| *w > 0 && *n > 0)
        .map(|&(w, s, n)| (i128::from(w), i128::from(s), i128::from(n)))
        .collect();
    let weights: i128 = parts.iter().map(|(w, _, _)| w).sum();
    if weights == 0 {
        return None;
    }
    let common = parts.iter().fold(1, |l, (_, _, n)| lcm(l, *n));
    let num = parts.iter().map(|(w, s, n)| w * s * (common / n)).sum();
    Some((num, weights * common))
}

fn lcm(a: i128, b: i128) -> i128 {
    a / gcd(a, b) * b
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_round_away_from_zero() {
        assert_eq!(round_div(5, 2), 3);
        assert_eq!(round_div(-5, 2), -3);
        assert_eq!(round_div(-5000, 3), -1667);
        assert_eq!(round_div(4850, 6), 808);
        assert_eq!(round_div(-1, 3), 0);
        assert_eq!(round_div(0, 7), 0);
    }

    #[test]
    fn a_mean_of_means_is_exact() {
        // (2·(1/3) + 1·(−4/2)) / 3 = (2/3 − 2) / 3 = −4/9.
        let (num, den) = weighted_mean(&[(2, 1, 3), (1, -4, 2), (5, 7, 0), (0, 9, 1)]).unwrap();
        assert_eq!(num * 9, -4 * den);
        assert_eq!(weighted_mean(&[(0, 1, 1), (3, 5, 0)]), None);
    }
}
