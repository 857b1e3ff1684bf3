//! A superseded part: a line asking for either number is served from the
//! old number's stock first, then from the new one's, and backordered on
//! the new one.

use super::*;

/// (part reserved, part asked for, state) of a reservation.
fn served(r: &pb::Reservation) -> (&str, &str, i32) {
    (
        r.part_number.as_str(),
        r.requested_part_number.as_str(),
        r.state,
    )
}

both!(
    old_stock_is_used_first_whichever_number_is_asked,
    |h: Harness| async move {
        network(&h).await;
        // P-1 is replaced by P-2; d1 still has 2 of the old P-1 and 5 P-2.
        h.oem().update_part(supersede("P-1", "P-2")).await.answer();
        let d1 = h.stock(who::dealer("d1"));
        receive(&d1, "d1-wh", "P-1", 2).await;
        receive(&d1, "d1-wh", "P-2", 5).await;
        let reserved = pb::ReservationState::Reserved as i32;

        let ask = |part: &str, quantity, ro: &str| {
            let mut r = reserve("d1-wh", part, quantity, ro, 1);
            r.allow_backorder = true;
            r
        };
        let first = d1
            .clone()
            .reserve_stock(ask("P-2", 1, "ro-1"))
            .await
            .answer();
        assert_eq!(served(&first), ("P-1", "P-2", reserved));
        let second = d1
            .clone()
            .reserve_stock(ask("P-1", 1, "ro-2"))
            .await
            .answer();
        assert_eq!(served(&second), ("P-1", "P-1", reserved));
        // The old stock is gone: the old number leads to the new one.
        let third = d1
            .clone()
            .reserve_stock(ask("P-1", 4, "ro-3"))
            .await
            .answer();
        assert_eq!(served(&third), ("P-2", "P-1", reserved));
        // 1 P-2 left: 3 more wait for the newest number.
        let fourth = d1
            .clone()
            .reserve_stock(ask("P-1", 3, "ro-4"))
            .await
            .answer();
        assert_eq!(
            served(&fourth),
            ("P-2", "P-1", pb::ReservationState::Backordered as i32)
        );

        // A retry of a line is the same line, whichever number served it.
        let again = d1
            .clone()
            .reserve_stock(ask("P-2", 1, "ro-1"))
            .await
            .answer();
        assert_eq!(again, first);

        // Issuing consumes the number that was reserved.
        d1.clone()
            .issue_reservation(issue("d1-wh", "ro-1", 1))
            .await
            .answer();
        let old = level(&d1, "d1-wh", "P-1").await;
        assert_eq!((old.on_hand, old.reserved), (1, 1));
        let new = level(&d1, "d1-wh", "P-2").await;
        assert_eq!((new.on_hand, new.reserved, new.backordered), (5, 4, 3));
        assert_ledger_is_the_stock(&d1, "d1-wh", "P-1").await;
        assert_ledger_is_the_stock(&d1, "d1-wh", "P-2").await;
    }
);
