//! What every versioned object of every service carries: its version,
//! handed out as the etag, and when it was created and last changed.
//!
//! The rows side (a row's columns to a [`Meta`], a write's rows affected,
//! the constraint a write broke) is `aftercare_edge::resource`.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// An object's version (the etag) and times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub version: i64,
    pub create_time: OffsetDateTime,
    pub update_time: OffsetDateTime,
}

impl Meta {
    /// The meta of an object created at `now`: version 1.
    pub fn created(now: OffsetDateTime) -> Self {
        Self {
            version: 1,
            create_time: now,
            update_time: now,
        }
    }

    /// The meta of this object changed at `now`: the next version.
    pub fn next(&self, now: OffsetDateTime) -> Self {
        Self {
            version: self.version + 1,
            create_time: self.create_time,
            update_time: now,
        }
    }

    pub fn etag(&self) -> String {
        self.version.to_string()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EtagError {
    #[error("is not an etag this service issued")]
    Malformed,
}

/// The version an etag names.
pub fn parse_etag(etag: &str) -> Result<i64, EtagError> {
    etag.parse::<i64>()
        .ok()
        .filter(|v| *v > 0)
        .ok_or(EtagError::Malformed)
}

/// The version an update or delete names, if it names one: an empty etag
/// asks for no check.
pub fn parse_optional_etag(etag: &str) -> Result<Option<i64>, EtagError> {
    if etag.is_empty() {
        Ok(None)
    } else {
        parse_etag(etag).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_etag_is_a_positive_version() {
        assert_eq!(parse_etag("7"), Ok(7));
        assert_eq!(parse_optional_etag(""), Ok(None));
        assert_eq!(parse_optional_etag("7"), Ok(Some(7)));
        for bad in ["", "0", "-3", "x", "1.5", " 2"] {
            assert_eq!(parse_etag(bad), Err(EtagError::Malformed), "{bad:?}");
        }
    }

    #[test]
    fn a_change_keeps_the_creation_and_moves_the_version() {
        let t0 = OffsetDateTime::UNIX_EPOCH;
        let t1 = t0 + time::Duration::seconds(5);
        let meta = Meta::created(t0).next(t1);
        assert_eq!(meta.version, 2);
        assert_eq!(meta.create_time, t0);
        assert_eq!(meta.update_time, t1);
        assert_eq!(meta.etag(), "2");
    }
}
