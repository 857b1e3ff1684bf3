//! Shares as people compare them: integer basis points, never a float.

/// `part / whole` in basis points (10 000 = all), rounded half up; none of
/// nothing.
pub fn basis_points(part: u64, whole: u64) -> Option<u32> {
    (whole > 0).then(|| ((part * 10_000 * 2 + whole) / (whole * 2)) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_up() {
        assert_eq!(basis_points(2, 3), Some(6667));
        assert_eq!(basis_points(1, 3), Some(3333));
        assert_eq!(basis_points(1, 20_000), Some(1));
        assert_eq!(basis_points(1, 20_001), Some(0));
        assert_eq!(basis_points(5, 5), Some(10_000));
        assert_eq!(basis_points(0, 0), None);
    }
}
