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
