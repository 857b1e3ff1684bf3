//! The fields every contract has, parsed the one way: an object's id, a
//! time, a reporting period.

use aftercare_proto::common::v1 as common;
use aftercare_values::{FieldViolation, Period};
use prost_types::Timestamp;
use tonic::Status;

use crate::{invalid_argument, required};

/// An id the request names in `field`: lower-case letters, digits and
/// hyphens.
pub fn id(v: &str, field: &str) -> Result<String, Status> {
    if aftercare_values::is_valid_id(v) {
        Ok(v.to_owned())
    } else {
        Err(invalid_argument(FieldViolation::new(
            field,
            "must be 1 to 63 lower-case letters, digits and hyphens",
        )))
    }
}

/// A protobuf timestamp in µs since the epoch; none when out of range.
pub fn micros(t: &Timestamp) -> Option<i64> {
    if !(0..1_000_000_000).contains(&t.nanos) {
        return None;
    }
    t.seconds
        .checked_mul(1_000_000)?
        .checked_add(i64::from(t.nanos / 1_000))
}

/// A period the request names in `field`.
pub fn period(p: Option<common::Period>, field: &str) -> Result<Period, Status> {
    let p = required(p, field)?;
    Period::from_parts(p.kind, p.year, p.number)
        .map_err(|e| invalid_argument(FieldViolation::new(field, e.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_before_the_epoch_or_with_bad_nanos_is_none() {
        let t = |seconds, nanos| Timestamp { seconds, nanos };
        assert_eq!(micros(&t(1, 500_000_000)), Some(1_500_000));
        assert_eq!(micros(&t(-1, 0)), Some(-1_000_000));
        assert_eq!(micros(&t(0, 1_000_000_000)), None);
        assert_eq!(micros(&t(i64::MAX, 0)), None);
    }
}
