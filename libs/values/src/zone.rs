//! The OEM's time zone: the one clock by which every service buckets its
//! days and periods (months, quarters, years), daylight saving included.
//! An IANA name (`Asia/Shanghai`, `Europe/Berlin`), looked up in the time
//! zone database bundled with the binary, so that a zone means the same on
//! every machine, with or without `/usr/share/zoneinfo`.

use std::fmt;

use serde::Deserialize;
use time::{Date, OffsetDateTime};

use crate::period::{Period, PeriodKind};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a time zone of the IANA database (say `Asia/Shanghai` or `UTC`)")]
pub struct UnknownZone(pub String);

/// An IANA time zone, parsed once at start-up.
#[derive(Clone, Deserialize)]
#[serde(try_from = "String")]
pub struct OemZone {
    /// The database's own spelling of the name, so that two spellings of
    /// one zone compare equal.
    name: String,
    tz: jiff::tz::TimeZone,
}

impl OemZone {
    pub fn utc() -> Self {
        Self {
            name: "UTC".into(),
            tz: jiff::tz::TimeZone::UTC,
        }
    }

    /// The zone named `name` in the IANA database.
    pub fn parse(name: &str) -> Result<Self, UnknownZone> {
        let unknown = || UnknownZone(name.to_owned());
        let tz = jiff::tz::TimeZone::get(name.trim()).map_err(|_| unknown())?;
        if tz.is_unknown() {
            return Err(unknown()); // `Etc/Unknown` is a name, not a zone
        }
        let name = tz.iana_name().unwrap_or(name.trim()).to_owned();
        Ok(Self { name, tz })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The OEM's calendar day at the instant `at`.
    pub fn local_day(&self, at: OffsetDateTime) -> Date {
        let Ok(t) = jiff::Timestamp::from_second(at.unix_timestamp()) else {
            return at.date(); // beyond year 9999: no period reaches there
        };
        let d = self.tz.to_datetime(t).date();
        time::Month::try_from(d.month() as u8)
            .ok()
            .and_then(|m| Date::from_calendar_date(d.year().into(), m, d.day() as u8).ok())
            .unwrap_or_else(|| at.date())
    }

    /// The first instant of the OEM's day `day`: its local midnight, or the
    /// end of the gap when the clocks skip midnight.
    pub fn start_of_day(&self, day: Date) -> OffsetDateTime {
        let utc = day.midnight().assume_utc();
        let start = i16::try_from(day.year())
            .ok()
            .and_then(|y| {
                jiff::civil::Date::new(y, u8::from(day.month()) as i8, day.day() as i8).ok()
            })
            .and_then(|d| {
                self.tz
                    .to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
                    .ok()
            })
            .and_then(|t| OffsetDateTime::from_unix_timestamp(t.as_second()).ok());
        // Only the far ends of the calendar fail; read those as UTC.
        start.unwrap_or(utc)
    }

    /// The first instant of `period` and the first after it.
    pub fn period_bounds(&self, period: &Period) -> (OffsetDateTime, OffsetDateTime) {
        (
            self.start_of_day(period.first_day()),
            self.start_of_day(period.end_day()),
        )
    }

    /// The period of `kind` that holds the instant `at`.
    pub fn period_of(&self, kind: PeriodKind, at: OffsetDateTime) -> Period {
        Period::containing(kind, self.local_day(at))
    }
}

impl Default for OemZone {
    fn default() -> Self {
        Self::utc()
    }
}

impl PartialEq for OemZone {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for OemZone {}

impl fmt::Debug for OemZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OemZone({})", self.name)
    }
}

impl fmt::Display for OemZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl TryFrom<String> for OemZone {
    type Error = UnknownZone;

    fn try_from(name: String) -> Result<Self, UnknownZone> {
        Self::parse(&name)
    }
}

#[cfg(test)]
mod tests {
    use time::{
        Duration,
        macros::{date, datetime},
    };

    use super::*;

    fn berlin() -> OemZone {
        OemZone::parse("Europe/Berlin").unwrap()
    }

    #[test]
    fn an_instant_late_on_the_last_utc_day_of_a_month_is_the_next_month_in_berlin() {
        // Summer time (UTC+2): 22:30Z on 31 March is 00:30 on 1 April.
        let at = datetime!(2026-03-31 22:30 UTC);
        assert_eq!(berlin().local_day(at), date!(2026 - 04 - 01));
        assert_eq!(
            berlin().period_of(PeriodKind::Month, at).to_string(),
            "2026-04"
        );
        assert_eq!(
            OemZone::utc().period_of(PeriodKind::Month, at).to_string(),
            "2026-03"
        );
        // Winter time again (UTC+1): 23:30Z on 31 October is 00:30 on 1
        // November.
        let at = datetime!(2026-10-31 23:30 UTC);
        assert_eq!(berlin().local_day(at), date!(2026 - 11 - 01));
        assert_eq!(
            berlin().period_of(PeriodKind::Quarter, at).to_string(),
            "2026-Q4"
        );
    }

    #[test]
    fn a_day_lasts_23_or_25_hours_when_the_clocks_change() {
        let z = berlin();
        let length = |d: Date| z.start_of_day(d + Duration::days(1)) - z.start_of_day(d);
        assert_eq!(length(date!(2026 - 03 - 29)), Duration::hours(23));
        assert_eq!(length(date!(2026 - 10 - 25)), Duration::hours(25));
        assert_eq!(length(date!(2026 - 06 - 01)), Duration::hours(24));
    }

    #[test]
    fn a_months_bounds_are_its_local_midnights() {
        let april: Period = "2026-04".parse().unwrap();
        let (start, end) = berlin().period_bounds(&april);
        assert_eq!(start, datetime!(2026-03-31 22:00 UTC));
        assert_eq!(end, datetime!(2026-04-30 22:00 UTC));
        let q4: Period = "2026-Q4".parse().unwrap();
        let (start, end) = berlin().period_bounds(&q4);
        assert_eq!(start, datetime!(2026-09-30 22:00 UTC));
        assert_eq!(end, datetime!(2026-12-31 23:00 UTC));
        // In UTC the bounds are the UTC midnights.
        assert_eq!(
            OemZone::utc().period_bounds(&april).0,
            datetime!(2026-04-01 00:00 UTC)
        );
    }

    #[test]
    fn a_day_whose_midnight_is_skipped_starts_when_the_clocks_resume() {
        // Santiago moved its clocks from 00:00 to 01:00 on 2022-09-11.
        let z = OemZone::parse("America/Santiago").unwrap();
        let start = z.start_of_day(date!(2022 - 09 - 11));
        assert_eq!(start, datetime!(2022-09-11 04:00 UTC));
        assert_eq!(z.local_day(start), date!(2022 - 09 - 11));
        assert_eq!(
            z.local_day(start - Duration::seconds(1)),
            date!(2022 - 09 - 10)
        );
    }

    #[test]
    fn every_instant_falls_in_the_day_whose_bounds_hold_it() {
        let z = OemZone::parse("Asia/Shanghai").unwrap();
        let mut at = datetime!(2026-12-31 00:00 UTC);
        while at < datetime!(2027-01-02 00:00 UTC) {
            let day = z.local_day(at);
            assert!(z.start_of_day(day) <= at && at < z.start_of_day(day.next_day().unwrap()));
            at += Duration::minutes(30);
        }
    }

    #[test]
    fn a_name_not_in_the_database_is_refused() {
        assert_eq!(
            OemZone::parse("Mars/Olympus").unwrap_err(),
            UnknownZone("Mars/Olympus".into())
        );
        assert!(OemZone::parse("Etc/Unknown").is_err());
        assert!(OemZone::parse("").is_err());
        assert_eq!(OemZone::parse("UTC").unwrap(), OemZone::default());
        assert_eq!(berlin().to_string(), "Europe/Berlin");
    }

    #[test]
    fn two_spellings_of_one_zone_are_one_zone() {
        assert_eq!(OemZone::parse("europe/berlin").unwrap(), berlin());
    }
}
