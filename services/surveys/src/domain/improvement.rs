//! Improvement plans' statistics (docs/improvement-plans.md): what each
//! response adds to an attribute (a SERVQUAL item, a dimension, a
//! service-index factor, the service index), kept as integer moments (n, Σx,
//! Σx²) so that days and dealers merge by addition; a dealer's weakest
//! attributes beside the network's; and the check of a plan's attribute —
//! the difference of two means with Welch's normal 95 % interval, judged so
//! that noise is never called progress.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::scoring::ResponseScore;
use super::servqual::{Dimension, Factor};

/// What a plan follows. Higher is better for each.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Attribute {
    /// A SERVQUAL item by its code: its gap, in grid units.
    Item(String),
    /// A response's mean gap over the dimension's items, in grid units.
    Dimension(Dimension),
    /// A response's factor score, 0–1000.
    Factor(Factor),
    /// A response's service index, 0–1000.
    ServiceIndex,
}

impl Attribute {
    /// From its id (`item:<code>`, `dimension:<name>`, `factor:<name>`,
    /// `service_index`).
    pub fn parse(id: &str) -> Option<Attribute> {
        if id == "service_index" {
            return Some(Attribute::ServiceIndex);
        }
        let (kind, name) = id.split_once(':')?;
        match kind {
            "item" if !name.is_empty() && name.len() <= 64 => Some(Attribute::Item(name.into())),
            "dimension" => Dimension::parse(name).map(Attribute::Dimension),
            "factor" => Factor::parse(name).map(Attribute::Factor),
            _ => None,
        }
    }

    /// Stored integers per reported unit: gaps are kept in grid units and
    /// reported in points of a 1–7 scale; scores are 0–1000 either way.
    fn unit(&self) -> f64 {
        match self {
            Attribute::Item(_) | Attribute::Dimension(_) => 1000.0,
            Attribute::Factor(_) | Attribute::ServiceIndex => 1.0,
        }
    }
}

impl fmt::Display for Attribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Attribute::Item(code) => write!(f, "item:{code}"),
            Attribute::Dimension(d) => write!(f, "dimension:{}", d.as_str()),
            Attribute::Factor(x) => write!(f, "factor:{}", x.as_str()),
            Attribute::ServiceIndex => f.write_str("service_index"),
        }
    }
}

impl From<Attribute> for String {
    fn from(a: Attribute) -> String {
        a.to_string()
    }
}

impl TryFrom<String> for Attribute {
    type Error = String;

    fn try_from(id: String) -> Result<Attribute, String> {
        Attribute::parse(&id).ok_or_else(|| format!("unknown attribute {id}"))
    }
}

/// The values one response gives each attribute it answers: its items'
/// gaps, its dimensions' mean gaps (rounded), `factors` (its factor
/// scores, `scoring::factor_scores`) and its service index.
pub fn response_values(score: &ResponseScore, factors: &[(Factor, i64)]) -> Vec<(Attribute, i64)> {
    let items = score
        .items
        .iter()
        .map(|i| (Attribute::Item(i.item.clone()), i.gap()));
    let dimensions = score
        .dimensions()
        .into_iter()
        .map(|d| (Attribute::Dimension(d.dimension), d.gap()));
    let factors = factors.iter().map(|&(f, v)| (Attribute::Factor(f), v));
    let index = score
        .service_index
        .map(|i| (Attribute::ServiceIndex, i64::from(i)));
    items
        .chain(dimensions)
        .chain(factors)
        .chain(index)
        .collect()
}

/// Integer moments of an attribute's values: how many, their sum and the
/// sum of their squares.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moments {
    pub n: u64,
    pub sum: i64,
    pub squares: i64,
}

impl Moments {
    pub fn of(value: i64) -> Moments {
        Moments {
            n: 1,
            sum: value,
            squares: value * value,
        }
    }

    /// The mean, in stored units.
    fn mean(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum as f64 / self.n as f64)
    }

    /// The variance of the mean (s² / n, s² the sample variance), in
    /// stored units squared; none under 2 values.
    fn mean_variance(&self) -> Option<f64> {
        (self.n >= 2).then(|| {
            let n = self.n as f64;
            let spread = (self.squares as f64 - (self.sum as f64).powi(2) / n).max(0.0);
            spread / (n - 1.0) / n
        })
    }
}

impl std::ops::Add for Moments {
    type Output = Moments;

    fn add(self, other: Moments) -> Moments {
        Moments {
            n: self.n + other.n,
            sum: self.sum + other.sum,
            squares: self.squares + other.squares,
        }
    }
}

/// An attribute's moments over a set of responses, by attribute.
pub type AttributeSums = BTreeMap<Attribute, Moments>;

/// An attribute of a dealer beside the network's, in reported units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub attribute: Attribute,
    pub value: Option<f64>,
    pub sample_size: u64,
    pub network_value: Option<f64>,
    pub network_sample_size: u64,
}

/// A dealer's weakest attributes of a period.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Focus {
    pub items: Vec<Figure>,
    pub dimensions: Vec<Figure>,
    pub factors: Vec<Figure>,
}

/// Reports `m` of `attribute` in its reported unit.
pub fn value_of(attribute: &Attribute, m: Moments) -> Option<f64> {
    m.mean().map(|v| v / attribute.unit())
}

/// The weakest `limit` items and dimensions with a negative mean gap (most
/// negative first) and the weakest `limit` factors (lowest first) of
/// `dealer`, each beside `network`. Ties go to the attribute id's order.
pub fn focus(dealer: &AttributeSums, network: &AttributeSums, limit: usize) -> Focus {
    let figure = |a: &Attribute, m: Moments| {
        let net = network.get(a).copied().unwrap_or_default();
        Figure {
            attribute: a.clone(),
            value: value_of(a, m),
            sample_size: m.n,
            network_value: value_of(a, net),
            network_sample_size: net.n,
        }
    };
    let weakest = |keep: &dyn Fn(&Attribute) -> bool, negative_only: bool| {
        let mut figures: Vec<Figure> = dealer
            .iter()
            .filter(|(a, m)| keep(a) && m.n > 0)
            .map(|(a, m)| figure(a, *m))
            .filter(|f| !negative_only || f.value.is_some_and(|v| v < 0.0))
            .collect();
        figures.sort_by(|x, y| {
            x.value
                .partial_cmp(&y.value)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        figures.truncate(limit);
        figures
    };
    Focus {
        items: weakest(&|a| matches!(a, Attribute::Item(_)), true),
        dimensions: weakest(&|a| matches!(a, Attribute::Dimension(_)), true),
        factors: weakest(&|a| matches!(a, Attribute::Factor(_)), false),
    }
}

/// What the check says of one attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// The 95 % interval of the difference lies wholly above 0.
    Improved,
    /// It spans 0.
    NoChange,
    /// It lies wholly below 0.
    Worse,
    /// Either side has fewer responses than the minimum sample.
    InsufficientSample,
}

/// z for a two-sided 95 % interval.
const Z95: f64 = 1.959_963_984_540_054;

/// One attribute's check, in reported units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    pub value: Option<f64>,
    pub sample_size: u64,
    /// Check minus baseline.
    pub difference: Option<f64>,
    /// The 95 % interval of the difference.
    pub interval: Option<(f64, f64)>,
    pub verdict: Verdict,
    pub goal_reached: bool,
}

/// Compares `check` with `baseline` for `attribute`: the difference of the
/// means, Welch's normal 95 % interval (d ± 1.96·√(s₁²/n₁ + s₂²/n₂)), and
/// the verdict — INSUFFICIENT_SAMPLE when either side has fewer than
/// `min_sample` responses (never fewer than 2), else by where the interval
/// lies. Whether `target` is reached is said apart from the verdict.
pub fn check(
    attribute: &Attribute,
    baseline: Moments,
    check: Moments,
    target: f64,
    min_sample: u64,
) -> Check {
    let value = value_of(attribute, check);
    let difference = value.zip(value_of(attribute, baseline)).map(|(c, b)| c - b);
    let interval = difference
        .zip(baseline.mean_variance().zip(check.mean_variance()))
        .map(|(d, (vb, vc))| {
            let half = Z95 * (vb + vc).sqrt() / attribute.unit();
            (d - half, d + half)
        });
    let enough = baseline.n >= min_sample.max(2) && check.n >= min_sample.max(2);
    let verdict = match interval {
        Some((low, _)) if enough && low > 0.0 => Verdict::Improved,
        Some((_, high)) if enough && high < 0.0 => Verdict::Worse,
        Some(_) if enough => Verdict::NoChange,
        _ => Verdict::InsufficientSample,
    };
    Check {
        value,
        sample_size: check.n,
        difference,
        interval,
        verdict,
        goal_reached: value.is_some_and(|v| v >= target),
    }
}

#[cfg(test)]
mod tests;
