//! The `grpc-timeout` header: what the caller asked for, bounded by the
//! gateway's settings, and written back for the backend.

use std::time::Duration;

use http::{HeaderMap, HeaderValue};

pub(crate) const GRPC_TIMEOUT: &str = "grpc-timeout";

/// The gRPC spec allows at most 8 digits before the unit.
const MAX_DIGITS: usize = 8;
const MAX_VALUE: u128 = 99_999_999;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadlines {
    pub(crate) default: Duration,
    pub(crate) max: Duration,
}

impl Deadlines {
    /// The deadline of one call: the caller's, or the default when it set
    /// none (or one that does not parse), never more than the maximum.
    pub(crate) fn for_call(&self, headers: &HeaderMap) -> Duration {
        let asked = headers
            .get(GRPC_TIMEOUT)
            .and_then(|v| v.to_str().ok())
            .and_then(parse);
        asked.unwrap_or(self.default).min(self.max)
    }
}

/// `"100m"` → 100 ms. None for anything the gRPC spec does not allow.
pub(crate) fn parse(text: &str) -> Option<Duration> {
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

/// The header value for `duration`, in the finest unit that fits in 8
/// digits (as tonic's own client writes it), rounded down.
pub(crate) fn encode(duration: Duration) -> HeaderValue {
    let candidates = [
        (duration.as_nanos(), 'n'),
        (duration.as_micros(), 'u'),
        (duration.as_millis(), 'm'),
        (u128::from(duration.as_secs()), 'S'),
        (u128::from(duration.as_secs() / 60), 'M'),
    ];
    let (value, unit) = candidates
        .into_iter()
        .find(|(value, _)| *value <= MAX_VALUE)
        .unwrap_or((u128::from(duration.as_secs() / 3600).min(MAX_VALUE), 'H'));
    // Digits and an ASCII letter are always a valid header value.
    HeaderValue::from_str(&format!("{value}{unit}"))
        .unwrap_or_else(|_| HeaderValue::from_static("99999999H"))
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

    #[test]
    fn encoding_round_trips_in_the_finest_unit_that_fits() {
        assert_eq!(encode(Duration::from_millis(50)), "50000000n");
        assert_eq!(encode(Duration::from_secs(10)), "10000000u");
        assert_eq!(encode(Duration::from_secs(60)), "60000000u");
        assert_eq!(encode(Duration::from_secs(1000)), "1000000m");
        assert_eq!(encode(Duration::from_secs(200_000)), "200000S");
        assert_eq!(encode(Duration::MAX), "99999999H");
        for d in [
            Duration::from_nanos(1),
            Duration::from_millis(1234),
            Duration::from_secs(3600),
        ] {
            let text = encode(d);
            assert_eq!(parse(text.to_str().expect("ascii")), Some(d));
        }
    }

    #[test]
    fn the_caller_deadline_is_bounded_and_a_missing_one_defaulted() {
        let deadlines = Deadlines {
            default: Duration::from_secs(10),
            max: Duration::from_secs(60),
        };
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(GRPC_TIMEOUT, HeaderValue::from_static(value));
            deadlines.for_call(&headers)
        };
        assert_eq!(
            deadlines.for_call(&HeaderMap::new()),
            Duration::from_secs(10)
        );
        assert_eq!(with("2S"), Duration::from_secs(2));
        assert_eq!(with("1H"), Duration::from_secs(60));
        assert_eq!(with("soon"), Duration::from_secs(10));
    }
}
