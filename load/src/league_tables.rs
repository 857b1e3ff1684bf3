//! The surveys league tables at size: a million responses' day aggregates
//! written straight into `survey_aggregates` (PostgreSQL) for a month, once
//! spread over 1,000 dealers and once over 100,000, then the month's tables
//! rebuilt through the gateway (RebuildLeagueTables, head office) and the
//! top 50 of a national dealer table read under load (GetLeagueTable).
//!
//! The rows are shaped as `store::aggregates` writes them for each response
//! (one station per dealer): a `station` row (station, dealer and region
//! set), a `dealer` row (station empty) and a `region` row (station and
//! dealer empty) per day with responses, each holding the day's sums. The
//! advisor and technician rows and the per-dimension sums are left out:
//! the league tables read only the dealer and station rows (and the
//! network's dealer rows for the prior).
//!
//! A million responses: dealer i has r(i) responses in the month, the mean
//! m = responses / dealers plus or minus a hashed spread that cancels
//! pairwise (dealer 2k gets m + s(k), dealer 2k + 1 gets m − s(k), with
//! 0 ≤ s(k) < m), so that every dealer has at least one, sample sizes run
//! from 1 to 2m − 1, and the `responses` column of the dealer rows sums to
//! exactly `responses`. A dealer's responses fall on min(r, 28) days of the
//! month, as evenly as whole numbers allow. Each dealer has its own rates
//! from a hash of its number: top-two-box 55–99 %, promoters 30–89 %, a
//! service index of 450–999, a weighted gap of −0.2 to −2.7 points.

use std::{
    fmt::Write,
    time::{Duration, Instant},
};

use aftercare_db::sqlx::{self, AnyConnection, Connection};
use aftercare_proto::{
    common::v1::{Period, PeriodKind},
    surveys::v1::{
        GetLeagueTableRequest, LeagueLevel, LeagueMetric, LeagueTableKey,
        RebuildLeagueTablesRequest, league_service_client::LeagueServiceClient,
    },
};
use anyhow::Context;
use futures::future::BoxFuture;
use tonic::{Status, service::interceptor::InterceptedService, transport::Channel};

use crate::{
    report::ms,
    run::Outcome,
    scenarios::{Auth, Client, NewClient},
};

/// One size seeded: `dealers` dealers (one station each) over `regions`
/// regions, holding `responses` responses in `month` (a month of 2026).
#[derive(Debug, Clone)]
pub(crate) struct Seed {
    pub(crate) dealers: i64,
    pub(crate) responses: i64,
    pub(crate) regions: i64,
    /// 1 to 12, of 2026.
    pub(crate) month: i32,
}

impl Seed {
    /// The ids' prefix, telling the sizes apart.
    pub(crate) fn prefix(&self) -> String {
        format!("lg{}", self.dealers)
    }

    pub(crate) fn period(&self) -> Period {
        Period {
            kind: PeriodKind::Month as i32,
            year: 2026,
            number: self.month,
        }
    }

    fn first_day(&self) -> String {
        format!("2026-{:02}-01", self.month)
    }

    fn days(&self) -> i64 {
        match self.month {
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    /// Responses per dealer, the mean: the responses must divide evenly.
    pub(crate) fn mean(&self) -> anyhow::Result<i64> {
        anyhow::ensure!(
            self.dealers >= 1 && self.regions >= 1,
            "a league seed needs a dealer and a region"
        );
        anyhow::ensure!(
            self.responses >= self.dealers && self.responses % self.dealers == 0,
            "{} responses do not share evenly among {} dealers",
            self.responses,
            self.dealers
        );
        anyhow::ensure!((1..=12).contains(&self.month), "the month must be 1 to 12");
        Ok(self.responses / self.dealers)
    }
}

/// What [`seed`] wrote.
#[derive(Debug, Clone)]
pub(crate) struct Seeded {
    pub(crate) dealers: i64,
    /// The `responses` of the dealer rows, summed back from the database.
    pub(crate) responses: i64,
    /// Rows of `survey_aggregates` written (dealer, station and region).
    pub(crate) rows: u64,
    pub(crate) took: Duration,
}

/// Writes the dealer and station day rows of `seed`, then the region rows
/// summed from them, then ANALYZE.
pub(crate) async fn seed(db: &mut AnyConnection, seed: &Seed) -> anyhow::Result<Seeded> {
    anyhow::ensure!(
        db.backend_name() == "PostgreSQL",
        "the league seed is written for PostgreSQL, not {}",
        db.backend_name()
    );
    let mean = seed.mean()?;
    let started = Instant::now();
    let prefix = seed.prefix();
    let mut tx = db.begin().await?;
    let mut rows = sqlx::query(MEMBER_ROWS)
        .bind(prefix.clone())
        .bind(seed.dealers)
        .bind(mean)
        .bind(seed.first_day())
        .bind(seed.days())
        .bind(seed.regions)
        .execute(&mut *tx)
        .await
        .context("failed to write the dealer and station rows")?
        .rows_affected();
    rows += sqlx::query(REGION_ROWS)
        .bind(format!("{prefix}-d-%"))
        .execute(&mut *tx)
        .await
        .context("failed to write the region rows")?
        .rows_affected();
    let (responses,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(responses), 0) AS BIGINT) FROM survey_aggregates \
         WHERE subject_kind = 'dealer' AND subject_id LIKE $1",
    )
    .bind(format!("{prefix}-d-%"))
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    sqlx::query("ANALYZE survey_aggregates")
        .execute(&mut *db)
        .await?;
    Ok(Seeded {
        dealers: seed.dealers,
        responses,
        rows,
        took: started.elapsed(),
    })
}

/// $1 prefix, $2 dealers, $3 mean responses, $4 the month's first day,
/// $5 its days, $6 regions. Dealer i: r responses (see the module), on
/// d = min(r, 28) distinct days (day (i + j·days/d) mod days for j < d),
/// c of them on each; the day's sums from the dealer's rates (h2).
const MEMBER_ROWS: &str = "WITH dealer AS ( \
       SELECT i, i * 40503 % 1000003 AS h2, \
         CASE WHEN i % 2 = 1 THEN $3 - (i / 2) * 2654435761 % 1000003 % $3 \
           WHEN i = $2 - 1 THEN $3 ELSE $3 + (i / 2) * 2654435761 % 1000003 % $3 END AS r, \
         $1 || '-d-' || LPAD(CAST(i AS TEXT), 6, '0') AS dealer_id, \
         $1 || '-s-' || LPAD(CAST(i AS TEXT), 6, '0') AS station, \
         $1 || '-region-' || CAST(i % $6 AS TEXT) AS region_id \
       FROM generate_series(CAST(0 AS BIGINT), $2 - 1) AS i), \
     days AS ( \
       SELECT d.*, j, d.r / LEAST(d.r, 28) + CASE WHEN j < d.r % LEAST(d.r, 28) THEN 1 ELSE 0 END AS c, \
         to_char(CAST($4 AS DATE) + CAST((d.i + j * $5 / LEAST(d.r, 28)) % $5 AS INT), 'YYYY-MM-DD') AS day \
       FROM dealer d, LATERAL generate_series(CAST(0 AS BIGINT), LEAST(d.r, 28) - 1) AS j), \
     sums AS ( \
       SELECT days.*, c * (55 + h2 % 45) / 100 AS top2, c * (30 + h2 % 60) / 100 AS promoters, \
         c * (450 + h2 % 550) + j % 7 AS index_sum, -(c * (200 + h2 % 2500)) AS gap_sum \
       FROM days), \
     member AS ( \
       SELECT 'dealer' AS kind, dealer_id AS id, '' AS station_id, sums.* FROM sums \
       UNION ALL SELECT 'station', station, station, sums.* FROM sums) \
     INSERT INTO survey_aggregates (subject_kind, subject_id, day, station_id, dealer_id, \
       region_id, responses, satisfaction_sum, satisfaction_n, promoters, passives, detractors, \
       service_index_sum, service_index_n, unweighted_gap_sum, unweighted_gap_n, \
       weighted_gap_sum, weighted_gap_n) \
     SELECT kind, id, day, station_id, dealer_id, region_id, c, top2, c, promoters, \
       c - promoters - (c - promoters) * (10 + h2 % 7 * 5) / 100, \
       (c - promoters) * (10 + h2 % 7 * 5) / 100, index_sum, c, gap_sum * 9 / 10, c, gap_sum, c \
     FROM member";

/// The region rows: per region and day, the sums of its dealer rows ($1
/// the dealer ids' LIKE pattern).
const REGION_ROWS: &str = "INSERT INTO survey_aggregates (subject_kind, subject_id, day, \
     station_id, dealer_id, region_id, responses, satisfaction_sum, satisfaction_n, promoters, \
     passives, detractors, service_index_sum, service_index_n, unweighted_gap_sum, \
     unweighted_gap_n, weighted_gap_sum, weighted_gap_n) \
     SELECT 'region', region_id, day, '', '', region_id, SUM(responses), SUM(satisfaction_sum), \
     SUM(satisfaction_n), SUM(promoters), SUM(passives), SUM(detractors), SUM(service_index_sum), \
     SUM(service_index_n), SUM(unweighted_gap_sum), SUM(unweighted_gap_n), SUM(weighted_gap_sum), \
     SUM(weighted_gap_n) FROM survey_aggregates WHERE subject_kind = 'dealer' AND subject_id LIKE $1 \
     GROUP BY region_id, day";

/// What a rebuild did and took.
#[derive(Debug, Clone)]
pub(crate) struct Rebuild {
    pub(crate) tables: i64,
    pub(crate) took: Duration,
}

/// RebuildLeagueTables of `period` through `gateway` as head office, with a
/// deadline of a minute (the gateway's longest).
pub(crate) async fn rebuild(
    gateway: Channel,
    head_office: Auth,
    period: Period,
) -> anyhow::Result<Rebuild> {
    let mut client = LeagueServiceClient::with_interceptor(gateway, head_office);
    let mut request = tonic::Request::new(RebuildLeagueTablesRequest {
        period: Some(period),
    });
    request.set_timeout(Duration::from_secs(60));
    let started = Instant::now();
    let answer = client
        .rebuild_league_tables(request)
        .await
        .context("RebuildLeagueTables failed")?
        .into_inner();
    Ok(Rebuild {
        tables: answer.tables_rebuilt,
        took: started.elapsed(),
    })
}

/// The table read: national, dealers, by service index.
pub(crate) fn top(period: Period) -> GetLeagueTableRequest {
    GetLeagueTableRequest {
        table: Some(LeagueTableKey {
            metric: LeagueMetric::ServiceIndex as i32,
            region_id: String::new(),
            level: LeagueLevel::Dealer as i32,
            period: Some(period),
        }),
        page_size: 50,
        page_token: String::new(),
    }
}

/// GetLeagueTable of the top 50 of `period`'s table.
#[derive(Debug, Clone)]
pub(crate) struct Top {
    pub(crate) period: Period,
}

/// The table's size and where it was read from, as the check call saw it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Checked {
    pub(crate) ranked: i64,
    pub(crate) unranked: i64,
    pub(crate) served_from_database: bool,
}

type Leagues = LeagueServiceClient<InterceptedService<Channel, Auth>>;

impl Top {
    /// Reads the page once to be sure (50 entries), then returns how each
    /// client reads it with `auth`.
    pub(crate) async fn prepare(
        &self,
        setup: Channel,
        auth: Auth,
    ) -> anyhow::Result<(NewClient, Checked)> {
        let request = top(self.period);
        let page = LeagueServiceClient::with_interceptor(setup, auth.clone())
            .get_league_table(request.clone())
            .await
            .context("GetLeagueTable fails before the run")?
            .into_inner();
        anyhow::ensure!(
            page.entries.len() == 50,
            "the top 50 holds {} entries",
            page.entries.len()
        );
        let checked = Checked {
            ranked: page.ranked_count,
            unranked: page.unranked_count,
            served_from_database: page.served_from_database,
        };
        let new_client: NewClient = Box::new(move |channel| {
            Box::new(ReadTop {
                client: LeagueServiceClient::with_interceptor(channel, auth.clone()),
                request: request.clone(),
            })
        });
        Ok((new_client, checked))
    }
}

struct ReadTop {
    client: Leagues,
    request: GetLeagueTableRequest,
}

impl Client for ReadTop {
    fn call(&mut self) -> BoxFuture<'_, Result<(), Status>> {
        let request = self.request.clone();
        Box::pin(async move { self.client.get_league_table(request).await.map(drop) })
    }
}

/// One size's figures.
#[derive(Debug, Clone)]
pub(crate) struct Size {
    pub(crate) seeded: Seeded,
    pub(crate) rebuild: Rebuild,
    pub(crate) checked: Checked,
    pub(crate) reads: Outcome,
}

/// The aims: the rebuild of a million responses in 10 s at most, the top
/// 50's p99 within 30 % from the smallest table to the largest, and
/// (given redis-benchmark's ZREVRANGE rate) gateway reads at a quarter of
/// it at least. The reads' CPU per call is this process's (clients,
/// gateway and service together), Redis's own not in it.
pub(crate) fn report(sizes: &[Size], zrevrange_rps: Option<f64>) -> String {
    let mut out = String::new();
    let verdict = |met: bool| if met { "met" } else { "MISSED" };
    let _ = writeln!(
        out,
        "{:>8}  {:>9}  {:>9}  {:>8}  {:>9}  {:>6}  {:>9}  {:>8}  {:>8}  {:>6}  {:>11}",
        "dealers",
        "responses",
        "rows",
        "seed s",
        "rebuild s",
        "tables",
        "top50 r/s",
        "p50 ms",
        "p99 ms",
        "errors",
        "cpu µs/call"
    );
    for s in sizes {
        let l = &s.reads.latencies;
        let _ = writeln!(
            out,
            "{:>8}  {:>9}  {:>9}  {:>8.1}  {:>9.2}  {:>6}  {:>9.0}  {:>8}  {:>8}  {:>6}  {:>11}",
            s.seeded.dealers,
            s.seeded.responses,
            s.seeded.rows,
            s.seeded.took.as_secs_f64(),
            s.rebuild.took.as_secs_f64(),
            s.rebuild.tables,
            s.reads.throughput(),
            ms(l.percentile(50.0), 2),
            ms(l.percentile(99.0), 2),
            s.reads.error_count(),
            s.reads
                .cpu_per_call()
                .map_or_else(|| "-".to_owned(), |d| d.as_micros().to_string()),
        );
    }
    for s in sizes {
        let c = s.checked;
        let _ = writeln!(
            out,
            "{} dealers: table {} ranked + {} unranked; {}",
            s.seeded.dealers,
            c.ranked,
            c.unranked,
            if c.served_from_database {
                "served from the DATABASE (the table store did not answer)"
            } else {
                "served from the table store"
            }
        );
    }
    for s in sizes {
        let took = s.rebuild.took;
        let _ = writeln!(
            out,
            "rebuild of {} responses over {} dealers: {:.2} s   aim ≤ 10 s: {}",
            s.seeded.responses,
            s.seeded.dealers,
            took.as_secs_f64(),
            verdict(took <= Duration::from_secs(10))
        );
    }
    if let (Some(small), Some(large)) = (sizes.first(), sizes.last())
        && sizes.len() > 1
        && let (Some(a), Some(b)) = (
            small.reads.latencies.percentile(99.0),
            large.reads.latencies.percentile(99.0),
        )
    {
        let ratio = b.as_secs_f64() / a.as_secs_f64();
        let _ = writeln!(
            out,
            "top-50 p99, {} dealers over {}: {:.2}×   aim within 30 % (≤ 1.30×): {}",
            large.seeded.dealers,
            small.seeded.dealers,
            ratio,
            verdict(ratio <= 1.30)
        );
    }
    if let Some(rps) = zrevrange_rps
        && rps > 0.0
    {
        for s in sizes {
            let ratio = s.reads.throughput() / rps;
            let _ = writeln!(
                out,
                "top-50 reads/s through the gateway, {} dealers: {:.0} = {:.3} × redis-benchmark \
                 ZREVRANGE 0 49 ({rps:.0} req/s)   aim ≥ 0.25×: {}",
                s.seeded.dealers,
                s.reads.throughput(),
                ratio,
                verdict(ratio >= 0.25)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed(dealers: i64) -> Seed {
        Seed {
            dealers,
            responses: 1_000_000,
            regions: 1,
            month: 1,
        }
    }

    /// The seed's r(i), as the SQL computes it, sums to the responses.
    #[test]
    fn the_spread_of_sample_sizes_keeps_the_total() {
        for dealers in [1_000, 100_000, 999_999 / 9] {
            let s = Seed {
                responses: dealers * (1_000_000 / dealers),
                ..seed(dealers)
            };
            let m = s.mean().unwrap();
            let r = |i: i64| {
                let spread = (i / 2) * 2_654_435_761 % 1_000_003 % m;
                if i % 2 == 1 {
                    m - spread
                } else if i == dealers - 1 {
                    m
                } else {
                    m + spread
                }
            };
            let all: Vec<i64> = (0..dealers).map(r).collect();
            assert_eq!(all.iter().sum::<i64>(), s.responses);
            assert!(all.iter().all(|&n| n >= 1 && n < 2 * m));
        }
    }

    #[test]
    fn responses_that_do_not_share_evenly_are_refused() {
        assert_eq!(seed(1_000).mean().unwrap(), 1_000);
        assert_eq!(seed(100_000).mean().unwrap(), 10);
        assert!(seed(3).mean().is_err());
        assert!(seed(2_000_000).mean().is_err());
    }
}
