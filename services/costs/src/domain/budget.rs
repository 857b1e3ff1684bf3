//! Budgets, the report of actuals against them, and when an overrun is
//! worth an alert. The worked examples of `docs/budgets.md` are the
//! tests below, one each.

use std::collections::BTreeMap;

use aftercare_values::Period;
use serde::{Deserialize, Serialize};

use super::{amounts, cost_entry::Category, scope::Scope};

/// The spending limit of a dealer, a region or the network for a category
/// and period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Budget {
    pub scope: Scope,
    /// The region a dealer's budget sits in (its own id for a region's,
    /// empty for the network's): who may read it.
    pub region_id: String,
    pub category: Category,
    pub period: Period,
    pub amount: i64,
    /// The etag.
    pub revision: i64,
    /// Microseconds since the epoch.
    pub update_time: i64,
}

/// Actual against budget: `actual − budget` (positive is over) and that
/// share of the budget in basis points, rounded half away from zero (none
/// for a zero budget).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variance {
    pub amount: i64,
    pub bp: Option<i64>,
}

pub fn variance(actual: i64, budget: i64) -> Option<Variance> {
    let amount = actual.checked_sub(budget)?;
    Some(Variance {
        amount,
        bp: amounts::basis_points(amount, budget),
    })
}

/// One category of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub category: Category,
    pub actual: i64,
    pub fixed: i64,
    pub variable: i64,
    pub budget: Option<i64>,
    pub variance: Option<Variance>,
}

/// Actuals against budgets of a scope in a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub lines: Vec<Line>,
    pub total_actual: i64,
    /// `None` when no budget is set.
    pub total_budget: Option<i64>,
}

/// Sums that do not fit in 64 bits: never with amounts in bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a report total overflows")]
pub struct Overflow;

/// The report from the scope's `cost.*` tally rows (measure → amount) and
/// its budgets: a line for every category with an actual or a budget, in
/// category order.
pub fn report(
    tallies: &BTreeMap<String, i64>,
    budgets: &BTreeMap<Category, i64>,
) -> Result<Report, Overflow> {
    let mut actual: BTreeMap<Category, (i64, i64)> = BTreeMap::new();
    for (measure, amount) in tallies {
        if let Some((category, is_fixed)) = Category::of_measure(measure) {
            let (whole, fixed) = actual.entry(category).or_default();
            if is_fixed {
                *fixed = *amount;
            } else {
                *whole = *amount;
            }
        }
    }
    let mut lines = Vec::new();
    for category in Category::ALL {
        let budget = budgets.get(&category).copied();
        let Some(&(whole, fixed)) = actual.get(&category).or(budget.map(|_| &(0, 0))) else {
            continue;
        };
        let variance = match budget {
            Some(b) => Some(variance(whole, b).ok_or(Overflow)?),
            None => None,
        };
        lines.push(Line {
            category,
            actual: whole,
            fixed,
            variable: whole.checked_sub(fixed).ok_or(Overflow)?,
            budget,
            variance,
        });
    }
    let total_actual = amounts::sum(lines.iter().map(|l| l.actual)).ok_or(Overflow)?;
    let total_budget = if budgets.is_empty() {
        None
    } else {
        Some(amounts::sum(budgets.values().copied()).ok_or(Overflow)?)
    };
    Ok(Report {
        lines,
        total_actual,
        total_budget,
    })
}

/// Has `actual` passed `budget` by more than `threshold_bp` basis points of
/// it? Exactly at the threshold is not over. Against a zero budget, any
/// spending is.
pub fn over_threshold(actual: i64, budget: i64, threshold_bp: i64) -> bool {
    let over = i128::from(actual) - i128::from(budget);
    over * 10_000 > i128::from(budget) * i128::from(threshold_bp)
}

/// What an actual or budget change does to a category's alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertStep {
    /// It crossed the threshold: raise an alert, once.
    Raise,
    /// It is back at or under the threshold: the next crossing raises again.
    Rearm,
    /// Nothing changes.
    Keep,
}

/// The step for a category whose alert is `raised` (or armed) and whose
/// actual is now `over` the threshold or not.
pub fn alert_step(raised: bool, over: bool) -> AlertStep {
    match (raised, over) {
        (false, true) => AlertStep::Raise,
        (true, false) => AlertStep::Rearm,
        _ => AlertStep::Keep,
    }
}

/// A raised alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    pub sequence: i64,
    pub scope: Scope,
    pub region_id: String,
    pub category: Category,
    pub period: Period,
    pub budget: i64,
    pub actual: i64,
    /// Of the budget; 0 when the budget is zero (no share to tell).
    pub variance_bp: i64,
    pub threshold_bp: i64,
    pub raise_time: i64,
}

/// How much of a budget is spent, as operations watch it (the gauge
/// `warranty_budgets{burn}`): under 90 %, from 90 % to under 100 %, or all
/// of it (an approval past it is refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Burn {
    Under90Percent,
    Over90Percent,
    Exhausted,
}

impl Burn {
    pub const ALL: [Burn; 3] = [Burn::Under90Percent, Burn::Over90Percent, Burn::Exhausted];

    /// `spent` of `budget` (a zero budget is exhausted at once).
    pub fn of(spent: i64, budget: i64) -> Burn {
        let (spent, budget) = (i128::from(spent), i128::from(budget));
        if spent >= budget {
            Burn::Exhausted
        } else if spent * 10 >= budget * 9 {
            Burn::Over90Percent
        } else {
            Burn::Under90Percent
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Burn::Under90Percent => "under_90_percent",
            Burn::Over90Percent => "over_90_percent",
            Burn::Exhausted => "exhausted",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tallies(rows: &[(&str, i64)]) -> BTreeMap<String, i64> {
        rows.iter().map(|(m, a)| ((*m).to_owned(), *a)).collect()
    }

    /// docs/budgets.md, example 2.1: 11,250.00 spent of 10,000.00.
    #[test]
    fn variance_of_an_overspent_budget() {
        let v = variance(1_125_000, 1_000_000).unwrap();
        assert_eq!((v.amount, v.bp), (125_000, Some(1250)));
    }

    /// docs/budgets.md, example 2.2: 2,000.00 of 3,000.00 is 3,333
    /// bp under (−33.33 %), and half a basis point rounds away from zero.
    #[test]
    fn variance_under_budget_rounds_half_away_from_zero() {
        let v = variance(200_000, 300_000).unwrap();
        assert_eq!((v.amount, v.bp), (-100_000, Some(-3333)));
        // 0.01 over 0.08: 1,250 bp exactly. 0.01 over 200.00 is half a
        // basis point: 1 bp over, and 0.01 under is 1 bp under.
        assert_eq!(variance(9, 8).unwrap().bp, Some(1250));
        assert_eq!(variance(20_001, 20_000).unwrap().bp, Some(1));
        assert_eq!(variance(19_999, 20_000).unwrap().bp, Some(-1));
        // 0.01 over 1,600.00 is 0.0625 bp: 0.
        assert_eq!(variance(160_001, 160_000).unwrap().bp, Some(0));
        assert_eq!(variance(5, 0).unwrap().bp, None);
    }

    /// docs/budgets.md, example 2.3: premises fixed, utilities
    /// semi-variable, parts without a budget, overtime with a budget and
    /// nothing spent yet.
    #[test]
    fn a_report_from_tallies_and_budgets() {
        let t = tallies(&[
            ("cost.PREMISES", 1_200_000),
            ("cost.PREMISES.fixed", 1_200_000),
            ("cost.UTILITIES", 80_000),
            ("cost.UTILITIES.fixed", 30_000),
            ("cost.PARTS", 455_050),
            ("cost.PARTS.fixed", 0),
        ]);
        let b = BTreeMap::from([
            (Category::Premises, 1_200_000),
            (Category::Utilities, 70_000),
            (Category::Overtime, 50_000),
        ]);
        let r = report(&t, &b).unwrap();
        let cats: Vec<_> = r.lines.iter().map(|l| l.category).collect();
        assert_eq!(
            cats,
            [
                Category::Premises,
                Category::Parts,
                Category::Utilities,
                Category::Overtime
            ]
        );
        let utilities = &r.lines[2];
        assert_eq!((utilities.fixed, utilities.variable), (30_000, 50_000));
        assert_eq!(
            utilities.variance,
            Some(Variance {
                amount: 10_000,
                bp: Some(1429)
            })
        );
        assert_eq!(r.lines[1].budget, None);
        assert_eq!(r.lines[1].variance, None);
        let overtime = &r.lines[3];
        assert_eq!(
            (overtime.actual, overtime.variance.unwrap().bp),
            (0, Some(-10_000))
        );
        assert_eq!(r.total_actual, 1_735_050);
        assert_eq!(r.total_budget, Some(1_320_000));
        assert_eq!(report(&t, &BTreeMap::new()).unwrap().total_budget, None);
    }

    /// docs/budgets.md, example 3.1: a 10 % threshold on 10,000.00
    /// lies at 11,000.00; exactly there is not over, a cent more is.
    #[test]
    fn the_threshold_is_passed_only_beyond_it() {
        assert!(!over_threshold(1_100_000, 1_000_000, 1000));
        assert!(over_threshold(1_100_001, 1_000_000, 1000));
        assert!(!over_threshold(0, 0, 1000));
        assert!(over_threshold(1, 0, 1000));
    }

    /// docs/budgets.md, example 3.2: raised once per crossing,
    /// re-armed when back under.
    #[test]
    fn an_alert_is_raised_once_per_crossing() {
        let mut raised = false;
        let mut alerts = 0;
        // Budget 1,000.00: 1,050, 1,100, 1,150 (raise), 1,250, 950 (re-arm), 1,150 (raise).
        for actual in [105_000, 110_000, 115_000, 125_000, 95_000, 115_000] {
            match alert_step(raised, over_threshold(actual, 100_000, 1000)) {
                AlertStep::Raise => {
                    alerts += 1;
                    raised = true;
                }
                AlertStep::Rearm => raised = false,
                AlertStep::Keep => {}
            }
        }
        assert_eq!(alerts, 2);
    }

    /// docs/budgets.md, example 3.3: the actual stays at 1,150.00
    /// while the budget moves: 1,000.00 raises, 2,000.00 re-arms, 900.00
    /// raises again at 2,778 bp.
    #[test]
    fn a_budget_set_judges_again() {
        let actual = 115_000;
        let steps: Vec<_> = [100_000, 200_000, 90_000]
            .into_iter()
            .scan(false, |raised, budget| {
                let step = alert_step(*raised, over_threshold(actual, budget, 1000));
                *raised = match step {
                    AlertStep::Raise => true,
                    AlertStep::Rearm => false,
                    AlertStep::Keep => *raised,
                };
                Some(step)
            })
            .collect();
        assert_eq!(
            steps,
            [AlertStep::Raise, AlertStep::Rearm, AlertStep::Raise]
        );
        assert_eq!(variance(actual, 90_000).unwrap().bp, Some(2778));
    }

    #[test]
    fn a_budget_burns_under_90_percent_then_over_then_out() {
        assert_eq!(Burn::of(0, 100_000), Burn::Under90Percent);
        assert_eq!(Burn::of(89_999, 100_000), Burn::Under90Percent);
        assert_eq!(Burn::of(90_000, 100_000), Burn::Over90Percent);
        assert_eq!(Burn::of(99_999, 100_000), Burn::Over90Percent);
        assert_eq!(Burn::of(100_000, 100_000), Burn::Exhausted);
        assert_eq!(Burn::of(0, 0), Burn::Exhausted);
        assert_eq!(Burn::of(i64::MAX, i64::MAX - 1), Burn::Exhausted);
    }
}
