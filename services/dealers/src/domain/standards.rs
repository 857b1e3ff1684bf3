//! Service standards: named, measurable promises about repair orders ("RO
//! opened within 15 min of arrival", "delivered by the promised time"…),
//! each the time from one recorded moment of an RO to another against a
//! threshold, with a target rate. A standard is versioned; a version may be
//! piloted on chosen stations before the whole network; the key ones are
//! flagged. Compliance of a set of ROs is the share that met the version in
//! force when each was opened. No transport and no SQL here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use aftercare_values::basis_points;

pub use super::repair_order::OrderType;

/// A moment recorded on a repair order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Moment {
    /// The vehicle arrived (or the appointment's customer did).
    Arrival,
    Opened,
    Started,
    Completed,
    Delivered,
    /// The time promised to the customer.
    Promised,
    /// The customer was called back after delivery.
    CalledBack,
}

impl Moment {
    pub const ALL: [Moment; 7] = [
        Moment::Arrival,
        Moment::Opened,
        Moment::Started,
        Moment::Completed,
        Moment::Delivered,
        Moment::Promised,
        Moment::CalledBack,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Moment::Arrival => "arrival",
            Moment::Opened => "opened",
            Moment::Started => "started",
            Moment::Completed => "completed",
            Moment::Delivered => "delivered",
            Moment::Promised => "promised",
            Moment::CalledBack => "called_back",
        }
    }

    pub fn parse(s: &str) -> Option<Moment> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// The moments recorded on one RO, each at most once. A slot per kind of
/// moment rather than a map: a station's month is 100,000 of these, built
/// and read once per standard.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Moments([Option<OffsetDateTime>; Moment::ALL.len()]);

impl Moments {
    pub fn get(&self, moment: &Moment) -> Option<&OffsetDateTime> {
        self.0[*moment as usize].as_ref()
    }

    pub fn insert(&mut self, moment: Moment, at: OffsetDateTime) {
        self.0[moment as usize] = Some(at);
    }
}

impl FromIterator<(Moment, OffsetDateTime)> for Moments {
    fn from_iter<I: IntoIterator<Item = (Moment, OffsetDateTime)>>(iter: I) -> Self {
        let mut moments = Moments::default();
        for (moment, at) in iter {
            moments.insert(moment, at);
        }
        moments
    }
}

/// What a standard needs to know of one RO.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderTimes {
    pub station_id: String,
    pub order_type: OrderType,
    pub fast_lane: bool,
    pub moments: Moments,
    /// When the RO was cancelled, if it was (before its work was done).
    pub cancelled: Option<OffsetDateTime>,
}

/// One version of a standard's terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    pub version: u32,
    /// ROs opened from this time on are held to this version.
    pub effective_from: OffsetDateTime,
    /// The longest time allowed from the standard's first moment to its
    /// second; zero or negative means "not after" (delivered by the
    /// promised time is Promised → Delivered within zero).
    pub threshold: Duration,
    /// The share of ROs that must meet it, in basis points.
    pub target_basis_points: u32,
    /// Whether it is one of the key standards of the network.
    pub key: bool,
    /// The stations piloting this version; empty for the whole network.
    pub pilot_stations: Vec<String>,
}

/// A standard: which ROs it applies to, what it measures, and its versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standard {
    pub code: String,
    /// Only ROs of these types; empty for all.
    pub order_types: Vec<OrderType>,
    /// Only fast-lane ROs.
    pub fast_lane_only: bool,
    pub from: Moment,
    pub to: Moment,
    /// Ordered by effective time.
    pub versions: Vec<Version>,
}

/// Why a version cannot be added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NewVersionError {
    #[error("must be after the effective time of version {version} ({})", rfc3339(*.effective_from))]
    NotAfterLatest {
        version: u32,
        effective_from: OffsetDateTime,
    },
    #[error(
        "must not be in the past: ROs already opened stay held to the version they were opened under"
    )]
    InThePast,
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.to_string())
}

/// How one RO fares against a standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Met,
    Missed,
    /// Not yet decided: the second moment is not recorded and its deadline
    /// has not passed.
    Pending,
    /// The standard does not apply to this RO (type, lane, station, or no
    /// version in force when it was opened), or the RO was cancelled before
    /// its deadline without reaching the second moment.
    NotApplicable,
}

impl Standard {
    /// The version an RO opened at `opened` at `station` is held to.
    pub fn version_for(&self, station: &str, opened: OffsetDateTime) -> Option<&Version> {
        self.versions.iter().rev().find(|v| {
            v.effective_from <= opened
                && (v.pilot_stations.is_empty() || v.pilot_stations.iter().any(|s| s == station))
        })
    }

    /// The version in force at `at` at `station`, its pilots included; or,
    /// without a station, for the whole network, pilots left out.
    pub fn version_in_force(&self, station: Option<&str>, at: OffsetDateTime) -> Option<&Version> {
        match station {
            Some(station) => self.version_for(station, at),
            None => self
                .versions
                .iter()
                .rev()
                .find(|v| v.effective_from <= at && v.pilot_stations.is_empty()),
        }
    }

    /// Adds `version` as the next one, numbered here, when it takes effect
    /// after the latest version and not before `now`: a version that reached
    /// back would change the verdicts on ROs already opened, and a past
    /// period's compliance would no longer read the same.
    pub fn add_version(
        &mut self,
        mut version: Version,
        now: OffsetDateTime,
    ) -> Result<&Version, NewVersionError> {
        if let Some(latest) = self.versions.last()
            && version.effective_from <= latest.effective_from
        {
            return Err(NewVersionError::NotAfterLatest {
                version: latest.version,
                effective_from: latest.effective_from,
            });
        }
        if version.effective_from < now {
            return Err(NewVersionError::InThePast);
        }
        version.version = self.versions.last().map_or(1, |v| v.version + 1);
        self.versions.push(version);
        Ok(self.versions.last().expect("just pushed"))
    }

    /// How `ro` fares, judged at `now`.
    pub fn judge(&self, ro: &OrderTimes, now: OffsetDateTime) -> Verdict {
        self.judge_with_version(ro, now)
            .map_or(Verdict::NotApplicable, |(verdict, _)| verdict)
    }

    /// How `ro` fares, judged at `now`, and the version it was held to;
    /// none when the standard does not apply to it.
    pub fn judge_with_version(
        &self,
        ro: &OrderTimes,
        now: OffsetDateTime,
    ) -> Option<(Verdict, &Version)> {
        self.settle(ro)
            .map(|(standing, version)| (standing.at(now), version))
    }

    /// Where `ro` stands whenever it is asked, and the version it is held
    /// to; none when the standard does not apply to it.
    pub fn settle(&self, ro: &OrderTimes) -> Option<(Standing, &Version)> {
        let applies = (self.order_types.is_empty() || self.order_types.contains(&ro.order_type))
            && (!self.fast_lane_only || ro.fast_lane);
        if !applies {
            return None;
        }
        let opened = ro.moments.get(&Moment::Opened)?;
        let version = self.version_for(&ro.station_id, *opened)?;
        let from = ro.moments.get(&self.from)?;
        let deadline = *from + version.threshold;
        let standing = match (ro.moments.get(&self.to), ro.cancelled) {
            (Some(to), _) if *to <= deadline => Standing::Met,
            (Some(_), _) => Standing::Missed,
            // Cancelled with the promise already broken: a miss; cancelled
            // in time: the work the standard measures never happened.
            (None, Some(cancelled)) if cancelled > deadline => Standing::Missed,
            (None, Some(_)) => return None,
            (None, None) => Standing::Open { deadline },
        };
        Some((standing, version))
    }
}

/// How one RO stands against a standard, whenever it is asked: decided by
/// its recorded moments, or open until a deadline, after which it is a miss
/// whatever is recorded later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Met,
    Missed,
    Open { deadline: OffsetDateTime },
}

impl Standing {
    /// The verdict at `now`.
    pub fn at(self, now: OffsetDateTime) -> Verdict {
        match self {
            Standing::Met => Verdict::Met,
            Standing::Missed => Verdict::Missed,
            Standing::Open { deadline } if now > deadline => Verdict::Missed,
            Standing::Open { .. } => Verdict::Pending,
        }
    }
}

/// Both sets of ROs together.
impl std::ops::Add for Compliance {
    type Output = Compliance;

    fn add(self, other: Compliance) -> Compliance {
        Compliance {
            met: self.met + other.met,
            missed: self.missed + other.missed,
            pending: self.pending + other.pending,
        }
    }
}

/// The compliance of a set of ROs with a standard: of those decided, the
/// share that met it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Compliance {
    pub met: u64,
    pub missed: u64,
    pub pending: u64,
}

impl Compliance {
    pub fn of<'a>(
        standard: &Standard,
        orders: impl IntoIterator<Item = &'a OrderTimes>,
        now: OffsetDateTime,
    ) -> Compliance {
        let mut c = Compliance::default();
        for ro in orders {
            c.count(standard.judge(ro, now));
        }
        c
    }

    /// The compliance of `orders` per version that held them, by version
    /// number: the parts that [`Compliance::of`] adds up.
    pub fn by_version<'a>(
        standard: &Standard,
        orders: impl IntoIterator<Item = &'a OrderTimes>,
        now: OffsetDateTime,
    ) -> BTreeMap<u32, Compliance> {
        let mut by_version: BTreeMap<u32, Compliance> = BTreeMap::new();
        for ro in orders {
            if let Some((verdict, version)) = standard.judge_with_version(ro, now) {
                by_version
                    .entry(version.version)
                    .or_default()
                    .count(verdict);
            }
        }
        by_version
    }

    fn count(&mut self, verdict: Verdict) {
        match verdict {
            Verdict::Met => self.met += 1,
            Verdict::Missed => self.missed += 1,
            Verdict::Pending => self.pending += 1,
            Verdict::NotApplicable => {}
        }
    }

    /// Met of decided, in basis points; none when nothing was decided.
    pub fn basis_points(&self) -> Option<u32> {
        basis_points(self.met, self.met + self.missed)
    }

    /// Whether the rate reaches `target` (basis points); undecided when
    /// nothing was decided.
    pub fn meets(&self, target: u32) -> Option<bool> {
        self.basis_points().map(|bp| bp >= target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn version(minutes: i64, target: u32) -> Version {
        Version {
            version: 1,
            effective_from: datetime!(2026-01-01 0:00 UTC),
            threshold: Duration::minutes(minutes),
            target_basis_points: target,
            key: true,
            pilot_stations: vec![],
        }
    }

    fn standard(from: Moment, to: Moment, minutes: i64) -> Standard {
        Standard {
            code: "S".into(),
            order_types: vec![],
            fast_lane_only: false,
            from,
            to,
            versions: vec![version(minutes, 9000)],
        }
    }

    /// An RO at station `s1` with these moments, as minutes after 08:00 on
    /// 2 March 2026.
    fn ro(kind: OrderType, fast_lane: bool, moments: &[(Moment, i64)]) -> OrderTimes {
        let base = datetime!(2026-03-02 8:00 UTC);
        OrderTimes {
            station_id: "s1".into(),
            order_type: kind,
            fast_lane,
            moments: moments
                .iter()
                .map(|(m, min)| (*m, base + Duration::minutes(*min)))
                .collect(),
            cancelled: None,
        }
    }

    use Moment::*;
    use OrderType::*;

    /// A hand-built month of one station, worked out by hand:
    ///
    /// | RO | arrival → opened | promised → delivered | fast-lane maintenance opened → completed |
    /// |----|------------------|----------------------|------------------------------------------|
    /// | 1  | 10 min: met      | 30 min early: met    | —                                        |
    /// | 2  | 15 min: met      | on the minute: met   | 55 min: met                              |
    /// | 3  | 16 min: missed   | 1 min late: missed   | 61 min: missed                           |
    /// | 4  | 40 min: missed   | not yet, promise passed: missed | — (repair)                    |
    /// | 5  | 5 min: met       | not yet, promise ahead: pending | still open, 60 min not passed: pending |
    ///
    /// Arrival → opened: 3 met of 5 = 60.00 %. Delivered by the promise:
    /// 2 met of 4 decided = 50.00 %, 1 pending. Fast lane: 1 of 2 = 50.00 %,
    /// 1 pending.
    fn month() -> Vec<OrderTimes> {
        vec![
            ro(
                Repair,
                false,
                &[
                    (Arrival, 0),
                    (Opened, 10),
                    (Promised, 300),
                    (Delivered, 270),
                ],
            ),
            ro(
                Maintenance,
                true,
                &[
                    (Arrival, 0),
                    (Opened, 15),
                    (Completed, 70),
                    (Promised, 90),
                    (Delivered, 90),
                ],
            ),
            ro(
                Maintenance,
                true,
                &[
                    (Arrival, 0),
                    (Opened, 16),
                    (Completed, 77),
                    (Promised, 100),
                    (Delivered, 101),
                ],
            ),
            ro(
                Repair,
                false,
                &[(Arrival, 0), (Opened, 40), (Promised, 120)],
            ),
            ro(
                Maintenance,
                true,
                &[(Arrival, 400), (Opened, 405), (Promised, 600)],
            ),
        ]
    }

    /// The month judged at 14:50, when RO 5's promise (18:00) and its
    /// fast-lane hour (until 15:45) are still ahead.
    const NOW: OffsetDateTime = datetime!(2026-03-02 14:50 UTC);

    #[test]
    fn opened_within_15_minutes_of_arrival() {
        let s = standard(Arrival, Opened, 15);
        let c = Compliance::of(&s, &month(), NOW);
        assert_eq!((c.met, c.missed, c.pending), (3, 2, 0));
        assert_eq!(c.basis_points(), Some(6000));
        assert_eq!(c.meets(9000), Some(false));
    }

    #[test]
    fn delivered_by_the_promised_time() {
        let s = standard(Promised, Delivered, 0);
        let c = Compliance::of(&s, &month(), NOW);
        assert_eq!((c.met, c.missed, c.pending), (2, 2, 1));
        assert_eq!(c.basis_points(), Some(5000));
    }

    #[test]
    fn fast_lane_maintenance_within_an_hour() {
        let s = Standard {
            order_types: vec![Maintenance],
            fast_lane_only: true,
            ..standard(Opened, Completed, 60)
        };
        let c = Compliance::of(&s, &month(), NOW);
        assert_eq!((c.met, c.missed, c.pending), (1, 1, 1));
        assert_eq!(c.basis_points(), Some(5000));
        // Once RO 5's hour has passed without completion, it is missed.
        let later = Compliance::of(&s, &month(), datetime!(2026-03-02 15:46 UTC));
        assert_eq!((later.met, later.missed, later.pending), (1, 2, 0));
    }

    #[test]
    fn each_ro_is_held_to_the_version_in_force_when_it_was_opened() {
        // From 10:00 the threshold tightens to 12 min, piloted at s1 only.
        let mut s = standard(Arrival, Opened, 15);
        s.versions.push(Version {
            version: 2,
            effective_from: datetime!(2026-03-02 10:00 UTC),
            threshold: Duration::minutes(12),
            pilot_stations: vec!["s1".into()],
            ..version(12, 9000)
        });
        let c = Compliance::of(&s, &month(), NOW);
        // Only RO 5 (opened 14:45) falls under version 2; 5 min still meets.
        assert_eq!((c.met, c.missed), (3, 2));
        let v = s
            .version_for("s1", datetime!(2026-03-02 14:45 UTC))
            .unwrap();
        assert_eq!(v.version, 2);
        // Another station keeps version 1 while s1 pilots version 2.
        let v = s
            .version_for("s2", datetime!(2026-03-02 14:45 UTC))
            .unwrap();
        assert_eq!(v.version, 1);
        // Before the first version, the standard does not apply.
        assert!(
            s.version_for("s1", datetime!(2025-12-31 0:00 UTC))
                .is_none()
        );
    }

    #[test]
    fn nothing_decided_has_no_rate() {
        let s = standard(Arrival, Opened, 15);
        let c = Compliance::of(&s, &[], NOW);
        assert_eq!(c.basis_points(), None);
        assert_eq!(c.meets(9000), None);
    }
    #[test]
    fn a_cancelled_ro_counts_only_when_its_deadline_had_passed() {
        let s = standard(Promised, Delivered, 0);
        let cancelled_at = |minutes| {
            let mut r = ro(Repair, false, &[(Arrival, 0), (Opened, 5), (Promised, 120)]);
            r.cancelled = Some(datetime!(2026-03-02 8:00 UTC) + Duration::minutes(minutes));
            r
        };
        // Cancelled at 09:00, before its 10:00 promise: not judged, and not
        // left pending for ever either.
        assert_eq!(s.judge(&cancelled_at(60), NOW), Verdict::NotApplicable);
        // On the minute of the promise: still in time.
        assert_eq!(s.judge(&cancelled_at(120), NOW), Verdict::NotApplicable);
        // Cancelled at 10:30, the promise already broken: a miss.
        assert_eq!(s.judge(&cancelled_at(150), NOW), Verdict::Missed);
        // A moment reached before the cancellation is judged as usual.
        let opened = standard(Arrival, Opened, 15);
        assert_eq!(opened.judge(&cancelled_at(60), NOW), Verdict::Met);
    }

    #[test]
    fn compliance_by_version_adds_up_to_the_whole() {
        let mut s = standard(Arrival, Opened, 15);
        s.add_version(
            Version {
                effective_from: datetime!(2026-03-02 8:00 UTC) + Duration::minutes(300),
                ..version(3, 8000)
            },
            datetime!(2026-03-01 0:00 UTC),
        )
        .unwrap();
        let parts = Compliance::by_version(&s, &month(), NOW);
        // ROs 1-4 were opened under version 1 (10 and 15 min met, 16 and
        // 40 missed); RO 5, opened at 14:45 under version 2 (from 13:00),
        // took 5 min against 3.
        assert_eq!(parts.len(), 2);
        assert_eq!((parts[&1].met, parts[&1].missed), (2, 2));
        assert_eq!((parts[&2].met, parts[&2].missed), (0, 1));
        let whole = parts.values().fold(Compliance::default(), |a, c| a + *c);
        assert_eq!(whole, Compliance::of(&s, &month(), NOW));
    }

    #[test]
    fn the_version_in_force_for_a_station_counts_its_pilots() {
        let mut s = standard(Arrival, Opened, 15);
        let pilot = Version {
            effective_from: datetime!(2026-03-16 0:00 UTC),
            pilot_stations: vec!["s1".into()],
            ..version(12, 9500)
        };
        s.add_version(pilot, datetime!(2026-03-10 0:00 UTC))
            .unwrap();
        let end = datetime!(2026-03-31 23:59 UTC);
        assert_eq!(s.version_in_force(Some("s1"), end).unwrap().version, 2);
        assert_eq!(s.version_in_force(Some("s2"), end).unwrap().version, 1);
        // A dealer, region or the network: only whole-network versions.
        assert_eq!(s.version_in_force(None, end).unwrap().version, 1);
        assert!(
            s.version_in_force(None, datetime!(2025-12-31 0:00 UTC))
                .is_none()
        );
    }

    #[test]
    fn a_new_version_takes_effect_after_the_latest_and_not_in_the_past() {
        let mut s = standard(Arrival, Opened, 15);
        let at = |t| Version {
            effective_from: t,
            ..version(10, 9000)
        };
        let now = datetime!(2026-03-10 12:00 UTC);
        assert_eq!(
            s.add_version(at(datetime!(2026-01-01 0:00 UTC)), now),
            Err(NewVersionError::NotAfterLatest {
                version: 1,
                effective_from: datetime!(2026-01-01 0:00 UTC)
            })
        );
        let e = s
            .add_version(at(datetime!(2026-03-10 11:59 UTC)), now)
            .unwrap_err();
        assert_eq!(e, NewVersionError::InThePast);
        assert_eq!(
            NewVersionError::NotAfterLatest {
                version: 1,
                effective_from: datetime!(2026-01-01 0:00 UTC)
            }
            .to_string(),
            "must be after the effective time of version 1 (2026-01-01T00:00:00Z)"
        );
        // From now on is fine, and numbered after the latest.
        let added = s.add_version(at(now), now).unwrap();
        assert_eq!(added.version, 2);
        let added = s
            .add_version(at(datetime!(2026-04-01 0:00 UTC)), now)
            .unwrap();
        assert_eq!(added.version, 3);
        assert_eq!(s.versions.len(), 3);
    }

    #[test]
    fn moments_round_trip_their_names() {
        for m in Moment::ALL {
            assert_eq!(Moment::parse(m.as_str()), Some(m));
        }
        assert_eq!(Moment::parse("Opened"), None);
    }
}
