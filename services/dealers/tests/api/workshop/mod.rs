//! Repair orders against a real parts service: the dealers service and the
//! parts service each on a fresh database of the same store, parts served
//! over TCP so that a test can stop it and start it again, and the dealers
//! outbox relay running as in production (with short waits).

mod access;
mod appointments;
mod comebacks;
mod compliance;
mod flows;
mod gate;
mod input;
mod reminders;
mod slow_parts;
mod transitions;
mod watch;

use std::time::Duration;

use aftercare_auth::{Principal, Scope, Secret, assertion::Signer};
use aftercare_db::Db;
use aftercare_dealers::{Dealers, DealersSettings};
use aftercare_outbox::{Backoff, RelaySettings};
use aftercare_proto::{
    common::v1::Money,
    dealers::v1::{
        self as pb, repair_order_service_client::RepairOrderServiceClient,
        service_standard_service_client::ServiceStandardServiceClient,
    },
    parts::v1::{
        self as parts_pb, labour_service_client::LabourServiceClient,
        parts_service_client::PartsServiceClient, stock_service_client::StockServiceClient,
    },
};
use aftercare_test_support::{
    Backend, ManualClock, Served, Signed, TcpServer, eventually, fresh, fresh_with_outbox, within,
};
use prost_types::Timestamp;
use tonic::transport::Channel;

use crate::fixture::{Fixture, Outcome, rid};
use crate::support::Harness;

pub(crate) type Ros = RepairOrderServiceClient<Signed>;
pub(crate) type Standards = ServiceStandardServiceClient<Signed>;
pub(crate) type Stock = StockServiceClient<Signed>;

/// Runs each body once per store with a [`Workshop`].
#[macro_export]
macro_rules! workshop {
    ($name:ident, $body:expr) => {
        aftercare_test_support::on_both_stores!($name, $crate::workshop::Workshop::start, $body);
    };
}

/// The parts service, served over TCP on a port it keeps across restarts.
pub(crate) struct PartsServer {
    db: Db,
    key: Secret,
    tcp: TcpServer,
    /// Where its ReserveStock calls wait while a test holds it.
    pub(crate) gate: gate::Gate,
}

impl PartsServer {
    async fn start(db: Db, key: Secret) -> Self {
        let mut server = PartsServer {
            db,
            key,
            tcp: TcpServer::default(),
            gate: gate::Gate::default(),
        };
        server.up().await;
        server
    }

    /// Serves (again) on the same port.
    pub(crate) async fn up(&mut self) {
        let settings = aftercare_parts::PartsSettings::default();
        let built = aftercare_parts::Parts::new(&settings, self.db.clone(), self.key.clone())
            .build()
            .await;
        // ReserveStock waits at the gate; every other call goes straight on.
        let gated = gate::Gated {
            inner: built.routes.into_axum_router(),
            gate: self.gate.clone(),
        };
        let routes = tonic::service::Routes::from(axum::Router::new().fallback_service(gated));
        self.tcp.up("parts", routes).await;
    }

    /// Stops serving: calls to parts fail as they would with the process
    /// gone.
    pub(crate) async fn down(&mut self) {
        self.tcp.down().await;
    }

    fn channel(&self) -> Channel {
        self.tcp.channel()
    }
}

pub(crate) struct Workshop {
    pub(crate) h: Harness,
    pub(crate) f: Fixture,
    pub(crate) parts: PartsServer,
    pub(crate) parts_channel: Channel,
    pub(crate) dealers_db: Db,
    /// What the standards API takes for now: real time unless a test set
    /// it.
    standards_clock: ManualClock,
}

/// s1's warehouse in parts.
pub(crate) const WAREHOUSE: &str = "s1-store";
/// A part s1 holds 10 of.
pub(crate) const PADS: &str = "BRAKE-PAD-1";
/// A part s1 holds none of.
pub(crate) const DISC: &str = "BRAKE-DISC-1";
/// An operation anyone may do, 1.5 h.
pub(crate) const PADS_OP: &str = "BRAKE-PADS";
/// 2.5 standard hours, no certification.
pub(crate) const ALIGN_OP: &str = "WHEEL-ALIGN";
/// An operation that asks for certification HV-2, 3 h.
pub(crate) const HV_OP: &str = "HV-BATTERY";

impl Workshop {
    pub(crate) async fn start(backend: Backend) -> Workshop {
        // Both services trust one key, as the gateway's.
        let key = Secret::generate();
        let parts_db = fresh(backend, &aftercare_parts::MIGRATOR).await;
        let parts = PartsServer::start(parts_db, key.clone()).await;
        let dealers_db = fresh_with_outbox(backend, &aftercare_dealers::MIGRATOR).await;
        let standards_clock = ManualClock::default();
        let built = Dealers::new(&DealersSettings::default(), dealers_db.clone(), key.clone())
            .with_parts(parts.channel())
            .with_standards_clock(standards_clock.clock())
            .with_relay_settings(RelaySettings {
                poll_interval: Duration::from_millis(20),
                backoff: Backoff {
                    base: Duration::from_millis(20),
                    cap: Duration::from_millis(200),
                },
                delivery_timeout: Duration::from_secs(2),
                ..RelaySettings::default()
            })
            .build()
            .await;
        let (served, ()) = Served::in_process("dealers", built, key);
        let h = Harness { served };
        let f = Fixture::build(&h).await;
        let w = Workshop {
            parts_channel: parts.channel(),
            h,
            f,
            parts,
            dealers_db,
            standards_clock,
        };
        w.stock_up().await;
        w
    }

    pub(crate) fn signer(&self, scope: Scope) -> Signer {
        self.h.served.signer(Principal {
            subject: format!("{scope:?}"),
            scope,
        })
    }

    pub(crate) fn ros_as(&self, scope: Scope) -> Ros {
        RepairOrderServiceClient::with_interceptor(self.h.served.channel(), self.signer(scope))
    }

    /// Dealer d1's staff, all stations.
    pub(crate) fn ros(&self) -> Ros {
        self.ros_as(d1())
    }

    pub(crate) fn standards_as(&self, scope: Scope) -> Standards {
        ServiceStandardServiceClient::with_interceptor(self.h.served.channel(), self.signer(scope))
    }

    pub(crate) fn stock_as(&self, scope: Scope) -> Stock {
        StockServiceClient::with_interceptor(self.parts_channel.clone(), self.signer(scope))
    }

    /// The catalogue, s1's warehouse, and its stock: 10 brake pads.
    async fn stock_up(&self) {
        let oem = self.signer(Scope::Oem);
        let mut catalogue =
            PartsServiceClient::with_interceptor(self.parts_channel.clone(), oem.clone());
        for (number, name) in [(PADS, "Brake pads"), (DISC, "Brake disc")] {
            catalogue
                .create_part(parts_pb::CreatePartRequest {
                    part: Some(parts_pb::Part {
                        part_number: number.into(),
                        display_name: name.into(),
                        category: "BRAKES".into(),
                        list_price: eur(4_000),
                        cost: eur(2_000),
                        ..Default::default()
                    }),
                    request_id: rid(),
                })
                .await
                .answer();
        }
        let mut labour =
            LabourServiceClient::with_interceptor(self.parts_channel.clone(), oem.clone());
        for (code, hours, certification) in [
            (PADS_OP, 150, ""),
            (HV_OP, 300, "HV-2"),
            (ALIGN_OP, 250, ""),
        ] {
            labour
                .create_labour_operation(parts_pb::CreateLabourOperationRequest {
                    labour_operation: Some(parts_pb::LabourOperation {
                        operation_code: code.into(),
                        display_name: code.into(),
                        standard_centihours: hours,
                        required_certification: certification.into(),
                        price: eur(9_000),
                        ..Default::default()
                    }),
                    request_id: rid(),
                })
                .await
                .answer();
        }
        self.stock_as(Scope::Oem)
            .create_warehouse(parts_pb::CreateWarehouseRequest {
                warehouse: Some(parts_pb::Warehouse {
                    warehouse_id: WAREHOUSE.into(),
                    display_name: "Station One store".into(),
                    kind: parts_pb::WarehouseKind::Dealer as i32,
                    region_id: "north".into(),
                    dealer_id: "d1".into(),
                    station_id: "s1".into(),
                    station_class: parts_pb::StationClass::Full as i32,
                    lead_time_days: 2,
                    ..Default::default()
                }),
                request_id: rid(),
            })
            .await
            .answer();
        self.receive(PADS, 10).await;
    }

    pub(crate) async fn receive(&self, part: &str, quantity: i64) {
        self.stock_as(d1())
            .receive_stock(parts_pb::ReceiveStockRequest {
                warehouse_id: WAREHOUSE.into(),
                part_number: part.into(),
                quantity,
                request_id: rid(),
                ..Default::default()
            })
            .await
            .answer();
    }

    /// s1's stock of `part`: (on hand, reserved).
    pub(crate) async fn level(&self, part: &str) -> (i64, i64) {
        let level = self
            .stock_as(d1())
            .get_stock_level(parts_pb::GetStockLevelRequest {
                warehouse_id: WAREHOUSE.into(),
                part_number: part.into(),
            })
            .await
            .answer();
        (level.on_hand, level.reserved)
    }

    /// The reservation of line `line` of RO `ro`, as parts has it.
    pub(crate) async fn reservation(&self, ro: &str, line: i32) -> parts_pb::Reservation {
        self.stock_as(d1())
            .get_reservation(parts_pb::GetReservationRequest {
                warehouse_id: WAREHOUSE.into(),
                repair_order_id: ro.into(),
                line_number: line,
            })
            .await
            .answer()
    }

    /// Waits until the reservation of `ro`'s line reaches `state`.
    pub(crate) async fn await_reservation(
        &self,
        ro: &str,
        line: i32,
        state: parts_pb::ReservationState,
    ) {
        eventually(format!("line {line} of {ro} becomes {state:?}"), || async {
            self.reservation(ro, line).await.state == state as i32
        })
        .await;
    }

    /// The standards API reads `t` as now, or real time again with none.
    pub(crate) fn set_standards_clock(&self, t: Option<time::OffsetDateTime>) {
        self.standards_clock.set(t);
    }

    /// Waits until the outbox has delivered everything for `service`.
    pub(crate) async fn await_delivered(&self, service: &str) {
        eventually(
            format!("the outbox delivers everything for {service}"),
            || async { self.pending(service).await == 0 },
        )
        .await;
    }

    /// Events waiting in the dealers outbox for `service` (all its queues).
    pub(crate) async fn pending(&self, service: &str) -> i64 {
        aftercare_outbox::pending_by_destination(&self.dealers_db)
            .await
            .expect("the backlog reads")
            .into_iter()
            .filter(|b| aftercare_dealers::events::service_of(&b.destination) == service)
            .map(|b| b.pending)
            .sum()
    }

    /// A new RO at s1 for v1, advised by advisor1, promised in 4 hours.
    pub(crate) async fn open(&self) -> pb::RepairOrder {
        self.open_promised(in_hours(4)).await
    }

    /// [`Workshop::open`], promised at `promise_time`.
    pub(crate) async fn open_promised(&self, promise_time: Option<Timestamp>) -> pb::RepairOrder {
        self.ros()
            .create_repair_order(pb::CreateRepairOrderRequest {
                repair_order: Some(pb::RepairOrder {
                    promise_time,
                    ..self.opening()
                }),
                request_id: rid(),
                ..Default::default()
            })
            .await
            .answer()
    }

    /// Starts work on RO `id`.
    pub(crate) async fn start_work(&self, id: &str) -> pb::RepairOrder {
        self.ros()
            .start_repair_order(pb::StartRepairOrderRequest {
                id: id.into(),
                request_id: rid(),
                ..Default::default()
            })
            .await
            .answer()
    }

    pub(crate) fn opening(&self) -> pb::RepairOrder {
        pb::RepairOrder {
            station_id: self.f.s1.id.clone(),
            vehicle_id: self.f.v1.id.clone(),
            advisor_id: self.f.advisor1.id.clone(),
            r#type: pb::RepairOrderType::Repair as i32,
            promise_time: in_hours(4),
            estimate: eur(20_000),
            mileage_km: 12_000,
            ..Default::default()
        }
    }

    /// Starts, completes and delivers RO `id` at its estimate.
    pub(crate) async fn deliver(&self, id: &str) -> pb::RepairOrder {
        let mut c = self.ros();
        let id = id.to_owned();
        c.start_repair_order(pb::StartRepairOrderRequest {
            id: id.clone(),
            request_id: rid(),
            ..Default::default()
        })
        .await
        .answer();
        c.complete_repair_order(pb::CompleteRepairOrderRequest {
            id: id.clone(),
            request_id: rid(),
            ..Default::default()
        })
        .await
        .answer();
        c.deliver_repair_order(pb::DeliverRepairOrderRequest {
            id,
            final_bill: eur(20_000),
            handover: handover(),
            request_id: rid(),
            ..Default::default()
        })
        .await
        .answer()
    }

    pub(crate) async fn add_part(&self, ro: &str, part: &str, quantity: i64) -> pb::RepairOrder {
        self.ros()
            .add_parts_line(pb::AddPartsLineRequest {
                repair_order_id: ro.into(),
                part_number: part.into(),
                quantity,
                request_id: rid(),
                ..Default::default()
            })
            .await
            .answer()
    }

    pub(crate) async fn add_labour(&self, ro: &str, op: &str, technician: &str) -> pb::RepairOrder {
        self.ros()
            .add_labour_line(pb::AddLabourLineRequest {
                repair_order_id: ro.into(),
                operation_code: op.into(),
                technician_id: technician.into(),
                request_id: rid(),
                ..Default::default()
            })
            .await
            .answer()
    }
}

/// Dealer d1's staff.
pub(crate) fn d1() -> Scope {
    Scope::Dealer {
        dealer_id: "d1".into(),
        station_ids: vec![],
    }
}

pub(crate) fn eur(minor_units: i64) -> Option<Money> {
    Some(Money {
        currency_code: "EUR".into(),
        minor_units,
    })
}

pub(crate) fn in_hours(hours: i64) -> Option<Timestamp> {
    in_minutes(hours * 60)
}

pub(crate) fn in_minutes(minutes: i64) -> Option<Timestamp> {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    Some(Timestamp {
        seconds: now + minutes * 60,
        nanos: 0,
    })
}

/// The handover every delivery in these tests goes through.
pub(crate) fn handover() -> Vec<pb::HandoverItem> {
    ["work explained", "old parts shown", "vehicle cleaned"]
        .map(|item| pb::HandoverItem {
            item: item.into(),
            done: true,
        })
        .to_vec()
}
