//! The effective-dated rates costs are computed at: a station's labour cost
//! per hour (or the network default's), the warranty labour rate, a
//! model's warranty terms. Each stands from its effective time (or day)
//! until the next one, so that any past moment's can be reproduced.

use serde::{Deserialize, Serialize};
use time::Date;

/// A station's labour cost per hour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabourCostRate {
    /// Empty for the network default.
    pub station_id: String,
    /// Microseconds since the epoch.
    pub effective_time: i64,
    /// Minor units, 0 or more.
    pub hourly_cost: i64,
    pub create_time: i64,
}

/// What the OEM pays per standard hour of warranty work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarrantyLabourRate {
    pub effective_time: i64,
    pub hourly_rate: i64,
    pub create_time: i64,
}

/// Months from the warranty start, or kilometres, whichever comes first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarrantyTerms {
    pub model: String,
    /// For vehicles whose warranty starts on or after this day.
    pub effective_date: Date,
    pub months: i32,
    pub kilometres: i64,
    pub create_time: i64,
}

pub const MONTHS: std::ops::RangeInclusive<i32> = 1..=240;
pub const KILOMETRES: std::ops::RangeInclusive<i64> = 1..=10_000_000;
