//! A station's cost of a month: its category, how it moves with the work
//! (fixed, variable, or a fixed part plus a driven part), and the tally rows
//! it adds to.

use aftercare_values::{FieldViolation, Period, text};
use serde::{Deserialize, Serialize};

use super::scope::Place;

/// What a cost is for, in the contract's order (a report lists its lines in
/// this order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Category {
    Premises,
    EquipmentDepreciation,
    BaseSalaries,
    FacilityMaintenance,
    Parts,
    Consumables,
    PartTimeWages,
    Utilities,
    Transport,
    Postage,
    Overtime,
    /// Approved warranty claims: added by an approval, never entered.
    Warranty,
}

impl Category {
    pub const ALL: [Category; 12] = [
        Category::Premises,
        Category::EquipmentDepreciation,
        Category::BaseSalaries,
        Category::FacilityMaintenance,
        Category::Parts,
        Category::Consumables,
        Category::PartTimeWages,
        Category::Utilities,
        Category::Transport,
        Category::Postage,
        Category::Overtime,
        Category::Warranty,
    ];

    /// The contract's enum name without its prefix: what the rows keep.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Premises => "PREMISES",
            Category::EquipmentDepreciation => "EQUIPMENT_DEPRECIATION",
            Category::BaseSalaries => "BASE_SALARIES",
            Category::FacilityMaintenance => "FACILITY_MAINTENANCE",
            Category::Parts => "PARTS",
            Category::Consumables => "CONSUMABLES",
            Category::PartTimeWages => "PART_TIME_WAGES",
            Category::Utilities => "UTILITIES",
            Category::Transport => "TRANSPORT",
            Category::Postage => "POSTAGE",
            Category::Overtime => "OVERTIME",
            Category::Warranty => "WARRANTY",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The behaviour of an entry that names none.
    pub fn usual_behaviour(self) -> Behaviour {
        match self {
            Category::Premises
            | Category::EquipmentDepreciation
            | Category::BaseSalaries
            | Category::FacilityMaintenance => Behaviour::Fixed,
            _ => Behaviour::Variable,
        }
    }

    /// The tally measure of the category's whole amount: `cost.PREMISES`.
    pub fn measure(self) -> String {
        format!("cost.{}", self.as_str())
    }

    /// The tally measure of its fixed part: `cost.PREMISES.fixed`.
    pub fn fixed_measure(self) -> String {
        format!("cost.{}.fixed", self.as_str())
    }

    /// The category of a tally measure, and whether it is the fixed part.
    pub fn of_measure(measure: &str) -> Option<(Category, bool)> {
        let rest = measure.strip_prefix("cost.")?;
        match rest.strip_suffix(".fixed") {
            Some(name) => Some((Category::parse(name)?, true)),
            None => Some((Category::parse(rest)?, false)),
        }
    }
}

/// How a cost moves with the work done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Behaviour {
    Fixed,
    Variable,
    SemiVariable,
}

impl Behaviour {
    pub fn as_str(self) -> &'static str {
        match self {
            Behaviour::Fixed => "FIXED",
            Behaviour::Variable => "VARIABLE",
            Behaviour::SemiVariable => "SEMI_VARIABLE",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Behaviour::Fixed,
            Behaviour::Variable,
            Behaviour::SemiVariable,
        ]
        .into_iter()
        .find(|b| b.as_str() == s)
    }
}

/// What a semi-variable cost's variable part follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Driver {
    pub name: String,
    pub quantity: i64,
}

pub const MAX_DRIVER_QUANTITY: i64 = 1_000_000_000;
pub const MAX_DESCRIPTION: usize = 500;

impl Driver {
    /// A driver named as the contract asks: 1 to 32 of `a-z`, `0-9`, `_`.
    pub fn parse(name: &str, quantity: i64, field: &str) -> Result<Self, FieldViolation> {
        let good_name = (1..=32).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !good_name {
            return Err(FieldViolation::new(
                format!("{field}.name"),
                "must be 1 to 32 lower-case letters, digits and underscores",
            ));
        }
        if !(0..=MAX_DRIVER_QUANTITY).contains(&quantity) {
            return Err(FieldViolation::new(
                format!("{field}.quantity"),
                "must be 0 to 1,000,000,000",
            ));
        }
        Ok(Self {
            name: name.to_owned(),
            quantity,
        })
    }
}

/// What a caller asks to enter, parsed at the edge but not yet checked as
/// a whole (see [`NewEntry::check`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub station_id: String,
    pub month: Period,
    pub category: Category,
    /// `None`: the category's usual behaviour.
    pub behaviour: Option<Behaviour>,
    pub amount: i64,
    pub fixed_amount: Option<i64>,
    pub driver: Option<Driver>,
    pub description: String,
}

/// The amounts of an entry as they count: the whole, and its fixed part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    pub behaviour: Behaviour,
    pub amount: i64,
    pub fixed: i64,
}

impl NewEntry {
    /// The rules of an entry on its own, each refusal naming its field
    /// under `entry`: a real month, no WARRANTY, a non-zero amount, and a
    /// fixed part and driver for (and only for) a semi-variable cost, the
    /// fixed part between zero and the amount.
    pub fn check(&self) -> Result<Split, FieldViolation> {
        if !matches!(self.month, Period::Month { .. }) {
            return Err(FieldViolation::new("entry.month", "must be a month"));
        }
        if self.category == Category::Warranty {
            return Err(FieldViolation::new(
                "entry.category",
                "WARRANTY is added by approved claims, never entered",
            ));
        }
        if self.amount == 0 {
            return Err(FieldViolation::new(
                "entry.amount.minor_units",
                "must not be zero",
            ));
        }
        text::plain(&self.description, MAX_DESCRIPTION)
            .map_err(|e| FieldViolation::new("entry.description", e.to_string()))?;
        let behaviour = self
            .behaviour
            .unwrap_or_else(|| self.category.usual_behaviour());
        let fixed = match behaviour {
            Behaviour::SemiVariable => {
                let fixed = self.fixed_amount.ok_or_else(|| {
                    FieldViolation::new("entry.fixed_amount", "a semi-variable cost needs it")
                })?;
                if self.driver.is_none() {
                    return Err(FieldViolation::new(
                        "entry.driver",
                        "a semi-variable cost needs it",
                    ));
                }
                // Between zero and the amount, whichever its sign.
                let (low, high) = (self.amount.min(0), self.amount.max(0));
                if !(low..=high).contains(&fixed) {
                    return Err(FieldViolation::new(
                        "entry.fixed_amount",
                        "must be between zero and the amount",
                    ));
                }
                fixed
            }
            Behaviour::Fixed | Behaviour::Variable => {
                if self.fixed_amount.is_some() {
                    return Err(FieldViolation::new(
                        "entry.fixed_amount",
                        "only a semi-variable cost has a fixed part",
                    ));
                }
                if self.driver.is_some() {
                    return Err(FieldViolation::new(
                        "entry.driver",
                        "only a semi-variable cost has a driver",
                    ));
                }
                if behaviour == Behaviour::Fixed {
                    self.amount
                } else {
                    0
                }
            }
        };
        Ok(Split {
            behaviour,
            amount: self.amount,
            fixed,
        })
    }
}

/// An entered cost, as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostEntry {
    pub id: String,
    pub place: Place,
    pub month: Period,
    pub category: Category,
    pub behaviour: Behaviour,
    pub amount: i64,
    /// The fixed part: the whole of a fixed cost, none of a variable one.
    pub fixed: i64,
    pub driver: Option<Driver>,
    pub description: String,
    pub created_by: String,
    /// Microseconds since the epoch.
    pub create_time: i64,
}

impl CostEntry {
    /// The tally rows the entry adds to: its whole amount and its fixed
    /// part, for its station, dealer, region and the network, in its month,
    /// quarter and year.
    pub fn tally_amounts(&self) -> Vec<(super::tally::TallyKey, i64)> {
        use super::tally::{keys, periods_of_month};
        let scopes = self.place.scopes();
        let periods = periods_of_month(self.month);
        let whole = keys(&scopes, &periods, &self.category.measure())
            .into_iter()
            .map(|k| (k, self.amount));
        let fixed = keys(&scopes, &periods, &self.category.fixed_measure())
            .into_iter()
            .map(|k| (k, self.fixed));
        whole.chain(fixed).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(category: Category, behaviour: Option<Behaviour>, amount: i64) -> NewEntry {
        NewEntry {
            station_id: "s1".into(),
            month: Period::from_parts(1, 2026, 11).unwrap(),
            category,
            behaviour,
            amount,
            fixed_amount: None,
            driver: None,
            description: String::new(),
        }
    }

    fn field(e: &NewEntry) -> String {
        e.check().unwrap_err().field
    }

    /// docs/budgets.md, example 1.1.
    #[test]
    fn a_category_counts_as_its_usual_behaviour() {
        let premises = entry(Category::Premises, None, 1_200_000).check().unwrap();
        assert_eq!(
            (premises.behaviour, premises.fixed),
            (Behaviour::Fixed, 1_200_000)
        );
        let parts = entry(Category::Parts, None, 5_000).check().unwrap();
        assert_eq!((parts.behaviour, parts.fixed), (Behaviour::Variable, 0));
    }

    /// docs/budgets.md, example 1.2.
    #[test]
    fn a_semi_variable_cost_needs_its_fixed_part_and_driver() {
        let mut e = entry(Category::Utilities, Some(Behaviour::SemiVariable), 80_000);
        assert_eq!(field(&e), "entry.fixed_amount");
        e.fixed_amount = Some(30_000);
        assert_eq!(field(&e), "entry.driver");
        e.driver = Some(Driver::parse("kwh", 2_500, "entry.driver").unwrap());
        assert_eq!(e.check().unwrap().fixed, 30_000);
        e.fixed_amount = Some(80_001);
        assert_eq!(field(&e), "entry.fixed_amount");
        // A correction: the fixed part lies between the amount and zero.
        e.amount = -1_000;
        e.fixed_amount = Some(-400);
        assert_eq!(e.check().unwrap().fixed, -400);
    }

    /// docs/budgets.md, example 1.4.
    #[test]
    fn an_entry_counts_in_24_tally_rows() {
        let entry = CostEntry {
            id: "ce-1".into(),
            place: Place {
                station_id: "s1".into(),
                dealer_id: "d1".into(),
                region_id: "north".into(),
            },
            month: Period::from_parts(1, 2026, 11).unwrap(),
            category: Category::Utilities,
            behaviour: Behaviour::SemiVariable,
            amount: 80_000,
            fixed: 30_000,
            driver: None,
            description: String::new(),
            created_by: "u".into(),
            create_time: 0,
        };
        let rows = entry.tally_amounts();
        assert_eq!(rows.len(), 24);
        let of = |scope: &str, period: &str, measure: &str| {
            rows.iter()
                .find(|(k, _)| k.scope.id == scope && k.period == period && k.measure == measure)
                .map(|(_, a)| *a)
        };
        assert_eq!(of("north", "2026-Q4", "cost.UTILITIES"), Some(80_000));
        assert_eq!(of("", "2026", "cost.UTILITIES.fixed"), Some(30_000));
        assert_eq!(of("s1", "2026-11", "cost.UTILITIES.fixed"), Some(30_000));
    }

    #[test]
    fn what_an_entry_may_not_be() {
        assert_eq!(field(&entry(Category::Warranty, None, 1)), "entry.category");
        assert_eq!(
            field(&entry(Category::Parts, None, 0)),
            "entry.amount.minor_units"
        );
        let mut fixed_with_part = entry(Category::Premises, None, 10);
        fixed_with_part.fixed_amount = Some(5);
        assert_eq!(field(&fixed_with_part), "entry.fixed_amount");
        let mut quarter = entry(Category::Parts, None, 10);
        quarter.month = Period::from_parts(2, 2026, 4).unwrap();
        assert_eq!(field(&quarter), "entry.month");
        assert_eq!(
            Driver::parse("kWh", 1, "entry.driver").unwrap_err().field,
            "entry.driver.name"
        );
    }

    #[test]
    fn measures_name_the_category_and_its_fixed_part() {
        assert_eq!(Category::Premises.measure(), "cost.PREMISES");
        assert_eq!(
            Category::of_measure("cost.PART_TIME_WAGES.fixed"),
            Some((Category::PartTimeWages, true))
        );
        assert_eq!(
            Category::of_measure("cost.WARRANTY"),
            Some((Category::Warranty, false))
        );
        assert_eq!(Category::of_measure("ro.count"), None);
    }
}
