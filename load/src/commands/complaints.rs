//! `complaints`: complaint openings per second on PostgreSQL through the
//! gateway in the distributed mode — dealer staff of several dealers, each
//! opening with a fresh request_id, naming a station and then a delivered
//! RO (which surveys reads from dealers over TCP first) — beside pgbench's
//! one-row UPDATE when given; the month's numbers read back (1..N, no gap);
//! then the escalation sweep over a million open complaints of which 1 %
//! are due, on a database of its own.

use std::sync::Arc;

use clap::Args;

use crate::{
    backlog, complaint_openings as openings, escalation_sweep, machine,
    report::{self, Row},
    run::{self, connect},
    scenarios::Auth,
    settings,
    system::{Mode, StoreKind, System, SystemSettings},
    workshop,
};

#[derive(Debug, Args)]
pub(crate) struct ComplaintsArgs {
    #[command(flatten)]
    pub(crate) load: crate::LoadArgs,
    /// ROs delivered first, for the openings that name one.
    #[arg(long, default_value_t = 200)]
    ros: usize,
    /// Open complaints the sweep runs over.
    #[arg(long, default_value_t = 1_000_000)]
    sweep_complaints: i64,
    /// Every this many-th of them is due (100: 1 %).
    #[arg(long, default_value_t = 100)]
    due_every: i64,
    /// Each service's database pool.
    #[arg(long, default_value_t = 16)]
    max_db_connections: u32,
    /// pgbench's one-row UPDATE rate on the same PostgreSQL
    /// (scripts/bench-complaints measures and passes it).
    #[arg(long)]
    pgbench_tps: Option<f64>,
}

pub(crate) async fn run(args: ComplaintsArgs, workers: usize) -> anyhow::Result<()> {
    let load = args.load.settings()?;
    anyhow::ensure!(args.ros >= 1, "--ros must be at least 1");
    let system = System::start(&SystemSettings {
        store: StoreKind::Postgres,
        mode: Mode::Distributed,
        database_url: None,
        max_db_connections: args.max_db_connections,
        redis_url: None,
        costs: None,
    })
    .await?;
    let gateway = format!("http://{}", system.gateway);
    let setup = connect(&gateway, 1).await?.remove(0);
    let bays = workshop::seed(&setup, &Auth::bearer(&system.token)?, |dealer| {
        Auth::bearer(&system.token_for(&workshop::staff(dealer)))
    })
    .await?;
    let dealers: std::collections::BTreeSet<_> = bays.iter().map(|b| b.dealer_id.clone()).collect();
    eprintln!("delivering {} ROs to name in complaints", args.ros);
    let connections = connect(&gateway, load.connections).await?;
    let delivered = backlog::deliver(&connections, &bays, args.ros, 0).await?;
    let bays = Arc::new(bays);

    let mut rows = vec![];
    for (target, about) in [
        ("OpenComplaint, a station", openings::About::Station),
        (
            "OpenComplaint, an RO (GetRepairOrder first)",
            openings::About::RepairOrders(Arc::new(delivered.at.clone())),
        ),
    ] {
        eprintln!("measuring {target}");
        let new_client = openings::prepare(setup.clone(), bays.clone(), about).await?;
        let outcome = run::run(&load, &connections, &new_client).await?;
        rows.push(Row {
            target: target.into(),
            outcome,
        });
    }
    let numbering = openings::numbering(&mut system.surveys_connection().await?).await?;

    eprintln!(
        "seeding {} open complaints, 1 in {} due, and sweeping",
        args.sweep_complaints, args.due_every
    );
    let swept = escalation_sweep::measure(
        args.sweep_complaints,
        args.due_every,
        args.max_db_connections,
    )
    .await?;

    println!("aftercare-load complaints");
    machine(workers);
    println!(
        "stores: PostgreSQL, one database per service (dealers: {}; parts: {}; surveys: {}), \
         pools of {}",
        system.database, system.parts_database, system.surveys_database, args.max_db_connections
    );
    println!(
        "mode: distributed — gateway, dealers, parts and surveys each on its own loopback port; \
         surveys reads ROs from dealers over TCP"
    );
    settings(&load);
    println!(
        "calls: OpenComplaint through the gateway as the staff of {} dealers at {} stations \
         (client k: station k mod {}), a fresh request_id each; QUALITY/workmanship, MEDIUM; \
         first naming the station, then one of its station's delivered ROs in turn ({} in all)",
        dealers.len(),
        bays.len(),
        bays.len(),
        delivered.ros.len()
    );
    println!();
    print!("{}", report::table(&rows));
    if let Some(tps) = args.pgbench_tps {
        for Row { target, outcome } in &rows {
            println!(
                "{target}: {:.1} % of pgbench's one-row UPDATE on the same cluster ({tps:.0} tps)",
                outcome.throughput() / tps * 100.0
            );
        }
    }
    let mut numbered_well = true;
    for n in &numbering {
        println!(
            "numbers of month {}: {} complaints, CP-{}-0001 to CP-{}-{:04}: {}",
            n.month,
            n.count,
            n.month,
            n.month,
            n.last,
            if n.gap_free {
                "1..N, no gap, no duplicate"
            } else {
                "GAPS OR DUPLICATES"
            }
        );
        numbered_well &= n.gap_free;
    }
    println!();
    println!(
        "escalation sweep ({}): {} open complaints seeded in {:.1} s by one INSERT … \
         generate_series, {} of them due (first response an hour late)",
        swept.database,
        swept.complaints,
        swept.seeded_in.as_secs_f64(),
        swept.due
    );
    println!(
        "  sweep_once with {} due: {} escalated in {}",
        swept.due,
        swept.escalated,
        report::ms(Some(swept.due_sweep), 1) + " ms"
    );
    println!(
        "  sweep_once with none due: {} escalated in {}",
        swept.again,
        report::ms(Some(swept.idle_sweep), 1) + " ms"
    );
    anyhow::ensure!(
        numbered_well,
        "the complaint numbers have gaps or duplicates"
    );
    anyhow::ensure!(
        swept.escalated as i64 == swept.due && swept.again == 0,
        "the sweeps should escalate the {} due once, then none",
        swept.due
    );
    Ok(())
}
