//! A station's parts through the gateway: head office lists what every
//! service station must hold, the station's staff see how their store
//! measures up and read their price board, and another dealer sees
//! neither.

use aftercare_proto::{common::v1::Money, parts::v1 as pb};
use tonic::Code;

use crate::support::{
    clients::{Outcome, connect, labour, parts, price_board, required_stock, stock},
    system::EmbeddedSystem,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_station_checks_its_required_stock_and_reads_its_price_board() {
    let system = EmbeddedSystem::start().await;
    let channel = connect(system.addr).await;
    let oem_token = system.token(&["--role", "oem"]);
    let staff_token = system.token(&[
        "--role",
        "dealer",
        "--dealer",
        "alpine-cars",
        "--station",
        "alpine-north",
    ]);
    let other_token = system.token(&["--role", "dealer", "--dealer", "other-dealer"]);
    let eur = |minor_units| {
        Some(Money {
            currency_code: "EUR".into(),
            minor_units,
        })
    };

    // Head office: a part, a labour operation, the station's store, and
    // what every service station must hold.
    parts(&channel, Some(&oem_token))
        .create_part(pb::CreatePartRequest {
            part: Some(pb::Part {
                part_number: "OIL-FILTER-1".into(),
                display_name: "Oil filter".into(),
                category: "FILTERS".into(),
                list_price: eur(1290),
                cost: eur(540),
                ..Default::default()
            }),
            request_id: "e2e-station-part".into(),
        })
        .await
        .answer();
    labour(&channel, Some(&oem_token))
        .create_labour_operation(pb::CreateLabourOperationRequest {
            labour_operation: Some(pb::LabourOperation {
                operation_code: "OIL-CHANGE".into(),
                display_name: "Oil change".into(),
                standard_centihours: 50,
                price: eur(4500),
                ..Default::default()
            }),
            request_id: "e2e-station-op".into(),
        })
        .await
        .answer();
    stock(&channel, Some(&oem_token))
        .create_warehouse(pb::CreateWarehouseRequest {
            warehouse: Some(pb::Warehouse {
                warehouse_id: "alpine-north-wh".into(),
                display_name: "Alpine Cars North, parts store".into(),
                kind: pb::WarehouseKind::Dealer as i32,
                region_id: "south".into(),
                dealer_id: "alpine-cars".into(),
                station_id: "alpine-north".into(),
                station_class: pb::StationClass::Service as i32,
                lead_time_days: 2,
                ..Default::default()
            }),
            request_id: "e2e-station-warehouse".into(),
        })
        .await
        .answer();
    required_stock(&channel, Some(&oem_token))
        .set_required_stock_item(pb::SetRequiredStockItemRequest {
            item: Some(pb::RequiredStockItem {
                station_class: pb::StationClass::Service as i32,
                part_number: "OIL-FILTER-1".into(),
                quantity: 6,
                ..Default::default()
            }),
            request_id: "e2e-station-required".into(),
        })
        .await
        .answer();

    // The station receives 4 filters: 2 short of its list.
    stock(&channel, Some(&staff_token))
        .receive_stock(pb::ReceiveStockRequest {
            warehouse_id: "alpine-north-wh".into(),
            part_number: "OIL-FILTER-1".into(),
            quantity: 4,
            request_id: "e2e-station-receive".into(),
            ..Default::default()
        })
        .await
        .answer();
    let compliance = pb::GetStationComplianceRequest {
        warehouse_id: "alpine-north-wh".into(),
    };
    let mine = required_stock(&channel, Some(&staff_token))
        .get_station_compliance(compliance.clone())
        .await
        .answer();
    assert_eq!((mine.items_required, mine.items_met), (1, 0));
    assert_eq!(mine.items[0].shortfall, 2);

    let board = pb::ListPriceBoardEntriesRequest {
        station_id: "alpine-north".into(),
        ..Default::default()
    };
    let page = price_board(&channel, Some(&staff_token))
        .list_price_board_entries(board.clone())
        .await
        .answer();
    let lines: Vec<_> = page
        .entries
        .iter()
        .map(|e| (e.code.as_str(), e.price.as_ref().map(|p| p.minor_units)))
        .collect();
    assert_eq!(
        lines,
        [("OIL-FILTER-1", Some(1290)), ("OIL-CHANGE", Some(4500))]
    );

    // Another dealer learns nothing of the station.
    assert_eq!(
        required_stock(&channel, Some(&other_token))
            .get_station_compliance(compliance)
            .await
            .code(),
        Code::NotFound
    );
    assert_eq!(
        price_board(&channel, Some(&other_token))
            .list_price_board_entries(board)
            .await
            .code(),
        Code::NotFound
    );
    drop(channel);
    system.stop().await;
}
