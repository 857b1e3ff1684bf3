//! `cost-report`: GetCostReport for a dealer-year of a million cost
//! entries, on PostgreSQL.

use clap::Args;

use crate::{cost_report, machine};

#[derive(Debug, Args)]
pub(crate) struct CostReportArgs {
    /// Cost entries of the dealer-year.
    #[arg(long, default_value_t = 1_000_000)]
    entries: usize,
    /// Entries written per transaction.
    #[arg(long, default_value_t = 50_000)]
    batch: usize,
    /// GetCostReport calls timed, one after another and again spread over
    /// the clients.
    #[arg(long, default_value_t = 2_000)]
    calls: usize,
    /// Clients calling at once in the second run.
    #[arg(long, default_value_t = 8)]
    clients: usize,
    /// The costs database (PostgreSQL) [default: a fresh one on the server
    /// of AFTERCARE_TEST_POSTGRES_URL].
    #[arg(long)]
    database_url: Option<String>,
    /// Tokio worker threads [default: one per CPU].
    #[arg(long)]
    pub(crate) worker_threads: Option<usize>,
}

pub(crate) async fn run(args: CostReportArgs, workers: usize) -> anyhow::Result<()> {
    anyhow::ensure!(args.entries >= 1, "--entries must be at least 1");
    anyhow::ensure!(args.batch >= 1, "--batch must be at least 1");
    anyhow::ensure!(args.calls >= 1, "--calls must be at least 1");
    anyhow::ensure!(args.clients >= 1, "--clients must be at least 1");
    println!("aftercare-load cost-report");
    machine(workers);
    let plan = cost_report::Plan {
        entries: args.entries,
        batch: args.batch,
        calls: args.calls,
        clients: args.clients,
    };
    let figures = cost_report::run(&plan, args.database_url).await?;
    println!();
    print!("{}", cost_report::report(&figures));
    Ok(())
}
