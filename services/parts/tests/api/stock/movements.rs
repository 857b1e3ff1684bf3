//! Receive, reserve, issue, release and count: every change one ledger
//! entry, the ledger always the stock, nothing below zero.

use super::*;

both!(
    a_reservation_is_issued_or_released,
    |h: Harness| async move {
        network(&h).await;
        let d1 = h.stock(who::dealer("d1"));
        receive(&d1, "d1-wh", "P-1", 10).await;
        let r = d1
            .clone()
            .reserve_stock(reserve("d1-wh", "P-1", 4, "ro-1", 1))
            .await
            .answer();
        assert_eq!(r.state, pb::ReservationState::Reserved as i32);
        assert!(r.served_at_once);
        let l = level(&d1, "d1-wh", "P-1").await;
        assert_eq!((l.on_hand, l.reserved, l.available), (10, 4, 6));

        let issued = d1
            .clone()
            .issue_reservation(issue("d1-wh", "ro-1", 1))
            .await
            .answer();
        assert_eq!(issued.state, pb::ReservationState::Issued as i32);
        d1.clone()
            .reserve_stock(reserve("d1-wh", "P-1", 3, "ro-2", 1))
            .await
            .answer();
        let released = d1
            .clone()
            .release_reservation(release("d1-wh", "ro-2", 1))
            .await
            .answer();
        assert_eq!(released.state, pb::ReservationState::Released as i32);
        let l = level(&d1, "d1-wh", "P-1").await;
        assert_eq!((l.on_hand, l.reserved, l.available), (6, 0, 6));

        // Settled lines answer as they are; an issued line is not released.
        d1.clone()
            .issue_reservation(issue("d1-wh", "ro-1", 1))
            .await
            .answer();
        d1.clone()
            .release_reservation(release("d1-wh", "ro-2", 1))
            .await
            .answer();
        d1.clone()
            .release_reservation(release("d1-wh", "ro-1", 1))
            .await
            .refused(Code::FailedPrecondition);
        d1.clone()
            .issue_reservation(issue("d1-wh", "ro-2", 1))
            .await
            .refused(Code::FailedPrecondition);

        let kinds: Vec<i32> = ledger(&d1, "d1-wh", "P-1")
            .await
            .iter()
            .map(|e| e.kind)
            .collect();
        use pb::MovementKind::*;
        assert_eq!(
            kinds,
            [Receive, Reserve, Issue, Reserve, Release].map(|k| k as i32)
        );
        assert_ledger_is_the_stock(&d1, "d1-wh", "P-1").await;
    }
);

both!(
    more_than_available_is_refused_naming_what_is,
    |h: Harness| async move {
        network(&h).await;
        let d1 = h.stock(who::dealer("d1"));
        receive(&d1, "d1-wh", "P-1", 5).await;
        d1.clone()
            .reserve_stock(reserve("d1-wh", "P-1", 2, "ro-1", 1))
            .await
            .answer();
        let refused = d1
            .clone()
            .reserve_stock(reserve("d1-wh", "P-1", 4, "ro-2", 1))
            .await
            .refused(Code::FailedPrecondition);
        assert!(
            refused.message().contains("only 3 available"),
            "{}",
            refused.message()
        );
        let details = tonic_types::StatusExt::get_details_precondition_failure(&refused)
            .expect("PreconditionFailure");
        assert_eq!(details.violations[0].subject, "d1-wh/P-1");
        // Nothing of the refused line stays behind.
        d1.clone()
            .get_reservation(pb::GetReservationRequest {
                warehouse_id: "d1-wh".into(),
                repair_order_id: "ro-2".into(),
                line_number: 1,
            })
            .await
            .refused(Code::NotFound);
        let count = |delta: i64| pb::AdjustStockRequest {
            warehouse_id: "d1-wh".into(),
            part_number: "P-1".into(),
            quantity_delta: delta,
            reason: "cycle count".into(),
            request_id: rid(),
            ..Default::default()
        };
        // A count may not leave less on hand than is reserved.
        let refused = d1
            .clone()
            .adjust_stock(count(-4))
            .await
            .refused(Code::FailedPrecondition);
        assert!(
            refused.message().contains("1 on hand with 2 reserved"),
            "{}",
            refused.message()
        );
        let counted = d1.clone().adjust_stock(count(-3)).await.answer();
        assert_eq!((counted.on_hand_after, counted.reserved_after), (2, 2));
        assert_eq!(counted.reference, "cycle count");
        assert_ledger_is_the_stock(&d1, "d1-wh", "P-1").await;
    }
);

both!(
    a_backdated_count_may_not_break_a_later_balance,
    |h: Harness| async move {
        network(&h).await;
        let d1 = h.stock(who::dealer("d1"));
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        // Received 5 three days ago (booked late), then 4 reserved and issued today.
        d1.clone()
            .receive_stock(pb::ReceiveStockRequest {
                warehouse_id: "d1-wh".into(),
                part_number: "P-1".into(),
                quantity: 5,
                effective_time: at(now - 3 * DAY),
                reference: "delivery note 77".into(),
                request_id: rid(),
                unit: String::new(),
            })
            .await
            .answer();
        d1.clone()
            .reserve_stock(reserve("d1-wh", "P-1", 4, "ro-1", 1))
            .await
            .answer();
        d1.clone()
            .issue_reservation(issue("d1-wh", "ro-1", 1))
            .await
            .answer();
        let count = |delta: i64| pb::AdjustStockRequest {
            warehouse_id: "d1-wh".into(),
            part_number: "P-1".into(),
            quantity_delta: delta,
            reason: "count two days ago".into(),
            effective_time: at(now - 2 * DAY),
            request_id: rid(),
            unit: String::new(),
        };
        // Two fewer two days ago: today's 4 would not have been there.
        let refused = d1
            .clone()
            .adjust_stock(count(-2))
            .await
            .refused(Code::FailedPrecondition);
        assert!(
            refused.message().contains("only 3 available"),
            "{}",
            refused.message()
        );
        // One fewer still fits.
        let booked = d1.clone().adjust_stock(count(-1)).await.answer();
        assert_eq!(booked.effective_time.unwrap().seconds, now - 2 * DAY);
        let l = level(&d1, "d1-wh", "P-1").await;
        assert_eq!((l.on_hand, l.reserved), (0, 0));
        assert_ledger_is_the_stock(&d1, "d1-wh", "P-1").await;
    }
);

both!(
    a_line_is_reserved_once_whatever_the_request_id,
    |h: Harness| async move {
        network(&h).await;
        let d1 = h.stock(who::dealer("d1"));
        receive(&d1, "d1-wh", "P-1", 10).await;
        let first = d1
            .clone()
            .reserve_stock(reserve("d1-wh", "P-1", 2, "ro-1", 1))
            .await
            .answer();
        // The DMS pushes the same line again with its own request id.
        let again = h
            .stock(who::dms("d1"))
            .reserve_stock(reserve("d1-wh", "P-1", 2, "ro-1", 1))
            .await
            .answer();
        assert_eq!(first, again);
        // The same line for something else is a conflict, not a second reservation.
        d1.clone()
            .reserve_stock(reserve("d1-wh", "P-2", 1, "ro-1", 1))
            .await
            .refused(Code::AlreadyExists);
        // Another dealer's repair order of the same id is its own line.
        let d2 = h.stock(who::dealer("d2"));
        receive(&d2, "d2-wh", "P-1", 1).await;
        d2.clone()
            .reserve_stock(reserve("d2-wh", "P-1", 1, "ro-1", 1))
            .await
            .answer();
        assert_eq!(level(&d1, "d1-wh", "P-1").await.reserved, 2);
    }
);

both!(levels_are_planned_with_an_etag, |h: Harness| async move {
    network(&h).await;
    let d1 = h.stock(who::dealer("d1"));
    let set = |reorder_point: i64, max_quantity: i64, etag: &str| pb::UpdateStockLevelRequest {
        stock_level: Some(pb::StockLevel {
            warehouse_id: "d1-wh".into(),
            part_number: "P-1".into(),
            reorder_point,
            max_quantity,
            etag: etag.into(),
            ..Default::default()
        }),
        update_mask: Some(FieldMask {
            paths: vec!["reorder_point".into(), "max_quantity".into()],
        }),
        request_id: rid(),
    };
    let l = d1.clone().update_stock_level(set(4, 20, "")).await.answer();
    assert_eq!((l.reorder_point, l.max_quantity), (4, 20));
    d1.clone()
        .update_stock_level(set(5, 20, "1"))
        .await
        .refused(Code::Aborted);
    assert_eq!(
        d1.clone()
            .update_stock_level(set(3, 2, ""))
            .await
            .bad_field(),
        "stock_level.max_quantity"
    );
    let l = d1
        .clone()
        .update_stock_level(set(5, 25, &l.etag))
        .await
        .answer();
    assert_eq!((l.reorder_point, l.max_quantity), (5, 25));
});
