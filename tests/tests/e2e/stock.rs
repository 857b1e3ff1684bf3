//! Stock through the gateway: head office sets up a warehouse for a dealer,
//! the dealer receives and reserves for a repair order, another dealer
//! learns only how many are available, and the fill rate counts the line.

use aftercare_proto::{
    common::v1::{Money, Period, PeriodKind},
    parts::v1 as pb,
};
use tonic::Code;

use crate::support::{
    clients::{Outcome, connect, parts, stock},
    system::EmbeddedSystem,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dealer_reserves_its_own_stock_for_a_repair_order() {
    let system = EmbeddedSystem::start().await;
    let channel = connect(system.addr).await;
    let oem_token = system.token(&["--role", "oem"]);
    let alpine_token = system.token(&["--role", "dealer", "--dealer", "alpine-cars"]);
    let other_token = system.token(&["--role", "dealer", "--dealer", "other-dealer"]);

    let eur = |minor_units| {
        Some(Money {
            currency_code: "EUR".into(),
            minor_units,
        })
    };
    parts(&channel, Some(&oem_token))
        .create_part(pb::CreatePartRequest {
            part: Some(pb::Part {
                part_number: "BRAKE-PAD-1".into(),
                display_name: "Brake pads, front".into(),
                category: "BRAKES".into(),
                list_price: eur(4900),
                cost: eur(2100),
                ..Default::default()
            }),
            request_id: "e2e-stock-part".into(),
        })
        .await
        .answer();
    let mut oem = stock(&channel, Some(&oem_token));
    for (id, kind, region, dealer, parent) in [
        ("central", pb::WarehouseKind::Central, "", "", ""),
        (
            "alpine-wh",
            pb::WarehouseKind::Dealer,
            "south",
            "alpine-cars",
            "central",
        ),
    ] {
        oem.create_warehouse(pb::CreateWarehouseRequest {
            warehouse: Some(pb::Warehouse {
                warehouse_id: id.into(),
                display_name: id.into(),
                kind: kind as i32,
                region_id: region.into(),
                dealer_id: dealer.into(),
                parent_warehouse_id: parent.into(),
                lead_time_days: 2,
                ..Default::default()
            }),
            request_id: format!("e2e-stock-{id}"),
        })
        .await
        .answer();
    }

    let mut alpine = stock(&channel, Some(&alpine_token));
    alpine
        .receive_stock(pb::ReceiveStockRequest {
            warehouse_id: "alpine-wh".into(),
            part_number: "BRAKE-PAD-1".into(),
            quantity: 4,
            request_id: "e2e-stock-receive".into(),
            ..Default::default()
        })
        .await
        .answer();
    let reserve = pb::ReserveStockRequest {
        warehouse_id: "alpine-wh".into(),
        part_number: "BRAKE-PAD-1".into(),
        quantity: 2,
        repair_order_id: "ro-e2e-1".into(),
        line_number: 1,
        allow_backorder: false,
        request_id: "e2e-stock-reserve".into(),
        unit: String::new(),
    };
    let reserved = alpine.reserve_stock(reserve.clone()).await.answer();
    assert_eq!(reserved.state, pb::ReservationState::Reserved as i32);
    assert_eq!(
        alpine.reserve_stock(reserve).await.answer(),
        reserved,
        "a retry reserves once"
    );

    let mut other = stock(&channel, Some(&other_token));
    let level = pb::GetStockLevelRequest {
        warehouse_id: "alpine-wh".into(),
        part_number: "BRAKE-PAD-1".into(),
    };
    assert_eq!(
        other.get_stock_level(level.clone()).await.code(),
        Code::NotFound
    );
    let availability = other
        .get_part_availability(pb::GetPartAvailabilityRequest {
            part_number: "BRAKE-PAD-1".into(),
            ..Default::default()
        })
        .await
        .answer();
    assert_eq!(availability.total_available, 2);
    assert_eq!(availability.warehouses[0].dealer_id, "", "not whose");
    assert_eq!(alpine.get_stock_level(level).await.answer().available, 2);

    let today = time::OffsetDateTime::now_utc();
    let rate = alpine
        .get_fill_rate(pb::GetFillRateRequest {
            dealer_id: "alpine-cars".into(),
            region_id: String::new(),
            period: Some(Period {
                kind: PeriodKind::Month as i32,
                year: today.year(),
                number: today.month() as i32,
            }),
        })
        .await
        .answer();
    assert_eq!((rate.lines_asked, rate.rate_basis_points), (1, 10_000));
    drop((oem, alpine, other, channel));
    system.stop().await;
}
