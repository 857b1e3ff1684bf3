//! `responses`: survey responses ingested under load. A template published
//! by head office, invitations made as the system makes them (the dealers
//! relay's ReceiveRepairOrderDelivered, then IssueSurveyLink), then N
//! clients for D seconds each answering the next unused link anonymously
//! through the gateway (SubmitSurveyResponse: scored, stored with its
//! aggregates, the live league tables moved); afterwards the responses,
//! the aggregates and the national dealer tables counted back; and, once
//! the surveys relay has delivered them, the `survey.low_score` events left
//! in its outbox (none) and the complaints the low scores opened (one
//! each).

use std::time::Duration;

use crate::{
    LoadArgs,
    commands::system_args::SystemArgs,
    complaint_openings, machine,
    report::{self, Row},
    run::{LoadSettings, connect, run as load_run},
    scenarios::Auth,
    settings,
    survey_answers::{self, CpuClock, Links, Month, Seed, Servers},
};
use anyhow::Context;
use clap::Args;

/// How long links are answered before the measured run, to give the
/// database the history and statistics of one in service.
const HISTORY: Duration = Duration::from_secs(3);

#[derive(Debug, Args)]
pub(crate) struct ResponsesArgs {
    #[command(flatten)]
    pub(crate) load: LoadArgs,
    #[command(flatten)]
    system: SystemArgs,
    /// Invitations made before the run, one link token each; a call uses
    /// one up, so this bounds the responses the run can store.
    #[arg(long, default_value_t = 20_000)]
    invitations: usize,
    /// Dealers the ROs are spread over, two stations each.
    #[arg(long, default_value_t = 1_000)]
    dealers: usize,
    /// Regions the dealers are spread over.
    #[arg(long, default_value_t = 10)]
    regions: usize,
    /// Invitations made at once during the setup.
    #[arg(long, default_value_t = 64)]
    setup_concurrency: usize,
    /// pgbench's one-row UPDATE rate on the same PostgreSQL, for the
    /// responses' share of it (scripts/bench-responses measures and passes
    /// it).
    #[arg(long)]
    pgbench_tps: Option<f64>,
    /// The PostgreSQL postmaster's pid, for its CPU time (and its
    /// backends') per response.
    #[arg(long)]
    postgres_pid: Option<u32>,
    /// The Redis server's pid, for its CPU time per response.
    #[arg(long)]
    redis_pid: Option<u32>,
    /// Seconds to wait after the run for the surveys relay to deliver the
    /// low scores' events to complaints.
    #[arg(long, default_value_t = 600.0)]
    drain_timeout: f64,
}

pub(crate) async fn run(args: ResponsesArgs, workers: usize) -> anyhow::Result<()> {
    let load = args.load.settings()?;
    anyhow::ensure!(
        args.invitations >= 1 && args.dealers >= 1 && args.regions >= 1,
        "--invitations, --dealers and --regions must be at least 1"
    );
    let seed = Seed {
        template: aftercare_surveys::SurveysSettings::default().invitation_template,
        invitations: args.invitations,
        dealers: args.dealers,
        regions: args.regions,
        concurrency: args.setup_concurrency,
    };
    let month = Month::current()?;
    let periods = month.periods();
    let _telemetry = args.system.telemetry()?;
    let system = args.system.start().await?;

    println!("aftercare-load responses");
    machine(workers);
    args.system.describe(&system.surveys_database, "surveys");
    println!("league tables: {}", system.league_boards);
    settings(&load);
    println!(
        "setup: template {} (5 SERVQUAL items, overall rating, NPS) published by head office \
         through the gateway; {} ROs delivered in {}-{:02} (UTC) to now, over {} dealers of 2 \
         stations in {} regions, each received as the dealers relay \
         (ReceiveRepairOrderDelivered) and its link issued (IssueSurveyLink), straight to the \
         surveys service, {} at once",
        seed.template,
        seed.invitations,
        month.year,
        month.month,
        seed.dealers,
        seed.regions,
        seed.concurrency
    );
    println!(
        "calls: SubmitSurveyResponse of the next unused link token, anonymous (no bearer \
         token) through the gateway, all 12 questions answered with values varying per \
         response; each stores the response and its aggregates and moves the live league \
         tables of its month, quarter and year before it returns"
    );
    println!(
        "cpu µs/call: this process's CPU time in the window (clients and servers) over its \
         successful calls; PostgreSQL's and Redis's own are not in it"
    );
    args.system.describe_telemetry();

    let gateway = format!("http://{}", system.gateway);
    let oem = Auth::bearer(&system.token)?;
    let setup = connect(&gateway, 1).await?.remove(0);
    survey_answers::publish(setup.clone(), oem.clone(), &seed.template).await?;
    eprintln!(
        "making {} invitations and their links over {} dealers",
        seed.invitations, seed.dealers
    );
    let surveys = connect(&format!("http://{}", system.surveys), 4).await?;
    let invited = survey_answers::invite(&surveys, &system.internal_key, &seed, &month).await?;
    let made = invited.tokens.len() as f64;
    let took = invited.took.as_secs_f64();
    println!(
        "setup: {} invitations with links in {took:.1} s ({:.0}/s)",
        invited.tokens.len(),
        made / took.max(1e-9)
    );
    eprintln!(
        "answering links ({:?} warm-up, {:?} measured)",
        load.warmup, load.duration
    );
    let links = Links::new(invited.tokens);
    let new_client = survey_answers::prepare(setup.clone(), links.clone()).await?;
    let connections = connect(&gateway, load.connections.max(1)).await?;
    let servers = Servers {
        postgres: args.postgres_pid,
        redis: args.redis_pid,
    };
    // A surveys database in service has statistics, kept by autovacuum; a
    // fresh one has none, and the planner would then read a member's rows
    // through the index of every member's days. Some answers first, then
    // ANALYZE, as autovacuum would.
    let history = LoadSettings {
        warmup: Duration::ZERO,
        duration: HISTORY,
        ..load.clone()
    };
    load_run(&history, &connections, &new_client)
        .await
        .context("the answers before the run failed")?;
    aftercare_db::sqlx::query("ANALYZE")
        .execute(&mut system.surveys_connection().await?)
        .await?;
    println!(
        "history: {} links answered in {HISTORY:?} before the run, then ANALYZE",
        links.taken()
    );
    let before = CpuClock::read(servers, &links);
    let outcome = load_run(&load, &connections, &new_client)
        .await
        .context("the responses run failed")?;
    let cpu = before.until(&CpuClock::read(servers, &links));
    eprintln!(
        "  {:.1} responses/s, {} errors; counting back",
        outcome.throughput(),
        outcome.error_count()
    );
    let mut db = system.surveys_connection().await?;
    let check = survey_answers::check(&mut db, setup, oem, &links, &periods).await?;
    println!();
    print!(
        "{}",
        report::table(&[Row {
            target: "SubmitSurveyResponse, gateway".into(),
            outcome: outcome.clone(),
        }])
    );
    println!();
    print!(
        "{}",
        survey_answers::report(&outcome, &links, &check, &cpu, args.pgbench_tps)
    );
    anyhow::ensure!(
        check.consistent(),
        "the responses stored do not match the calls answered"
    );

    eprintln!("waiting for the surveys relay to deliver the low scores to complaints");
    let patience = Duration::try_from_secs_f64(args.drain_timeout)
        .context("--drain-timeout must be seconds ≥ 0")?;
    let outbox = system.surveys_outbox().await?;
    let closed = complaint_openings::closed_loop(&outbox, patience).await?;
    println!(
        "closed loop: {} responses scored low, {} complaints opened by LOW_SCORE; \
         survey.low_score events left in the surveys outbox {:.1} s after the run: {} \
         undelivered ({} set aside as refused)",
        closed.low_scores,
        closed.complaints,
        closed.drained_in.as_secs_f64(),
        closed.undelivered,
        closed.failed
    );
    anyhow::ensure!(
        closed.closed(),
        "every low score should open one complaint and leave no survey.low_score event"
    );
    Ok(())
}
