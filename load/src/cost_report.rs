//! A dealer-year of cost entries: a million of them written into a fresh
//! costs database on PostgreSQL through the service's own bulk path
//! (`Costs::seed_cost_entries`: the rows, their tallies and alerts exactly
//! as CreateCostEntry writes them, tens of thousands a transaction), a
//! budget per category set through the API, then GetCostReport for the
//! dealer's year timed over gRPC on loopback TCP, one call after another and
//! from several clients at once. Beside it, the sum a report would cost if it
//! re-summed the entries.

use std::{
    fmt::Write,
    time::{Duration, Instant},
};

use aftercare_auth::{Principal, Scope, Secret, assertion::Signer};
use aftercare_costs::{
    Costs, CostsSettings,
    domain::{
        cost_entry::{Behaviour, Category, CostEntry},
        scope::Place,
    },
};
use aftercare_db::{Backend, Db, testing};
use aftercare_proto::{
    common::v1 as common,
    costs::v1::{self as pb, ScopeLevel, cost_control_service_client::CostControlServiceClient},
};
use aftercare_values::Period;
use anyhow::Context;
use tokio::net::TcpListener;
use tonic::{service::interceptor::InterceptedService, transport::Channel};

use crate::{latency::Latencies, report::ms, run::connect};

pub(crate) const DEALER: &str = "bench-dealer";
const REGION: &str = "bench-region";
const YEAR: i32 = 2026;

type Client = CostControlServiceClient<InterceptedService<Channel, Signer>>;

/// What to run.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub(crate) entries: usize,
    pub(crate) batch: usize,
    pub(crate) calls: usize,
    pub(crate) clients: usize,
}

/// What a run measured.
#[derive(Debug)]
pub(crate) struct Figures {
    database: String,
    entries: usize,
    seed: Duration,
    alone: Latencies,
    together: Latencies,
    together_wall: Duration,
    resum: Latencies,
    total_actual: i64,
    resummed: i64,
}

/// The entry number `i` of the dealer-year: its four stations, twelve
/// months and eleven categories in turn, amounts of 0.01 to 1,000.00.
fn entry(i: usize) -> CostEntry {
    let category = Category::ALL[i % 11];
    let behaviour = category.usual_behaviour();
    let amount = 1 + (i as i64).wrapping_mul(7_919) % 100_000;
    let station = i % 4 + 1;
    CostEntry {
        id: format!("ce-bench-{i:07}"),
        place: Place {
            station_id: format!("bench-s{station}"),
            dealer_id: DEALER.into(),
            region_id: REGION.into(),
        },
        month: Period::Month {
            year: YEAR,
            month: (i % 12) as u8 + 1,
        },
        category,
        behaviour,
        amount,
        fixed: if behaviour == Behaviour::Fixed {
            amount
        } else {
            0
        },
        driver: None,
        description: String::new(),
        created_by: "aftercare-load".into(),
        create_time: 1_767_225_600_000_000 + i as i64,
    }
}

fn dealer_year() -> pb::GetCostReportRequest {
    pb::GetCostReportRequest {
        scope: Some(pb::CostScope {
            level: ScopeLevel::Dealer as i32,
            id: DEALER.into(),
        }),
        period: Some(common::Period {
            kind: common::PeriodKind::Year as i32,
            year: YEAR,
            number: 0,
        }),
    }
}

pub(crate) async fn run(plan: &Plan, database_url: Option<String>) -> anyhow::Result<Figures> {
    let url = match database_url {
        Some(url) => url,
        None => {
            anyhow::ensure!(
                std::env::var_os(testing::POSTGRES_URL_VAR).is_some(),
                "needs --database-url or {} (scripts/bench-cost-report sets it)",
                testing::POSTGRES_URL_VAR
            );
            testing::fresh_url(Backend::Postgres)
        }
    };
    let db = Db::connect(&url, 16)
        .await
        .context("failed to connect to the costs database")?;
    Costs::migrate(&db).await?;
    let key = Secret::generate();
    let costs = Costs::new(&CostsSettings::default(), db.clone(), key.clone())?;

    eprintln!(
        "seeding {} cost entries of {DEALER} in {YEAR}",
        plan.entries
    );
    let started = Instant::now();
    let mut next = 0;
    while next < plan.entries {
        let end = (next + plan.batch).min(plan.entries);
        let batch: Vec<CostEntry> = (next..end).map(entry).collect();
        costs.seed_cost_entries(&batch).await?;
        next = end;
        if next % (plan.batch * 10) == 0 {
            eprintln!("  {next} written, {:.0} s", started.elapsed().as_secs_f64());
        }
    }
    let seed = started.elapsed();

    let built = costs.build().await;
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .context("failed to listen on loopback")?;
    let addr = listener.local_addr()?;
    tokio::spawn(aftercare_serving::serve(
        "costs",
        built.routes,
        listener,
        std::future::pending(),
    ));
    let channels = connect(&format!("http://{addr}"), plan.clients.max(1)).await?;
    let oem = Principal {
        subject: "aftercare-load".into(),
        scope: Scope::Oem,
    };
    let clients: Vec<Client> = channels
        .into_iter()
        .map(|c| {
            let signer = Signer {
                principal: oem.clone(),
                key: key.clone(),
            };
            CostControlServiceClient::with_interceptor(c, signer)
        })
        .collect();

    // A budget per category, through the API: the report's variance lines.
    let mut first = clients[0].clone();
    for (i, category) in Category::ALL.into_iter().enumerate().take(11) {
        first
            .set_budget(pb::SetBudgetRequest {
                budget: Some(pb::Budget {
                    scope: dealer_year().scope,
                    category: i as i32 + 1,
                    period: dealer_year().period,
                    amount: Some(common::Money {
                        currency_code: "EUR".into(),
                        minor_units: 450_000_000,
                    }),
                    ..Default::default()
                }),
                etag: String::new(),
                request_id: format!("bench-budget-{}", category.as_str()),
            })
            .await
            .with_context(|| format!("failed to set the {} budget", category.as_str()))?;
    }

    // Warm-up, then one call after another.
    let report = first.get_cost_report(dealer_year()).await?.into_inner();
    let total_actual = report.total_actual.map_or(0, |m| m.minor_units);
    let mut alone = Vec::with_capacity(plan.calls);
    for _ in 0..plan.calls {
        let t = Instant::now();
        first.get_cost_report(dealer_year()).await?;
        alone.push(t.elapsed().as_nanos() as u64);
    }

    // The same calls from every client at once.
    let per_client = plan.calls.div_ceil(clients.len());
    let wall = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for mut c in clients {
        tasks.spawn(async move {
            let mut samples = Vec::with_capacity(per_client);
            for _ in 0..per_client {
                let t = Instant::now();
                c.get_cost_report(dealer_year()).await?;
                samples.push(t.elapsed().as_nanos() as u64);
            }
            anyhow::Ok(samples)
        });
    }
    let mut together = Vec::new();
    for samples in tasks.join_all().await {
        together.push(samples?);
    }
    let together_wall = wall.elapsed();

    // What re-summing the entries would cost, for comparison.
    let mut resum = Vec::new();
    let mut resummed = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let (sum,): (i64,) = aftercare_db::sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM cost_entries \
             WHERE dealer_id = $1 AND month >= '2026-01' AND month <= '2026-12'",
        )
        .bind(DEALER)
        .fetch_one(db.pool())
        .await?;
        resum.push(t.elapsed().as_nanos() as u64);
        resummed = sum;
    }

    Ok(Figures {
        database: url.rsplit('/').next().unwrap_or_default().to_owned(),
        entries: plan.entries,
        seed,
        alone: Latencies::merge([alone]),
        together: Latencies::merge(together),
        together_wall,
        resum: Latencies::merge([resum]),
        total_actual,
        resummed,
    })
}

pub(crate) fn report(f: &Figures) -> String {
    let mut out = String::new();
    let line = |l: &Latencies| {
        format!(
            "{:>6} calls  p50 {:>8} ms  p99 {:>8} ms  max {:>8} ms",
            l.count(),
            ms(l.percentile(50.0), 3),
            ms(l.percentile(99.0), 3),
            ms(l.max(), 3)
        )
    };
    let _ = writeln!(out, "store: PostgreSQL, fresh database {}", f.database);
    let _ = writeln!(
        out,
        "seeded {} cost entries of one dealer-year in {:.1} s ({:.0} entries/s), with their tallies",
        f.entries,
        f.seed.as_secs_f64(),
        f.entries as f64 / f.seed.as_secs_f64().max(1e-9)
    );
    let _ = writeln!(
        out,
        "GetCostReport dealer/year over gRPC (loopback TCP), one at a time:  {}",
        line(&f.alone)
    );
    let rate = f.together.count() as f64 / f.together_wall.as_secs_f64().max(1e-9);
    let _ = writeln!(
        out,
        "GetCostReport dealer/year, clients at once ({rate:.0} calls/s):      {}",
        line(&f.together)
    );
    let _ = writeln!(
        out,
        "for comparison, re-summing the entries in SQL:                      {}",
        line(&f.resum)
    );
    let _ = writeln!(
        out,
        "report total {} = re-summed total {}: {}",
        f.total_actual,
        f.resummed,
        if f.total_actual == f.resummed {
            "equal"
        } else {
            "DIFFERENT"
        }
    );
    out
}
