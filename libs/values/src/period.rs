//! Reporting periods: a month, a quarter or a year, written `2026-11`,
//! `2026-Q4` and `2026`.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};
use time::{Date, Month};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("must be a month (2026-11), a quarter (2026-Q4) or a year (2026)")]
    Syntax,
    #[error("year must be between {MIN_YEAR} and {MAX_YEAR}")]
    Year,
    #[error("month must be 1 to 12")]
    Month,
    #[error("quarter must be 1 to 4")]
    Quarter,
    #[error("a year has number 0")]
    YearNumber,
    #[error("kind must be set")]
    Kind,
}

pub const MIN_YEAR: i32 = 1970;
pub const MAX_YEAR: i32 = 9999;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Period {
    Month { year: i32, month: u8 },
    Quarter { year: i32, quarter: u8 },
    Year { year: i32 },
}

/// The kind of a period, as the contracts number it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKind {
    Month = 1,
    Quarter = 2,
    Year = 3,
}

impl Period {
    /// From the contract's fields: a kind (1 month, 2 quarter, 3 year), a
    /// year, and the number of the month or quarter (0 for a year).
    pub fn from_parts(kind: i32, year: i32, number: i32) -> Result<Self, PeriodError> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(PeriodError::Year);
        }
        match kind {
            1 if (1..=12).contains(&number) => Ok(Period::Month {
                year,
                month: number as u8,
            }),
            1 => Err(PeriodError::Month),
            2 if (1..=4).contains(&number) => Ok(Period::Quarter {
                year,
                quarter: number as u8,
            }),
            2 => Err(PeriodError::Quarter),
            3 if number == 0 => Ok(Period::Year { year }),
            3 => Err(PeriodError::YearNumber),
            _ => Err(PeriodError::Kind),
        }
    }

    /// The contract's (kind, year, number) for this period.
    pub fn parts(&self) -> (PeriodKind, i32, i32) {
        match *self {
            Period::Month { year, month } => (PeriodKind::Month, year, month.into()),
            Period::Quarter { year, quarter } => (PeriodKind::Quarter, year, quarter.into()),
            Period::Year { year } => (PeriodKind::Year, year, 0),
        }
    }

    /// The period of the same kind that holds `date`.
    pub fn containing(kind: PeriodKind, date: Date) -> Self {
        let (year, month) = (date.year(), u8::from(date.month()));
        match kind {
            PeriodKind::Month => Period::Month { year, month },
            PeriodKind::Quarter => Period::Quarter {
                year,
                quarter: (month - 1) / 3 + 1,
            },
            PeriodKind::Year => Period::Year { year },
        }
    }

    /// The first day of the period.
    pub fn first_day(&self) -> Date {
        let (year, month) = match *self {
            Period::Month { year, month } => (year, month),
            Period::Quarter { year, quarter } => (year, (quarter - 1) * 3 + 1),
            Period::Year { year } => (year, 1),
        };
        first_of(year, month)
    }

    /// The first day after the period.
    pub fn end_day(&self) -> Date {
        self.next().first_day()
    }

    pub fn contains(&self, date: Date) -> bool {
        self.first_day() <= date && date < self.end_day()
    }

    /// The period of the same kind just before this one (for "movement since
    /// the last period").
    pub fn previous(&self) -> Period {
        match *self {
            Period::Month { year, month: 1 } => Period::Month {
                year: year - 1,
                month: 12,
            },
            Period::Month { year, month } => Period::Month {
                year,
                month: month - 1,
            },
            Period::Quarter { year, quarter: 1 } => Period::Quarter {
                year: year - 1,
                quarter: 4,
            },
            Period::Quarter { year, quarter } => Period::Quarter {
                year,
                quarter: quarter - 1,
            },
            Period::Year { year } => Period::Year { year: year - 1 },
        }
    }

    /// The period of the same kind just after this one.
    pub fn next(&self) -> Period {
        match *self {
            Period::Month { year, month: 12 } => Period::Month {
                year: year + 1,
                month: 1,
            },
            Period::Month { year, month } => Period::Month {
                year,
                month: month + 1,
            },
            Period::Quarter { year, quarter: 4 } => Period::Quarter {
                year: year + 1,
                quarter: 1,
            },
            Period::Quarter { year, quarter } => Period::Quarter {
                year,
                quarter: quarter + 1,
            },
            Period::Year { year } => Period::Year { year: year + 1 },
        }
    }
}

fn first_of(year: i32, month: u8) -> Date {
    let month = Month::try_from(month).unwrap_or(Month::January);
    // Years past MAX_YEAR + 1 never reach here: parsing refuses them.
    Date::from_calendar_date(year, month, 1).unwrap_or(Date::MAX)
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            Period::Quarter { year, quarter } => write!(f, "{year:04}-Q{quarter}"),
            Period::Year { year } => write!(f, "{year:04}"),
        }
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Self, PeriodError> {
        let digits = |t: &str| -> Result<i32, PeriodError> {
            if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) || t.len() > 4 {
                return Err(PeriodError::Syntax);
            }
            t.parse().map_err(|_| PeriodError::Syntax)
        };
        let (year, rest) = match s.split_once('-') {
            Some((y, rest)) => (y, Some(rest)),
            None => (s, None),
        };
        if year.len() != 4 {
            return Err(PeriodError::Syntax);
        }
        let year = digits(year)?;
        match rest {
            None => Period::from_parts(3, year, 0),
            Some(q) if q.starts_with('Q') && q.len() == 2 => {
                Period::from_parts(2, year, digits(&q[1..])?)
            }
            Some(m) if m.len() == 2 => Period::from_parts(1, year, digits(m)?),
            Some(_) => Err(PeriodError::Syntax),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use time::macros::date;

    use super::*;

    #[test]
    fn quarters_hold_three_months() {
        let q: Period = "2026-Q4".parse().unwrap();
        assert_eq!(q.first_day(), date!(2026 - 10 - 01));
        assert_eq!(q.end_day(), date!(2027 - 01 - 01));
        assert!(q.contains(date!(2026 - 12 - 31)));
        assert!(!q.contains(date!(2027 - 01 - 01)));
        assert_eq!(
            Period::containing(PeriodKind::Quarter, date!(2026 - 11 - 24)),
            q
        );
        assert_eq!(q.previous().to_string(), "2026-Q3");
    }

    #[test]
    fn bad_periods_say_why() {
        assert_eq!("2026-13".parse::<Period>(), Err(PeriodError::Month));
        assert_eq!("2026-Q5".parse::<Period>(), Err(PeriodError::Quarter));
        assert_eq!("26-01".parse::<Period>(), Err(PeriodError::Syntax));
        assert_eq!("1969".parse::<Period>(), Err(PeriodError::Year));
        assert_eq!(Period::from_parts(0, 2026, 1), Err(PeriodError::Kind));
    }

    fn any_period() -> impl Strategy<Value = Period> {
        prop_oneof![
            (MIN_YEAR..MAX_YEAR, 1u8..=12).prop_map(|(year, month)| Period::Month { year, month }),
            (MIN_YEAR..MAX_YEAR, 1u8..=4)
                .prop_map(|(year, quarter)| Period::Quarter { year, quarter }),
            (MIN_YEAR..MAX_YEAR).prop_map(|year| Period::Year { year }),
        ]
    }

    proptest! {
        #[test]
        fn text_round_trips(p in any_period()) {
            prop_assert_eq!(p.to_string().parse::<Period>(), Ok(p));
        }

        #[test]
        fn parts_round_trip(p in any_period()) {
            let (kind, year, number) = p.parts();
            prop_assert_eq!(Period::from_parts(kind as i32, year, number), Ok(p));
        }

        #[test]
        fn periods_tile_time(p in any_period()) {
            prop_assert_eq!(p.next().first_day(), p.end_day());
            prop_assert_eq!(p.next().previous(), p);
            prop_assert!(p.contains(p.first_day()));
            prop_assert!(!p.contains(p.end_day()));
        }

        #[test]
        fn parsing_never_panics(s in "\\PC{0,12}") {
            let _ = s.parse::<Period>();
        }
    }
}
