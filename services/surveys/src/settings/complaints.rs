//! Complaints' settings: hours to the first response and to the resolution
//! per severity, the escalation sweep's tick, and how long a customer who
//! cannot be reached is waited for before closing.

use serde::Deserialize;

use crate::{
    domain::complaint::{Deadline, Deadlines},
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
            ..ComplaintRules::default()
        }
    }
}
