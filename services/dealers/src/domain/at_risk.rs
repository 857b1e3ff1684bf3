//! What a watch of a station's at-risk ROs compares between two reads: each
//! RO by id and version, in the order they are listed. An RO becoming at
//! risk or leaving the set, its promise moving, any change to it (which
//! bumps its version) or a new order is a change; the clock passing alone
//! is not (the reads already decide what is at risk now).

use super::orders::RepairOrder;

/// One RO as a watch remembers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub id: String,
    pub version: i64,
}

/// The at-risk set as a watch remembers it, in listed order.
pub fn seen(at_risk: &[RepairOrder]) -> Vec<Seen> {
    at_risk
        .iter()
        .map(|ro| Seen {
            id: ro.id.as_str().to_owned(),
            version: ro.meta.version,
        })
        .collect()
}

/// Whether the set read `now` is to be sent after the one sent `last`.
pub fn changed(last: &[Seen], now: &[Seen]) -> bool {
    last != now
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(ros: &[(&str, i64)]) -> Vec<Seen> {
        ros.iter()
            .map(|(id, version)| Seen {
                id: (*id).to_owned(),
                version: *version,
            })
            .collect()
    }

    #[test]
    fn the_same_ros_at_the_same_versions_are_no_change() {
        assert!(!changed(
            &set(&[("ro1", 3), ("ro2", 1)]),
            &set(&[("ro1", 3), ("ro2", 1)])
        ));
        assert!(!changed(&[], &[]));
    }

    #[test]
    fn an_ro_entering_or_leaving_the_set_is_a_change() {
        assert!(changed(
            &set(&[("ro1", 3)]),
            &set(&[("ro1", 3), ("ro2", 1)])
        ));
        assert!(changed(
            &set(&[("ro1", 3), ("ro2", 1)]),
            &set(&[("ro2", 1)])
        ));
        assert!(changed(&[], &set(&[("ro1", 1)])));
    }

    #[test]
    fn a_changed_ro_or_a_new_order_is_a_change() {
        // A moved promise bumps the version (and may reorder the set).
        assert!(changed(&set(&[("ro1", 3)]), &set(&[("ro1", 4)])));
        assert!(changed(
            &set(&[("ro1", 3), ("ro2", 1)]),
            &set(&[("ro2", 1), ("ro1", 3)])
        ));
    }
}
