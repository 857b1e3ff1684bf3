//! `day`: a dealer network generated through the gateway of a system
//! already running (scripts/load-day starts it: each service its own
//! process on PostgreSQL and Redis, or the embedded process on SQLite),
//! then its day compressed into minutes — the [`Mix`] of RO journeys,
//! survey answers, league and console reads, complaints and claim reads —
//! with requests/s and p50/p99 per RPC, each against the store limits
//! measured on the same servers (pgbench, redis-benchmark), the resident
//! memory of every process through the day, each RPC's CPU per call in
//! each server (their own `grpc_server_cpu_seconds`), and then each
//! activity alone for its CPU per call in the system's processes.

use std::time::{Duration, Instant, SystemTime};

use aftercare_auth::{Principal, Secret, token::TokenKeys};
use anyhow::Context;
use clap::Args;

use crate::{
    cpu,
    day::{self, Measured, Plan, Shared},
    day_mix::{Activity, Mix, reads},
    dealer_network::{self, Shape},
    machine,
    memory::{Resident, Sampler, Watched},
    report::{self, Row},
    rpc_cpu::{self, MetricsAt},
    run::{LoadSettings, connect},
    scenarios::{Auth, head_office},
    settings,
    survey_answers::Month,
    system::Mode,
    workshop,
};

#[derive(Debug, Args)]
pub(crate) struct DayArgs {
    #[command(flatten)]
    pub(crate) load: crate::LoadArgs,
    /// The gateway of the running system, `http://host:port`.
    #[arg(long)]
    gateway: String,
    /// The key the gateway verifies tokens with (base64, as
    /// `keys.token_secret`).
    #[arg(long, env = "AFTERCARE_KEYS__TOKEN_SECRET", hide_env_values = true)]
    token_secret: String,
    /// How the system runs, for the memory aims (embedded: one process
    /// under 300 MB; distributed: each under 200 MB).
    #[arg(long, value_enum, default_value_t = Mode::Distributed)]
    mode: Mode,
    #[arg(long, default_value_t = 1000)]
    dealers: usize,
    #[arg(long, default_value_t = 10)]
    regions: usize,
    #[arg(long, default_value_t = 2)]
    stations_per_dealer: usize,
    /// Customers, each with a vehicle, per station.
    #[arg(long, default_value_t = 5)]
    vehicles_per_station: usize,
    /// Calls at once while the network is made.
    #[arg(long, default_value_t = 16)]
    seed_concurrency: usize,
    /// A process of the system, `name=pid` (repeatable): its memory is
    /// watched and its CPU counted.
    #[arg(long = "process", value_parser = parse_process)]
    processes: Vec<(String, u32)>,
    /// Where a process of the system answers `GET /metrics`,
    /// `name=host:port` (repeatable): the CPU per call of each RPC through
    /// the day is read from its servers' own counts.
    #[arg(long = "metrics", value_parser = parse_metrics)]
    metrics: Vec<MetricsAt>,
    /// PostgreSQL's postmaster, whose backends' CPU is counted.
    #[arg(long)]
    postgres_pid: Option<u32>,
    #[arg(long)]
    redis_pid: Option<u32>,
    /// pgbench -S (one primary-key SELECT a transaction) on the same
    /// cluster.
    #[arg(long)]
    pgbench_select_tps: Option<f64>,
    /// pgbench's built-in simple-update (three writes and a read a
    /// transaction) on the same cluster.
    #[arg(long)]
    pgbench_write_tps: Option<f64>,
    /// redis-benchmark GET on the same Redis.
    #[arg(long)]
    redis_get_rps: Option<f64>,
    #[arg(long)]
    redis_set_rps: Option<f64>,
    /// Seconds each activity runs alone after the day, for its CPU cost
    /// (0: skip).
    #[arg(long, default_value_t = 5.0)]
    cpu_seconds: f64,
}

fn parse_process(s: &str) -> Result<(String, u32), String> {
    let (name, pid) = s.split_once('=').ok_or("expected name=pid")?;
    let pid = pid.parse().map_err(|_| format!("{pid} is not a pid"))?;
    Ok((name.to_owned(), pid))
}

fn parse_metrics(s: &str) -> Result<MetricsAt, String> {
    let (name, addr) = s.split_once('=').ok_or("expected name=host:port")?;
    let addr = addr
        .parse()
        .map_err(|_| format!("{addr} is not host:port"))?;
    Ok(MetricsAt {
        name: name.to_owned(),
        addr,
    })
}

pub(crate) async fn run(args: DayArgs, workers: usize) -> anyhow::Result<()> {
    let load = args.load.settings()?;
    let secret =
        Secret::from_base64(&args.token_secret).context("the token secret is not base64")?;
    let keys = TokenKeys::new(&secret);
    let mint = |principal: &Principal| {
        Auth::bearer(&keys.mint(principal, SystemTime::now(), Duration::from_secs(86_400)))
    };
    let office = mint(&head_office())?;
    let shape = Shape {
        dealers: args.dealers,
        regions: args.regions,
        stations_per_dealer: args.stations_per_dealer,
        vehicles_per_station: args.vehicles_per_station,
    };
    let connections = connect(&args.gateway, load.connections).await?;

    eprintln!("generating the network: {:?}", shape.counts());
    let started = Instant::now();
    let bays = dealer_network::generate(
        &connections,
        &office,
        shape,
        args.seed_concurrency,
        |dealer| mint(&workshop::staff(dealer)),
    )
    .await?;
    let generated_in = started.elapsed();

    let watched = watched(&args);
    let month = Month::current()?.periods()[0];
    let shared = Shared::new(office, month);
    let mix = Mix::day();
    let sampler = Sampler::start(watched.clone());
    eprintln!("the day: {} desks at {} stations", load.clients, bays.len());
    let (measured, day_cpu, day_rpc_cpu) = with_cpu(&watched, &args.metrics, &load, async {
        day::run(&load, &connections, &bays, &shared, &Plan::Day(mix.clone())).await
    })
    .await?;
    let resident = sampler.finish().await;

    let mut alone = vec![];
    if args.cpu_seconds > 0.0 {
        let settings = LoadSettings {
            duration: Duration::try_from_secs_f64(args.cpu_seconds)
                .context("--cpu-seconds must be seconds")?,
            warmup: Duration::from_millis(500),
            ..load.clone()
        };
        for activity in Activity::ALL {
            eprintln!("{} alone for its CPU", activity.name());
            let plan = Plan::Alone(activity);
            let (m, cpu, _) = with_cpu(&watched, &[], &settings, async {
                day::run(&settings, &connections, &bays, &shared, &plan).await
            })
            .await?;
            alone.push((activity, m, cpu));
        }
    }

    println!("aftercare-load day");
    machine(workers);
    let counts = shape.counts();
    println!(
        "mode: {} — {}",
        match args.mode {
            Mode::Embedded => "embedded",
            Mode::Distributed => "distributed",
        },
        watched
            .iter()
            .map(|w| format!("{} (pid {})", w.name, w.pid))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "network: {} regions, {} dealers, {} stations, {} advisors, {} customers with a vehicle \
         each, {} stocked warehouses; made through the gateway in {:.1} s",
        counts.regions,
        counts.dealers,
        counts.stations,
        counts.staff,
        counts.customers,
        counts.warehouses,
        generated_in.as_secs_f64()
    );
    settings(&load);
    println!("{}", describe_mix(&mix));
    println!();
    let rows: Vec<Row> = measured
        .rpcs
        .iter()
        .map(|(rpc, outcome)| Row {
            target: (*rpc).to_owned(),
            outcome: outcome.clone(),
        })
        .collect();
    print!("{}", report::table(&rows));
    println!();
    let limits = Limits::from(&args);
    print!("{}", limits.ratios(&measured));
    println!(
        "ROs delivered: {:.1} /s; survey answers skipped (no invitation found in time): {}; \
         ROs still waiting for their answer: {}",
        measured
            .activities
            .get(&Activity::Journey)
            .map_or(0.0, |&n| n as f64 / measured.window.as_secs_f64()),
        measured.uninvited,
        shared.waiting()
    );
    print_cpu("the day", &watched, &day_cpu, measured.calls());
    if !args.metrics.is_empty() {
        let process_cpu = watched
            .iter()
            .zip(&day_cpu)
            .filter_map(|(w, c)| Some((w.name.clone(), (*c)?)))
            .collect();
        println!();
        print!("{}", rpc_cpu::report(&day_rpc_cpu, &process_cpu));
    }
    println!();
    print!("{}", memory_report(&resident, args.mode));
    if !alone.is_empty() {
        println!();
        print!("{}", cpu_report(&watched, &alone, &mix));
    }
    Ok(())
}

/// The processes whose memory and CPU count: the system's, then
/// PostgreSQL and Redis (CPU only: their memory is their caches').
fn watched(args: &DayArgs) -> Vec<Watched> {
    let mut watched: Vec<Watched> = args
        .processes
        .iter()
        .map(|(name, pid)| Watched {
            name: name.clone(),
            pid: *pid,
        })
        .collect();
    for (name, pid) in [("postgres", args.postgres_pid), ("redis", args.redis_pid)] {
        if let Some(pid) = pid {
            watched.push(Watched {
                name: name.into(),
                pid,
            });
        }
    }
    watched
}

fn is_store(name: &str) -> bool {
    name == "postgres" || name == "redis"
}

/// Runs `work` and reads each process's CPU time (with its children), and
/// the CPU per RPC of the servers at `metrics`, over the window `load`
/// opens after its warm-up.
async fn with_cpu<T>(
    watched: &[Watched],
    metrics: &[MetricsAt],
    load: &LoadSettings,
    work: impl Future<Output = anyhow::Result<T>>,
) -> anyhow::Result<(T, Vec<Option<Duration>>, rpc_cpu::Spent)> {
    let pids: Vec<u32> = watched.iter().map(|w| w.pid).collect();
    let metrics = metrics.to_vec();
    let (warmup, duration) = (load.warmup, load.duration);
    let clock = tokio::spawn(async move {
        tokio::time::sleep(warmup).await;
        let before: Vec<_> = pids.iter().map(|&p| cpu::tree_time(p)).collect();
        let counted_before = rpc_cpu::read(&metrics).await;
        tokio::time::sleep(duration).await;
        let cpu = pids
            .iter()
            .zip(before)
            .map(|(&p, b)| Some(cpu::tree_time(p)?.saturating_sub(b?)))
            .collect::<Vec<_>>();
        let spent = rpc_cpu::read(&metrics).await.since(&counted_before);
        (cpu, spent)
    });
    let result = work.await?;
    let (cpu, spent) = clock.await.context("the CPU clock failed")?;
    Ok((result, cpu, spent))
}

fn describe_mix(mix: &Mix) -> String {
    let per: Vec<String> = mix
        .per_ro
        .iter()
        .map(|(a, r)| format!("{} {r}", a.name()))
        .collect();
    format!(
        "mix per RO (day_mix.rs gives the reasons): {}; every {}th RO under warranty; \
         {:.2} gateway calls per RO",
        per.join(", "),
        mix.warranty_every,
        mix.calls_per_ro_total()
    )
}

/// The store limits measured on the same servers.
#[derive(Debug, Clone, Copy)]
struct Limits {
    select: Option<f64>,
    write: Option<f64>,
    get: Option<f64>,
    set: Option<f64>,
}

impl Limits {
    fn from(args: &DayArgs) -> Self {
        Self {
            select: args.pgbench_select_tps,
            write: args.pgbench_write_tps,
            get: args.redis_get_rps,
            set: args.redis_set_rps,
        }
    }

    /// The limit an RPC is held to: league reads are Redis reads, other
    /// reads PostgreSQL selects, writes PostgreSQL write transactions.
    fn of(&self, rpc: &str) -> (&'static str, Option<f64>) {
        if rpc == "GetLeagueTable" {
            ("redis GET", self.get)
        } else if reads(rpc) {
            ("pgbench -S", self.select)
        } else {
            ("pgbench simple-update", self.write)
        }
    }

    fn ratios(&self, measured: &Measured) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        if [self.select, self.write, self.get, self.set]
            .iter()
            .all(Option::is_none)
        {
            let _ = writeln!(
                out,
                "store limits: none measured (scripts/load-day measures PostgreSQL's and \
                 Redis's in the distributed mode)"
            );
            return out;
        }
        let show = |limit: Option<f64>| limit.map_or_else(|| "-".into(), |l| format!("{l:.0}"));
        let _ = writeln!(
            out,
            "store limits, same servers: pgbench -S {} tps, pgbench simple-update {} tps, \
             redis GET {} /s, redis SET {} /s",
            show(self.select),
            show(self.write),
            show(self.get),
            show(self.set)
        );
        let _ = writeln!(
            out,
            "{:<24}  {:>9}  {:>22}  {:>9}",
            "rpc", "req/s", "held to", "ratio"
        );
        for (rpc, outcome) in &measured.rpcs {
            let (name, limit) = self.of(rpc);
            let _ = writeln!(
                out,
                "{rpc:<24}  {:>9.1}  {name:>22}  {:>9}",
                outcome.throughput(),
                ratio(outcome.throughput(), limit)
            );
        }
        let all = measured.throughput();
        let (read, write): (f64, f64) =
            measured.rpcs.iter().fold((0.0, 0.0), |(r, w), (rpc, o)| {
                if reads(rpc) {
                    (r + o.throughput(), w)
                } else {
                    (r, w + o.throughput())
                }
            });
        let _ = writeln!(
            out,
            "all calls {all:.1} /s: reads {read:.1} /s = {} of pgbench -S, {} of redis GET; \
             writes {write:.1} /s = {} of pgbench simple-update, {} of redis SET",
            ratio(read, self.select),
            ratio(read, self.get),
            ratio(write, self.write),
            ratio(write, self.set),
        );
        out
    }
}

fn ratio(part: f64, limit: Option<f64>) -> String {
    limit
        .filter(|&l| l > 0.0)
        .map_or_else(|| "-".into(), |l| format!("{:.4}×", part / l))
}

fn print_cpu(what: &str, watched: &[Watched], cpu: &[Option<Duration>], calls: u64) {
    let parts: Vec<String> = watched
        .iter()
        .zip(cpu)
        .map(|(w, c)| {
            format!(
                "{} {}",
                w.name,
                c.map_or_else(|| "-".into(), |c| format!("{:.1} s", c.as_secs_f64()))
            )
        })
        .collect();
    let total: Duration = cpu.iter().flatten().sum();
    println!(
        "CPU in {what}'s window: {} (all: {:.1} s, {:.0} µs per gateway call)",
        parts.join(", "),
        total.as_secs_f64(),
        if calls > 0 {
            total.as_secs_f64() * 1e6 / calls as f64
        } else {
            0.0
        }
    );
}

fn memory_report(resident: &[Resident], mode: Mode) -> String {
    use std::fmt::Write;
    let aim_mib = match mode {
        Mode::Embedded => 300,
        Mode::Distributed => 200,
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "resident memory (MiB): {:<10}  {:>12}  {:>8}  {:>8}   aim < {aim_mib} MiB",
        "process", "peak sampled", "VmHWM", "at end"
    );
    let mib = |kib: u64| kib as f64 / 1024.0;
    for r in resident.iter().filter(|r| !is_store(&r.name)) {
        let _ = writeln!(
            out,
            "                       {:<10}  {:>12.1}  {:>8.1}  {:>8.1}   {}",
            r.name,
            mib(r.sampled_peak_kib),
            mib(r.high_water_kib),
            mib(r.last_kib),
            if r.high_water_kib == 0 {
                "unread"
            } else if mib(r.high_water_kib) < f64::from(aim_mib) {
                "met"
            } else {
                "MISSED"
            }
        );
    }
    out
}

/// Each activity alone: its rate, and the CPU it cost per activity and
/// per gateway call in the system's processes and in the stores; then the
/// day's CPU per RO from the mix.
fn cpu_report(
    watched: &[Watched],
    alone: &[(Activity, Measured, Vec<Option<Duration>>)],
    mix: &Mix,
) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "each activity alone: {:<16}  {:>8}  {:>8}  {:>12}  {:>12}  {:>12}",
        "activity", "done/s", "calls/s", "app µs/call", "pg µs/call", "redis µs/call"
    );
    // CPU seconds per RO of the mix, per watched process.
    let mut per_ro = vec![0.0f64; watched.len()];
    for (activity, m, cpu) in alone {
        // The system's processes, PostgreSQL, Redis; None: not watched.
        let mut split: [Option<Duration>; 3] = [None; 3];
        for (w, c) in watched.iter().zip(cpu) {
            let slot = match w.name.as_str() {
                "postgres" => 1,
                "redis" => 2,
                _ => 0,
            };
            split[slot] = Some(split[slot].unwrap_or_default() + c.unwrap_or_default());
        }
        let done = m.activities.get(activity).copied().unwrap_or(0);
        let calls = m.calls();
        let per_call = |d: Option<Duration>| match d {
            Some(d) if calls > 0 => format!("{:.0}", d.as_secs_f64() * 1e6 / calls as f64),
            _ => "-".to_owned(),
        };
        let _ = writeln!(
            out,
            "                      {:<16}  {:>8.1}  {:>8.1}  {:>12}  {:>12}  {:>12}",
            activity.name(),
            done as f64 / m.window.as_secs_f64(),
            m.throughput(),
            per_call(split[0]),
            per_call(split[1]),
            per_call(split[2]),
        );
        if done > 0 {
            for (total, c) in per_ro.iter_mut().zip(cpu) {
                let c = c.unwrap_or_default().as_secs_f64();
                *total += mix.rate(*activity) * c / done as f64;
            }
        }
    }
    let by_process: Vec<String> = watched
        .iter()
        .zip(&per_ro)
        .map(|(w, s)| format!("{} {:.2} ms", w.name, s * 1e3))
        .collect();
    let _ = writeln!(
        out,
        "CPU per RO of the day's mix (each activity's CPU per time done × its rate per RO): {}; \
         all {:.2} ms",
        by_process.join(", "),
        per_ro.iter().sum::<f64>() * 1e3
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rpc_is_held_to_the_limit_of_the_store_it_uses() {
        let limits = Limits {
            select: Some(10_000.0),
            write: Some(2_000.0),
            get: Some(50_000.0),
            set: None,
        };
        assert_eq!(limits.of("GetLeagueTable"), ("redis GET", Some(50_000.0)));
        assert_eq!(
            limits.of("ListRepairOrders"),
            ("pgbench -S", Some(10_000.0))
        );
        assert_eq!(
            limits.of("DeliverRepairOrder"),
            ("pgbench simple-update", Some(2_000.0))
        );
        assert_eq!(ratio(20.0, Some(2_000.0)), "0.0100×");
        assert_eq!(ratio(20.0, None), "-");
    }

    #[test]
    fn a_process_is_named_by_name_and_pid() {
        assert_eq!(parse_process("dealers=4242"), Ok(("dealers".into(), 4242)));
        assert!(parse_process("dealers").is_err());
        assert!(parse_process("dealers=x").is_err());
    }
}
