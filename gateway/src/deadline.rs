//! The `grpc-timeout` header: what the caller asked for, bounded by the
//! gateway's settings, and written back for the backend. A server-streaming
//! call gets the caller's own deadline only: the gateway's default is meant
//! for a request and its answer, and would cut a stream the caller wants to
//! keep open.

use std::{collections::HashSet, time::Duration};

use aftercare_serving::grpc_timeout::parse;
use http::{HeaderMap, HeaderValue};

pub(crate) const GRPC_TIMEOUT: &str = "grpc-timeout";

/// The gRPC spec allows at most 8 digits before the unit.
const MAX_VALUE: u128 = 99_999_999;

#[derive(Debug, Clone)]
pub(crate) struct Deadlines {
    pub(crate) default: Duration,
    pub(crate) max: Duration,
    /// The paths of the server-streaming methods.
    pub(crate) streaming: HashSet<String>,
}

impl Deadlines {
    /// The deadline of a call to `path`: the caller's, or the default when
    /// it set none (or one that does not parse), never more than the
    /// maximum; for a server-streaming method, the caller's alone, and none
    /// when it set none.
    pub(crate) fn for_call(&self, path: &str, headers: &HeaderMap) -> Option<Duration> {
        let asked = headers
            .get(GRPC_TIMEOUT)
            .and_then(|v| v.to_str().ok())
            .and_then(parse);
        if self.streaming.contains(path) {
            return asked;
        }
        Some(asked.unwrap_or(self.default).min(self.max))
    }

    /// How long to wait for the backend's answer to begin: the call's
    /// deadline, or for a stream without one, the default (the stream's
    /// first message comes at once; its end is the caller's business).
    pub(crate) fn for_answer(&self, deadline: Option<Duration>) -> Duration {
        deadline.unwrap_or(self.default)
    }
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
        let deadlines = deadlines();
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(GRPC_TIMEOUT, HeaderValue::from_static(value));
            deadlines.for_call(UNARY, &headers)
        };
        assert_eq!(
            deadlines.for_call(UNARY, &HeaderMap::new()),
            Some(Duration::from_secs(10))
        );
        assert_eq!(with("2S"), Some(Duration::from_secs(2)));
        assert_eq!(with("1H"), Some(Duration::from_secs(60)));
        assert_eq!(with("soon"), Some(Duration::from_secs(10)));
    }

    #[test]
    fn a_stream_gets_the_callers_own_deadline_only() {
        let deadlines = deadlines();
        let mut headers = HeaderMap::new();
        assert_eq!(deadlines.for_call(STREAM, &headers), None);
        assert_eq!(
            deadlines.for_answer(deadlines.for_call(STREAM, &headers)),
            Duration::from_secs(10)
        );
        // Longer than the maximum of a unary call: a stream may live long.
        headers.insert(GRPC_TIMEOUT, HeaderValue::from_static("2H"));
        assert_eq!(
            deadlines.for_call(STREAM, &headers),
            Some(Duration::from_secs(7200))
        );
    }

    const UNARY: &str = "/aftercare.surveys.v1.LeagueService/GetLeagueTable";
    const STREAM: &str = "/aftercare.surveys.v1.LeagueService/WatchLeagueTable";

    fn deadlines() -> Deadlines {
        Deadlines {
            default: Duration::from_secs(10),
            max: Duration::from_secs(60),
            streaming: aftercare_serving::server_streaming_paths(),
        }
    }
}
