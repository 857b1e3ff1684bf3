//! The parts catalogue, the labour operations, each station's store with
//! its opening stock, and the stock a full station must keep: the HV
//! connectors are short of it everywhere, and the DC-DC converters are out,
//! so that the ROs that need one wait for parts on a backorder.

use aftercare_auth::Scope;
use aftercare_proto::parts::v1::{
    self as parts_pb, labour_service_client::LabourServiceClient,
    parts_service_client::PartsServiceClient,
    required_stock_service_client::RequiredStockServiceClient,
    stock_service_client::StockServiceClient,
};

use time::OffsetDateTime;

use super::{Channels, STATIONS, eur, staff, timestamp};

/// (part, name, list price, cost, warranty-eligible, opening stock,
/// required at a full station)
const PARTS: &[(&str, &str, i64, i64, bool, i64, i64)] = &[
    ("OIL-FILTER-5", "Oil filter", 1_890, 720, false, 120, 10),
    (
        "PAD-SET-FRONT",
        "Brake pad set, front",
        8_900,
        4_100,
        true,
        80,
        10,
    ),
    (
        "HV-CONNECTOR",
        "High-voltage connector",
        24_500,
        13_800,
        true,
        40,
        50,
    ),
    (
        "DCDC-CONVERTER",
        "DC-DC converter",
        61_000,
        38_500,
        true,
        0,
        2,
    ),
];

/// The part the waiting ROs need: none in any store.
pub(super) const OUT_OF_STOCK: &str = "DCDC-CONVERTER";

/// (operation, name, standard hours in hundredths, certification, price)
const OPERATIONS: &[(&str, &str, i32, &str, i64)] = &[
    ("OIL-SERVICE", "Oil and filter change", 50, "", 6_900),
    ("PAD-REPLACE", "Replace front brake pads", 120, "", 14_400),
    ("HV-CHECK", "High-voltage system check", 80, "HV-2", 11_200),
    (
        "DCDC-REPLACE",
        "Replace the DC-DC converter",
        240,
        "HV-2",
        29_800,
    ),
];

/// (model, price of its yearly service)
const PACKAGES: &[(&str, i64)] = &[
    ("CITY-E", 14_900),
    ("FAMILY-5", 18_900),
    ("VAN-E1", 21_900),
    ("TRIKE-3", 9_900),
];

/// The standard hours of `operation`, in hundredths.
pub(super) fn standard_centihours(operation: &str) -> i32 {
    OPERATIONS
        .iter()
        .find(|o| o.0 == operation)
        .map_or(100, |o| o.2)
}

/// Head office's parts and labour operations, each part's price in force
/// since `since` (before the month the demo plays, so that the month's ROs
/// are costed and their claims checked at the price of their day).
pub(super) async fn catalogue(c: &Channels, since: OffsetDateTime) -> anyhow::Result<()> {
    let mut parts = PartsServiceClient::new(c.signed(&c.parts, Scope::Oem));
    for (number, name, price, cost, eligible, ..) in PARTS {
        parts
            .create_part(parts_pb::CreatePartRequest {
                part: Some(parts_pb::Part {
                    part_number: (*number).into(),
                    display_name: (*name).into(),
                    category: "SERVICE".into(),
                    list_price: eur(*price),
                    cost: eur(*cost),
                    warranty_eligible: *eligible,
                    ..Default::default()
                }),
                request_id: format!("demo-part-{number}"),
            })
            .await?;
        parts
            .schedule_price_change(parts_pb::SchedulePriceChangeRequest {
                part_number: (*number).into(),
                effective_time: timestamp(since),
                list_price: eur(*price),
                cost: eur(*cost),
                request_id: format!("demo-part-price-{number}"),
            })
            .await?;
    }
    let mut labour = LabourServiceClient::new(c.signed(&c.parts, Scope::Oem));
    for (code, name, hours, certification, price) in OPERATIONS {
        labour
            .create_labour_operation(parts_pb::CreateLabourOperationRequest {
                labour_operation: Some(parts_pb::LabourOperation {
                    operation_code: (*code).into(),
                    display_name: (*name).into(),
                    standard_centihours: *hours,
                    required_certification: (*certification).into(),
                    price: eur(*price),
                    ..Default::default()
                }),
                request_id: format!("demo-operation-{code}"),
            })
            .await?;
    }
    // Every model's yearly service: what the maintenance reminders and the
    // price board's packages come from.
    for (model, price) in PACKAGES {
        labour
            .create_maintenance_package(parts_pb::CreateMaintenancePackageRequest {
                maintenance_package: Some(parts_pb::MaintenancePackage {
                    package_id: format!("{model}-12M"),
                    model_code: (*model).into(),
                    interval: Some(parts_pb::ServiceInterval {
                        months: 12,
                        kilometres: 15_000,
                    }),
                    display_name: format!("{model} yearly service"),
                    operations: vec![parts_pb::PackageOperation {
                        operation_code: "OIL-SERVICE".into(),
                    }],
                    parts: vec![parts_pb::PackagePart {
                        part_number: "OIL-FILTER-5".into(),
                        quantity: 1,
                    }],
                    price: eur(*price),
                    ..Default::default()
                }),
                request_id: format!("demo-package-{model}"),
            })
            .await?;
    }
    Ok(())
}

/// Each station's store with its opening stock, and what a full station
/// must keep.
pub(super) async fn stores(c: &Channels) -> anyhow::Result<()> {
    let mut stock = StockServiceClient::new(c.signed(&c.parts, Scope::Oem));
    for (station, dealer, region) in STATIONS {
        stock
            .create_warehouse(parts_pb::CreateWarehouseRequest {
                warehouse: Some(parts_pb::Warehouse {
                    warehouse_id: format!("{station}-wh"),
                    display_name: format!("{station} parts store"),
                    kind: parts_pb::WarehouseKind::Dealer as i32,
                    region_id: (*region).into(),
                    dealer_id: (*dealer).into(),
                    station_id: (*station).into(),
                    station_class: parts_pb::StationClass::Full as i32,
                    lead_time_days: 2,
                    ..Default::default()
                }),
                request_id: format!("demo-store-{station}"),
            })
            .await?;
        let mut own = StockServiceClient::new(c.signed(&c.parts, staff(dealer)));
        for (number, .., opening, _) in PARTS.iter().filter(|p| p.5 > 0) {
            own.receive_stock(parts_pb::ReceiveStockRequest {
                warehouse_id: format!("{station}-wh"),
                part_number: (*number).into(),
                quantity: *opening,
                reference: "opening stock".into(),
                request_id: format!("demo-receive-{station}-{number}"),
                ..Default::default()
            })
            .await?;
        }
    }
    let mut required = RequiredStockServiceClient::new(c.signed(&c.parts, Scope::Oem));
    for (part, .., quantity) in PARTS {
        required
            .set_required_stock_item(parts_pb::SetRequiredStockItemRequest {
                item: Some(parts_pb::RequiredStockItem {
                    station_class: parts_pb::StationClass::Full as i32,
                    part_number: (*part).into(),
                    quantity: *quantity,
                    ..Default::default()
                }),
                request_id: format!("demo-required-{part}"),
            })
            .await?;
    }
    Ok(())
}
