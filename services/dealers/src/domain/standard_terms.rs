//! A service standard as head office defines it: the rule of
//! [`super::standards`] with the name and description people know it by,
//! and the limits each of its terms is parsed against at the edge.

use aftercare_auth::{Principal, Scope};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use super::{
    access::Denied,
    standards::{Moment, OrderType, Standard},
    text::{DisplayName, Id},
};

/// A service standard: its rule (code, what it measures, its versions) and
/// how people know it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceStandard {
    pub rule: Standard,
    pub display_name: DisplayName,
    pub description: Description,
    pub create_time: OffsetDateTime,
    /// When the latest version was added.
    pub update_time: OffsetDateTime,
}

/// Head office defines standards and adds their versions; any other role
/// is refused before anything is looked up.
pub fn check_define(principal: &Principal) -> Result<(), Denied> {
    match principal.scope {
        Scope::Oem => Ok(()),
        _ => Err(Denied::NotAllowed(
            "only head office defines service standards",
        )),
    }
}

/// Every member of the network reads the definitions; the holder of a
/// survey link does not.
pub fn may_read(principal: &Principal) -> bool {
    !matches!(principal.scope, Scope::SurveyLink { .. })
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TermError {
    #[error("must be whole seconds from 0 to 366 days")]
    Threshold,
    #[error("must be 1 to 10000 basis points")]
    Target,
    #[error("must differ from from_moment")]
    SameMoments,
    #[error("must be set to a known moment")]
    Moment,
    #[error("must be set to a known repair order type")]
    OrderType,
    #[error("is listed twice")]
    Duplicate,
    #[error("must name at most {MAX_PILOT_STATIONS} stations")]
    TooManyPilots,
    #[error("must be at most {MAX_DESCRIPTION} characters")]
    DescriptionTooLong,
    #[error("must not hold control characters other than line breaks")]
    DescriptionControl,
}

/// The longest threshold a standard may allow.
pub const MAX_THRESHOLD: Duration = Duration::days(366);
pub const MAX_PILOT_STATIONS: usize = 1000;
pub const MAX_DESCRIPTION: usize = 2000;

aftercare_values::text_type!(
    /// A standard's description: at most 2000 characters, line breaks allowed.
    Description
);

impl Description {
    pub fn parse(s: &str) -> Result<Self, TermError> {
        let s = s.trim();
        if s.chars().count() > MAX_DESCRIPTION {
            return Err(TermError::DescriptionTooLong);
        }
        if s.chars().any(|c| c.is_control() && c != '\n') {
            return Err(TermError::DescriptionControl);
        }
        Ok(Self(s.to_owned()))
    }
}

/// A threshold given as seconds and nanoseconds (a protobuf Duration).
pub fn threshold(seconds: i64, nanos: i32) -> Result<Duration, TermError> {
    let d = Duration::seconds(seconds);
    if nanos != 0 || d.is_negative() || d > MAX_THRESHOLD {
        return Err(TermError::Threshold);
    }
    Ok(d)
}

/// A target rate in basis points.
pub fn target(basis_points: i32) -> Result<u32, TermError> {
    match u32::try_from(basis_points) {
        Ok(bp @ 1..=10_000) => Ok(bp),
        _ => Err(TermError::Target),
    }
}

/// A standard measures from one moment to another.
pub fn check_moments(from: Moment, to: Moment) -> Result<(), TermError> {
    if from == to {
        Err(TermError::SameMoments)
    } else {
        Ok(())
    }
}

/// The order types a standard applies to, each once, in the order of
/// [`OrderType::ALL`] (the order the store reads them back in); or the
/// position of the first one listed twice.
pub fn order_types(types: Vec<OrderType>) -> Result<Vec<OrderType>, (usize, TermError)> {
    if let Some(i) = first_repeat(&types) {
        return Err((i, TermError::Duplicate));
    }
    Ok(OrderType::ALL
        .into_iter()
        .filter(|t| types.contains(t))
        .collect())
}

/// The stations piloting a version, each once, ordered by id; or the
/// position of the first one listed twice (none: too many).
pub fn pilot_stations(ids: Vec<Id>) -> Result<Vec<Id>, (Option<usize>, TermError)> {
    if ids.len() > MAX_PILOT_STATIONS {
        return Err((None, TermError::TooManyPilots));
    }
    if let Some(i) = first_repeat(&ids) {
        return Err((Some(i), TermError::Duplicate));
    }
    let mut ids = ids;
    ids.sort();
    Ok(ids)
}

fn first_repeat<T: PartialEq>(items: &[T]) -> Option<usize> {
    (1..items.len()).find(|&i| items[..i].contains(&items[i]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_office_defines_and_the_network_reads() {
        let p = |scope| Principal {
            subject: "t".into(),
            scope,
        };
        let dms = p(Scope::Dms {
            dealer_id: "d1".into(),
        });
        let region = p(Scope::Region {
            region_id: "north".into(),
        });
        let survey = p(Scope::SurveyLink {
            invitation_id: "i".into(),
        });
        assert_eq!(check_define(&p(Scope::Oem)), Ok(()));
        for refused in [&dms, &region, &survey] {
            assert_eq!(
                check_define(refused),
                Err(Denied::NotAllowed(
                    "only head office defines service standards"
                ))
            );
        }
        assert!(may_read(&dms) && may_read(&region));
        assert!(!may_read(&survey));
    }

    #[test]
    fn thresholds_are_whole_seconds_up_to_366_days() {
        assert_eq!(threshold(0, 0), Ok(Duration::ZERO));
        assert_eq!(threshold(900, 0), Ok(Duration::minutes(15)));
        assert_eq!(threshold(366 * 86_400, 0), Ok(MAX_THRESHOLD));
        assert_eq!(threshold(366 * 86_400 + 1, 0), Err(TermError::Threshold));
        assert_eq!(threshold(-1, 0), Err(TermError::Threshold));
        assert_eq!(threshold(1, 500), Err(TermError::Threshold));
        assert_eq!(threshold(i64::MAX, 0), Err(TermError::Threshold));
    }

    #[test]
    fn targets_are_1_to_10000_basis_points() {
        assert_eq!(target(1), Ok(1));
        assert_eq!(target(10_000), Ok(10_000));
        assert_eq!(target(0), Err(TermError::Target));
        assert_eq!(target(10_001), Err(TermError::Target));
        assert_eq!(target(-5), Err(TermError::Target));
    }

    #[test]
    fn lists_refuse_repeats_and_come_back_in_a_fixed_order() {
        use OrderType::*;
        assert_eq!(
            order_types(vec![Recall, Maintenance]),
            Ok(vec![Maintenance, Recall])
        );
        assert_eq!(
            order_types(vec![Repair, Recall, Repair]),
            Err((2, TermError::Duplicate))
        );
        let id = |s: &str| Id::parse(s).unwrap();
        assert_eq!(
            pilot_stations(vec![id("s2"), id("s1")]),
            Ok(vec![id("s1"), id("s2")])
        );
        assert_eq!(
            pilot_stations(vec![id("s2"), id("s1"), id("s2")]),
            Err((Some(2), TermError::Duplicate))
        );
        let many = (0..=MAX_PILOT_STATIONS)
            .map(|i| id(&format!("s{i}")))
            .collect();
        assert_eq!(pilot_stations(many), Err((None, TermError::TooManyPilots)));
    }

    #[test]
    fn descriptions_keep_line_breaks_only() {
        assert_eq!(
            Description::parse(" Opened within 15 min.\nMeasured from arrival. ")
                .unwrap()
                .as_str(),
            "Opened within 15 min.\nMeasured from arrival."
        );
        assert_eq!(
            Description::parse("a\u{7}b"),
            Err(TermError::DescriptionControl)
        );
        assert_eq!(
            Description::parse(&"x".repeat(MAX_DESCRIPTION + 1)),
            Err(TermError::DescriptionTooLong)
        );
        assert!(Description::parse("").is_ok());
        assert_eq!(
            check_moments(Moment::Opened, Moment::Opened),
            Err(TermError::SameMoments)
        );
    }
}
