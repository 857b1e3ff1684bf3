//! The `aftercare.surveys.v1` contracts, one folder each: the tonic service
//! in `mod.rs` (proto in, parsed at the edge → one use case → proto out),
//! its conversions in `convert.rs`. No SQL here, and no rule that belongs
//! to the domain. Below, the edge helpers several contracts share.

mod complaints;
mod improvement_plans;
mod invitations;
mod leagues;
mod responses;
mod scorecards;
mod scores;
mod templates;

pub use complaints::ComplaintApi;
pub use improvement_plans::ImprovementPlanApi;
pub use invitations::SurveyInvitationApi;
pub use leagues::LeagueApi;
pub use responses::SurveyResponseApi;
pub use scorecards::DealerScorecardApi;
pub use scores::SurveyScoreApi;
pub use templates::SurveyTemplateApi;

use aftercare_edge::{
    fields::{id, micros, period},
    invalid_argument,
};
use aftercare_values::FieldViolation;
use prost_types::Timestamp;
use tonic::{Response, Status};

use crate::events::message::time;

type Reply<T> = Result<Response<T>, Status>;

fn opt_time(micros: Option<i64>) -> Option<Timestamp> {
    micros.and_then(time)
}

/// The answers of a request, as the domain checks them.
fn answers(answers: Vec<aftercare_proto::surveys::v1::Answer>) -> Vec<(String, i64)> {
    answers
        .into_iter()
        .map(|a| (a.question_id, i64::from(a.value)))
        .collect()
}

/// A link token (a survey's or a complaint's) as sent in `field`: anything
/// longer than a token could be is refused before it is hashed.
fn link_token<'a>(v: &'a str, field: &str) -> Result<&'a str, Status> {
    if v.is_empty() || v.len() > 128 {
        return Err(invalid_argument(FieldViolation::new(
            field,
            "must be the token of a link",
        )));
    }
    Ok(v)
}
