//! What operations see of the stock: stock-outs and open backorders per
//! warehouse kind, as the gauges `/metrics` exports (read from the
//! database, whichever replica writes).

use aftercare_test_support::{eventually, metric, record_metrics};
use time::{Duration, OffsetDateTime};

use super::*;
use crate::support::start_with_quick_metrics;

/// The gauge `name` of warehouses of `kind`.
fn gauge(name: &str, kind: &str) -> Option<f64> {
    metric(name, &[("kind", kind)])
}

both!(
    stock_outs_and_backorders_are_exported_per_warehouse_kind,
    start_with_quick_metrics,
    |h: Harness| async move {
        record_metrics();
        network(&h).await;
        eventually("no shortage anywhere", || async {
            ["central", "regional", "dealer"].iter().all(|kind| {
                gauge("parts_stock_outs", kind) == Some(0.0)
                    && gauge("parts_backorders_open", kind) == Some(0.0)
                    && gauge("parts_backorders_overdue", kind) == Some(0.0)
            })
        })
        .await;

        // d1 plans to hold 2 of P-1 and has all 3 of its P-1 reserved.
        let d1 = h.stock(who::dealer("d1"));
        receive(&d1, "d1-wh", "P-1", 3).await;
        d1.clone()
            .update_stock_level(pb::UpdateStockLevelRequest {
                stock_level: Some(pb::StockLevel {
                    warehouse_id: "d1-wh".into(),
                    part_number: "P-1".into(),
                    safety_stock: 2,
                    ..Default::default()
                }),
                update_mask: Some(FieldMask {
                    paths: vec!["safety_stock".into()],
                }),
                request_id: rid(),
            })
            .await
            .answer();
        d1.clone()
            .reserve_stock(reserve("d1-wh", "P-1", 3, "ro-1", 1))
            .await
            .answer();
        // P-2 is at central only: d1 waits for it, expected in 3 days.
        receive(&h.stock(who::oem()), "central", "P-2", 10).await;
        let waiting = d1
            .clone()
            .reserve_stock(pb::ReserveStockRequest {
                allow_backorder: true,
                ..reserve("d1-wh", "P-2", 1, "ro-2", 1)
            })
            .await
            .answer();
        assert!(waiting.expected_time.is_some());
        eventually("a stock-out and a backorder at a dealer", || async {
            gauge("parts_stock_outs", "dealer") == Some(1.0)
                && gauge("parts_backorders_open", "dealer") == Some(1.0)
                && gauge("parts_backorders_overdue", "dealer") == Some(0.0)
                && gauge("parts_stock_outs", "central") == Some(0.0)
        })
        .await;

        // Four days on, the backorder is past its expected time.
        h.set_clock(OffsetDateTime::now_utc() + Duration::days(4));
        eventually("the backorder is overdue", || async {
            gauge("parts_backorders_overdue", "dealer") == Some(1.0)
        })
        .await;

        // Released, nothing waits; received, nothing is out.
        d1.clone()
            .release_reservation(release("d1-wh", "ro-2", 1))
            .await
            .answer();
        receive(&d1, "d1-wh", "P-1", 1).await;
        eventually("no shortage left", || async {
            gauge("parts_stock_outs", "dealer") == Some(0.0)
                && gauge("parts_backorders_open", "dealer") == Some(0.0)
                && gauge("parts_backorders_overdue", "dealer") == Some(0.0)
        })
        .await;
    }
);
