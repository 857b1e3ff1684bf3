//! Sums kept as the rows they sum are written: which tally rows one amount
//! adds to.

use aftercare_values::{OemZone, Period, period::PeriodKind};
use time::OffsetDateTime;

use super::scope::Scope;

/// One tally row: a measure of a scope in a period.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TallyKey {
    pub scope: Scope,
    /// `2026-12`, `2026-Q4` or `2026`, as [`Period`] displays it.
    pub period: String,
    pub measure: String,
}

/// The month, quarter and year that contain `at` in the OEM's `zone`.
pub fn periods_of(zone: &OemZone, at: OffsetDateTime) -> [Period; 3] {
    [PeriodKind::Month, PeriodKind::Quarter, PeriodKind::Year].map(|k| zone.period_of(k, at))
}

/// The month, its quarter and its year.
pub fn periods_of_month(month: Period) -> [Period; 3] {
    let day = month.first_day();
    [PeriodKind::Month, PeriodKind::Quarter, PeriodKind::Year].map(|k| Period::containing(k, day))
}

/// Every row that `measure` adds to, for each of `scopes` in each of
/// `periods`.
pub fn keys(scopes: &[Scope], periods: &[Period], measure: &str) -> Vec<TallyKey> {
    scopes
        .iter()
        .flat_map(|scope| {
            periods.iter().map(move |p| TallyKey {
                scope: scope.clone(),
                period: p.to_string(),
                measure: measure.to_owned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::scope::Place;

    #[test]
    fn an_amount_counts_in_its_month_quarter_and_year_for_every_scope() {
        let place = Place {
            station_id: "s1".into(),
            dealer_id: "d1".into(),
            region_id: "r1".into(),
        };
        let month = Period::from_parts(1, 2026, 11).unwrap();
        let keys = keys(&place.scopes(), &periods_of_month(month), "ro.count");
        assert_eq!(keys.len(), 12);
        let periods: Vec<_> = keys[..3].iter().map(|k| k.period.as_str()).collect();
        assert_eq!(periods, ["2026-11", "2026-Q4", "2026"]);
    }
}
