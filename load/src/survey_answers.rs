//! Survey responses ingested under load: each one answered through its
//! one-time link by an anonymous caller of the gateway
//! (SubmitSurveyResponse), checked, scored and stored with its aggregates,
//! and the live league tables of its month, quarter and year moved before
//! the answer returns.
//!
//! The setup is made as the system makes it: the template the invitations
//! ask (`after-sales`, the default of `surveys.invitation_template`)
//! created and published by head office through the gateway, then one
//! invitation per delivered RO received from the dealers relay
//! (ReceiveRepairOrderDelivered, straight to the surveys service, as the
//! relay calls it) and its link issued (IssueSurveyLink) for the token.
//! The ROs are spread over `dealers` dealers of two stations each in
//! `regions` regions, delivered between the start of the current month
//! (UTC, the default OEM offset) and now, so that every live table of the
//! month, its quarter and its year moves.
//!
//! Each call takes the next unused token; the answers vary with it, so that
//! scores differ from one response to the next. Every call made is counted,
//! warm-up included, so that after the run the responses stored and the
//! league tables' samples can be held against the calls that succeeded.

use std::{
    fmt::Write,
    sync::{
        Arc,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use aftercare_auth::{DEALERS_RELAY, Principal, Scope, Secret};
use aftercare_db::sqlx::{self, AnyConnection};
pub(crate) use aftercare_load::survey_form::answers;
use aftercare_load::survey_form::{civil, mix, version};
use aftercare_proto::{
    common::v1::{Period, PeriodKind},
    dealers::v1 as dealers_pb,
    surveys::v1::{
        self as pb, league_service_client::LeagueServiceClient,
        survey_invitation_service_client::SurveyInvitationServiceClient,
        survey_response_service_client::SurveyResponseServiceClient,
        survey_template_service_client::SurveyTemplateServiceClient,
    },
};
use anyhow::Context;
use futures::{StreamExt, TryStreamExt, future::BoxFuture, stream};
use tonic::{Status, service::interceptor::InterceptedService, transport::Channel};

use crate::{
    cpu,
    run::Outcome,
    scenarios::{Auth, Client, NewClient, head_office},
};

/// How many invitations, and where.
#[derive(Debug, Clone)]
pub(crate) struct Seed {
    /// The template the surveys service invites with.
    pub(crate) template: String,
    pub(crate) invitations: usize,
    /// Dealers of two stations each.
    pub(crate) dealers: usize,
    pub(crate) regions: usize,
    /// Invitations made at once.
    pub(crate) concurrency: usize,
}

/// The current month in UTC: its first instant and now, in seconds since
/// the epoch, and the periods a delivery in it falls in.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Month {
    pub(crate) start: i64,
    pub(crate) now: i64,
    pub(crate) year: i32,
    pub(crate) month: i32,
}

impl Month {
    pub(crate) fn current() -> anyhow::Result<Self> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .context("the clock is before 1970")?
            .as_secs() as i64;
        Ok(Self::of(now))
    }

    fn of(now: i64) -> Self {
        let (year, month, day) = civil(now.div_euclid(86_400));
        let start = now.div_euclid(86_400) * 86_400 - (i64::from(day) - 1) * 86_400;
        Self {
            start,
            now,
            year,
            month,
        }
    }

    /// The month, its quarter and its year.
    pub(crate) fn periods(&self) -> [Period; 3] {
        [
            Period {
                kind: PeriodKind::Month as i32,
                year: self.year,
                number: self.month,
            },
            Period {
                kind: PeriodKind::Quarter as i32,
                year: self.year,
                number: (self.month - 1) / 3 + 1,
            },
            Period {
                kind: PeriodKind::Year as i32,
                year: self.year,
                number: 0,
            },
        ]
    }

    /// The delivery time of RO `i`: from a hash of `i`, anywhere from the
    /// start of the month to a minute before now (its first minute on the
    /// 1st), so that the links answered first are not all of the first
    /// days.
    fn delivery(&self, i: usize) -> i64 {
        let span = (self.now - 60 - self.start).max(1) as u64;
        self.start + (mix(i as u64) % span) as i64
    }
}

/// The dealers service's outbox relay, as it calls for `dealer_id`.
fn relay(dealer_id: &str) -> Principal {
    Principal {
        subject: DEALERS_RELAY.into(),
        scope: Scope::Dms {
            dealer_id: dealer_id.into(),
        },
    }
}

/// Creates the template and publishes [`version`] as its first version,
/// through `gateway` as `head_office`.
pub(crate) async fn publish(
    gateway: Channel,
    head_office: Auth,
    template: &str,
) -> anyhow::Result<()> {
    let mut templates = SurveyTemplateServiceClient::with_interceptor(gateway, head_office);
    templates
        .create_survey_template(pb::CreateSurveyTemplateRequest {
            survey_template: Some(pb::SurveyTemplate {
                code: template.into(),
                display_name: "After-sales visit".into(),
                ..Default::default()
            }),
            request_id: String::new(),
        })
        .await
        .with_context(|| format!("CreateSurveyTemplate {template} failed"))?;
    templates
        .publish_survey_version(pb::PublishSurveyVersionRequest {
            template_code: template.into(),
            version: Some(version()),
            request_id: String::new(),
        })
        .await
        .with_context(|| format!("PublishSurveyVersion of {template} failed"))?;
    Ok(())
}

/// The event of RO `i`: dealer i mod dealers, its station (i / dealers)
/// mod 2, the dealer's region, two technicians.
fn delivered(seed: &Seed, month: &Month, i: usize) -> pb::ReceiveRepairOrderDeliveredRequest {
    let dealer = i % seed.dealers;
    let dealer_id = format!("rs-d-{dealer:05}");
    let station_id = format!("rs-s-{dealer:05}-{}", (i / seed.dealers) % 2);
    let line = |technician: usize| dealers_pb::LabourLine {
        technician_id: format!("rs-t-{dealer:05}-{technician}"),
        ..Default::default()
    };
    pb::ReceiveRepairOrderDeliveredRequest {
        event: Some(dealers_pb::RepairOrderDelivered {
            repair_order: Some(dealers_pb::RepairOrder {
                id: format!("rs-ro-{i:07}"),
                station_id,
                dealer_id: dealer_id.clone(),
                advisor_id: format!("rs-a-{dealer:05}-{}", i % 3),
                labour_lines: vec![line(i % 4), line((i + 1) % 4)],
                history: vec![dealers_pb::StatusChange {
                    status: dealers_pb::RepairOrderStatus::Delivered.into(),
                    time: Some(prost_types::Timestamp {
                        seconds: month.delivery(i),
                        nanos: 0,
                    }),
                    actor: "staff".into(),
                }],
                ..Default::default()
            }),
            region_id: format!("rs-region-{}", dealer % seed.regions),
            dealer_name: format!("Dealer {dealer}"),
            station_name: format!("Dealer {dealer}, station {}", (i / seed.dealers) % 2),
            // Surveys reads no vehicle.
            vehicle: None,
            locale: "zh-CN".into(),
        }),
        request_id: format!("rs-event-{i:07}"),
    }
}

/// What [`invite`] made.
#[derive(Debug, Clone)]
pub(crate) struct Invited {
    /// The link tokens, in RO order.
    pub(crate) tokens: Vec<String>,
    pub(crate) took: Duration,
}

/// Receives the delivered ROs of `seed` as the dealers relay, and issues
/// each invitation's link as head office, over `surveys` (the service's
/// own port; `key` signs the principals as the gateway would).
pub(crate) async fn invite(
    surveys: &[Channel],
    key: &Secret,
    seed: &Seed,
    month: &Month,
) -> anyhow::Result<Invited> {
    anyhow::ensure!(
        seed.dealers >= 1 && seed.regions >= 1 && !surveys.is_empty(),
        "invitations need a dealer, a region and a connection"
    );
    let started = Instant::now();
    let tokens: Vec<String> = stream::iter(0..seed.invitations)
        .map(|i| {
            let channel = surveys[i % surveys.len()].clone();
            let request = delivered(seed, month, i);
            async move {
                let dealer_id = request
                    .event
                    .as_ref()
                    .and_then(|e| e.repair_order.as_ref())
                    .map(|ro| ro.dealer_id.clone())
                    .unwrap_or_default();
                let invitation = SurveyInvitationServiceClient::with_interceptor(
                    channel.clone(),
                    Auth::signed(relay(&dealer_id), key.clone()),
                )
                .receive_repair_order_delivered(request)
                .await
                .with_context(|| format!("ReceiveRepairOrderDelivered of RO {i} failed"))?
                .into_inner();
                anyhow::ensure!(
                    invitation.version_number >= 1,
                    "invitation {} asks no published version",
                    invitation.id
                );
                let link = SurveyInvitationServiceClient::with_interceptor(
                    channel,
                    Auth::signed(head_office(), key.clone()),
                )
                .issue_survey_link(pb::IssueSurveyLinkRequest {
                    invitation_id: invitation.id.clone(),
                })
                .await
                .with_context(|| format!("IssueSurveyLink of {} failed", invitation.id))?;
                Ok(link.into_inner().link_token)
            }
        })
        .buffered(seed.concurrency.max(1))
        .try_collect()
        .await?;
    Ok(Invited {
        tokens,
        took: started.elapsed(),
    })
}

/// The tokens the clients share, and every call's outcome, warm-up and
/// all.
#[derive(Debug)]
pub(crate) struct Links {
    tokens: Vec<String>,
    next: AtomicUsize,
    stored: AtomicU64,
    failed: AtomicU64,
}

impl Links {
    pub(crate) fn new(tokens: Vec<String>) -> Arc<Self> {
        Arc::new(Self {
            tokens,
            next: AtomicUsize::new(0),
            stored: AtomicU64::new(0),
            failed: AtomicU64::new(0),
        })
    }

    /// Calls answered OK, from the first (the check before the run) on.
    pub(crate) fn stored(&self) -> u64 {
        self.stored.load(Ordering::Relaxed)
    }

    /// Calls that failed, other than for want of a token.
    pub(crate) fn failed(&self) -> u64 {
        self.failed.load(Ordering::Relaxed)
    }

    /// Tokens taken, used up or not.
    pub(crate) fn taken(&self) -> usize {
        self.next.load(Ordering::Relaxed).min(self.tokens.len())
    }

    pub(crate) fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Whether the clients ran out of tokens.
    pub(crate) fn exhausted(&self) -> bool {
        self.next.load(Ordering::Relaxed) > self.tokens.len()
    }
}

type Responses = SurveyResponseServiceClient<InterceptedService<Channel, Auth>>;

/// SubmitSurveyResponse of the next unused link, anonymously (no token):
/// answers one response before the run to be sure, then returns how each
/// client calls.
pub(crate) async fn prepare(setup: Channel, links: Arc<Links>) -> anyhow::Result<NewClient> {
    let mut first = Submit {
        client: SurveyResponseServiceClient::with_interceptor(setup, Auth::None),
        links: links.clone(),
    };
    first
        .call()
        .await
        .context("SubmitSurveyResponse fails before the run")?;
    Ok(Box::new(move |channel| {
        Box::new(Submit {
            client: SurveyResponseServiceClient::with_interceptor(channel, Auth::None),
            links: links.clone(),
        })
    }))
}

struct Submit {
    client: Responses,
    links: Arc<Links>,
}

impl Client for Submit {
    fn call(&mut self) -> BoxFuture<'_, Result<(), Status>> {
        let i = self.links.next.fetch_add(1, Ordering::Relaxed);
        let Some(token) = self.links.tokens.get(i) else {
            return Box::pin(async {
                // Not a busy loop that would hold its worker to the end.
                tokio::time::sleep(Duration::from_millis(10)).await;
                Err(Status::resource_exhausted(
                    "every link token was used: raise --invitations",
                ))
            });
        };
        let request = pb::SubmitSurveyResponseRequest {
            link_token: token.clone(),
            answers: answers(i),
        };
        Box::pin(async move {
            let result = self.client.submit_survey_response(request).await;
            let counter = match result {
                Ok(_) => &self.links.stored,
                Err(_) => &self.links.failed,
            };
            counter.fetch_add(1, Ordering::Relaxed);
            result.map(drop)
        })
    }
}

/// One table as head office reads it, all pages.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub(crate) period: Period,
    pub(crate) members: u64,
    pub(crate) ranked: i64,
    pub(crate) unranked: i64,
    /// The entries' sample sizes, summed.
    pub(crate) samples: i64,
    pub(crate) served_from_database: bool,
}

/// What the database and the tables hold after the run.
#[derive(Debug, Clone)]
pub(crate) struct Check {
    /// Calls answered OK, the one before the run and the warm-up included.
    pub(crate) stored_calls: u64,
    /// Rows of `survey_responses`.
    pub(crate) responses: i64,
    /// The `responses` of the dealer rows of `survey_aggregates`, summed.
    pub(crate) aggregated: i64,
    /// The national dealer tables by service index of the month, its
    /// quarter and its year.
    pub(crate) tables: Vec<Table>,
}

impl Check {
    /// Every figure equal to the calls that succeeded.
    pub(crate) fn consistent(&self) -> bool {
        let calls = self.stored_calls as i64;
        self.responses == calls
            && self.aggregated == calls
            && self.tables.iter().all(|t| t.samples == calls)
    }
}

/// Reads back what the run stored: the responses and the aggregates from
/// `db`, and the national dealer tables of `periods` through `gateway` as
/// `head_office`.
pub(crate) async fn check(
    db: &mut AnyConnection,
    gateway: Channel,
    head_office: Auth,
    links: &Links,
    periods: &[Period],
) -> anyhow::Result<Check> {
    let (responses,): (i64,) =
        sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM survey_responses")
            .fetch_one(&mut *db)
            .await
            .context("failed to count the responses")?;
    let (aggregated,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(responses), 0) AS BIGINT) FROM survey_aggregates \
         WHERE subject_kind = 'dealer'",
    )
    .fetch_one(&mut *db)
    .await
    .context("failed to sum the dealer aggregates")?;
    let mut leagues = LeagueServiceClient::with_interceptor(gateway, head_office);
    let mut tables = Vec::new();
    for period in periods {
        let mut table = Table {
            period: *period,
            members: 0,
            ranked: 0,
            unranked: 0,
            samples: 0,
            served_from_database: false,
        };
        let mut page_token = String::new();
        loop {
            let page = leagues
                .get_league_table(pb::GetLeagueTableRequest {
                    table: Some(pb::LeagueTableKey {
                        metric: pb::LeagueMetric::ServiceIndex as i32,
                        region_id: String::new(),
                        level: pb::LeagueLevel::Dealer as i32,
                        period: Some(*period),
                    }),
                    page_size: 1000,
                    page_token,
                })
                .await
                .context("GetLeagueTable failed after the run")?
                .into_inner();
            table.members += page.entries.len() as u64;
            table.samples += page
                .entries
                .iter()
                .map(|e| e.sample_size.unwrap_or(0))
                .sum::<i64>();
            table.ranked = page.ranked_count;
            table.unranked = page.unranked_count;
            table.served_from_database |= page.served_from_database;
            if page.next_page_token.is_empty() {
                break;
            }
            page_token = page.next_page_token;
        }
        tables.push(table);
    }
    Ok(Check {
        stored_calls: links.stored(),
        responses,
        aggregated,
        tables,
    })
}

/// The processes whose CPU time a run is charged with besides this one.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Servers {
    /// The PostgreSQL postmaster (its backends are its children).
    pub(crate) postgres: Option<u32>,
    pub(crate) redis: Option<u32>,
}

/// CPU time so far: this process's, and PostgreSQL's and Redis's where
/// their pids are known.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CpuClock {
    at: Instant,
    stored: u64,
    process: Option<Duration>,
    postgres: Option<Duration>,
    redis: Option<Duration>,
}

impl CpuClock {
    pub(crate) fn read(servers: Servers, links: &Links) -> Self {
        Self {
            at: Instant::now(),
            stored: links.stored(),
            process: cpu::process_time(),
            postgres: servers.postgres.and_then(cpu::tree_time),
            redis: servers.redis.and_then(cpu::tree_time),
        }
    }

    /// What was spent from `self` to `later`.
    pub(crate) fn until(&self, later: &CpuClock) -> CpuUse {
        let spent = |a: Option<Duration>, b: Option<Duration>| Some(b?.saturating_sub(a?));
        CpuUse {
            wall: later.at - self.at,
            responses: later.stored - self.stored,
            process: spent(self.process, later.process),
            postgres: spent(self.postgres, later.postgres),
            redis: spent(self.redis, later.redis),
        }
    }
}

/// CPU time spent over a stretch of the run (the warm-up and the window:
/// the servers' clocks cannot be read at the window's edges from here).
#[derive(Debug, Clone, Copy)]
pub(crate) struct CpuUse {
    pub(crate) wall: Duration,
    pub(crate) responses: u64,
    pub(crate) process: Option<Duration>,
    pub(crate) postgres: Option<Duration>,
    pub(crate) redis: Option<Duration>,
}

impl CpuUse {
    fn line(&self) -> String {
        let per = |d: Option<Duration>, name: &str| match d {
            Some(d) if self.responses > 0 => format!(
                "{name} {:.0} µs ({:.2} cores)",
                d.as_secs_f64() * 1e6 / self.responses as f64,
                d.as_secs_f64() / self.wall.as_secs_f64().max(1e-9)
            ),
            _ => format!("{name} -"),
        };
        format!(
            "cpu per response over the warm-up and the window ({} responses in {:.1} s): {}, {}, \
             {}",
            self.responses,
            self.wall.as_secs_f64(),
            per(self.process, "this process"),
            per(self.postgres, "PostgreSQL"),
            per(self.redis, "Redis"),
        )
    }
}

/// How a period reads in the report: 2026-11, 2026-Q4, 2026.
fn period_label(p: &Period) -> String {
    match PeriodKind::try_from(p.kind) {
        Ok(PeriodKind::Month) => format!("{}-{:02}", p.year, p.number),
        Ok(PeriodKind::Quarter) => format!("{}-Q{}", p.year, p.number),
        _ => p.year.to_string(),
    }
}

/// The rate against pgbench's (aim: half of it at least), and the check.
pub(crate) fn report(
    outcome: &Outcome,
    links: &Links,
    check: &Check,
    cpu: &CpuUse,
    pgbench_tps: Option<f64>,
) -> String {
    let mut out = String::new();
    let verdict = |met: bool| if met { "met" } else { "MISSED" };
    let rate = outcome.throughput();
    match pgbench_tps {
        Some(tps) if tps > 0.0 => {
            let ratio = rate / tps;
            let _ = writeln!(
                out,
                "responses stored/s {rate:.1} = {ratio:.3} × pgbench one-row UPDATE ({tps:.1} tps)   \
                 aim ≥ 0.5×: {}",
                verdict(ratio >= 0.5)
            );
        }
        _ => {
            let _ = writeln!(
                out,
                "responses stored/s {rate:.1}   (no --pgbench-tps; scripts/bench-responses \
                 measures it)"
            );
        }
    }
    let _ = writeln!(out, "{}", cpu.line());
    let _ = writeln!(
        out,
        "link tokens: {} of {} taken{}",
        links.taken(),
        links.len(),
        if links.exhausted() {
            " — RAN OUT: the clients waited for tokens; raise --invitations"
        } else {
            ""
        }
    );
    let equal = |n: i64| {
        if n == check.stored_calls as i64 {
            "equal"
        } else {
            "DIFFERENT"
        }
    };
    let _ = writeln!(
        out,
        "check: {} calls answered OK (the first before the run and the warm-up included), \
         {} failed; survey_responses holds {} ({}); the dealer aggregates count {} ({})",
        check.stored_calls,
        links.failed(),
        check.responses,
        equal(check.responses),
        check.aggregated,
        equal(check.aggregated),
    );
    for t in &check.tables {
        let _ = writeln!(
            out,
            "check: national dealer table by service index, {}: {} members ({} ranked, {} \
             unranked), samples summed {} ({}); {}",
            period_label(&t.period),
            t.members,
            t.ranked,
            t.unranked,
            t.samples,
            equal(t.samples),
            if t.served_from_database {
                "served from the DATABASE (the table store did not answer)"
            } else {
                "served from the table store"
            }
        );
    }
    let _ = writeln!(
        out,
        "check: {}",
        if check.consistent() {
            "every response stored, aggregated and in the tables"
        } else {
            "INCONSISTENT"
        }
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_month_starts_on_its_first_day() {
        // 2026-11-24 10:20:30 UTC.
        let m = Month::of(1_795_515_630);
        assert_eq!((m.year, m.month), (2026, 11));
        assert_eq!(m.start, 1_793_491_200); // 2026-11-01 00:00 UTC
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(11_016), (2000, 2, 29));
        let [month, quarter, year] = m.periods();
        assert_eq!((month.number, quarter.number, year.number), (11, 4, 0));
        for i in 0..1_000 {
            let t = m.delivery(i);
            assert!(t >= m.start && t < m.now, "{t}");
        }
    }

    #[test]
    fn answers_stay_on_their_scales_and_vary() {
        let all: Vec<Vec<pb::Answer>> = (0..200).map(answers).collect();
        for set in &all {
            assert_eq!(set.len(), version().questions.len());
            for a in set {
                let (lo, hi) = match a.question_id.as_str() {
                    "overall" => (1, 5),
                    "recommend" => (0, 10),
                    _ => (1, 7),
                };
                assert!((lo..=hi).contains(&a.value), "{a:?}");
            }
        }
        let overall: std::collections::BTreeSet<i32> =
            all.iter().map(|set| set[10].value).collect();
        assert_eq!(overall.len(), 5);
    }
}
