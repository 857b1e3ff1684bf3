//! The distributed mode with the real binary, as an operator deploys it:
//! the dealers, parts, surveys and costs schemas migrated on PostgreSQL,
//! each in its own database, the surveys league tables on Redis, then the
//! four services and the gateway as separate processes configured by
//! environment variables, called through the gateway with tokens `aftercare token`
//! signs with the deployment's token secret.

use aftercare::services::Service;
use aftercare_proto::{
    common::v1::Money,
    dealers::v1 as pb,
    parts::v1::{self as parts_pb},
};
use tonic::{Code, transport::Channel};

use crate::repair_orders::{Station, Tokens, its_cost, journey, network_rate};
use crate::support::{
    clients::{
        Dealers, Outcome, connect, dealer_ids, dealers, parts, price_board, station_ids, stock,
    },
    distributed::Distributed,
    http1,
};
use crate::surveys;

async fn create_region(client: &mut Dealers, id: &str, name: &str) -> pb::Region {
    let request = pb::CreateRegionRequest {
        region: Some(pb::Region {
            display_name: name.into(),
            ..Default::default()
        }),
        region_id: id.into(),
        request_id: format!("e2e-distributed-region-{id}"),
    };
    client.create_region(request).await.answer()
}

/// Head office, through `oem`, builds a piece of network in a new
/// database: the regions east and central, the dealer elbe-motors in the
/// east and its station em-dresden.
pub(crate) async fn elbe_motors(oem: &mut Dealers) -> (pb::Dealer, pb::Station) {
    create_region(oem, "east", "East").await;
    create_region(oem, "central", "Central").await;
    let request = pb::CreateDealerRequest {
        dealer: Some(pb::Dealer {
            region_id: "east".into(),
            display_name: "Elbe Motors".into(),
            code: "D-4001".into(),
            city: "Dresden".into(),
            ..Default::default()
        }),
        dealer_id: "elbe-motors".into(),
        request_id: "e2e-distributed-dealer".into(),
    };
    let dealer = oem.create_dealer(request).await.answer();
    let request = pb::CreateStationRequest {
        station: Some(pb::Station {
            dealer_id: "elbe-motors".into(),
            display_name: "Elbe Motors Dresden".into(),
            code: "S-4001".into(),
            city: "Dresden".into(),
            build_standard: pb::BuildStandard::Full as i32,
            star_level: 4,
            ..Default::default()
        }),
        station_id: "em-dresden".into(),
        request_id: "e2e-distributed-station".into(),
    };
    let station = oem.create_station(request).await.answer();
    (dealer, station)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_services_run_apart_on_postgresql_behind_the_gateway() {
    let deadline_ms = crate::streams::SHORT_DEADLINE.as_millis().to_string();
    let at_risk_every_ms = crate::streams::AT_RISK_EVERY_MS.to_string();
    let mut system = Distributed::start(&[
        // Ranked from one response, so that the journey's tables rank.
        ("AFTERCARE_SURVEYS__LEAGUE_MIN_SAMPLE", "1"),
        // Short, so that the streams below are seen to outlive it; the
        // at-risk board re-read often, as an RO becomes at risk by the clock.
        (
            "AFTERCARE_GATEWAY__DEFAULT_DEADLINE_MS",
            deadline_ms.as_str(),
        ),
        (
            "AFTERCARE_DEALERS__AT_RISK_WATCH_INTERVAL_MS",
            at_risk_every_ms.as_str(),
        ),
    ])
    .await;
    let gateway_addr = system.addr(Service::Gateway);
    // Prometheus scrapes each process on its own port.
    for addr in system.addrs() {
        let answer = http1::get(addr, "/metrics").await;
        assert!(
            answer.head.starts_with("http/1.1 200"),
            "{addr}: {}",
            answer.head
        );
    }

    // The distributed gateway serves the browser pages too.
    crate::binary::pages_are_served(gateway_addr).await;

    // An operator mints a token knowing the token secret only.
    let mint = |args: &[&str]| system.mint(args);
    let channel = connect(gateway_addr).await;
    let mut oem = dealers(&channel, Some(&mint(&["--role", "oem"])));

    // The database is new: head office builds a piece of network.
    let (dealer, station) = elbe_motors(&mut oem).await;
    assert_eq!(
        (dealer.id.as_str(), dealer.region_id.as_str()),
        ("elbe-motors", "east")
    );
    assert_eq!(station.region_id, "east");

    let regions = oem
        .list_regions(pb::ListRegionsRequest::default())
        .await
        .answer();
    let ids: Vec<_> = regions.regions.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["central", "east"]);
    assert_eq!(dealer_ids(&mut oem).await, ["elbe-motors"]);
    assert_eq!(station_ids(&mut oem).await, ["em-dresden"]);
    let get = || pb::GetStationRequest {
        id: "em-dresden".into(),
    };
    assert_eq!(oem.get_station(get()).await.answer(), station);

    // East's manager sees them; the manager of another region does not.
    let mut east = dealers(
        &channel,
        Some(&mint(&["--role", "region", "--region", "east"])),
    );
    assert_eq!(station_ids(&mut east).await, ["em-dresden"]);
    let mut central = dealers(
        &channel,
        Some(&mint(&["--role", "region", "--region", "central"])),
    );
    assert_eq!(dealer_ids(&mut central).await, Vec::<String>::new());
    assert_eq!(station_ids(&mut central).await, Vec::<String>::new());
    assert_eq!(central.get_station(get()).await.code(), Code::NotFound);
    let request = pb::GetDealerRequest {
        id: "elbe-motors".into(),
    };
    assert_eq!(central.get_dealer(request).await.code(), Code::NotFound);

    // The parts service, in its own process and database: the station's
    // store and its price board.
    let oem_token = mint(&["--role", "oem"]);
    let staff_token = mint(&["--role", "dealer", "--dealer", "elbe-motors"]);
    let central_token = mint(&["--role", "region", "--region", "central"]);
    price_a_station(&channel, &oem_token).await;
    let board = parts_pb::ListPriceBoardEntriesRequest {
        station_id: "em-dresden".into(),
        ..Default::default()
    };
    let page = price_board(&channel, Some(&staff_token))
        .list_price_board_entries(board.clone())
        .await
        .answer();
    assert_eq!(page.dealer_id, "elbe-motors");
    let codes: Vec<_> = page.entries.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["SPARK-PLUG-4"]);
    let other = price_board(&channel, Some(&central_token))
        .list_price_board_entries(board)
        .await;
    assert_eq!(other.code(), Code::NotFound);

    // The repair-order journey: dealers reserves in parts, its relay issues,
    // and tells costs, which costs the RO at the network's rate.
    let other_token = mint(&["--role", "dealer", "--dealer", "other-dealer"]);
    let at = Station {
        region_id: "east",
        dealer_id: "elbe-motors",
        station_id: "em-dresden",
        warehouse_id: "em-dresden-wh",
        open_store: false,
    };
    let tokens = Tokens {
        oem: &oem_token,
        staff: &staff_token,
        other: &other_token,
    };
    network_rate(&channel, &oem_token).await;
    let id = journey(&channel, at, tokens).await;
    its_cost(&channel, &id, &tokens).await;
    // The at-risk board through the gateway, by gRPC and gRPC-web, pushed
    // from the dealers process.
    crate::streams::at_risk_is_pushed(&channel, gateway_addr, &at, tokens).await;

    // The survey journey: surveys in its own process and database, its
    // league tables on Redis, the dealers relay delivering to it. A second
    // dealer, in the central region, to be ranked against.
    let request = pb::CreateDealerRequest {
        dealer: Some(pb::Dealer {
            region_id: "central".into(),
            display_name: "Main Cars".into(),
            code: "D-5001".into(),
            city: "Frankfurt".into(),
            ..Default::default()
        }),
        dealer_id: "main-cars".into(),
        request_id: "e2e-distributed-dealer-2".into(),
    };
    oem.create_dealer(request).await.answer();
    let request = pb::CreateStationRequest {
        station: Some(pb::Station {
            dealer_id: "main-cars".into(),
            display_name: "Main Cars Frankfurt".into(),
            code: "S-5001".into(),
            city: "Frankfurt".into(),
            build_standard: pb::BuildStandard::Full as i32,
            star_level: 4,
            ..Default::default()
        }),
        station_id: "mc-frankfurt".into(),
        request_id: "e2e-distributed-station-2".into(),
    };
    oem.create_station(request).await.answer();
    let main_cars_token = mint(&["--role", "dealer", "--dealer", "main-cars"]);
    surveys::journey(
        &channel,
        &oem_token,
        surveys::Member {
            dealer_id: "elbe-motors",
            dealer_name: "Elbe Motors",
            station_id: "em-dresden",
            staff: &staff_token,
            tag: '3',
        },
        surveys::Member {
            dealer_id: "main-cars",
            dealer_name: "Main Cars",
            station_id: "mc-frankfurt",
            staff: &main_cars_token,
            tag: '4',
        },
    )
    .await;
    crate::streams::another_regions_league_is_not_watched(&channel, &central_token, "east").await;

    // The warranty journey: costs in its own process and database, the
    // dealers relay delivering to it, its checks reading parts and dealers.
    let dealers_db = aftercare_db::Db::connect(system.database_url(Service::Dealers), 1)
        .await
        .expect("the dealers database opens");
    let at = Station {
        region_id: "east",
        dealer_id: "elbe-motors",
        station_id: "em-dresden",
        warehouse_id: "em-dresden-wh",
        open_store: false,
    };
    let regular = crate::costs::journey(&channel, at, tokens, &dealers_db).await;
    dealers_db.close().await;

    // Parts stops while a warranty RO is delivered, and comes back.
    let at = Station {
        region_id: "east",
        dealer_id: "elbe-motors",
        station_id: "em-dresden",
        warehouse_id: "em-dresden-wh",
        open_store: false,
    };
    let second = crate::costs::second_repair(&channel, &at, tokens, &regular).await;
    system.stop(Service::Parts);
    crate::costs::delivered_with_parts_stopped(&channel, tokens, &second).await;
    system.start_again(Service::Parts, &[]).await;
    crate::costs::checked_again_with_parts_back(&channel, tokens, &second).await;

    // The quality loop: a low answer's complaint opened by the surveys
    // relay, carried to its close; the scorecard gathered over the network
    // with every part, then, with parts stopped, naming its parts missing.
    let at = Station {
        region_id: "east",
        dealer_id: "elbe-motors",
        station_id: "em-dresden",
        warehouse_id: "em-dresden-wh",
        open_store: false,
    };
    crate::quality::require_a_blade(&channel, &oem_token).await;
    crate::quality::closed_loop(&channel, &at, tokens, "2").await;
    crate::quality::every_part_present(&channel, tokens, "elbe-motors").await;
    system.stop(Service::Parts);
    crate::quality::parts_missing(&channel, tokens, "elbe-motors").await;
    system.start_again(Service::Parts, &[]).await;

    // After a day's journeys, the dashboards and alert rules in deploy/ name
    // only metrics these processes export.
    crate::metric_names::every_name_is_exported(&system.addrs()).await;
    system.assert_running();
}

/// Head office puts a part in the catalogue and opens the store of the
/// station em-dresden.
pub(crate) async fn price_a_station(channel: &Channel, oem_token: &str) {
    parts(channel, Some(oem_token))
        .create_part(parts_pb::CreatePartRequest {
            part: Some(parts_pb::Part {
                part_number: "SPARK-PLUG-4".into(),
                display_name: "Spark plug".into(),
                category: "IGNITION".into(),
                list_price: Some(Money {
                    currency_code: "EUR".into(),
                    minor_units: 890,
                }),
                cost: Some(Money {
                    currency_code: "EUR".into(),
                    minor_units: 310,
                }),
                ..Default::default()
            }),
            request_id: "e2e-distributed-part".into(),
        })
        .await
        .answer();
    stock(channel, Some(oem_token))
        .create_warehouse(parts_pb::CreateWarehouseRequest {
            warehouse: Some(parts_pb::Warehouse {
                warehouse_id: "em-dresden-wh".into(),
                display_name: "Elbe Motors Dresden, parts store".into(),
                kind: parts_pb::WarehouseKind::Dealer as i32,
                region_id: "east".into(),
                dealer_id: "elbe-motors".into(),
                station_id: "em-dresden".into(),
                station_class: parts_pb::StationClass::Full as i32,
                lead_time_days: 1,
                ..Default::default()
            }),
            request_id: "e2e-distributed-warehouse".into(),
        })
        .await
        .answer();
}
