//! A service slowed beyond its callers' deadlines: parts behind a fault
//! proxy that holds every chunk each way for longer than the deadlines of
//! those who call it. A caller of parts through the gateway gets
//! DEADLINE_EXCEEDED at the gateway's deadline; costs, drafting warranty
//! claims, reads parts under its check deadline before it opens its
//! transaction, so no transaction stays open waiting for parts
//! (PostgreSQL's `pg_stat_activity` is sampled for the oldest 'idle in
//! transaction' meanwhile); the dealer scorecard, gathered by surveys, names
//! parts' parts missing.

use std::{
    fmt,
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::Duration,
};

use aftercare_auth::{assertion::Signer, testing as who};
use aftercare_db::{Db, sqlx};
use aftercare_faults::{Latency, Proxy};
use aftercare_proto::{
    parts::v1::{self as parts_pb, stock_service_client::StockServiceClient},
    surveys::v1::{self as pb, dealer_scorecard_service_client::DealerScorecardServiceClient},
};
use anyhow::Context;
use tonic::Code;

use super::{
    cluster::{Cluster, Service, Signed, channel_to},
    work::{self, Unit, Work},
};

#[derive(Debug, Clone)]
pub struct SlowSettings {
    pub binary: PathBuf,
    /// The callers' deadline (the scorecard's and the claim checks'), and
    /// what parts is slowed by, each way.
    pub deadline: Duration,
    pub latency: Duration,
    /// Warranty claims drafted while parts is slow, this many at once.
    pub claims: usize,
    pub clients: usize,
    /// The PostgreSQL server's URL, for `pg_stat_activity`.
    pub postgres_url: String,
    pub patience: Duration,
}

#[derive(Debug, Clone)]
pub struct SlowFigures {
    pub deadline: Duration,
    pub latency: Duration,
    /// What a caller of parts through the gateway, given the deadline as
    /// the gateway's default, got, and how long it waited.
    pub direct: Code,
    pub direct_took: Duration,
    /// Why the scorecard's fill rate (parts') was missing with parts fast
    /// (empty when present), then slow.
    pub fill_rate_before: String,
    pub fill_rate_slow: String,
    pub claims: usize,
    /// What the claim calls answered.
    pub claim_codes: work::Codes,
    /// The oldest 'idle in transaction' seen while claims were drafted.
    pub longest_idle_in_transaction: Duration,
    pub samples: u64,
}

impl SlowFigures {
    pub fn as_promised(&self) -> bool {
        // Cut at the deadline, not when parts answered.
        self.direct == Code::DeadlineExceeded
            && self.direct_took < self.deadline + self.latency
            && !self.fill_rate_before.contains("did not answer")
            && self.fill_rate_slow.contains("did not answer")
            && self.claim_codes.of(Code::Ok) == self.claims as u64
            && self.claim_codes.others_than(Code::Ok) == 0
            && self.longest_idle_in_transaction < self.deadline
    }
}

impl fmt::Display for SlowFigures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "fault: parts behind a proxy holding every chunk {:.1} s each way; the callers' \
             deadline {:.1} s",
            self.latency.as_secs_f64(),
            self.deadline.as_secs_f64()
        )?;
        writeln!(
            f,
            "a caller of parts through the gateway (GetStockLevel, the deadline as the \
             gateway's default): {:?} after {:.2} s",
            self.direct,
            self.direct_took.as_secs_f64()
        )?;
        writeln!(
            f,
            "the dealer scorecard's fill rate (parts): with parts fast {:?}; with parts slow \
             missing, {:?}",
            self.fill_rate_before, self.fill_rate_slow
        )?;
        writeln!(
            f,
            "warranty claims drafted by costs meanwhile: {} ({})",
            self.claims, self.claim_codes
        )?;
        write!(
            f,
            "the oldest 'idle in transaction' in pg_stat_activity meanwhile: {:.3} s ({} samples)",
            self.longest_idle_in_transaction.as_secs_f64(),
            self.samples
        )
    }
}

pub async fn run(settings: &SlowSettings) -> anyhow::Result<SlowFigures> {
    let mut cluster = Cluster::new(&settings.binary, settings.patience)?;
    let proxy = Proxy::start(cluster.addr(Service::Parts)).await?;
    cluster.route(Service::Parts, proxy.addr());
    let deadline_ms = settings.deadline.as_millis().to_string();
    cluster.set("SURVEYS__SCORECARD_DEADLINE_MS", deadline_ms.clone());
    cluster.set("SURVEYS__PEER_DEADLINE_MS", deadline_ms.clone());
    cluster.set("COSTS__CHECK_DEADLINE_MS", deadline_ms.clone());
    cluster.set("GATEWAY__DEFAULT_DEADLINE_MS", deadline_ms);
    for service in [
        Service::Parts,
        Service::Dealers,
        Service::Costs,
        Service::Surveys,
    ] {
        cluster.migrate(service)?;
        cluster.start(service).await?;
    }
    cluster.start(Service::Gateway).await?;
    let token = cluster.token(&["--role", "dealer", "--dealer", &work::dealer(0)])?;
    let work = Arc::new(Work::new(&cluster, settings.patience)?);
    work.seed(&[Unit::Claim]).await?;
    let signed = |channel, principal| {
        Signed::new(
            channel,
            Signer {
                principal,
                key: cluster.key().clone(),
            },
        )
    };
    let mut scorecards =
        DealerScorecardServiceClient::new(signed(cluster.channel(Service::Surveys)?, who::oem()));
    let fill_rate_before = fill_rate(&mut scorecards).await?;

    proxy.delay(Latency::both(settings.latency));
    let mut through_gateway = StockServiceClient::new(channel_to(cluster.addr(Service::Gateway))?);
    let mut request = tonic::Request::new(parts_pb::GetStockLevelRequest {
        warehouse_id: work::WAREHOUSE.into(),
        part_number: work::PART.into(),
    });
    // No deadline of its own: the gateway gives it its default. (A tonic
    // client with its own deadline cuts the call itself when it passes, and
    // reports that as CANCELLED whatever the server answers.)
    request
        .metadata_mut()
        .insert("authorization", format!("Bearer {token}").parse()?);
    let calling = std::time::Instant::now();
    let direct = match through_gateway.get_stock_level(request).await {
        Ok(_) => Code::Ok,
        Err(status) => status.code(),
    };
    let direct_took = calling.elapsed();
    let fill_rate_slow = fill_rate(&mut scorecards).await?;

    let postgres = Db::connect(&settings.postgres_url, 1).await?;
    let sampling = Arc::new(AtomicBool::new(true));
    let sampler = tokio::spawn(sample(postgres.clone(), sampling.clone()));
    let next = Arc::new(AtomicUsize::new(0));
    let drafters: Vec<_> = (0..settings.clients)
        .map(|_| {
            let (work, next, claims) = (work.clone(), next.clone(), settings.claims);
            tokio::spawn(async move {
                let mut failed = Vec::new();
                loop {
                    let n = next.fetch_add(1, Ordering::SeqCst);
                    if n >= claims {
                        return failed;
                    }
                    if let Err(e) = work.one(n, &[Unit::Claim]).await {
                        failed.push(format!("{e:#}"));
                    }
                }
            })
        })
        .collect();
    for drafter in drafters {
        let failed = drafter.await?;
        anyhow::ensure!(failed.is_empty(), "claims failed: {failed:?}");
    }
    sampling.store(false, Ordering::SeqCst);
    let (longest, samples) = sampler.await??;
    postgres.close().await;
    proxy.pass();
    Ok(SlowFigures {
        deadline: settings.deadline,
        latency: settings.latency,
        direct,
        direct_took,
        fill_rate_before,
        fill_rate_slow,
        claims: settings.claims,
        claim_codes: work.tally.codes(),
        longest_idle_in_transaction: longest,
        samples,
    })
}

/// The scorecard of the runs' first dealer: why its fill rate (parts'
/// part) is missing, empty when it is not.
async fn fill_rate(
    scorecards: &mut DealerScorecardServiceClient<Signed>,
) -> anyhow::Result<String> {
    let card = scorecards
        .get_dealer_scorecard(pb::GetDealerScorecardRequest {
            dealer_id: work::dealer(0),
            period: Some(work::this_month()),
        })
        .await
        .context("GetDealerScorecard failed")?
        .into_inner();
    Ok(card
        .sections
        .iter()
        .find(|s| s.part == pb::ScorecardPart::FillRate as i32)
        .map(|s| s.missing_reason.clone())
        .unwrap_or_default())
}

/// Samples the oldest 'idle in transaction' of the whole server every
/// 20 ms until told to stop; the longest seen and the samples taken.
async fn sample(db: Db, sampling: Arc<AtomicBool>) -> anyhow::Result<(Duration, u64)> {
    let (mut longest, mut samples) = (0f64, 0u64);
    while sampling.load(Ordering::SeqCst) {
        let (age,): (f64,) = sqlx::query_as(
            "SELECT CAST(COALESCE(MAX(EXTRACT(EPOCH FROM (now() - state_change))), 0) AS FLOAT8) \
             FROM pg_stat_activity WHERE state = 'idle in transaction'",
        )
        .fetch_one(db.pool())
        .await?;
        longest = longest.max(age);
        samples += 1;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok((Duration::from_secs_f64(longest), samples))
}
