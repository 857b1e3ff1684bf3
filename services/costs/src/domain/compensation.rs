//! A complaint's compensation or goodwill, approved: what it adds to its
//! dealer's cost of poor quality.

use aftercare_values::Period;
use serde::{Deserialize, Serialize};

use super::{
    scope::{Scope, ScopeLevel},
    tally::{TallyKey, keys},
};

/// Owed for a failure, or given for goodwill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CompensationKind {
    Compensation,
    Goodwill,
}

impl CompensationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CompensationKind::Compensation => "compensation",
            CompensationKind::Goodwill => "goodwill",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "compensation" => Some(CompensationKind::Compensation),
            "goodwill" => Some(CompensationKind::Goodwill),
            _ => None,
        }
    }

    /// The tally measure it adds to.
    pub fn measure(self) -> &'static str {
        match self {
            CompensationKind::Compensation => "copq.compensation",
            CompensationKind::Goodwill => "copq.goodwill",
        }
    }
}

/// An approved compensation, as the complaints process tells it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compensation {
    pub complaint_id: String,
    pub dealer_id: String,
    pub region_id: String,
    /// Empty when not known.
    pub station_id: String,
    pub repair_order_id: String,
    pub kind: CompensationKind,
    /// Positive, in minor units of the network's currency.
    pub amount: i64,
    /// Microseconds since the epoch: the period it counts in.
    pub approve_time: i64,
    pub approved_by: String,
}

impl Compensation {
    /// Its amount, for its dealer, the dealer's region and the network, in
    /// each of `periods` (those of its approval).
    pub fn tallies(&self, periods: &[Period]) -> Vec<(TallyKey, i64)> {
        let scopes = [
            Scope::new(ScopeLevel::Dealer, &self.dealer_id),
            Scope::new(ScopeLevel::Region, &self.region_id),
            Scope::network(),
        ];
        keys(&scopes, periods, self.kind.measure())
            .into_iter()
            .map(|k| (k, self.amount))
            .collect()
    }
}
