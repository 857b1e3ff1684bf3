//! `stock`: ReserveStock through the gateway on one hot part and spread
//! over many, against pgbench's one-row UPDATE when given; then GetFillRate
//! over 1.1 million seeded repair-order lines.

use crate::{
    LoadArgs,
    commands::rounds::{Target, in_rounds, rows},
    commands::system_args::SystemArgs,
    fill_rate, machine, report, reservations,
    run::connect,
    scenarios::{Auth, Scenario, head_office},
    settings,
    system::StoreKind,
};
use clap::Args;

#[derive(Debug, Args)]
pub(crate) struct StockArgs {
    #[command(flatten)]
    pub(crate) load: LoadArgs,
    #[command(flatten)]
    system: SystemArgs,
    /// Parts the spread target reserves in turn.
    #[arg(long, default_value_t = 1000)]
    parts: usize,
    /// Times each target is measured, the two in turn.
    #[arg(long, default_value_t = 1)]
    rounds: u32,
    /// pgbench's one-row UPDATE rate on the same PostgreSQL, for the hot
    /// part's share of it (scripts/bench-parts measures and passes it).
    #[arg(long)]
    pgbench_tps: Option<f64>,
    /// Repair-order lines seeded for the fill rate (PostgreSQL only); 0
    /// skips that step.
    #[arg(long, default_value_t = 1_100_000)]
    fill_rate_lines: i64,
    /// GetFillRate calls timed per scope.
    #[arg(long, default_value_t = 5)]
    fill_rate_calls: usize,
    /// Also the hot part straight to the parts service, to see what the
    /// gateway costs it.
    #[arg(long)]
    direct: bool,
}

pub(crate) async fn run(args: StockArgs, workers: usize) -> anyhow::Result<()> {
    let load = args.load.settings()?;
    anyhow::ensure!(args.parts >= 1, "--parts must be at least 1");
    let _telemetry = args.system.telemetry()?;
    let system = args.system.start().await?;

    println!("aftercare-load stock");
    machine(workers);
    args.system.describe(&system.parts_database, "parts");
    settings(&load);
    println!(
        "calls: ReserveStock of 1 unit, each call a new repair-order line with a new \
         request_id, as dealer {}'s DMS (bearer token via the gateway) in its warehouse {}; \
         parts and warehouse made by head office, stock received by the DMS first",
        reservations::DEALER,
        reservations::WAREHOUSE
    );
    println!(
        "cpu µs/call: this process's CPU time in the window (clients and servers) \
         over its successful calls; PostgreSQL's own is not in it"
    );
    args.system.describe_telemetry();

    let oem = Auth::bearer(&system.token)?;
    let reserve = |parts, head_office: &Auth| {
        Scenario::ReserveStock(reservations::Reserve {
            parts,
            head_office: head_office.clone(),
        })
    };
    let gateway = format!("http://{}", system.gateway);
    let dms = Auth::bearer(&system.token_for(&reservations::dms()))?;
    let spread = format!("{} parts", args.parts);
    let mut targets = vec![
        Target {
            label: "ReserveStock, hot part".into(),
            url: gateway.clone(),
            scenario: reserve(1, &oem),
            auth: dms.clone(),
        },
        Target {
            label: format!("ReserveStock, {spread}"),
            url: gateway.clone(),
            scenario: reserve(args.parts, &oem),
            auth: dms,
        },
    ];
    if args.direct {
        let signed = |principal| Auth::signed(principal, system.internal_key.clone());
        targets.push(Target {
            label: "ReserveStock, hot part, direct".into(),
            url: format!("http://{}", system.parts),
            scenario: reserve(1, &signed(head_office())),
            auth: signed(reservations::dms()),
        });
    }
    let outcomes = in_rounds(&load, args.rounds, &targets).await?;
    println!();
    print!("{}", report::table(&rows(&targets, &outcomes)));
    println!();
    print!(
        "{}",
        report::stock_ratios(
            &outcomes[0],
            &outcomes[1],
            &spread,
            outcomes.get(2),
            args.pgbench_tps
        )
    );

    if args.fill_rate_lines == 0 {
        return Ok(());
    }
    println!();
    if args.system.store != StoreKind::Postgres {
        println!("fill rate: skipped (its seed is written for PostgreSQL: --store postgres)");
        return Ok(());
    }
    let seed = fill_rate::Seed {
        lines: args.fill_rate_lines,
        ..fill_rate::Seed::default()
    };
    let channel = connect(&gateway, 1).await?.remove(0);
    eprintln!(
        "seeding {} repair-order lines for the fill rate",
        seed.lines
    );
    let mut db = system.parts_connection().await?;
    let seeded = fill_rate::seed(&channel, &oem, &mut db, &seed).await?;
    let timings = fill_rate::time(channel, oem, &seed, args.fill_rate_calls).await?;
    print!("{}", report::fill_rate(&seeded, &timings));
    Ok(())
}
