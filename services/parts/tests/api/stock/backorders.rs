//! A line with nothing to reserve waits as a backorder with an expected
//! date, and is filled in order when stock arrives.

use super::*;

fn backorder(part: &str, quantity: i64, ro: &str) -> pb::ReserveStockRequest {
    pb::ReserveStockRequest {
        allow_backorder: true,
        ..reserve("d1-wh", part, quantity, ro, 1)
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

both!(
    backorders_are_filled_in_the_order_they_were_asked,
    |h: Harness| async move {
        network(&h).await;
        let d1 = h.stock(who::dealer("d1"));
        let first = d1
            .clone()
            .reserve_stock(backorder("P-1", 3, "ro-1"))
            .await
            .answer();
        assert_eq!(first.state, pb::ReservationState::Backordered as i32);
        assert!(!first.served_at_once);
        // Nobody up the chain holds it and nothing is on its way: no date.
        assert_eq!(first.expected_time, None);
        d1.clone()
            .reserve_stock(backorder("P-1", 2, "ro-2"))
            .await
            .answer();
        assert_eq!(level(&d1, "d1-wh", "P-1").await.backordered, 5);

        // 4 arrive: the first line (3) is served; the second (2) waits for more.
        receive(&d1, "d1-wh", "P-1", 4).await;
        let get = |ro: &str| pb::GetReservationRequest {
            warehouse_id: "d1-wh".into(),
            repair_order_id: ro.into(),
            line_number: 1,
        };
        assert_eq!(
            d1.clone().get_reservation(get("ro-1")).await.answer().state,
            pb::ReservationState::Reserved as i32
        );
        let waiting = d1
            .clone()
            .list_backorders(pb::ListBackordersRequest {
                warehouse_id: "d1-wh".into(),
                ..Default::default()
            })
            .await
            .answer();
        assert_eq!(ids(&waiting.backorders, |r| &r.repair_order_id), ["ro-2"]);
        let l = level(&d1, "d1-wh", "P-1").await;
        assert_eq!((l.on_hand, l.reserved, l.backordered), (4, 3, 2));

        receive(&d1, "d1-wh", "P-1", 1).await;
        let served = d1.clone().get_reservation(get("ro-2")).await.answer();
        assert_eq!(served.state, pb::ReservationState::Reserved as i32);
        assert!(!served.served_at_once, "served later, not at once");
        assert_eq!(level(&d1, "d1-wh", "P-1").await.backordered, 0);
        assert_ledger_is_the_stock(&d1, "d1-wh", "P-1").await;
    }
);

both!(
    a_backorder_expects_the_nearest_source,
    |h: Harness| async move {
        network(&h).await;
        let d1 = h.stock(who::dealer("d1"));
        // Central has 10: d1 waits for the regional hop (1 day) and central's (2 days).
        receive(&h.stock(who::oem()), "central", "P-1", 10).await;
        let before = now();
        let r = d1
            .clone()
            .reserve_stock(backorder("P-1", 3, "ro-1"))
            .await
            .answer();
        let expected = r.expected_time.unwrap().seconds;
        assert!(
            (before + 3 * DAY..=now() + 3 * DAY).contains(&expected),
            "{expected}"
        );

        // The region holds 3 now: 1 day.
        receive(&h.stock(who::region("north")), "north-wh", "P-1", 3).await;
        let r = d1
            .clone()
            .reserve_stock(backorder("P-1", 3, "ro-2"))
            .await
            .answer();
        assert!((before + DAY..=now() + DAY).contains(&r.expected_time.unwrap().seconds));

        // A released backorder leaves the queue.
        d1.clone()
            .release_reservation(release("d1-wh", "ro-1", 1))
            .await
            .answer();
        assert_eq!(level(&d1, "d1-wh", "P-1").await.backordered, 3);
        d1.clone()
            .issue_reservation(issue("d1-wh", "ro-2", 1))
            .await
            .refused(Code::FailedPrecondition);
    }
);

both!(a_release_serves_the_queue, |h: Harness| async move {
    network(&h).await;
    let d1 = h.stock(who::dealer("d1"));
    receive(&d1, "d1-wh", "P-1", 2).await;
    d1.clone()
        .reserve_stock(reserve("d1-wh", "P-1", 2, "ro-1", 1))
        .await
        .answer();
    d1.clone()
        .reserve_stock(backorder("P-1", 2, "ro-2"))
        .await
        .answer();
    d1.clone()
        .release_reservation(release("d1-wh", "ro-1", 1))
        .await
        .answer();
    let get = pb::GetReservationRequest {
        warehouse_id: "d1-wh".into(),
        repair_order_id: "ro-2".into(),
        line_number: 1,
    };
    assert_eq!(
        d1.clone().get_reservation(get).await.answer().state,
        pb::ReservationState::Reserved as i32
    );
    assert_ledger_is_the_stock(&d1, "d1-wh", "P-1").await;
});
