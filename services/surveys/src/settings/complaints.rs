//! Complaints' settings: hours to the first response and to the resolution
//! per severity, the escalation sweep's tick, and how long a customer who
//! cannot be reached is waited for before closing; who approves what
//! payment, and the complaints' own standard.

use serde::Deserialize;

use crate::{
    domain::complaint::{Deadline, Deadlines, compensation::Limits, report::StandardRule},
    usecases::ComplaintRules,
};

/// Hours to the first response and to the resolution.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineHours {
    pub response_hours: i64,
    pub resolution_hours: i64,
}

impl From<Deadline> for DeadlineHours {
    fn from(d: Deadline) -> Self {
        Self {
            response_hours: d.response_secs / 3600,
            resolution_hours: d.resolution_secs / 3600,
        }
    }
}

impl From<DeadlineHours> for Deadline {
    fn from(h: DeadlineHours) -> Self {
        Self {
            response_secs: h.response_hours.max(1) * 3600,
            resolution_secs: h.resolution_hours.max(1) * 3600,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ComplaintSettings {
    pub critical: DeadlineHours,
    pub high: DeadlineHours,
    pub medium: DeadlineHours,
    pub low: DeadlineHours,
    /// How often, in seconds, the escalation sweep runs.
    pub sweep_secs: u64,
    /// Days after the resolution when a complaint whose customer cannot be
    /// reached may be closed.
    pub close_unreached_days: i64,
    /// The largest payment (minor units) the dealer's staff approve.
    pub compensation_dealer_limit: i64,
    /// The largest payment the region manager approves; head office any.
    pub compensation_region_limit: i64,
    /// The network's currency (ISO 4217): payments are in it.
    pub currency: String,
    /// The complaints' standard: a first response within these hours.
    pub standard_response_hours: i64,
    /// The standard's target rate, in basis points.
    pub standard_target_bp: u32,
}

impl Default for ComplaintSettings {
    fn default() -> Self {
        let d = Deadlines::default();
        let r = ComplaintRules::default();
        Self {
            critical: d.critical.into(),
            high: d.high.into(),
            medium: d.medium.into(),
            low: d.low.into(),
            sweep_secs: r.sweep_every.as_secs(),
            close_unreached_days: r.close_unreached_days,
            compensation_dealer_limit: r.limits.dealer,
            compensation_region_limit: r.limits.region,
            currency: r.currency,
            standard_response_hours: r.standard.within_secs / 3600,
            standard_target_bp: r.standard.target_bp,
        }
    }
}

impl ComplaintSettings {
    pub fn rules(&self) -> ComplaintRules {
        ComplaintRules {
            deadlines: Deadlines {
                critical: self.critical.into(),
                high: self.high.into(),
                medium: self.medium.into(),
                low: self.low.into(),
            },
            close_unreached_days: self.close_unreached_days.max(0),
            sweep_every: std::time::Duration::from_secs(self.sweep_secs.max(1)),
            limits: Limits {
                dealer: self.compensation_dealer_limit.max(0),
                region: self
                    .compensation_region_limit
                    .max(self.compensation_dealer_limit),
            },
            standard: StandardRule {
                within_secs: self.standard_response_hours.max(1) * 3600,
                target_bp: self.standard_target_bp.min(10_000),
            },
            currency: self.currency.clone(),
            ..ComplaintRules::default()
        }
    }
}
