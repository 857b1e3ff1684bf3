//! Every RPC refuses another dealer's and another region's figures as if
//! they did not exist, and what a caller may read but not change with
//! PERMISSION_DENIED.

use aftercare_proto::costs::v1::{self as pb, CostCategory};
use aftercare_test_support::Outcome;
use tonic::Code;

use super::*;
use crate::both;

both!(
    another_dealers_or_regions_figures_are_not_found_on_every_rpc,
    |h: Harness| async move {
        network(&h).await;
        let made = create(
            &control(&h, who::dms("d1")),
            entry("s1", month(2026, 1), CostCategory::Parts, 500),
        )
        .await
        .answer();
        set_budget(&h, dealer("d1"), CostCategory::Parts, month(2026, 1), 100).await;
        for outsider in [
            who::dms("d2"),
            who::dealer("d3"),
            who::region("south"),
            who::survey(),
        ] {
            let mut c = control(&h, outsider.clone());
            let who = format!("{outsider:?}");
            let code = create(&c, entry("s1", month(2026, 1), CostCategory::Parts, 1))
                .await
                .code();
            assert_eq!(code, Code::NotFound, "create as {who}");
            let code = c
                .get_cost_entry(pb::GetCostEntryRequest {
                    id: made.id.clone(),
                })
                .await
                .code();
            assert_eq!(code, Code::NotFound, "get as {who}");
            for s in [
                scope(ScopeLevel::Station, "s1"),
                dealer("d1"),
                region("north"),
            ] {
                let code = c
                    .list_cost_entries(pb::ListCostEntriesRequest {
                        scope: s.clone(),
                        ..Default::default()
                    })
                    .await
                    .code();
                assert_eq!(code, Code::NotFound, "list {s:?} as {who}");
            }
            let code = c
                .set_budget(budget_request(
                    dealer("d1"),
                    CostCategory::Parts,
                    month(2026, 1),
                    1,
                ))
                .await
                .code();
            assert_eq!(code, Code::NotFound, "set budget as {who}");
            for s in [dealer("d1"), region("north"), network_scope()] {
                let code = c
                    .list_budgets(pb::ListBudgetsRequest {
                        scope: s.clone(),
                        ..Default::default()
                    })
                    .await
                    .code();
                assert_eq!(code, Code::NotFound, "list budgets {s:?} as {who}");
                let code = c
                    .get_cost_report(pb::GetCostReportRequest {
                        scope: s.clone(),
                        period: month(2026, 1),
                    })
                    .await
                    .code();
                assert_eq!(code, Code::NotFound, "report {s:?} as {who}");
                let code = c
                    .list_cost_alerts(pb::ListCostAlertsRequest {
                        scope: s.clone(),
                        ..Default::default()
                    })
                    .await
                    .code();
                assert_eq!(code, Code::NotFound, "alerts {s:?} as {who}");
            }
            // Unfiltered lists show the outsider nothing of d1's.
            let entries = c
                .list_cost_entries(pb::ListCostEntriesRequest::default())
                .await
                .answer()
                .entries;
            assert!(entries.is_empty(), "{who} sees {entries:?}");
            let budgets = c
                .list_budgets(pb::ListBudgetsRequest::default())
                .await
                .answer()
                .budgets;
            assert!(budgets.is_empty(), "{who} sees {budgets:?}");
            let alerts = c
                .list_cost_alerts(pb::ListCostAlertsRequest::default())
                .await
                .answer()
                .alerts;
            assert!(alerts.is_empty(), "{who} sees {alerts:?}");
        }
        // Staff bound to station s2 do not see s1's entries.
        let bound = control(&h, who::station_staff("d1", "s2"));
        let code = bound
            .clone()
            .get_cost_entry(pb::GetCostEntryRequest {
                id: made.id.clone(),
            })
            .await
            .code();
        assert_eq!(code, Code::NotFound);
    }
);

both!(
    what_a_caller_reads_but_may_not_change_is_permission_denied,
    |h: Harness| async move {
        network(&h).await;
        // A region manager reads its dealers' costs but does not enter them.
        let mut north = control(&h, who::region("north"));
        create(&north, entry("s1", month(2026, 1), CostCategory::Parts, 1))
            .await
            .refused(Code::PermissionDenied);
        north
            .get_cost_report(pb::GetCostReportRequest {
                scope: dealer("d1"),
                period: month(2026, 1),
            })
            .await
            .answer();
        // Nor sets its own region's budget, nor the network's.
        north
            .set_budget(budget_request(
                region("north"),
                CostCategory::Parts,
                year(2026),
                1,
            ))
            .await
            .refused(Code::PermissionDenied);
        north
            .set_budget(budget_request(
                network_scope(),
                CostCategory::Parts,
                year(2026),
                1,
            ))
            .await
            .refused(Code::PermissionDenied);
        // A dealer reads its budgets and report, and sets none.
        let mut d1 = control(&h, who::dealer("d1"));
        d1.set_budget(budget_request(
            dealer("d1"),
            CostCategory::Parts,
            year(2026),
            1,
        ))
        .await
        .refused(Code::PermissionDenied);
        d1.get_cost_report(pb::GetCostReportRequest {
            scope: dealer("d1"),
            period: year(2026),
        })
        .await
        .answer();
        // The network's report is head office's.
        d1.get_cost_report(pb::GetCostReportRequest {
            scope: network_scope(),
            period: year(2026),
        })
        .await
        .refused(Code::NotFound);
    }
);
