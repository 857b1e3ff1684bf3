//! The `aftercare.surveys.v1` contracts, one folder each: the tonic service
//! in `mod.rs` (proto in, parsed at the edge → one use case → proto out),
//! its conversions in `convert.rs`. No SQL here, and no rule that belongs
//! to the domain. Below, the edge helpers several contracts share.

mod invitations;
mod leagues;
mod responses;
mod scores;
mod templates;

pub use invitations::SurveyInvitationApi;
pub use leagues::LeagueApi;
pub use responses::SurveyResponseApi;
pub use scores::SurveyScoreApi;
pub use templates::SurveyTemplateApi;

use aftercare_edge::invalid_argument;
use aftercare_values::{FieldViolation, Period};
use prost_types::Timestamp;
use tonic::{Response, Status};

use crate::events::message::time;

type Reply<T> = Result<Response<T>, Status>;

/// An id the request names: lower-case letters, digits and hyphens.
fn id(v: &str, field: &str) -> Result<String, Status> {
    if aftercare_values::is_valid_id(v) {
        Ok(v.to_owned())
    } else {
        Err(invalid_argument(FieldViolation::new(
            field,
            "must be 1 to 63 lower-case letters, digits and hyphens",
        )))
    }
}

fn opt_time(micros: Option<i64>) -> Option<Timestamp> {
    micros.and_then(time)
}

/// A protobuf timestamp in µs since the epoch; none when out of range.
fn micros(t: &Timestamp) -> Option<i64> {
    if !(0..1_000_000_000).contains(&t.nanos) {
        return None;
    }
    t.seconds
        .checked_mul(1_000_000)?
        .checked_add(i64::from(t.nanos / 1_000))
}

/// The answers of a request, as the domain checks them.
fn answers(answers: Vec<aftercare_proto::surveys::v1::Answer>) -> Vec<(String, i64)> {
    answers
        .into_iter()
        .map(|a| (a.question_id, i64::from(a.value)))
        .collect()
}

/// A period the request names in `field`.
fn period(p: Option<aftercare_proto::common::v1::Period>, field: &str) -> Result<Period, Status> {
    let p = aftercare_edge::required(p, field)?;
    Period::from_parts(p.kind, p.year, p.number)
        .map_err(|e| invalid_argument(FieldViolation::new(field, e.to_string())))
}
