//! PostgreSQL gone under load: parts, costs and surveys reach their
//! databases through a fault proxy; while clients keep working (see
//! [`work`](super::work)), the proxy cuts every connection and refuses new
//! ones for a while, as a server restarting does, then lets them through
//! again. No service is restarted. Afterwards: what the calls answered
//! meanwhile, how long the first call took to succeed again, and the
//! invariants.

use std::{
    collections::BTreeMap,
    fmt,
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use aftercare_faults::{NewConnections, Proxy};
use tonic::Code;

use super::{
    cluster::{Cluster, Service},
    invariants::{self, Invariants},
    until,
    work::{Codes, RECEIVED, Unit, Work},
};

const SERVICES: [Service; 3] = [Service::Parts, Service::Costs, Service::Surveys];

#[derive(Debug, Clone)]
pub struct PostgresSettings {
    pub binary: PathBuf,
    pub clients: usize,
    /// Work before the outage, during it, and after the recovery.
    pub before: Duration,
    pub outage: Duration,
    pub after: Duration,
    pub patience: Duration,
}

#[derive(Debug, Clone)]
pub struct PostgresFigures {
    pub clients: usize,
    pub outage: Duration,
    /// Units of work completed, by kind.
    pub units: BTreeMap<Unit, u64>,
    /// Units given up (a call answered neither OK nor UNAVAILABLE).
    pub failed_units: Vec<String>,
    /// What the calls answered during the outage, every try counted.
    pub during: Codes,
    /// From PostgreSQL back to the first call answered OK.
    pub recovery: Duration,
    pub invariants: Invariants,
}

impl PostgresFigures {
    /// UNAVAILABLE during the outage and nothing else failing; a recovery;
    /// the invariants hold.
    pub fn as_promised(&self) -> bool {
        self.during.of(Code::Unavailable) > 0
            && self.during.others_than(Code::Unavailable) == 0
            && self.failed_units.is_empty()
            && self.invariants.hold(RECEIVED)
    }
}

impl fmt::Display for PostgresFigures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "load: {} clients, each unit of work a stock reservation issued (parts), a warranty \
             claim drafted (costs, pricing at parts) or a survey taken by phone (surveys), \
             retried with its request_id while UNAVAILABLE",
            self.clients
        )?;
        writeln!(
            f,
            "outage: every PostgreSQL connection cut and new ones refused for {:.1} s",
            self.outage.as_secs_f64()
        )?;
        writeln!(f, "units done: {:?}", self.units)?;
        writeln!(f, "calls during the outage: {}", self.during)?;
        writeln!(
            f,
            "recovered: the first call answered OK {:.2} s after PostgreSQL was back; no service \
             restarted",
            self.recovery.as_secs_f64()
        )?;
        writeln!(f, "units given up: {}", self.failed_units.len())?;
        for failed in self.failed_units.iter().take(5) {
            writeln!(f, "  {failed}")?;
        }
        write!(f, "{}", self.invariants)
    }
}

pub async fn run(settings: &PostgresSettings) -> anyhow::Result<PostgresFigures> {
    anyhow::ensure!(settings.clients >= 1, "at least one client");
    let mut cluster = Cluster::new(&settings.binary, settings.patience)?;
    let proxy = Proxy::start(cluster.postgres_addr()?).await?;
    for service in SERVICES {
        cluster.migrate(service)?;
        cluster.database_through(service, proxy.addr());
        cluster.start(service).await?;
    }
    let work = Arc::new(Work::new(&cluster, settings.patience)?);
    let units = [Unit::Stock, Unit::Claim, Unit::Response];
    work.seed(&units).await?;

    let stop = Arc::new(AtomicBool::new(false));
    let next = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..settings.clients)
        .map(|_| {
            let (work, stop, next) = (work.clone(), stop.clone(), next.clone());
            tokio::spawn(async move {
                let mut done: BTreeMap<Unit, u64> = BTreeMap::new();
                let mut failed = Vec::new();
                while !stop.load(Ordering::SeqCst) {
                    let n = next.fetch_add(1, Ordering::SeqCst);
                    match work.one(n, &units).await {
                        Ok(unit) => *done.entry(unit).or_default() += 1,
                        Err(e) => failed.push(format!("{e:#}")),
                    }
                }
                (done, failed)
            })
        })
        .collect();

    // The phases of the load: these waits are its timeline, not readiness.
    tokio::time::sleep(settings.before).await;
    let codes_before = work.tally.codes();
    proxy.cut(NewConnections::Refuse);
    tokio::time::sleep(settings.outage).await;
    let codes_during = work.tally.codes();
    let ok_before = work.tally.ok();
    proxy.pass();
    let back = Instant::now();
    until(
        "a call answered OK after PostgreSQL came back",
        settings.patience,
        || async { Ok(work.tally.ok() > ok_before) },
    )
    .await?;
    let recovery = back.elapsed();
    tokio::time::sleep(settings.after).await;
    stop.store(true, Ordering::SeqCst);

    let mut units: BTreeMap<Unit, u64> = BTreeMap::new();
    let mut failed_units = Vec::new();
    for client in clients {
        let (done, failed) = client.await?;
        for (unit, n) in done {
            *units.entry(unit).or_default() += n;
        }
        failed_units.extend(failed);
    }
    let during = codes_during.since(&codes_before);
    let invariants = invariants::check(&cluster, &SERVICES).await?;
    Ok(PostgresFigures {
        clients: settings.clients,
        outage: settings.outage,
        units,
        failed_units,
        during,
        recovery,
        invariants,
    })
}
