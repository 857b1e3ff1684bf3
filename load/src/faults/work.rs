//! The work the PostgreSQL and Redis runs keep going while the fault
//! lasts, one unit at a time per client, each unit one of three that leave
//! rows an invariant can be checked on:
//!
//! - stock: a part reserved for an RO line and issued, in parts (its
//!   ledger and stock rows);
//! - claim: a warranty RO's delivery received by costs, which drafts a
//!   claim whose lines it prices at parts (the claim and its lines);
//! - response: an RO's delivery received by surveys and its survey taken
//!   by phone (the response, its aggregates and the league tables).
//!
//! Every call is made as the gateway (or the dealers relay) makes it,
//! signed with the internal key, and retried with the same `request_id`
//! while it answers UNAVAILABLE, as a client of Aftercare is told to.

use std::{
    collections::BTreeMap,
    future::Future,
    sync::{
        Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use aftercare_auth::{Principal, Secret, assertion::Signer, testing as who};
use aftercare_proto::{
    common::v1::{Money, Period, PeriodKind},
    costs::v1::{
        ReceiveWarrantyRepairOrderDeliveredRequest,
        cost_event_service_client::CostEventServiceClient,
    },
    dealers::v1 as dealers_pb,
    parts::v1::{
        self as parts_pb, parts_service_client::PartsServiceClient,
        stock_service_client::StockServiceClient,
    },
    surveys::v1::{
        self as surveys_pb, survey_invitation_service_client::SurveyInvitationServiceClient,
        survey_template_service_client::SurveyTemplateServiceClient,
    },
};
use anyhow::Context;
use prost_types::Timestamp;
use tonic::{Code, Response, Status, transport::Channel};

use super::cluster::{Cluster, Service, Signed};
use crate::survey_form;

pub const REGION: &str = "fault-region";
/// The dealers the units are spread over, so that league tables rank.
pub const DEALERS: usize = 5;
pub const WAREHOUSE: &str = "fault-wh";
pub const PART: &str = "FAULT-PAD";
/// What the warehouse receives at the start: more than any run issues.
pub const RECEIVED: i64 = 1_000_000;

pub fn dealer(n: usize) -> String {
    format!("fault-dealer-{}", n % DEALERS)
}

fn station(n: usize) -> String {
    format!("fault-station-{}", n % DEALERS)
}

/// Which of the three a unit `n` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Unit {
    Stock,
    Claim,
    Response,
}

/// The gRPC codes the calls answered, every try counted.
#[derive(Debug, Default)]
pub struct Tally {
    codes: Mutex<Codes>,
    ok: AtomicU64,
}

impl Tally {
    fn record(&self, code: Code) {
        if code == Code::Ok {
            self.ok.fetch_add(1, Ordering::SeqCst);
        }
        self.codes.lock().expect("not poisoned").add(code);
    }

    /// Calls answered OK so far.
    pub fn ok(&self) -> u64 {
        self.ok.load(Ordering::SeqCst)
    }

    /// Each code and how often it was answered.
    pub fn codes(&self) -> Codes {
        self.codes.lock().expect("not poisoned").clone()
    }
}

/// How often each gRPC code was answered (by its number: `Code` is not
/// ordered).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Codes(BTreeMap<i32, u64>);

impl Codes {
    pub fn add(&mut self, code: Code) {
        *self.0.entry(code as i32).or_default() += 1;
    }

    pub fn of(&self, code: Code) -> u64 {
        self.0.get(&(code as i32)).copied().unwrap_or(0)
    }

    /// Answered other than OK and `but`.
    pub fn others_than(&self, but: Code) -> u64 {
        let ok = |c: i32| c == Code::Ok as i32 || c == but as i32;
        self.0
            .iter()
            .filter(|(c, _)| !ok(**c))
            .map(|(_, n)| n)
            .sum()
    }

    /// What was answered since `earlier`.
    pub fn since(&self, earlier: &Codes) -> Codes {
        let counts = self
            .0
            .iter()
            .map(|(c, n)| (*c, n - earlier.0.get(c).copied().unwrap_or(0)));
        Codes(counts.filter(|(_, n)| *n > 0).collect())
    }
}

impl std::fmt::Display for Codes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let named: Vec<String> = self
            .0
            .iter()
            .map(|(c, n)| format!("{:?} {n}", Code::from(*c)))
            .collect();
        write!(
            f,
            "{}",
            if named.is_empty() {
                "none".into()
            } else {
                named.join(", ")
            }
        )
    }
}

/// Clients of the three services, and what their calls answered.
pub struct Work {
    parts: Channel,
    costs: Channel,
    surveys: Channel,
    key: Secret,
    pub tally: Tally,
    /// How long a unit retries an UNAVAILABLE call before giving up.
    pub patience: Duration,
}

impl Work {
    pub fn new(cluster: &Cluster, patience: Duration) -> anyhow::Result<Self> {
        Ok(Self {
            parts: cluster.channel(Service::Parts)?,
            costs: cluster.channel(Service::Costs)?,
            surveys: cluster.channel(Service::Surveys)?,
            key: cluster.key().clone(),
            tally: Tally::default(),
            patience,
        })
    }

    /// `channel`'s calls signed as `principal`.
    fn as_(&self, channel: &Channel, principal: Principal) -> Signed {
        Signed::new(
            channel.clone(),
            Signer {
                principal,
                key: self.key.clone(),
            },
        )
    }

    /// What `units` need: the part and its warehouse stocked (stock,
    /// claim), the survey published (response); as head office.
    pub async fn seed(&self, units: &[Unit]) -> anyhow::Result<()> {
        if units.iter().any(|u| matches!(u, Unit::Stock | Unit::Claim)) {
            self.seed_stock().await?;
        }
        if units.contains(&Unit::Response) {
            self.seed_survey().await?;
        }
        Ok(())
    }

    async fn seed_stock(&self) -> anyhow::Result<()> {
        let oem = self.as_(&self.parts, who::oem());
        PartsServiceClient::new(oem.clone())
            .create_part(parts_pb::CreatePartRequest {
                part: Some(parts_pb::Part {
                    part_number: PART.into(),
                    display_name: "Brake pad".into(),
                    category: "BRAKES".into(),
                    list_price: eur(4_550),
                    cost: eur(2_000),
                    warranty_eligible: true,
                    ..Default::default()
                }),
                request_id: "fault-part".into(),
            })
            .await
            .context("CreatePart failed")?;
        StockServiceClient::new(oem)
            .create_warehouse(parts_pb::CreateWarehouseRequest {
                warehouse: Some(parts_pb::Warehouse {
                    warehouse_id: WAREHOUSE.into(),
                    display_name: "The fault runs' warehouse".into(),
                    kind: parts_pb::WarehouseKind::Dealer as i32,
                    region_id: REGION.into(),
                    dealer_id: dealer(0),
                    ..Default::default()
                }),
                request_id: "fault-warehouse".into(),
            })
            .await
            .context("CreateWarehouse failed")?;
        StockServiceClient::new(self.as_(&self.parts, who::dealer(&dealer(0))))
            .receive_stock(parts_pb::ReceiveStockRequest {
                warehouse_id: WAREHOUSE.into(),
                part_number: PART.into(),
                quantity: RECEIVED,
                request_id: "fault-receive".into(),
                ..Default::default()
            })
            .await
            .context("ReceiveStock failed")?;
        Ok(())
    }

    async fn seed_survey(&self) -> anyhow::Result<()> {
        let mut templates = SurveyTemplateServiceClient::new(self.as_(&self.surveys, who::oem()));
        templates
            .create_survey_template(surveys_pb::CreateSurveyTemplateRequest {
                survey_template: Some(surveys_pb::SurveyTemplate {
                    // The template invitations ask by default.
                    code: "after-sales".into(),
                    display_name: "After-sales visit".into(),
                    ..Default::default()
                }),
                request_id: "fault-template".into(),
            })
            .await
            .context("CreateSurveyTemplate failed")?;
        templates
            .publish_survey_version(surveys_pb::PublishSurveyVersionRequest {
                template_code: "after-sales".into(),
                version: Some(survey_form::version()),
                request_id: "fault-version".into(),
            })
            .await
            .context("PublishSurveyVersion failed")?;
        Ok(())
    }

    /// Unit `n` of the kinds in `units`, to its end; an error when a call
    /// answered anything but OK or UNAVAILABLE, or stayed UNAVAILABLE
    /// beyond the patience.
    pub async fn one(&self, n: usize, units: &[Unit]) -> anyhow::Result<Unit> {
        let unit = units[n % units.len()];
        match unit {
            Unit::Stock => self.stock(n).await?,
            Unit::Claim => self.claim(n).await?,
            Unit::Response => self.response(n).await?,
        }
        Ok(unit)
    }

    async fn stock(&self, n: usize) -> anyhow::Result<()> {
        let ro = format!("fault-ro-{n}");
        let stock = StockServiceClient::new(self.as_(&self.parts, who::dealer(&dealer(0))));
        self.call("ReserveStock", || {
            let mut stock = stock.clone();
            let request = parts_pb::ReserveStockRequest {
                warehouse_id: WAREHOUSE.into(),
                part_number: PART.into(),
                quantity: 1,
                repair_order_id: ro.clone(),
                line_number: 1,
                allow_backorder: false,
                request_id: format!("fault-reserve-{n}"),
                unit: String::new(),
            };
            async move { stock.reserve_stock(request).await }
        })
        .await?;
        self.call("IssueReservation", || {
            let mut stock = stock.clone();
            let request = parts_pb::IssueReservationRequest {
                warehouse_id: WAREHOUSE.into(),
                repair_order_id: ro.clone(),
                line_number: 1,
                request_id: format!("fault-issue-{n}"),
            };
            async move { stock.issue_reservation(request).await }
        })
        .await?;
        Ok(())
    }

    async fn claim(&self, n: usize) -> anyhow::Result<()> {
        let relay = self.as_(&self.costs, who::dealers_relay(&dealer(n)));
        let events = CostEventServiceClient::new(relay);
        self.call("ReceiveWarrantyRepairOrderDelivered", || {
            let mut events = events.clone();
            let request = ReceiveWarrantyRepairOrderDeliveredRequest {
                event: Some(warranty_delivered(n)),
                request_id: format!("fault-claim-{n}"),
            };
            async move {
                events
                    .receive_warranty_repair_order_delivered(request)
                    .await
            }
        })
        .await?;
        Ok(())
    }

    async fn response(&self, n: usize) -> anyhow::Result<()> {
        let relay = SurveyInvitationServiceClient::new(
            self.as_(&self.surveys, who::dealers_relay(&dealer(n))),
        );
        let invitation = self
            .call("ReceiveRepairOrderDelivered", || {
                let mut relay = relay.clone();
                let request = surveys_pb::ReceiveRepairOrderDeliveredRequest {
                    event: Some(delivered(n)),
                    request_id: format!("fault-invite-{n}"),
                };
                async move { relay.receive_repair_order_delivered(request).await }
            })
            .await?;
        let agent =
            SurveyInvitationServiceClient::new(self.as_(&self.surveys, who::dealer(&dealer(n))));
        self.call("TakeSurveyByPhone", || {
            let mut agent = agent.clone();
            let request = surveys_pb::TakeSurveyByPhoneRequest {
                invitation_id: invitation.id.clone(),
                answers: survey_form::answers(n),
                request_id: format!("fault-phone-{n}"),
            };
            async move { agent.take_survey_by_phone(request).await }
        })
        .await?;
        Ok(())
    }

    /// `call` until it answers other than UNAVAILABLE; its answer, or an
    /// error naming `what`.
    pub async fn call<T, F, Fut>(&self, what: &str, mut call: F) -> anyhow::Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Response<T>, Status>>,
    {
        let deadline = tokio::time::Instant::now() + self.patience;
        loop {
            match call().await {
                Ok(answer) => {
                    self.tally.record(Code::Ok);
                    return Ok(answer.into_inner());
                }
                Err(status) => {
                    self.tally.record(status.code());
                    if status.code() != Code::Unavailable || tokio::time::Instant::now() >= deadline
                    {
                        anyhow::bail!("{what}: {status:?}");
                    }
                    // A client's back-off before it tries again.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    }
}

fn eur(minor_units: i64) -> Option<Money> {
    Some(Money {
        currency_code: "EUR".into(),
        minor_units,
    })
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The calendar month of now (UTC), where the runs' ROs are delivered.
pub fn this_month() -> Period {
    let (year, month, _) = survey_form::civil(now().div_euclid(86_400));
    Period {
        kind: PeriodKind::Month as i32,
        year,
        number: month,
    }
}

fn at(seconds: i64) -> Option<Timestamp> {
    Some(Timestamp { seconds, nanos: 0 })
}

/// RO `n` delivered now at its dealer's station.
fn delivered(n: usize) -> dealers_pb::RepairOrderDelivered {
    dealers_pb::RepairOrderDelivered {
        repair_order: Some(dealers_pb::RepairOrder {
            id: format!("fault-ro-{n}"),
            station_id: station(n),
            dealer_id: dealer(n),
            advisor_id: "fault-advisor".into(),
            history: vec![dealers_pb::StatusChange {
                status: dealers_pb::RepairOrderStatus::Delivered as i32,
                time: at(now()),
                actor: "advisor".into(),
            }],
            ..Default::default()
        }),
        region_id: REGION.into(),
        dealer_name: format!("Dealer {}", n % DEALERS),
        station_name: format!("Station {}", n % DEALERS),
        vehicle: None,
        locale: String::new(),
    }
}

/// RO `n` delivered as a warranty RO: two of the part and a labour line;
/// its own vehicle, so that no claim is another's duplicate.
fn warranty_delivered(n: usize) -> dealers_pb::RepairOrderDelivered {
    let mut event = delivered(n);
    let ro = event.repair_order.as_mut().expect("set above");
    ro.vehicle_id = format!("fault-v{n}");
    ro.r#type = dealers_pb::RepairOrderType::Warranty as i32;
    ro.arrival_time = at(now() - 8 * 3600);
    ro.mileage_km = 42_000;
    ro.status = dealers_pb::RepairOrderStatus::Delivered as i32;
    ro.parts_lines = vec![dealers_pb::PartsLine {
        line_number: 1,
        part_number: PART.into(),
        quantity: 2,
        state: dealers_pb::PartsLineState::Issued as i32,
        ..Default::default()
    }];
    ro.labour_lines = vec![dealers_pb::LabourLine {
        line_number: 1,
        operation_code: "BRAKE-REPLACE".into(),
        standard_centihours: 150,
        actual_centihours: 140,
        technician_id: "fault-technician".into(),
        ..Default::default()
    }];
    ro.final_bill = eur(0);
    event.vehicle = Some(dealers_pb::Vehicle {
        id: format!("fault-v{n}"),
        vin: format!("WVWZZZ1JZ{n:08}"),
        model: "VAN-E1".into(),
        warranty_start_date: Some(aftercare_proto::google::r#type::Date {
            year: 2025,
            month: 3,
            day: 1,
        }),
        ..Default::default()
    });
    event
}
