//! The rows of templates, invitations, responses and their day aggregates,
//! on PostgreSQL or SQLite through one implementation (see `aftercare-db`):
//! functions that read and write them, taking the use case's transaction
//! (or the database, for a plain read) and answering domain values. Access
//! checks, idempotency, the outbox and the order of a change are the use
//! cases' (`crate::usecases`).

pub mod aggregates;
pub mod archive;
pub mod complaint_followups;
pub mod complaints;
pub mod improvement_plans;
pub mod invitations;
pub mod members;
pub mod responses;
pub mod scorecards;
pub mod templates;

/// The migrations of this service's schema.
pub static MIGRATOR: sqlx::migrate::Migrator = aftercare_db::migrate!("./migrations");
