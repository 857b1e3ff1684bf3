//! Warranty claims drafted under load, for `claims`: the parts, dealers and
//! costs services each on its own PostgreSQL database and loopback port,
//! costs reaching parts and dealers over TCP as the distributed app does.
//! A network, a catalogue and stock are seeded, and the ROs' parts lines
//! are reserved and issued in parts beforehand; then the clients send the
//! warranty-RO events to costs as the dealers relay does, each drafting a
//! claim whose checks read parts (prices, catalogue, ledger, labour
//! operation) and dealers (the technician).

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use aftercare_auth::{Principal, Secret, testing as who};
use aftercare_costs::{Costs, CostsSettings};
use aftercare_db::{Backend, sqlx, testing};
use aftercare_dealers::{Dealers, DealersSettings};
use aftercare_parts::{Parts, PartsSettings};
use aftercare_proto::{
    common::v1::Money,
    costs::v1::{
        CheckResult, ReceiveWarrantyRepairOrderDeliveredRequest,
        cost_event_service_client::CostEventServiceClient,
    },
    dealers::v1::{self as dealers_pb, dealers_service_client::DealersServiceClient},
    google::r#type::Date,
    parts::v1::{
        self as parts_pb, labour_service_client::LabourServiceClient,
        parts_service_client::PartsServiceClient, stock_service_client::StockServiceClient,
    },
};
use anyhow::Context;
use prost_types::Timestamp;
use tokio::sync::watch;
use tonic::{service::interceptor::InterceptedService, transport::Channel};

use crate::{
    latency::Latencies,
    run::connect,
    scenarios::Auth,
    system::{bind, open_url, peer, spawn_server},
};

/// The RO's arrival: prices, rates and certifications are those of then.
const ARRIVAL: i64 = 1_762_761_600; // 2025-11-10T08:00:00Z
const DEALER: &str = "d1";

/// The three services, serving until dropped.
pub(crate) struct ClaimsSystem {
    costs: SocketAddr,
    parts: SocketAddr,
    dealers: SocketAddr,
    key: Secret,
    /// The databases' names, for the report.
    pub(crate) databases: Vec<String>,
    _stop: watch::Sender<()>,
}

/// Serves parts, dealers and costs, each on a fresh PostgreSQL database of
/// the server `AFTERCARE_TEST_POSTGRES_URL` names, with pools of
/// `max_connections`.
pub(crate) async fn start(max_connections: u32) -> anyhow::Result<ClaimsSystem> {
    let key = Secret::generate();
    let (stop, stopped) = watch::channel(());
    let shutdown = move || {
        let mut stopped = stopped.clone();
        async move {
            let _ = stopped.changed().await;
        }
    };
    let mut databases = vec![];
    let mut dbs = vec![];
    for (name, migrator) in [
        ("parts", &aftercare_parts::MIGRATOR),
        ("dealers", &aftercare_dealers::MIGRATOR),
        ("costs", &aftercare_costs::MIGRATOR),
    ] {
        let url = testing::fresh_url(Backend::Postgres);
        let label = format!("{name}: {}", url.rsplit('/').next().unwrap_or_default());
        let db = open_url(&url, &label, max_connections, migrator).await?;
        aftercare_outbox::migrate(&db).await?;
        databases.push(label);
        dbs.push(db);
    }
    let [parts_db, dealers_db, costs_db] =
        <[_; 3]>::try_from(dbs).map_err(|_| anyhow::anyhow!("three databases"))?;

    let parts_routes = Parts::new(&PartsSettings::default(), parts_db, key.clone())
        .build()
        .await
        .routes;
    let (listener, parts) = bind().await?;
    spawn_server(
        "parts",
        aftercare_serving::serve("parts", parts_routes, listener, shutdown()),
    );
    let dealers_routes = Dealers::new(&DealersSettings::default(), dealers_db, key.clone())
        .with_parts(peer(parts)?)
        .without_relay()
        .build()
        .await
        .routes;
    let (listener, dealers) = bind().await?;
    spawn_server(
        "dealers",
        aftercare_serving::serve("dealers", dealers_routes, listener, shutdown()),
    );
    let costs_routes = Costs::new(&CostsSettings::default(), costs_db.clone(), key.clone())?
        .with_parts(peer(parts)?)
        .with_dealers(peer(dealers)?)
        .build()
        .await
        .routes;
    let (listener, costs) = bind().await?;
    spawn_server(
        "costs",
        aftercare_serving::serve("costs", costs_routes, listener, shutdown()),
    );
    // The rates are costs' own; their RPCs are not what is measured.
    for sql in [
        "INSERT INTO warranty_labour_rates (effective_time, hourly_rate, create_time) \
         VALUES (0, 8000, 0)",
        "INSERT INTO warranty_terms (model, effective_date, months, kilometres, create_time) \
         VALUES ('VAN-E1', '2000-01-01', 36, 100000, 0)",
    ] {
        sqlx::query(sql).execute(costs_db.pool()).await?;
    }
    Ok(ClaimsSystem {
        costs,
        parts,
        dealers,
        key,
        databases,
        _stop: stop,
    })
}

type Signed = InterceptedService<Channel, Auth>;

fn eur(minor_units: i64) -> Option<Money> {
    Some(Money {
        currency_code: "EUR".into(),
        minor_units,
    })
}

fn at(seconds: i64) -> Option<Timestamp> {
    Some(Timestamp { seconds, nanos: 0 })
}

fn rid() -> String {
    uuid::Uuid::new_v4().to_string()
}

impl ClaimsSystem {
    fn signed(&self, addr: SocketAddr, principal: Principal) -> anyhow::Result<Signed> {
        Ok(InterceptedService::new(
            peer(addr)?,
            Auth::signed(principal, self.key.clone()),
        ))
    }

    /// The network (region north, dealer d1, station s1, technician t1
    /// certified HV-2), the parts PAD-1 and DISC-1 with their prices, the
    /// labour operation BRAKE-REPLACE needing HV-2, and d1's warehouse with
    /// stock for `ros` ROs.
    pub(crate) async fn seed(&self, ros: usize) -> anyhow::Result<()> {
        let mut net = DealersServiceClient::new(self.signed(self.dealers, who::oem())?);
        net.create_region(dealers_pb::CreateRegionRequest {
            region: Some(dealers_pb::Region {
                display_name: "North".into(),
                ..Default::default()
            }),
            region_id: "north".into(),
            request_id: rid(),
        })
        .await?;
        net.create_dealer(dealers_pb::CreateDealerRequest {
            dealer: Some(dealers_pb::Dealer {
                region_id: "north".into(),
                display_name: "Dealer One".into(),
                code: "D1".into(),
                city: "Town".into(),
                ..Default::default()
            }),
            dealer_id: DEALER.into(),
            request_id: rid(),
        })
        .await?;
        net.create_station(dealers_pb::CreateStationRequest {
            station: Some(dealers_pb::Station {
                dealer_id: DEALER.into(),
                display_name: "Station One".into(),
                code: "S1".into(),
                city: "Town".into(),
                build_standard: dealers_pb::BuildStandard::Service as i32,
                ..Default::default()
            }),
            station_id: "s1".into(),
            request_id: rid(),
        })
        .await?;
        net.create_staff_member(dealers_pb::CreateStaffMemberRequest {
            staff_member: Some(dealers_pb::StaffMember {
                station_id: "s1".into(),
                display_name: "Tess Technician".into(),
                position: dealers_pb::StaffPosition::Technician as i32,
                certifications: vec![dealers_pb::Certification {
                    kind: "HV-2".into(),
                    expire_date: Some(Date {
                        year: 2030,
                        month: 1,
                        day: 31,
                    }),
                }],
                ..Default::default()
            }),
            staff_member_id: "t1".into(),
            request_id: rid(),
        })
        .await?;

        let mut catalogue = PartsServiceClient::new(self.signed(self.parts, who::oem())?);
        for (part, price) in [("PAD-1", 4_550), ("DISC-1", 12_000)] {
            catalogue
                .create_part(parts_pb::CreatePartRequest {
                    part: Some(parts_pb::Part {
                        part_number: part.into(),
                        display_name: format!("Part {part}"),
                        category: "BRAKES".into(),
                        list_price: eur(price),
                        cost: eur(price / 2),
                        warranty_eligible: true,
                        ..Default::default()
                    }),
                    request_id: rid(),
                })
                .await?;
            catalogue
                .schedule_price_change(parts_pb::SchedulePriceChangeRequest {
                    part_number: part.into(),
                    effective_time: at(ARRIVAL - 86_400 * 30),
                    list_price: eur(price),
                    cost: eur(price / 2),
                    request_id: rid(),
                })
                .await?;
        }
        LabourServiceClient::new(self.signed(self.parts, who::oem())?)
            .create_labour_operation(parts_pb::CreateLabourOperationRequest {
                labour_operation: Some(parts_pb::LabourOperation {
                    operation_code: "BRAKE-REPLACE".into(),
                    display_name: "Replace brakes".into(),
                    standard_centihours: 150,
                    required_certification: "HV-2".into(),
                    price: eur(15_000),
                    ..Default::default()
                }),
                request_id: rid(),
            })
            .await?;
        StockServiceClient::new(self.signed(self.parts, who::oem())?)
            .create_warehouse(parts_pb::CreateWarehouseRequest {
                warehouse: Some(parts_pb::Warehouse {
                    warehouse_id: "d1-wh".into(),
                    display_name: "Dealer One's warehouse".into(),
                    kind: parts_pb::WarehouseKind::Dealer as i32,
                    region_id: "north".into(),
                    dealer_id: DEALER.into(),
                    ..Default::default()
                }),
                request_id: rid(),
            })
            .await?;
        let mut stock = StockServiceClient::new(self.signed(self.parts, who::dealer(DEALER))?);
        for (part, per_ro) in [("PAD-1", 2), ("DISC-1", 1)] {
            stock
                .receive_stock(parts_pb::ReceiveStockRequest {
                    warehouse_id: "d1-wh".into(),
                    part_number: part.into(),
                    quantity: per_ro * ros as i64,
                    request_id: rid(),
                    ..Default::default()
                })
                .await?;
        }
        Ok(())
    }

    /// Reserves and issues the parts lines of ROs 0..`ros` in parts, as the
    /// dealers relay does when each is completed, `clients` at a time.
    pub(crate) async fn issue(&self, ros: usize, clients: usize) -> anyhow::Result<()> {
        let next = Arc::new(AtomicUsize::new(0));
        let workers = (0..clients).map(|_| {
            let next = next.clone();
            let client = self.signed(self.parts, who::dealers_relay(DEALER));
            async move {
                let mut stock = StockServiceClient::new(client?);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= ros {
                        return anyhow::Ok(());
                    }
                    for (line, part, quantity) in [(1, "PAD-1", 2), (2, "DISC-1", 1)] {
                        stock
                            .reserve_stock(parts_pb::ReserveStockRequest {
                                warehouse_id: "d1-wh".into(),
                                part_number: part.into(),
                                quantity,
                                repair_order_id: ro_id(i),
                                line_number: line,
                                request_id: rid(),
                                ..Default::default()
                            })
                            .await?;
                        stock
                            .issue_reservation(parts_pb::IssueReservationRequest {
                                warehouse_id: "d1-wh".into(),
                                repair_order_id: ro_id(i),
                                line_number: line,
                                request_id: rid(),
                            })
                            .await?;
                    }
                }
            }
        });
        for done in futures::future::join_all(workers).await {
            done.context("failed to issue an RO's parts in parts")?;
        }
        Ok(())
    }

    /// Sends the warranty-RO events of ROs 0..`ros` to costs, `clients` at a
    /// time over a connection each, as the dealers relay does.
    pub(crate) async fn draft(&self, ros: usize, clients: usize) -> anyhow::Result<Drafted> {
        let channels = connect(&format!("http://{}", self.costs), clients).await?;
        let next = Arc::new(AtomicUsize::new(0));
        let start = Instant::now();
        let workers = channels.into_iter().map(|channel| {
            let next = next.clone();
            let auth = Auth::signed(who::dealers_relay(DEALER), self.key.clone());
            async move {
                let mut costs = CostEventServiceClient::with_interceptor(channel, auth);
                let (mut nanos, mut all_passed, mut errors) = (vec![], 0usize, 0usize);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= ros {
                        return (nanos, all_passed, errors);
                    }
                    let request = ReceiveWarrantyRepairOrderDeliveredRequest {
                        event: Some(delivered(i)),
                        request_id: rid(),
                    };
                    let t = Instant::now();
                    match costs.receive_warranty_repair_order_delivered(request).await {
                        Ok(claim) => {
                            nanos.push(t.elapsed().as_nanos() as u64);
                            let claim = claim.into_inner();
                            if claim
                                .checks
                                .iter()
                                .all(|c| c.result == CheckResult::Passed as i32)
                            {
                                all_passed += 1;
                            }
                        }
                        Err(status) => {
                            if errors == 0 {
                                eprintln!("a draft failed: {status:?}");
                            }
                            errors += 1;
                        }
                    }
                }
            }
        });
        let per_client = futures::future::join_all(workers).await;
        let wall = start.elapsed();
        let mut drafted = Drafted {
            wall,
            ..Drafted::default()
        };
        let mut samples = vec![];
        for (nanos, passed, errors) in per_client {
            samples.push(nanos);
            drafted.all_passed += passed;
            drafted.errors += errors;
        }
        drafted.latencies = Latencies::merge(samples);
        Ok(drafted)
    }
}

/// What a drafting run gave.
#[derive(Debug, Default)]
pub(crate) struct Drafted {
    pub(crate) latencies: Latencies,
    pub(crate) wall: Duration,
    /// Claims whose every check passed.
    pub(crate) all_passed: usize,
    pub(crate) errors: usize,
}

fn ro_id(i: usize) -> String {
    format!("ro-{i}")
}

/// RO `i` delivered: two PAD-1 (line 1), one DISC-1 (line 2) and
/// BRAKE-REPLACE by t1; its own vehicle, so that no claim is another's
/// duplicate.
fn delivered(i: usize) -> dealers_pb::RepairOrderDelivered {
    let parts_line = |line_number, part: &str, quantity| dealers_pb::PartsLine {
        line_number,
        part_number: part.into(),
        quantity,
        state: dealers_pb::PartsLineState::Issued as i32,
        ..Default::default()
    };
    dealers_pb::RepairOrderDelivered {
        repair_order: Some(dealers_pb::RepairOrder {
            id: ro_id(i),
            station_id: "s1".into(),
            dealer_id: DEALER.into(),
            vehicle_id: format!("v{i}"),
            r#type: dealers_pb::RepairOrderType::Warranty as i32,
            arrival_time: at(ARRIVAL),
            mileage_km: 42_000,
            status: dealers_pb::RepairOrderStatus::Delivered as i32,
            labour_lines: vec![dealers_pb::LabourLine {
                line_number: 1,
                operation_code: "BRAKE-REPLACE".into(),
                standard_centihours: 150,
                actual_centihours: 140,
                technician_id: "t1".into(),
                ..Default::default()
            }],
            parts_lines: vec![parts_line(1, "PAD-1", 2), parts_line(2, "DISC-1", 1)],
            history: vec![dealers_pb::StatusChange {
                status: dealers_pb::RepairOrderStatus::Delivered as i32,
                time: at(ARRIVAL + 8 * 3600),
                actor: "advisor".into(),
            }],
            final_bill: eur(0),
            ..Default::default()
        }),
        region_id: "north".into(),
        dealer_name: "Dealer One".into(),
        station_name: "Station One".into(),
        vehicle: Some(dealers_pb::Vehicle {
            id: format!("v{i}"),
            vin: format!("WVWZZZ1JZ{i:08}"),
            model: "VAN-E1".into(),
            warranty_start_date: Some(Date {
                year: 2025,
                month: 3,
                day: 1,
            }),
            ..Default::default()
        }),
        // Costs reads no locale.
        locale: String::new(),
    }
}
