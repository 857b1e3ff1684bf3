//! The network's day through the gateway: each client is a desk at one
//! station that carries ROs from appointment to delivery and, after each,
//! does the other activities the [`Mix`] makes due for it (the survey
//! answers of delivered ROs, league and console reads, complaints, claim
//! reads). Or one activity alone, over and over, to read its CPU cost.
//! Every call is timed by RPC; a call counts when it ends inside the
//! window, as in [`crate::run`].

use std::{
    collections::{BTreeMap, VecDeque},
    future::Future,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant, SystemTime},
};

use aftercare_proto::{
    common::v1::Period,
    costs::v1::{self as costs_pb, warranty_claim_service_client::WarrantyClaimServiceClient},
    dealers::v1::{
        self as pb, dealers_service_client::DealersServiceClient,
        repair_order_service_client::RepairOrderServiceClient,
    },
    parts::v1::{self as parts_pb, stock_service_client::StockServiceClient},
    surveys::v1::{
        self as surveys_pb, complaint_service_client::ComplaintServiceClient,
        dealer_scorecard_service_client::DealerScorecardServiceClient,
        league_service_client::LeagueServiceClient,
        survey_invitation_service_client::SurveyInvitationServiceClient,
        survey_response_service_client::SurveyResponseServiceClient,
    },
};
use anyhow::Context;
use tonic::{Response, Status, service::interceptor::InterceptedService, transport::Channel};

use crate::{
    day_mix::{Activity, Mix},
    journeys::{delivery, opening, run_id},
    league_tables,
    run::{LoadSettings, Outcome, Tally, Window},
    scenarios::Auth,
    survey_answers,
    workshop::{Bay, OPERATION, PART, warehouse_id},
};

type Via = InterceptedService<Channel, Auth>;

/// What every desk shares.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) head_office: Auth,
    /// The month the league tables are read for.
    pub(crate) month: Period,
    /// Delivered ROs whose survey is not answered yet, oldest first: the
    /// mix answers 0.3 per RO from its front.
    surveys: Mutex<VecDeque<ToAnswer>>,
    answers: AtomicUsize,
}

impl Shared {
    pub(crate) fn new(head_office: Auth, month: Period) -> Arc<Self> {
        Arc::new(Self {
            head_office,
            month,
            surveys: Mutex::new(VecDeque::new()),
            answers: AtomicUsize::new(0),
        })
    }

    fn push(&self, ro: ToAnswer) {
        self.surveys.lock().expect("not poisoned").push_back(ro);
    }

    /// The oldest RO delivered long enough ago for the dealers relay to
    /// have invited its customer.
    fn pop(&self) -> Option<ToAnswer> {
        let mut queue = self.surveys.lock().expect("not poisoned");
        let ready = queue
            .front()
            .is_some_and(|ro| ro.delivered.elapsed() >= INVITED_AFTER);
        if ready { queue.pop_front() } else { None }
    }

    /// ROs waiting for their survey answer.
    pub(crate) fn waiting(&self) -> usize {
        self.surveys.lock().expect("not poisoned").len()
    }
}

/// How long after a delivery its invitation is looked for: the relay's
/// idle poll is 200 ms.
const INVITED_AFTER: Duration = Duration::from_millis(1500);
/// Looks for an invitation this many times before giving up on it.
const TRIES: u8 = 5;

#[derive(Debug, Clone)]
struct ToAnswer {
    station_id: String,
    repair_order_id: String,
    delivered: Instant,
    tries: u8,
}

/// What to do: the mixed day, or one activity alone.
#[derive(Debug, Clone)]
pub(crate) enum Plan {
    Day(Mix),
    Alone(Activity),
}

/// What the clients measured.
#[derive(Debug, Clone)]
pub(crate) struct Measured {
    /// Per RPC; no CPU figure of their own.
    pub(crate) rpcs: BTreeMap<&'static str, Outcome>,
    /// Activities finished inside the window.
    pub(crate) activities: BTreeMap<Activity, u64>,
    /// Survey answers skipped: the invitation was not found in time.
    pub(crate) uninvited: u64,
    pub(crate) window: Duration,
}

impl Measured {
    /// Successful calls per second, all RPCs.
    pub(crate) fn throughput(&self) -> f64 {
        self.rpcs.values().map(Outcome::throughput).sum()
    }

    pub(crate) fn calls(&self) -> u64 {
        self.rpcs.values().map(|o| o.latencies.count() as u64).sum()
    }
}

/// Runs `settings.clients` desks over `connections`, desk `i` at bay `i`
/// (round robin), for the warm-up and the window.
pub(crate) async fn run(
    settings: &LoadSettings,
    connections: &[Channel],
    bays: &[Bay],
    shared: &Arc<Shared>,
    plan: &Plan,
) -> anyhow::Result<Measured> {
    anyhow::ensure!(!connections.is_empty(), "no connection to call over");
    anyhow::ensure!(!bays.is_empty(), "no station to work at");
    let run = run_id();
    let start = Instant::now() + settings.warmup;
    let window = Window {
        start,
        end: start + settings.duration,
    };
    let tasks: Vec<_> = (0..settings.clients)
        .map(|i| {
            let desk = Desk::new(
                connections[i % connections.len()].clone(),
                bays[i % bays.len()].clone(),
                shared.clone(),
                format!("load-day-{run}-{i}"),
            );
            let plan = plan.clone();
            let phase = Mix::phase(i);
            tokio::spawn(drive(desk, plan, phase, window))
        })
        .collect();
    let mut tallies: BTreeMap<&'static str, Vec<Tally>> = BTreeMap::new();
    let mut activities: BTreeMap<Activity, u64> = BTreeMap::new();
    let mut uninvited = 0;
    for task in tasks {
        let log = task.await.context("a desk failed")?;
        for (rpc, tally) in log.rpcs {
            tallies.entry(rpc).or_default().push(tally);
        }
        for (activity, n) in log.activities {
            *activities.entry(activity).or_default() += n;
        }
        uninvited += log.uninvited;
    }
    let window = settings.duration;
    let rpcs = tallies
        .into_iter()
        .map(|(rpc, tallies)| (rpc, Outcome::of(tallies, window)))
        .collect();
    Ok(Measured {
        rpcs,
        activities,
        uninvited,
        window,
    })
}

/// Desk `desk`'s run: its ROs numbered on from `phase` ([`Mix::phase`]).
async fn drive(mut desk: Desk, plan: Plan, phase: u64, window: Window) -> Log {
    let mut log = Log {
        window,
        rpcs: BTreeMap::new(),
        activities: BTreeMap::new(),
        uninvited: 0,
    };
    let mut n = phase;
    while Instant::now() < window.end {
        match &plan {
            Plan::Alone(activity) => desk.perform(*activity, &mut log).await,
            Plan::Day(mix) => {
                n += 1;
                desk.warranty = mix.warranty_every > 0 && n.is_multiple_of(mix.warranty_every);
                desk.perform(Activity::Journey, &mut log).await;
                for &(activity, rate) in &mix.per_ro {
                    if activity == Activity::Journey {
                        continue;
                    }
                    for _ in 0..Mix::due(rate, n) {
                        desk.perform(activity, &mut log).await;
                    }
                }
            }
        }
    }
    log
}

/// What one desk saw inside the window.
struct Log {
    window: Window,
    rpcs: BTreeMap<&'static str, Tally>,
    activities: BTreeMap<Activity, u64>,
    uninvited: u64,
}

impl Log {
    /// Times one call of `rpc`; None when it failed.
    async fn call<T>(
        &mut self,
        rpc: &'static str,
        call: impl Future<Output = Result<Response<T>, Status>>,
    ) -> Option<T> {
        let window = self.window;
        self.rpcs.entry(rpc).or_default().time(window, call).await
    }

    fn finished(&mut self, activity: Activity) {
        if self.window.contains(Instant::now()) {
            *self.activities.entry(activity).or_default() += 1;
        }
    }
}

/// One client: a station's desk, its clients over one connection.
struct Desk {
    bay: Bay,
    shared: Arc<Shared>,
    ros: RepairOrderServiceClient<Via>,
    network: DealersServiceClient<Via>,
    stock: StockServiceClient<Via>,
    invitations: SurveyInvitationServiceClient<Via>,
    responses: SurveyResponseServiceClient<Via>,
    leagues: LeagueServiceClient<Via>,
    scorecards: DealerScorecardServiceClient<Via>,
    complaints: ComplaintServiceClient<Via>,
    claims: WarrantyClaimServiceClient<Via>,
    /// Of every request_id it sends.
    prefix: String,
    n: u64,
    /// Whether the next RO is a warranty RO.
    warranty: bool,
    /// The last RO it delivered, for a complaint.
    last_delivered: Option<String>,
    console: u64,
}

impl Desk {
    fn new(channel: Channel, bay: Bay, shared: Arc<Shared>, prefix: String) -> Self {
        let staff = bay.staff.clone();
        let office = shared.head_office.clone();
        let c = || channel.clone();
        Self {
            ros: RepairOrderServiceClient::with_interceptor(c(), staff.clone()),
            network: DealersServiceClient::with_interceptor(c(), staff.clone()),
            stock: StockServiceClient::with_interceptor(c(), staff.clone()),
            invitations: SurveyInvitationServiceClient::with_interceptor(c(), office.clone()),
            responses: SurveyResponseServiceClient::with_interceptor(c(), Auth::None),
            leagues: LeagueServiceClient::with_interceptor(c(), office.clone()),
            scorecards: DealerScorecardServiceClient::with_interceptor(c(), office),
            complaints: ComplaintServiceClient::with_interceptor(c(), staff.clone()),
            claims: WarrantyClaimServiceClient::with_interceptor(c(), staff),
            bay,
            shared,
            prefix,
            n: 0,
            warranty: false,
            last_delivered: None,
            console: 0,
        }
    }

    fn request_id(&self, step: &str) -> String {
        format!("{}-{}-{step}", self.prefix, self.n)
    }

    async fn perform(&mut self, activity: Activity, log: &mut Log) {
        let done = match activity {
            Activity::Journey => self.journey(log).await,
            Activity::SurveyResponse => self.answer_survey(log).await,
            Activity::LeagueRead => self.read_league(log).await,
            Activity::ConsoleRead => self.read_console(log).await,
            Activity::ScorecardRead => self.read_scorecard(log).await,
            Activity::Complaint => self.complain(log).await,
            Activity::ClaimRead => self.read_claims(log).await,
        };
        if done.is_some() {
            log.finished(activity);
        }
    }

    /// Booked, arrived, a labour and a parts line (after the parts reads),
    /// started, completed, delivered; a failed call abandons the RO.
    async fn journey(&mut self, log: &mut Log) -> Option<()> {
        self.n += 1;
        let bay = &self.bay;
        let vehicle = bay.vehicles[self.n as usize % bay.vehicles.len()].clone();
        let kind = if self.warranty {
            pb::RepairOrderType::Warranty
        } else {
            pb::RepairOrderType::Repair
        };
        let ro = opening(bay, &vehicle, String::new())
            .repair_order
            .unwrap_or_default();
        let booking = pb::CreateAppointmentRequest {
            appointment: Some(pb::Appointment {
                station_id: bay.station_id.clone(),
                vehicle_id: vehicle,
                advisor_id: bay.advisor_id.clone(),
                start_time: Some(SystemTime::now().into()),
                r#type: kind as i32,
                ..Default::default()
            }),
            request_id: self.request_id("book"),
            ..Default::default()
        };
        let appointment = log
            .call("CreateAppointment", self.ros.create_appointment(booking))
            .await?;
        let arrival = pb::ArriveForAppointmentRequest {
            id: appointment.id,
            promise_time: ro.promise_time,
            estimate: ro.estimate,
            mileage_km: ro.mileage_km,
            request_id: self.request_id("arrive"),
            ..Default::default()
        };
        let id = log
            .call(
                "ArriveForAppointment",
                self.ros.arrive_for_appointment(arrival),
            )
            .await?
            .id;
        let labour = pb::AddLabourLineRequest {
            repair_order_id: id.clone(),
            operation_code: OPERATION.into(),
            request_id: self.request_id("labour"),
            ..Default::default()
        };
        log.call("AddLabourLine", self.ros.add_labour_line(labour))
            .await?;
        // The counter looks for where to get the part: the ten holding
        // the most, as the console lists them.
        let availability = parts_pb::GetPartAvailabilityRequest {
            part_number: PART.into(),
            max_warehouses: 10,
        };
        log.call(
            "GetPartAvailability",
            self.stock.get_part_availability(availability),
        )
        .await?;
        let level = parts_pb::GetStockLevelRequest {
            warehouse_id: warehouse_id(&self.bay.station_id),
            part_number: PART.into(),
        };
        log.call("GetStockLevel", self.stock.get_stock_level(level))
            .await?;
        let line = pb::AddPartsLineRequest {
            repair_order_id: id.clone(),
            part_number: PART.into(),
            quantity: 1,
            request_id: self.request_id("parts"),
            ..Default::default()
        };
        log.call("AddPartsLine", self.ros.add_parts_line(line))
            .await?;
        let start = pb::StartRepairOrderRequest {
            id: id.clone(),
            request_id: self.request_id("start"),
            ..Default::default()
        };
        log.call("StartRepairOrder", self.ros.start_repair_order(start))
            .await?;
        let complete = pb::CompleteRepairOrderRequest {
            id: id.clone(),
            request_id: self.request_id("complete"),
            ..Default::default()
        };
        log.call(
            "CompleteRepairOrder",
            self.ros.complete_repair_order(complete),
        )
        .await?;
        let deliver = delivery(id.clone(), self.request_id("deliver"));
        log.call("DeliverRepairOrder", self.ros.deliver_repair_order(deliver))
            .await?;
        self.last_delivered = Some(id.clone());
        self.shared.push(ToAnswer {
            station_id: self.bay.station_id.clone(),
            repair_order_id: id,
            delivered: Instant::now(),
            tries: 0,
        });
        Some(())
    }

    /// The oldest waiting delivered RO's invitation found, its link issued
    /// (head office, as the survey mailer) and answered anonymously.
    async fn answer_survey(&mut self, log: &mut Log) -> Option<()> {
        let Some(mut ro) = self.shared.pop() else {
            // Nothing to answer yet: not a busy loop that holds the worker.
            tokio::time::sleep(Duration::from_millis(20)).await;
            return None;
        };
        let list = surveys_pb::ListSurveyInvitationsRequest {
            page_size: 1000,
            station_id: ro.station_id.clone(),
            ..Default::default()
        };
        let page = log
            .call(
                "ListSurveyInvitations",
                self.invitations.list_survey_invitations(list),
            )
            .await?;
        let Some(invitation) = page
            .survey_invitations
            .into_iter()
            .find(|i| i.repair_order_id == ro.repair_order_id)
        else {
            ro.tries += 1;
            if ro.tries < TRIES {
                ro.delivered = Instant::now();
                self.shared.push(ro);
            } else if log.window.contains(Instant::now()) {
                log.uninvited += 1;
            }
            return None;
        };
        let issue = surveys_pb::IssueSurveyLinkRequest {
            invitation_id: invitation.id,
        };
        let link = log
            .call("IssueSurveyLink", self.invitations.issue_survey_link(issue))
            .await?;
        let i = self.shared.answers.fetch_add(1, Ordering::Relaxed);
        let answer = surveys_pb::SubmitSurveyResponseRequest {
            link_token: link.link_token,
            answers: survey_answers::answers(i),
        };
        log.call(
            "SubmitSurveyResponse",
            self.responses.submit_survey_response(answer),
        )
        .await?;
        Some(())
    }

    async fn read_league(&mut self, log: &mut Log) -> Option<()> {
        let top = league_tables::top(self.shared.month);
        log.call("GetLeagueTable", self.leagues.get_league_table(top))
            .await
            .map(drop)
    }

    /// The station's RO list, its at-risk ROs and the station, in turn.
    async fn read_console(&mut self, log: &mut Log) -> Option<()> {
        self.console += 1;
        let station_id = self.bay.station_id.clone();
        match self.console % 3 {
            0 => {
                let list = pb::ListRepairOrdersRequest {
                    page_size: 50,
                    station_id,
                    ..Default::default()
                };
                log.call("ListRepairOrders", self.ros.list_repair_orders(list))
                    .await
                    .map(drop)
            }
            1 => {
                let list = pb::ListAtRiskRepairOrdersRequest {
                    station_id,
                    ..Default::default()
                };
                log.call(
                    "ListAtRiskRepairOrders",
                    self.ros.list_at_risk_repair_orders(list),
                )
                .await
                .map(drop)
            }
            _ => log
                .call(
                    "GetStation",
                    self.network
                        .get_station(pb::GetStationRequest { id: station_id }),
                )
                .await
                .map(drop),
        }
    }

    async fn read_scorecard(&mut self, log: &mut Log) -> Option<()> {
        let card = surveys_pb::GetDealerScorecardRequest {
            dealer_id: self.bay.dealer_id.clone(),
            period: Some(self.shared.month),
        };
        log.call(
            "GetDealerScorecard",
            self.scorecards.get_dealer_scorecard(card),
        )
        .await
        .map(drop)
    }

    /// About the desk's last delivered RO (the station's, before any).
    async fn complain(&mut self, log: &mut Log) -> Option<()> {
        let repair_order_id = self.last_delivered.clone().unwrap_or_default();
        let station_id = if repair_order_id.is_empty() {
            self.bay.station_id.clone()
        } else {
            String::new()
        };
        let open = surveys_pb::OpenComplaintRequest {
            complaint: Some(surveys_pb::Complaint {
                repair_order_id,
                station_id,
                description: "the noise came back two days after the visit".into(),
                class: surveys_pb::ComplaintClass::Quality.into(),
                cause: "workmanship".into(),
                severity: surveys_pb::ComplaintSeverity::Medium.into(),
                source: surveys_pb::ComplaintSource::Staff.into(),
                ..Default::default()
            }),
            request_id: uuid::Uuid::new_v4().to_string(),
        };
        log.call("OpenComplaint", self.complaints.open_complaint(open))
            .await
            .map(drop)
    }

    async fn read_claims(&mut self, log: &mut Log) -> Option<()> {
        let list = costs_pb::ListWarrantyClaimsRequest {
            page_size: 50,
            dealer_id: self.bay.dealer_id.clone(),
            ..Default::default()
        };
        log.call("ListWarrantyClaims", self.claims.list_warranty_claims(list))
            .await
            .map(drop)
    }
}
