//! The demo network's day, played through the services' own contracts once
//! the embedded system is wired: the parts catalogue and the stations'
//! stores, the costs of the network (labour cost rates, warranty terms and
//! rate, budgets, a month of cost entries), repair orders in every state
//! (maintenance, repair and warranty ones delivered, so that costs prices
//! them and drafts their claims), and the claims carried to one of each
//! state; then the quality loop (`quality.rs`): survey responses, complaints
//! in every state, scorecard weights, an improvement plan and the dealer
//! assessment league. Everything goes through the same handlers a user's
//! call does.

mod quality;

use std::sync::{
    Arc,
    atomic::{AtomicI64, Ordering},
};

use aftercare_auth::{Principal, Scope, Secret, assertion::Signer};
use aftercare_db::timestamp::Clock;
use aftercare_proto::{
    common::v1::{Money, Period, PeriodKind},
    costs::v1::{
        self as costs_pb, cost_control_service_client::CostControlServiceClient,
        cost_rate_service_client::CostRateServiceClient,
        warranty_claim_service_client::WarrantyClaimServiceClient,
    },
    dealers::v1::{self as pb, repair_order_service_client::RepairOrderServiceClient},
    parts::v1::{
        self as parts_pb, labour_service_client::LabourServiceClient,
        parts_service_client::PartsServiceClient, stock_service_client::StockServiceClient,
    },
};
use anyhow::Context;
use time::OffsetDateTime;
use tonic::{service::interceptor::InterceptedService, transport::Channel};

type Signed = InterceptedService<Channel, Signer>;

/// (station, dealer, region) of the demo network (`aftercare_dealers::demo`).
const STATIONS: &[(&str, &str, &str)] = &[
    ("hm-city", "harbour-motors", "north"),
    ("hm-airport", "harbour-motors", "north"),
    ("ac-munich", "alpine-cars", "south"),
    ("la-konstanz", "lakeside-auto", "south"),
    ("rv-cologne", "rhine-vehicles", "west"),
    ("rv-bonn", "rhine-vehicles", "west"),
];

/// (part, name, list price, cost, warranty-eligible)
const PARTS: &[(&str, &str, i64, i64, bool)] = &[
    ("OIL-FILTER-5", "Oil filter", 1_890, 720, false),
    ("PAD-SET-FRONT", "Brake pad set, front", 8_900, 4_100, true),
    (
        "HV-CONNECTOR",
        "High-voltage connector",
        24_500,
        13_800,
        true,
    ),
];

/// (operation, name, standard hours in hundredths, certification, price)
const OPERATIONS: &[(&str, &str, i32, &str, i64)] = &[
    ("OIL-SERVICE", "Oil and filter change", 50, "", 6_900),
    ("PAD-REPLACE", "Replace front brake pads", 120, "", 14_400),
    ("HV-CHECK", "High-voltage system check", 80, "HV-2", 11_200),
];

/// The states the demo carries its claims to: those an approval reaches go
/// to claims whose checks all passed, the others to the rest first (a demo
/// vehicle whose warranty has run out by the day the demo is played).
const APPROVED_STATES: [costs_pb::ClaimState; 3] = [
    costs_pb::ClaimState::Approved,
    costs_pb::ClaimState::PartlyApproved,
    costs_pb::ClaimState::Paid,
];
const OTHER_STATES: [costs_pb::ClaimState; 3] = [
    costs_pb::ClaimState::Rejected,
    costs_pb::ClaimState::Submitted,
    costs_pb::ClaimState::Draft,
];

/// The channels to the services and the key their calls are signed with.
#[derive(Debug, Clone)]
pub(crate) struct Channels {
    pub parts: Channel,
    pub dealers: Channel,
    pub costs: Channel,
    pub surveys: Channel,
    pub key: Secret,
    /// The clock surveys reads.
    pub rewind: Rewind,
}

/// The demo's clock for surveys: the system's time, less a number of
/// seconds the demo sets while it opens a complaint "hours ago" (a complaint
/// cannot be opened in the past through the contract, and one past its
/// deadline is what the escalation sweep has to show).
#[derive(Debug, Clone, Default)]
pub(crate) struct Rewind(Arc<AtomicI64>);

impl Rewind {
    pub(crate) fn clock(&self) -> Clock {
        let back = self.0.clone();
        Clock::new(move || {
            OffsetDateTime::now_utc() - time::Duration::seconds(back.load(Ordering::SeqCst))
        })
    }

    /// Surveys reads the time `back` ago from now on (zero: now again).
    fn set(&self, back: time::Duration) {
        self.0.store(back.whole_seconds(), Ordering::SeqCst);
    }
}

impl Channels {
    fn signed(&self, channel: &Channel, scope: Scope) -> Signed {
        let signer = Signer {
            principal: Principal {
                subject: "demo".into(),
                scope,
            },
            key: self.key.clone(),
        };
        InterceptedService::new(channel.clone(), signer)
    }
}

fn eur(minor_units: i64) -> Option<Money> {
    Some(Money {
        currency_code: "EUR".into(),
        minor_units,
    })
}

fn timestamp(t: OffsetDateTime) -> Option<prost_types::Timestamp> {
    Some(prost_types::Timestamp {
        seconds: t.unix_timestamp(),
        nanos: 0,
    })
}

fn staff(dealer: &str) -> Scope {
    Scope::Dealer {
        dealer_id: dealer.into(),
        station_ids: vec![],
    }
}

/// Plays the demo's day; the claims are carried on once costs has drafted
/// them (the dealers relay delivers the warranty ROs meanwhile).
pub(crate) async fn play(c: Channels) -> anyhow::Result<()> {
    catalogue(&c).await.context("the parts catalogue")?;
    costs(&c).await.context("the costs of the network")?;
    // Before the ROs: a standard holds an RO to the version in force when it
    // was opened, and an invitation asks the survey published at delivery.
    let overdue = quality::before_repair_orders(&c)
        .await
        .context("the standards, the survey and an overdue complaint")?;
    let delivered = repair_orders(&c).await.context("the repair orders")?;
    let warranty: Vec<_> = delivered
        .iter()
        .filter(|ro| ro.warranty)
        .map(|ro| ro.id.clone())
        .collect();
    claims(&c, &warranty).await.context("the warranty claims")?;
    quality::after_repair_orders(&c, &delivered, &overdue)
        .await
        .context("the quality loop")
}

async fn catalogue(c: &Channels) -> anyhow::Result<()> {
    let mut parts = PartsServiceClient::new(c.signed(&c.parts, Scope::Oem));
    for (number, name, price, cost, eligible) in PARTS {
        parts
            .create_part(parts_pb::CreatePartRequest {
                part: Some(parts_pb::Part {
                    part_number: (*number).into(),
                    display_name: (*name).into(),
                    category: "SERVICE".into(),
                    list_price: eur(*price),
                    cost: eur(*cost),
                    warranty_eligible: *eligible,
                    ..Default::default()
                }),
                request_id: format!("demo-part-{number}"),
            })
            .await?;
    }
    let mut labour = LabourServiceClient::new(c.signed(&c.parts, Scope::Oem));
    for (code, name, hours, certification, price) in OPERATIONS {
        labour
            .create_labour_operation(parts_pb::CreateLabourOperationRequest {
                labour_operation: Some(parts_pb::LabourOperation {
                    operation_code: (*code).into(),
                    display_name: (*name).into(),
                    standard_centihours: *hours,
                    required_certification: (*certification).into(),
                    price: eur(*price),
                    ..Default::default()
                }),
                request_id: format!("demo-operation-{code}"),
            })
            .await?;
    }
    let mut stock = StockServiceClient::new(c.signed(&c.parts, Scope::Oem));
    for (station, dealer, region) in STATIONS {
        stock
            .create_warehouse(parts_pb::CreateWarehouseRequest {
                warehouse: Some(parts_pb::Warehouse {
                    warehouse_id: format!("{station}-wh"),
                    display_name: format!("{station} parts store"),
                    kind: parts_pb::WarehouseKind::Dealer as i32,
                    region_id: (*region).into(),
                    dealer_id: (*dealer).into(),
                    station_id: (*station).into(),
                    station_class: parts_pb::StationClass::Full as i32,
                    lead_time_days: 2,
                    ..Default::default()
                }),
                request_id: format!("demo-store-{station}"),
            })
            .await?;
        let mut own = StockServiceClient::new(c.signed(&c.parts, staff(dealer)));
        for (number, ..) in PARTS {
            own.receive_stock(parts_pb::ReceiveStockRequest {
                warehouse_id: format!("{station}-wh"),
                part_number: (*number).into(),
                quantity: 40,
                reference: "opening stock".into(),
                request_id: format!("demo-receive-{station}-{number}"),
                ..Default::default()
            })
            .await?;
        }
    }
    Ok(())
}

/// Rates from the start of last year, warranty terms per model, this
/// month's budgets and cost entries.
async fn costs(c: &Channels) -> anyhow::Result<()> {
    let now = OffsetDateTime::now_utc();
    let since = timestamp(now - time::Duration::days(400));
    let mut rates = CostRateServiceClient::new(c.signed(&c.costs, Scope::Oem));
    rates
        .set_labour_cost_rate(costs_pb::SetLabourCostRateRequest {
            rate: Some(costs_pb::LabourCostRate {
                station_id: String::new(),
                effective_time: since,
                hourly_cost: eur(4_200),
                ..Default::default()
            }),
            request_id: "demo-rate-network".into(),
        })
        .await?;
    for (n, (station, ..)) in STATIONS.iter().enumerate().take(3) {
        rates
            .set_labour_cost_rate(costs_pb::SetLabourCostRateRequest {
                rate: Some(costs_pb::LabourCostRate {
                    station_id: (*station).into(),
                    effective_time: since,
                    hourly_cost: eur(4_500 + 300 * n as i64),
                    ..Default::default()
                }),
                request_id: format!("demo-rate-{station}"),
            })
            .await?;
    }
    rates
        .set_warranty_labour_rate(costs_pb::SetWarrantyLabourRateRequest {
            rate: Some(costs_pb::WarrantyLabourRate {
                effective_time: since,
                hourly_rate: eur(9_600),
                ..Default::default()
            }),
            request_id: "demo-warranty-rate".into(),
        })
        .await?;
    for model in ["CITY-E", "FAMILY-5", "VAN-E1", "TRIKE-3"] {
        rates
            .set_warranty_terms(costs_pb::SetWarrantyTermsRequest {
                terms: Some(costs_pb::WarrantyTerms {
                    model: model.into(),
                    effective_date: Some(aftercare_proto::google::r#type::Date {
                        year: 2020,
                        month: 1,
                        day: 1,
                    }),
                    months: 36,
                    kilometres: 100_000,
                    ..Default::default()
                }),
                request_id: format!("demo-terms-{model}"),
            })
            .await?;
    }

    let month = Period {
        kind: PeriodKind::Month as i32,
        year: now.year(),
        number: i32::from(u8::from(now.month())),
    };
    let mut control = CostControlServiceClient::new(c.signed(&c.costs, Scope::Oem));
    let dealers = [
        "harbour-motors",
        "alpine-cars",
        "lakeside-auto",
        "rhine-vehicles",
    ];
    for (n, dealer) in dealers.iter().enumerate() {
        let budgets = [
            (costs_pb::CostCategory::Warranty, 60_000 + 20_000 * n as i64),
            (costs_pb::CostCategory::Premises, 800_000),
            (costs_pb::CostCategory::Utilities, 90_000),
        ];
        for (category, amount) in budgets {
            control
                .set_budget(costs_pb::SetBudgetRequest {
                    budget: Some(costs_pb::Budget {
                        scope: Some(costs_pb::CostScope {
                            level: costs_pb::ScopeLevel::Dealer as i32,
                            id: (*dealer).into(),
                        }),
                        category: category as i32,
                        period: Some(month),
                        amount: eur(amount),
                        ..Default::default()
                    }),
                    request_id: format!("demo-budget-{dealer}-{}", category as i32),
                    ..Default::default()
                })
                .await?;
        }
    }
    for (n, (station, dealer, _)) in STATIONS.iter().enumerate() {
        let mut own = CostControlServiceClient::new(c.signed(&c.costs, staff(dealer)));
        let entries = [
            (costs_pb::CostCategory::Premises, 380_000, 0, None),
            (costs_pb::CostCategory::BaseSalaries, 1_450_000, 0, None),
            (
                costs_pb::CostCategory::Consumables,
                42_000 + 3_000 * n as i64,
                0,
                None,
            ),
            // A standing charge plus consumption; one station runs over.
            (
                costs_pb::CostCategory::Utilities,
                if n == 4 { 98_000 } else { 41_000 },
                15_000,
                Some(costs_pb::CostDriver {
                    name: "kwh".into(),
                    quantity: 6_500,
                }),
            ),
        ];
        for (category, amount, fixed, driver) in entries {
            let semi = driver.is_some();
            own.create_cost_entry(costs_pb::CreateCostEntryRequest {
                entry: Some(costs_pb::CostEntry {
                    station_id: (*station).into(),
                    month: Some(month),
                    category: category as i32,
                    behaviour: if semi {
                        costs_pb::CostBehaviour::SemiVariable as i32
                    } else {
                        0
                    },
                    amount: eur(amount),
                    fixed_amount: semi.then(|| eur(fixed)).flatten(),
                    driver,
                    description: "monthly close".into(),
                    ..Default::default()
                }),
                request_id: format!("demo-entry-{station}-{}", category as i32),
            })
            .await?;
        }
    }
    Ok(())
}

/// One RO of the demo: its type and how far it goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Until {
    Opened,
    InProgress,
    Completed,
    Delivered,
    Closed,
    Cancelled,
}

/// An RO the demo delivered.
pub(crate) struct DeliveredRo {
    pub id: String,
    pub station: &'static str,
    pub dealer: &'static str,
    pub warranty: bool,
}

/// ROs at every station in every state; the warranty ones delivered.
/// Returns the delivered ROs, in order.
async fn repair_orders(c: &Channels) -> anyhow::Result<Vec<DeliveredRo>> {
    use Until::*;
    use pb::RepairOrderType::{Maintenance, Repair, Warranty};
    let plan = [
        (Maintenance, "OIL-SERVICE", "OIL-FILTER-5", Delivered),
        (Repair, "PAD-REPLACE", "PAD-SET-FRONT", Delivered),
        (Warranty, "PAD-REPLACE", "PAD-SET-FRONT", Delivered),
        (Maintenance, "OIL-SERVICE", "OIL-FILTER-5", Closed),
        (Repair, "PAD-REPLACE", "PAD-SET-FRONT", Completed),
        (Maintenance, "OIL-SERVICE", "OIL-FILTER-5", InProgress),
        (Maintenance, "OIL-SERVICE", "OIL-FILTER-5", Opened),
        (Repair, "PAD-REPLACE", "PAD-SET-FRONT", Cancelled),
        (Warranty, "PAD-REPLACE", "PAD-SET-FRONT", Delivered),
    ];
    let mut delivered = vec![];
    let now = OffsetDateTime::now_utc();
    for (s, (station, dealer, _)) in STATIONS.iter().enumerate() {
        let mut ros = RepairOrderServiceClient::new(c.signed(&c.dealers, staff(dealer)));
        for (n, (kind, operation, part, until)) in plan.iter().enumerate() {
            // Two warranty ROs at each of the first three stations: six
            // claims, one per state.
            if *kind == Warranty && s >= 3 {
                continue;
            }
            let rid = |step: &str| format!("demo-ro-{station}-{n}-{step}");
            // The station's two warranty ROs are on its two vehicles: the
            // same VIN and part twice in 30 days is a duplicate claim.
            let warranty_ros = plan[..n].iter().filter(|p| p.0 == Warranty).count();
            let vehicle = if *kind == Warranty {
                format!("{station}-vehicle-{}", 1 + warranty_ros)
            } else {
                format!("{station}-vehicle-{}", 1 + n % 2)
            };
            let ro = ros
                .create_repair_order(pb::CreateRepairOrderRequest {
                    repair_order: Some(pb::RepairOrder {
                        station_id: (*station).into(),
                        vehicle_id: vehicle,
                        advisor_id: format!("{station}-advisor"),
                        r#type: *kind as i32,
                        promise_time: timestamp(now + time::Duration::hours(2 + n as i64)),
                        estimate: eur(30_000),
                        mileage_km: 24_000 + 1_000 * n as i64,
                        ..Default::default()
                    }),
                    request_id: rid("open"),
                    ..Default::default()
                })
                .await?
                .into_inner();
            let id = ro.id.clone();
            ros.add_labour_line(pb::AddLabourLineRequest {
                repair_order_id: id.clone(),
                operation_code: (*operation).into(),
                technician_id: format!("{station}-tech-1"),
                request_id: rid("labour"),
                ..Default::default()
            })
            .await?;
            ros.add_parts_line(pb::AddPartsLineRequest {
                repair_order_id: id.clone(),
                part_number: (*part).into(),
                quantity: 1,
                request_id: rid("part"),
                ..Default::default()
            })
            .await?;
            if *until == Opened {
                continue;
            }
            if *until == Cancelled {
                ros.cancel_repair_order(pb::CancelRepairOrderRequest {
                    id,
                    reason: "customer postponed".into(),
                    request_id: rid("cancel"),
                    ..Default::default()
                })
                .await?;
                continue;
            }
            ros.start_repair_order(pb::StartRepairOrderRequest {
                id: id.clone(),
                request_id: rid("start"),
                ..Default::default()
            })
            .await?;
            ros.record_labour_time(pb::RecordLabourTimeRequest {
                repair_order_id: id.clone(),
                line_number: 1,
                // Warranty work within its standard hours (a claim's check);
                // other work as it went.
                actual_centihours: if *kind == Warranty {
                    100
                } else {
                    110 + 10 * (n as i32 % 3)
                },
                technician_id: format!("{station}-tech-1"),
                request_id: rid("time"),
                ..Default::default()
            })
            .await?;
            if *until == InProgress {
                continue;
            }
            ros.complete_repair_order(pb::CompleteRepairOrderRequest {
                id: id.clone(),
                request_id: rid("complete"),
                ..Default::default()
            })
            .await?;
            if *until == Completed {
                continue;
            }
            let bill = if *kind == Warranty {
                0
            } else {
                18_000 + 2_500 * n as i64
            };
            ros.deliver_repair_order(pb::DeliverRepairOrderRequest {
                id: id.clone(),
                final_bill: eur(bill),
                handover: vec![pb::HandoverItem {
                    item: "work explained".into(),
                    done: true,
                }],
                request_id: rid("deliver"),
                ..Default::default()
            })
            .await?;
            if *until == Closed {
                ros.close_repair_order(pb::CloseRepairOrderRequest {
                    id: id.clone(),
                    request_id: rid("close"),
                    ..Default::default()
                })
                .await?;
            }
            delivered.push(DeliveredRo {
                id,
                station,
                dealer,
                warranty: *kind == Warranty,
            });
        }
    }
    Ok(delivered)
}

/// Waits for costs to draft each warranty RO's claim, then carries the
/// claims to one state each.
async fn claims(c: &Channels, warranty: &[String]) -> anyhow::Result<()> {
    let oem = WarrantyClaimServiceClient::new(c.signed(&c.costs, Scope::Oem));
    let mut drafted = vec![];
    for ro in warranty {
        let id = format!("WC-{ro}");
        let claim = quality::waited(&format!("the claim {id}"), || {
            let mut oem = oem.clone();
            let request = costs_pb::GetWarrantyClaimRequest { id: id.clone() };
            async move { Ok(oem.get_warranty_claim(request).await.ok()) }
        })
        .await?;
        drafted.push(claim.into_inner());
    }
    let passed = |claim: &costs_pb::WarrantyClaim| {
        claim
            .checks
            .iter()
            .all(|check| check.result == costs_pb::CheckResult::Passed as i32)
    };
    let (clean, failing): (Vec<_>, Vec<_>) = drafted.iter().partition(|claim| passed(claim));
    let mut clean = clean.into_iter();
    let mut failing = failing.into_iter();
    for target in APPROVED_STATES {
        if let Some(claim) = clean.next() {
            advance(c, claim, target)
                .await
                .with_context(|| format!("claim {}", claim.id))?;
        }
    }
    for target in OTHER_STATES {
        if let Some(claim) = failing.next().or_else(|| clean.next()) {
            advance(c, claim, target)
                .await
                .with_context(|| format!("claim {}", claim.id))?;
        }
    }
    Ok(())
}

async fn advance(
    c: &Channels,
    claim: &costs_pb::WarrantyClaim,
    target: costs_pb::ClaimState,
) -> anyhow::Result<()> {
    use costs_pb::ClaimState::*;
    if target == Draft {
        return Ok(());
    }
    let id = claim.id.clone();
    let rid = |step: &str| format!("demo-claim-{id}-{step}");
    let mut dealer = WarrantyClaimServiceClient::new(c.signed(&c.costs, staff(&claim.dealer_id)));
    let mut oem = WarrantyClaimServiceClient::new(c.signed(&c.costs, Scope::Oem));
    dealer
        .submit_warranty_claim(costs_pb::SubmitWarrantyClaimRequest {
            id: id.clone(),
            request_id: rid("submit"),
            ..Default::default()
        })
        .await?;
    match target {
        Submitted | Unspecified | Draft => {}
        Rejected => {
            oem.reject_warranty_claim(costs_pb::RejectWarrantyClaimRequest {
                id: id.clone(),
                reason: "pads worn by use, not a defect".into(),
                request_id: rid("reject"),
                ..Default::default()
            })
            .await?;
        }
        Approved | PartlyApproved | Paid => {
            let cut = (target == PartlyApproved)
                .then(|| {
                    claim
                        .lines
                        .iter()
                        .find(|l| l.kind == costs_pb::ClaimLineKind::Labour as i32)
                })
                .flatten()
                .map(|l| costs_pb::LineDecision {
                    line_number: l.line_number,
                    approved: eur(l.claimed.as_ref().map_or(0, |m| m.minor_units) / 2),
                    reason: "half the labour: the hours exceed the standard".into(),
                });
            oem.approve_warranty_claim(costs_pb::ApproveWarrantyClaimRequest {
                id: id.clone(),
                line_decisions: cut.into_iter().collect(),
                request_id: rid("approve"),
                ..Default::default()
            })
            .await?;
            if target == Paid {
                oem.pay_warranty_claim(costs_pb::PayWarrantyClaimRequest {
                    id: id.clone(),
                    payment_reference: "PAY-DEMO-0001".into(),
                    request_id: rid("pay"),
                    ..Default::default()
                })
                .await?;
            }
        }
    }
    Ok(())
}
