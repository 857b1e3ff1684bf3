//! The `surveys` service: survey templates and their versions, invitations
//! with one-time link tokens, responses with their scores, and complaints.
//!
//! - [`domain`]: the types and rules; no transport, no SQL.
//! - [`store`]: rows to domain values and back, on PostgreSQL or SQLite.
//! - [`usecases`]: what the service does, one function per mutation and
//!   read: transaction → access → domain → rows → outbox → commit →
//!   after-commit effects.
//! - [`events`]: what it tells other services through its outbox.
//! - [`leagues`]: the league tables (computed, kept live, read, rebuilt;
//!   Redis or in process).
//! - [`peers`]: the services it calls (dealers, parts, costs).
//! - [`grpc`]: the `aftercare.surveys.v1` contracts.
//! - `metrics`: league-table freshness and complaint deadlines for
//!   Prometheus.
//! - [`Surveys`]: the service built from its settings and connections.

pub mod domain;
mod error;
pub mod events;
pub mod grpc;
pub mod leagues;
mod metrics;
pub mod peers;
mod service;
mod settings;
pub mod store;
pub mod usecases;

use aftercare_auth::ServiceAuth;
use aftercare_proto::surveys::v1::surveys_service_server::{SurveysService, SurveysServiceServer};
use tonic::service::interceptor::InterceptedService;

pub use error::Error;
pub use grpc::ImprovementPlanApi;
pub use grpc::{
    ComplaintApi, DealerScorecardApi, LeagueApi, SurveyInvitationApi, SurveyResponseApi,
    SurveyScoreApi, SurveyTemplateApi,
};
pub use service::Surveys;
pub use settings::{ComplaintSettings, SurveysSettings};
pub use store::MIGRATOR;
pub use usecases::Rules;

/// The first, empty contract of the package, kept so that it stays
/// published (`buf breaking`); the methods live in the services above.
#[derive(Debug, Clone, Default)]
pub struct SurveysApi;

impl SurveysService for SurveysApi {}

impl SurveysApi {
    /// The tonic service, accepting only calls that carry a principal signed
    /// by the gateway.
    pub fn into_server(
        self,
        auth: ServiceAuth,
    ) -> InterceptedService<SurveysServiceServer<Self>, ServiceAuth> {
        SurveysServiceServer::with_interceptor(self, auth)
    }
}
