//! Maintenance reminders: when a vehicle is next due for service, by time
//! or by mileage, whichever comes first, from its model's service schedule,
//! its last service and how far it is driven. No transport and no SQL here.

use time::{Date, Duration, Month};

/// A service interval of a model's schedule; 0 for a measure it does not
/// use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub months: u32,
    pub kilometres: i64,
}

/// What is known of a vehicle's service life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceLife {
    /// When its life began: the sale (or the warranty start).
    pub start: Date,
    /// The last maintenance service: its day and the mileage then; None
    /// before the first.
    pub last_service: Option<(Date, i64)>,
    /// The last mileage recorded, and the day it was.
    pub mileage: (Date, i64),
}

/// Why the service is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueBy {
    Time,
    Mileage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    pub date: Date,
    pub by: DueBy,
}

/// `date` plus `months`, on the same day of the month or the month's last.
fn add_months(date: Date, months: u32) -> Date {
    let total = date.year() * 12 + i32::from(u8::from(date.month())) - 1 + months as i32;
    let (year, month) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u8);
    let month = Month::try_from(month).expect("1 to 12");
    let day = date.day().min(time::util::days_in_month(month, year));
    Date::from_calendar_date(year, month, day).expect("a valid day")
}

/// When `life` is next due under `interval`: the earlier of the time since
/// the last service (or the start) and the day the mileage since then is
/// expected to reach the interval, at the vehicle's average daily distance.
pub fn next_due(interval: Interval, life: ServiceLife) -> Option<Due> {
    let (since, km_then) = life.last_service.unwrap_or((life.start, 0));
    let by_time = (interval.months > 0).then(|| Due {
        date: add_months(since, interval.months),
        by: DueBy::Time,
    });
    let (read_on, km_now) = life.mileage;
    let days_driven = (read_on - life.start).whole_days();
    let by_mileage = (interval.kilometres > 0 && days_driven > 0 && km_now > 0).then(|| {
        let left = km_then + interval.kilometres - km_now;
        // Whole days at the average rate, rounded up; already past: today.
        let days = if left <= 0 {
            0
        } else {
            (left * days_driven + km_now - 1) / km_now
        };
        Due {
            date: read_on + Duration::days(days),
            by: DueBy::Mileage,
        }
    });
    match (by_time, by_mileage) {
        (Some(t), Some(m)) => Some(if m.date < t.date { m } else { t }),
        (t, m) => t.or(m),
    }
}

/// The earliest due date over a model's schedule.
pub fn next_due_of(schedule: &[Interval], life: ServiceLife) -> Option<Due> {
    schedule
        .iter()
        .filter_map(|i| next_due(*i, life))
        .min_by_key(|d| d.date)
}

/// A vehicle due for maintenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub vehicle_id: String,
    pub customer_id: String,
    pub advisor_id: String,
    pub model: String,
    pub due: Due,
    pub mileage_km: i64,
    pub last_service: Option<Date>,
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    const YEARLY_15K: Interval = Interval {
        months: 12,
        kilometres: 15_000,
    };

    #[test]
    fn a_rarely_driven_vehicle_is_due_by_time() {
        // Sold 2025-01-15, serviced 2025-12-01 at 4,000 km, 5,000 km read on
        // 2026-06-01 (about 10 km a day): 14,000 km to go take years, so the
        // year since the service decides.
        let life = ServiceLife {
            start: date!(2025 - 01 - 15),
            last_service: Some((date!(2025 - 12 - 01), 4_000)),
            mileage: (date!(2026 - 06 - 01), 5_000),
        };
        assert_eq!(
            next_due(YEARLY_15K, life),
            Some(Due {
                date: date!(2026 - 12 - 01),
                by: DueBy::Time
            })
        );
    }

    #[test]
    fn a_hard_driven_vehicle_is_due_by_mileage() {
        // Sold 2026-01-01, 18,100 km read on 2026-07-01 (181 days: 100 km a
        // day); no service yet, so 15,000 km was passed: due at once.
        let life = ServiceLife {
            start: date!(2026 - 01 - 01),
            last_service: None,
            mileage: (date!(2026 - 07 - 01), 18_100),
        };
        let due = next_due(YEARLY_15K, life).unwrap();
        assert_eq!((due.date, due.by), (date!(2026 - 07 - 01), DueBy::Mileage));
        // Serviced on 2026-07-01 at 18,100: the next 15,000 km take 150 days.
        let serviced = ServiceLife {
            last_service: Some((date!(2026 - 07 - 01), 18_100)),
            ..life
        };
        let due = next_due(YEARLY_15K, serviced).unwrap();
        assert_eq!(
            (due.date, due.by),
            (date!(2026 - 07 - 01) + Duration::days(150), DueBy::Mileage)
        );
    }

    #[test]
    fn months_keep_the_day_or_take_the_months_last() {
        assert_eq!(add_months(date!(2026 - 01 - 31), 1), date!(2026 - 02 - 28));
        assert_eq!(add_months(date!(2026 - 11 - 15), 14), date!(2028 - 01 - 15));
    }

    #[test]
    fn the_earliest_interval_of_the_schedule_is_next() {
        let life = ServiceLife {
            start: date!(2026 - 01 - 01),
            last_service: None,
            mileage: (date!(2026 - 01 - 01), 0),
        };
        let schedule = [
            YEARLY_15K,
            Interval {
                months: 6,
                kilometres: 0,
            },
        ];
        assert_eq!(
            next_due_of(&schedule, life).map(|d| d.date),
            Some(date!(2026 - 07 - 01))
        );
        assert_eq!(next_due_of(&[], life), None);
    }
}
