//! `claims`: warranty claims drafted and checked per second on PostgreSQL
//! in the distributed mode — each a warranty-RO event sent to costs, whose
//! checks read parts and dealers over TCP — beside pgbench's one-row
//! UPDATE on the same cluster when given.

use clap::Args;

use crate::{machine, warranty_claims};

#[derive(Debug, Args)]
pub(crate) struct ClaimsArgs {
    /// Clients sending events at once, one at a time each (a relay sends
    /// one queue's events in order; several queues side by side).
    #[arg(long, default_value_t = 16)]
    clients: usize,
    /// Warranty ROs issued in parts beforehand, each then drafted once.
    #[arg(long, default_value_t = 2_000)]
    ros: usize,
    /// Each service's database pool.
    #[arg(long, default_value_t = 16)]
    max_db_connections: u32,
    /// pgbench's one-row UPDATE rate on the same PostgreSQL
    /// (scripts/bench-claims measures and passes it).
    #[arg(long)]
    pgbench_tps: Option<f64>,
    /// Tokio worker threads [default: one per CPU].
    #[arg(long)]
    pub(crate) worker_threads: Option<usize>,
}

pub(crate) async fn run(args: ClaimsArgs, workers: usize) -> anyhow::Result<()> {
    anyhow::ensure!(args.clients >= 1, "--clients must be at least 1");
    anyhow::ensure!(args.ros >= 1, "--ros must be at least 1");
    let system = warranty_claims::start(args.max_db_connections).await?;
    eprintln!("seeding the network, the catalogue and stock");
    system.seed(args.ros).await?;
    eprintln!("issuing the parts of {} ROs in parts", args.ros);
    system.issue(args.ros, args.clients).await?;
    eprintln!("drafting {} claims", args.ros);
    let drafted = system.draft(args.ros, args.clients).await?;

    println!("aftercare-load claims");
    machine(workers);
    println!(
        "stores: PostgreSQL, one database per service ({}), pools of {}",
        system.databases.join(", "),
        args.max_db_connections
    );
    println!(
        "mode: distributed — parts, dealers and costs each on its own loopback port; costs \
         reaches parts and dealers over TCP, each call with its 2 s check deadline"
    );
    println!(
        "calls: ReceiveWarrantyRepairOrderDelivered as the dealers relay, {} clients, one \
         event each at a time, each a new RO (2 parts lines, 1 labour line) of its own vehicle; \
         per claim costs reads parts (GetPart ×2, GetPartPrice ×2, GetLabourOperation, \
         ListStockMovements by RO) and dealers (GetStaffMember) side by side, then drafts the \
         claim with its 11 checks, the inbox row and the claims.count tallies in one transaction",
        args.clients
    );
    let n = drafted.latencies.count();
    let secs = drafted.wall.as_secs_f64();
    let rate = n as f64 / secs;
    let ms = |p: f64| {
        drafted
            .latencies
            .percentile(p)
            .map_or("-".into(), |d| format!("{:.1} ms", d.as_secs_f64() * 1e3))
    };
    println!();
    println!(
        "claims drafted and checked: {n} in {secs:.2} s = {rate:.0} claims/s; \
         p50 {}, p99 {}, max {}; every check passed on {} of them; {} errors",
        ms(50.0),
        ms(99.0),
        drafted
            .latencies
            .max()
            .map_or("-".into(), |d| format!("{:.1} ms", d.as_secs_f64() * 1e3)),
        drafted.all_passed,
        drafted.errors
    );
    if let Some(tps) = args.pgbench_tps {
        println!(
            "pgbench one-row UPDATE on the same cluster: {tps:.0} tps; claims/s are {:.1} % of it \
             (each draft adds to the same 12 claims.count rows: a hot-row write, as pgbench's)",
            rate / tps * 100.0
        );
    }
    Ok(())
}
