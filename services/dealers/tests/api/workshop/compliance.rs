//! Standards compliance kept as ROs move through the RO API: each move
//! updates what a report sums, and a rebuild from the ROs gives the same
//! report.

use aftercare_auth::Scope;
use aftercare_dealers::Store;
use aftercare_proto::{
    common::v1::{Period, PeriodKind},
    dealers::v1::{self as pb, StandardMoment},
};
use time::OffsetDateTime;

use super::{Workshop, rid};
use crate::fixture::Outcome;
use crate::standards::harness::{create, standard, ts, version};
use crate::workshop;

const OPEN: &str = "RO-OPEN-15";
const PROMISE: &str = "DELIVER-BY-PROMISE";
const CALL_BACK: &str = "CALLBACK-72H";

/// The three standards, in force from now on. A version never reaches
/// into the past, so the standards API is told it is a moment earlier
/// while they are defined.
async fn standards(w: &Workshop) {
    let from = OffsetDateTime::now_utc();
    w.set_standards_clock(Some(from - time::Duration::milliseconds(1)));
    let mut oem = w.standards_as(Scope::Oem);
    for (code, from_moment, to_moment, threshold) in [
        (OPEN, StandardMoment::Arrival, StandardMoment::Opened, 15),
        (
            PROMISE,
            StandardMoment::Promised,
            StandardMoment::Delivered,
            0,
        ),
        (
            CALL_BACK,
            StandardMoment::Delivered,
            StandardMoment::CalledBack,
            72 * 60,
        ),
    ] {
        let first = version(from, threshold, 8000, false, &[]);
        oem.create_service_standard(create(standard(code, from_moment, to_moment, first)))
            .await
            .answer();
    }
    w.set_standards_clock(None);
}

/// s1's compliance this month, as (code, met, missed, pending).
async fn this_month(
    w: &Workshop,
    scope: pb::get_standard_compliance_request::Scope,
) -> Vec<(String, i64, i64, i64)> {
    let now = OffsetDateTime::now_utc();
    let r = w
        .standards_as(Scope::Oem)
        .get_standard_compliance(pb::GetStandardComplianceRequest {
            period: Some(Period {
                kind: PeriodKind::Month as i32,
                year: now.year(),
                number: i32::from(u8::from(now.month())),
            }),
            scope: Some(scope),
            ..Default::default()
        })
        .await
        .answer();
    let mut lines: Vec<_> = r
        .results
        .into_iter()
        .map(|x| {
            let c = x.counts.expect("counts");
            (x.standard_code, c.met, c.missed, c.pending)
        })
        .collect();
    lines.sort();
    lines
}

// A: arrived 30 min before opening (a miss), delivered by its promise and
// called back. B: opened at once, not yet delivered, its promise ahead
// (pending). C: opened at once and cancelled before its promise (the
// delivery standards do not apply to it).
workshop!(
    compliance_follows_each_move_and_equals_a_rebuild,
    |w: Workshop| async move {
        standards(&w).await;
        let mut ros = w.ros();
        let late = pb::RepairOrder {
            arrival_time: ts(OffsetDateTime::now_utc() - time::Duration::minutes(30)),
            ..w.opening()
        };
        let a = ros
            .create_repair_order(pb::CreateRepairOrderRequest {
                repair_order: Some(late),
                request_id: rid(),
                ..Default::default()
            })
            .await
            .answer();
        w.deliver(&a.id).await;
        ros.record_call_back(pb::RecordCallBackRequest {
            id: a.id.clone(),
            request_id: rid(),
            ..Default::default()
        })
        .await
        .answer();
        let _b = w.open().await;
        let c = w.open().await;
        ros.cancel_repair_order(pb::CancelRepairOrderRequest {
            id: c.id,
            reason: "the customer changed their mind".into(),
            request_id: rid(),
            ..Default::default()
        })
        .await
        .answer();

        // By code: call back, delivery, opening.
        let expected = vec![
            (CALL_BACK.to_owned(), 1, 0, 0),
            (PROMISE.to_owned(), 1, 0, 1),
            (OPEN.to_owned(), 2, 1, 0),
        ];
        let station = || pb::get_standard_compliance_request::Scope::StationId(w.f.s1.id.clone());
        let dealer = || pb::get_standard_compliance_request::Scope::DealerId(w.f.d1.id.clone());
        assert_eq!(this_month(&w, station()).await, expected);
        assert_eq!(this_month(&w, dealer()).await, expected);

        let read = Store::new(w.dealers_db.clone())
            .rebuild_compliance()
            .await
            .expect("the tallies are rebuilt");
        assert_eq!(read, 3);
        assert_eq!(this_month(&w, station()).await, expected);
        assert_eq!(this_month(&w, dealer()).await, expected);
    }
);

// A standard whose first version reaches back holds the ROs opened since
// from the moment it is created: one delivered by its promise before the
// standard existed counts.
workshop!(
    a_standard_reaching_back_counts_the_ros_opened_since,
    |w: Workshop| async move {
        let ro = w.open().await;
        w.deliver(&ro.id).await;
        let since = OffsetDateTime::now_utc() - time::Duration::days(1);
        let first = version(since, 0, 8000, false, &[]);
        w.standards_as(Scope::Oem)
            .create_service_standard(create(standard(
                PROMISE,
                StandardMoment::Promised,
                StandardMoment::Delivered,
                first,
            )))
            .await
            .answer();
        let station = pb::get_standard_compliance_request::Scope::StationId(w.f.s1.id.clone());
        assert_eq!(
            this_month(&w, station).await,
            [(PROMISE.to_owned(), 1, 0, 0)]
        );
    }
);
