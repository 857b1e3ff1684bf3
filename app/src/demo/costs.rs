//! The costs of the network: labour cost rates from the start of last
//! year, the warranty rate and terms per model, this month's budgets per
//! dealer and each station's cost entries (one station over its utilities
//! budget).

use aftercare_auth::Scope;
use aftercare_proto::costs::v1::{
    self as costs_pb, cost_control_service_client::CostControlServiceClient,
    cost_rate_service_client::CostRateServiceClient,
};
use time::OffsetDateTime;

use super::{Channels, STATIONS, eur, month_of, staff, timestamp};

/// Rates from the start of last year, warranty terms per model, this
/// month's budgets and cost entries.
pub(super) async fn costs(c: &Channels, now: OffsetDateTime) -> anyhow::Result<()> {
    let since = timestamp(now - time::Duration::days(400));
    let mut rates = CostRateServiceClient::new(c.signed(&c.costs, Scope::Oem));
    rates
        .set_labour_cost_rate(costs_pb::SetLabourCostRateRequest {
            rate: Some(costs_pb::LabourCostRate {
                station_id: String::new(),
                effective_time: since,
                hourly_cost: eur(4_200),
                ..Default::default()
            }),
            request_id: "demo-rate-network".into(),
        })
        .await?;
    for (n, (station, ..)) in STATIONS.iter().enumerate().take(3) {
        rates
            .set_labour_cost_rate(costs_pb::SetLabourCostRateRequest {
                rate: Some(costs_pb::LabourCostRate {
                    station_id: (*station).into(),
                    effective_time: since,
                    hourly_cost: eur(4_500 + 300 * n as i64),
                    ..Default::default()
                }),
                request_id: format!("demo-rate-{station}"),
            })
            .await?;
    }
    rates
        .set_warranty_labour_rate(costs_pb::SetWarrantyLabourRateRequest {
            rate: Some(costs_pb::WarrantyLabourRate {
                effective_time: since,
                hourly_rate: eur(9_600),
                ..Default::default()
            }),
            request_id: "demo-warranty-rate".into(),
        })
        .await?;
    for model in ["CITY-E", "FAMILY-5", "VAN-E1", "TRIKE-3"] {
        rates
            .set_warranty_terms(costs_pb::SetWarrantyTermsRequest {
                terms: Some(costs_pb::WarrantyTerms {
                    model: model.into(),
                    effective_date: Some(aftercare_proto::google::r#type::Date {
                        year: 2020,
                        month: 1,
                        day: 1,
                    }),
                    months: 36,
                    kilometres: 100_000,
                    ..Default::default()
                }),
                request_id: format!("demo-terms-{model}"),
            })
            .await?;
    }

    let month = month_of(now);
    let mut control = CostControlServiceClient::new(c.signed(&c.costs, Scope::Oem));
    let dealers = [
        "harbour-motors",
        "alpine-cars",
        "lakeside-auto",
        "rhine-vehicles",
    ];
    for (n, dealer) in dealers.iter().enumerate() {
        let budgets = [
            (costs_pb::CostCategory::Warranty, 60_000 + 20_000 * n as i64),
            (costs_pb::CostCategory::Premises, 800_000),
            (costs_pb::CostCategory::Utilities, 90_000),
        ];
        for (category, amount) in budgets {
            control
                .set_budget(costs_pb::SetBudgetRequest {
                    budget: Some(costs_pb::Budget {
                        scope: Some(costs_pb::CostScope {
                            level: costs_pb::ScopeLevel::Dealer as i32,
                            id: (*dealer).into(),
                        }),
                        category: category as i32,
                        period: Some(month),
                        amount: eur(amount),
                        ..Default::default()
                    }),
                    request_id: format!("demo-budget-{dealer}-{}", category as i32),
                    ..Default::default()
                })
                .await?;
        }
    }
    for (n, (station, dealer, _)) in STATIONS.iter().enumerate() {
        let mut own = CostControlServiceClient::new(c.signed(&c.costs, staff(dealer)));
        let entries = [
            (costs_pb::CostCategory::Premises, 380_000, 0, None),
            (costs_pb::CostCategory::BaseSalaries, 1_450_000, 0, None),
            (
                costs_pb::CostCategory::Consumables,
                42_000 + 3_000 * n as i64,
                0,
                None,
            ),
            // A standing charge plus consumption; one station runs over.
            (
                costs_pb::CostCategory::Utilities,
                if n == 4 { 98_000 } else { 41_000 },
                15_000,
                Some(costs_pb::CostDriver {
                    name: "kwh".into(),
                    quantity: 6_500,
                }),
            ),
        ];
        for (category, amount, fixed, driver) in entries {
            let semi = driver.is_some();
            own.create_cost_entry(costs_pb::CreateCostEntryRequest {
                entry: Some(costs_pb::CostEntry {
                    station_id: (*station).into(),
                    month: Some(month),
                    category: category as i32,
                    behaviour: if semi {
                        costs_pb::CostBehaviour::SemiVariable as i32
                    } else {
                        0
                    },
                    amount: eur(amount),
                    fixed_amount: semi.then(|| eur(fixed)).flatten(),
                    driver,
                    description: "monthly close".into(),
                    ..Default::default()
                }),
                request_id: format!("demo-entry-{station}-{}", category as i32),
            })
            .await?;
        }
    }
    Ok(())
}
