//! The surveys service through real gRPC clients, on SQLite and on
//! PostgreSQL: every test runs once per store; and its league-table stores,
//! in process and on Redis (`boards`).

mod support;

use aftercare_test_support::both;

mod archive;
mod boards;
mod complaint_followups;
mod complaints;
mod edge;
mod improvement_plans;
mod invitations;
mod invitations_access;
mod leagues;
mod locales;
mod oem_zone;
mod relay;
mod responses;
mod scorecards;
mod scores;
mod templates;
mod worked_examples;
