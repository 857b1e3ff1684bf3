//! Complaints: numbering under concurrency, deadlines and escalation by the
//! clock, the closed loop from a low score, access and bad input.

mod closed_loop;
mod escalation;
mod fake_dealers;
mod lifecycle;
mod numbering;
mod refusals;
mod subjects;
pub(crate) mod support;
