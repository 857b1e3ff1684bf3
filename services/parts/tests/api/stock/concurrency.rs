//! Many callers at once against a limited stock: exactly what is available
//! is reserved, the rest is refused or backordered, and the ledger replayed
//! is the stock row. A line sent many times at once is reserved once.

use super::*;

const CALLERS: usize = 40;
const STOCK: i64 = 25;

/// `CALLERS` lines of 1 each, all at once; the answers' states and codes.
async fn rush(h: &Harness, allow_backorder: bool) -> (usize, usize, usize) {
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..CALLERS {
        let c = h.stock(if i % 2 == 0 {
            who::dealer("d1")
        } else {
            who::dms("d1")
        });
        tasks.spawn(async move {
            c.clone()
                .reserve_stock(pb::ReserveStockRequest {
                    allow_backorder,
                    ..reserve("d1-wh", "P-1", 1, &format!("ro-{i}"), 1)
                })
                .await
        });
    }
    let (mut reserved, mut backordered, mut refused) = (0, 0, 0);
    for answer in tasks.join_all().await {
        match answer {
            Ok(r) if r.get_ref().state == pb::ReservationState::Reserved as i32 => reserved += 1,
            Ok(r) if r.get_ref().state == pb::ReservationState::Backordered as i32 => {
                backordered += 1
            }
            Err(s) if s.code() == Code::FailedPrecondition => refused += 1,
            other => panic!("unexpected answer {other:?}"),
        }
    }
    (reserved, backordered, refused)
}

both!(
    exactly_the_available_stock_is_reserved,
    |h: Harness| async move {
        network(&h).await;
        let d1 = h.stock(who::dealer("d1"));
        receive(&d1, "d1-wh", "P-1", STOCK).await;
        assert_eq!(
            rush(&h, false).await,
            (STOCK as usize, 0, CALLERS - STOCK as usize)
        );
        let l = level(&d1, "d1-wh", "P-1").await;
        assert_eq!((l.on_hand, l.reserved, l.available), (STOCK, STOCK, 0));
        assert_ledger_is_the_stock(&d1, "d1-wh", "P-1").await;
    }
);

both!(
    the_rest_is_backordered_when_allowed,
    |h: Harness| async move {
        network(&h).await;
        let d1 = h.stock(who::dealer("d1"));
        receive(&d1, "d1-wh", "P-1", STOCK).await;
        assert_eq!(
            rush(&h, true).await,
            (STOCK as usize, CALLERS - STOCK as usize, 0)
        );
        let l = level(&d1, "d1-wh", "P-1").await;
        assert_eq!((l.reserved, l.backordered), (STOCK, CALLERS as i64 - STOCK));
        assert_ledger_is_the_stock(&d1, "d1-wh", "P-1").await;
    }
);

both!(
    a_line_sent_many_times_at_once_is_reserved_once,
    |h: Harness| async move {
        network(&h).await;
        let d1 = h.stock(who::dealer("d1"));
        receive(&d1, "d1-wh", "P-1", 100).await;
        // The same line with 16 request ids, and one request id 16 times.
        let same_id = reserve("d1-wh", "P-1", 3, "ro-2", 1);
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..16 {
            let (c, fresh, again) = (
                d1.clone(),
                reserve("d1-wh", "P-1", 3, "ro-1", 1),
                same_id.clone(),
            );
            tasks.spawn(async move {
                (
                    c.clone().reserve_stock(fresh).await.answer(),
                    c.clone().reserve_stock(again).await.answer(),
                )
            });
        }
        let answers = tasks.join_all().await;
        assert!(
            answers.iter().all(|a| *a == answers[0]),
            "every copy answered alike"
        );
        assert_eq!(
            level(&d1, "d1-wh", "P-1").await.reserved,
            6,
            "two lines of 3, once each"
        );
        assert_eq!(
            ledger(&d1, "d1-wh", "P-1").await.len(),
            3,
            "one receipt, two reservations"
        );
        assert_ledger_is_the_stock(&d1, "d1-wh", "P-1").await;
    }
);
