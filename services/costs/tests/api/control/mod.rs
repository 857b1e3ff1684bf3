//! Cost control through its gRPC contract: entries, budgets, reports and
//! alerts, on a small network the dealers service knows.
//!
//! The network: regions north and south; dealers d1 and d2 in north, d3 in
//! south; stations s1 and s2 of d1, s3 of d2, s4 of d3.

mod access;
mod alerts;
mod bad_input;
mod budgets;
mod entries;
mod seed;

use aftercare_auth::Principal;
use aftercare_proto::{
    common::v1 as common,
    costs::v1::{
        self as pb, CostCategory, ScopeLevel, cost_control_service_client::CostControlServiceClient,
    },
};
use aftercare_test_support::{Outcome, Signed};
use tonic::{Response, Status};

pub(crate) use crate::support::{Harness, who};

pub(crate) type Client = CostControlServiceClient<Signed>;

/// Cost control as `principal`.
pub(crate) fn control(h: &Harness, principal: Principal) -> Client {
    CostControlServiceClient::new(h.signed(principal))
}

pub(crate) fn rid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The network of this suite's tests, made in the dealers service.
pub(crate) async fn network(h: &Harness) {
    h.build_network(&[
        ("s1", "d1", "north"),
        ("s2", "d1", "north"),
        ("s3", "d2", "north"),
        ("s4", "d3", "south"),
    ])
    .await;
}

pub(crate) fn eur(minor_units: i64) -> Option<common::Money> {
    Some(common::Money {
        currency_code: "EUR".into(),
        minor_units,
    })
}

pub(crate) fn month(year: i32, number: i32) -> Option<common::Period> {
    Some(common::Period {
        kind: common::PeriodKind::Month as i32,
        year,
        number,
    })
}

pub(crate) fn quarter(year: i32, number: i32) -> Option<common::Period> {
    Some(common::Period {
        kind: common::PeriodKind::Quarter as i32,
        year,
        number,
    })
}

pub(crate) fn year(year: i32) -> Option<common::Period> {
    Some(common::Period {
        kind: common::PeriodKind::Year as i32,
        year,
        number: 0,
    })
}

pub(crate) fn scope(level: ScopeLevel, id: &str) -> Option<pb::CostScope> {
    Some(pb::CostScope {
        level: level as i32,
        id: id.into(),
    })
}

pub(crate) fn dealer(id: &str) -> Option<pb::CostScope> {
    scope(ScopeLevel::Dealer, id)
}

pub(crate) fn region(id: &str) -> Option<pb::CostScope> {
    scope(ScopeLevel::Region, id)
}

pub(crate) fn network_scope() -> Option<pb::CostScope> {
    scope(ScopeLevel::Network, "")
}

/// An entry of `amount` at `station` in `period` (a month), of the
/// category's usual behaviour.
pub(crate) fn entry(
    station: &str,
    period: Option<common::Period>,
    category: CostCategory,
    amount: i64,
) -> pb::CostEntry {
    pb::CostEntry {
        station_id: station.into(),
        month: period,
        category: category as i32,
        amount: eur(amount),
        ..Default::default()
    }
}

pub(crate) fn create_request(e: pb::CostEntry) -> pb::CreateCostEntryRequest {
    pb::CreateCostEntryRequest {
        entry: Some(e),
        request_id: rid(),
    }
}

pub(crate) async fn create(
    c: &Client,
    e: pb::CostEntry,
) -> Result<Response<pb::CostEntry>, Status> {
    c.clone().create_cost_entry(create_request(e)).await
}

pub(crate) fn budget_request(
    scope: Option<pb::CostScope>,
    category: CostCategory,
    period: Option<common::Period>,
    amount: i64,
) -> pb::SetBudgetRequest {
    pb::SetBudgetRequest {
        budget: Some(pb::Budget {
            scope,
            category: category as i32,
            period,
            amount: eur(amount),
            ..Default::default()
        }),
        etag: String::new(),
        request_id: rid(),
    }
}

/// Sets a budget as head office.
pub(crate) async fn set_budget(
    h: &Harness,
    scope: Option<pb::CostScope>,
    category: CostCategory,
    period: Option<common::Period>,
    amount: i64,
) -> pb::Budget {
    control(h, who::oem())
        .set_budget(budget_request(scope, category, period, amount))
        .await
        .answer()
}

pub(crate) async fn report(
    h: &Harness,
    scope: Option<pb::CostScope>,
    period: Option<common::Period>,
) -> pb::CostReport {
    control(h, who::oem())
        .get_cost_report(pb::GetCostReportRequest { scope, period })
        .await
        .answer()
}

/// The report line of `category`, if the report has one.
pub(crate) fn line(r: &pb::CostReport, category: CostCategory) -> Option<pb::CostReportLine> {
    r.lines
        .iter()
        .find(|l| l.category == category as i32)
        .cloned()
}

pub(crate) fn minor(m: &Option<common::Money>) -> Option<i64> {
    m.as_ref().map(|m| m.minor_units)
}

/// The contract's category of a domain category (the same names).
pub(crate) fn convert_category(c: aftercare_costs::domain::cost_entry::Category) -> CostCategory {
    CostCategory::from_str_name(&format!("COST_CATEGORY_{}", c.as_str()))
        .expect("a category of the contract")
}

/// Every alert head office sees, from the start of the feed.
pub(crate) async fn all_alerts(h: &Harness) -> Vec<pb::CostAlert> {
    control(h, who::oem())
        .list_cost_alerts(pb::ListCostAlertsRequest {
            page_size: 1000,
            ..Default::default()
        })
        .await
        .answer()
        .alerts
}
