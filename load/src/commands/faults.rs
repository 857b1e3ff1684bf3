//! `fault-…`: the fault runs of [`aftercare_load::faults`] at full size,
//! each printing its figures and failing when an invariant does not hold.

use std::{path::PathBuf, time::Duration};

use aftercare_load::faults::{
    outbox::{self, OutboxSettings},
    postgres::{self, PostgresSettings},
    redis::{self, RedisSettings},
    slow::{self, SlowSettings},
};
use clap::Args;

use crate::machine;

/// What every fault run takes.
#[derive(Debug, Args)]
pub(crate) struct FaultArgs {
    /// The `aftercare` binary each service runs as.
    #[arg(long, default_value = "target/release/aftercare")]
    aftercare: PathBuf,
    /// Seconds to wait for a process to serve, or for what a run awaits.
    #[arg(long, default_value_t = 600.0)]
    patience: f64,
    /// Tokio worker threads [default: one per CPU].
    #[arg(long)]
    pub(crate) worker_threads: Option<usize>,
}

impl FaultArgs {
    fn patience(&self) -> anyhow::Result<Duration> {
        seconds(self.patience, "patience")
    }
}

fn seconds(s: f64, name: &str) -> anyhow::Result<Duration> {
    Duration::try_from_secs_f64(s).map_err(|_| anyhow::anyhow!("--{name} must be seconds ≥ 0"))
}

fn mode(processes: &str) {
    println!(
        "mode: distributed, the real binary ({processes}), each on its own loopback port and \
         PostgreSQL database; services called directly, signed as the gateway signs, unless said otherwise"
    );
}

#[derive(Debug, Args)]
pub(crate) struct FaultOutboxArgs {
    #[command(flatten)]
    pub(crate) fault: FaultArgs,
    /// Delivered-RO events the dealers relay delivers to surveys.
    #[arg(long, default_value_t = 10_000)]
    events: usize,
    /// Times surveys is killed and restarted while they flow.
    #[arg(long, default_value_t = 100)]
    kills: usize,
}

pub(crate) async fn outbox(args: FaultOutboxArgs, workers: usize) -> anyhow::Result<()> {
    let figures = outbox::run(&OutboxSettings {
        binary: args.fault.aftercare.clone(),
        events: args.events,
        kills: args.kills,
        patience: args.fault.patience()?,
    })
    .await?;
    println!("aftercare-load fault-outbox");
    machine(workers);
    mode(
        "aftercare serve dealers, its outbox relay with the app's settings; aftercare serve surveys",
    );
    println!("{figures}");
    anyhow::ensure!(
        figures.none_lost_none_doubled(),
        "events were lost, applied twice or refused"
    );
    Ok(())
}

#[derive(Debug, Args)]
pub(crate) struct FaultPostgresArgs {
    #[command(flatten)]
    pub(crate) fault: FaultArgs,
    /// Clients working at once, one unit at a time each.
    #[arg(long, default_value_t = 16)]
    clients: usize,
    /// Seconds of work before the outage, of the outage, and after it.
    #[arg(long, default_value_t = 10.0)]
    before: f64,
    #[arg(long, default_value_t = 10.0)]
    outage: f64,
    #[arg(long, default_value_t = 10.0)]
    after: f64,
}

pub(crate) async fn postgres(args: FaultPostgresArgs, workers: usize) -> anyhow::Result<()> {
    let figures = postgres::run(&PostgresSettings {
        binary: args.fault.aftercare.clone(),
        clients: args.clients,
        before: seconds(args.before, "before")?,
        outage: seconds(args.outage, "outage")?,
        after: seconds(args.after, "after")?,
        patience: args.fault.patience()?,
    })
    .await?;
    println!("aftercare-load fault-postgres");
    machine(workers);
    mode("aftercare serve parts, costs and surveys, their databases behind a fault proxy");
    println!("{figures}");
    anyhow::ensure!(figures.as_promised(), "a promise of the run did not hold");
    Ok(())
}

#[derive(Debug, Args)]
pub(crate) struct FaultRedisArgs {
    #[command(flatten)]
    pub(crate) fault: FaultArgs,
    /// The Redis the league tables live on (scripts/fault-redis starts one).
    #[arg(long, env = "AFTERCARE_TEST_REDIS_URL")]
    redis_url: String,
    /// Clients taking surveys at once.
    #[arg(long, default_value_t = 8)]
    clients: usize,
    /// Seconds of work before the outage, and of the outage.
    #[arg(long, default_value_t = 10.0)]
    before: f64,
    #[arg(long, default_value_t = 10.0)]
    outage: f64,
}

pub(crate) async fn redis(args: FaultRedisArgs, workers: usize) -> anyhow::Result<()> {
    let figures = redis::run(&RedisSettings {
        binary: args.fault.aftercare.clone(),
        redis_url: args.redis_url.clone(),
        clients: args.clients,
        before: seconds(args.before, "before")?,
        outage: seconds(args.outage, "outage")?,
        patience: args.fault.patience()?,
    })
    .await?;
    println!("aftercare-load fault-redis");
    machine(workers);
    mode("aftercare serve surveys, its league tables on Redis behind a fault proxy");
    println!("{figures}");
    anyhow::ensure!(figures.as_promised(), "a promise of the run did not hold");
    Ok(())
}

#[derive(Debug, Args)]
pub(crate) struct FaultSlowServiceArgs {
    #[command(flatten)]
    pub(crate) fault: FaultArgs,
    /// The PostgreSQL server, for pg_stat_activity (scripts/fault-slow-service
    /// starts one).
    #[arg(long, env = "AFTERCARE_TEST_POSTGRES_URL")]
    postgres_url: String,
    /// The callers' deadline, and the latency parts is slowed by each way,
    /// in seconds.
    #[arg(long, default_value_t = 1.0)]
    deadline: f64,
    #[arg(long, default_value_t = 3.0)]
    latency: f64,
    /// Warranty claims drafted while parts is slow, and at once.
    #[arg(long, default_value_t = 200)]
    claims: usize,
    #[arg(long, default_value_t = 16)]
    clients: usize,
}

pub(crate) async fn slow_service(args: FaultSlowServiceArgs, workers: usize) -> anyhow::Result<()> {
    let figures = slow::run(&SlowSettings {
        binary: args.fault.aftercare.clone(),
        deadline: seconds(args.deadline, "deadline")?,
        latency: seconds(args.latency, "latency")?,
        claims: args.claims,
        clients: args.clients,
        postgres_url: args.postgres_url.clone(),
        patience: args.fault.patience()?,
    })
    .await?;
    println!("aftercare-load fault-slow-service");
    machine(workers);
    mode("aftercare serve dealers, parts, costs and surveys; parts behind a fault proxy");
    println!("{figures}");
    anyhow::ensure!(figures.as_promised(), "a promise of the run did not hold");
    Ok(())
}
