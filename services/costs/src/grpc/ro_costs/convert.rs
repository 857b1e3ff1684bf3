//! Repair-order costs → their messages.

use aftercare_proto::costs::v1 as pb;
use aftercare_values::Currency;

use crate::{
    domain::{
        costing::{LabourLineCost, PartsLineCost, RepairOrderCost},
        delivered::OrderType,
        summary::{CostSummary, PoorQualityCost},
    },
    grpc::{money, time},
};

fn order_type(t: OrderType) -> aftercare_proto::dealers::v1::RepairOrderType {
    use aftercare_proto::dealers::v1::RepairOrderType as T;
    match t {
        OrderType::Maintenance => T::Maintenance,
        OrderType::Repair => T::Repair,
        OrderType::Warranty => T::Warranty,
        OrderType::Recall => T::Recall,
    }
}

fn labour_line(l: LabourLineCost, currency: Currency) -> pb::LabourLineCost {
    pb::LabourLineCost {
        line_number: l.line_number,
        operation_code: l.operation_code,
        technician_id: l.technician_id,
        costed_centihours: l.costed_centihours,
        hourly_rate: money(l.hourly_rate, currency),
        cost: money(l.cost, currency),
    }
}

fn parts_line(l: PartsLineCost, currency: Currency) -> pb::PartsLineCost {
    pb::PartsLineCost {
        line_number: l.line_number,
        part_number: l.part_number,
        quantity: l.quantity,
        // Unset when parts knew no cost of the part at the arrival.
        unit_cost: l.unit_cost.and_then(|c| money(c, currency)),
        cost: money(l.cost, currency),
    }
}

pub(crate) fn repair_order_cost(c: RepairOrderCost, currency: Currency) -> pb::RepairOrderCost {
    let (total, margin, margin_bp) = (c.total_cost(), c.margin(), c.margin_bp());
    pb::RepairOrderCost {
        repair_order_id: c.repair_order_id,
        station_id: c.place.station_id,
        dealer_id: c.place.dealer_id,
        region_id: c.place.region_id,
        r#type: order_type(c.order_type) as i32,
        comeback: c.comeback,
        arrival_time: time(c.arrival_time),
        delivery_time: time(c.delivery_time),
        labour_lines: c
            .labour_lines
            .into_iter()
            .map(|l| labour_line(l, currency))
            .collect(),
        parts_lines: c
            .parts_lines
            .into_iter()
            .map(|l| parts_line(l, currency))
            .collect(),
        labour_cost: money(c.labour_cost, currency),
        parts_cost: money(c.parts_cost, currency),
        total_cost: money(total, currency),
        bill: money(c.bill, currency),
        margin: money(margin, currency),
        margin_bp,
        labour_rate_missing: c.labour_rate_missing,
    }
}

pub(crate) fn summary(
    s: &CostSummary,
    scope: pb::CostScope,
    period: aftercare_proto::common::v1::Period,
    currency: Currency,
) -> pb::CostSummary {
    pb::CostSummary {
        scope: Some(scope),
        period: Some(period),
        repair_orders: s.repair_orders,
        labour_cost: money(s.labour_cost, currency),
        parts_cost: money(s.parts_cost, currency),
        total_cost: money(s.total_cost(), currency),
        bill: money(s.bill, currency),
        margin: money(s.margin(), currency),
        margin_bp: s.margin_bp(),
        cost_per_repair_order: s.cost_per_repair_order().and_then(|c| money(c, currency)),
        claim_rate_centi: s.claim_rate_centi(),
    }
}

pub(crate) fn poor_quality(
    q: &PoorQualityCost,
    dealer_id: String,
    period: aftercare_proto::common::v1::Period,
    currency: Currency,
) -> pb::PoorQualityCost {
    pb::PoorQualityCost {
        dealer_id,
        period: Some(period),
        comebacks: money(q.comebacks, currency),
        comeback_count: q.comeback_count,
        warranty_rework: money(q.warranty_rework, currency),
        warranty_rework_count: q.warranty_rework_count,
        compensation: money(q.compensation, currency),
        goodwill: money(q.goodwill, currency),
        // Checked by the use case.
        total: money(q.total().unwrap_or_default(), currency),
    }
}
