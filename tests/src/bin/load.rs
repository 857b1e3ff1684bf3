//! `aftercare-load`: N concurrent clients for D seconds on one RPC, printing
//! requests/s and p50/p99/max latency.
//!
//! - `bench` starts the dealers service, the gateway and a bare tonic echo
//!   server in this process and measures GetStation through the gateway,
//!   GetStation straight to the service and Echo, one after the other, as
//!   ratios to each other.
//! - `call` measures one RPC against servers already running.

use std::time::Duration;

use aftercare_auth::Secret;
use aftercare_tests::load::{
    bench::{Mode, StoreKind, System, SystemSettings},
    report::{self, Row},
    run::{LoadSettings, Outcome, measure},
    scenarios::{Auth, Scenario, head_office},
};
use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};

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
    /// The dealers service, the gateway and a bare echo server in this
    /// process; GetStation through the gateway, direct, and Echo.
    Bench(BenchArgs),
    /// One RPC against servers already running.
    Call(CallArgs),
}

#[derive(Debug, Args)]
struct LoadArgs {
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

#[derive(Debug, Args)]
struct BenchArgs {
    #[command(flatten)]
    load: LoadArgs,
    #[arg(long, value_enum, default_value_t = StoreKind::Sqlite)]
    store: StoreKind,
    #[arg(long, value_enum, default_value_t = Mode::Embedded)]
    mode: Mode,
    /// The PostgreSQL database for `--store postgres` [default: a fresh one
    /// on the server of AFTERCARE_TEST_POSTGRES_URL].
    #[arg(long)]
    database_url: Option<String>,
    /// The dealers service's database pool.
    #[arg(long, default_value_t = 16)]
    max_db_connections: u32,
    /// The station GetStation reads (of the demo network).
    #[arg(long, default_value = "hm-city")]
    station_id: String,
    /// Echo payload [default: the encoded size of that station].
    #[arg(long)]
    payload_bytes: Option<usize>,
    /// Times each target is measured, the three in turn.
    #[arg(long, default_value_t = 1)]
    rounds: u32,
    /// Run without the tracing subscriber and metrics recorder that the
    /// real processes install (their spans and metrics still cost a little).
    #[arg(long)]
    no_telemetry: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Rpc {
    GetStation,
    Echo,
}

#[derive(Debug, Args)]
struct CallArgs {
    #[command(flatten)]
    load: LoadArgs,
    /// The server, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    target: String,
    #[arg(long, value_enum)]
    rpc: Rpc,
    /// The station of get-station.
    #[arg(long, default_value = "hm-city")]
    id: String,
    /// A bearer token, for calls through the gateway (wins over
    /// --internal-secret).
    #[arg(long)]
    token: Option<String>,
    /// The internal key (base64), to call a service directly as the OEM
    /// head office.
    #[arg(long, env = "AFTERCARE_KEYS__INTERNAL_SECRET", hide_env_values = true)]
    internal_secret: Option<String>,
    /// The echo payload.
    #[arg(long, default_value_t = 200)]
    payload_bytes: usize,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let load = match &cli.command {
        Command::Bench(args) => &args.load,
        Command::Call(args) => &args.load,
    };
    let workers = load.worker_threads.unwrap_or_else(cpus);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .context("failed to start the tokio runtime")?;
    runtime.block_on(async {
        match cli.command {
            Command::Bench(args) => bench(args, workers).await,
            Command::Call(args) => call(args, workers).await,
        }
    })
}

impl LoadArgs {
    fn settings(&self) -> anyhow::Result<LoadSettings> {
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

async fn bench(args: BenchArgs, workers: usize) -> anyhow::Result<()> {
    let load = args.load.settings()?;
    anyhow::ensure!(args.rounds >= 1, "--rounds must be at least 1");
    let _telemetry = if args.no_telemetry {
        None
    } else {
        aftercare_telemetry::install_recorder()?;
        Some(aftercare_telemetry::init(
            "aftercare-load",
            &aftercare_telemetry::TelemetrySettings::default(),
        )?)
    };
    let system = System::start(&SystemSettings {
        store: args.store,
        mode: args.mode,
        database_url: args.database_url.clone(),
        max_db_connections: args.max_db_connections,
    })
    .await?;
    let payload_bytes = match args.payload_bytes {
        Some(n) => n,
        None => system.station_size(&args.station_id).await?,
    };

    println!("aftercare-load bench");
    machine(workers);
    println!(
        "in one process: servers and clients share it, its runtime and its cores; \
         read the figures as ratios to each other"
    );
    println!(
        "store: {} (pool {}); gateway -> dealers: {}",
        system.database,
        args.max_db_connections,
        match args.mode {
            Mode::Embedded => "embedded (in-process call, no network hop)",
            Mode::Distributed => "distributed (loopback TCP, one connection)",
        }
    );
    settings(&load);
    if args.rounds > 1 {
        println!(
            "rounds: {} (targets in turn; the table sums them)",
            args.rounds
        );
    }
    println!(
        "calls: GetStation {} as the OEM head office (bearer token via the gateway, \
         signed principal direct); Echo of {payload_bytes} bytes",
        args.station_id
    );
    println!(
        "cpu µs/call: this process's CPU time in the window (clients and servers) \
         over its successful calls; PostgreSQL's own is not in it"
    );
    println!(
        "gateway rate limiting off; telemetry {}",
        if args.no_telemetry {
            "subscriber and recorder off (--no-telemetry)"
        } else {
            "as in the real processes (log subscriber at info, Prometheus recorder)"
        }
    );

    let get_station = Scenario::GetStation {
        id: args.station_id.clone(),
    };
    let echo_call = Scenario::Echo { payload_bytes };
    let url = |addr| format!("http://{addr}");
    let targets = [
        (
            "GetStation via gateway",
            url(system.gateway),
            &get_station,
            Auth::bearer(&system.token)?,
        ),
        (
            "GetStation direct",
            url(system.dealers),
            &get_station,
            Auth::signed(head_office(), system.internal_key.clone()),
        ),
        (
            "Echo (bare tonic)",
            url(system.echo),
            &echo_call,
            Auth::None,
        ),
    ];
    // Rounds alternate the targets, so that whatever else the machine does
    // meanwhile weighs on all of them alike.
    let mut outcomes: [Option<Outcome>; 3] = [None, None, None];
    for round in 1..=args.rounds {
        for ((label, target, scenario, auth), sum) in targets.iter().zip(&mut outcomes) {
            let label = if args.rounds > 1 {
                format!("{label}, round {round}/{}", args.rounds)
            } else {
                (*label).to_owned()
            };
            let outcome = step(&load, &label, target, scenario, auth.clone()).await?;
            *sum = Some(match sum.take() {
                Some(before) => before.combine(outcome),
                None => outcome,
            });
        }
    }
    let [Some(gateway), Some(direct), Some(echo)] = outcomes else {
        unreachable!("every target ran at least once");
    };

    println!();
    print!(
        "{}",
        report::table(&[
            row("GetStation via gateway", &gateway),
            row("GetStation direct", &direct),
            row("Echo (bare tonic)", &echo),
        ])
    );
    println!();
    print!("{}", report::ratios(&gateway, &direct, &echo));
    Ok(())
}

async fn call(args: CallArgs, workers: usize) -> anyhow::Result<()> {
    let load = args.load.settings()?;
    let auth = match (&args.token, &args.internal_secret) {
        (Some(token), _) => Auth::bearer(token)?,
        (None, Some(secret)) => Auth::signed(
            head_office(),
            Secret::from_base64(secret).context("--internal-secret is not base64")?,
        ),
        (None, None) => Auth::None,
    };
    let scenario = match args.rpc {
        Rpc::GetStation => Scenario::GetStation { id: args.id },
        Rpc::Echo => Scenario::Echo {
            payload_bytes: args.payload_bytes,
        },
    };
    println!("aftercare-load call");
    machine(workers);
    settings(&load);
    let label = format!("{} at {}", scenario.rpc(), args.target);
    let outcome = step(&load, &label, &args.target, &scenario, auth).await?;
    println!();
    print!("{}", report::table(&[row(&label, &outcome)]));
    Ok(())
}

/// Measures one target, saying so on stderr while it runs.
async fn step(
    load: &LoadSettings,
    label: &str,
    target: &str,
    scenario: &Scenario,
    auth: Auth,
) -> anyhow::Result<Outcome> {
    eprintln!(
        "running {label} ({:?} warm-up, {:?} measured)",
        load.warmup, load.duration
    );
    let outcome = measure(load, target, scenario, auth)
        .await
        .with_context(|| format!("{label} failed"))?;
    let p50 = outcome.latencies.percentile(50.0).unwrap_or_default();
    eprintln!(
        "  {:.1} req/s, p50 {:.3} ms, {} errors",
        outcome.throughput(),
        p50.as_secs_f64() * 1e3,
        outcome.error_count()
    );
    Ok(outcome)
}

fn row(target: &str, outcome: &Outcome) -> Row {
    Row {
        target: target.to_owned(),
        outcome: outcome.clone(),
    }
}

fn machine(workers: usize) {
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

fn settings(load: &LoadSettings) {
    println!(
        "load: {} clients over {} connections, one call at a time each; \
         {:?} warm-up, {:?} measured; calls and req/s count successes",
        load.clients, load.connections, load.warmup, load.duration
    );
}

fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
