//! The ids of the network's objects (regions, dealers, stations, repair
//! orders, warehouses…): one rule for every service that names them.

/// Whether `s` is an id: 1 to 63 lower-case letters, digits and hyphens,
/// not starting with a hyphen (a DNS label, so ids fit in URLs and names).
pub fn is_valid_id(s: &str) -> bool {
    (1..=63).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_dns_labels() {
        assert!(is_valid_id("north-1"));
        assert!(is_valid_id(&"a".repeat(63)));
        for bad in ["", "North", "-x", "a_b", &"a".repeat(64)] {
            assert!(!is_valid_id(bad), "{bad}");
        }
    }
}
