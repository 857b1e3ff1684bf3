//! A hand-built March 2026 of the fixture's network, worked out by hand,
//! against four standards, and its compliance per station, dealer, region
//! and network.
//!
//! Standards (created on 20 February; first versions from 1 March 00:00):
//!
//! | code               | from → to               | applies to            | v1               |
//! |--------------------|-------------------------|-----------------------|------------------|
//! | RO-OPEN-15         | arrival → opened        | every RO              | 15 min, 90 %     |
//! | DELIVER-BY-PROMISE | promised → delivered    | every RO              | 0 min, 85 %, key |
//! | FAST-LANE-60       | opened → completed      | fast-lane maintenance | 60 min, 90 %, key|
//! | CALLBACK-72H       | delivered → called back | every RO              | 72 h, 80 %       |
//!
//! On 10 March head office adds RO-OPEN-15 v2 from 16 March 00:00, piloted
//! at s1: 10 min, 95 %, key.
//!
//! Repair orders (M maintenance, R repair, W warranty, FL fast lane), each
//! standard's verdict (+ met, - missed, p pending, · not counted) as asked
//! on 2 April 12:00. "arr→open" is arrival to opening (v2: held to 10 min);
//! "→done" opening to completion; "delivery" against the promise;
//! "callback" after delivery.
//!
//! | RO | st | type | opened      | arr→open  | →done | delivery         | callback   | OP DP FL CB |
//! |----|----|------|-------------|-----------|-------|------------------|------------|-------------|
//! | 1  | s1 | M FL | 2 Mar 09:10 | 10 min    | 45 m  | 10 min early     | 23 h 40    | +  +  +  +  |
//! | 2  | s1 | R    | 5 Mar 08:20 | 20 min    |       | 30 min late      | none       | -  -  ·  -  |
//! | 3  | s1 | M FL | 18 Mar 09:12| 12 min v2 | 68 m  | 10 min early     | 46 h 10    | -  +  -  +  |
//! | 4  | s1 | W    | 20 Mar 14:05| 5 min v2  |       | cancelled 2 h before promise | — | +  ·  ·  ·  |
//! | 5  | s1 | R    | 31 Mar 15:08| 8 min v2  |       | 30 min early     | none yet   | +  +  ·  p  |
//! | 6  | s2 | M FL | 3 Mar 10:05 | 5 min     | 45 m  | 5 min early      | 23 h 05    | +  +  +  +  |
//! | 7  | s2 | R    | 18 Mar 09:12| 12 min v1 |       | on the minute    | 24 h       | +  +  ·  +  |
//! | 8  | s2 | M    | 25 Mar 08:30| 30 min    |       | none, promise past | —        | -  -  ·  ·  |
//! | 9  | s3 | M FL | 10 Mar 09:15| 15 min    | 60 m  | on the minute    | 72 h       | +  +  +  +  |
//! | 10 | s3 | R    | 27 Feb 09:30: another period                                 | ·  ·  ·  ·  |
//! | 11 | s3 | R    | 31 Mar 23:59| 9 min     |       | 1 Apr, 1 h early | none yet   | +  +  ·  p  |
//! | 12 | s3 | R    | 1 Apr 00:00: another period                                  | ·  ·  ·  ·  |
//! | 13 | s4 | R    | 12 Mar 09:40| 40 min    |       | 1 h late         | 7 d 20 h   | -  -  ·  -  |
//!
//! RO 7 at s2 keeps v1 (s2 does not pilot v2). "none" is a callback whose
//! 72 h had passed by 2 April; "none yet", one whose 72 h had not.
//!
//! Met/missed/pending and the rate (basis points, of decided):
//!
//! | scope    | RO-OPEN-15            | DELIVER-BY-PROMISE | FAST-LANE-60   | CALLBACK-72H       |
//! |----------|-----------------------|--------------------|----------------|--------------------|
//! | s1       | 3/2/0 6000 (v2 95 %)  | 3/1/0 7500         | 1/1/0 5000     | 2/1/1 6667         |
//! | s2       | 2/1/0 6667 (v1 90 %)  | 2/1/0 6667         | 1/0/0 10000 ✓  | 2/0/0 10000 ✓      |
//! | d1       | 5/3/0 6250 (v1 90 %)  | 5/2/0 7143         | 2/1/0 6667     | 4/1/1 8000 ✓       |
//! | north    | 7/3/0 7000            | 7/2/0 7778         | 3/1/0 7500     | 5/1/2 8333 ✓       |
//! | network  | 7/4/0 6364            | 7/3/0 7000         | 3/1/0 7500     | 5/2/2 7143         |
//! | south    | 0/1/0 0               | 0/1/0 0            | 0/0/0 none     | 0/1/0 0            |
//!
//! ✓ = the target of the version in force at the end of March is reached
//! (s1 is held to RO-OPEN-15 v2's 95 %, every other scope to v1's 90 %).
//! RO-OPEN-15 per version: s1 v1 1/1 (5000), v2 2/1 (6667); d1 v1 3/2
//! (6000), v2 2/1. On 5 April RO 5's callback hour has passed: s1
//! CALLBACK-72H becomes 2/2/0, 5000.

use aftercare_proto::dealers::v1::{RepairOrderType::*, StandardMoment::*};
use time::{Duration, OffsetDateTime, macros::datetime};

use super::harness::*;
use crate::fixture::*;

/// 2026-03-`day` `h`:`m` UTC.
fn m(day: u8, h: u8, min: u8) -> OffsetDateTime {
    datetime!(2026-03-01 0:00 UTC)
        + Duration::days(i64::from(day) - 1)
        + Duration::hours(h.into())
        + Duration::minutes(min.into())
}

fn ro(station: &'static str, kind: aftercare_proto::dealers::v1::RepairOrderType) -> Ro {
    Ro {
        station,
        kind,
        fast_lane: false,
        arrival: m(1, 0, 0),
        open: m(1, 0, 0),
        complete: None,
        delivery: None,
        promise: m(1, 0, 0),
        call_back: None,
        cancel: None,
    }
}

fn repair_orders() -> Vec<Ro> {
    let fl = |r: Ro| Ro {
        fast_lane: true,
        ..r
    };
    vec![
        fl(Ro {
            arrival: m(2, 9, 0),
            open: m(2, 9, 10),
            complete: Some(m(2, 9, 55)),
            promise: m(2, 10, 30),
            delivery: Some(m(2, 10, 20)),
            call_back: Some(m(3, 10, 0)),
            ..ro("s1", Maintenance)
        }),
        Ro {
            arrival: m(5, 8, 0),
            open: m(5, 8, 20),
            complete: Some(m(5, 15, 0)),
            promise: m(5, 16, 0),
            delivery: Some(m(5, 16, 30)),
            ..ro("s1", Repair)
        },
        fl(Ro {
            arrival: m(18, 9, 0),
            open: m(18, 9, 12),
            complete: Some(m(18, 10, 20)),
            promise: m(18, 11, 0),
            delivery: Some(m(18, 10, 50)),
            call_back: Some(m(20, 9, 0)),
            ..ro("s1", Maintenance)
        }),
        Ro {
            arrival: m(20, 14, 0),
            open: m(20, 14, 5),
            promise: m(20, 17, 0),
            cancel: Some(m(20, 15, 0)),
            ..ro("s1", Warranty)
        },
        Ro {
            arrival: m(31, 15, 0),
            open: m(31, 15, 8),
            complete: Some(m(31, 17, 0)),
            promise: m(31, 18, 0),
            delivery: Some(m(31, 17, 30)),
            ..ro("s1", Repair)
        },
        fl(Ro {
            arrival: m(3, 10, 0),
            open: m(3, 10, 5),
            complete: Some(m(3, 10, 50)),
            promise: m(3, 11, 0),
            delivery: Some(m(3, 10, 55)),
            call_back: Some(m(4, 10, 0)),
            ..ro("s2", Maintenance)
        }),
        Ro {
            arrival: m(18, 9, 0),
            open: m(18, 9, 12),
            complete: Some(m(18, 12, 0)),
            promise: m(18, 12, 0),
            delivery: Some(m(18, 12, 0)),
            call_back: Some(m(19, 12, 0)),
            ..ro("s2", Repair)
        },
        Ro {
            arrival: m(25, 8, 0),
            open: m(25, 8, 30),
            complete: Some(m(25, 11, 0)),
            promise: m(25, 10, 0),
            ..ro("s2", Maintenance)
        },
        fl(Ro {
            arrival: m(10, 9, 0),
            open: m(10, 9, 15),
            complete: Some(m(10, 10, 15)),
            promise: m(10, 10, 30),
            delivery: Some(m(10, 10, 30)),
            call_back: Some(m(13, 10, 30)),
            ..ro("s3", Maintenance)
        }),
        Ro {
            arrival: datetime!(2026-02-27 9:00 UTC),
            open: datetime!(2026-02-27 9:30 UTC),
            promise: datetime!(2026-02-27 12:00 UTC),
            delivery: Some(datetime!(2026-02-27 11:00 UTC)),
            ..ro("s3", Repair)
        },
        Ro {
            arrival: m(31, 23, 50),
            open: m(31, 23, 59),
            complete: Some(datetime!(2026-04-01 10:00 UTC)),
            promise: datetime!(2026-04-01 12:00 UTC),
            delivery: Some(datetime!(2026-04-01 11:00 UTC)),
            ..ro("s3", Repair)
        },
        Ro {
            arrival: datetime!(2026-04-01 0:00 UTC),
            open: datetime!(2026-04-01 0:00 UTC),
            promise: datetime!(2026-04-01 12:00 UTC),
            ..ro("s3", Repair)
        },
        Ro {
            arrival: m(12, 9, 0),
            open: m(12, 9, 40),
            complete: Some(m(12, 12, 30)),
            promise: m(12, 12, 0),
            delivery: Some(m(12, 13, 0)),
            call_back: Some(m(20, 9, 0)),
            ..ro("s4", Repair)
        },
    ]
}

/// The four standards as head office defines them on 20 February, and
/// RO-OPEN-15 v2 added on 10 March; the fixture's network; the ROs.
pub(crate) async fn march(s: &Setup) -> Fixture {
    let fx = Fixture::build(&s.h).await;
    let oem = &mut s.oem();
    let first = |minutes, target, key| version(m(1, 0, 0), minutes, target, key, &[]);
    s.set_clock(datetime!(2026-02-20 9:00 UTC));
    let fast_lane = pb::ServiceStandard {
        order_types: vec![Maintenance as i32],
        fast_lane_only: true,
        ..standard("FAST-LANE-60", Opened, Completed, first(60, 9000, true))
    };
    for st in [
        standard("RO-OPEN-15", Arrival, Opened, first(15, 9000, false)),
        standard(
            "DELIVER-BY-PROMISE",
            Promised,
            Delivered,
            first(0, 8500, true),
        ),
        fast_lane,
        standard(
            "CALLBACK-72H",
            Delivered,
            CalledBack,
            first(72 * 60, 8000, false),
        ),
    ] {
        oem.create_service_standard(create(st)).await.answer();
    }
    s.set_clock(m(10, 9, 0));
    let v2 = version(m(16, 0, 0), 10, 9500, true, &["s1"]);
    let open = oem
        .add_standard_version(add("RO-OPEN-15", v2))
        .await
        .answer();
    assert_eq!(open.versions.len(), 2);
    insert(&s.db, &fx, &repair_orders()).await;
    s.set_clock(datetime!(2026-04-02 12:00 UTC));
    fx
}

/// Per version: number, met/missed/pending, rate, target, target met.
type VersionLine = (i32, [i64; 3], Option<i32>, i32, Option<bool>);

/// A result as the tables above write it: code, met/missed/pending, rate,
/// the version in force, its target, key, and whether the target is met.
pub(super) type Line = (
    &'static str,
    [i64; 3],
    Option<i32>,
    i32,
    i32,
    bool,
    Option<bool>,
);

pub(super) fn lines(r: &pb::GetStandardComplianceResponse) -> Vec<Line> {
    r.results
        .iter()
        .map(|x| {
            let c = x.counts.expect("counts");
            // Leaked to compare with the tables' literals; a few bytes per test.
            let code: &'static str = x.standard_code.clone().leak();
            let counts = [c.met, c.missed, c.pending];
            (
                code,
                counts,
                c.rate_basis_points,
                x.version,
                x.target_basis_points,
                x.key,
                x.target_met,
            )
        })
        .collect()
}

async fn of(c: &mut Standards, scope: Option<In>) -> Vec<Line> {
    lines(
        &c.get_standard_compliance(compliance("", scope))
            .await
            .answer(),
    )
}

both!(
    a_hand_worked_month_per_station_dealer_region_and_network,
    crate::standards::harness::start,
    |s: Setup| async move {
        march(&s).await;
        let oem = &mut s.oem();
        const CB: &str = "CALLBACK-72H";
        const DP: &str = "DELIVER-BY-PROMISE";
        const FL: &str = "FAST-LANE-60";
        const OP: &str = "RO-OPEN-15";
        let station = |id: &str| Some(In::StationId(id.into()));
        assert_eq!(
            of(oem, station("s1")).await,
            [
                (CB, [2, 1, 1], Some(6667), 1, 8000, false, Some(false)),
                (DP, [3, 1, 0], Some(7500), 1, 8500, true, Some(false)),
                (FL, [1, 1, 0], Some(5000), 1, 9000, true, Some(false)),
                (OP, [3, 2, 0], Some(6000), 2, 9500, true, Some(false)),
            ]
        );
        assert_eq!(
            of(oem, station("s2")).await,
            [
                (CB, [2, 0, 0], Some(10000), 1, 8000, false, Some(true)),
                (DP, [2, 1, 0], Some(6667), 1, 8500, true, Some(false)),
                (FL, [1, 0, 0], Some(10000), 1, 9000, true, Some(true)),
                (OP, [2, 1, 0], Some(6667), 1, 9000, false, Some(false)),
            ]
        );
        assert_eq!(
            of(oem, Some(In::DealerId("d1".into()))).await,
            [
                (CB, [4, 1, 1], Some(8000), 1, 8000, false, Some(true)),
                (DP, [5, 2, 0], Some(7143), 1, 8500, true, Some(false)),
                (FL, [2, 1, 0], Some(6667), 1, 9000, true, Some(false)),
                (OP, [5, 3, 0], Some(6250), 1, 9000, false, Some(false)),
            ]
        );
        assert_eq!(
            of(oem, Some(In::RegionId("north".into()))).await,
            [
                (CB, [5, 1, 2], Some(8333), 1, 8000, false, Some(true)),
                (DP, [7, 2, 0], Some(7778), 1, 8500, true, Some(false)),
                (FL, [3, 1, 0], Some(7500), 1, 9000, true, Some(false)),
                (OP, [7, 3, 0], Some(7000), 1, 9000, false, Some(false)),
            ]
        );
        assert_eq!(
            of(oem, None).await,
            [
                (CB, [5, 2, 2], Some(7143), 1, 8000, false, Some(false)),
                (DP, [7, 3, 0], Some(7000), 1, 8500, true, Some(false)),
                (FL, [3, 1, 0], Some(7500), 1, 9000, true, Some(false)),
                (OP, [7, 4, 0], Some(6364), 1, 9000, false, Some(false)),
            ]
        );
        assert_eq!(
            of(oem, Some(In::RegionId("south".into()))).await,
            [
                (CB, [0, 1, 0], Some(0), 1, 8000, false, Some(false)),
                (DP, [0, 1, 0], Some(0), 1, 8500, true, Some(false)),
                (FL, [0, 0, 0], None, 1, 9000, true, None),
                (OP, [0, 1, 0], Some(0), 1, 9000, false, Some(false)),
            ]
        );
    }
);

both!(
    each_ro_is_judged_by_the_version_it_was_opened_under,
    crate::standards::harness::start,
    |s: Setup| async move {
        march(&s).await;
        let oem = &mut s.oem();
        let per_version = |r: pb::GetStandardComplianceResponse| -> Vec<VersionLine> {
            assert_eq!(r.results.len(), 1);
            r.results[0]
                .versions
                .iter()
                .map(|v| {
                    let c = v.counts.expect("counts");
                    (
                        v.version,
                        [c.met, c.missed, c.pending],
                        c.rate_basis_points,
                        v.target_basis_points,
                        v.target_met,
                    )
                })
                .collect()
        };
        let s1 = compliance("RO-OPEN-15", Some(In::StationId("s1".into())));
        let s1 = oem.get_standard_compliance(s1).await.answer();
        assert_eq!(s1.results[0].standard_code, "RO-OPEN-15");
        assert_eq!(s1.results[0].display_name, "Standard RO-OPEN-15");
        assert_eq!(
            per_version(s1),
            [
                (1, [1, 1, 0], Some(5000), 9000, Some(false)),
                (2, [2, 1, 0], Some(6667), 9500, Some(false)),
            ]
        );
        let d1 = compliance("RO-OPEN-15", Some(In::DealerId("d1".into())));
        assert_eq!(
            per_version(oem.get_standard_compliance(d1).await.answer()),
            [
                (1, [3, 2, 0], Some(6000), 9000, Some(false)),
                (2, [2, 1, 0], Some(6667), 9500, Some(false)),
            ]
        );
    }
);

both!(
    pending_ros_are_decided_as_time_passes,
    crate::standards::harness::start,
    |s: Setup| async move {
        march(&s).await;
        let oem = &mut s.oem();
        let s1 = || compliance("CALLBACK-72H", Some(In::StationId("s1".into())));
        let counts = |r: pb::GetStandardComplianceResponse| {
            let c = r.results[0].counts.expect("counts");
            ([c.met, c.missed, c.pending], c.rate_basis_points)
        };
        let now = oem.get_standard_compliance(s1()).await.answer();
        assert_eq!(counts(now), ([2, 1, 1], Some(6667)));
        // RO 5 was delivered on 31 March 17:30: its 72 h end on 3 April.
        s.set_clock(datetime!(2026-04-05 0:00 UTC));
        let later = oem.get_standard_compliance(s1()).await.answer();
        assert_eq!(counts(later), ([2, 2, 0], Some(5000)));
    }
);

both!(
    a_period_before_the_first_version_counts_nothing,
    crate::standards::harness::start,
    |s: Setup| async move {
        march(&s).await;
        let oem = &mut s.oem();
        let february = pb::GetStandardComplianceRequest {
            period: month(2026, 2),
            ..compliance("", Some(In::StationId("s3".into())))
        };
        let r = oem.get_standard_compliance(february).await.answer();
        assert_eq!(r.results.len(), 4);
        for x in &r.results {
            let c = x.counts.expect("counts");
            // RO 10 was opened on 27 February, before any version.
            assert_eq!(
                ([c.met, c.missed, c.pending], c.rate_basis_points),
                ([0, 0, 0], None)
            );
            assert_eq!(
                (x.version, x.target_basis_points, x.target_met),
                (0, 0, None)
            );
            assert!(x.versions.is_empty());
        }
        // The first quarter holds March and February: March's figures.
        let q1 = pb::GetStandardComplianceRequest {
            period: Some(aftercare_proto::common::v1::Period {
                kind: aftercare_proto::common::v1::PeriodKind::Quarter as i32,
                year: 2026,
                number: 1,
            }),
            ..compliance("DELIVER-BY-PROMISE", Some(In::StationId("s3".into())))
        };
        let r = oem.get_standard_compliance(q1).await.answer();
        let c = r.results[0].counts.expect("counts");
        assert_eq!([c.met, c.missed, c.pending], [2, 0, 0]);
    }
);
