//! The dealer scorecard's rules (`docs/scorecard.md`): each part's figures
//! scored 0–1000, the weights head office sets, and the composite of the
//! parts present with their weights renormalised. Integer arithmetic, so
//! that the same figures always give the same composite.

use std::collections::BTreeMap;

use aftercare_auth::{Denied, Principal, Scope};
use serde::{Deserialize, Serialize};

use super::exact::round_div;

/// A part of the scorecard, in the order the scorecard lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Satisfaction,
    Standards,
    Comebacks,
    FillRate,
    RequiredStock,
    Costs,
    Complaints,
}

impl Part {
    pub const ALL: [Part; 7] = [
        Part::Satisfaction,
        Part::Standards,
        Part::Comebacks,
        Part::FillRate,
        Part::RequiredStock,
        Part::Costs,
        Part::Complaints,
    ];
}

/// The highest score of a part and of the composite.
pub const MAX_SCORE: u32 = 1000;
/// The highest weight of a part.
pub const MAX_WEIGHT: u32 = 1000;
/// Comebacks score 0 from this share of ROs up, in basis points (10 %).
pub const COMEBACKS_ZERO_BP: i128 = 1000;
/// Complaints score 0 from this many per 100 ROs up.
pub const COMPLAINTS_ZERO_PER_100: i128 = 5;
/// The margin scores 1000 from this many basis points up (50 %).
pub const MARGIN_FULL_BP: i128 = 5000;

/// Surveys' own figures of the dealer.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Satisfaction {
    pub rate_bp: Option<u32>,
    pub service_index: Option<f64>,
    pub nps: Option<f64>,
    pub sample: u64,
}

/// Met and missed ROs of the standards counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Standards {
    pub met: u64,
    pub missed: u64,
    pub standards: u32,
    /// Whether only the key standards were counted (there were some).
    pub key_only: bool,
}

impl Standards {
    pub fn rate_bp(&self) -> Option<u32> {
        share_bp(self.met, self.met + self.missed)
    }
}

/// Comeback ROs among the ROs delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Comebacks {
    pub comebacks: u64,
    pub repair_orders: u64,
}

impl Comebacks {
    pub fn rate_bp(&self) -> Option<u32> {
        share_bp(self.comebacks, self.repair_orders)
    }
}

/// First-time fill rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FillRate {
    pub lines_asked: u64,
    pub lines_served_at_once: u64,
    pub rate_bp: u32,
}

/// The required-stock compliance of the dealer's stations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RequiredStock {
    pub stations: u32,
    pub items_required: u32,
    pub items_met: u32,
    /// The mean of the stations' rates.
    pub rate_bp: u32,
}

impl RequiredStock {
    /// The stations' rates (basis points each) summed up.
    pub fn of(stations: &[(u32, u32, u32)]) -> RequiredStock {
        let n = stations.len() as u32;
        let sum: i128 = stations.iter().map(|s| i128::from(s.2)).sum();
        RequiredStock {
            stations: n,
            items_required: stations.iter().map(|s| s.0).sum(),
            items_met: stations.iter().map(|s| s.1).sum(),
            rate_bp: if n == 0 {
                0
            } else {
                round_div(sum, i128::from(n)) as u32
            },
        }
    }
}

/// Cost per RO, margin and claim rate (amounts in minor units).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Costs {
    pub repair_orders: u64,
    pub currency: String,
    pub cost_per_repair_order: Option<i64>,
    pub margin: i64,
    pub margin_bp: Option<i64>,
    pub claim_rate_centi: i64,
}

/// Complaints opened among the ROs delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Complaints {
    pub complaints: u64,
    pub repair_orders: u64,
    /// The complaints' standard, "answered within 24 h", of those opened.
    pub standard: super::complaint::report::Standard,
}

impl Complaints {
    /// Complaints per 100 ROs, in hundredths.
    pub fn per_100_centi(&self) -> Option<i64> {
        (self.repair_orders > 0).then(|| {
            round_div(
                i128::from(self.complaints) * 10_000,
                i128::from(self.repair_orders),
            ) as i64
        })
    }
}

/// The figures of one part.
#[derive(Debug, Clone, PartialEq)]
pub enum Figures {
    Satisfaction(Satisfaction),
    Standards(Standards),
    Comebacks(Comebacks),
    FillRate(FillRate),
    RequiredStock(RequiredStock),
    Costs(Costs),
    Complaints(Complaints),
}

impl Figures {
    pub fn part(&self) -> Part {
        match self {
            Figures::Satisfaction(_) => Part::Satisfaction,
            Figures::Standards(_) => Part::Standards,
            Figures::Comebacks(_) => Part::Comebacks,
            Figures::FillRate(_) => Part::FillRate,
            Figures::RequiredStock(_) => Part::RequiredStock,
            Figures::Costs(_) => Part::Costs,
            Figures::Complaints(_) => Part::Complaints,
        }
    }

    /// The part scored 0–1000, or why it cannot be: nothing to measure.
    pub fn score(&self) -> Result<u32, &'static str> {
        let score = match self {
            Figures::Satisfaction(s) => s
                .service_index
                .map(|i| i.round() as i128)
                .ok_or("no survey response in the period")?,
            Figures::Standards(s) => {
                let decided = s.met + s.missed;
                if decided == 0 {
                    return Err("no RO decided against a standard in the period");
                }
                round_div(1000 * i128::from(s.met), i128::from(decided))
            }
            Figures::Comebacks(c) => {
                if c.repair_orders == 0 {
                    return Err("no RO delivered in the period");
                }
                // 1000 × (1 − share / 10 %).
                1000 - round_div(
                    i128::from(c.comebacks) * 10_000 * 1000 / COMEBACKS_ZERO_BP,
                    i128::from(c.repair_orders),
                )
            }
            Figures::FillRate(f) => {
                if f.lines_asked == 0 {
                    return Err("no parts line asked in the period");
                }
                round_div(i128::from(f.rate_bp), 10)
            }
            Figures::RequiredStock(r) => {
                if r.stations == 0 {
                    return Err("no station of the dealer holds a required-stock list");
                }
                round_div(i128::from(r.rate_bp), 10)
            }
            Figures::Costs(c) => {
                let bp = c.margin_bp.ok_or("no bill in the period")?;
                round_div(i128::from(bp) * 1000, MARGIN_FULL_BP)
            }
            Figures::Complaints(c) => {
                if c.repair_orders == 0 {
                    return Err("no RO delivered in the period");
                }
                // 1000 × (1 − per 100 ROs / 5).
                1000 - round_div(
                    i128::from(c.complaints) * 100 * 1000 / COMPLAINTS_ZERO_PER_100,
                    i128::from(c.repair_orders),
                )
            }
        };
        Ok(score.clamp(0, i128::from(MAX_SCORE)) as u32)
    }
}

/// `part / whole` in basis points, rounded half up; none of nothing.
fn share_bp(part: u64, whole: u64) -> Option<u32> {
    (whole > 0).then(|| round_div(i128::from(part) * 10_000, i128::from(whole)) as u32)
}

/// One part of a scorecard: its figures and score, or why it is missing.
#[derive(Debug, Clone, PartialEq)]
pub enum Section {
    Present { figures: Figures, score: u32 },
    Missing { part: Part, reason: String },
}

impl Section {
    /// A part gathered: scored, or missing when there is nothing to score.
    pub fn gathered(figures: Figures) -> Section {
        match figures.score() {
            Ok(score) => Section::Present { figures, score },
            Err(reason) => Section::Missing {
                part: figures.part(),
                reason: reason.into(),
            },
        }
    }

    pub fn part(&self) -> Part {
        match self {
            Section::Present { figures, .. } => figures.part(),
            Section::Missing { part, .. } => *part,
        }
    }

    pub fn score(&self) -> Option<u32> {
        match self {
            Section::Present { score, .. } => Some(*score),
            Section::Missing { .. } => None,
        }
    }
}

/// A version of the composite's weights: each part's weight, 0–1000.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Weights(BTreeMap<Part, u32>);

/// A version of the weights: 0 the built-in one, then one more per version
/// head office set, each in force from its time (µs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeightsVersion {
    pub version: i32,
    pub weights: Weights,
    pub effective_time: i64,
}

impl WeightsVersion {
    pub fn builtin() -> WeightsVersion {
        WeightsVersion {
            version: 0,
            weights: Weights::builtin(),
            effective_time: 0,
        }
    }
}

/// Why weights were refused, with the field at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeightsError {
    pub field: String,
    pub why: &'static str,
}

impl Weights {
    /// Version 0, in force until head office sets one.
    pub fn builtin() -> Weights {
        Weights(BTreeMap::from([
            (Part::Satisfaction, 30),
            (Part::Standards, 15),
            (Part::Comebacks, 15),
            (Part::FillRate, 10),
            (Part::RequiredStock, 5),
            (Part::Costs, 10),
            (Part::Complaints, 15),
        ]))
    }

    /// Weights as given (`weights[i]`: a part and its weight): each part at
    /// most once, each weight 0–1000, at least one above 0; a part not
    /// given weighs 0.
    pub fn parse(given: &[(Option<Part>, i64)]) -> Result<Weights, WeightsError> {
        let err = |i: usize, leaf: &str, why| WeightsError {
            field: format!("weights.weights[{i}].{leaf}"),
            why,
        };
        let mut weights: BTreeMap<Part, u32> = Part::ALL.iter().map(|p| (*p, 0)).collect();
        let mut seen = Vec::new();
        for (i, (part, weight)) in given.iter().enumerate() {
            let part = part.ok_or_else(|| err(i, "part", "must be a scorecard part"))?;
            if seen.contains(&part) {
                return Err(err(i, "part", "is given twice"));
            }
            seen.push(part);
            if !(0..=i64::from(MAX_WEIGHT)).contains(weight) {
                return Err(err(i, "weight", "must be between 0 and 1000"));
            }
            weights.insert(part, *weight as u32);
        }
        if weights.values().all(|w| *w == 0) {
            return Err(WeightsError {
                field: "weights.weights".into(),
                why: "must give at least one part a weight above 0",
            });
        }
        Ok(Weights(weights))
    }

    pub fn of(&self, part: Part) -> u32 {
        self.0.get(&part).copied().unwrap_or(0)
    }
}

/// The weighted composite of the parts present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composite {
    /// None when no part with a weight is present.
    pub value: Option<u32>,
    /// The parts it is made of: present, with a weight above 0.
    pub parts_used: Vec<Part>,
}

/// Σ wᵢ·sᵢ / Σ wᵢ over the parts present with a weight: a missing part is
/// left out and the others' weights are renormalised to it.
pub fn composite(sections: &[Section], weights: &Weights) -> Composite {
    let used: Vec<(Part, u32, u32)> = sections
        .iter()
        .filter_map(|s| Some((s.part(), s.score()?, weights.of(s.part()))))
        .filter(|(_, _, w)| *w > 0)
        .collect();
    let total: i128 = used.iter().map(|u| i128::from(u.2)).sum();
    let weighted: i128 = used.iter().map(|u| i128::from(u.1) * i128::from(u.2)).sum();
    Composite {
        value: (total > 0).then(|| round_div(weighted, total) as u32),
        parts_used: used.into_iter().map(|u| u.0).collect(),
    }
}

/// May `principal` read the scorecard of `dealer_id`, of `region_id` when
/// known? Head office any; a region manager its region's dealers; the
/// dealer's staff and DMS their own.
pub fn check_read(
    principal: &Principal,
    dealer_id: &str,
    region_id: Option<&str>,
) -> Result<(), Denied> {
    let seen = match &principal.scope {
        Scope::Oem => true,
        Scope::Region { region_id: own } => region_id == Some(own.as_str()),
        Scope::Dealer { dealer_id: own, .. } | Scope::Dms { dealer_id: own } => own == dealer_id,
        Scope::SurveyLink { .. } => {
            return Err(Denied::NotAllowed("a survey link may not read scorecards"));
        }
    };
    if seen { Ok(()) } else { Err(Denied::Invisible) }
}

/// May `principal` set the weights or refresh the assessments? Head office
/// only.
pub fn check_manage(principal: &Principal) -> Result<(), Denied> {
    match principal.scope {
        Scope::Oem => Ok(()),
        _ => Err(Denied::NotAllowed(
            "only head office may set the scorecard's weights or refresh the assessments",
        )),
    }
}

#[cfg(test)]
mod tests;
