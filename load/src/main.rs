//! `aftercare-load`: N concurrent clients for D seconds on one RPC, printing
//! requests/s and p50/p99/max latency.
//!
//! - `bench` starts the system (the gateway, the dealers and parts
//!   services) and a bare tonic echo server in this process and measures
//!   GetStation through the gateway, GetStation straight to the service and
//!   Echo, one after the other, as ratios to each other.
//! - `stock` starts the same system and measures ReserveStock through the
//!   gateway on one hot part and spread over many, then seeds 1.1 million
//!   repair-order lines and times GetFillRate.
//! - `ros` starts the same system and runs repair-order journeys (opened
//!   to delivered) through the gateway, and reads the dealers outbox for
//!   the relay's throughput and lag, then times it draining a burst.
//! - `compliance` starts the same system, seeds half a million repair
//!   orders and times GetStandardCompliance for a station-month of 100,000.
//! - `leagues` starts the same system (surveys' league tables on Redis),
//!   seeds a million survey responses' aggregates for 1,000 dealers and
//!   again for 100,000, times RebuildLeagueTables of each month, and reads
//!   the top 50 through the gateway under load.
//! - `responses` starts the same system, makes survey invitations with
//!   link tokens, and answers them through the gateway under load, each
//!   response scored and moving the live league tables; then counts them
//!   back in the database and the tables.
//! - `cost-report` starts the costs service alone on PostgreSQL, seeds a
//!   million cost entries of one dealer-year through its bulk path, and
//!   times GetCostReport for the dealer's year.
//! - `complaints` starts the system on PostgreSQL in the distributed mode
//!   and opens complaints through the gateway as dealer staff, naming a
//!   station and then a delivered RO; reads the month's numbers back; then
//!   times the escalation sweep over a million open complaints, 1 % due.
//! - `scorecard` starts the four services on PostgreSQL in the distributed
//!   mode, seeds every part of a dealer's scorecard, and measures
//!   GetDealerScorecard through the gateway with all up, then with parts,
//!   costs and dealers stopped in turn and with one that never answers.
//! - `day` generates a dealer network through the gateway of a system
//!   already running (scripts/load-day starts it) and plays its day: RO
//!   journeys, survey answers, reads, complaints and claims in the
//!   proportions of [`day_mix`], per RPC against the store limits, with
//!   each process's memory and each activity's CPU per call.
//! - `call` measures one RPC against servers already running.
//! - `claims` starts parts, dealers and costs on PostgreSQL, each on its
//!   own port, and sends warranty-RO events to costs: claims drafted and
//!   checked per second, each reading parts and dealers over TCP.
//! - `fault-outbox`, `fault-postgres`, `fault-redis` and
//!   `fault-slow-service` run the real `aftercare` binary in the
//!   distributed mode under one fault each (a receiver killed, PostgreSQL
//!   or Redis cut off, a service slowed past its deadline) and check what
//!   the stores hold afterwards; see [`aftercare_load::faults`].
//! - `backlog` starts the system on PostgreSQL in the distributed mode with
//!   costs not running, delivers ROs whose events pile up in the dealers
//!   outbox for costs, then starts costs and times the pile draining.
//!
//! Each command is a file of [`commands`]; what they are made of:
//!
//! - [`run`]: N clients over their own connections make one call each in a
//!   loop for a while; latencies and errors are collected per client and
//!   merged at the end.
//! - [`latency`]: the percentile math over those samples.
//! - [`cpu`]: the CPU time the process spent in the window, so that the
//!   cost of a call can be read apart from the machine's other work.
//! - [`scenarios`]: what a client calls. A new one is a variant and its
//!   [`Client`](scenarios::Client), a few lines.
//! - [`system`]: a whole system in this process (dealers, parts and surveys services,
//!   gateway, bare tonic echo), so that one run gives figures comparable
//!   with each other.
//! - [`reservations`]: the reservation scenario and the catalogue and warehouse it
//!   needs.
//! - [`fill_rate`]: a million repair-order lines seeded by SQL, and
//!   GetFillRate timed over them.
//! - [`workshop`] and [`journeys`]: repair orders opened and carried to
//!   delivery at the demo network's stations; [`burst`]: many completed at
//!   once.
//! - [`outbox`]: the dealers outbox read after a run, for the relay's
//!   throughput and lag.
//! - [`compliance_month`]: half a million repair orders seeded by SQL, and
//!   GetStandardCompliance timed for a station-month of 100,000.
//! - [`league_tables`]: a million survey responses' aggregates seeded by SQL for
//!   1,000 and for 100,000 dealers, the league tables rebuilt, and their
//!   top 50 read under load.
//! - [`survey_answers`]: survey responses answered through their links under
//!   load, each scored and moving the live league tables, then counted back.
//! - [`warranty_claims`]: the three services of `claims`, their seed, and
//!   the events sent.
//! - [`backlog`]: ROs delivered while costs is down, costs started where
//!   the dealers relay looks for it, and what it then holds.
//! - [`cost_report`]: a million cost entries and GetCostReport timed over
//!   them.
//! - [`complaint_openings`] and [`escalation_sweep`]: complaints opened
//!   under load and their numbers read back, the closed loop's tally after
//!   a run of responses, and the sweep over a million seeded complaints.
//! - [`scorecard_parts`]: the four services with a dealer's every part
//!   seeded, the scorecard read under load, services stopped and hung.
//! - [`dealer_network`] (with [`progress`]): a network of any size made
//!   through the API; [`day_mix`] and [`day`]: the day's proportions and
//!   its desks; [`memory`]: the processes' resident memory through it.
//! - [`echo`]: the bare tonic server every figure is compared with.
//! - [`report`]: the table and the ratios.

mod commands;

mod backlog;
mod burst;
mod complaint_openings;
mod compliance_month;
mod cost_report;
mod cpu;
mod day;
mod day_mix;
mod dealer_network;
mod echo;
mod escalation_sweep;
mod fill_rate;
mod journeys;
mod latency;
mod league_tables;
mod memory;
mod outbox;
mod progress;
mod report;
mod reservations;
mod rpc_cpu;
mod run;
mod scenarios;
mod scorecard_parts;
mod survey_answers;
mod system;
mod warranty_claims;
mod workshop;

use std::time::Duration;

use crate::run::LoadSettings;
use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use commands::{
    backlog as backlog_cmd, bench, call, claims, complaints, compliance,
    cost_report as cost_report_cmd, day as day_cmd, faults, leagues, responses, ros, scorecard,
    stock,
};

#[derive(Debug, Parser)]
#[command(
    name = "aftercare-load",
    about = "Load on Aftercare's RPCs: req/s and p50/p99/max"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The system and a bare echo server in this process; GetStation
    /// through the gateway, direct, and Echo.
    Bench(bench::BenchArgs),
    /// The same system; ReserveStock through the gateway on one hot part
    /// and over many, then GetFillRate over 1.1 million seeded lines.
    Stock(stock::StockArgs),
    /// The same system; repair-order journeys through the gateway, the
    /// outbox relay's throughput and lag behind them, and a burst drained.
    Ros(ros::RosArgs),
    /// The same system; GetStandardCompliance for a station-month of
    /// 100,000 repair orders among half a million seeded ones.
    Compliance(compliance::ComplianceArgs),
    /// The costs service alone on PostgreSQL; GetCostReport for a
    /// dealer-year of a million cost entries.
    CostReport(cost_report_cmd::CostReportArgs),
    /// The same system with surveys' league tables on Redis: a million
    /// responses for 1,000 and for 100,000 dealers, RebuildLeagueTables
    /// timed, and GetLeagueTable's top 50 under load.
    Leagues(leagues::LeaguesArgs),
    /// The same system; survey responses answered through their links
    /// under load, each scored and moving the live league tables, then
    /// counted back.
    Responses(responses::ResponsesArgs),
    /// One RPC against servers already running.
    Call(call::CallArgs),
    /// A system already running (scripts/load-day): a dealer network made
    /// through the gateway, then its day compressed into minutes, per RPC,
    /// against the store limits, with memory and CPU per call.
    Day(day_cmd::DayArgs),
    /// Parts, dealers and costs on PostgreSQL over TCP; warranty claims
    /// drafted and checked per second from warranty-RO events.
    Claims(claims::ClaimsArgs),
    /// The system on PostgreSQL, distributed, with costs down: delivered
    /// ROs pile up in the dealers outbox; then costs starts and the pile is
    /// timed draining.
    Backlog(backlog_cmd::BacklogArgs),
    /// The system on PostgreSQL, distributed: OpenComplaint through the
    /// gateway (a station, then an RO), the numbers read back, and the
    /// escalation sweep over a million open complaints, 1 % due.
    Complaints(complaints::ComplaintsArgs),
    /// The four services on PostgreSQL, distributed: GetDealerScorecard
    /// through the gateway with all up, then with each peer stopped and
    /// one hung.
    Scorecard(scorecard::ScorecardArgs),
    /// The real binary, distributed: the surveys process, receiving the
    /// dealers outbox, killed and restarted while events flow; none lost,
    /// none applied twice.
    FaultOutbox(faults::FaultOutboxArgs),
    /// The real binary, distributed: PostgreSQL cut off under load and back;
    /// UNAVAILABLE meanwhile, the recovery, the invariants.
    FaultPostgres(faults::FaultPostgresArgs),
    /// The real binary, distributed: Redis cut off while surveys are taken
    /// and league tables read; read from the database, rebuilt after.
    FaultRedis(faults::FaultRedisArgs),
    /// The real binary, distributed: parts slowed past its callers'
    /// deadline; DEADLINE_EXCEEDED, no transaction left open, the
    /// scorecard naming its missing part.
    FaultSlowService(faults::FaultSlowServiceArgs),
}

#[derive(Debug, Args)]
pub(crate) struct LoadArgs {
    /// Clients calling at once, one call at a time each.
    #[arg(long, default_value_t = 64)]
    clients: usize,
    /// Connections the clients are spread over [default: one per client].
    #[arg(long)]
    connections: Option<usize>,
    /// Seconds measured, after the warm-up.
    #[arg(long, default_value_t = 10.0)]
    duration: f64,
    /// Seconds of calls first, not counted.
    #[arg(long, default_value_t = 1.0)]
    warmup: f64,
    /// Tokio worker threads [default: one per CPU].
    #[arg(long)]
    worker_threads: Option<usize>,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let worker_threads = match &cli.command {
        Command::Bench(args) => args.load.worker_threads,
        Command::Stock(args) => args.load.worker_threads,
        Command::Ros(args) => args.load.worker_threads,
        Command::Compliance(args) => args.worker_threads,
        Command::CostReport(args) => args.worker_threads,
        Command::Leagues(args) => args.load.worker_threads,
        Command::Responses(args) => args.load.worker_threads,
        Command::Call(args) => args.load.worker_threads,
        Command::Day(args) => args.load.worker_threads,
        Command::Claims(args) => args.worker_threads,
        Command::Backlog(args) => args.worker_threads,
        Command::Complaints(args) => args.load.worker_threads,
        Command::Scorecard(args) => args.load.worker_threads,
        Command::FaultOutbox(args) => args.fault.worker_threads,
        Command::FaultPostgres(args) => args.fault.worker_threads,
        Command::FaultRedis(args) => args.fault.worker_threads,
        Command::FaultSlowService(args) => args.fault.worker_threads,
    };
    let workers = worker_threads.unwrap_or_else(cpus);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .context("failed to start the tokio runtime")?;
    runtime.block_on(async {
        match cli.command {
            Command::Bench(args) => bench::run(args, workers).await,
            Command::Stock(args) => stock::run(args, workers).await,
            Command::Ros(args) => ros::run(args, workers).await,
            Command::Compliance(args) => compliance::run(args, workers).await,
            Command::CostReport(args) => cost_report_cmd::run(args, workers).await,
            Command::Leagues(args) => leagues::run(args, workers).await,
            Command::Responses(args) => responses::run(args, workers).await,
            Command::Call(args) => call::run(args, workers).await,
            Command::Day(args) => day_cmd::run(args, workers).await,
            Command::Claims(args) => claims::run(args, workers).await,
            Command::Backlog(args) => backlog_cmd::run(args, workers).await,
            Command::Complaints(args) => complaints::run(args, workers).await,
            Command::Scorecard(args) => scorecard::run(args, workers).await,
            Command::FaultOutbox(args) => faults::outbox(args, workers).await,
            Command::FaultPostgres(args) => faults::postgres(args, workers).await,
            Command::FaultRedis(args) => faults::redis(args, workers).await,
            Command::FaultSlowService(args) => faults::slow_service(args, workers).await,
        }
    })
}

impl LoadArgs {
    pub(crate) fn settings(&self) -> anyhow::Result<LoadSettings> {
        anyhow::ensure!(self.clients > 0, "--clients must be at least 1");
        anyhow::ensure!(
            self.connections != Some(0),
            "--connections must be at least 1"
        );
        let seconds = |s: f64, name: &str| {
            Duration::try_from_secs_f64(s).with_context(|| format!("--{name} must be seconds ≥ 0"))
        };
        let duration = seconds(self.duration, "duration")?;
        anyhow::ensure!(!duration.is_zero(), "--duration must be more than 0");
        Ok(LoadSettings {
            clients: self.clients,
            // More connections than clients would sit idle.
            connections: self.connections.unwrap_or(self.clients).min(self.clients),
            warmup: seconds(self.warmup, "warmup")?,
            duration,
        })
    }
}

pub(crate) fn machine(workers: usize) {
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|m| m.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let loadavg = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| {
            let mut fields = l.split_whitespace();
            Some(format!(
                "{} {} {}",
                fields.next()?,
                fields.next()?,
                fields.next()?
            ))
        })
        .unwrap_or_else(|| "unknown".into());
    println!(
        "machine: nproc {}, {model}; load average before the run {loadavg}; \
         tokio multi-thread runtime, {workers} workers",
        cpus()
    );
}

pub(crate) fn settings(load: &LoadSettings) {
    println!(
        "load: {} clients over {} connections, one call at a time each; \
         {:?} warm-up, {:?} measured; calls and req/s count successes",
        load.clients, load.connections, load.warmup, load.duration
    );
}

pub(crate) fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
