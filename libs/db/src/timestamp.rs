//! Times are stored as microseconds since the Unix epoch in `BIGINT`
//! columns: one representation that both engines compare and index alike.

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

/// Dates are stored as `YYYY-MM-DD` text, which sorts as dates do.
pub fn date_to_text(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

pub fn date_from_text(s: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, &format).ok()
}
