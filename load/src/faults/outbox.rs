//! An outbox receiver killed and restarted while events flow to it: the
//! dealers relay delivers delivered-RO events to surveys, which makes one
//! survey invitation per RO; surveys is killed with SIGKILL at evenly
//! spaced points of the flow and started again each time. Afterwards every
//! event sent is looked for, by id, among what surveys applied.
//!
//! The events are written straight into the dealers outbox (thousands of
//! RO journeys would take the run's time without changing what is tested:
//! the relay, the receiver and its `apply_once`).

use std::{
    collections::{BTreeMap, BTreeSet},
    fmt,
    path::PathBuf,
    time::{Duration, Instant},
};

use aftercare_db::{Db, sqlx};
use aftercare_outbox::{Event, enqueue};
use aftercare_proto::dealers::v1 as pb;
use anyhow::Context;
use prost::Message;

use super::{
    cluster::{Cluster, Service},
    until,
};

/// The dealers outbox's destination and kind for surveys.
const SURVEYS: &str = "surveys";
const DELIVERED: &str = "repair_order.delivered";

#[derive(Debug, Clone)]
pub struct OutboxSettings {
    /// The `aftercare` binary.
    pub binary: PathBuf,
    pub events: usize,
    /// Times the receiver is killed and restarted while they flow.
    pub kills: usize,
    /// How long to wait for a process to serve, and for the outbox to
    /// drain after the last kill.
    pub patience: Duration,
}

#[derive(Debug, Clone)]
pub struct OutboxFigures {
    pub events: usize,
    pub kills: usize,
    /// From the relay's start to the last event applied.
    pub took: Duration,
    /// The longest a restarted surveys took to serve again.
    pub slowest_restart: Duration,
    /// Events sent that surveys has no record of applying.
    pub lost: usize,
    /// Events applied more than once: an RO with more than one invitation,
    /// or an invitation of an event never sent.
    pub doubled: usize,
    /// Set aside as refused by surveys (should be none).
    pub refused: i64,
    /// Deliveries the relay tried, all events together.
    pub attempts: i64,
}

impl OutboxFigures {
    pub fn none_lost_none_doubled(&self) -> bool {
        self.lost == 0 && self.doubled == 0 && self.refused == 0
    }
}

impl fmt::Display for OutboxFigures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "events: {} delivered-RO events from the dealers outbox to surveys; surveys \
             killed (SIGKILL) and restarted {} times while they flowed",
            self.events, self.kills
        )?;
        writeln!(
            f,
            "lost: {}   applied twice: {}   refused: {}",
            self.lost, self.doubled, self.refused
        )?;
        write!(
            f,
            "all applied {:.1} s after the relay started ({:.0} events/s with the kills); \
             {} delivery attempts ({:.2} per event); the slowest restart to serving {:.2} s",
            self.took.as_secs_f64(),
            self.events as f64 / self.took.as_secs_f64(),
            self.attempts,
            self.attempts as f64 / self.events.max(1) as f64,
            self.slowest_restart.as_secs_f64()
        )
    }
}

pub async fn run(settings: &OutboxSettings) -> anyhow::Result<OutboxFigures> {
    anyhow::ensure!(settings.events >= 1, "at least one event");
    let mut cluster = Cluster::new(&settings.binary, settings.patience)?;
    cluster.migrate(Service::Dealers)?;
    cluster.migrate(Service::Surveys)?;
    let dealers_db = cluster.database(Service::Dealers).await?;
    let surveys_db = cluster.database(Service::Surveys).await?;
    let sent = write_events(&dealers_db, settings.events).await?;

    cluster.start(Service::Surveys).await?;
    let started = Instant::now();
    cluster.start(Service::Dealers).await?;
    let mut slowest_restart = Duration::ZERO;
    for kill in 1..=settings.kills {
        // Evenly spaced through the flow, wherever a delivery then stands.
        let at = (kill * settings.events / (settings.kills + 1)) as i64;
        until(
            &format!("{at} events applied before kill {kill}"),
            settings.patience,
            || async { Ok(applied(&surveys_db).await? >= at) },
        )
        .await?;
        cluster.kill(Service::Surveys)?;
        let restarting = Instant::now();
        cluster.start(Service::Surveys).await?;
        slowest_restart = slowest_restart.max(restarting.elapsed());
    }
    until("the outbox drained", settings.patience, || async {
        Ok(waiting(&dealers_db).await? == 0)
    })
    .await?;
    let took = started.elapsed();

    let tally = tally(&surveys_db, &sent).await?;
    let (refused, attempts): (i64, i64) = sqlx::query_as(
        "SELECT CAST(COUNT(failed_time) AS BIGINT), CAST(COALESCE(SUM(attempts), 0) AS BIGINT) \
         FROM outbox_events",
    )
    .fetch_one(dealers_db.pool())
    .await?;
    Ok(OutboxFigures {
        events: settings.events,
        kills: settings.kills,
        took,
        slowest_restart,
        lost: tally.lost,
        doubled: tally.doubled,
        refused,
        attempts,
    })
}

/// Writes `count` delivered-RO events for surveys into the dealers outbox,
/// as the dealers service does when an RO is delivered; their ids by RO.
async fn write_events(db: &Db, count: usize) -> anyhow::Result<BTreeMap<String, String>> {
    let mut sent = BTreeMap::new();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs() as i64;
    for batch in (0..count).collect::<Vec<_>>().chunks(500) {
        let mut tx = db.begin().await?;
        for &i in batch {
            let ro = format!("fault-ro-{i:06}");
            let event = Event::new(SURVEYS, DELIVERED, delivered(&ro, i, now).encode_to_vec());
            enqueue(&mut tx, &event).await?;
            sent.insert(ro, event.id);
        }
        tx.commit().await.context("failed to write the events")?;
    }
    Ok(sent)
}

/// RO `ro`, delivered at `now` at one of ten stations of ten dealers.
fn delivered(ro: &str, i: usize, now: i64) -> pb::RepairOrderDelivered {
    let dealer = i % 10;
    pb::RepairOrderDelivered {
        repair_order: Some(pb::RepairOrder {
            id: ro.into(),
            dealer_id: format!("fault-dealer-{dealer}"),
            station_id: format!("fault-station-{dealer}"),
            advisor_id: "fault-advisor".into(),
            history: vec![pb::StatusChange {
                status: pb::RepairOrderStatus::Delivered.into(),
                time: Some(prost_types::Timestamp {
                    seconds: now,
                    nanos: 0,
                }),
                actor: "staff".into(),
            }],
            ..Default::default()
        }),
        region_id: "fault-region".into(),
        dealer_name: format!("Dealer {dealer}"),
        station_name: format!("Station {dealer}"),
        vehicle: None,
        locale: String::new(),
    }
}

/// Events surveys has applied (its inbox).
async fn applied(db: &Db) -> anyhow::Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM inbox_events")
        .fetch_one(db.pool())
        .await?;
    Ok(n)
}

/// Events the dealers relay has still to deliver.
async fn waiting(db: &Db) -> anyhow::Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM outbox_events \
         WHERE delivered_time IS NULL AND failed_time IS NULL",
    )
    .fetch_one(db.pool())
    .await?;
    Ok(n)
}

struct Tally {
    lost: usize,
    doubled: usize,
}

/// Each RO sent looked for among surveys' invitations and inbox: lost when
/// neither has its event, doubled when it has more than one invitation or
/// one made from another event.
async fn tally(db: &Db, sent: &BTreeMap<String, String>) -> anyhow::Result<Tally> {
    let invitations: Vec<(String, String)> =
        sqlx::query_as("SELECT repair_order_id, event_id FROM survey_invitations")
            .fetch_all(db.pool())
            .await?;
    let inbox: Vec<(String,)> = sqlx::query_as("SELECT event_id FROM inbox_events")
        .fetch_all(db.pool())
        .await?;
    let inbox: BTreeSet<String> = inbox.into_iter().map(|(id,)| id).collect();
    let mut per_ro: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (ro, event) in &invitations {
        per_ro.entry(ro).or_default().push(event);
    }
    let mut tally = Tally {
        lost: 0,
        doubled: 0,
    };
    for (ro, event) in sent {
        match per_ro.get(ro.as_str()).map(Vec::as_slice) {
            Some([made_from]) if made_from == event && inbox.contains(event) => {}
            None | Some([]) => tally.lost += 1,
            Some(more) => tally.doubled += more.len().saturating_sub(1).max(1),
        }
    }
    // An invitation of an RO never sent would be an event applied twice
    // under another name.
    tally.doubled += per_ro.keys().filter(|ro| !sent.contains_key(**ro)).count();
    Ok(tally)
}
