//! The live views through the gateway, in both modes: a station's at-risk
//! ROs and a league table pushed as they change, on streams that stay open
//! longer than the gateway's default deadline (the systems under test set
//! it short, [`SHORT_DEADLINE`]), by gRPC and by gRPC-web; and watched only
//! by callers who may read what they watch.

use std::{net::SocketAddr, time::Duration};

use aftercare_proto::{dealers::v1 as pb, surveys::v1 as sv};
use aftercare_test_support::within;
use prost::Message;
use tokio::time::Instant;
use tokio_stream::StreamExt;
use tonic::{Code, Streaming, transport::Channel};

use crate::repair_orders::{AC_MUNICH, People, Station, Tokens, people};
use crate::support::{
    clients::{Outcome, connect, dealers, leagues, repair_orders},
    http1::{self, GrpcWebStream},
    system::EmbeddedSystem,
};
use crate::surveys::{month_of, satisfaction_table};

/// The gateway's default deadline in these tests: every stream below
/// outlives it.
pub(crate) const SHORT_DEADLINE: Duration = Duration::from_millis(1500);

/// How far ahead the watched ROs are promised: well past the default
/// deadline, and far enough that the opening call, however slow on a busy
/// machine, still reaches the service before the promise.
const PROMISED_IN: Duration = Duration::from_secs(10);
/// How often the at-risk watch reads again in these tests: an RO becomes
/// at risk by the clock, which only a re-read notices.
pub(crate) const AT_RISK_EVERY_MS: u64 = 100;

const WATCH_AT_RISK: &str = "/aftercare.dealers.v1.RepairOrderService/WatchAtRiskRepairOrders";
/// Where the console's page comes from, for the gRPC-web calls.
const ORIGIN: &str = "http://localhost:5173";

/// A vehicle of a new customer of `at`'s dealer, with its advisor; `tag`
/// keeps the request ids apart from another journey's.
async fn a_vehicle(channel: &Channel, at: &Station<'_>, oem: &str, tag: &str) -> (People, String) {
    let who = people(
        channel,
        at,
        oem,
        tag,
        ["Ada Advisor", "Tim Tech", "Carla Customer"],
    )
    .await;
    let vehicle = dealers(channel, Some(oem))
        .create_vehicle(pb::CreateVehicleRequest {
            vehicle: Some(pb::Vehicle {
                vin: "WAUZZZ8V5KA977001".into(),
                customer_id: who.customer.clone(),
                model: "VAN-E1".into(),
                mileage_km: 8_000,
                ..Default::default()
            }),
            request_id: format!("e2e-{tag}-vehicle"),
            ..Default::default()
        })
        .await
        .answer();
    (who, vehicle.id)
}

/// Opens an RO at `at` with nothing to do, promised `after` from now: it
/// becomes at risk once the promise passes.
async fn an_ro_promised_in(
    channel: &Channel,
    at: &Station<'_>,
    staff: &str,
    (who, vehicle): &(People, String),
    after: Duration,
    tag: &str,
) -> String {
    let promise = std::time::SystemTime::now() + after;
    let since = promise
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970");
    repair_orders(channel, Some(staff))
        .create_repair_order(pb::CreateRepairOrderRequest {
            repair_order: Some(pb::RepairOrder {
                station_id: at.station_id.into(),
                vehicle_id: vehicle.clone(),
                advisor_id: who.advisor.clone(),
                r#type: pb::RepairOrderType::Repair as i32,
                promise_time: Some(prost_types::Timestamp {
                    seconds: since.as_secs() as i64,
                    nanos: since.subsec_nanos() as i32,
                }),
                estimate: Some(aftercare_proto::common::v1::Money {
                    currency_code: "EUR".into(),
                    minor_units: 5_000,
                }),
                mileage_km: 8_100,
                ..Default::default()
            }),
            request_id: format!("e2e-{tag}-open"),
            ..Default::default()
        })
        .await
        .answer()
        .id
}

/// The at-risk board through the gateway at `gateway`, as the console (by
/// gRPC-web) and a partner system (by gRPC) watch it: the staff of `at`'s
/// dealer watch it both ways; an RO opened with its promise
/// [`PROMISED_IN`] away becomes at risk by the clock and is pushed on both
/// streams, opened before it, without a new call. Another dealer's staff
/// may not watch it: the answer ListAtRiskRepairOrders gives them.
pub(crate) async fn at_risk_is_pushed(
    channel: &Channel,
    gateway: SocketAddr,
    at: &Station<'_>,
    t: Tokens<'_>,
) {
    not_watched_by_another_dealer(channel, gateway, at, t.other).await;

    let ready = a_vehicle(channel, at, t.oem, "streams").await;
    let opened = Instant::now();
    let mut boards = Boards::open(channel, gateway, at, t.staff).await;
    let id = an_ro_promised_in(channel, at, t.staff, &ready, PROMISED_IN, "streams").await;
    boards.until_at_risk(&id).await;
    assert!(
        opened.elapsed() > SHORT_DEADLINE,
        "the streams outlived the gateway's default deadline"
    );

    ended_by_the_callers_own_deadline(channel, at, t.staff).await;
}

/// A station's at-risk board watched by one caller both ways: by gRPC and
/// by gRPC-web.
struct Boards {
    grpc: Streaming<pb::AtRiskRepairOrders>,
    web: GrpcWebStream,
}

impl Boards {
    /// Both watches, their first answers read.
    async fn open(channel: &Channel, gateway: SocketAddr, at: &Station<'_>, token: &str) -> Self {
        let request = pb::WatchAtRiskRepairOrdersRequest {
            station_id: at.station_id.into(),
        };
        let grpc = repair_orders(channel, Some(token))
            .watch_at_risk_repair_orders(request.clone())
            .await
            .answer();
        let web = GrpcWebStream::open(
            gateway,
            WATCH_AT_RISK,
            &request.encode_to_vec(),
            ORIGIN,
            token,
        )
        .await;
        let mut boards = Self { grpc, web };
        next(&mut boards.grpc).await;
        next_web(&mut boards.web).await;
        boards
    }

    /// Reads both until each has pushed the RO `id` at risk.
    async fn until_at_risk(&mut self, id: &str) {
        let pushed = |set: &pb::AtRiskRepairOrders| {
            set.repair_orders.iter().any(|ro| ro.id == id && ro.at_risk)
        };
        while !pushed(&next(&mut self.grpc).await) {}
        while !pushed(&next_web(&mut self.web).await) {}
    }
}

/// A caller that gives a watch a deadline of its own, longer than the
/// gateway's default, is answered DEADLINE_EXCEEDED when that passes: the
/// gateway neither cuts the stream sooner nor lets it outlive the caller's
/// wish.
async fn ended_by_the_callers_own_deadline(channel: &Channel, at: &Station<'_>, staff: &str) {
    let wish = SHORT_DEADLINE * 2;
    let mut request = tonic::Request::new(pb::WatchAtRiskRepairOrdersRequest {
        station_id: at.station_id.into(),
    });
    request.set_timeout(wish);
    let opened = Instant::now();
    let mut stream = repair_orders(channel, Some(staff))
        .watch_at_risk_repair_orders(request)
        .await
        .answer();
    next(&mut stream).await;
    let ended = loop {
        match within("the caller's own deadline", stream.next()).await {
            Some(Ok(_)) => {}
            Some(Err(status)) => break status,
            None => panic!("the watch ended without a status"),
        }
    };
    assert_eq!(ended.code(), Code::DeadlineExceeded, "{ended:?}");
    assert!(opened.elapsed() >= wish, "not before the caller's deadline");
}

/// `other` (another dealer's staff) watches `at`'s board by gRPC and by
/// gRPC-web, and is answered as when it lists it: NOT_FOUND.
async fn not_watched_by_another_dealer(
    channel: &Channel,
    gateway: SocketAddr,
    at: &Station<'_>,
    other: &str,
) {
    let mut theirs = repair_orders(channel, Some(other));
    let listed = theirs
        .list_at_risk_repair_orders(pb::ListAtRiskRepairOrdersRequest {
            station_id: at.station_id.into(),
            ..Default::default()
        })
        .await
        .code();
    let request = pb::WatchAtRiskRepairOrdersRequest {
        station_id: at.station_id.into(),
    };
    let watched = theirs
        .watch_at_risk_repair_orders(request.clone())
        .await
        .code();
    assert_eq!((listed, watched), (Code::NotFound, Code::NotFound));
    let answer = http1::grpc_web(
        gateway,
        WATCH_AT_RISK,
        &request.encode_to_vec(),
        ORIGIN,
        Some(other),
    )
    .await;
    let (messages, trailers) = http1::grpc_web_frames(&answer.body);
    assert!(messages.is_empty(), "nothing of another dealer's station");
    let status = trailers.unwrap_or_else(|| answer.head.clone());
    assert!(
        status.contains("grpc-status:5") || status.contains("grpc-status: 5"),
        "{status}"
    );
}

async fn next<T>(stream: &mut Streaming<T>) -> T {
    within("the next message of the stream", stream.next())
        .await
        .expect("the stream outlives the gateway's default deadline")
        .expect("a message, not an error")
}

async fn next_web(stream: &mut GrpcWebStream) -> pb::AtRiskRepairOrders {
    pb::AtRiskRepairOrders::decode(stream.message().await.as_slice()).expect("AtRiskRepairOrders")
}

/// A league table watched while `change` moves it: the update after it,
/// pushed on a stream open longer than the default deadline.
pub(crate) async fn league_update_after<F: Future<Output = ()>>(
    channel: &Channel,
    token: &str,
    table: sv::LeagueTableKey,
    change: F,
    done: impl Fn(&sv::LeagueTableUpdate) -> bool,
) -> sv::LeagueTableUpdate {
    let opened = Instant::now();
    let mut stream = leagues(channel, Some(token))
        .watch_league_table(sv::WatchLeagueTableRequest {
            table: Some(table),
            page_size: 0,
        })
        .await
        .answer();
    let first = next(&mut stream).await;
    assert!(first.moves.is_empty(), "{first:?}");
    // The stream is to be seen outliving the default deadline: the change
    // comes after it has passed. (What is awaited is the time itself, not
    // work done elsewhere: a slow machine only makes it more true.)
    tokio::time::sleep_until(opened + SHORT_DEADLINE).await;
    change.await;
    loop {
        let update = next(&mut stream).await;
        if done(&update) {
            return update;
        }
    }
}

/// A region manager may not watch another region's (`region_id`) league
/// table of this month, as it may not read it: PERMISSION_DENIED both ways.
pub(crate) async fn another_regions_league_is_not_watched(
    channel: &Channel,
    region_manager: &str,
    region_id: &str,
) {
    let now = prost_types::Timestamp::from(std::time::SystemTime::now());
    let table = satisfaction_table(month_of(&now), region_id);
    let mut theirs = leagues(channel, Some(region_manager));
    let read = theirs
        .get_league_table(sv::GetLeagueTableRequest {
            table: Some(table.clone()),
            ..Default::default()
        })
        .await
        .code();
    let watched = theirs
        .watch_league_table(sv::WatchLeagueTableRequest {
            table: Some(table),
            page_size: 0,
        })
        .await
        .code();
    assert_eq!(
        (read, watched),
        (Code::PermissionDenied, Code::PermissionDenied)
    );
}

/// The at-risk board in the embedded mode, by gRPC and gRPC-web.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ro_becoming_at_risk_is_pushed_in_the_embedded_mode() {
    let system = EmbeddedSystem::start_with(|s| {
        s.gateway.default_deadline_ms = SHORT_DEADLINE.as_millis() as u64;
        s.dealers.at_risk_watch_interval_ms = AT_RISK_EVERY_MS;
    })
    .await;
    let channel = connect(system.addr).await;
    let oem = system.token(&["--role", "oem"]);
    let staff = system.token(&["--role", "dealer", "--dealer", "alpine-cars"]);
    let other = system.token(&["--role", "dealer", "--dealer", "harbour-motors"]);
    let tokens = Tokens {
        oem: &oem,
        staff: &staff,
        other: &other,
    };
    at_risk_is_pushed(&channel, system.addr, &AC_MUNICH, tokens).await;
    system.stop().await;
}

/// A watch counts once against its caller's rate limit, however long it
/// stays open and however many messages it carries: the board's two watches
/// and three calls fill a burst of five, and only the sixth call is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watch_counts_once_against_the_rate_limit() {
    const BURST: u32 = 5;
    let system = EmbeddedSystem::start_with(|s| {
        s.gateway.rate_limit_per_second = 0.001;
        s.gateway.rate_limit_burst = BURST;
        s.dealers.at_risk_watch_interval_ms = AT_RISK_EVERY_MS;
    })
    .await;
    let channel = connect(system.addr).await;
    let oem = system.token(&["--role", "oem"]);
    // Each subject has a bucket of its own: the board's watcher, and the
    // advisor who opens the RO.
    let staff = ["--role", "dealer", "--dealer", "alpine-cars", "--subject"];
    let watcher = system.token(&[&staff[..], &["board"]].concat());
    let advisor = system.token(&[&staff[..], &["advisor"]].concat());
    let at = AC_MUNICH;
    let ready = a_vehicle(&channel, &at, &oem, "streams-rate").await;

    let mut boards = Boards::open(&channel, system.addr, &at, &watcher).await;
    let id = an_ro_promised_in(&channel, &at, &advisor, &ready, PROMISED_IN, "streams-rate").await;
    boards.until_at_risk(&id).await;
    let list = || {
        let mut client = repair_orders(&channel, Some(&watcher));
        async move {
            client
                .list_at_risk_repair_orders(pb::ListAtRiskRepairOrdersRequest {
                    station_id: at.station_id.into(),
                    ..Default::default()
                })
                .await
                .code()
        }
    };
    for _ in 2..BURST {
        assert_eq!(list().await, Code::Ok);
    }
    assert_eq!(list().await, Code::ResourceExhausted);
    drop(boards);
    system.stop().await;
}
