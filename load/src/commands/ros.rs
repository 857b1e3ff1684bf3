//! `ros`: repair-order journeys through the gateway, and the dealers
//! outbox relay behind them — its throughput and lag while the journeys
//! run, then how fast it drains a burst of issue events.

use std::time::Duration;

use crate::{
    LoadArgs, burst,
    commands::system_args::SystemArgs,
    compliance_month,
    journeys::{self, Journeys},
    machine,
    outbox::{self, PARTS, Written},
    report,
    run::connect,
    scenarios::Auth,
    settings,
    workshop::{self, PART},
};
use clap::Args;

#[derive(Debug, Args)]
pub(crate) struct RosArgs {
    #[command(flatten)]
    pub(crate) load: LoadArgs,
    #[command(flatten)]
    system: SystemArgs,
    /// Issue events the burst piles up in the outbox (ROs completed at once
    /// while the relay is stopped); 0 skips the burst.
    #[arg(long, default_value_t = 20_000)]
    burst_events: usize,
    /// Parts lines per RO of the burst (each one issue event).
    #[arg(long, default_value_t = 10)]
    burst_lines: usize,
    /// Seconds to wait for the relay to empty the outbox, after the journeys
    /// and in the burst.
    #[arg(long, default_value_t = 300.0)]
    drain_timeout: f64,
    /// Runs without service standards: no move then keeps compliance
    /// tallies, to see what keeping them costs.
    #[arg(long)]
    without_standards: bool,
}

pub(crate) async fn run(args: RosArgs, workers: usize) -> anyhow::Result<()> {
    let load = args.load.settings()?;
    anyhow::ensure!(args.burst_lines >= 1, "--burst-lines must be at least 1");
    let patience = Duration::try_from_secs_f64(args.drain_timeout)
        .map_err(|_| anyhow::anyhow!("--drain-timeout must be seconds ≥ 0"))?;
    let _telemetry = args.system.telemetry()?;
    let mut system = args.system.start().await?;
    let gateway = format!("http://{}", system.gateway);

    let setup = connect(&gateway, 1).await?.remove(0);
    let oem = Auth::bearer(&system.token)?;
    let bays = workshop::seed(&setup, &oem, |dealer| {
        Auth::bearer(&system.token_for(&workshop::staff(dealer)))
    })
    .await?;
    if !args.without_standards {
        compliance_month::create_standards(&setup, &oem).await?;
    }

    println!("aftercare-load ros");
    machine(workers);
    args.system.describe(&system.database, "dealers and parts");
    settings(&load);
    println!(
        "journeys: each client, as its dealer's staff (bearer token via the gateway), at one of \
         {} demo stations in turn: CreateRepairOrder, AddLabourLine, AddPartsLine (1 unit of \
         {PART}, reserved in parts by dealers at once), StartRepairOrder, CompleteRepairOrder \
         (one issue event in the outbox), DeliverRepairOrder (events to surveys and costs, \
         which this run leaves waiting: it measures the workshop; scripts/bench-backlog \
         drains them); then the next RO",
        bays.len()
    );
    println!(
        "service standards: {}",
        if args.without_standards {
            "none (no compliance tallies kept)"
        } else {
            "the design's four in force: each move keeps their compliance tallies"
        }
    );
    println!(
        "relay: the dealers outbox relay with the app's settings (polls every 200 ms when idle, \
         100 events per lease, each of the 8 parts queues in order, side by side), delivering to parts' \
         IssueReservation over dealers' own parts channel"
    );
    args.system.describe_telemetry();

    eprintln!(
        "running RO journeys ({:?} warm-up, {:?} measured)",
        load.warmup, load.duration
    );
    let connections = connect(&gateway, load.connections).await?;
    let measured = journeys::run(&load, &connections, &bays).await?;
    let mut db = system.dealers_connection().await?;
    let backlog = outbox::pending(&mut db, PARTS).await?;
    let drain = outbox::drained(&mut db, PARTS, patience).await?;
    let written = outbox::written_between(&mut db, PARTS, measured.window_micros).await?;
    let delivered = outbox::delivered_between(&mut db, PARTS, measured.window_micros).await?;

    println!();
    print!("{}", report::table(&measured.rows()));
    journeys_summary(&measured);
    println!();
    steady(&measured, &written, delivered, backlog, drain);

    if args.burst_events == 0 {
        return Ok(());
    }
    let ros = args.burst_events.div_ceil(args.burst_lines);
    eprintln!(
        "burst: opening {ros} ROs of {} parts lines with the relay stopped",
        args.burst_lines
    );
    system.stop_relay().await;
    let opened = burst::open_for_burst(&connections, &bays, ros, args.burst_lines).await?;
    let from = aftercare_db::timestamp::now_micros();
    let completing = burst::complete_all(&connections, &bays, &opened).await?;
    let to = aftercare_db::timestamp::now_micros();
    let piled = outbox::pending(&mut db, PARTS).await?;
    eprintln!("burst: {piled} issue events wait; starting the relay");
    let restart = aftercare_db::timestamp::now_micros();
    system.start_relay();
    let drain = outbox::drained(&mut db, PARTS, patience).await?;
    let burst = outbox::written_between(&mut db, PARTS, (from, to + 1)).await?;
    println!();
    burst_summary(
        ros,
        opened.events(),
        completing,
        piled,
        drain,
        &burst,
        restart,
    );
    Ok(())
}

fn journeys_summary(m: &Journeys) {
    let window = m.journeys.window.as_secs_f64();
    println!(
        "journeys/s: {:.1} ({} ROs opened and delivered in {window:.0} s, each with its parts \
         reservation made and issued); {} journeys given up on a failed call",
        m.journeys.throughput(),
        m.journeys.latencies.count(),
        m.abandoned
    );
    if let Some(cpu) = m.journeys.cpu_per_call() {
        println!(
            "cpu per journey: {:.2} ms of this process (clients, gateway, services, relay)",
            cpu.as_secs_f64() * 1e3
        );
    }
}

fn steady(m: &Journeys, w: &Written, delivered: u64, backlog: u64, drain: Duration) {
    let window = m.journeys.window.as_secs_f64();
    println!("relay while the journeys ran (the measured window):");
    println!(
        "  issue events written {} ({:.1}/s); delivered in the window {delivered} ({:.1}/s)",
        w.count,
        w.count as f64 / window,
        delivered as f64 / window
    );
    println!(
        "  waiting when the window closed: {backlog}; all delivered {:.2} s later; \
         set aside as refused: {}",
        drain.as_secs_f64(),
        w.failed
    );
    println!(
        "  lag, written to delivered, of the {} events written in the window: p50 {} ms, \
         p99 {} ms, max {} ms",
        w.delivered,
        ms(w.lags.percentile(50.0)),
        ms(w.lags.percentile(99.0)),
        ms(w.lags.max())
    );
}

fn burst_summary(
    ros: usize,
    events: usize,
    completing: Duration,
    piled: u64,
    drain: Duration,
    w: &Written,
    restart: i64,
) {
    println!(
        "relay burst: {ros} ROs completed at once with the relay stopped, then the relay started:"
    );
    println!(
        "  completing them wrote {events} issue events in {:.2} s ({:.0} events/s); \
         {piled} waited when the relay started",
        completing.as_secs_f64(),
        events as f64 / completing.as_secs_f64()
    );
    let span = w
        .last_delivery
        .map(|last| Duration::from_micros(u64::try_from(last - restart).unwrap_or(0)));
    println!(
        "  drained in {:.2} s (polled): {:.0} events/s; last delivery {} s after the start: \
         {} events/s; refused: {}",
        drain.as_secs_f64(),
        w.delivered as f64 / drain.as_secs_f64(),
        span.map_or_else(|| "-".into(), |s| format!("{:.2}", s.as_secs_f64())),
        span.map_or_else(
            || "-".into(),
            |s| format!("{:.0}", w.delivered as f64 / s.as_secs_f64())
        ),
        w.failed
    );
}

fn ms(d: Option<Duration>) -> String {
    d.map_or_else(|| "-".into(), |d| format!("{:.1}", d.as_secs_f64() * 1e3))
}
