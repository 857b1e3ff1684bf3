//! Cost entries: kept with their station's place, added to the reports of
//! their dealer, region and the network as they are written, corrections
//! never below zero, retries applied once.

use std::collections::BTreeMap;

use aftercare_proto::costs::v1::{self as pb, CostBehaviour, CostCategory};
use aftercare_test_support::{Outcome, once};
use tonic::Code;

use super::*;
use crate::both;

/// A hand-worked row: station, (year, month), category, amount, the fixed
/// part of a semi-variable entry.
type Row = (&'static str, (i32, i32), CostCategory, i64, Option<i64>);

const ROWS: [Row; 10] = [
    ("s1", (2026, 1), CostCategory::Premises, 1_200_000, None),
    ("s2", (2026, 1), CostCategory::Premises, 800_000, None),
    ("s1", (2026, 2), CostCategory::Parts, 455_050, None),
    ("s1", (2026, 2), CostCategory::Parts, -5_050, None),
    ("s3", (2026, 2), CostCategory::Parts, 120_025, None),
    ("s4", (2026, 3), CostCategory::Parts, 99_999, None),
    (
        "s1",
        (2026, 4),
        CostCategory::Utilities,
        80_000,
        Some(30_000),
    ),
    (
        "s2",
        (2026, 3),
        CostCategory::Utilities,
        60_000,
        Some(25_000),
    ),
    ("s3", (2026, 1), CostCategory::BaseSalaries, 5_000_000, None),
    ("s1", (2025, 12), CostCategory::Premises, 1_000_000, None),
];

/// Does a (year, month) fall in a period?
type Holds = Box<dyn Fn((i32, i32)) -> bool>;

fn place(station: &str) -> (&'static str, &'static str) {
    match station {
        "s1" | "s2" => ("d1", "north"),
        "s3" => ("d2", "north"),
        _ => ("d3", "south"),
    }
}

fn semi(
    station: &str,
    m: (i32, i32),
    category: CostCategory,
    amount: i64,
    fixed: i64,
) -> pb::CostEntry {
    pb::CostEntry {
        behaviour: CostBehaviour::SemiVariable as i32,
        fixed_amount: eur(fixed),
        driver: Some(pb::CostDriver {
            name: "kwh".into(),
            quantity: 2_500,
        }),
        ..entry(station, month(m.0, m.1), category, amount)
    }
}

both!(
    an_entry_is_kept_with_its_place_and_its_fixed_part,
    |h: Harness| async move {
        network(&h).await;
        let c = control(&h, who::dms("d1"));
        let mut e = semi("s1", (2026, 4), CostCategory::Utilities, 80_000, 30_000);
        e.description = "Electricity, April".into();
        let made = create(&c, e).await.answer();
        assert!(made.id.starts_with("ce-"), "{}", made.id);
        assert_eq!(
            (made.dealer_id.as_str(), made.region_id.as_str()),
            ("d1", "north")
        );
        assert_eq!(minor(&made.fixed_amount), Some(30_000));
        assert_eq!(made.created_by, "dms-d1");
        let read = c
            .clone()
            .get_cost_entry(pb::GetCostEntryRequest {
                id: made.id.clone(),
            })
            .await
            .answer();
        assert_eq!(read, made);
        // A fixed cost's whole amount is fixed; the answer shows no part.
        let rent = create(
            &c,
            entry("s1", month(2026, 4), CostCategory::Premises, 1_000),
        )
        .await
        .answer();
        assert_eq!(rent.behaviour, CostBehaviour::Fixed as i32);
        assert_eq!(rent.fixed_amount, None);
        let r = report(&h, dealer("d1"), month(2026, 4)).await;
        let utilities = line(&r, CostCategory::Utilities).expect("a utilities line");
        assert_eq!(
            (minor(&utilities.fixed), minor(&utilities.variable)),
            (Some(30_000), Some(50_000))
        );
        let premises = line(&r, CostCategory::Premises).expect("a premises line");
        assert_eq!(minor(&premises.fixed), Some(1_000));
    }
);

// docs/budgets.md, example 1.4.
both!(
    reports_equal_the_hand_sums_per_scope_and_period,
    |h: Harness| async move {
        network(&h).await;
        let c = control(&h, who::oem());
        for (station, m, category, amount, fixed) in ROWS {
            let e = match fixed {
                Some(f) => semi(station, m, category, amount, f),
                None => entry(station, month(m.0, m.1), category, amount),
            };
            create(&c, e).await.answer();
        }
        let scopes = [
            (dealer("d1"), "d1"),
            (dealer("d2"), "d2"),
            (dealer("d3"), "d3"),
            (region("north"), "north"),
            (region("south"), "south"),
            (network_scope(), ""),
        ];
        // (period, does a (year, month) fall in it)
        let periods: Vec<(_, Holds)> = vec![
            (month(2026, 1), Box::new(|m| m == (2026, 1))),
            (month(2026, 2), Box::new(|m| m == (2026, 2))),
            (month(2026, 3), Box::new(|m| m == (2026, 3))),
            (quarter(2026, 1), Box::new(|m| m.0 == 2026 && m.1 <= 3)),
            (
                quarter(2026, 2),
                Box::new(|m| m.0 == 2026 && (4..=6).contains(&m.1)),
            ),
            (year(2026), Box::new(|m| m.0 == 2026)),
            (year(2025), Box::new(|m| m.0 == 2025)),
        ];
        for (s, id) in &scopes {
            for (period, holds) in &periods {
                // The hand sums: (whole, fixed) per category.
                let mut want: BTreeMap<i32, (i64, i64)> = BTreeMap::new();
                for (station, m, category, amount, fixed) in ROWS {
                    let (d, r) = place(station);
                    let inside = id.is_empty() || *id == d || *id == r;
                    if inside && holds(m) {
                        let fixed = match (fixed, category) {
                            (Some(f), _) => f,
                            (None, CostCategory::Premises | CostCategory::BaseSalaries) => amount,
                            (None, _) => 0,
                        };
                        let sums = want.entry(category as i32).or_default();
                        sums.0 += amount;
                        sums.1 += fixed;
                    }
                }
                let r = report(&h, s.clone(), *period).await;
                let got: BTreeMap<i32, (i64, i64)> = r
                    .lines
                    .iter()
                    .map(|l| {
                        let (whole, fixed) = (minor(&l.actual).unwrap(), minor(&l.fixed).unwrap());
                        assert_eq!(minor(&l.variable), Some(whole - fixed));
                        assert_eq!(l.budget, None);
                        (l.category, (whole, fixed))
                    })
                    .collect();
                assert_eq!(got, want, "{id:?} in {period:?}");
                let total: i64 = want.values().map(|(w, _)| w).sum();
                assert_eq!(minor(&r.total_actual), Some(total), "{id:?} in {period:?}");
                assert_eq!(r.total_budget, None);
            }
        }
    }
);

// docs/budgets.md, example 1.3.
both!(
    a_correction_never_brings_a_month_below_zero,
    |h: Harness| async move {
        network(&h).await;
        let c = control(&h, who::dealer("d1"));
        let parts = |amount| entry("s1", month(2026, 5), CostCategory::Parts, amount);
        create(&c, parts(10_000)).await.answer();
        create(&c, parts(-6_000)).await.answer();
        let status = create(&c, parts(-4_001))
            .await
            .refused(Code::FailedPrecondition);
        assert!(
            status.message().contains("station s1 PARTS 2026-05"),
            "{}",
            status.message()
        );
        // The whole of what is left may be taken back.
        create(&c, parts(-4_000)).await.answer();
        let r = report(&h, dealer("d1"), month(2026, 5)).await;
        assert_eq!(
            minor(&line(&r, CostCategory::Parts).unwrap().actual),
            Some(0)
        );
        let listed = c
            .clone()
            .list_cost_entries(pb::ListCostEntriesRequest {
                scope: scope(ScopeLevel::Station, "s1"),
                ..Default::default()
            })
            .await
            .answer()
            .entries;
        assert_eq!(
            listed.len(),
            3,
            "the refused correction left nothing behind"
        );
    }
);

// docs/budgets.md, example 1.4.
both!(many_small_amounts_sum_exactly, |h: Harness| async move {
    network(&h).await;
    let c = control(&h, who::dms("d1"));
    // 0.01, 0.07 and 0.10, 300 times: a float of euros drifts here.
    let amounts: Vec<i64> = (0..300).map(|i| [1, 7, 10][i % 3]).collect();
    let mut tasks = tokio::task::JoinSet::new();
    for (i, amount) in amounts.iter().copied().enumerate() {
        let c = c.clone();
        let station = if i % 2 == 0 { "s1" } else { "s2" };
        tasks.spawn(async move {
            create(
                &c,
                entry(station, month(2026, 6), CostCategory::Consumables, amount),
            )
            .await
            .answer()
        });
    }
    tasks.join_all().await;
    let want: i64 = amounts.iter().sum();
    assert_eq!(want, 1_800);
    for s in [dealer("d1"), region("north"), network_scope()] {
        for period in [month(2026, 6), quarter(2026, 2), year(2026)] {
            let r = report(&h, s.clone(), period).await;
            assert_eq!(minor(&r.total_actual), Some(want));
        }
    }
});

both!(retries_are_applied_once, |h: Harness| async move {
    network(&h).await;
    let c = control(&h, who::dms("d1"));
    let request = create_request(entry("s1", month(2026, 7), CostCategory::Transport, 2_500));
    let first = once(true, &c, request.clone(), |mut c, r| async move {
        c.create_cost_entry(r).await
    })
    .await;
    let r = report(&h, dealer("d1"), month(2026, 7)).await;
    assert_eq!(minor(&r.total_actual), Some(2_500));
    assert_eq!(first.amount, eur(2_500));
    // The same id with another request is refused, naming it.
    let mut other = request.clone();
    other.entry.as_mut().unwrap().amount = eur(2_600);
    let field = c.clone().create_cost_entry(other).await.bad_field();
    assert_eq!(field, "request_id");
    // A budget set twice with one id is set once.
    let budget = budget_request(
        dealer("d1"),
        CostCategory::Transport,
        month(2026, 7),
        10_000,
    );
    let oem = control(&h, who::oem());
    let set = once(false, &oem, budget, |mut c, r| async move {
        c.set_budget(r).await
    })
    .await;
    assert_eq!(set.etag, "1");
});

both!(
    lists_go_newest_first_page_by_page_with_their_filters,
    |h: Harness| async move {
        network(&h).await;
        let c = control(&h, who::oem());
        let mut made = Vec::new();
        for (station, m, category) in [
            ("s1", 1, CostCategory::Parts),
            ("s2", 1, CostCategory::Postage),
            ("s3", 2, CostCategory::Parts),
            ("s4", 4, CostCategory::Parts),
            ("s1", 5, CostCategory::Overtime),
        ] {
            made.push(
                create(&c, entry(station, month(2026, m), category, 100))
                    .await
                    .answer(),
            );
        }
        let list = |request: pb::ListCostEntriesRequest| {
            let c = c.clone();
            async move {
                let mut ids = Vec::new();
                let mut request = pb::ListCostEntriesRequest {
                    page_size: 2,
                    ..request
                };
                loop {
                    let page = c.clone().list_cost_entries(request.clone()).await.answer();
                    ids.extend(page.entries.into_iter().map(|e| e.id));
                    if page.next_page_token.is_empty() {
                        return ids;
                    }
                    request.page_token = page.next_page_token;
                }
            }
        };
        let ids = |picks: &[usize]| -> Vec<String> {
            picks.iter().map(|i| made[*i].id.clone()).collect()
        };
        assert_eq!(list(Default::default()).await, ids(&[4, 3, 2, 1, 0]));
        let q1 = pb::ListCostEntriesRequest {
            period: quarter(2026, 1),
            ..Default::default()
        };
        assert_eq!(list(q1).await, ids(&[2, 1, 0]));
        let parts_of_north = pb::ListCostEntriesRequest {
            scope: region("north"),
            category: CostCategory::Parts as i32,
            ..Default::default()
        };
        assert_eq!(list(parts_of_north).await, ids(&[2, 0]));
        let d1 = pb::ListCostEntriesRequest {
            scope: dealer("d1"),
            ..Default::default()
        };
        assert_eq!(list(d1).await, ids(&[4, 1, 0]));
        // What a dealer's staff lists is its own dealer's.
        let own = control(&h, who::dealer("d2"))
            .list_cost_entries(pb::ListCostEntriesRequest::default())
            .await
            .answer();
        assert_eq!(own.entries.len(), 1);
        assert_eq!(own.entries[0].id, made[2].id);
    }
);
