//! Improvement plans: proto ↔ domain.

use aftercare_edge::{fields, invalid_argument};
use aftercare_proto::{common::v1 as common, surveys::v1 as pb};
use aftercare_values::{FieldViolation, Period};
use prost_types::Timestamp;
use tonic::Status;

use super::super::opt_time;
use crate::{
    domain::{
        improvement::{Attribute, Check, Figure, Focus, Verdict},
        plan::{Goal, Plan, PlanAttribute, PlanState},
    },
    events::message::time,
};

pub(super) fn period_pb(p: Period) -> common::Period {
    let (kind, year, number) = p.parts();
    common::Period {
        kind: kind as i32,
        year,
        number,
    }
}

/// The goals of a request, in `field`.
pub(super) fn goals(goals: Vec<pb::PlanGoal>, field: &str) -> Result<Vec<Goal>, Status> {
    goals
        .into_iter()
        .map(|g| {
            let attribute = Attribute::parse(&g.attribute_id).ok_or_else(|| {
                invalid_argument(FieldViolation::new(
                    field,
                    format!(
                        "{:?} is not an attribute id (see the contract)",
                        g.attribute_id
                    ),
                ))
            })?;
            Ok(Goal {
                attribute,
                target: g.target,
            })
        })
        .collect()
}

/// A required time in `field`.
pub(super) fn required_time(t: Option<Timestamp>, field: &str) -> Result<i64, Status> {
    let t = aftercare_edge::required(t, field)?;
    fields::micros(&t)
        .ok_or_else(|| invalid_argument(FieldViolation::new(field, "is not a valid time")))
}

/// A required free text (an owner) in `field`: 1 to 200 characters.
pub(super) fn text(v: &str, field: &str) -> Result<String, Status> {
    let v = v.trim();
    if v.is_empty() || v.chars().count() > 200 {
        return Err(invalid_argument(FieldViolation::new(
            field,
            "must be 1 to 200 characters",
        )));
    }
    Ok(v.to_owned())
}

pub(super) fn state(s: i32, field: &str) -> Result<Option<PlanState>, Status> {
    match pb::ImprovementPlanState::try_from(s) {
        Ok(pb::ImprovementPlanState::Unspecified) => Ok(None),
        Ok(pb::ImprovementPlanState::Open) => Ok(Some(PlanState::Open)),
        Ok(pb::ImprovementPlanState::Checked) => Ok(Some(PlanState::Checked)),
        Ok(pb::ImprovementPlanState::Cancelled) => Ok(Some(PlanState::Cancelled)),
        Err(_) => Err(invalid_argument(FieldViolation::new(
            field,
            "is not an improvement plan state",
        ))),
    }
}

fn state_pb(s: PlanState) -> pb::ImprovementPlanState {
    match s {
        PlanState::Open => pb::ImprovementPlanState::Open,
        PlanState::Checked => pb::ImprovementPlanState::Checked,
        PlanState::Cancelled => pb::ImprovementPlanState::Cancelled,
    }
}

fn verdict_pb(v: Verdict) -> pb::ImprovementVerdict {
    match v {
        Verdict::Improved => pb::ImprovementVerdict::Improved,
        Verdict::NoChange => pb::ImprovementVerdict::NoChange,
        Verdict::Worse => pb::ImprovementVerdict::Worse,
        Verdict::InsufficientSample => pb::ImprovementVerdict::InsufficientSample,
    }
}

fn figure(f: Figure) -> pb::AttributeFigure {
    pb::AttributeFigure {
        attribute_id: f.attribute.to_string(),
        value: f.value,
        sample_size: f.sample_size as i64,
        network_value: f.network_value,
        network_sample_size: f.network_sample_size as i64,
    }
}

pub(super) fn focus(dealer_id: String, period: Period, f: Focus) -> pb::ImprovementFocus {
    let all = |v: Vec<Figure>| v.into_iter().map(figure).collect();
    pb::ImprovementFocus {
        dealer_id,
        period: Some(period_pb(period)),
        items: all(f.items),
        dimensions: all(f.dimensions),
        factors: all(f.factors),
    }
}

fn check(c: Check) -> pb::AttributeCheck {
    pb::AttributeCheck {
        value: c.value,
        sample_size: c.sample_size as i64,
        difference: c.difference,
        difference_low: c.interval.map(|i| i.0),
        difference_high: c.interval.map(|i| i.1),
        verdict: verdict_pb(c.verdict).into(),
        goal_reached: c.goal_reached,
    }
}

fn attribute(a: PlanAttribute) -> pb::PlanAttribute {
    pb::PlanAttribute {
        attribute_id: a.attribute.to_string(),
        baseline_value: a.baseline_value,
        baseline_sample_size: a.baseline_sample_size as i64,
        target: a.target,
        check: a.check.map(check),
    }
}

impl From<Plan> for pb::ImprovementPlan {
    fn from(p: Plan) -> Self {
        let micros = aftercare_db::timestamp::to_micros;
        pb::ImprovementPlan {
            etag: p.meta.etag(),
            create_time: time(micros(p.meta.create_time)),
            update_time: time(micros(p.meta.update_time)),
            id: p.id,
            dealer_id: p.dealer_id,
            region_id: p.region_id,
            state: state_pb(p.state).into(),
            attributes: p.attributes.into_iter().map(attribute).collect(),
            baseline_period: Some(period_pb(p.baseline_period)),
            check_period: Some(period_pb(p.check_period)),
            owner: p.owner,
            deadline: time(p.deadline),
            check_due_time: time(p.check_due_time),
            met: p.met,
            check_time: opt_time(p.check_time),
            checked_by: p.checked_by.unwrap_or_default(),
        }
    }
}

pub(super) fn etag(v: &str, field: &str) -> Result<Option<i64>, Status> {
    aftercare_values::resource::parse_optional_etag(v)
        .map_err(|e| invalid_argument(FieldViolation::new(field, e.to_string())))
}
