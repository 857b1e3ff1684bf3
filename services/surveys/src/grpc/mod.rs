//! The `aftercare.surveys.v1` contracts: proto in, parsed at the edge;
//! domain out. No SQL here, and no rule that belongs to the domain.

mod convert;
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

use tonic::{Response, Status};

type Reply<T> = Result<Response<T>, Status>;
