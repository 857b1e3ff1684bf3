//! Bad input on every RPC: INVALID_ARGUMENT naming the field, and nothing
//! written.

use aftercare_proto::{
    common::v1 as common,
    costs::v1::{self as pb, CostBehaviour, CostCategory},
};
use aftercare_test_support::Outcome;

use super::*;
use crate::both;

fn semi() -> pb::CostEntry {
    pb::CostEntry {
        behaviour: CostBehaviour::SemiVariable as i32,
        fixed_amount: eur(100),
        driver: Some(pb::CostDriver {
            name: "kwh".into(),
            quantity: 10,
        }),
        ..entry("s1", month(2026, 1), CostCategory::Utilities, 500)
    }
}

both!(a_bad_entry_names_its_field, |h: Harness| async move {
    network(&h).await;
    let c = control(&h, who::dms("d1"));
    let good = || entry("s1", month(2026, 1), CostCategory::Parts, 500);
    let cases: Vec<(pb::CostEntry, &str)> = vec![
        (
            pb::CostEntry {
                station_id: "S 1".into(),
                ..good()
            },
            "entry.station_id",
        ),
        (
            pb::CostEntry {
                month: None,
                ..good()
            },
            "entry.month",
        ),
        (
            pb::CostEntry {
                month: quarter(2026, 1),
                ..good()
            },
            "entry.month",
        ),
        (
            pb::CostEntry {
                month: month(2026, 13),
                ..good()
            },
            "entry.month",
        ),
        (
            pb::CostEntry {
                category: 0,
                ..good()
            },
            "entry.category",
        ),
        (
            pb::CostEntry {
                category: 99,
                ..good()
            },
            "entry.category",
        ),
        (
            pb::CostEntry {
                category: CostCategory::Warranty as i32,
                ..good()
            },
            "entry.category",
        ),
        (
            pb::CostEntry {
                behaviour: 9,
                ..good()
            },
            "entry.behaviour",
        ),
        (
            pb::CostEntry {
                amount: None,
                ..good()
            },
            "entry.amount",
        ),
        (
            pb::CostEntry {
                amount: eur(0),
                ..good()
            },
            "entry.amount.minor_units",
        ),
        (
            pb::CostEntry {
                amount: eur(1_000_000_000_001),
                ..good()
            },
            "entry.amount.minor_units",
        ),
        (
            pb::CostEntry {
                amount: Some(common::Money {
                    currency_code: "USD".into(),
                    minor_units: 500,
                }),
                ..good()
            },
            "entry.amount.currency_code",
        ),
        (
            pb::CostEntry {
                fixed_amount: eur(1),
                ..good()
            },
            "entry.fixed_amount",
        ),
        (
            pb::CostEntry {
                fixed_amount: None,
                ..semi()
            },
            "entry.fixed_amount",
        ),
        (
            pb::CostEntry {
                fixed_amount: eur(501),
                ..semi()
            },
            "entry.fixed_amount",
        ),
        (
            pb::CostEntry {
                driver: None,
                ..semi()
            },
            "entry.driver",
        ),
        (
            pb::CostEntry {
                driver: Some(pb::CostDriver {
                    name: "kWh".into(),
                    quantity: 1,
                }),
                ..semi()
            },
            "entry.driver.name",
        ),
        (
            pb::CostEntry {
                driver: Some(pb::CostDriver {
                    name: "kwh".into(),
                    quantity: -1,
                }),
                ..semi()
            },
            "entry.driver.quantity",
        ),
        (
            pb::CostEntry {
                description: "x".repeat(501),
                ..good()
            },
            "entry.description",
        ),
    ];
    for (e, field) in cases {
        let got = create(&c, e.clone()).await.bad_field();
        assert_eq!(got, field, "{e:?}");
    }
    let no_entry = pb::CreateCostEntryRequest {
        entry: None,
        request_id: rid(),
    };
    assert_eq!(
        c.clone().create_cost_entry(no_entry).await.bad_field(),
        "entry"
    );
    let long_id = pb::CreateCostEntryRequest {
        entry: Some(good()),
        request_id: "r".repeat(129),
    };
    assert_eq!(
        c.clone().create_cost_entry(long_id).await.bad_field(),
        "request_id"
    );
    let listed = c
        .clone()
        .list_cost_entries(pb::ListCostEntriesRequest::default())
        .await
        .answer();
    assert!(listed.entries.is_empty(), "nothing was written");
});

both!(bad_reads_name_their_field, |h: Harness| async move {
    network(&h).await;
    let mut c = control(&h, who::oem());
    let field = c
        .get_cost_entry(pb::GetCostEntryRequest { id: String::new() })
        .await
        .bad_field();
    assert_eq!(field, "id");
    let list = |r: pb::ListCostEntriesRequest| {
        let mut c = c.clone();
        async move { c.list_cost_entries(r).await.bad_field() }
    };
    let cases = [
        (
            pb::ListCostEntriesRequest {
                page_size: -1,
                ..Default::default()
            },
            "page_size",
        ),
        (
            pb::ListCostEntriesRequest {
                page_token: "nonsense".into(),
                ..Default::default()
            },
            "page_token",
        ),
        (
            pb::ListCostEntriesRequest {
                scope: scope(ScopeLevel::Unspecified, "d1"),
                ..Default::default()
            },
            "scope.level",
        ),
        (
            pb::ListCostEntriesRequest {
                scope: dealer("D 1"),
                ..Default::default()
            },
            "scope.id",
        ),
        (
            pb::ListCostEntriesRequest {
                period: month(1900, 1),
                ..Default::default()
            },
            "period",
        ),
        (
            pb::ListCostEntriesRequest {
                category: 42,
                ..Default::default()
            },
            "category",
        ),
    ];
    for (r, field) in cases {
        assert_eq!(list(r.clone()).await, field, "{r:?}");
    }
    let field = c
        .list_budgets(pb::ListBudgetsRequest {
            scope: scope(ScopeLevel::Station, "s1"),
            ..Default::default()
        })
        .await
        .bad_field();
    assert_eq!(field, "scope.level");
    let field = c
        .list_budgets(pb::ListBudgetsRequest {
            period: Some(common::Period {
                kind: 3,
                year: 2026,
                number: 2,
            }),
            ..Default::default()
        })
        .await
        .bad_field();
    assert_eq!(field, "period");
    let report = |r: pb::GetCostReportRequest| {
        let mut c = c.clone();
        async move { c.get_cost_report(r).await.bad_field() }
    };
    let cases = [
        (
            pb::GetCostReportRequest {
                scope: None,
                period: year(2026),
            },
            "scope",
        ),
        (
            pb::GetCostReportRequest {
                scope: scope(ScopeLevel::Station, "s1"),
                period: year(2026),
            },
            "scope.level",
        ),
        (
            pb::GetCostReportRequest {
                scope: scope(ScopeLevel::Network, "x"),
                period: year(2026),
            },
            "scope.id",
        ),
        (
            pb::GetCostReportRequest {
                scope: dealer("d1"),
                period: None,
            },
            "period",
        ),
    ];
    for (r, field) in cases {
        assert_eq!(report(r.clone()).await, field, "{r:?}");
    }
    let field = c
        .list_cost_alerts(pb::ListCostAlertsRequest {
            after_sequence: -1,
            ..Default::default()
        })
        .await
        .bad_field();
    assert_eq!(field, "after_sequence");
    let field = c
        .list_cost_alerts(pb::ListCostAlertsRequest {
            page_size: -1,
            ..Default::default()
        })
        .await
        .bad_field();
    assert_eq!(field, "page_size");
    let field = c
        .list_cost_alerts(pb::ListCostAlertsRequest {
            scope: scope(ScopeLevel::Station, "s1"),
            ..Default::default()
        })
        .await
        .bad_field();
    assert_eq!(field, "scope.level");
});

both!(a_bad_budget_names_its_field, |h: Harness| async move {
    network(&h).await;
    let c = control(&h, who::oem());
    let good = || budget_request(dealer("d1"), CostCategory::Parts, year(2026), 100);
    let with = |f: &dyn Fn(&mut pb::Budget)| {
        let mut r = good();
        f(r.budget.as_mut().unwrap());
        r
    };
    let cases: Vec<(pb::SetBudgetRequest, &str)> = vec![
        (
            pb::SetBudgetRequest {
                budget: None,
                ..good()
            },
            "budget",
        ),
        (with(&|b| b.scope = None), "budget.scope"),
        (
            with(&|b| b.scope = scope(ScopeLevel::Station, "s1")),
            "budget.scope.level",
        ),
        (with(&|b| b.scope = dealer("")), "budget.scope.id"),
        (with(&|b| b.category = 0), "budget.category"),
        (with(&|b| b.period = None), "budget.period"),
        (with(&|b| b.period = quarter(2026, 5)), "budget.period"),
        (with(&|b| b.amount = None), "budget.amount"),
        (with(&|b| b.amount = eur(-1)), "budget.amount.minor_units"),
        (
            with(&|b| b.amount = eur(1_000_000_000_001)),
            "budget.amount.minor_units",
        ),
        (
            pb::SetBudgetRequest {
                etag: "x".into(),
                ..good()
            },
            "etag",
        ),
        (
            pb::SetBudgetRequest {
                request_id: "r\n".into(),
                ..good()
            },
            "request_id",
        ),
    ];
    for (r, field) in cases {
        let got = c.clone().set_budget(r.clone()).await.bad_field();
        assert_eq!(got, field, "{r:?}");
    }
    let listed = c
        .clone()
        .list_budgets(pb::ListBudgetsRequest::default())
        .await
        .answer();
    assert!(listed.budgets.is_empty(), "nothing was written");
});
