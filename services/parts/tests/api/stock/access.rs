//! Who may do what with a dealer's warehouse, RPC by RPC: its own staff and
//! DMS do everything; another dealer, another region and a survey link do
//! not learn it exists; its region and head office see it and plan its
//! levels but do not move its stock.

use aftercare_auth::Principal;
use tonic::{Response, Status};

use super::*;

fn code<T>(r: Result<Response<T>, Status>) -> Code {
    r.map_or_else(|s| s.code(), |_| Code::Ok)
}

/// Every RPC on d1's warehouse, as `c`; `ro` names repair order lines
/// reserved beforehand (lines 1 and 2), so that release and issue have
/// something to act on.
async fn every_rpc(c: StockClient, ro: &str) -> Vec<(&'static str, Code)> {
    let w = || "d1-wh".to_string();
    let p = || "P-1".to_string();
    let get_res = pb::GetReservationRequest {
        warehouse_id: w(),
        repair_order_id: ro.into(),
        line_number: 1,
    };
    vec![
        (
            "GetWarehouse",
            code(
                c.clone()
                    .get_warehouse(pb::GetWarehouseRequest { warehouse_id: w() })
                    .await,
            ),
        ),
        (
            "GetStockLevel",
            code(
                c.clone()
                    .get_stock_level(pb::GetStockLevelRequest {
                        warehouse_id: w(),
                        part_number: p(),
                    })
                    .await,
            ),
        ),
        (
            "ListStockLevels",
            code(
                c.clone()
                    .list_stock_levels(pb::ListStockLevelsRequest {
                        warehouse_id: w(),
                        ..Default::default()
                    })
                    .await,
            ),
        ),
        (
            "ListStockMovements",
            code(
                c.clone()
                    .list_stock_movements(pb::ListStockMovementsRequest {
                        warehouse_id: w(),
                        part_number: p(),
                        ..Default::default()
                    })
                    .await,
            ),
        ),
        (
            "ListBackorders",
            code(
                c.clone()
                    .list_backorders(pb::ListBackordersRequest {
                        warehouse_id: w(),
                        ..Default::default()
                    })
                    .await,
            ),
        ),
        (
            "ListReplenishmentSuggestions",
            code(
                c.clone()
                    .list_replenishment_suggestions(pb::ListReplenishmentSuggestionsRequest {
                        warehouse_id: w(),
                        ..Default::default()
                    })
                    .await,
            ),
        ),
        (
            "GetReservation",
            code(c.clone().get_reservation(get_res).await),
        ),
        (
            "UpdateStockLevel",
            code(
                c.clone()
                    .update_stock_level(pb::UpdateStockLevelRequest {
                        stock_level: Some(pb::StockLevel {
                            warehouse_id: w(),
                            part_number: p(),
                            max_quantity: 50,
                            ..Default::default()
                        }),
                        update_mask: Some(FieldMask {
                            paths: vec!["max_quantity".into()],
                        }),
                        request_id: rid(),
                    })
                    .await,
            ),
        ),
        (
            "ReceiveStock",
            code(
                c.clone()
                    .receive_stock(pb::ReceiveStockRequest {
                        warehouse_id: w(),
                        part_number: p(),
                        quantity: 1,
                        request_id: rid(),
                        ..Default::default()
                    })
                    .await,
            ),
        ),
        (
            "AdjustStock",
            code(
                c.clone()
                    .adjust_stock(pb::AdjustStockRequest {
                        warehouse_id: w(),
                        part_number: p(),
                        quantity_delta: 1,
                        reason: "found".into(),
                        request_id: rid(),
                        ..Default::default()
                    })
                    .await,
            ),
        ),
        (
            "ReserveStock",
            code(
                c.clone()
                    .reserve_stock(reserve("d1-wh", "P-1", 1, ro, 3))
                    .await,
            ),
        ),
        (
            "ReleaseReservation",
            code(c.clone().release_reservation(release("d1-wh", ro, 1)).await),
        ),
        (
            "IssueReservation",
            code(c.clone().issue_reservation(issue("d1-wh", ro, 2)).await),
        ),
        (
            "CreateTransfer",
            code(
                c.clone()
                    .create_transfer(pb::CreateTransferRequest {
                        from_warehouse_id: w(),
                        to_warehouse_id: "north-wh".into(),
                        part_number: p(),
                        quantity: 1,
                        expected_time: None,
                        request_id: rid(),
                        unit: String::new(),
                    })
                    .await,
            ),
        ),
    ]
}

const READS: usize = 7;

fn expect(reads: Code, plan: Code, moves: Code) -> Vec<Code> {
    let mut all = vec![reads; READS];
    all.push(plan);
    all.extend([moves; 6]);
    all
}

both!(
    every_rpc_is_checked_against_the_caller,
    |h: Harness| async move {
        network(&h).await;
        let owner = h.stock(who::dealer("d1"));
        receive(&owner, "d1-wh", "P-1", 100).await;
        let callers: Vec<(Principal, Vec<Code>)> = vec![
            (who::dealer("d1"), expect(Code::Ok, Code::Ok, Code::Ok)),
            (who::dms("d1"), expect(Code::Ok, Code::Ok, Code::Ok)),
            (
                who::dealer("d2"),
                expect(Code::NotFound, Code::NotFound, Code::NotFound),
            ),
            (
                who::dms("d2"),
                expect(Code::NotFound, Code::NotFound, Code::NotFound),
            ),
            (
                who::region("south"),
                expect(Code::NotFound, Code::NotFound, Code::NotFound),
            ),
            (
                who::survey(),
                expect(Code::NotFound, Code::NotFound, Code::NotFound),
            ),
            (
                who::region("north"),
                expect(Code::Ok, Code::Ok, Code::PermissionDenied),
            ),
            (
                who::oem(),
                expect(Code::Ok, Code::Ok, Code::PermissionDenied),
            ),
        ];
        for (i, (principal, expected)) in callers.into_iter().enumerate() {
            let ro = format!("ro-{i}");
            for line in [1, 2] {
                owner
                    .clone()
                    .reserve_stock(reserve("d1-wh", "P-1", 1, &ro, line))
                    .await
                    .answer();
            }
            let subject = principal.subject.clone();
            let got = every_rpc(h.stock(principal), &ro).await;
            for ((rpc, code), want) in got.into_iter().zip(expected) {
                assert_eq!(code, want, "{rpc} as {subject}");
            }
        }
        let forged = every_rpc(h.stock_forger(), "ro-0").await;
        assert!(
            forged.iter().all(|(_, c)| *c == Code::Unauthenticated),
            "{forged:?}"
        );
        assert_ledger_is_the_stock(&owner, "d1-wh", "P-1").await;
    }
);

both!(
    warehouses_are_listed_and_created_within_scope,
    |h: Harness| async move {
        network(&h).await;
        let list = |c: StockClient| async move {
            let page = c
                .clone()
                .list_warehouses(pb::ListWarehousesRequest::default())
                .await
                .answer();
            ids(&page.warehouses, |w| &w.warehouse_id)
        };
        assert_eq!(list(h.stock(who::dealer("d1"))).await, ["d1-wh"]);
        assert_eq!(
            list(h.stock(who::region("north"))).await,
            ["central", "d1-wh", "d2-wh", "north-wh"]
        );
        assert_eq!(list(h.stock(who::oem())).await.len(), 5);
        assert!(list(h.stock(who::dms("d9"))).await == ["d9-wh"]);
        h.stock(who::survey())
            .list_warehouses(pb::ListWarehousesRequest::default())
            .await
            .refused(Code::PermissionDenied);

        let create = |w: pb::Warehouse| pb::CreateWarehouseRequest {
            warehouse: Some(w),
            request_id: rid(),
        };
        use pb::WarehouseKind::{Central, Dealer};
        let d3 = warehouse("d3-wh", Dealer, "north", "d3", "north-wh", 1);
        h.stock(who::dealer("d3"))
            .create_warehouse(create(d3.clone()))
            .await
            .refused(Code::PermissionDenied);
        h.stock(who::region("south"))
            .create_warehouse(create(d3.clone()))
            .await
            .refused(Code::PermissionDenied);
        h.stock(who::region("north"))
            .create_warehouse(create(warehouse("c2", Central, "", "", "", 0)))
            .await
            .refused(Code::PermissionDenied);
        let created = h
            .stock(who::region("north"))
            .create_warehouse(create(d3.clone()))
            .await
            .answer();
        assert_eq!(created.parent_warehouse_id, "north-wh");
        h.stock(who::oem())
            .create_warehouse(create(d3))
            .await
            .refused(Code::AlreadyExists);
    }
);
