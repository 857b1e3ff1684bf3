//! The compliance of a scope (a station, a dealer, a region, the network)
//! and period with a service standard: who may read it, what is kept of
//! each RO's standing so that a report need not judge every RO again, and
//! the report. No transport and no SQL here.

use std::collections::BTreeMap;

use aftercare_auth::{Principal, Scope as Role};
use time::{Duration, OffsetDateTime};

use super::{
    access::{self, Denied, Place},
    standards::{Compliance, OrderTimes, Standard, Standing},
};

/// Whose ROs are counted, with where each named place sits in the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Station {
        region_id: String,
        dealer_id: String,
        station_id: String,
    },
    Dealer {
        region_id: String,
        dealer_id: String,
    },
    Region {
        region_id: String,
    },
    Network,
}

/// The scope a request names, before it is looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopeRequest {
    Station(String),
    Dealer(String),
    Region(String),
    Network,
}

/// Why the compliance of the whole network is refused.
pub const NETWORK_ONLY_HEAD_OFFICE: &str =
    "only head office reads the compliance of the whole network";
/// Why the compliance of a place the caller sees is refused.
pub const NOT_YOURS: &str = "your role may not read the compliance of this place";

/// May `principal` read the compliance of `scope`? Head office reads every
/// scope; a region manager its region and what is in it; a dealer's staff
/// and DMS their dealer and its stations, staff whose account names
/// stations only those. A place the caller does not see is NOT_FOUND; one it
/// sees but whose ROs it may not all read (its own dealer, for staff of some
/// stations; any region, which everyone sees, for a dealer) is
/// PERMISSION_DENIED, as is the network for anyone but head office.
pub fn check_read(principal: &Principal, scope: &Scope) -> Result<(), Denied> {
    if matches!(principal.scope, Role::SurveyLink { .. }) {
        return Err(Denied::NotAllowed(NETWORK_ONLY_HEAD_OFFICE));
    }
    let sees = |place| {
        if access::sees(principal, place) {
            Ok(())
        } else {
            Err(Denied::Invisible)
        }
    };
    match scope {
        Scope::Station {
            region_id,
            dealer_id,
            station_id,
        } => sees(Place::Station {
            region_id,
            dealer_id,
            station_id,
        }),
        Scope::Dealer {
            region_id,
            dealer_id,
        } => {
            sees(Place::Dealer {
                region_id,
                dealer_id,
            })?;
            match &principal.scope {
                Role::Dealer { station_ids, .. } if !station_ids.is_empty() => {
                    Err(Denied::NotAllowed(NOT_YOURS))
                }
                _ => Ok(()),
            }
        }
        Scope::Region { region_id } => match &principal.scope {
            Role::Oem => Ok(()),
            Role::Region { region_id: own } if own == region_id => Ok(()),
            _ => Err(Denied::NotAllowed(NOT_YOURS)),
        },
        Scope::Network => match principal.scope {
            Role::Oem => Ok(()),
            _ => Err(Denied::NotAllowed(NETWORK_ONLY_HEAD_OFFICE)),
        },
    }
}

/// The ROs held to one version of a standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionResult {
    pub version: u32,
    pub compliance: Compliance,
    pub target_basis_points: u32,
}

impl VersionResult {
    pub fn target_met(&self) -> Option<bool> {
        self.compliance.meets(self.target_basis_points)
    }
}

/// What the report names as a standard's terms for the scope: the version in
/// force there at the end of the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terms {
    pub version: u32,
    pub target_basis_points: u32,
    pub key: bool,
}

/// A scope's compliance with one standard over a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Every RO counted, whichever version held it.
    pub compliance: Compliance,
    /// The version in force in the scope at the end of the period (or at
    /// `now`, while the period runs); none when no version was.
    pub terms: Option<Terms>,
    /// The ROs per version that held them, oldest version first.
    pub versions: Vec<VersionResult>,
}

impl Report {
    /// The report on the scope's ROs opened in a period that ends at
    /// `period_end` (its first instant after), judged at `now`,
    /// from their compliance per version that held them. `station` is the
    /// scope's station, if it is one: its pilot versions then count for the
    /// terms.
    pub fn of(
        standard: &Standard,
        by_version: BTreeMap<u32, Compliance>,
        now: OffsetDateTime,
        period_end: OffsetDateTime,
        station: Option<&str>,
    ) -> Report {
        let target_of = |number: u32| {
            standard
                .versions
                .iter()
                .find(|v| v.version == number)
                .map_or(0, |v| v.target_basis_points)
        };
        let versions: Vec<VersionResult> = by_version
            .into_iter()
            .map(|(version, compliance)| VersionResult {
                version,
                compliance,
                target_basis_points: target_of(version),
            })
            .collect();
        let compliance = versions
            .iter()
            .fold(Compliance::default(), |sum, v| sum + v.compliance);
        let at = (period_end - Duration::microseconds(1)).min(now);
        let terms = standard.version_in_force(station, at).map(|v| Terms {
            version: v.version,
            target_basis_points: v.target_basis_points,
            key: v.key,
        });
        Report {
            compliance,
            terms,
            versions,
        }
    }

    /// Whether the rate reaches the target of the terms; none when nothing
    /// was decided or no version was in force.
    pub fn target_met(&self) -> Option<bool> {
        self.terms
            .and_then(|t| self.compliance.meets(t.target_basis_points))
    }
}

/// A change to what is kept of one version of a standard for the ROs of
/// one station and day: how many met it and how many missed it, decided
/// for good, and for the one RO whose change it is, whether it is still
/// open and until when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TallyChange<'a> {
    pub code: &'a str,
    pub version: u32,
    pub met: i64,
    pub missed: i64,
    pub open: OpenChange,
}

/// What becomes of an RO's open standing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenChange {
    Unchanged,
    /// It was open and is no longer.
    Closed,
    /// It is open until this deadline.
    Open(OffsetDateTime),
}

/// What changes in the kept tallies when an RO's recorded times go from
/// `before` (none for a new RO) to `after`, in code order: concurrent
/// writers then take the tallies' row locks in the same order.
pub fn tally_changes<'a>(
    standards: &'a [Standard],
    before: Option<&OrderTimes>,
    after: &OrderTimes,
) -> Vec<TallyChange<'a>> {
    let mut changes = BTreeMap::new();
    for standard in standards {
        let was = before.and_then(|ro| standard.settle(ro));
        let is = standard.settle(after);
        if was.map(|(s, v)| (s, v.version)) == is.map(|(s, v)| (s, v.version)) {
            continue;
        }
        let mut apply = |standing: Standing, version: u32, sign: i64| {
            let change = changes
                .entry((standard.code.as_str(), version))
                .or_insert(TallyChange {
                    code: &standard.code,
                    version,
                    met: 0,
                    missed: 0,
                    open: OpenChange::Unchanged,
                });
            match standing {
                Standing::Met => change.met += sign,
                Standing::Missed => change.missed += sign,
                Standing::Open { deadline } if sign > 0 => change.open = OpenChange::Open(deadline),
                Standing::Open { .. } => change.open = OpenChange::Closed,
            }
        };
        if let Some((standing, version)) = was {
            apply(standing, version.version, -1);
        }
        if let Some((standing, version)) = is {
            apply(standing, version.version, 1);
        }
    }
    changes.into_values().collect()
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::domain::standards::{Moment, OrderType, Version};

    fn p(scope: Role) -> Principal {
        Principal {
            subject: "t".into(),
            scope,
        }
    }

    fn station(dealer: &str, station: &str) -> Scope {
        Scope::Station {
            region_id: "north".into(),
            dealer_id: dealer.into(),
            station_id: station.into(),
        }
    }

    fn dealer(dealer: &str) -> Scope {
        Scope::Dealer {
            region_id: "north".into(),
            dealer_id: dealer.into(),
        }
    }

    fn region(region: &str) -> Scope {
        Scope::Region {
            region_id: region.into(),
        }
    }

    #[test]
    fn who_reads_which_scope() {
        use Denied::Invisible as N;
        const P: Denied = Denied::NotAllowed(NOT_YOURS);
        const H: Denied = Denied::NotAllowed(NETWORK_ONLY_HEAD_OFFICE);
        let oem = p(Role::Oem);
        let north = p(Role::Region {
            region_id: "north".into(),
        });
        let south = p(Role::Region {
            region_id: "south".into(),
        });
        let d1 = p(Role::Dealer {
            dealer_id: "d1".into(),
            station_ids: vec![],
        });
        let s1_staff = p(Role::Dealer {
            dealer_id: "d1".into(),
            station_ids: vec!["s1".into()],
        });
        let dms = p(Role::Dms {
            dealer_id: "d1".into(),
        });
        let survey = p(Role::SurveyLink {
            invitation_id: "i".into(),
        });
        let scopes = [
            station("d1", "s1"),
            station("d1", "s2"),
            station("d2", "s3"),
            dealer("d1"),
            dealer("d2"),
            region("north"),
            region("south"),
            Scope::Network,
        ];
        let expect: [(&Principal, [Result<(), Denied>; 8]); 7] = [
            (&oem, [Ok(()); 8]),
            (
                &north,
                [
                    Ok(()),
                    Ok(()),
                    Ok(()),
                    Ok(()),
                    Ok(()),
                    Ok(()),
                    Err(P),
                    Err(H),
                ],
            ),
            (
                &south,
                [
                    Err(N),
                    Err(N),
                    Err(N),
                    Err(N),
                    Err(N),
                    Err(P),
                    Ok(()),
                    Err(H),
                ],
            ),
            (
                &d1,
                [
                    Ok(()),
                    Ok(()),
                    Err(N),
                    Ok(()),
                    Err(N),
                    Err(P),
                    Err(P),
                    Err(H),
                ],
            ),
            (
                &dms,
                [
                    Ok(()),
                    Ok(()),
                    Err(N),
                    Ok(()),
                    Err(N),
                    Err(P),
                    Err(P),
                    Err(H),
                ],
            ),
            (
                &s1_staff,
                [
                    Ok(()),
                    Err(N),
                    Err(N),
                    Err(P),
                    Err(N),
                    Err(P),
                    Err(P),
                    Err(H),
                ],
            ),
            (&survey, [Err(H); 8]),
        ];
        for (principal, answers) in expect {
            for (scope, want) in scopes.iter().zip(answers) {
                assert_eq!(
                    check_read(principal, scope),
                    want,
                    "{principal:?} {scope:?}"
                );
            }
        }
    }

    fn ro(station: &str, opened: OffsetDateTime, minutes_to_open: i64) -> OrderTimes {
        OrderTimes {
            station_id: station.into(),
            order_type: OrderType::Repair,
            fast_lane: false,
            moments: [
                (Moment::Arrival, opened - Duration::minutes(minutes_to_open)),
                (Moment::Opened, opened),
            ]
            .into_iter()
            .collect(),
            cancelled: None,
        }
    }

    fn opened_within_15() -> Standard {
        Standard {
            code: "RO-OPEN-15".into(),
            order_types: vec![],
            fast_lane_only: false,
            from: Moment::Arrival,
            to: Moment::Opened,
            versions: vec![
                Version {
                    version: 1,
                    effective_from: datetime!(2026-01-01 0:00 UTC),
                    threshold: Duration::minutes(15),
                    target_basis_points: 8000,
                    key: false,
                    pilot_stations: vec![],
                },
                // From 16 March, 10 min and 90 % at s1 only.
                Version {
                    version: 2,
                    effective_from: datetime!(2026-03-16 0:00 UTC),
                    threshold: Duration::minutes(10),
                    target_basis_points: 9000,
                    key: true,
                    pilot_stations: vec!["s1".into()],
                },
            ],
        }
    }

    /// March 2026: at s1, 12 min (1 Mar, v1: met), 14 min (20 Mar, v2:
    /// missed), 5 min (21 Mar, v2: met); at s2, 14 min (20 Mar, v1: met).
    /// s1: 2 of 3 = 6667 against v2's 9000: not met; per version v1 1 of 1,
    /// v2 1 of 2. Both stations: 3 of 4 = 7500 against v1's 8000 (the
    /// network's version at the end of March): not met.
    #[test]
    fn a_month_with_a_pilot_version_from_the_middle() {
        let s = opened_within_15();
        let orders = [
            ro("s1", datetime!(2026-03-01 9:00 UTC), 12),
            ro("s1", datetime!(2026-03-20 9:00 UTC), 14),
            ro("s1", datetime!(2026-03-21 9:00 UTC), 5),
            ro("s2", datetime!(2026-03-20 9:00 UTC), 14),
        ];
        let march = datetime!(2026-04-01 0:00 UTC); // the end of March
        let now = datetime!(2026-04-02 0:00 UTC);

        let s1 = Report::of(
            &s,
            Compliance::by_version(&s, &orders[..3], now),
            now,
            march,
            Some("s1"),
        );
        assert_eq!((s1.compliance.met, s1.compliance.missed), (2, 1));
        assert_eq!(s1.compliance.basis_points(), Some(6667));
        let terms = s1.terms.unwrap();
        assert_eq!(
            (terms.version, terms.target_basis_points, terms.key),
            (2, 9000, true)
        );
        assert_eq!(s1.target_met(), Some(false));
        let per_version: Vec<_> = s1
            .versions
            .iter()
            .map(|v| {
                (
                    v.version,
                    v.compliance.met,
                    v.compliance.missed,
                    v.target_met(),
                )
            })
            .collect();
        assert_eq!(per_version, [(1, 1, 0, Some(true)), (2, 1, 1, Some(false))]);

        let both = Report::of(
            &s,
            Compliance::by_version(&s, &orders, now),
            now,
            march,
            None,
        );
        assert_eq!(both.compliance.basis_points(), Some(7500));
        assert_eq!(both.terms.unwrap().version, 1);
        assert_eq!(both.target_met(), Some(false));

        // February: v1 in force, nothing opened, nothing decided.
        let feb = Report::of(
            &s,
            BTreeMap::new(),
            now,
            datetime!(2026-03-01 0:00 UTC),
            None,
        );
        assert_eq!(feb.terms.unwrap().target_basis_points, 8000);
        assert_eq!(feb.target_met(), None);
        assert!(feb.versions.is_empty());
        // December 2025: no version yet.
        let dec = Report::of(
            &s,
            BTreeMap::new(),
            now,
            datetime!(2026-01-01 0:00 UTC),
            None,
        );
        assert_eq!(dec.terms, None);
    }

    #[test]
    fn a_running_period_takes_the_terms_in_force_now() {
        let s = opened_within_15();
        let report = Report::of(
            &s,
            BTreeMap::new(),
            datetime!(2026-03-10 0:00 UTC),
            datetime!(2026-04-01 0:00 UTC),
            Some("s1"),
        );
        assert_eq!(report.terms.unwrap().version, 1, "v2 starts on the 16th");
    }

    /// Delivered by the promise, one version for the whole network.
    fn delivered_by_promise() -> Standard {
        let opened = opened_within_15();
        Standard {
            code: "DELIVERED-BY-PROMISE".into(),
            from: Moment::Promised,
            to: Moment::Delivered,
            versions: vec![Version {
                threshold: Duration::ZERO,
                ..opened.versions[0].clone()
            }],
            ..opened
        }
    }

    #[test]
    fn an_ro_is_tallied_once_when_decided_and_open_until_then() {
        let standards = [delivered_by_promise(), opened_within_15()];
        let opened = datetime!(2026-03-02 8:00 UTC);
        let promise = datetime!(2026-03-02 17:00 UTC);
        let mut ro = ro("s2", opened, 10);
        ro.moments.insert(Moment::Promised, promise);
        let change = |code, met, missed, open| TallyChange {
            code,
            version: 1,
            met,
            missed,
            open,
        };

        // Opened 10 min after arrival: met for good; the promise is open.
        assert_eq!(
            tally_changes(&standards, None, &ro),
            [
                change("DELIVERED-BY-PROMISE", 0, 0, OpenChange::Open(promise)),
                change("RO-OPEN-15", 1, 0, OpenChange::Unchanged),
            ]
        );
        // Started: nothing either standard measures.
        let before = ro.clone();
        ro.moments.insert(Moment::Started, opened);
        assert_eq!(tally_changes(&standards, Some(&before), &ro), []);
        // Delivered an hour late: a miss, no longer open.
        let before = ro.clone();
        ro.moments
            .insert(Moment::Delivered, promise + Duration::hours(1));
        assert_eq!(
            tally_changes(&standards, Some(&before), &ro),
            [change("DELIVERED-BY-PROMISE", 0, 1, OpenChange::Closed)]
        );
    }

    #[test]
    fn an_ro_cancelled_in_time_is_no_longer_open_and_not_tallied() {
        let standards = [delivered_by_promise()];
        let opened = datetime!(2026-03-02 8:00 UTC);
        let mut ro = ro("s2", opened, 10);
        ro.moments
            .insert(Moment::Promised, opened + Duration::hours(2));
        let before = ro.clone();
        ro.cancelled = Some(opened + Duration::hours(1));
        let changes = tally_changes(&standards, Some(&before), &ro);
        assert_eq!(
            changes,
            [TallyChange {
                code: "DELIVERED-BY-PROMISE",
                version: 1,
                met: 0,
                missed: 0,
                open: OpenChange::Closed,
            }]
        );
    }

    #[test]
    fn a_pilot_station_is_tallied_under_its_pilot_version() {
        let standards = [opened_within_15()];
        // 12 min: met under v1's 15 min at s2, missed under v2's 10 min at s1.
        let at = datetime!(2026-03-20 9:00 UTC);
        let tallied = |station| {
            let c = tally_changes(&standards, None, &ro(station, at, 12))[0];
            (c.version, c.met, c.missed)
        };
        assert_eq!(tallied("s2"), (1, 1, 0));
        assert_eq!(tallied("s1"), (2, 0, 1));
    }
}
