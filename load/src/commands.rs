//! One file per subcommand of `aftercare-load`: its arguments and its run.

pub(crate) mod backlog;
pub(crate) mod bench;
pub(crate) mod call;
pub(crate) mod claims;
pub(crate) mod complaints;
pub(crate) mod compliance;
pub(crate) mod cost_report;
pub(crate) mod day;
pub(crate) mod faults;
pub(crate) mod leagues;
pub(crate) mod responses;
pub(crate) mod ros;
pub(crate) mod rounds;
pub(crate) mod scorecard;
pub(crate) mod stock;
pub(crate) mod system_args;
