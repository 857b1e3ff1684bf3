//! Redis gone under load: surveys keeps its league tables on Redis behind
//! a fault proxy; while clients take surveys by phone (each response
//! scored and moving the tables) and a reader reads the month's national
//! dealer table, the proxy cuts every connection and refuses new ones, as
//! a stopped Redis does. The reads must go on answering, from the
//! database, with the ranking the database gives; once Redis is back the
//! tables are rebuilt there and rank the same; and the aggregates count
//! every response acknowledged.

use std::{
    fmt,
    net::SocketAddr,
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use aftercare_auth::{assertion::Signer, testing as who};
use aftercare_faults::{NewConnections, Proxy};
use aftercare_proto::surveys::v1::{self as pb, league_service_client::LeagueServiceClient};
use anyhow::Context;
use tonic::Code;

use super::{
    cluster::{Cluster, Service, Signed},
    invariants::{self, Invariants},
    until,
    work::{Codes, Unit, Work, this_month},
};

#[derive(Debug, Clone)]
pub struct RedisSettings {
    pub binary: PathBuf,
    /// `redis://127.0.0.1:port` of the Redis the tables live on.
    pub redis_url: String,
    pub clients: usize,
    /// Responses before the outage, and during it.
    pub before: Duration,
    pub outage: Duration,
    pub patience: Duration,
}

/// A table as a reader sees it: each member's id, rank and sample.
pub type Ranking = Vec<(String, Option<i64>, Option<i64>)>;

#[derive(Debug, Clone)]
pub struct RedisFigures {
    pub clients: usize,
    pub outage: Duration,
    /// Responses acknowledged (taken by phone, OK).
    pub responses: u64,
    /// League reads during the outage: what they answered, and how many
    /// said they were served from the database.
    pub reads_during: Codes,
    pub from_database_during: u64,
    /// The table read from the database at the end of the outage, and
    /// from Redis once rebuilt.
    pub from_database: Ranking,
    pub from_redis: Ranking,
    /// From Redis back to the first read served from it again.
    pub rebuilt_after: Duration,
    pub invariants: Invariants,
}

impl RedisFigures {
    pub fn as_promised(&self) -> bool {
        let sampled: i64 = self.from_redis.iter().filter_map(|(_, _, n)| *n).sum();
        self.reads_during.of(Code::Ok) > 0
            && self.reads_during.others_than(Code::Ok) == 0
            // The one read in flight when Redis was cut may still have
            // come from it.
            && self.reads_during.of(Code::Ok) - self.from_database_during <= 1
            && self.from_database == self.from_redis
            && self.invariants.responses == self.responses as i64
            && self.invariants.aggregated == self.responses as i64
            && sampled == self.responses as i64
    }
}

impl fmt::Display for RedisFigures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "load: {} clients taking surveys by phone (each response scored and moving the league \
             tables), one reader reading the month's national dealer table by service index",
            self.clients
        )?;
        writeln!(
            f,
            "outage: every Redis connection cut and new ones refused for {:.1} s",
            self.outage.as_secs_f64()
        )?;
        writeln!(
            f,
            "league reads during the outage: {}; {} of them served from the database",
            self.reads_during, self.from_database_during
        )?;
        writeln!(
            f,
            "the table from the database at the outage's end and from Redis once rebuilt: {} \
             ({} members); rebuilt on Redis {:.2} s after it was back",
            if self.from_database == self.from_redis {
                "the same ranking"
            } else {
                "DIFFERENT rankings"
            },
            self.from_redis.len(),
            self.rebuilt_after.as_secs_f64()
        )?;
        writeln!(f, "responses acknowledged: {}", self.responses)?;
        write!(f, "{}", self.invariants)
    }
}

pub async fn run(settings: &RedisSettings) -> anyhow::Result<RedisFigures> {
    anyhow::ensure!(settings.clients >= 1, "at least one client");
    let redis: SocketAddr = settings
        .redis_url
        .trim_start_matches("redis://")
        .trim_end_matches('/')
        .parse()
        .with_context(|| format!("{} is not redis://127.0.0.1:port", settings.redis_url))?;
    let proxy = Proxy::start(redis).await?;
    let mut cluster = Cluster::new(&settings.binary, settings.patience)?;
    cluster.set("SURVEYS__REDIS_URL", format!("redis://{}", proxy.addr()));
    // Keys of this run's own: nothing else on that Redis is touched.
    let prefix = format!(
        "aftercare-fault-redis:{}:league:",
        uuid::Uuid::new_v4().simple()
    );
    cluster.set("SURVEYS__REDIS_KEY_PREFIX", prefix);
    // Ranked from one response; stale tables repaired every second.
    cluster.set("SURVEYS__LEAGUE_MIN_SAMPLE", "1");
    cluster.set("SURVEYS__LEAGUE_REPAIR_SECS", "1");
    cluster.migrate(Service::Surveys)?;
    cluster.start(Service::Surveys).await?;
    let work = Arc::new(Work::new(&cluster, settings.patience)?);
    work.seed(&[Unit::Response]).await?;
    let leagues = LeagueServiceClient::new(Signed::new(
        cluster.channel(Service::Surveys)?,
        Signer {
            principal: who::oem(),
            key: cluster.key().clone(),
        },
    ));
    let table = month_table()?;

    let writing = Arc::new(AtomicBool::new(true));
    let next = Arc::new(AtomicUsize::new(0));
    let writers: Vec<_> = (0..settings.clients)
        .map(|_| {
            let (work, writing, next) = (work.clone(), writing.clone(), next.clone());
            tokio::spawn(async move {
                let (mut done, mut failed) = (0u64, Vec::new());
                while writing.load(Ordering::SeqCst) {
                    let n = next.fetch_add(1, Ordering::SeqCst);
                    match work.one(n, &[Unit::Response]).await {
                        Ok(_) => done += 1,
                        Err(e) => failed.push(format!("{e:#}")),
                    }
                }
                (done, failed)
            })
        })
        .collect();
    let reader = Reader::spawn(leagues.clone(), table.clone());

    // The phases of the load: these waits are its timeline, not readiness.
    tokio::time::sleep(settings.before).await;
    proxy.cut(NewConnections::Refuse);
    let reads_before = reader.counts();
    tokio::time::sleep(settings.outage).await;
    writing.store(false, Ordering::SeqCst);
    let (mut responses, mut failed) = (0, Vec::new());
    for writer in writers {
        let (done, failures) = writer.await?;
        responses += done;
        failed.extend(failures);
    }
    anyhow::ensure!(
        failed.is_empty(),
        "responses failed: {:?}",
        &failed[..failed.len().min(5)]
    );
    let (from_database, served_from_database) = read(&mut leagues.clone(), &table).await?;
    anyhow::ensure!(
        served_from_database,
        "Redis is cut off, yet the table came from it"
    );
    let reads_during = reader.counts().since(&reads_before);
    proxy.pass();
    let back = Instant::now();
    let mut again = leagues.clone();
    until(
        "the table served from Redis again",
        settings.patience,
        || {
            let (mut again, table) = (again.clone(), table.clone());
            async move { Ok(!read(&mut again, &table).await?.1) }
        },
    )
    .await?;
    let rebuilt_after = back.elapsed();
    let (from_redis, _) = read(&mut again, &table).await?;
    reader.stop().await;
    let invariants = invariants::check(&cluster, &[Service::Surveys]).await?;
    Ok(RedisFigures {
        clients: settings.clients,
        outage: settings.outage,
        responses,
        reads_during: reads_during.codes,
        from_database_during: reads_during.from_database,
        from_database,
        from_redis,
        rebuilt_after,
        invariants,
    })
}

/// The national dealer table of the current month by service index.
fn month_table() -> anyhow::Result<pb::LeagueTableKey> {
    Ok(pb::LeagueTableKey {
        metric: pb::LeagueMetric::ServiceIndex as i32,
        region_id: String::new(),
        level: pb::LeagueLevel::Dealer as i32,
        period: Some(this_month()),
    })
}

/// The table's first page (the run's dealers fit on it), and whether it
/// was served from the database.
async fn read(
    leagues: &mut LeagueServiceClient<Signed>,
    table: &pb::LeagueTableKey,
) -> anyhow::Result<(Ranking, bool)> {
    let page = leagues
        .get_league_table(pb::GetLeagueTableRequest {
            table: Some(table.clone()),
            page_size: 100,
            page_token: String::new(),
        })
        .await
        .context("GetLeagueTable failed")?
        .into_inner();
    let ranking = page
        .entries
        .into_iter()
        .map(|e| (e.member_id, e.rank, e.sample_size))
        .collect();
    Ok((ranking, page.served_from_database))
}

/// A client reading the table over and over, counting what it answered.
struct Reader {
    codes: Arc<std::sync::Mutex<Codes>>,
    from_database: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

struct ReadCounts {
    codes: Codes,
    from_database: u64,
}

impl ReadCounts {
    fn since(&self, earlier: &ReadCounts) -> ReadCounts {
        ReadCounts {
            codes: self.codes.since(&earlier.codes),
            from_database: self.from_database - earlier.from_database,
        }
    }
}

impl Reader {
    fn spawn(leagues: LeagueServiceClient<Signed>, table: pb::LeagueTableKey) -> Self {
        let codes = Arc::new(std::sync::Mutex::new(Codes::default()));
        let from_database = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let task = tokio::spawn({
            let (codes, from_database, stop) = (codes.clone(), from_database.clone(), stop.clone());
            async move {
                while !stop.load(Ordering::SeqCst) {
                    let answer = leagues
                        .clone()
                        .get_league_table(pb::GetLeagueTableRequest {
                            table: Some(table.clone()),
                            page_size: 100,
                            page_token: String::new(),
                        })
                        .await;
                    let code = match &answer {
                        Ok(page) => {
                            if page.get_ref().served_from_database {
                                from_database.fetch_add(1, Ordering::SeqCst);
                            }
                            Code::Ok
                        }
                        Err(status) => status.code(),
                    };
                    codes.lock().expect("not poisoned").add(code);
                    // A reader's pace, leaving the writers the CPU.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
        });
        Self {
            codes,
            from_database,
            stop,
            task,
        }
    }

    fn counts(&self) -> ReadCounts {
        ReadCounts {
            codes: self.codes.lock().expect("not poisoned").clone(),
            from_database: self.from_database.load(Ordering::SeqCst),
        }
    }

    async fn stop(self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = self.task.await;
    }
}
