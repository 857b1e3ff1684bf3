//! The dealer scorecard: domain ↔ proto.

use aftercare_proto::{common::v1 as common, surveys::v1 as pb};

use crate::{
    domain::scorecard::{Figures, Part, Section, WeightsVersion},
    events::message::time,
    usecases::Scorecard,
};

fn part_pb(part: Part) -> pb::ScorecardPart {
    match part {
        Part::Satisfaction => pb::ScorecardPart::Satisfaction,
        Part::Standards => pb::ScorecardPart::Standards,
        Part::Comebacks => pb::ScorecardPart::Comebacks,
        Part::FillRate => pb::ScorecardPart::FillRate,
        Part::RequiredStock => pb::ScorecardPart::RequiredStock,
        Part::Costs => pb::ScorecardPart::Costs,
        Part::Complaints => pb::ScorecardPart::Complaints,
    }
}

fn part_of(value: i32) -> Option<Part> {
    Part::ALL.into_iter().find(|p| part_pb(*p) as i32 == value)
}

/// The weights as given, each part parsed (none: not a part).
pub(super) fn weights_in(w: &pb::ScorecardWeights) -> Vec<(Option<Part>, i64)> {
    w.weights
        .iter()
        .map(|w| (part_of(w.part), i64::from(w.weight)))
        .collect()
}

pub(super) fn weights_out(v: &WeightsVersion) -> pb::ScorecardWeights {
    pb::ScorecardWeights {
        version: v.version,
        weights: Part::ALL
            .into_iter()
            .map(|p| pb::ScorecardWeight {
                part: part_pb(p) as i32,
                weight: v.weights.of(p) as i32,
            })
            .collect(),
        effective_time: time(v.effective_time),
    }
}

fn period_pb(period: aftercare_values::Period) -> common::Period {
    let (kind, year, number) = period.parts();
    common::Period {
        kind: kind as i32,
        year,
        number,
    }
}

fn money(currency: &str, minor_units: i64) -> common::Money {
    common::Money {
        currency_code: currency.to_owned(),
        minor_units,
    }
}

fn figures(f: &Figures) -> pb::scorecard_section::Figures {
    use pb::scorecard_section::Figures as F;
    let bp = |v: u32| v as i32;
    match f {
        Figures::Satisfaction(s) => F::Satisfaction(pb::SatisfactionFigures {
            satisfaction_rate_bp: s.rate_bp.map(bp),
            service_index: s.service_index,
            nps: s.nps,
            sample_size: s.sample as i64,
        }),
        Figures::Standards(s) => F::Standards(pb::StandardsFigures {
            met: s.met as i64,
            missed: s.missed as i64,
            rate_bp: s.rate_bp().map(bp),
            standards: s.standards as i32,
            key_only: s.key_only,
        }),
        Figures::Comebacks(c) => F::Comebacks(pb::ComebackFigures {
            comebacks: c.comebacks as i64,
            repair_orders: c.repair_orders as i64,
            rate_bp: c.rate_bp().map(bp),
        }),
        Figures::FillRate(f) => F::FillRate(pb::FillRateFigures {
            lines_asked: f.lines_asked as i64,
            lines_served_at_once: f.lines_served_at_once as i64,
            rate_bp: bp(f.rate_bp),
        }),
        Figures::RequiredStock(r) => F::RequiredStock(pb::RequiredStockFigures {
            stations: r.stations as i32,
            items_required: r.items_required as i32,
            items_met: r.items_met as i32,
            rate_bp: bp(r.rate_bp),
        }),
        Figures::Costs(c) => F::Costs(pb::CostFigures {
            repair_orders: c.repair_orders as i64,
            cost_per_repair_order: c.cost_per_repair_order.map(|m| money(&c.currency, m)),
            margin: Some(money(&c.currency, c.margin)),
            margin_bp: c.margin_bp,
            claim_rate_centi: c.claim_rate_centi,
        }),
        Figures::Complaints(c) => F::Complaints(pb::ComplaintFigures {
            complaints: c.complaints as i64,
            repair_orders: c.repair_orders as i64,
            per_100_repair_orders_centi: c.per_100_centi(),
            standard: Some(crate::grpc::complaints::standard(c.standard)),
        }),
    }
}

fn section(s: &Section) -> pb::ScorecardSection {
    match s {
        Section::Present { figures: f, score } => pb::ScorecardSection {
            part: part_pb(f.part()) as i32,
            missing_reason: String::new(),
            score: Some(*score as i32),
            figures: Some(figures(f)),
        },
        Section::Missing { part, reason } => pb::ScorecardSection {
            part: part_pb(*part) as i32,
            missing_reason: reason.clone(),
            score: None,
            figures: None,
        },
    }
}

pub(super) fn scorecard(card: &Scorecard) -> pb::DealerScorecard {
    pb::DealerScorecard {
        dealer_id: card.dealer_id.clone(),
        period: Some(period_pb(card.period)),
        sections: card.sections.iter().map(section).collect(),
        missing_parts: card
            .sections
            .iter()
            .filter(|s| s.score().is_none())
            .map(|s| part_pb(s.part()) as i32)
            .collect(),
        composite: Some(pb::ScorecardComposite {
            value: card.composite.value.map(|v| v as i32),
            weights_version: card.weights_version,
            parts_used: card
                .composite
                .parts_used
                .iter()
                .map(|p| part_pb(*p) as i32)
                .collect(),
        }),
        gather_time: time(card.gather_time),
        corrective_actions: card
            .corrective_actions
            .iter()
            .map(|a| pb::CorrectiveAction {
                station_id: a.station_id.clone(),
                complaint_id: a.complaint_id.clone(),
                repair_order_id: a.repair_order_id.clone().unwrap_or_default(),
                class: crate::grpc::complaints::class_pb(a.class).into(),
                cause: a.cause.clone(),
                root_cause: a.root_cause.clone(),
                corrective_action: a.corrective_action.clone(),
                close_time: time(a.close_time),
            })
            .collect(),
    }
}
