//! Compliance is tallied by the OEM's days and reported by its months, in
//! its time zone with daylight saving: an RO opened late on the last UTC
//! day of a month counts in the next month when that is already the OEM's
//! date; and tallies counted in another zone are rebuilt at start-up.

use aftercare_dealers::Store;
use aftercare_proto::dealers::v1::{RepairOrderType::*, StandardMoment::*};
use aftercare_values::OemZone;
use time::{OffsetDateTime, macros::datetime};

use super::harness::*;
use crate::{fixture::*, standards::month::lines};

fn berlin() -> OemZone {
    OemZone::parse("Europe/Berlin").unwrap()
}

/// An RO of s1 opened at `open`, 10 minutes after it arrived, promised
/// for noon the next UTC day; delivered on the hour after opening, or not.
fn opened_at(open: OffsetDateTime, delivered: bool) -> Ro {
    Ro {
        station: "s1",
        kind: Repair,
        fast_lane: false,
        arrival: open - time::Duration::minutes(10),
        open,
        complete: None,
        delivery: delivered.then(|| open + time::Duration::hours(1)),
        promise: open + time::Duration::hours(14),
        call_back: None,
        cancel: None,
    }
}

/// Two ROs that are the OEM's next month in Berlin (00:30 local on 1 April
/// in summer time, on 1 November in winter time), one still March there
/// (23:30 local), and one pending against its promise.
fn edge_orders() -> Vec<Ro> {
    vec![
        opened_at(datetime!(2026-03-31 22:30 UTC), true),
        opened_at(datetime!(2026-10-31 23:30 UTC), true),
        opened_at(datetime!(2026-03-31 21:30 UTC), true),
        opened_at(datetime!(2026-03-31 22:40 UTC), false),
    ]
}

/// RO-OPEN-15 and DELIVER-BY-PROMISE, in force from 1 January 2026.
async fn standards(s: &Setup) -> Fixture {
    let fx = Fixture::build(&s.h).await;
    let oem = &mut s.oem();
    s.set_clock(datetime!(2025-12-20 9:00 UTC));
    let first = |minutes| version(datetime!(2026-01-01 0:00 UTC), minutes, 9000, false, &[]);
    for st in [
        standard("RO-OPEN-15", Arrival, Opened, first(15)),
        standard("DELIVER-BY-PROMISE", Promised, Delivered, first(0)),
    ] {
        oem.create_service_standard(create(st)).await.answer();
    }
    // Before RO 4's promise: it is pending.
    s.set_clock(datetime!(2026-04-01 6:00 UTC));
    fx
}

/// s1's (met, missed, pending) per standard in 2026-`number`.
async fn s1_in(s: &Setup, number: i32) -> Vec<(&'static str, [i64; 3])> {
    let r = s
        .oem()
        .get_standard_compliance(pb_request(number))
        .await
        .answer();
    lines(&r).into_iter().map(|l| (l.0, l.1)).collect()
}

fn pb_request(number: i32) -> aftercare_proto::dealers::v1::GetStandardComplianceRequest {
    aftercare_proto::dealers::v1::GetStandardComplianceRequest {
        period: month(2026, number),
        ..compliance("", Some(In::StationId("s1".into())))
    }
}

async fn in_berlin(backend: aftercare_db::Backend) -> Setup {
    start_in(backend, berlin()).await
}

both!(
    an_ro_counts_in_the_oems_local_month,
    in_berlin,
    |s: Setup| async move {
        let fx = standards(&s).await;
        insert_in(&s.db, &fx, &edge_orders(), berlin()).await;
        // Standards sort by code: DELIVER-BY-PROMISE, RO-OPEN-15.
        assert_eq!(
            s1_in(&s, 3).await,
            [("DELIVER-BY-PROMISE", [1, 0, 0]), ("RO-OPEN-15", [1, 0, 0])],
            "March holds the RO opened at 23:30 local only"
        );
        assert_eq!(
            s1_in(&s, 4).await,
            [("DELIVER-BY-PROMISE", [1, 0, 1]), ("RO-OPEN-15", [2, 0, 0])],
            "April holds those opened after local midnight, decided or pending"
        );
        assert_eq!(
            s1_in(&s, 10).await,
            [("DELIVER-BY-PROMISE", [0, 0, 0]), ("RO-OPEN-15", [0, 0, 0])]
        );
        assert_eq!(
            s1_in(&s, 11).await,
            [("DELIVER-BY-PROMISE", [1, 0, 0]), ("RO-OPEN-15", [1, 0, 0])]
        );
    }
);

both!(
    tallies_counted_in_another_zone_are_rebuilt_at_start_up,
    in_berlin,
    |s: Setup| async move {
        let fx = standards(&s).await;
        // Tallied by UTC days, as before the zone was set.
        insert_in(&s.db, &fx, &edge_orders(), OemZone::utc()).await;
        Store::migrate(&s.db, &berlin()).await.unwrap();
        assert_eq!(
            s1_in(&s, 4).await,
            [("DELIVER-BY-PROMISE", [1, 0, 1]), ("RO-OPEN-15", [2, 0, 0])]
        );
        // The same zone again: nothing to rebuild.
        let rebuilt = || async {
            sqlx::query_scalar::<_, i64>("SELECT rebuild_time FROM compliance_rebuilds")
                .fetch_one(s.db.pool())
                .await
                .unwrap()
        };
        let first = rebuilt().await;
        Store::migrate(&s.db, &berlin()).await.unwrap();
        assert_eq!(rebuilt().await, first);
    }
);
