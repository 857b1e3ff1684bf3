//! The fill rate counts a line in the OEM's local month, in its time zone
//! with daylight saving: a line asked late on the last UTC day of a month
//! counts in the next month when that is already the OEM's date.

use aftercare_proto::common::v1::{Period, PeriodKind};
use aftercare_values::OemZone;
use time::macros::datetime;

use super::*;
use crate::support::start_in;

async fn in_berlin(backend: aftercare_db::Backend) -> Harness {
    start_in(backend, OemZone::parse("Europe/Berlin").unwrap()).await
}

/// d1's (lines asked, lines served at once) in 2026-`number`.
async fn d1_in(d1: &StockClient, number: i32) -> (i64, i64) {
    let rate = d1
        .clone()
        .get_fill_rate(pb::GetFillRateRequest {
            dealer_id: "d1".into(),
            region_id: String::new(),
            period: Some(Period {
                kind: PeriodKind::Month as i32,
                year: 2026,
                number,
            }),
        })
        .await
        .answer();
    (rate.lines_asked, rate.lines_served_at_once)
}

/// Asks line `line` of RO `ro` for one P-1 at d1, backordered when none is
/// left; answers the line's state.
async fn ask(d1: &StockClient, ro: &str, line: i32) -> pb::ReservationState {
    let r = d1
        .clone()
        .reserve_stock(pb::ReserveStockRequest {
            allow_backorder: true,
            ..reserve("d1-wh", "P-1", 1, ro, line)
        })
        .await
        .answer();
    r.state()
}

both!(
    fill_rate_counts_in_the_oems_local_month,
    in_berlin,
    |h: Harness| async move {
        use pb::ReservationState::{Backordered, Reserved};
        h.set_clock(datetime!(2026-03-31 20:00 UTC));
        network(&h).await;
        let d1 = h.stock(who::dealer("d1"));
        receive(&d1, "d1-wh", "P-1", 1).await;
        // Summer time (UTC+2): 23:30 on 31 March, then 00:30 on 1 April.
        h.set_clock(datetime!(2026-03-31 21:30 UTC));
        assert_eq!(ask(&d1, "ro-1", 1).await, Reserved);
        h.set_clock(datetime!(2026-03-31 22:30 UTC));
        assert_eq!(ask(&d1, "ro-1", 2).await, Backordered);
        assert_eq!(
            d1_in(&d1, 3).await,
            (1, 1),
            "March: the line at 23:30 local"
        );
        assert_eq!(
            d1_in(&d1, 4).await,
            (1, 0),
            "April: the line at 00:30 local"
        );

        // Winter time (UTC+1) since 25 October: 23:30 on 31 October, then
        // 00:30 on 1 November. Two arrive: one fills April's backorder.
        h.set_clock(datetime!(2026-10-31 22:00 UTC));
        receive(&d1, "d1-wh", "P-1", 2).await;
        h.set_clock(datetime!(2026-10-31 22:30 UTC));
        assert_eq!(ask(&d1, "ro-2", 1).await, Reserved);
        h.set_clock(datetime!(2026-10-31 23:30 UTC));
        assert_eq!(ask(&d1, "ro-2", 2).await, Backordered);
        assert_eq!(
            d1_in(&d1, 10).await,
            (1, 1),
            "October: the line at 23:30 local"
        );
        assert_eq!(
            d1_in(&d1, 11).await,
            (1, 0),
            "November: the line at 00:30 local"
        );
        assert_eq!(
            d1_in(&d1, 4).await,
            (1, 0),
            "a backorder filled later stays April's"
        );
    }
);
