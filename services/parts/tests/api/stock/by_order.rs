//! The movements of one repair order: its lines' reservations, releases
//! and issues in every warehouse, in booking order, for whoever reads the
//! RO's dealer's stock.

use super::*;

fn by_order(ro: &str, page_size: i32, page_token: String) -> pb::ListStockMovementsRequest {
    pb::ListStockMovementsRequest {
        repair_order_id: ro.into(),
        page_size,
        page_token,
        ..Default::default()
    }
}

/// Every movement of `ro`, two to a page.
async fn of_order(c: &StockClient, ro: &str) -> Vec<pb::StockMovement> {
    let mut all = vec![];
    let mut page_token = String::new();
    loop {
        let page = c
            .clone()
            .list_stock_movements(by_order(ro, 2, page_token))
            .await
            .answer();
        all.extend(page.stock_movements);
        if page.next_page_token.is_empty() {
            return all;
        }
        page_token = page.next_page_token;
    }
}

/// d1 receives P-1 and P-2; ro-7 reserves line 1 (2 × P-1) and line 2
/// (1 × P-2), issues line 1 and releases line 2; ro-8 reserves a P-1 too.
async fn ro_7(h: &Harness) -> StockClient {
    network(h).await;
    let d1 = h.stock(who::dealer("d1"));
    receive(&d1, "d1-wh", "P-1", 10).await;
    receive(&d1, "d1-wh", "P-2", 10).await;
    for r in [
        reserve("d1-wh", "P-1", 2, "ro-7", 1),
        reserve("d1-wh", "P-2", 1, "ro-7", 2),
        reserve("d1-wh", "P-1", 1, "ro-8", 1),
    ] {
        d1.clone().reserve_stock(r).await.answer();
    }
    d1.clone()
        .issue_reservation(issue("d1-wh", "ro-7", 1))
        .await
        .answer();
    d1.clone()
        .release_reservation(release("d1-wh", "ro-7", 2))
        .await
        .answer();
    d1
}

both!(
    the_movements_of_a_repair_order_in_booking_order,
    |h: Harness| async move {
        let d1 = ro_7(&h).await;
        let got: Vec<_> = of_order(&d1, "ro-7")
            .await
            .into_iter()
            .map(|m| {
                (
                    pb::MovementKind::try_from(m.kind).unwrap(),
                    m.part_number,
                    m.quantity,
                    m.repair_order_id,
                    m.line_number,
                )
            })
            .collect();
        use pb::MovementKind::*;
        let line = |k, p: &str, q, n| (k, p.to_string(), q, "ro-7".to_string(), n);
        assert_eq!(
            got,
            [
                line(Reserve, "P-1", 2, 1),
                line(Reserve, "P-2", 1, 2),
                line(Issue, "P-1", 2, 1),
                line(Release, "P-2", 1, 2),
            ]
        );
        // A row's own ledger names the line too; a receipt names none.
        let p1 = ledger(&d1, "d1-wh", "P-1").await;
        assert_eq!(p1[0].repair_order_id, "");
        assert_eq!(
            (p1[1].repair_order_id.as_str(), p1[1].line_number),
            ("ro-7", 1)
        );
        // An RO with no movement has none.
        assert!(of_order(&d1, "ro-404").await.is_empty());
    }
);

both!(
    an_order_s_movements_are_read_by_who_reads_its_dealer_s_stock,
    |h: Harness| async move {
        ro_7(&h).await;
        for p in [who::oem(), who::region("north"), who::dms("d1")] {
            let c = h.stock(p.clone());
            assert_eq!(of_order(&c, "ro-7").await.len(), 4, "{p:?}");
        }
        for p in [who::dealer("d2"), who::region("south"), who::dms("d9")] {
            h.stock(p)
                .list_stock_movements(by_order("ro-7", 0, String::new()))
                .await
                .refused(Code::NotFound);
        }
        h.stock(who::survey())
            .list_stock_movements(by_order("ro-7", 0, String::new()))
            .await
            .refused(Code::PermissionDenied);
    }
);

both!(
    asking_by_order_names_the_field_in_the_way,
    |h: Harness| async move {
        ro_7(&h).await;
        let d1 = h.stock(who::dealer("d1"));
        let bad = |r: pb::ListStockMovementsRequest| {
            let d1 = d1.clone();
            async move { d1.clone().list_stock_movements(r).await.bad_field() }
        };
        let mut with_warehouse = by_order("ro-7", 0, String::new());
        with_warehouse.warehouse_id = "d1-wh".into();
        assert_eq!(bad(with_warehouse).await, "warehouse_id");
        let mut with_part = by_order("ro-7", 0, String::new());
        with_part.part_number = "P-1".into();
        assert_eq!(bad(with_part).await, "part_number");
        assert_eq!(
            bad(by_order("RO 7", 0, String::new())).await,
            "repair_order_id"
        );
        assert_eq!(bad(by_order("ro-7", -1, String::new())).await, "page_size");
        assert_eq!(bad(by_order("ro-7", 0, "junk".into())).await, "page_token");
        let first = d1
            .clone()
            .list_stock_movements(by_order("ro-7", 1, String::new()))
            .await
            .answer();
        // A token of one RO's pages is no token of another's.
        assert_eq!(
            bad(by_order("ro-8", 1, first.next_page_token)).await,
            "page_token"
        );
    }
);
