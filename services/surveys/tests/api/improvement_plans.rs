//! Improvement plans through the real gRPC stack: the focus from scored
//! responses, plans with computed baselines, the check with the clock moved
//! past the check period (on request and by the task of two replicas),
//! access, bad input and retries.

mod access;
mod check;
mod focus;
mod support;
