//! Service standards: named, measurable promises about repair orders ("RO
//! opened within 15 min of arrival", "delivered by the promised time"…),
//! each the time from one recorded moment of an RO to another against a
//! threshold, with a target rate. A standard is versioned; a version may be
//! piloted on chosen stations before the whole network; the key ones are
//! flagged. Compliance of a set of ROs is the share that met the version in
//! force when each was opened. No transport and no SQL here.

use std::collections::HashMap;

use time::{Duration, OffsetDateTime};

use aftercare_values::basis_points;

pub use super::repair_order::OrderType;

/// A moment recorded on a repair order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

/// What a standard needs to know of one RO.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderTimes {
    pub station_id: String,
    pub order_type: OrderType,
    pub fast_lane: bool,
    pub moments: HashMap<Moment, OffsetDateTime>,
}

/// One version of a standard's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// How one RO fares against a standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Met,
    Missed,
    /// Not yet decided: the second moment is not recorded and its deadline
    /// has not passed.
    Pending,
    /// The standard does not apply to this RO (type, lane, station, or no
    /// version in force when it was opened).
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

    /// How `ro` fares, judged at `now`.
    pub fn judge(&self, ro: &OrderTimes, now: OffsetDateTime) -> Verdict {
        let applies = (self.order_types.is_empty() || self.order_types.contains(&ro.order_type))
            && (!self.fast_lane_only || ro.fast_lane);
        let Some(opened) = ro.moments.get(&Moment::Opened) else {
            return Verdict::NotApplicable;
        };
        let version = match self.version_for(&ro.station_id, *opened) {
            Some(v) if applies => v,
            _ => return Verdict::NotApplicable,
        };
        let Some(from) = ro.moments.get(&self.from) else {
            return Verdict::NotApplicable;
        };
        let deadline = *from + version.threshold;
        match ro.moments.get(&self.to) {
            Some(to) if *to <= deadline => Verdict::Met,
            Some(_) => Verdict::Missed,
            None if now > deadline => Verdict::Missed,
            None => Verdict::Pending,
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
            match standard.judge(ro, now) {
                Verdict::Met => c.met += 1,
                Verdict::Missed => c.missed += 1,
                Verdict::Pending => c.pending += 1,
                Verdict::NotApplicable => {}
            }
        }
        c
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
}
