//! Alerts: raised once when a category's actual passes its budget by more
//! than the threshold (10 % by default), again only after it came back
//! under and crossed again; a budget set judges again; a feed by sequence.

use aftercare_proto::costs::v1::{self as pb, CostCategory};
use aftercare_test_support::Outcome;

use super::*;
use crate::both;

// docs/budgets.md, example 3.2.
both!(
    an_alert_is_raised_once_per_crossing,
    |h: Harness| async move {
        network(&h).await;
        set_budget(
            &h,
            dealer("d1"),
            CostCategory::Parts,
            month(2026, 3),
            100_000,
        )
        .await;
        let c = control(&h, who::dms("d1"));
        let parts = |amount| entry("s2", month(2026, 3), CostCategory::Parts, amount);
        let mut counts = Vec::new();
        // 1,050 (under the 1,100 line), 1,100 (on it), 1,150 (over: raise),
        // 1,250 (still over), 950 (back under: re-armed), 1,150 (raise).
        for amount in [105_000, 5_000, 5_000, 10_000, -30_000, 20_000] {
            create(&c, parts(amount)).await.answer();
            counts.push(all_alerts(&h).await.len());
        }
        assert_eq!(counts, [0, 0, 1, 1, 1, 2]);
        let alerts = all_alerts(&h).await;
        let first = &alerts[0];
        assert_eq!(first.scope, dealer("d1"));
        assert_eq!(first.category, CostCategory::Parts as i32);
        assert_eq!(first.period, month(2026, 3));
        assert_eq!(
            (minor(&first.budget), minor(&first.actual)),
            (Some(100_000), Some(115_000))
        );
        assert_eq!((first.variance_bp, first.threshold_bp), (1500, 1000));
        assert!(first.raise_time.is_some());
        assert!(alerts[1].sequence > first.sequence);
        // The feed: after the first, only the second.
        let after = c
            .clone()
            .list_cost_alerts(pb::ListCostAlertsRequest {
                after_sequence: first.sequence,
                ..Default::default()
            })
            .await
            .answer();
        assert_eq!(after.alerts, alerts[1..].to_vec());
        assert_eq!(after.last_sequence, alerts[1].sequence);
        let none = c
            .clone()
            .list_cost_alerts(pb::ListCostAlertsRequest {
                after_sequence: alerts[1].sequence,
                ..Default::default()
            })
            .await
            .answer();
        assert!(none.alerts.is_empty());
        assert_eq!(none.last_sequence, alerts[1].sequence);
    }
);

// docs/budgets.md, example 3.3.
both!(
    a_budget_set_judges_its_alert_again,
    |h: Harness| async move {
        network(&h).await;
        let c = control(&h, who::dms("d1"));
        create(
            &c,
            entry("s1", month(2026, 5), CostCategory::Consumables, 115_000),
        )
        .await
        .answer();
        // Set under the actual: raised by the budget itself.
        set_budget(
            &h,
            region("north"),
            CostCategory::Consumables,
            quarter(2026, 2),
            100_000,
        )
        .await;
        assert_eq!(all_alerts(&h).await.len(), 1);
        // Raised above it: re-armed, no alert; lowered again: raised again.
        set_budget(
            &h,
            region("north"),
            CostCategory::Consumables,
            quarter(2026, 2),
            200_000,
        )
        .await;
        assert_eq!(all_alerts(&h).await.len(), 1);
        set_budget(
            &h,
            region("north"),
            CostCategory::Consumables,
            quarter(2026, 2),
            90_000,
        )
        .await;
        let alerts = all_alerts(&h).await;
        assert_eq!(alerts.len(), 2);
        assert_eq!(alerts[1].scope, region("north"));
        assert_eq!(alerts[1].period, quarter(2026, 2));
        assert_eq!(alerts[1].variance_bp, 2778);
    }
);

// docs/budgets.md, example 3.4.
both!(
    two_entries_at_once_raise_one_alert,
    |h: Harness| async move {
        network(&h).await;
        set_budget(
            &h,
            dealer("d1"),
            CostCategory::Overtime,
            year(2026),
            100_000,
        )
        .await;
        let c = control(&h, who::dms("d1"));
        create(
            &c,
            entry("s1", month(2026, 8), CostCategory::Overtime, 100_000),
        )
        .await
        .answer();
        // Each alone would cross the line: together, one alert.
        let mut tasks = tokio::task::JoinSet::new();
        for station in ["s1", "s2", "s1", "s2"] {
            let c = c.clone();
            tasks.spawn(async move {
                create(
                    &c,
                    entry(station, month(2026, 8), CostCategory::Overtime, 20_000),
                )
                .await
                .answer()
            });
        }
        tasks.join_all().await;
        let alerts = all_alerts(&h).await;
        assert_eq!(alerts.len(), 1, "{alerts:?}");
        assert_eq!(alerts[0].scope, dealer("d1"));
    }
);

both!(
    alerts_are_seen_by_those_they_concern,
    |h: Harness| async move {
        network(&h).await;
        set_budget(&h, dealer("d1"), CostCategory::Parts, year(2026), 0).await;
        set_budget(&h, dealer("d3"), CostCategory::Parts, year(2026), 0).await;
        set_budget(&h, network_scope(), CostCategory::Parts, year(2026), 0).await;
        create(
            &control(&h, who::dms("d1")),
            entry("s1", month(2026, 2), CostCategory::Parts, 1),
        )
        .await
        .answer();
        create(
            &control(&h, who::dms("d3")),
            entry("s4", month(2026, 2), CostCategory::Parts, 1),
        )
        .await
        .answer();
        let seen = |principal| {
            let h = &h;
            async move {
                let alerts = control(h, principal)
                    .list_cost_alerts(pb::ListCostAlertsRequest::default())
                    .await
                    .answer()
                    .alerts;
                alerts
                    .into_iter()
                    .map(|a| a.scope.unwrap().id)
                    .collect::<Vec<_>>()
            }
        };
        // Against a zero budget, any spending is over; the network's alert
        // is raised once, at the first.
        assert_eq!(seen(who::oem()).await, ["d1", "", "d3"]);
        assert_eq!(seen(who::region("north")).await, ["d1"]);
        assert_eq!(seen(who::region("south")).await, ["d3"]);
        assert_eq!(seen(who::dealer("d1")).await, ["d1"]);
        assert_eq!(seen(who::dms("d2")).await, Vec::<String>::new());
    }
);
