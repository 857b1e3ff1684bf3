//! An improvement plan of a dealer: attributes with baselines and targets,
//! an owner, a deadline, a check period, and the check once it is over
//! (docs/improvement-plans.md). The statistics are in [`super::improvement`].

use aftercare_auth::{Denied, Principal, Scope};
use aftercare_values::{Period, resource::Meta};
use serde::{Deserialize, Serialize};

use super::improvement::{Attribute, Check, Moments, Verdict};

/// Plans follow at most this many attributes.
pub const MAX_ATTRIBUTES: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlanState {
    Open,
    Checked,
    Cancelled,
}

impl PlanState {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanState::Open => "open",
            PlanState::Checked => "checked",
            PlanState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<PlanState> {
        [PlanState::Open, PlanState::Checked, PlanState::Cancelled]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// One attribute of a plan: its baseline, its target, and its check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanAttribute {
    pub attribute: Attribute,
    pub baseline_value: Option<f64>,
    pub baseline_sample_size: u64,
    /// The baseline's moments, kept for the check's interval: the plan is
    /// judged against the baseline it was made on.
    pub baseline: Moments,
    pub target: f64,
    pub check: Option<Check>,
}

/// A chosen attribute and the value it is to reach.
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    pub attribute: Attribute,
    pub target: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub id: String,
    pub dealer_id: String,
    pub region_id: String,
    pub state: PlanState,
    pub attributes: Vec<PlanAttribute>,
    pub baseline_period: Period,
    pub check_period: Period,
    pub owner: String,
    pub deadline: i64,
    pub check_due_time: i64,
    pub met: Option<bool>,
    pub check_time: Option<i64>,
    pub checked_by: Option<String>,
    pub meta: Meta,
}

/// Why goals or periods are refused: (field, reason).
pub type Refusal = (&'static str, String);

/// Checks the goals of a new plan: one to [`MAX_ATTRIBUTES`], each
/// attribute once, finite targets.
pub fn check_goals(goals: &[Goal]) -> Result<(), Refusal> {
    if goals.is_empty() || goals.len() > MAX_ATTRIBUTES {
        return Err((
            "goals",
            format!("must name 1 to {MAX_ATTRIBUTES} attributes"),
        ));
    }
    for (i, g) in goals.iter().enumerate() {
        if goals[..i].iter().any(|o| o.attribute == g.attribute) {
            return Err(("goals", format!("{} is named twice", g.attribute)));
        }
        if !g.target.is_finite() {
            return Err((
                "goals",
                format!("the target of {} must be a number", g.attribute),
            ));
        }
    }
    Ok(())
}

/// The check period: the one given, which must start after the baseline
/// ends, or the period after the baseline.
pub fn check_period(baseline: Period, given: Option<Period>) -> Result<Period, Refusal> {
    match given {
        None => Ok(baseline.next()),
        Some(p) if p.first_day() >= baseline.end_day() => Ok(p),
        Some(_) => Err((
            "check_period",
            "must start after the baseline period ends".into(),
        )),
    }
}

impl Plan {
    /// May it still change (goal, owner, deadline, cancel, check)?
    pub fn is_open(&self) -> bool {
        self.state == PlanState::Open
    }

    /// Sets the targets of `goals` (attributes the plan follows).
    pub fn retarget(&mut self, goals: &[Goal]) -> Result<(), Refusal> {
        for g in goals {
            if !g.target.is_finite() {
                return Err((
                    "goals",
                    format!("the target of {} must be a number", g.attribute),
                ));
            }
            let Some(a) = self
                .attributes
                .iter_mut()
                .find(|a| a.attribute == g.attribute)
            else {
                return Err(("goals", format!("the plan does not follow {}", g.attribute)));
            };
            a.target = g.target;
        }
        Ok(())
    }

    /// Records the checks (in the order of the attributes): checked, and
    /// met when every attribute improved and reached its target.
    pub fn record_check(&mut self, checks: Vec<Check>, at: i64, by: &str) {
        for (a, c) in self.attributes.iter_mut().zip(checks) {
            a.check = Some(c);
        }
        let met = self.attributes.iter().all(|a| {
            a.check
                .as_ref()
                .is_some_and(|c| c.verdict == Verdict::Improved && c.goal_reached)
        });
        self.state = PlanState::Checked;
        self.met = Some(met);
        self.check_time = Some(at);
        self.checked_by = Some(by.to_owned());
    }
}

/// Does `principal` see the plans of dealer `dealer_id` in `region_id`?
/// Head office all, a region manager its region's, the dealer's staff and
/// DMS their own dealer's.
pub fn sees(principal: &Principal, dealer_id: &str, region_id: &str) -> bool {
    match &principal.scope {
        Scope::Oem => true,
        Scope::Region { region_id: own } => own == region_id,
        Scope::Dealer { dealer_id: own, .. } | Scope::Dms { dealer_id: own } => own == dealer_id,
        Scope::SurveyLink { .. } => false,
    }
}

/// May `principal` create, change, cancel or check the plans of a dealer it
/// sees? Head office, the region manager and the dealer's staff; a DMS only
/// reads them.
pub fn check_change(principal: &Principal, dealer_id: &str, region_id: &str) -> Result<(), Denied> {
    if !sees(principal, dealer_id, region_id) {
        return Err(Denied::Invisible);
    }
    match principal.scope {
        Scope::Oem | Scope::Region { .. } | Scope::Dealer { .. } => Ok(()),
        _ => Err(Denied::NotAllowed(
            "only the dealer's staff, its region manager or head office may change its plans",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn goal(id: &str, target: f64) -> Goal {
        Goal {
            attribute: Attribute::parse(id).unwrap(),
            target,
        }
    }

    #[test]
    fn goals_name_each_attribute_once() {
        assert!(check_goals(&[goal("service_index", 800.0)]).is_ok());
        assert_eq!(check_goals(&[]).unwrap_err().0, "goals");
        let twice = [goal("item:tan-1", 0.0), goal("item:tan-1", 1.0)];
        assert_eq!(check_goals(&twice).unwrap_err().0, "goals");
        assert!(check_goals(&[goal("service_index", f64::NAN)]).is_err());
    }

    #[test]
    fn the_check_period_follows_the_baseline() {
        let nov: Period = "2026-11".parse().unwrap();
        let dec: Period = "2026-12".parse().unwrap();
        assert_eq!(check_period(nov, None), Ok(dec));
        assert_eq!(check_period(nov, Some(dec)), Ok(dec));
        assert_eq!(check_period(nov, Some(nov)).unwrap_err().0, "check_period");
    }
}
