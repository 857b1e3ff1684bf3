//! Bad input is INVALID_ARGUMENT naming the field, and moves nothing.

use super::*;

both!(bad_movements_name_their_field, |h: Harness| async move {
    network(&h).await;
    let d1 = h.stock(who::dealer("d1"));
    receive(&d1, "d1-wh", "P-1", 5).await;
    let bad = |r: pb::ReserveStockRequest| {
        let d1 = d1.clone();
        async move { d1.clone().reserve_stock(r).await.bad_field() }
    };
    assert_eq!(bad(reserve("d1-wh", "P-1", 0, "ro-1", 1)).await, "quantity");
    assert_eq!(
        bad(reserve("d1-wh", "P-1", -2, "ro-1", 1)).await,
        "quantity"
    );
    assert_eq!(
        bad(reserve("d1-wh", "P-1", 1, "ro-1", 0)).await,
        "line_number"
    );
    assert_eq!(
        bad(reserve("D1 WH", "P-1", 1, "ro-1", 1)).await,
        "warehouse_id"
    );
    assert_eq!(
        bad(reserve("d1-wh", "P-1", 1, "", 1)).await,
        "repair_order_id"
    );
    assert_eq!(
        bad(reserve("d1-wh", "p 1", 1, "ro-1", 1)).await,
        "part_number"
    );
    assert_eq!(
        bad(reserve("d1-wh", "NO-SUCH", 1, "ro-1", 1)).await,
        "part_number",
        "unknown part"
    );

    let receive_req = |quantity: i64, effective: Option<Timestamp>| pb::ReceiveStockRequest {
        warehouse_id: "d1-wh".into(),
        part_number: "P-1".into(),
        quantity,
        effective_time: effective,
        request_id: rid(),
        ..Default::default()
    };
    assert_eq!(
        d1.clone()
            .receive_stock(receive_req(0, None))
            .await
            .bad_field(),
        "quantity"
    );
    assert_eq!(
        d1.clone()
            .receive_stock(receive_req(1_000_001, None))
            .await
            .bad_field(),
        "quantity"
    );
    assert_eq!(
        d1.clone()
            .receive_stock(receive_req(1, at(4_000_000_000)))
            .await
            .bad_field(),
        "effective_time"
    );

    let adjust = |delta: i64, reason: &str| pb::AdjustStockRequest {
        warehouse_id: "d1-wh".into(),
        part_number: "P-1".into(),
        quantity_delta: delta,
        reason: reason.into(),
        request_id: rid(),
        ..Default::default()
    };
    assert_eq!(
        d1.clone()
            .adjust_stock(adjust(0, "count"))
            .await
            .bad_field(),
        "quantity_delta"
    );
    assert_eq!(
        d1.clone().adjust_stock(adjust(-1, "")).await.bad_field(),
        "reason"
    );

    assert_eq!(
        d1.clone()
            .create_transfer(transfer("d1-wh", "d1-wh", 1))
            .await
            .bad_field(),
        "to_warehouse_id"
    );
    assert_eq!(
        d1.clone()
            .create_transfer(transfer("d1-wh", "north-wh", 0))
            .await
            .bad_field(),
        "quantity"
    );
    assert_eq!(
        d1.clone()
            .receive_transfer(pb::ReceiveTransferRequest {
                transfer_id: "".into(),
                request_id: rid()
            })
            .await
            .bad_field(),
        "transfer_id"
    );
    assert_eq!(
        d1.clone()
            .get_fill_rate(pb::GetFillRateRequest {
                dealer_id: "d1".into(),
                ..Default::default()
            })
            .await
            .bad_field(),
        "period"
    );
    // Nothing moved.
    assert_eq!(ledger(&d1, "d1-wh", "P-1").await.len(), 1);
    assert_ledger_is_the_stock(&d1, "d1-wh", "P-1").await;
});

both!(bad_warehouses_name_their_field, |h: Harness| async move {
    network(&h).await;
    use pb::WarehouseKind::{Central, Dealer, Regional, Unspecified};
    let oem = h.stock(who::oem());
    let bad = |w: pb::Warehouse| {
        let oem = oem.clone();
        async move {
            oem.clone()
                .create_warehouse(pb::CreateWarehouseRequest {
                    warehouse: Some(w),
                    request_id: rid(),
                })
                .await
                .bad_field()
        }
    };
    assert_eq!(
        bad(warehouse("x", Unspecified, "", "", "", 0)).await,
        "warehouse.kind"
    );
    assert_eq!(
        bad(warehouse("x", Dealer, "north", "", "", 0)).await,
        "warehouse.dealer_id"
    );
    assert_eq!(
        bad(warehouse("x", Central, "north", "", "", 0)).await,
        "warehouse.region_id"
    );
    assert_eq!(
        bad(warehouse("x", Regional, "south", "", "d1-wh", 0)).await,
        "warehouse.parent_warehouse_id"
    );
    assert_eq!(
        bad(warehouse("x", Dealer, "south", "d8", "north-wh", 0)).await,
        "warehouse.parent_warehouse_id"
    );
    assert_eq!(
        bad(warehouse("x", Dealer, "south", "d8", "nowhere", 0)).await,
        "warehouse.parent_warehouse_id"
    );
    assert_eq!(
        bad(warehouse("x", Dealer, "south", "d8", "", 400)).await,
        "warehouse.lead_time_days"
    );
    assert_eq!(
        bad(warehouse("X!", Central, "", "", "", 0)).await,
        "warehouse.warehouse_id"
    );
});

both!(
    a_quantity_in_another_unit_is_refused,
    |h: Harness| async move {
        network(&h).await;
        let oil = pb::Part {
            unit: "L".into(),
            ..part("OIL-5W30", "FLUIDS")
        };
        assert_eq!(h.oem().create_part(create(oil)).await.answer().unit, "L");
        assert_eq!(
            h.oem().get_part(get("P-1")).await.answer().unit,
            "EA",
            "each when not stated"
        );
        assert_eq!(
            h.oem()
                .create_part(create(pb::Part {
                    unit: "GAL".into(),
                    ..part("OIL-X", "FLUIDS")
                }))
                .await
                .bad_field(),
            "part.unit"
        );
        let d1 = h.stock(who::dealer("d1"));
        let receive = |unit: &str| pb::ReceiveStockRequest {
            warehouse_id: "d1-wh".into(),
            part_number: "OIL-5W30".into(),
            quantity: 20,
            unit: unit.into(),
            request_id: rid(),
            ..Default::default()
        };
        assert_eq!(
            d1.clone().receive_stock(receive("EA")).await.bad_field(),
            "unit"
        );
        assert_eq!(
            d1.clone().receive_stock(receive("GAL")).await.bad_field(),
            "unit"
        );
        d1.clone().receive_stock(receive("L")).await.answer();
        let reserve_in = |unit: &str| pb::ReserveStockRequest {
            unit: unit.into(),
            ..reserve("d1-wh", "OIL-5W30", 5, "ro-1", 1)
        };
        assert_eq!(
            d1.clone().reserve_stock(reserve_in("KG")).await.bad_field(),
            "unit"
        );
        d1.clone().reserve_stock(reserve_in("L")).await.answer();
        assert_eq!(level(&d1, "d1-wh", "OIL-5W30").await.reserved, 5);
    }
);
