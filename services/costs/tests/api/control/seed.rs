//! The bulk path the load runs seed through writes what CreateCostEntry
//! writes: the same reports and the same alerts for the same entries.

use aftercare_costs::{
    Costs, CostsSettings, MIGRATOR,
    domain::{
        cost_entry::{Behaviour, Category, CostEntry},
        scope::Place,
    },
};
use aftercare_proto::costs::v1::{self as pb, CostCategory};
use aftercare_test_support::{Outcome, Served, fresh_with_outbox};
use aftercare_values::Period;

use super::*;
use crate::both;

/// (station, month of 2026, category, amount)
const ENTRIES: [(&str, u8, Category, i64); 6] = [
    ("s1", 1, Category::Parts, 60_000),
    ("s2", 1, Category::Parts, 55_000),
    ("s3", 2, Category::Premises, 250_000),
    ("s1", 4, Category::Parts, 7),
    ("s4", 4, Category::Overtime, 12_345),
    ("s2", 1, Category::Parts, -5_000),
];

fn place(station: &str) -> Place {
    let (dealer, region) = match station {
        "s1" | "s2" => ("d1", "north"),
        "s3" => ("d2", "north"),
        _ => ("d3", "south"),
    };
    Place {
        station_id: station.into(),
        dealer_id: dealer.into(),
        region_id: region.into(),
    }
}

both!(
    seeded_entries_count_as_created_ones,
    |h: Harness| async move {
        network(&h).await;
        // The same budget on both sides, crossed by January's parts.
        let january = month(2026, 1);
        set_budget(&h, region("north"), CostCategory::Parts, january, 100_000).await;
        let c = control(&h, who::oem());
        for (station, m, category, amount) in ENTRIES {
            let number = super::convert_category(category);
            create(
                &c,
                entry(station, month(2026, i32::from(m)), number, amount),
            )
            .await
            .answer();
        }

        let key = aftercare_auth::Secret::generate();
        let db = fresh_with_outbox(h.db.backend(), &MIGRATOR).await;
        let costs = Costs::new(&CostsSettings::default(), db, key.clone()).unwrap();
        let (seeded, ()) = Served::in_process("costs", costs.clone().build().await, key);
        let mut s = CostControlServiceClient::new(seeded.signed(who::oem()));
        s.set_budget(budget_request(
            region("north"),
            CostCategory::Parts,
            january,
            100_000,
        ))
        .await
        .answer();
        let rows: Vec<CostEntry> = ENTRIES
            .iter()
            .enumerate()
            .map(|(i, (station, m, category, amount))| {
                let behaviour = category.usual_behaviour();
                CostEntry {
                    id: format!("ce-seed-{i}"),
                    place: place(station),
                    month: Period::Month {
                        year: 2026,
                        month: *m,
                    },
                    category: *category,
                    behaviour,
                    amount: *amount,
                    fixed: if behaviour == Behaviour::Fixed {
                        *amount
                    } else {
                        0
                    },
                    driver: None,
                    description: String::new(),
                    created_by: "seed".into(),
                    create_time: 1_767_225_600_000_000 + i as i64,
                }
            })
            .collect();
        costs.seed_cost_entries(&rows[..3]).await.unwrap();
        costs.seed_cost_entries(&rows[3..]).await.unwrap();

        for scope in [dealer("d1"), dealer("d2"), region("north"), network_scope()] {
            for period in [month(2026, 1), month(2026, 4), quarter(2026, 1), year(2026)] {
                let request = pb::GetCostReportRequest {
                    scope: scope.clone(),
                    period,
                };
                let created = report(&h, scope.clone(), period).await;
                let from_seed = s.get_cost_report(request).await.answer();
                assert_eq!(from_seed, created, "{scope:?} {period:?}");
            }
        }
        let alerts = |mut c: Client| async move {
            let mut alerts = c
                .list_cost_alerts(pb::ListCostAlertsRequest::default())
                .await
                .answer()
                .alerts;
            for a in &mut alerts {
                a.raise_time = None;
            }
            alerts
        };
        let created = alerts(c.clone()).await;
        assert_eq!(created.len(), 1);
        assert_eq!(alerts(s).await, created);
    }
);
