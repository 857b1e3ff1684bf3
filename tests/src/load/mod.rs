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
//! - [`bench`]: a whole system in this process (dealers, parts and surveys services,
//!   gateway, bare tonic echo), so that one run gives figures comparable
//!   with each other.
//! - [`stock`]: the reservation scenario and the catalogue and warehouse it
//!   needs.
//! - [`fill_rate`]: a million repair-order lines seeded by SQL, and
//!   GetFillRate timed over them.
//! - [`workshop`] and [`journeys`]: repair orders opened and carried to
//!   delivery at the demo network's stations; [`burst`]: many completed at
//!   once.
//! - [`outbox`]: the dealers outbox read after a run, for the relay's
//!   throughput and lag.
//! - [`compliance`]: half a million repair orders seeded by SQL, and
//!   GetStandardCompliance timed for a station-month of 100,000.
//! - [`leagues`]: a million survey responses' aggregates seeded by SQL for
//!   1,000 and for 100,000 dealers, the league tables rebuilt, and their
//!   top 50 read under load.
//! - [`responses`]: survey responses answered through their links under
//!   load, each scored and moving the live league tables, then counted back.
//! - [`echo`]: the bare tonic server every figure is compared with.
//! - [`report`]: the table and the ratios.

pub mod bench;
pub mod burst;
pub mod compliance;
pub mod cpu;
pub mod echo;
pub mod fill_rate;
pub mod journeys;
pub mod latency;
pub mod leagues;
pub mod outbox;
pub mod report;
pub mod responses;
pub mod run;
pub mod scenarios;
pub mod stock;
pub mod workshop;
