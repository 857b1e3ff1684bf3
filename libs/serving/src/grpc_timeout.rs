//! The `grpc-timeout` header, read the one way the gateway and the services'
//! streams read it.

use std::time::Duration;

/// The gRPC spec allows at most 8 digits before the unit.
const MAX_DIGITS: usize = 8;

/// `"100m"` → 100 ms. None for anything the gRPC spec does not allow.
pub fn parse(text: &str) -> Option<Duration> {
    let unit = text.chars().last()?;
    let digits = &text[..text.len() - unit.len_utf8()];
    if digits.is_empty() || digits.len() > MAX_DIGITS || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    // At most 8 digits, so no product below overflows.
    let value: u64 = digits.parse().ok()?;
    Some(match unit {
        'H' => Duration::from_secs(value * 3600),
        'M' => Duration::from_secs(value * 60),
        'S' => Duration::from_secs(value),
        'm' => Duration::from_millis(value),
        'u' => Duration::from_micros(value),
        'n' => Duration::from_nanos(value),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unit_parses() {
        assert_eq!(parse("2H"), Some(Duration::from_secs(7200)));
        assert_eq!(parse("3M"), Some(Duration::from_secs(180)));
        assert_eq!(parse("4S"), Some(Duration::from_secs(4)));
        assert_eq!(parse("100m"), Some(Duration::from_millis(100)));
        assert_eq!(parse("7u"), Some(Duration::from_micros(7)));
        assert_eq!(parse("99999999n"), Some(Duration::from_nanos(99_999_999)));
    }

    #[test]
    fn malformed_timeouts_do_not_parse() {
        for text in [
            "",
            "m",
            "10",
            "10x",
            "123456789m",
            "-1S",
            "+1S",
            "1.5S",
            "１S",
            "1é",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }
}
