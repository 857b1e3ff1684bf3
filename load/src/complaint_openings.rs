//! Complaints opened under load through the gateway (OpenComplaint), for
//! `complaints`: each client is the staff of one dealer, at one of its
//! stations, and opens one complaint at a time with a fresh request_id —
//! either naming the station, or naming one of the station's delivered ROs
//! (then surveys reads the RO from dealers, signed as the caller, before its
//! transaction). Then the numbers are read back from the surveys database:
//! each month's `CP-YYYYMM-NNNN` must run 1..N with no gap and no duplicate.
//!
//! Also the closed loop's tally after a run, for `responses`: what waits in
//! the surveys outbox as `survey.low_score`, and the complaints low scores
//! opened.

use std::{
    collections::BTreeMap,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use aftercare_db::{
    Db,
    sqlx::{self, AnyConnection},
};
use aftercare_proto::surveys::v1::{self as pb, complaint_service_client::ComplaintServiceClient};
use anyhow::Context;
use futures::future::BoxFuture;
use tonic::{Status, service::interceptor::InterceptedService, transport::Channel};

use crate::{
    scenarios::{Auth, Client, NewClient},
    workshop::Bay,
};

type Complaints = ComplaintServiceClient<InterceptedService<Channel, Auth>>;

/// What an opening names.
#[derive(Debug, Clone)]
pub(crate) enum About {
    /// The station alone.
    Station,
    /// Delivered ROs, each with the index of its bay: a client takes its
    /// bay's in turn.
    RepairOrders(Arc<Vec<(String, usize)>>),
}

/// Opens one complaint, to be sure the calls work, then gives each client
/// the next bay in turn.
pub(crate) async fn prepare(
    setup: Channel,
    bays: Arc<Vec<Bay>>,
    about: About,
) -> anyhow::Result<NewClient> {
    anyhow::ensure!(!bays.is_empty(), "no station to open complaints at");
    let mut first = Open::new(setup, bays.clone(), &about, 0);
    first
        .call()
        .await
        .context("OpenComplaint failed before the run")?;
    let next = AtomicUsize::new(1);
    Ok(Box::new(move |channel| {
        let k = next.fetch_add(1, Ordering::Relaxed);
        Box::new(Open::new(channel, bays.clone(), &about, k))
    }))
}

struct Open {
    client: Complaints,
    station_id: String,
    /// The bay's ROs, taken in turn; none: the station alone.
    ros: Vec<String>,
    next: usize,
}

impl Open {
    fn new(channel: Channel, bays: Arc<Vec<Bay>>, about: &About, k: usize) -> Self {
        let b = k % bays.len();
        let ros = match about {
            About::Station => vec![],
            About::RepairOrders(ros) => ros
                .iter()
                .filter(|(_, bay)| *bay == b)
                .map(|(id, _)| id.clone())
                .collect(),
        };
        Self {
            client: ComplaintServiceClient::with_interceptor(channel, bays[b].staff.clone()),
            station_id: bays[b].station_id.clone(),
            ros,
            next: k,
        }
    }
}

impl Client for Open {
    fn call(&mut self) -> BoxFuture<'_, Result<(), Status>> {
        let repair_order_id = match self.ros.as_slice() {
            [] => String::new(),
            ros => ros[self.next % ros.len()].clone(),
        };
        self.next += 1;
        let station_id = if repair_order_id.is_empty() {
            self.station_id.clone()
        } else {
            String::new()
        };
        let request = pb::OpenComplaintRequest {
            complaint: Some(pb::Complaint {
                repair_order_id,
                station_id,
                description: "the noise came back two days after the visit".into(),
                class: pb::ComplaintClass::Quality.into(),
                cause: "workmanship".into(),
                severity: pb::ComplaintSeverity::Medium.into(),
                source: pb::ComplaintSource::Staff.into(),
                ..Default::default()
            }),
            request_id: uuid::Uuid::new_v4().to_string(),
        };
        Box::pin(async move { self.client.open_complaint(request).await.map(drop) })
    }
}

/// The complaint numbers of one month, read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Numbering {
    /// `YYYYMM`.
    pub(crate) month: String,
    pub(crate) count: u64,
    /// The highest number given.
    pub(crate) last: u64,
    /// Whether the numbers are exactly 1..=count.
    pub(crate) gap_free: bool,
}

/// Every month's numbers in the surveys database.
pub(crate) async fn numbering(db: &mut AnyConnection) -> anyhow::Result<Vec<Numbering>> {
    let ids: Vec<(String,)> = sqlx::query_as("SELECT id FROM complaints")
        .fetch_all(db)
        .await
        .context("failed to read the complaint numbers")?;
    numbered(ids.into_iter().map(|(id,)| id))
}

/// Groups `CP-YYYYMM-NNNN` ids by month and checks each month's run.
fn numbered(ids: impl IntoIterator<Item = String>) -> anyhow::Result<Vec<Numbering>> {
    let mut months: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for id in ids {
        let parsed = id
            .strip_prefix("CP-")
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(month, n)| Some((month.to_owned(), n.parse::<u64>().ok()?)));
        let (month, n) = parsed.with_context(|| format!("{id} is not a CP-YYYYMM-NNNN number"))?;
        months.entry(month).or_default().push(n);
    }
    Ok(months
        .into_iter()
        .map(|(month, mut numbers)| {
            numbers.sort_unstable();
            let gap_free = numbers.iter().zip(1..).all(|(n, k)| *n == k);
            Numbering {
                month,
                count: numbers.len() as u64,
                last: numbers.last().copied().unwrap_or(0),
                gap_free,
            }
        })
        .collect())
}

/// The closed loop after a run: the low scores, the complaints they
/// opened, and the `survey.low_score` events still in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ClosedLoop {
    /// Stored responses scored below the alert threshold.
    pub(crate) low_scores: i64,
    /// Complaints of source LOW_SCORE.
    pub(crate) complaints: i64,
    /// `survey.low_score` events not delivered (waiting or set aside).
    pub(crate) undelivered: i64,
    /// Of those, set aside as refused.
    pub(crate) failed: i64,
    /// From the run's end until the outbox held none waiting.
    pub(crate) drained_in: Duration,
}

impl ClosedLoop {
    /// Every low score opened its one complaint and nothing waits.
    pub(crate) fn closed(&self) -> bool {
        self.undelivered == 0 && self.complaints == self.low_scores
    }
}

/// Waits (polling every 50 ms, at most `patience`) for the surveys relay
/// to deliver every `survey.low_score` event of `outbox` (the surveys
/// database), then counts the loop.
pub(crate) async fn closed_loop(outbox: &Db, patience: Duration) -> anyhow::Result<ClosedLoop> {
    let started = Instant::now();
    loop {
        let (undelivered, failed) = low_score_events(outbox).await?;
        // Waiting events may still go; those set aside will not.
        if undelivered == failed || started.elapsed() >= patience {
            let count = |sql: &'static str| async move {
                let (n,): (i64,) = sqlx::query_as(sql).fetch_one(outbox.pool()).await?;
                Ok::<_, sqlx::Error>(n)
            };
            return Ok(ClosedLoop {
                low_scores: count("SELECT COUNT(*) FROM survey_responses WHERE low_score = 1")
                    .await
                    .context("failed to count the low scores")?,
                complaints: count("SELECT COUNT(*) FROM complaints WHERE source = 'LOW_SCORE'")
                    .await
                    .context("failed to count the low-score complaints")?,
                undelivered,
                failed,
                drained_in: started.elapsed(),
            });
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The `survey.low_score` events not delivered, and of those the refused.
async fn low_score_events(outbox: &Db) -> anyhow::Result<(i64, i64)> {
    let (undelivered, failed): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(failed_time) FROM outbox_events \
         WHERE kind = 'survey.low_score' AND delivered_time IS NULL",
    )
    .fetch_one(outbox.pool())
    .await
    .context("failed to count the surveys outbox's low-score events")?;
    Ok((undelivered, failed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_month_runs_from_one_without_a_gap() {
        let ids = ["CP-202612-0002", "CP-202612-0001", "CP-202701-0001"];
        let months = numbered(ids.map(String::from)).unwrap();
        assert_eq!(
            months,
            vec![
                Numbering {
                    month: "202612".into(),
                    count: 2,
                    last: 2,
                    gap_free: true
                },
                Numbering {
                    month: "202701".into(),
                    count: 1,
                    last: 1,
                    gap_free: true
                },
            ]
        );
    }

    #[test]
    fn a_gap_or_a_duplicate_is_seen() {
        let gap = numbered(["CP-202612-0001", "CP-202612-0003"].map(String::from)).unwrap();
        assert!(!gap[0].gap_free);
        let twice = numbered(["CP-202612-0001", "CP-202612-0001"].map(String::from)).unwrap();
        assert!(!twice[0].gap_free);
        assert!(numbered(["X-1".to_owned()]).is_err());
    }
}
