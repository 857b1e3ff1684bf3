//! Times are stored as microseconds since the Unix epoch in `BIGINT`
//! columns: one representation that both engines compare and index alike.

use std::{
    fmt,
    sync::{Arc, Mutex, PoisonError},
};

use time::{Date, OffsetDateTime};

pub fn to_micros(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000) as i64
}

pub fn from_micros(micros: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

pub fn now_micros() -> i64 {
    to_micros(OffsetDateTime::now_utc())
}

/// Where a service reads the time it stamps and judges by: the system's
/// clock, or one a test sets (see [`ManualClock`]).
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> OffsetDateTime + Send + Sync>);

impl Clock {
    pub fn system() -> Self {
        Self(Arc::new(OffsetDateTime::now_utc))
    }

    pub fn new(read: impl Fn() -> OffsetDateTime + Send + Sync + 'static) -> Self {
        Self(Arc::new(read))
    }

    pub fn now(&self) -> OffsetDateTime {
        (self.0)()
    }

    pub fn now_micros(&self) -> i64 {
        to_micros(self.now())
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::system()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Clock")
    }
}

/// A time a test sets by hand, and the [`Clock`] that reads it: the
/// system's time while none is set.
#[derive(Debug, Clone, Default)]
pub struct ManualClock(Arc<Mutex<Option<OffsetDateTime>>>);

impl ManualClock {
    /// The clock reads `t` from now on; with none, the system's time again.
    pub fn set(&self, t: Option<OffsetDateTime>) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = t;
    }

    pub fn clock(&self) -> Clock {
        let set = self.0.clone();
        Clock::new(move || {
            set.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .unwrap_or_else(OffsetDateTime::now_utc)
        })
    }
}

/// Dates are stored as `YYYY-MM-DD` text, which sorts as dates do.
pub fn date_to_text(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

pub fn date_from_text(s: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, &format).ok()
}
