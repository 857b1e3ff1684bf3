//! The ledger's closed periods: movements dated before the archive horizon
//! (400 days by default) move to the archive with the retention sweep; the
//! stock, what the listings show and the ledger-equals-stock invariant stay
//! as they were, and nothing is booked into a closed period any more.

use time::{Duration, OffsetDateTime};

use super::*;

fn count_at(delta: i64, at: OffsetDateTime) -> pb::AdjustStockRequest {
    pb::AdjustStockRequest {
        warehouse_id: "d1-wh".into(),
        part_number: "P-1".into(),
        quantity_delta: delta,
        reason: "stock count".into(),
        effective_time: super::at(at.unix_timestamp()),
        request_id: rid(),
        ..Default::default()
    }
}

async fn rows(h: &Harness, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(h.db().pool())
        .await
        .expect("a count")
}

/// The opening plus the live ledger, summed in SQL: the stock row.
async fn assert_opening_and_live_ledger_are_the_stock(h: &Harness) {
    let (on_hand, reserved): (i64, i64) = sqlx::query_as(
        "SELECT \
           COALESCE((SELECT on_hand FROM stock_openings o \
                     WHERE o.warehouse_id = s.warehouse_id AND o.part_number = s.part_number), 0) \
           + COALESCE((SELECT CAST(SUM(CASE WHEN kind IN ('receive', 'adjust') THEN quantity \
                                       WHEN kind IN ('issue', 'ship') THEN -quantity ELSE 0 END) AS BIGINT) \
                       FROM stock_movements m \
                       WHERE m.warehouse_id = s.warehouse_id AND m.part_number = s.part_number), 0) \
           - s.on_hand, \
           COALESCE((SELECT reserved FROM stock_openings o \
                     WHERE o.warehouse_id = s.warehouse_id AND o.part_number = s.part_number), 0) \
           + COALESCE((SELECT CAST(SUM(CASE WHEN kind = 'reserve' THEN quantity \
                                       WHEN kind IN ('release', 'issue') THEN -quantity ELSE 0 END) AS BIGINT) \
                       FROM stock_movements m \
                       WHERE m.warehouse_id = s.warehouse_id AND m.part_number = s.part_number), 0) \
           - s.reserved \
         FROM stock s WHERE s.warehouse_id = 'd1-wh' AND s.part_number = 'P-1'",
    )
    .fetch_one(h.db().pool())
    .await
    .expect("the stock row");
    assert_eq!(
        (on_hand, reserved),
        (0, 0),
        "opening + live ledger = stock row"
    );
}

both!(
    closed_periods_are_archived_and_the_ledger_still_is_the_stock,
    |h: Harness| async move {
        network(&h).await;
        let d1 = h.stock(who::dealer("d1"));
        let start = OffsetDateTime::now_utc() - Duration::days(500);
        // 500 days ago: 10 received, 4 reserved and issued; 470 days ago a
        // count found one fewer; 50 days ago 5 received and 2 reserved.
        h.set_clock(start);
        receive(&d1, "d1-wh", "P-1", 10).await;
        d1.clone()
            .reserve_stock(reserve("d1-wh", "P-1", 4, "ro-1", 1))
            .await
            .answer();
        d1.clone()
            .issue_reservation(issue("d1-wh", "ro-1", 1))
            .await
            .answer();
        h.set_clock(start + Duration::days(30));
        d1.clone()
            .adjust_stock(count_at(-1, start + Duration::days(30)))
            .await
            .answer();
        h.set_clock(start + Duration::days(450));
        receive(&d1, "d1-wh", "P-1", 5).await;
        d1.clone()
            .reserve_stock(reserve("d1-wh", "P-1", 2, "ro-2", 1))
            .await
            .answer();
        h.set_clock(start + Duration::days(500));
        let stock = level(&d1, "d1-wh", "P-1").await;
        let listed = ledger(&d1, "d1-wh", "P-1").await;
        assert_eq!((stock.on_hand, stock.reserved), (10, 2));

        // The horizon is 100 days after the start: the first four go.
        let removed = h.sweeper().sweep_once().await.unwrap();
        assert!(removed.contains(&("stock_movements", 4)), "{removed:?}");
        assert_eq!(rows(&h, "SELECT COUNT(*) FROM stock_movements").await, 2);
        assert_eq!(
            rows(&h, "SELECT COUNT(*) FROM stock_movements_archive").await,
            4
        );
        assert_eq!(
            level(&d1, "d1-wh", "P-1").await,
            stock,
            "the stock row untouched"
        );
        assert_eq!(
            ledger(&d1, "d1-wh", "P-1").await,
            listed,
            "the listing unchanged"
        );
        assert_ledger_is_the_stock(&d1, "d1-wh", "P-1").await;
        assert_opening_and_live_ledger_are_the_stock(&h).await;
        // A second run finds nothing more to move.
        let removed = h.sweeper().sweep_once().await.unwrap();
        assert!(removed.contains(&("stock_movements", 0)), "{removed:?}");

        // A count dated inside the closed period is refused; one dated
        // after it replays from the opening.
        d1.clone()
            .adjust_stock(count_at(-1, start + Duration::days(20)))
            .await
            .refused(Code::FailedPrecondition);
        d1.clone()
            .adjust_stock(count_at(-1, start + Duration::days(200)))
            .await
            .answer();
        let after = level(&d1, "d1-wh", "P-1").await;
        assert_eq!((after.on_hand, after.reserved), (9, 2));
        assert_ledger_is_the_stock(&d1, "d1-wh", "P-1").await;
        assert_opening_and_live_ledger_are_the_stock(&h).await;
        // A count that the archived past cannot take is still refused: 9 on
        // hand with 2 reserved leaves room for at most 7 fewer.
        d1.clone()
            .adjust_stock(count_at(-8, start + Duration::days(300)))
            .await
            .refused(Code::FailedPrecondition);
    }
);
