//! Repair-order journeys: each client opens an RO at its station and
//! carries it to delivery, one call after another — CreateRepairOrder,
//! AddLabourLine, AddPartsLine (one unit, reserved in parts at once),
//! StartRepairOrder, CompleteRepairOrder (an issue event in the outbox),
//! DeliverRepairOrder — then starts the next. A journey counts when its
//! delivery ends inside the window; each call counts, as in [`super::run`],
//! when it ends inside it. A failed call abandons its RO and is counted as
//! that call's error.
//!
//! The burst opens many ROs of several parts lines first and completes them
//! all at once, so that the outbox holds a known pile of issue events.

use std::{
    future::Future,
    sync::Arc,
    time::{Duration, Instant, SystemTime},
};

use aftercare_db::timestamp;
use aftercare_proto::dealers::v1::{
    self as pb, repair_order_service_client::RepairOrderServiceClient,
};
use anyhow::Context;
use tonic::{Response, Status, service::interceptor::InterceptedService, transport::Channel};

use crate::{
    latency::Latencies,
    report::Row,
    run::{LoadSettings, Outcome, Tally, Window, cpu_between, nanos},
    scenarios::Auth,
    workshop::{Bay, OPERATION, PART, eur},
};

pub(crate) type Ros = RepairOrderServiceClient<InterceptedService<Channel, Auth>>;

/// The calls of one journey, in order.
pub(crate) const STEPS: [&str; 6] = [
    "CreateRepairOrder",
    "AddLabourLine",
    "AddPartsLine",
    "StartRepairOrder",
    "CompleteRepairOrder",
    "DeliverRepairOrder",
];

/// What the journeys measured.
#[derive(Debug, Clone)]
pub(crate) struct Journeys {
    /// Each call's latencies and errors, in [`STEPS`] order; no CPU figure
    /// of their own.
    pub(crate) calls: Vec<Outcome>,
    /// Whole journeys delivered inside the window, from the first call to
    /// the delivery. CPU is the process's in the window.
    pub(crate) journeys: Outcome,
    /// Journeys given up inside the window because a call failed (each
    /// failure is in its call's errors).
    pub(crate) abandoned: u64,
    /// The window on the wall clock, in microseconds since the epoch (as
    /// the outbox times its events).
    pub(crate) window_micros: (i64, i64),
}

impl Journeys {
    /// The table's rows: one per call, then the journey.
    pub(crate) fn rows(&self) -> Vec<Row> {
        STEPS
            .iter()
            .zip(&self.calls)
            .map(|(step, outcome)| Row {
                target: (*step).to_owned(),
                outcome: outcome.clone(),
            })
            .chain([Row {
                target: "journey (the 6 calls)".into(),
                outcome: self.journeys.clone(),
            }])
            .collect()
    }
}

/// Runs `settings.clients` clients over `connections` (round robin), client
/// `i` at bay `i` (round robin), for the warm-up and the window.
pub(crate) async fn run(
    settings: &LoadSettings,
    connections: &[Channel],
    bays: &[Bay],
) -> anyhow::Result<Journeys> {
    anyhow::ensure!(!connections.is_empty(), "no connection to call over");
    anyhow::ensure!(!bays.is_empty(), "no station to open ROs at");
    let run = run_id();
    let now = Instant::now();
    let wall = timestamp::now_micros();
    let start = now + settings.warmup;
    let window = Window {
        start,
        end: start + settings.duration,
    };
    let micros = |d: Duration| i64::try_from(d.as_micros()).unwrap_or(i64::MAX);
    let window_micros = (
        wall + micros(settings.warmup),
        wall + micros(settings.warmup + settings.duration),
    );
    let tasks: Vec<_> = (0..settings.clients)
        .map(|i| {
            let bay = Arc::new(bays[i % bays.len()].clone());
            let journey = Journey {
                ros: RepairOrderServiceClient::with_interceptor(
                    connections[i % connections.len()].clone(),
                    bay.staff.clone(),
                ),
                bay,
                prefix: format!("load-ro-{run}-{i}"),
                n: 0,
            };
            tokio::spawn(drive(journey, window))
        })
        .collect();
    let cpu = tokio::spawn(cpu_between(window.start, window.end));

    // Per step: each client's tally.
    let mut steps: Vec<Vec<Tally>> = STEPS.iter().map(|_| vec![]).collect();
    let mut journeys = vec![];
    for task in tasks {
        let log = task.await.context("a client task failed")?;
        for (step, tally) in steps.iter_mut().zip(log.steps) {
            step.push(tally);
        }
        journeys.push(log.journeys);
    }
    let window = settings.duration;
    let calls: Vec<Outcome> = steps
        .into_iter()
        .map(|tallies| Outcome::of(tallies, window))
        .collect();
    // A journey stops at its first failed call: each error is one.
    let abandoned = calls.iter().map(Outcome::error_count).sum();
    Ok(Journeys {
        calls,
        journeys: Outcome {
            latencies: Latencies::merge(journeys),
            errors: vec![],
            window,
            cpu: cpu.await.context("the cpu clock task failed")?,
        },
        abandoned,
        window_micros,
    })
}

/// Tells this run's request ids from an earlier run's on the same database.
pub(crate) fn run_id() -> u128 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros())
}

/// One client: its station, its connection, and its count of ROs.
struct Journey {
    ros: Ros,
    bay: Arc<Bay>,
    /// Of every request_id it sends.
    prefix: String,
    n: u64,
}

/// What one client saw inside the window.
struct ClientLog {
    /// In [`STEPS`] order.
    steps: Vec<Tally>,
    journeys: Vec<u64>,
    window: Window,
}

impl ClientLog {
    /// Times one call of step `i`; None when it failed.
    async fn call<T>(
        &mut self,
        i: usize,
        call: impl Future<Output = Result<Response<T>, Status>>,
    ) -> Option<T> {
        self.steps[i].time(self.window, call).await
    }
}

/// Journeys until the window closes.
async fn drive(mut journey: Journey, window: Window) -> ClientLog {
    let mut log = ClientLog {
        steps: STEPS.iter().map(|_| Tally::default()).collect(),
        journeys: vec![],
        window,
    };
    while Instant::now() < window.end {
        let started = Instant::now();
        if journey.once(&mut log).await.is_some() {
            let ended = Instant::now();
            if window.contains(ended) {
                log.journeys.push(nanos(ended - started));
            }
        }
    }
    log
}

impl Journey {
    fn request_id(&self, step: usize) -> String {
        format!("{}-{}-{step}", self.prefix, self.n)
    }

    /// One RO from opening to delivery; None when a call failed.
    async fn once(&mut self, log: &mut ClientLog) -> Option<()> {
        self.n += 1;
        let rid = |step| self.request_id(step);
        let (create, labour, parts, start, complete, deliver) =
            (rid(0), rid(1), rid(2), rid(3), rid(4), rid(5));
        let vehicle = &self.bay.vehicles[self.n as usize % self.bay.vehicles.len()];
        let ro = log
            .call(
                0,
                self.ros
                    .create_repair_order(opening(&self.bay, vehicle, create)),
            )
            .await?;
        let id = ro.id;
        log.call(
            1,
            self.ros.add_labour_line(pb::AddLabourLineRequest {
                repair_order_id: id.clone(),
                operation_code: OPERATION.into(),
                request_id: labour,
                ..Default::default()
            }),
        )
        .await?;
        log.call(2, self.ros.add_parts_line(parts_line(&id, parts)))
            .await?;
        log.call(
            3,
            self.ros.start_repair_order(pb::StartRepairOrderRequest {
                id: id.clone(),
                request_id: start,
                ..Default::default()
            }),
        )
        .await?;
        log.call(
            4,
            self.ros
                .complete_repair_order(pb::CompleteRepairOrderRequest {
                    id: id.clone(),
                    request_id: complete,
                    ..Default::default()
                }),
        )
        .await?;
        log.call(5, self.ros.deliver_repair_order(delivery(id, deliver)))
            .await?;
        Some(())
    }
}

/// A walk-in RO at the bay's station, promised in four hours, estimated at
/// 200 EUR.
pub(crate) fn opening(
    bay: &Bay,
    vehicle: &str,
    request_id: String,
) -> pb::CreateRepairOrderRequest {
    let promise = SystemTime::now() + Duration::from_secs(4 * 60 * 60);
    pb::CreateRepairOrderRequest {
        repair_order: Some(pb::RepairOrder {
            station_id: bay.station_id.clone(),
            vehicle_id: vehicle.to_owned(),
            advisor_id: bay.advisor_id.clone(),
            r#type: pb::RepairOrderType::Repair as i32,
            promise_time: Some(promise.into()),
            estimate: eur(20_000),
            mileage_km: 12_000,
            ..Default::default()
        }),
        request_id,
        ..Default::default()
    }
}

/// One unit of the part.
pub(crate) fn parts_line(id: &str, request_id: String) -> pb::AddPartsLineRequest {
    pb::AddPartsLineRequest {
        repair_order_id: id.to_owned(),
        part_number: PART.into(),
        quantity: 1,
        request_id,
        ..Default::default()
    }
}

/// Billed under the estimate (no approval needed), the checklist done.
pub(crate) fn delivery(id: String, request_id: String) -> pb::DeliverRepairOrderRequest {
    pb::DeliverRepairOrderRequest {
        id,
        final_bill: eur(18_000),
        handover: ["work explained", "old parts shown", "vehicle cleaned"]
            .map(|item| pb::HandoverItem {
                item: item.into(),
                done: true,
            })
            .to_vec(),
        request_id,
        ..Default::default()
    }
}
