//! The embedded system, started through the app library, called over gRPC
//! through its gateway with tokens that `aftercare token` mints.

use std::time::{Duration, SystemTime};

use aftercare_auth::{Principal, Scope, Secret, token::TokenKeys};
use aftercare_proto::dealers::v1 as pb;
use tonic::Code;

use crate::support::{
    clients::{Outcome, connect, dealers, station_ids},
    http1, process,
    system::EmbeddedSystem,
};

const DEMO_STATIONS: [&str; 6] = [
    "ac-munich",
    "hm-airport",
    "hm-city",
    "la-konstanz",
    "rv-bonn",
    "rv-cologne",
];

fn get(id: &str) -> pb::GetStationRequest {
    pb::GetStationRequest { id: id.into() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn head_office_adds_a_station_and_each_role_sees_only_its_part() {
    let system = EmbeddedSystem::start().await;
    let channel = connect(system.addr).await;

    // Head office opens a station for Alpine Cars and finds it listed.
    let mut oem = dealers(&channel, Some(&system.token(&["--role", "oem"])));
    let station = pb::Station {
        dealer_id: "alpine-cars".into(),
        display_name: "Alpine Cars Garmisch".into(),
        code: "S-2003".into(),
        city: "Garmisch".into(),
        build_standard: pb::BuildStandard::Service as i32,
        star_level: 3,
        ..Default::default()
    };
    let request = pb::CreateStationRequest {
        station: Some(station),
        station_id: "ac-garmisch".into(),
        request_id: "e2e-embedded-create-ac-garmisch".into(),
    };
    let created = oem.create_station(request).await.answer();
    assert_eq!(created.id, "ac-garmisch");
    assert_eq!(created.dealer_id, "alpine-cars");
    assert_eq!(created.region_id, "south", "the dealer's region");
    assert_eq!(created.display_name, "Alpine Cars Garmisch");
    assert!(!created.etag.is_empty(), "an etag to update with");
    assert!(created.create_time.is_some());

    let mut all: Vec<_> = DEMO_STATIONS.to_vec();
    all.push("ac-garmisch");
    all.sort_unstable();
    assert_eq!(
        station_ids(&mut oem).await,
        all,
        "the demo and the new one, by id"
    );
    assert_eq!(oem.get_station(get("ac-garmisch")).await.answer(), created);

    // Alpine Cars' staff see their two stations, and nobody else's.
    let mut alpine = dealers(
        &channel,
        Some(&system.token(&["--role", "dealer", "--dealer", "alpine-cars"])),
    );
    assert_eq!(station_ids(&mut alpine).await, ["ac-garmisch", "ac-munich"]);
    assert_eq!(
        alpine.get_station(get("ac-garmisch")).await.answer(),
        created
    );
    assert_eq!(
        alpine.get_station(get("hm-city")).await.code(),
        Code::NotFound
    );

    // No token, garbage, an expired token, one from another data directory.
    let mut anonymous = dealers(&channel, None);
    assert_eq!(
        anonymous.get_station(get("hm-city")).await.code(),
        Code::Unauthenticated
    );
    let keys = TokenKeys::new(&Secret::from_base64(&system.token_secret()).expect("base64"));
    let head_office = Principal {
        subject: "local-oem".into(),
        scope: Scope::Oem,
    };
    let two_hours_ago = SystemTime::now() - Duration::from_secs(2 * 3600);
    let expired = keys.mint(&head_office, two_hours_ago, Duration::from_secs(3600));
    let elsewhere = tempfile::tempdir().expect("a temporary directory");
    let foreign = process::token(
        &[
            "--role",
            "oem",
            "--data-dir",
            elsewhere.path().to_str().expect("UTF-8"),
        ],
        &[],
    );
    for (what, token) in [
        ("garbage", "not-a-token"),
        ("expired", expired.as_str()),
        ("another system's", foreign.as_str()),
    ] {
        let mut client = dealers(&channel, Some(token));
        assert_eq!(
            client
                .list_stations(pb::ListStationsRequest::default())
                .await
                .code(),
            Code::Unauthenticated,
            "{what} token"
        );
    }

    // The refused calls changed nothing.
    assert_eq!(station_ids(&mut oem).await, all);
    drop((oem, alpine, anonymous, channel));
    system.stop().await;
}

/// Two systems on one host, each with its own port and data directory and no
/// other setting, start side by side; each answers Prometheus on its port.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_systems_run_side_by_side_and_each_answers_metrics() {
    use tonic_health::pb::{HealthCheckRequest, health_client::HealthClient};

    // As `aftercare run` does.
    aftercare_telemetry::install_recorder().expect("the metrics recorder");
    let first = EmbeddedSystem::start().await;
    let second = EmbeddedSystem::start().await;
    for system in [&first, &second] {
        let mut health = HealthClient::new(connect(system.addr).await);
        health
            .check(HealthCheckRequest::default())
            .await
            .expect("the gateway is serving");
        let answer = http1::get(system.addr, "/metrics").await;
        assert!(answer.head.starts_with("http/1.1 200"), "{}", answer.head);
        let text = String::from_utf8(answer.body).expect("UTF-8 metrics");
        assert!(
            text.lines()
                .any(|l| l.starts_with("grpc_server_requests_total{")
                    && l.contains(r#"method="Check""#)),
            "the health check was counted:\n{text}"
        );
    }
    first.stop().await;
    second.stop().await;
}
