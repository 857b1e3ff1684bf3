//! The load tool's parts, for `aftercare-load` and for later benchmarks.
//!
//! - [`run`]: N clients over their own connections make one call each in a
//!   loop for a while; latencies and errors are collected per client and
//!   merged at the end.
//! - [`latency`]: the percentile math over those samples.
//! - [`cpu`]: the CPU time the process spent in the window, so that the
//!   cost of a call can be read apart from the machine's other work.
//! - [`scenarios`]: what a client calls. A new one is a variant and its
//!   [`Client`](scenarios::Client), a few lines.
//! - [`bench`]: a whole system in this process (dealers service, gateway,
//!   bare tonic echo), so that one run gives figures comparable with each
//!   other.
//! - [`echo`]: the bare tonic server every figure is compared with.
//! - [`report`]: the table and the ratios.

pub mod bench;
pub mod cpu;
pub mod echo;
pub mod latency;
pub mod report;
pub mod run;
pub mod scenarios;
