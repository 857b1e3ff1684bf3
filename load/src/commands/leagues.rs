//! `leagues`: the surveys league tables at size. A million responses'
//! aggregates seeded by SQL for 1,000 dealers (January 2026) and for
//! 100,000 (March 2026), each month's tables rebuilt through the gateway
//! (RebuildLeagueTables) and timed, then the top 50 of its national dealer
//! table by service index read by N clients for D seconds (GetLeagueTable).

use crate::{
    LoadArgs,
    commands::system_args::SystemArgs,
    league_tables::{self, Seed, Size},
    machine,
    run::{connect, run as load_run},
    scenarios::Auth,
    settings,
    system::StoreKind,
};
use anyhow::Context;
use clap::Args;

#[derive(Debug, Args)]
pub(crate) struct LeaguesArgs {
    #[command(flatten)]
    pub(crate) load: LoadArgs,
    #[command(flatten)]
    system: SystemArgs,
    /// Responses each size stands for.
    #[arg(long, default_value_t = 1_000_000)]
    responses: i64,
    /// Dealers of each size, one station each; each must divide the
    /// responses.
    #[arg(long, value_delimiter = ',', default_values_t = [1_000, 100_000])]
    dealers: Vec<i64>,
    /// Regions the dealers are spread over (each gets its regional tables).
    #[arg(long, default_value_t = 1)]
    regions: i64,
    /// redis-benchmark's ZREVRANGE 0 49 rate on a sorted set of the same
    /// size, for the reads' share of it (scripts/bench-leagues measures and
    /// passes it).
    #[arg(long)]
    zrevrange_rps: Option<f64>,
}

pub(crate) async fn run(args: LeaguesArgs, workers: usize) -> anyhow::Result<()> {
    let load = args.load.settings()?;
    anyhow::ensure!(
        args.system.store == StoreKind::Postgres,
        "the league seed is written for PostgreSQL: --store postgres"
    );
    anyhow::ensure!(
        !args.dealers.is_empty() && args.dealers.len() <= 6,
        "--dealers takes one to six sizes"
    );
    let seeds: Vec<Seed> = args
        .dealers
        .iter()
        .enumerate()
        .map(|(i, &dealers)| Seed {
            dealers,
            responses: args.responses,
            regions: args.regions,
            // Every other month, so that no size is another's prior.
            month: 1 + 2 * i as i32,
        })
        .collect();
    for seed in &seeds {
        seed.mean()?;
    }
    let _telemetry = args.system.telemetry()?;
    let system = args.system.start().await?;

    println!("aftercare-load leagues");
    machine(workers);
    args.system.describe(&system.surveys_database, "surveys");
    println!("league tables: {}", system.league_boards);
    settings(&load);
    println!(
        "seed: per size, {} responses' day aggregates (dealer, station and region rows as the \
         service writes them; no advisor, technician or dimension rows, which the tables do not \
         read) by SQL into survey_aggregates, one station per dealer, {} region(s), a month of \
         2026 each; then ANALYZE",
        args.responses, args.regions
    );
    println!(
        "rebuild: RebuildLeagueTables of the month through the gateway as head office \
         (every metric, national and regional, dealers and stations, into the table store)"
    );
    println!(
        "reads: GetLeagueTable, national dealer table by service index, page_size 50, \
         as head office through the gateway"
    );
    args.system.describe_telemetry();

    let gateway = format!("http://{}", system.gateway);
    let oem = Auth::bearer(&system.token)?;
    let setup = connect(&gateway, 1).await?.remove(0);
    let mut db = system.surveys_connection().await?;
    let mut sizes = vec![];
    for seed in &seeds {
        eprintln!(
            "seeding {} responses over {} dealers in 2026-{:02}",
            seed.responses, seed.dealers, seed.month
        );
        let seeded = league_tables::seed(&mut db, seed).await?;
        eprintln!(
            "  {} rows in {:.1} s; rebuilding the month's tables",
            seeded.rows,
            seeded.took.as_secs_f64()
        );
        let rebuild = league_tables::rebuild(setup.clone(), oem.clone(), seed.period()).await?;
        eprintln!(
            "  {} tables in {:.2} s; reading the top 50 ({:?} warm-up, {:?} measured)",
            rebuild.tables,
            rebuild.took.as_secs_f64(),
            load.warmup,
            load.duration
        );
        let top = league_tables::Top {
            period: seed.period(),
        };
        let (new_client, checked) = top.prepare(setup.clone(), oem.clone()).await?;
        let connections = connect(&gateway, load.connections.max(1)).await?;
        let reads = load_run(&load, &connections, &new_client)
            .await
            .with_context(|| format!("the top-50 reads of {} dealers failed", seed.dealers))?;
        eprintln!(
            "  {:.1} req/s, {} errors",
            reads.throughput(),
            reads.error_count()
        );
        sizes.push(Size {
            seeded,
            rebuild,
            checked,
            reads,
        });
    }
    println!();
    print!("{}", league_tables::report(&sizes, args.zrevrange_rps));
    Ok(())
}
