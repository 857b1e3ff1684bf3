//! The stock service: warehouses, movements, reservations, backorders,
//! transfers and reports, on a small network every test builds afresh:
//!
//! ```text
//! central ─┬─ north-wh (region north, 2 days) ─┬─ d1-wh (dealer d1, 1 day)
//!          │                                   └─ d2-wh (dealer d2, 1 day)
//!          └─ d9-wh (region south, dealer d9, 3 days)
//! ```
//! with parts P-1 and P-2 in the catalogue.

mod access;
mod archive;
mod backorders;
mod bad_input;
mod by_order;
mod concurrency;
mod metrics;
mod movements;
mod price_board;
mod reports;
mod required;
mod superseded;
mod transfers;
mod zone;

use crate::{
    fixture::*,
    support::{StockClient, who},
};

pub(crate) const DAY: i64 = 86_400;

pub(crate) fn warehouse(
    id: &str,
    kind: pb::WarehouseKind,
    region: &str,
    dealer: &str,
    parent: &str,
    lead_time_days: i32,
) -> pb::Warehouse {
    pb::Warehouse {
        warehouse_id: id.into(),
        display_name: format!("Warehouse {id}"),
        kind: kind as i32,
        region_id: region.into(),
        dealer_id: dealer.into(),
        parent_warehouse_id: parent.into(),
        lead_time_days,
        ..Default::default()
    }
}

pub(crate) async fn network(h: &Harness) {
    use pb::WarehouseKind::{Central, Dealer, Regional};
    let oem = h.stock(who::oem());
    for w in [
        warehouse("central", Central, "", "", "", 0),
        warehouse("north-wh", Regional, "north", "", "central", 2),
        warehouse("d1-wh", Dealer, "north", "d1", "north-wh", 1),
        warehouse("d2-wh", Dealer, "north", "d2", "north-wh", 1),
        warehouse("d9-wh", Dealer, "south", "d9", "central", 3),
    ] {
        oem.clone()
            .create_warehouse(pb::CreateWarehouseRequest {
                warehouse: Some(w),
                request_id: rid(),
            })
            .await
            .answer();
    }
    for p in ["P-1", "P-2"] {
        h.oem()
            .create_part(create(part(p, "BRAKES")))
            .await
            .answer();
    }
}

/// Adds to [`network`] one warehouse per station: s1-wh (d1's station s1,
/// a service station), s2-wh (d2's s2, quick service) and s9-wh (d9's s9,
/// a service station in the south).
pub(crate) async fn stations(h: &Harness) {
    use pb::StationClass::{Quick, Service};
    let oem = h.stock(who::oem());
    for (id, region, dealer, station, class, parent) in [
        ("s1-wh", "north", "d1", "s1", Service, "north-wh"),
        ("s2-wh", "north", "d2", "s2", Quick, "north-wh"),
        ("s9-wh", "south", "d9", "s9", Service, "central"),
    ] {
        let mut w = warehouse(id, pb::WarehouseKind::Dealer, region, dealer, parent, 1);
        w.station_id = station.into();
        w.station_class = class as i32;
        oem.clone()
            .create_warehouse(pb::CreateWarehouseRequest {
                warehouse: Some(w),
                request_id: rid(),
            })
            .await
            .answer();
    }
}

pub(crate) async fn receive(
    c: &StockClient,
    warehouse: &str,
    part: &str,
    quantity: i64,
) -> pb::StockMovement {
    c.clone()
        .receive_stock(pb::ReceiveStockRequest {
            warehouse_id: warehouse.into(),
            part_number: part.into(),
            quantity,
            request_id: rid(),
            ..Default::default()
        })
        .await
        .answer()
}

pub(crate) fn reserve(
    warehouse: &str,
    part: &str,
    quantity: i64,
    ro: &str,
    line: i32,
) -> pb::ReserveStockRequest {
    pb::ReserveStockRequest {
        warehouse_id: warehouse.into(),
        part_number: part.into(),
        quantity,
        repair_order_id: ro.into(),
        line_number: line,
        allow_backorder: false,
        request_id: rid(),
        unit: String::new(),
    }
}

/// A transfer of P-1.
pub(crate) fn transfer(from: &str, to: &str, quantity: i64) -> pb::CreateTransferRequest {
    pb::CreateTransferRequest {
        from_warehouse_id: from.into(),
        to_warehouse_id: to.into(),
        part_number: "P-1".into(),
        quantity,
        expected_time: None,
        request_id: rid(),
        unit: String::new(),
    }
}

pub(crate) fn release(w: &str, ro: &str, line: i32) -> pb::ReleaseReservationRequest {
    pb::ReleaseReservationRequest {
        warehouse_id: w.into(),
        repair_order_id: ro.into(),
        line_number: line,
        request_id: rid(),
    }
}

pub(crate) fn issue(w: &str, ro: &str, line: i32) -> pb::IssueReservationRequest {
    pb::IssueReservationRequest {
        warehouse_id: w.into(),
        repair_order_id: ro.into(),
        line_number: line,
        request_id: rid(),
    }
}

pub(crate) async fn level(c: &StockClient, warehouse: &str, part: &str) -> pb::StockLevel {
    c.clone()
        .get_stock_level(pb::GetStockLevelRequest {
            warehouse_id: warehouse.into(),
            part_number: part.into(),
        })
        .await
        .answer()
}

/// The whole ledger of a part in a warehouse, every page.
pub(crate) async fn ledger(c: &StockClient, warehouse: &str, part: &str) -> Vec<pb::StockMovement> {
    let mut all = vec![];
    let mut page_token = String::new();
    loop {
        let page = c
            .clone()
            .list_stock_movements(pb::ListStockMovementsRequest {
                warehouse_id: warehouse.into(),
                part_number: part.into(),
                page_size: 7,
                page_token,
                ..Default::default()
            })
            .await
            .answer();
        all.extend(page.stock_movements);
        if page.next_page_token.is_empty() {
            return all;
        }
        page_token = page.next_page_token;
    }
}

/// The ledger replayed in the order it counts (effective time, then
/// booking order): (on hand, reserved) after each entry must stay within
/// the rule, and the end must be the stock row.
pub(crate) async fn assert_ledger_is_the_stock(c: &StockClient, warehouse: &str, part: &str) {
    let mut entries = ledger(c, warehouse, part).await;
    let stock = level(c, warehouse, part).await;
    entries.sort_by_key(|e| (e.effective_time.map(|t| (t.seconds, t.nanos)), e.sequence));
    let (mut on_hand, mut reserved) = (0i64, 0i64);
    for e in &entries {
        let q = e.quantity;
        match pb::MovementKind::try_from(e.kind).unwrap() {
            pb::MovementKind::Receive => on_hand += q,
            pb::MovementKind::Reserve => reserved += q,
            pb::MovementKind::Release => reserved -= q,
            pb::MovementKind::Issue => {
                on_hand -= q;
                reserved -= q;
            }
            pb::MovementKind::Ship => on_hand -= q,
            pb::MovementKind::Adjust => on_hand += q,
            pb::MovementKind::Unspecified => panic!("unspecified movement"),
        }
        assert!(
            0 <= reserved && reserved <= on_hand,
            "after {e:?}: {on_hand} / {reserved}"
        );
    }
    assert_eq!(
        (on_hand, reserved),
        (stock.on_hand, stock.reserved),
        "ledger replayed = stock row"
    );
    assert_eq!(stock.available, stock.on_hand - stock.reserved);
}
