//! Service-standard compliance over a big month: 100,000 repair orders of
//! one station in March 2026, and 400,000 more of the demo network's other
//! stations and of other months as noise, written straight into the dealers
//! database (PostgreSQL) as rows of `repair_orders` — through the API they
//! would take hours here — then GetStandardCompliance timed through the
//! gateway for the station-month, and for its dealer's and the network's
//! month.
//!
//! The four standards are made through the API; only the bulk of repair
//! orders is written by hand. Their moments are spread by a hash of the row
//! number, so that every standard has met, missed and (for the callbacks)
//! undelivered cases.

use std::{
    fmt::Write,
    time::{Duration, Instant},
};

use aftercare_db::sqlx::{self, AnyConnection, Connection};
use aftercare_proto::{
    common::v1::{Period, PeriodKind},
    dealers::v1::{
        self as pb, RepairOrderType, StandardMoment, get_standard_compliance_request::Scope,
        service_standard_service_client::ServiceStandardServiceClient,
    },
};
use anyhow::Context;
use tonic::{Code, transport::Channel};

use crate::{latency::Latencies, report::ms, scenarios::Auth};

/// The station whose month is timed and its dealer, of the demo network
/// (`aftercare_dealers::demo`), whose six stations the seed uses.
pub(crate) const STATION: &str = "hm-city";
pub(crate) const DEALER: &str = "harbour-motors";

/// The month timed: March 2026.
pub(crate) fn month() -> Period {
    Period {
        kind: PeriodKind::Month as i32,
        year: 2026,
        number: 3,
    }
}

/// What to seed: `station_ros` ROs of [`STATION`] in March 2026, and
/// `noise_ros` more, going round the six demo stations and the 13 months
/// from March 2025 to March 2026 (none of them [`STATION`]'s March).
#[derive(Debug, Clone)]
pub(crate) struct Seed {
    pub(crate) station_ros: i64,
    pub(crate) noise_ros: i64,
}

impl Default for Seed {
    fn default() -> Self {
        Self {
            station_ros: 100_000,
            noise_ros: 400_000,
        }
    }
}

/// What [`seed`] wrote.
#[derive(Debug, Clone)]
pub(crate) struct Seeded {
    pub(crate) repair_orders: u64,
    pub(crate) took: Duration,
    /// The compliance tallies rebuilt from every RO.
    pub(crate) rebuild: Duration,
}

/// The standards timed: the design's four examples.
fn standards() -> Vec<pb::ServiceStandard> {
    use StandardMoment::*;
    let first = |minutes: i64, target| pb::StandardVersion {
        effective_time: Some(prost_types::Timestamp {
            seconds: 1_577_836_800, // 2020-01-01
            nanos: 0,
        }),
        threshold: Some(prost_types::Duration {
            seconds: minutes * 60,
            nanos: 0,
        }),
        target_basis_points: target,
        key: true,
        ..Default::default()
    };
    let standard = |code: &str, from: StandardMoment, to: StandardMoment, v| pb::ServiceStandard {
        code: code.into(),
        display_name: code.into(),
        from_moment: from as i32,
        to_moment: to as i32,
        first_version: Some(v),
        ..Default::default()
    };
    vec![
        standard("RO-OPEN-15", Arrival, Opened, first(15, 9000)),
        standard("DELIVER-BY-PROMISE", Promised, Delivered, first(0, 8500)),
        pb::ServiceStandard {
            order_types: vec![RepairOrderType::Maintenance as i32],
            fast_lane_only: true,
            ..standard("FAST-LANE-60", Opened, Completed, first(60, 9000))
        },
        standard("CALLBACK-72H", Delivered, CalledBack, first(72 * 60, 8000)),
    ]
}

/// Creates the design's four standards through `gateway` as head office,
/// in force since 2020 (the ones there already are kept).
pub(crate) async fn create_standards(gateway: &Channel, head_office: &Auth) -> anyhow::Result<()> {
    let mut client =
        ServiceStandardServiceClient::with_interceptor(gateway.clone(), head_office.clone());
    for standard in standards() {
        let code = standard.code.clone();
        let request = pb::CreateServiceStandardRequest {
            standard: Some(standard),
            request_id: format!("load-{code}"),
        };
        match client.create_service_standard(request).await {
            Ok(_) => {}
            Err(s) if s.code() == Code::AlreadyExists => {}
            Err(s) => return Err(s).with_context(|| format!("failed to create standard {code}")),
        }
    }
    Ok(())
}

/// Seeds the dealers database of a running system (with the demo network):
/// the standards through `gateway` as head office, then the ROs by SQL on
/// `db`, then ANALYZE, as a database that grew to this size would have its
/// statistics, and the compliance tallies rebuilt by `store` from the ROs
/// (the RO API keeps them as it records moments).
pub(crate) async fn seed(
    gateway: &Channel,
    head_office: &Auth,
    db: &mut AnyConnection,
    store: &aftercare_dealers::Store,
    seed: &Seed,
) -> anyhow::Result<Seeded> {
    anyhow::ensure!(
        db.backend_name() == "PostgreSQL",
        "the compliance seed is written for PostgreSQL, not {}",
        db.backend_name()
    );
    anyhow::ensure!(
        seed.station_ros > 0 && seed.noise_ros >= 0,
        "the compliance seed needs station ROs (and no negative noise)"
    );
    let started = Instant::now();
    create_standards(gateway, head_office).await?;
    let mut tx = db.begin().await?;
    let mut repair_orders = 0;
    for (first, count, main) in [
        (0, seed.station_ros, 1),
        (seed.station_ros, seed.noise_ros, 0),
    ] {
        repair_orders += sqlx::query(REPAIR_ORDERS)
            .bind(first)
            .bind(first + count)
            .bind(main)
            .execute(&mut *tx)
            .await
            .context("failed to write the repair orders")?
            .rows_affected();
    }
    tx.commit().await?;
    sqlx::query("ANALYZE repair_orders")
        .execute(&mut *db)
        .await?;
    let took = started.elapsed();
    let started = Instant::now();
    store
        .rebuild_compliance()
        .await
        .context("failed to rebuild the compliance tallies")?;
    Ok(Seeded {
        repair_orders,
        took,
        rebuild: started.elapsed(),
    })
}

/// ROs numbered $1 to $2 - 1. With $3 = 1 all are [`STATION`]'s in March
/// 2026, opened at an even spread over the month; else station n % 6 and
/// month (n / 6) % 13 back from March 2026 (the station's March moved to
/// February), opened at a scattered second of the month. h is a hash of n
/// that picks the type and the moments: arrival 0–30 min before opening,
/// work of 30–80 min (fast lane) or 30–330 min, delivery 0–60 min after
/// completion against a promise 4 h after opening, a callback 0–99 h after
/// delivery; about 1 % cancelled half an hour after opening, 2.4 % not yet
/// delivered, 9 % never called back.
const REPAIR_ORDERS: &str = "INSERT INTO repair_orders (id, station_id, dealer_id, vehicle_id, \
     advisor_id, order_type, fast_lane, status, currency, estimate_minor, mileage_km, arrival_time, \
     promise_time, open_time, start_time, complete_time, delivery_time, cancel_time, call_back_time, \
     version, create_time, update_time) \
     SELECT 'ro-load-' || n, s.id, s.dealer_id, s.id || '-vehicle-1', s.id || '-advisor', k.kind, \
     k.fast, CASE WHEN x.cancelled THEN 'cancelled' WHEN x.delivered THEN 'delivered' ELSE 'completed' END, \
     'EUR', 10000 + h % 90000, 5000 + h % 80000, o.t - (h % 1800) * 1000000, o.t + 14400000000, o.t, \
     CASE WHEN x.cancelled THEN NULL ELSE o.t + (5 + h % 20) * 60000000 END, \
     CASE WHEN x.cancelled THEN NULL ELSE o.t + w.minutes * 60000000 END, \
     CASE WHEN x.delivered THEN o.t + (w.minutes + h % 60) * 60000000 END, \
     CASE WHEN x.cancelled THEN o.t + 1800000000 END, \
     CASE WHEN x.delivered AND h % 11 <> 0 THEN o.t + (w.minutes + h % 60) * 60000000 + (h % 100) * 3600000000 END, \
     1, o.t, o.t \
     FROM generate_series(CAST($1 AS BIGINT), $2 - 1) AS n, \
     LATERAL (SELECT n * 2654435761 % 1000003 AS h) AS hash, \
     LATERAL (SELECT CASE WHEN $3 = 1 THEN 0 ELSE n % 6 END AS st, \
       CASE WHEN $3 = 1 THEN 0 WHEN n % 6 = 0 AND (n / 6) % 13 = 0 THEN 1 ELSE (n / 6) % 13 END AS back) AS p, \
     LATERAL (SELECT CAST(EXTRACT(EPOCH FROM TIMESTAMP '2026-03-01' - make_interval(months => CAST(p.back AS INT))) AS BIGINT) AS start, \
       CAST(EXTRACT(EPOCH FROM (TIMESTAMP '2026-04-01' - make_interval(months => CAST(p.back AS INT))) \
       - (TIMESTAMP '2026-03-01' - make_interval(months => CAST(p.back AS INT)))) AS BIGINT) AS seconds) AS m, \
     LATERAL (SELECT m.start * 1000000 + CASE WHEN $3 = 1 THEN n * m.seconds * 1000000 / ($2 - $1) \
       ELSE (h * 7919 % m.seconds) * 1000000 END AS t) AS o, \
     LATERAL (SELECT CASE WHEN h % 10 < 5 THEN 'maintenance' WHEN h % 10 < 8 THEN 'repair' \
       WHEN h % 10 = 8 THEN 'warranty' ELSE 'recall' END AS kind, \
       CASE WHEN h % 10 < 5 AND h % 3 = 0 THEN 1 ELSE 0 END AS fast) AS k, \
     LATERAL (SELECT CASE WHEN k.fast = 1 THEN 30 + h % 50 ELSE 30 + h % 300 END AS minutes) AS w, \
     LATERAL (SELECT h % 97 = 0 AS cancelled, h % 97 <> 0 AND h % 41 <> 0 AS delivered) AS x, \
     stations s WHERE s.id = (ARRAY['hm-city', 'hm-airport', 'ac-munich', 'la-konstanz', \
       'rv-cologne', 'rv-bonn'])[p.st + 1]";

/// GetStandardCompliance of one scope, called again and again.
#[derive(Debug, Clone)]
pub(crate) struct Timing {
    pub(crate) scope: String,
    /// The ROs RO-OPEN-15 counted (every RO of the scope and month).
    pub(crate) repair_orders: i64,
    pub(crate) latencies: Latencies,
}

/// Times `calls` GetStandardCompliance calls, one after another, through
/// `gateway` as head office, for March 2026: of [`STATION`] with every
/// standard and with one, of [`DEALER`], and of the network.
pub(crate) async fn time(
    gateway: Channel,
    head_office: Auth,
    calls: usize,
) -> anyhow::Result<Vec<Timing>> {
    let mut client = ServiceStandardServiceClient::with_interceptor(gateway, head_office);
    let scopes = [
        (
            format!("station {STATION}, 4 standards"),
            "",
            Some(Scope::StationId(STATION.into())),
        ),
        (
            format!("station {STATION}, RO-OPEN-15"),
            "RO-OPEN-15",
            Some(Scope::StationId(STATION.into())),
        ),
        (
            format!("dealer {DEALER}, 4 standards"),
            "",
            Some(Scope::DealerId(DEALER.into())),
        ),
        ("network, 4 standards".to_owned(), "", None),
    ];
    let mut timings = vec![];
    for (label, code, scope) in scopes {
        let request = pb::GetStandardComplianceRequest {
            standard_code: code.into(),
            period: Some(month()),
            scope,
        };
        let mut nanos = Vec::with_capacity(calls);
        let mut answer = pb::GetStandardComplianceResponse::default();
        for _ in 0..calls {
            let started = Instant::now();
            answer = client
                .get_standard_compliance(request.clone())
                .await
                .with_context(|| format!("GetStandardCompliance of {label} failed"))?
                .into_inner();
            nanos.push(started.elapsed().as_nanos() as u64);
        }
        let repair_orders = answer
            .results
            .iter()
            .find(|r| r.standard_code == "RO-OPEN-15")
            .and_then(|r| r.counts)
            .map_or(0, |c| c.met + c.missed + c.pending);
        timings.push(Timing {
            scope: label,
            repair_orders,
            latencies: Latencies::merge([nanos]),
        });
    }
    Ok(timings)
}

/// The figures: per scope, the ROs counted and the latencies; then the aim
/// on the station-month with every standard.
pub(crate) fn report(seeded: &Seeded, timings: &[Timing]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "compliance over {} seeded repair orders (seeded by SQL in {:.1} s, then ANALYZE; \
         compliance tallies rebuilt from them in {:.1} s); \
         GetStandardCompliance for March 2026 through the gateway, one call at a time",
        seeded.repair_orders,
        seeded.took.as_secs_f64(),
        seeded.rebuild.as_secs_f64()
    );
    let width = timings
        .iter()
        .map(|t| t.scope.chars().count())
        .chain([5])
        .max()
        .unwrap_or(5);
    let _ = writeln!(
        out,
        "{:<width$}  {:>7}  {:>5}  {:>9}  {:>9}  {:>9}  {:>9}",
        "scope", "ROs", "calls", "min ms", "median ms", "p99 ms", "max ms"
    );
    for t in timings {
        let l = &t.latencies;
        let _ = writeln!(
            out,
            "{:<width$}  {:>7}  {:>5}  {:>9}  {:>9}  {:>9}  {:>9}",
            t.scope,
            t.repair_orders,
            l.count(),
            ms(l.percentile(0.0), 1),
            ms(l.percentile(50.0), 1),
            ms(l.percentile(99.0), 1),
            ms(l.max(), 1),
        );
    }
    if let Some(first) = timings.first() {
        let p99 = first.latencies.percentile(99.0);
        let _ = writeln!(
            out,
            "{}: p99 {} ms   aim < 200 ms: {}",
            first.scope,
            ms(p99, 1),
            if p99.is_some_and(|d| d < Duration::from_millis(200)) {
                "met"
            } else {
                "MISSED"
            },
        );
    }
    out
}
