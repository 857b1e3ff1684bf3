//! The dealers service with its service standards on a fresh database, a
//! clock the test sets, repair orders written straight into the table (the
//! repair-order API is not there yet), and clients of ServiceStandardService
//! as any principal.

use aftercare_auth::Principal;
use aftercare_db::Db;
use aftercare_dealers::{Dealers, DealersSettings, MIGRATOR, Store};
use aftercare_proto::{
    common::v1::{Period, PeriodKind},
    dealers::v1::{
        self as pb, RepairOrderType, StandardMoment,
        service_standard_service_client::ServiceStandardServiceClient,
    },
};
use aftercare_test_support::{Backend, ManualClock, Served, Signed, fresh};
use aftercare_values::OemZone;
use prost_types::{Duration, Timestamp};
use time::OffsetDateTime;

use crate::{fixture::Fixture, support::Harness, values::rid};

pub(crate) type Standards = ServiceStandardServiceClient<Signed>;

/// The service, its database and the clock it reads.
pub(crate) struct Setup {
    /// For the network, through DealersService.
    pub(crate) h: Harness,
    pub(crate) db: Db,
    clock: ManualClock,
}

pub(crate) async fn start(backend: Backend) -> Setup {
    start_in(backend, OemZone::utc()).await
}

/// [`start`], the OEM's periods in `zone`.
pub(crate) async fn start_in(backend: Backend, zone: OemZone) -> Setup {
    let db = fresh(backend, &MIGRATOR).await;
    let clock = ManualClock::default();
    clock.set(Some(OffsetDateTime::UNIX_EPOCH));
    let (served, ()) = Served::start("dealers", db.clone(), |db, key| {
        Dealers::new(&DealersSettings::default(), db, key)
            .with_zone(zone)
            .with_standards_clock(clock.clock())
            .build()
    })
    .await;
    Setup {
        h: Harness { served },
        db,
        clock,
    }
}

impl Setup {
    /// The service's clock reads `t` from now on.
    pub(crate) fn set_clock(&self, t: OffsetDateTime) {
        self.clock.set(Some(t));
    }

    pub(crate) fn as_(&self, principal: Principal) -> Standards {
        ServiceStandardServiceClient::new(self.h.served.signed(principal))
    }

    pub(crate) fn oem(&self) -> Standards {
        self.as_(who::oem())
    }

    /// A client signing with a key the service does not know.
    pub(crate) fn forger(&self) -> Standards {
        ServiceStandardServiceClient::new(self.h.served.forged())
    }
}

/// The principals of the tests.
pub(crate) use aftercare_test_support::who;

// Requests -------------------------------------------------------------------

pub(crate) fn ts(t: OffsetDateTime) -> Option<Timestamp> {
    Some(Timestamp {
        seconds: t.unix_timestamp(),
        nanos: t.nanosecond() as i32,
    })
}

pub(crate) fn minutes(m: i64) -> Option<Duration> {
    Some(Duration {
        seconds: m * 60,
        nanos: 0,
    })
}

pub(crate) fn version(
    effective: OffsetDateTime,
    threshold_minutes: i64,
    target: i32,
    key: bool,
    pilots: &[&str],
) -> pb::StandardVersion {
    pb::StandardVersion {
        effective_time: ts(effective),
        threshold: minutes(threshold_minutes),
        target_basis_points: target,
        key,
        pilot_station_ids: pilots.iter().map(|s| (*s).to_owned()).collect(),
        ..Default::default()
    }
}

pub(crate) fn standard(
    code: &str,
    from: StandardMoment,
    to: StandardMoment,
    first: pb::StandardVersion,
) -> pb::ServiceStandard {
    pb::ServiceStandard {
        code: code.into(),
        display_name: format!("Standard {code}"),
        description: "Measured on every repair order.".into(),
        from_moment: from as i32,
        to_moment: to as i32,
        first_version: Some(first),
        ..Default::default()
    }
}

pub(crate) fn create(standard: pb::ServiceStandard) -> pb::CreateServiceStandardRequest {
    pb::CreateServiceStandardRequest {
        standard: Some(standard),
        request_id: rid(),
    }
}

pub(crate) fn add(code: &str, version: pb::StandardVersion) -> pb::AddStandardVersionRequest {
    pb::AddStandardVersionRequest {
        standard_code: code.into(),
        version: Some(version),
        request_id: rid(),
    }
}

pub(crate) fn month(year: i32, month: i32) -> Option<Period> {
    Some(Period {
        kind: PeriodKind::Month as i32,
        year,
        number: month,
    })
}

/// Compliance of `scope` in March 2026 with `code` (empty: every standard).
pub(crate) fn compliance(
    code: &str,
    scope: Option<pb::get_standard_compliance_request::Scope>,
) -> pb::GetStandardComplianceRequest {
    pb::GetStandardComplianceRequest {
        standard_code: code.into(),
        period: month(2026, 3),
        scope,
    }
}

pub(crate) use pb::get_standard_compliance_request::Scope as In;

// Repair orders ------------------------------------------------------------------

/// A repair order as the RO API would have recorded it, for the table.
#[derive(Debug, Clone)]
pub(crate) struct Ro {
    pub(crate) station: &'static str,
    pub(crate) kind: RepairOrderType,
    pub(crate) fast_lane: bool,
    pub(crate) arrival: OffsetDateTime,
    pub(crate) open: OffsetDateTime,
    pub(crate) complete: Option<OffsetDateTime>,
    pub(crate) delivery: Option<OffsetDateTime>,
    pub(crate) promise: OffsetDateTime,
    pub(crate) call_back: Option<OffsetDateTime>,
    pub(crate) cancel: Option<OffsetDateTime>,
}

fn micros(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000) as i64
}

/// Writes `ros` into `repair_orders`, with the dealer, a vehicle and an
/// advisor of the fixture's network for the foreign keys, and rebuilds the
/// compliance tallies from them.
pub(crate) async fn insert(db: &Db, fx: &Fixture, ros: &[Ro]) {
    insert_in(db, fx, ros, OemZone::utc()).await;
}

/// [`insert`], the tallies counted by the days of `zone`.
pub(crate) async fn insert_in(db: &Db, fx: &Fixture, ros: &[Ro], zone: OemZone) {
    for (i, ro) in ros.iter().enumerate() {
        let (dealer, vehicle, advisor) = match ro.station {
            "s1" | "s2" => (&fx.d1.id, &fx.v1.id, &fx.advisor1.id),
            "s3" => (&fx.d2.id, &fx.v2.id, &fx.advisor3.id),
            "s4" => (&fx.d3.id, &fx.v3.id, &fx.advisor4.id),
            other => panic!("no station {other} in the fixture"),
        };
        let status = match (ro.cancel, ro.delivery, ro.complete) {
            (Some(_), _, _) => "cancelled",
            (None, Some(_), _) => "delivered",
            (None, None, Some(_)) => "completed",
            (None, None, None) => "opened",
        };
        let kind = match ro.kind {
            RepairOrderType::Maintenance => "maintenance",
            RepairOrderType::Repair => "repair",
            RepairOrderType::Warranty => "warranty",
            RepairOrderType::Recall => "recall",
            RepairOrderType::Unspecified => panic!("an RO has a type"),
        };
        sqlx::query(
            "INSERT INTO repair_orders (id, station_id, dealer_id, vehicle_id, advisor_id, order_type, \
             fast_lane, status, currency, estimate_minor, mileage_km, arrival_time, promise_time, \
             open_time, complete_time, delivery_time, call_back_time, cancel_time, version, \
             create_time, update_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'EUR', 10000, 12500, \
             $9, $10, $11, $12, $13, $14, $15, 1, $11, $11)",
        )
        .bind(format!("ro-{}", i + 1))
        .bind(ro.station)
        .bind(dealer.as_str())
        .bind(vehicle.as_str())
        .bind(advisor.as_str())
        .bind(kind)
        .bind(i64::from(ro.fast_lane))
        .bind(status)
        .bind(micros(ro.arrival))
        .bind(micros(ro.promise))
        .bind(micros(ro.open))
        .bind(ro.complete.map(micros))
        .bind(ro.delivery.map(micros))
        .bind(ro.call_back.map(micros))
        .bind(ro.cancel.map(micros))
        .execute(db.pool())
        .await
        .expect("repair order inserted");
    }
    Store::new(db.clone())
        .with_zone(zone)
        .rebuild_compliance()
        .await
        .expect("the compliance tallies are rebuilt");
}
