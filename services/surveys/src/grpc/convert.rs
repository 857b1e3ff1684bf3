//! Conversions shared by the handlers.

use aftercare_db::timestamp;
use aftercare_edge::invalid_argument;
use aftercare_values::FieldViolation;
use prost_types::Timestamp;
use tonic::Status;

/// A stored time (µs since the epoch) as a protobuf timestamp.
pub(crate) fn time(micros: i64) -> Option<Timestamp> {
    let t = timestamp::from_micros(micros);
    Some(Timestamp {
        seconds: t.unix_timestamp(),
        nanos: t.nanosecond() as i32,
    })
}

/// An id the request names: lower-case letters, digits and hyphens.
pub(crate) fn id(v: &str, field: &str) -> Result<String, Status> {
    if aftercare_values::is_valid_id(v) {
        Ok(v.to_owned())
    } else {
        Err(invalid_argument(FieldViolation::new(
            field,
            "must be 1 to 63 lower-case letters, digits and hyphens",
        )))
    }
}

pub(crate) fn opt_time(micros: Option<i64>) -> Option<Timestamp> {
    micros.and_then(time)
}

/// A protobuf timestamp in µs since the epoch; none when out of range.
pub(crate) fn micros(t: &Timestamp) -> Option<i64> {
    if !(0..1_000_000_000).contains(&t.nanos) {
        return None;
    }
    t.seconds
        .checked_mul(1_000_000)?
        .checked_add(i64::from(t.nanos / 1_000))
}

/// The answers of a request, as the domain checks them.
pub(crate) fn answers(answers: Vec<aftercare_proto::surveys::v1::Answer>) -> Vec<(String, i64)> {
    answers
        .into_iter()
        .map(|a| (a.question_id, i64::from(a.value)))
        .collect()
}
