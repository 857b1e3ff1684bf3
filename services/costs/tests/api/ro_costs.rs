//! Repair-order costs: recorded from the dealers relay's delivered events at
//! the rates and costs in force at each RO's arrival, summed per station,
//! dealer, region and the network, applied once, read only by those who
//! see them.

use aftercare_proto::{costs::v1 as pb, dealers::v1::RepairOrderType};
use aftercare_test_support::{Outcome, ids, once};
use time::macros::datetime;
use tonic::Code;

use super::*;
use crate::{
    ro_fixture::*,
    support::{Harness, who},
};

pub(crate) fn get(id: &str) -> pb::GetRepairOrderCostRequest {
    pb::GetRepairOrderCostRequest {
        repair_order_id: id.into(),
    }
}

pub(crate) fn summary_of(
    level: pb::ScopeLevel,
    id: &str,
    period: Option<aftercare_proto::common::v1::Period>,
) -> pb::GetCostSummaryRequest {
    pb::GetCostSummaryRequest {
        scope: scope(level, id),
        period,
    }
}

/// PAD-1 at 40.00 and every station at 30.00 an hour, from 1 January 2026.
pub(crate) async fn flat_prices(h: &Harness) {
    network(h).await;
    part(h, "PAD-1", &[(JAN_1, 4_000)]).await;
    rate(h, "", JAN_1, 3_000).await;
}

both!(
    each_ro_is_costed_at_the_rate_and_cost_in_force_at_its_arrival,
    |h: support::Harness| async move {
        network(&h).await;
        part(&h, "PAD-1", &[(JAN_1, 4_000), (MAR_1, 4_250)]).await;
        rate(&h, "s1", JAN_1, 3_000).await;
        rate(&h, "s1", MAR_1, 3_333).await;

        // February's rate and cost: 1.75 h × 30.00 + 2 × 40.00.
        let a = Ro::new("ro-a", FEB_10).deliver(&h).await;
        assert_eq!(a.labour_lines[0].costed_centihours, 175);
        assert_eq!(units(&a.labour_lines[0].hourly_rate), 3_000);
        assert_eq!(units(&a.labour_cost), 5_250);
        assert_eq!(units(&a.parts_lines[0].unit_cost), 4_000);
        assert_eq!(units(&a.parts_cost), 8_000);
        assert_eq!(units(&a.total_cost), 13_250);
        assert_eq!(units(&a.bill), 30_000);
        assert_eq!(units(&a.margin), 16_750);
        assert_eq!(a.margin_bp, Some(5_583));
        assert!(!a.labour_rate_missing);

        // Arrived in February, delivered in March: February's rate and cost.
        let b = Ro::new("ro-b", datetime!(2026-02-28 20:00 UTC))
            .deliver(&h)
            .await;
        assert_eq!(units(&b.total_cost), 13_250);
        assert_eq!(b.delivery_time, ts(datetime!(2026-03-01 02:00 UTC)));

        // March's: 1.75 h × 33.33 = 58.3275 → 58.33, and 2 × 42.50.
        let c = Ro::new("ro-c", datetime!(2026-03-05 09:00 UTC))
            .deliver(&h)
            .await;
        assert_eq!(units(&c.labour_cost), 5_833);
        assert_eq!(units(&c.parts_cost), 8_500);
        assert_eq!(units(&c.margin), 15_667);
        assert_eq!(c.margin_bp, Some(5_222));

        // The record reads back as it was answered.
        let read = h
            .ro_costs(who::dealer("d1"))
            .get_repair_order_cost(get("ro-c"))
            .await
            .answer();
        assert_eq!(read, c);
    }
);

both!(
    a_station_without_a_rate_costs_labour_at_zero_until_a_default_is_set,
    |h: support::Harness| async move {
        network(&h).await;
        part(&h, "PAD-1", &[(JAN_1, 4_000)]).await;
        let mut ro = Ro::new("ro-s3", FEB_10);
        ro.at = S3;
        let missing = ro.deliver(&h).await;
        assert!(missing.labour_rate_missing);
        assert_eq!(units(&missing.labour_cost), 0);
        assert_eq!(units(&missing.parts_cost), 8_000);

        rate(&h, "", JAN_1, 2_500).await;
        let mut later = Ro::new("ro-s3-2", FEB_10);
        later.at = S3;
        let costed = later.deliver(&h).await;
        assert!(!costed.labour_rate_missing);
        assert_eq!(units(&costed.labour_cost), 4_375);

        // A part parts knows no cost of at the arrival costs zero, shown
        // without a unit cost.
        let mut unknown = Ro::new("ro-s3-3", FEB_10);
        unknown.at = S3;
        unknown.parts = vec![("NO-SUCH-PART", 1)];
        let c = unknown.deliver(&h).await;
        assert_eq!(c.parts_lines[0].unit_cost, None);
        assert_eq!(units(&c.parts_cost), 0);
    }
);

/// x1 at s1 in February; x2 at s1, x3 at s2 (no parts) and x4 at s3 (d2,
/// r2) in March.
pub(crate) async fn four_ros(h: &Harness) {
    flat_prices(h).await;
    let mut x1 = Ro::new("x1", FEB_10);
    x1.bill = 30_000;
    let mut x2 = Ro::new("x2", datetime!(2026-03-10 09:00 UTC));
    x2.bill = 20_000;
    let mut x3 = Ro::new("x3", datetime!(2026-03-12 09:00 UTC));
    x3.at = S2;
    x3.parts = vec![];
    x3.bill = 15_000;
    let mut x4 = Ro::new("x4", datetime!(2026-03-15 09:00 UTC));
    x4.at = S3;
    x4.bill = 40_000;
    for ro in [x1, x2, x3, x4] {
        ro.deliver(h).await;
    }
}

/// (ROs, labour, parts, total, bill, margin, margin_bp, cost per RO).
fn figures(s: &pb::CostSummary) -> (i64, i64, i64, i64, i64, i64, Option<i64>, i64) {
    (
        s.repair_orders,
        units(&s.labour_cost),
        units(&s.parts_cost),
        units(&s.total_cost),
        units(&s.bill),
        units(&s.margin),
        s.margin_bp,
        units(&s.cost_per_repair_order),
    )
}

both!(
    summaries_per_station_dealer_region_and_network_equal_the_hand_sums,
    |h: support::Harness| async move {
        use pb::ScopeLevel::*;
        four_ros(&h).await;
        let mut c = h.ro_costs(who::oem());
        let mut sum = async |level, id: &str, period| {
            figures(
                &c.get_cost_summary(summary_of(level, id, period))
                    .await
                    .answer(),
            )
        };
        assert_eq!(
            sum(Station, "s1", month(2026, 3)).await,
            (1, 5_250, 8_000, 13_250, 20_000, 6_750, Some(3_375), 13_250)
        );
        assert_eq!(
            sum(Dealer, "d1", month(2026, 3)).await,
            (2, 10_500, 8_000, 18_500, 35_000, 16_500, Some(4_714), 9_250)
        );
        let d1_q1 = (
            3,
            15_750,
            16_000,
            31_750,
            65_000,
            33_250,
            Some(5_115),
            10_583,
        );
        assert_eq!(sum(Dealer, "d1", quarter(2026, 1)).await, d1_q1);
        assert_eq!(sum(Region, "r1", year(2026)).await, d1_q1);
        assert_eq!(
            sum(Network, "", month(2026, 3)).await,
            (
                3,
                15_750,
                16_000,
                31_750,
                75_000,
                43_250,
                Some(5_767),
                10_583
            )
        );
        assert_eq!(
            sum(Network, "", year(2026)).await,
            (
                4,
                21_000,
                24_000,
                45_000,
                105_000,
                60_000,
                Some(5_714),
                11_250
            )
        );
        // A period without an RO: zeros, and no ratio.
        let empty = c
            .get_cost_summary(summary_of(Station, "s1", month(2026, 4)))
            .await
            .answer();
        assert_eq!(empty.repair_orders, 0);
        assert_eq!(empty.margin_bp, None);
        assert_eq!(empty.cost_per_repair_order, None);

        // A dealer reads its own dealer's and stations' summaries.
        let own = h
            .ro_costs(who::dealer("d1"))
            .get_cost_summary(summary_of(Dealer, "d1", month(2026, 3)))
            .await
            .answer();
        assert_eq!(own.repair_orders, 2);
    }
);

both!(
    lists_go_newest_first_by_scope_period_and_comebacks_in_pages,
    |h: support::Harness| async move {
        use pb::ScopeLevel::*;
        four_ros(&h).await;
        let mut comeback = Ro::new("x5", datetime!(2026-03-20 09:00 UTC));
        comeback.comeback = true;
        comeback.deliver(&h).await;

        let list = |scope, period, comebacks_only, page_size, page_token: &str| {
            pb::ListRepairOrderCostsRequest {
                page_size,
                page_token: page_token.into(),
                scope,
                period,
                comebacks_only,
            }
        };
        let mut oem = h.ro_costs(who::oem());
        let page = oem
            .list_repair_order_costs(list(scope(Dealer, "d1"), None, false, 2, ""))
            .await
            .answer();
        assert_eq!(
            ids(&page.repair_order_costs, |c| &c.repair_order_id),
            ["x5", "x3"]
        );
        let rest = oem
            .list_repair_order_costs(list(
                scope(Dealer, "d1"),
                None,
                false,
                2,
                &page.next_page_token,
            ))
            .await
            .answer();
        assert_eq!(
            ids(&rest.repair_order_costs, |c| &c.repair_order_id),
            ["x2", "x1"]
        );
        assert!(rest.next_page_token.is_empty());
        // The token is bound to its filters.
        let moved = list(scope(Dealer, "d2"), None, false, 2, &page.next_page_token);
        assert_eq!(
            oem.list_repair_order_costs(moved).await.bad_field(),
            "page_token"
        );

        let march = oem
            .list_repair_order_costs(list(None, month(2026, 3), false, 0, ""))
            .await
            .answer();
        assert_eq!(
            ids(&march.repair_order_costs, |c| &c.repair_order_id),
            ["x5", "x4", "x3", "x2"]
        );
        let comebacks = oem
            .list_repair_order_costs(list(None, None, true, 0, ""))
            .await
            .answer();
        assert_eq!(
            ids(&comebacks.repair_order_costs, |c| &c.repair_order_id),
            ["x5"]
        );

        // Without a scope, each sees its own part of the network.
        let seen = async |principal| {
            let answer = h
                .ro_costs(principal)
                .list_repair_order_costs(list(None, None, false, 0, ""))
                .await
                .answer();
            ids(&answer.repair_order_costs, |c| &c.repair_order_id)
        };
        assert_eq!(seen(who::dealer("d1")).await, ["x5", "x3", "x2", "x1"]);
        assert_eq!(seen(who::dms("d2")).await, ["x4"]);
        assert_eq!(seen(who::region("r2")).await, ["x4"]);
        assert_eq!(seen(who::station_staff("d1", "s2")).await, ["x3"]);
        assert!(seen(who::dealer("d3")).await.is_empty());
    }
);

both!(
    an_event_delivered_again_is_applied_once,
    |h: support::Harness| async move {
        flat_prices(&h).await;
        let ro = Ro::new("ro-1", FEB_10);
        let relay = h.events(who::dealers_relay("d1"));
        // Twice in a row, then eight at once, with one event id.
        let first = once(false, &relay, ro.request("ev-1"), |mut c, r| async move {
            c.receive_repair_order_delivered(r).await
        })
        .await;
        let raced = once(true, &relay, ro.request("ev-1"), |mut c, r| async move {
            c.receive_repair_order_delivered(r).await
        })
        .await;
        assert_eq!(raced, first);
        // Another event of the same RO changes nothing.
        let mut changed = ro.clone();
        changed.bill = 99_999;
        let other = h
            .events(who::dealers_relay("d1"))
            .receive_repair_order_delivered(changed.request("ev-2"))
            .await
            .answer();
        assert_eq!(other, first);

        let s = h
            .ro_costs(who::oem())
            .get_cost_summary(summary_of(pb::ScopeLevel::Network, "", year(2026)))
            .await
            .answer();
        assert_eq!(s.repair_orders, 1);
        assert_eq!(units(&s.bill), 30_000);
    }
);

both!(
    events_of_one_ro_racing_leave_one_record,
    |h: support::Harness| async move {
        flat_prices(&h).await;
        let ro = Ro::new("ro-1", FEB_10);
        // Eight events of the same RO at once, each with its own id.
        let mut tasks = tokio::task::JoinSet::new();
        for n in 0..8 {
            let mut relay = h.events(who::dealers_relay("d1"));
            let request = ro.request(&format!("ev-{n}"));
            tasks.spawn(async move { relay.receive_repair_order_delivered(request).await });
        }
        let answers: Vec<_> = tasks
            .join_all()
            .await
            .into_iter()
            .map(|a| a.answer())
            .collect();
        assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
        let s = h
            .ro_costs(who::oem())
            .get_cost_summary(summary_of(pb::ScopeLevel::Network, "", year(2026)))
            .await
            .answer();
        assert_eq!((s.repair_orders, units(&s.total_cost)), (1, 13_250));
    }
);

both!(
    parts_not_answering_is_unavailable_and_the_retry_applies_once_it_is_back,
    |mut h: support::Harness| async move {
        flat_prices(&h).await;
        let ro = Ro::new("ro-1", FEB_10);
        h.stop_parts().await;
        let refused = h
            .events(who::dealers_relay("d1"))
            .receive_repair_order_delivered(ro.request("ev-1"))
            .await
            .code();
        assert_eq!(refused, Code::Unavailable);
        let nothing = h
            .ro_costs(who::oem())
            .get_repair_order_cost(get("ro-1"))
            .await
            .code();
        assert_eq!(nothing, Code::NotFound);

        h.start_parts().await;
        let applied = h
            .events(who::dealers_relay("d1"))
            .receive_repair_order_delivered(ro.request("ev-1"))
            .await
            .answer();
        assert_eq!(units(&applied.parts_cost), 8_000);
        let s = h
            .ro_costs(who::oem())
            .get_cost_summary(summary_of(pb::ScopeLevel::Station, "s1", month(2026, 2)))
            .await
            .answer();
        assert_eq!(s.repair_orders, 1);
    }
);

both!(
    a_warranty_ro_the_customer_does_not_pay_has_no_margin_ratio,
    |h: support::Harness| async move {
        flat_prices(&h).await;
        let mut ro = Ro::new("ro-w", FEB_10);
        ro.order_type = RepairOrderType::Warranty;
        ro.bill = 0;
        let c = ro.deliver(&h).await;
        assert_eq!(units(&c.margin), -13_250);
        assert_eq!(c.margin_bp, None);
        assert_eq!(c.r#type, RepairOrderType::Warranty as i32);
    }
);
