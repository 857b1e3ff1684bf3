//! The real binary, as a new user starts it: `aftercare run --demo` on a
//! data directory that does not exist yet, then called with a token from
//! `aftercare token`, and its metrics scraped.

use std::{net::SocketAddr, time::Duration};

use aftercare_proto::{
    common::v1::{Period, PeriodKind},
    costs::v1::{self as costs_pb, warranty_claim_service_client::WarrantyClaimServiceClient},
    dealers::v1 as pb,
    parts::v1 as parts_pb,
    surveys::v1 as sv,
};
use tonic::transport::Channel;

use crate::support::{
    clients::{Outcome, authed, complaints, connect, dealers, leagues, repair_orders, stock},
    http1,
    process::{Running, aftercare, token},
};

/// The address in a line the binary printed, e.g. `http://127.0.0.1:41234/…`.
fn address_after(line: &str, prefix: &str) -> SocketAddr {
    let rest = line.strip_prefix(prefix).expect("the prefix");
    let end = rest.find(['/', ' ']).unwrap_or(rest.len());
    rest[..end]
        .parse()
        .unwrap_or_else(|e| panic!("no address in {line:?}: {e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_runs_the_demo_on_a_fresh_data_directory() {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let data_dir = tmp.path().join("aftercare-data");
    let data = data_dir.to_str().expect("a UTF-8 path");
    let command = aftercare([
        "run",
        "--data-dir",
        data,
        "--listen",
        "127.0.0.1:0",
        "--demo",
    ]);
    let mut run = Running::spawn("aftercare run", command);

    // Startup includes migrating and seeding new SQLite files: be patient.
    const LISTENING: &str = "aftercare listening on http://";
    const METRICS: &str = "metrics on http://";
    let line = run.line_starting(LISTENING, Duration::from_secs(60));
    let addr = address_after(&line, LISTENING);
    assert!(line.contains(data), "names the data directory: {line}");
    let metrics = address_after(
        &run.line_starting(METRICS, Duration::from_secs(10)),
        METRICS,
    );
    assert_eq!(metrics, addr, "metrics on the gateway's own port");
    assert!(
        data_dir.join("keys.toml").is_file(),
        "keys made on first start"
    );

    let oem = token(&["--role", "oem", "--data-dir", data], &[]);
    let channel = connect(addr).await;
    let request = pb::ListRegionsRequest::default();
    let regions = dealers(&channel, Some(&oem))
        .list_regions(request)
        .await
        .answer();
    let regions: Vec<_> = regions
        .regions
        .iter()
        .map(|r| (r.id.as_str(), r.display_name.as_str()))
        .collect();
    assert_eq!(
        regions,
        [("north", "North"), ("south", "South"), ("west", "West")]
    );

    let answer = http1::get(metrics, "/metrics").await;
    assert!(answer.head.starts_with("http/1.1 200"), "{}", answer.head);
    let text = String::from_utf8(answer.body).expect("UTF-8 metrics");
    let counted = text
        .lines()
        .filter(|l| l.starts_with("grpc_server_requests_total{"))
        .filter(|l| l.contains(r#"method="ListRegions""#))
        .collect::<Vec<_>>();
    assert!(
        counted
            .iter()
            .any(|l| l.contains(r#"server="gateway""#) && l.contains(r#"code="Ok""#)),
        "the gateway counted the calls:\n{text}"
    );

    // The browser pages are served from the same port, by the binary alone.
    pages_are_served(addr).await;

    // What a console user checks once the demo's month has been played.
    let patience = aftercare_test_support::patience().max(Duration::from_secs(300));
    run.line_containing("played the demo network's day", patience);
    the_month_is_there(&channel, &oem).await;
    run.assert_running();
}

/// The survey page, the console and their assets, served by the gateway at
/// `addr` with the pages' security headers.
pub(crate) async fn pages_are_served(addr: SocketAddr) {
    for (path, kind) in [
        ("/console/", "text/html"),
        ("/s/a-link-token", "text/html"),
        ("/assets/survey.js", "text/javascript"),
    ] {
        let answer = http1::get(addr, path).await;
        let head = &answer.head;
        assert!(head.starts_with("http/1.1 200"), "{path}: {head}");
        assert!(
            head.contains(&format!("content-type: {kind}")),
            "{path}: {head}"
        );
        assert!(
            head.contains("content-security-policy: default-src 'self'"),
            "{path}: {head}"
        );
        assert!(!answer.body.is_empty(), "{path}: a body");
    }
}

const STATIONS: [&str; 6] = [
    "hm-city",
    "hm-airport",
    "ac-munich",
    "la-konstanz",
    "rv-cologne",
    "rv-bonn",
];

/// ROs in every state with some at risk now, appointments booked and
/// missed, a backorder, a league table that ranks, leaves a member
/// unranked and ties, complaints and claims in several states.
async fn the_month_is_there(channel: &Channel, oem: &str) {
    use pb::RepairOrderStatus as S;
    let mut ros = repair_orders(channel, Some(oem));
    for status in [
        S::Opened,
        S::InProgress,
        S::WaitingParts,
        S::Completed,
        S::Delivered,
        S::Closed,
        S::Cancelled,
    ] {
        let listed = ros
            .list_repair_orders(pb::ListRepairOrdersRequest {
                status: status as i32,
                page_size: 1,
                ..Default::default()
            })
            .await
            .answer();
        assert!(!listed.repair_orders.is_empty(), "no RO {status:?}");
    }
    let mut at_risk = 0;
    let mut appointments = vec![];
    for station in STATIONS {
        at_risk += ros
            .list_at_risk_repair_orders(pb::ListAtRiskRepairOrdersRequest {
                station_id: station.into(),
                ..Default::default()
            })
            .await
            .answer()
            .repair_orders
            .len();
        appointments.extend(
            ros.list_appointments(pb::ListAppointmentsRequest {
                station_id: station.into(),
                page_size: 1000,
                ..Default::default()
            })
            .await
            .answer()
            .appointments
            .into_iter()
            .map(|a| a.status),
        );
    }
    assert!(at_risk >= 3, "{at_risk} ROs at risk now");
    for status in [
        pb::AppointmentStatus::Booked,
        pb::AppointmentStatus::Arrived,
        pb::AppointmentStatus::NoShow,
    ] {
        assert!(
            appointments.contains(&(status as i32)),
            "no appointment {status:?}"
        );
    }
    // Opened a month back, on that day's clock.
    let oldest = ros
        .get_repair_order(pb::GetRepairOrderRequest {
            id: format!("ro-hm-city-{}-0", first_working_day()),
        })
        .await
        .answer();
    let opened = oldest.create_time.as_ref().expect("a create time").seconds;
    let month_ago = time::OffsetDateTime::now_utc() - time::Duration::days(29);
    assert!(opened < month_ago.unix_timestamp(), "{oldest:?}");

    let backorders = stock(channel, Some(oem))
        .list_backorders(parts_pb::ListBackordersRequest {
            warehouse_id: "hm-city-wh".into(),
            ..Default::default()
        })
        .await
        .answer();
    assert!(!backorders.backorders.is_empty(), "no backorder at hm-city");

    // The month the answers mostly fall in (the month ends today).
    let middle = time::OffsetDateTime::now_utc() - time::Duration::days(15);
    let table = leagues(channel, Some(oem))
        .get_league_table(sv::GetLeagueTableRequest {
            table: Some(sv::LeagueTableKey {
                metric: sv::LeagueMetric::ServiceIndex as i32,
                level: sv::LeagueLevel::Station as i32,
                period: Some(Period {
                    kind: PeriodKind::Month as i32,
                    year: middle.year(),
                    number: i32::from(u8::from(middle.month())),
                }),
                ..Default::default()
            }),
            ..Default::default()
        })
        .await
        .answer();
    let ranks: Vec<_> = table.entries.iter().filter_map(|e| e.rank).collect();
    assert!(table.ranked_count >= 4, "{table:?}");
    assert!(table.unranked_count >= 1, "{table:?}");
    assert!(
        ranks.windows(2).any(|w| w[0] == w[1]),
        "a tie in rank: {table:?}"
    );
    let answered: i64 = table.entries.iter().filter_map(|e| e.sample_size).sum();
    assert!(answered >= 100, "{answered} answers in the month");

    let listed = complaints(channel, Some(oem))
        .list_complaints(sv::ListComplaintsRequest {
            page_size: 100,
            ..Default::default()
        })
        .await
        .answer();
    let mut states: Vec<_> = listed.complaints.iter().map(|c| c.state).collect();
    states.sort();
    states.dedup();
    assert!(states.len() >= 4, "complaints in {states:?}");

    let claims = WarrantyClaimServiceClient::new(authed(channel, Some(oem)))
        .list_warranty_claims(costs_pb::ListWarrantyClaimsRequest {
            page_size: 100,
            ..Default::default()
        })
        .await
        .answer();
    let mut states: Vec<_> = claims.claims.iter().map(|c| c.state).collect();
    states.sort();
    states.dedup();
    // One of each: draft, submitted, approved, partly approved, rejected
    // and paid.
    assert_eq!(states.len(), 6, "claims in {states:?}");
}

/// The first day of the demo's thirty that is not a Sunday.
fn first_working_day() -> time::Date {
    let mut day = time::OffsetDateTime::now_utc().date() - time::Duration::days(30);
    if day.weekday() == time::Weekday::Sunday {
        day += time::Duration::days(1);
    }
    day
}
