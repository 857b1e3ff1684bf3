//! The surveys domain: templates and their versions, answers checked
//! against them, per-response scores, aggregates kept as integer sums, and
//! the league-table math. No transport, no SQL, no Redis here. Every formula
//! is written down, with worked examples, in `docs/scoring.md`.

pub mod access;
pub mod aggregate;
pub mod answers;
pub mod assessment;
pub mod complaint;
mod exact;
pub mod improvement;
pub mod invitation;
pub mod league;
pub mod plan;
pub mod response;
pub mod scale;
pub mod scorecard;
pub mod scoring;
pub mod servqual;
pub mod template;

#[cfg(test)]
mod fixtures;
