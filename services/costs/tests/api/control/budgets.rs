//! Budgets: set by head office (a dealer's also by its region's manager),
//! guarded by their etag, read by those they concern; the report's variance
//! against them in amount and basis points.

use aftercare_proto::costs::v1::{self as pb, CostCategory};
use aftercare_test_support::Outcome;
use tonic::Code;

use super::*;
use crate::both;

// docs/budgets.md, example 2.1 and 2.2.
both!(
    variance_and_basis_points_against_the_budget,
    |h: Harness| async move {
        network(&h).await;
        let c = control(&h, who::dms("d1"));
        // 11,250.00 of 10,000.00.
        set_budget(
            &h,
            dealer("d1"),
            CostCategory::Premises,
            month(2026, 3),
            1_000_000,
        )
        .await;
        set_budget(
            &h,
            dealer("d1"),
            CostCategory::Overtime,
            month(2026, 3),
            300_000,
        )
        .await;
        set_budget(
            &h,
            region("north"),
            CostCategory::Premises,
            quarter(2026, 1),
            9_000_000,
        )
        .await;
        create(
            &c,
            entry("s1", month(2026, 3), CostCategory::Premises, 1_125_000),
        )
        .await
        .answer();
        create(
            &c,
            entry("s1", month(2026, 3), CostCategory::Overtime, 200_000),
        )
        .await
        .answer();
        create(
            &c,
            entry("s2", month(2026, 3), CostCategory::Postage, 1_234),
        )
        .await
        .answer();
        let r = c
            .clone()
            .get_cost_report(pb::GetCostReportRequest {
                scope: dealer("d1"),
                period: month(2026, 3),
            })
            .await
            .answer();
        let premises = line(&r, CostCategory::Premises).unwrap();
        assert_eq!(minor(&premises.budget), Some(1_000_000));
        assert_eq!(minor(&premises.variance), Some(125_000));
        assert_eq!(premises.variance_bp, Some(1250));
        // Under budget: negative, a third rounded half away from zero.
        let overtime = line(&r, CostCategory::Overtime).unwrap();
        assert_eq!(minor(&overtime.variance), Some(-100_000));
        assert_eq!(overtime.variance_bp, Some(-3333));
        // No budget: no variance.
        let postage = line(&r, CostCategory::Postage).unwrap();
        assert_eq!((postage.budget.clone(), postage.variance_bp), (None, None));
        assert_eq!(minor(&r.total_budget), Some(1_300_000));
        assert_eq!(minor(&r.total_actual), Some(1_326_234));
        // The region's quarter: its own budget against its dealers' sum.
        let q = report(&h, region("north"), quarter(2026, 1)).await;
        let premises = line(&q, CostCategory::Premises).unwrap();
        assert_eq!(minor(&premises.variance), Some(1_125_000 - 9_000_000));
        assert_eq!(premises.variance_bp, Some(-8750));
        // A budget with nothing spent yet has its line.
        set_budget(
            &h,
            network_scope(),
            CostCategory::Transport,
            year(2026),
            50_000,
        )
        .await;
        let y = report(&h, network_scope(), year(2026)).await;
        let transport = line(&y, CostCategory::Transport).unwrap();
        assert_eq!(minor(&transport.actual), Some(0));
        assert_eq!(transport.variance_bp, Some(-10_000));
    }
);

both!(
    a_budget_is_replaced_only_at_its_etag,
    |h: Harness| async move {
        network(&h).await;
        let first = set_budget(&h, dealer("d1"), CostCategory::Parts, year(2026), 100).await;
        assert_eq!(
            (first.etag.as_str(), minor(&first.amount)),
            ("1", Some(100))
        );
        let mut c = control(&h, who::region("north"));
        let mut again = budget_request(dealer("d1"), CostCategory::Parts, year(2026), 200);
        again.etag = first.etag.clone();
        let second = c.set_budget(again).await.answer();
        assert_eq!(second.etag, "2");
        let mut stale = budget_request(dealer("d1"), CostCategory::Parts, year(2026), 300);
        stale.etag = first.etag;
        c.set_budget(stale).await.refused(Code::Aborted);
        // Without an etag, the last writer wins.
        let third = c
            .set_budget(budget_request(
                dealer("d1"),
                CostCategory::Parts,
                year(2026),
                400,
            ))
            .await
            .answer();
        assert_eq!(
            (third.etag.as_str(), minor(&third.amount)),
            ("3", Some(400))
        );
    }
);

both!(
    budgets_are_listed_to_those_they_concern,
    |h: Harness| async move {
        network(&h).await;
        set_budget(&h, dealer("d1"), CostCategory::Parts, year(2026), 1).await;
        set_budget(&h, dealer("d2"), CostCategory::Parts, year(2026), 2).await;
        set_budget(&h, dealer("d3"), CostCategory::Parts, year(2026), 3).await;
        set_budget(&h, region("north"), CostCategory::Parts, year(2026), 4).await;
        set_budget(&h, network_scope(), CostCategory::Parts, year(2026), 5).await;
        set_budget(&h, dealer("d1"), CostCategory::Parts, year(2025), 6).await;
        let amounts = |principal, request: pb::ListBudgetsRequest| {
            let h = &h;
            async move {
                let mut c = control(h, principal);
                let mut request = pb::ListBudgetsRequest {
                    page_size: 2,
                    ..request
                };
                let mut amounts = Vec::new();
                loop {
                    let page = c.list_budgets(request.clone()).await.answer();
                    amounts.extend(page.budgets.iter().map(|b| minor(&b.amount).unwrap()));
                    if page.next_page_token.is_empty() {
                        amounts.sort();
                        return amounts;
                    }
                    request.page_token = page.next_page_token;
                }
            }
        };
        let all = pb::ListBudgetsRequest::default;
        assert_eq!(amounts(who::oem(), all()).await, [1, 2, 3, 4, 5, 6]);
        assert_eq!(amounts(who::region("north"), all()).await, [1, 2, 4, 6]);
        assert_eq!(amounts(who::region("south"), all()).await, [3]);
        assert_eq!(amounts(who::dms("d1"), all()).await, [1, 6]);
        let d1_2026 = pb::ListBudgetsRequest {
            scope: dealer("d1"),
            period: year(2026),
            ..Default::default()
        };
        assert_eq!(amounts(who::dealer("d1"), d1_2026).await, [1]);
    }
);
