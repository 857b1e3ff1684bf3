//! What a delivered RO cost and earned: labour at the station's cost rate,
//! issued parts at their cost, both in force at the RO's arrival; the
//! margin against the bill. The worked examples are in `docs/costing.md`,
//! "RO cost and margin".

use std::collections::HashMap;

use aftercare_values::Period;
use serde::{Deserialize, Serialize};

use super::{
    amounts::{basis_points, per_centihours, sum},
    delivered::{Delivered, OrderType},
    scope::Place,
    tally::{TallyKey, keys},
};

/// One labour line as costed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabourLineCost {
    pub line_number: i32,
    pub operation_code: String,
    pub technician_id: String,
    /// The hours worked in hundredths, or the standard hours when none were
    /// recorded.
    pub costed_centihours: i32,
    /// The station's labour cost per hour at the arrival (0 when none).
    pub hourly_rate: i64,
    pub cost: i64,
}

/// One issued parts line as costed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartsLineCost {
    pub line_number: i32,
    pub part_number: String,
    pub quantity: i64,
    /// The part's cost at the arrival; `None` when parts knows no cost of
    /// the part then (the line is costed at zero).
    pub unit_cost: Option<i64>,
    pub cost: i64,
}

/// What one delivered RO cost, and its bill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepairOrderCost {
    pub repair_order_id: String,
    pub place: Place,
    pub order_type: OrderType,
    pub comeback: bool,
    /// Microseconds since the epoch.
    pub arrival_time: i64,
    pub delivery_time: i64,
    pub labour_lines: Vec<LabourLineCost>,
    pub parts_lines: Vec<PartsLineCost>,
    pub labour_cost: i64,
    pub parts_cost: i64,
    pub bill: i64,
    /// No labour cost rate was in force at the arrival: labour costs zero.
    pub labour_rate_missing: bool,
}

/// An RO whose amounts do not fit: refused rather than wrapped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the repair order's costs are out of range")]
pub struct OutOfRange;

impl RepairOrderCost {
    pub fn total_cost(&self) -> i64 {
        self.labour_cost.saturating_add(self.parts_cost)
    }

    pub fn margin(&self) -> i64 {
        self.bill.saturating_sub(self.total_cost())
    }

    /// The margin in basis points of the bill; `None` when the bill is zero.
    pub fn margin_bp(&self) -> Option<i64> {
        basis_points(self.margin(), self.bill)
    }

    /// The hours costed, in hundredths.
    pub fn costed_centihours(&self) -> i64 {
        self.labour_lines
            .iter()
            .map(|l| i64::from(l.costed_centihours))
            .sum()
    }

    /// The amounts this RO adds to the tallies of its station, dealer,
    /// region and the network in each of `periods` (those of its delivery).
    /// A comeback counts in the cost of poor quality: as warranty rework
    /// when it is a warranty RO, as a comeback otherwise.
    pub fn tallies(&self, periods: &[Period]) -> Vec<(TallyKey, i64)> {
        let scopes = self.place.scopes();
        let mut measures = vec![
            ("ro.count", 1),
            ("ro.labour_cost", self.labour_cost),
            ("ro.parts_cost", self.parts_cost),
            ("ro.bill", self.bill),
            ("ro.centihours", self.costed_centihours()),
        ];
        if self.comeback {
            let (count, cost) = if self.order_type == OrderType::Warranty {
                ("ro.warranty_rework.count", "ro.warranty_rework.cost")
            } else {
                ("ro.comeback.count", "ro.comeback.cost")
            };
            measures.extend([(count, 1), (cost, self.total_cost())]);
        }
        measures
            .into_iter()
            .flat_map(|(measure, amount)| {
                keys(&scopes, periods, measure)
                    .into_iter()
                    .map(move |k| (k, amount))
            })
            .collect()
    }
}

/// Costs `d`: its labour lines at `hourly_rate` (the station's in force at
/// the arrival; `None` costs them at zero and says so), its issued parts
/// lines at `unit_costs` (part number → cost at the arrival; a part
/// missing there costs zero).
pub fn cost(
    d: &Delivered,
    hourly_rate: Option<i64>,
    unit_costs: &HashMap<String, i64>,
) -> Result<RepairOrderCost, OutOfRange> {
    let rate = hourly_rate.unwrap_or(0);
    let labour_lines = d
        .labour
        .iter()
        .map(|l| {
            let hours = if l.actual_centihours > 0 {
                l.actual_centihours
            } else {
                l.standard_centihours
            };
            Ok(LabourLineCost {
                line_number: l.line_number,
                operation_code: l.operation_code.clone(),
                technician_id: l.technician_id.clone(),
                costed_centihours: hours,
                hourly_rate: rate,
                cost: per_centihours(rate, i64::from(hours)).ok_or(OutOfRange)?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let parts_lines = d
        .parts
        .iter()
        .map(|l| {
            let unit_cost = unit_costs.get(&l.part_number).copied();
            Ok(PartsLineCost {
                line_number: l.line_number,
                part_number: l.part_number.clone(),
                quantity: l.quantity,
                unit_cost,
                cost: unit_cost
                    .unwrap_or(0)
                    .checked_mul(l.quantity)
                    .ok_or(OutOfRange)?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let labour_cost = sum(labour_lines.iter().map(|l| l.cost)).ok_or(OutOfRange)?;
    let parts_cost = sum(parts_lines.iter().map(|l| l.cost)).ok_or(OutOfRange)?;
    labour_cost
        .checked_add(parts_cost)
        .and_then(|total| d.bill.checked_sub(total))
        .ok_or(OutOfRange)?;
    Ok(RepairOrderCost {
        repair_order_id: d.repair_order_id.clone(),
        place: d.place.clone(),
        order_type: d.order_type,
        comeback: d.comeback,
        arrival_time: d.arrival_time,
        delivery_time: d.delivery_time,
        labour_lines,
        parts_lines,
        labour_cost,
        parts_cost,
        bill: d.bill,
        labour_rate_missing: hourly_rate.is_none(),
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use aftercare_values::period::PeriodKind;

    use super::*;
    use crate::domain::delivered::{LabourLine, PartsLine, Vehicle};

    /// The RO of docs/costing.md, "RO cost and margin".
    pub(crate) fn example_ro() -> Delivered {
        Delivered {
            repair_order_id: "ro-1".into(),
            place: Place {
                station_id: "s1".into(),
                dealer_id: "d1".into(),
                region_id: "r1".into(),
            },
            order_type: OrderType::Repair,
            comeback: false,
            vehicle: Vehicle {
                id: "v1".into(),
                vin: String::new(),
                model: String::new(),
                warranty_start: None,
            },
            mileage_km: 0,
            arrival_time: 0,
            delivery_time: 0,
            labour: vec![
                LabourLine {
                    line_number: 1,
                    operation_code: "BRAKE-PADS".into(),
                    technician_id: "t1".into(),
                    standard_centihours: 150,
                    actual_centihours: 175,
                },
                LabourLine {
                    line_number: 2,
                    operation_code: "INSPECT".into(),
                    technician_id: "t1".into(),
                    standard_centihours: 25,
                    actual_centihours: 0,
                },
            ],
            parts: vec![PartsLine {
                line_number: 1,
                part_number: "PAD-1".into(),
                quantity: 2,
            }],
            bill: 30_000,
            currency: "EUR".into(),
        }
    }

    fn pad_cost() -> HashMap<String, i64> {
        HashMap::from([("PAD-1".to_owned(), 4_250)])
    }

    #[test]
    fn example_1_1_cost_and_margin_of_an_ro() {
        // docs/costing.md, example 1.1.
        let c = cost(&example_ro(), Some(3_333), &pad_cost()).unwrap();
        let labour: Vec<_> = c
            .labour_lines
            .iter()
            .map(|l| (l.costed_centihours, l.cost))
            .collect();
        assert_eq!(labour, [(175, 5_833), (25, 833)]);
        assert_eq!(c.labour_cost, 6_666);
        assert_eq!(c.parts_cost, 8_500);
        assert_eq!(c.total_cost(), 15_166);
        assert_eq!(c.margin(), 14_834);
        assert_eq!(c.margin_bp(), Some(4_945));
        assert!(!c.labour_rate_missing);
        assert_eq!(c.costed_centihours(), 200);
    }

    #[test]
    fn example_1_2_no_rate_and_no_bill() {
        // docs/costing.md, example 1.2: a warranty RO the customer does not
        // pay, at a station with no rate, a part with no cost.
        let mut ro = example_ro();
        ro.order_type = OrderType::Warranty;
        ro.bill = 0;
        let c = cost(&ro, None, &HashMap::new()).unwrap();
        assert!(c.labour_rate_missing);
        assert_eq!((c.labour_cost, c.parts_cost), (0, 0));
        assert_eq!(c.parts_lines[0].unit_cost, None);
        assert_eq!(c.margin(), 0);
        assert_eq!(c.margin_bp(), None);
    }

    #[test]
    fn example_1_3_a_loss_has_a_negative_margin() {
        // docs/costing.md, example 1.3.
        let mut ro = example_ro();
        ro.bill = 12_000;
        let c = cost(&ro, Some(3_333), &pad_cost()).unwrap();
        assert_eq!(c.margin(), -3_166);
        assert_eq!(c.margin_bp(), Some(-2_638));
    }

    #[test]
    fn amounts_that_do_not_fit_are_refused() {
        let mut ro = example_ro();
        ro.parts[0].quantity = i64::MAX;
        assert_eq!(cost(&ro, Some(1), &pad_cost()), Err(OutOfRange));
    }

    #[test]
    fn a_comeback_counts_as_poor_quality_and_warranty_rework_apart() {
        let month = Period::from_parts(PeriodKind::Month as i32, 2026, 3).unwrap();
        let measures = |order_type, comeback| {
            let mut ro = example_ro();
            ro.order_type = order_type;
            ro.comeback = comeback;
            let c = cost(&ro, Some(3_333), &pad_cost()).unwrap();
            let mut m: Vec<(String, i64)> = c
                .tallies(&[month])
                .into_iter()
                .filter(|(k, _)| k.scope == Scope::new(ScopeLevel::Dealer, "d1"))
                .map(|(k, a)| (k.measure, a))
                .collect();
            m.sort();
            m
        };
        let plain = measures(OrderType::Repair, false);
        assert_eq!(plain.len(), 5);
        let comeback = measures(OrderType::Repair, true);
        assert!(comeback.contains(&("ro.comeback.cost".into(), 15_166)));
        assert!(comeback.contains(&("ro.comeback.count".into(), 1)));
        let rework = measures(OrderType::Warranty, true);
        assert!(rework.contains(&("ro.warranty_rework.cost".into(), 15_166)));
        assert!(!rework.iter().any(|(m, _)| m.starts_with("ro.comeback")));
    }

    use crate::domain::scope::{Scope, ScopeLevel};
}
