//! The scores of one response against the version it answered (formulas
//! and worked examples in `docs/scoring.md` §2): the SERVQUAL gap per item
//! and dimension, unweighted and weighted; the service index (0–1000); the
//! top-two box of the overall-satisfaction answer; the NPS class; and the
//! low-score alert.
//!
//! Gaps are in grid units (see [`super::scale::GRID`]): 1000 units are one
//! point on a 1–7 scale, so a gap reads as thousandths of a 1–7 point.

use serde::{Deserialize, Serialize};

use super::answers::Answers;
use super::exact::{round_div, weighted_mean};
use super::scale::GRID;
use super::servqual::{Dimension, Factor, Verdict};
use super::template::{QuestionKind, Version};

/// One SERVQUAL item of a response: both of its answers on the grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemScore {
    pub item: String,
    pub dimension: Dimension,
    pub expectation: i64,
    pub perception: i64,
}

impl ItemScore {
    /// Perception − expectation, in grid units.
    pub fn gap(&self) -> i64 {
        self.perception - self.expectation
    }

    pub fn verdict(&self) -> Verdict {
        Verdict::of_gap(self.gap())
    }
}

/// One dimension of a response: the sum of its item gaps and how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DimensionScore {
    pub dimension: Dimension,
    pub gap_sum: i64,
    pub items: u64,
}

impl DimensionScore {
    /// The mean item gap, in grid units, rounded.
    pub fn gap(&self) -> i64 {
        round_div(self.gap_sum.into(), self.items.max(1).into()) as i64
    }

    /// From the exact mean, before rounding.
    pub fn verdict(&self) -> Verdict {
        Verdict::of_gap(self.gap_sum)
    }
}

/// Where an answer to the NPS question puts the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NpsClass {
    /// 9 or 10.
    Promoter,
    /// 7 or 8.
    Passive,
    /// 0 to 6.
    Detractor,
}

impl NpsClass {
    pub fn of(value: u8) -> NpsClass {
        match value {
            9.. => NpsClass::Promoter,
            7 | 8 => NpsClass::Passive,
            _ => NpsClass::Detractor,
        }
    }

    /// The response's own NPS, in points: +100, 0 or −100. Their mean is the
    /// NPS of a set of responses, which is how the league averages it.
    pub fn points(self) -> i64 {
        match self {
            NpsClass::Promoter => 100,
            NpsClass::Passive => 0,
            NpsClass::Detractor => -100,
        }
    }
}

/// Everything one response scores. Each part is none when the response (or
/// its version) has nothing to compute it from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseScore {
    /// The items with both answers, in the order of the version.
    pub items: Vec<ItemScore>,
    /// The mean of the dimension gaps, in grid units, rounded.
    pub unweighted_gap: Option<i64>,
    /// The dimension gaps weighted by the version's points, in grid units,
    /// rounded.
    pub weighted_gap: Option<i64>,
    /// 0 to 1000, rounded.
    pub service_index: Option<u32>,
    /// Whether the overall-satisfaction answer is in the top-two box.
    pub top_two_box: Option<bool>,
    pub nps: Option<NpsClass>,
}

impl ResponseScore {
    /// The dimensions with at least one item, in [`Dimension::ALL`] order.
    pub fn dimensions(&self) -> Vec<DimensionScore> {
        Dimension::ALL
            .into_iter()
            .filter_map(|d| self.dimension(d))
            .collect()
    }

    pub fn dimension(&self, dimension: Dimension) -> Option<DimensionScore> {
        let items = self.items.iter().filter(|i| i.dimension == dimension);
        let (gap_sum, n) = items.fold((0, 0), |(s, n), i| (s + i.gap(), n + 1));
        (n > 0).then_some(DimensionScore {
            dimension,
            gap_sum,
            items: n,
        })
    }
}

/// The scores of `answers`, checked against `version`.
pub fn score(version: &Version, answers: &Answers) -> ResponseScore {
    let answer =
        |id: Option<&str>| id.and_then(|id| Some((version.question(id)?, answers.get(id)?)));
    let mut score = ResponseScore {
        items: item_scores(version, answers),
        unweighted_gap: None,
        weighted_gap: None,
        service_index: service_index(version, answers),
        top_two_box: answer(version.satisfaction_question()).map(|(q, v)| q.scale.is_top_two(v)),
        nps: answer(version.nps_question()).map(|(_, v)| NpsClass::of(v)),
    };
    let dimensions = score.dimensions();
    score.unweighted_gap = overall_gap(&dimensions, |_| 1);
    score.weighted_gap = overall_gap(&dimensions, |d| version.dimension_weight(d).into());
    score
}

/// The dimension gaps weighted by `weight`, over the dimensions answered.
fn overall_gap(dimensions: &[DimensionScore], weight: impl Fn(Dimension) -> u64) -> Option<i64> {
    let parts: Vec<_> = dimensions
        .iter()
        .map(|d| (weight(d.dimension), d.gap_sum, d.items))
        .collect();
    weighted_mean(&parts).map(|(num, den)| round_div(num, den) as i64)
}

/// Each item with both answers, in the order of its first question.
fn item_scores(version: &Version, answers: &Answers) -> Vec<ItemScore> {
    let mut items: Vec<ItemScore> = Vec::new();
    for q in version.questions() {
        let (Some(item), Some(dimension)) = (q.item.as_deref(), q.dimension) else {
            continue;
        };
        if items.iter().any(|i| i.item == item) {
            continue;
        }
        let on_grid = |kind| {
            let q = version
                .questions()
                .iter()
                .find(|p| p.kind == kind && p.item.as_deref() == Some(item))?;
            Some(q.scale.grid(answers.get(&q.id)?))
        };
        if let (Some(expectation), Some(perception)) = (
            on_grid(QuestionKind::Expectation),
            on_grid(QuestionKind::Perception),
        ) {
            items.push(ItemScore {
                item: item.to_owned(),
                dimension,
                expectation,
                perception,
            });
        }
    }
    items
}

/// Per factor, the grid values of its answered questions: (factor, sum, n).
fn factor_sums(version: &Version, answers: &Answers) -> Vec<(Factor, i64, u64)> {
    Factor::ALL
        .into_iter()
        .map(|f| {
            let answered = version
                .questions()
                .iter()
                .filter(|q| q.factor == Some(f))
                .filter_map(|q| Some(q.scale.grid(answers.get(&q.id)?)));
            let (sum, n) = answered.fold((0, 0), |(s, n), g| (s + g, n + 1));
            (f, sum, n)
        })
        .collect()
}

/// Per factor the mean of its answered questions on the grid; the factors
/// weighted by the version's points over those answered; 6 grid units to an
/// index point (6000 → 1000).
fn service_index(version: &Version, answers: &Answers) -> Option<u32> {
    let parts: Vec<(u64, i64, u64)> = factor_sums(version, answers)
        .into_iter()
        .map(|(f, sum, n)| (version.factor_weight(f).into(), sum, n))
        .collect();
    let (num, den) = weighted_mean(&parts)?;
    Some(round_div(num, den * i128::from(GRID / 1000)) as u32)
}

/// Each answered factor's own score on the service index's scale: the mean
/// of its answered questions, 6 grid units to a point (0–1000), rounded.
/// Improvement plans follow factors one by one (docs/improvement-plans.md).
pub fn factor_scores(version: &Version, answers: &Answers) -> Vec<(Factor, i64)> {
    factor_sums(version, answers)
        .into_iter()
        .filter(|(_, _, n)| *n > 0)
        .map(|(f, sum, n)| {
            let den = i128::from(n) * i128::from(GRID / 1000);
            (f, round_div(sum.into(), den) as i64)
        })
        .collect()
}

/// The service index below which a response raises a low-score alert, by
/// default: 600 of 1000, i.e. answers on average below 60 % of their scales
/// (3.4 of 5, 4.6 of 7).
pub const DEFAULT_ALERT_BELOW: u32 = 600;

/// Whether a response is low enough to open a complaint: its service index
/// below `threshold`. A response without a service index never is.
pub fn is_below_threshold(score: &ResponseScore, threshold: u32) -> bool {
    score.service_index.is_some_and(|i| i < threshold)
}

#[cfg(test)]
mod tests;
