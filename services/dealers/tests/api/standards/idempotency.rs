//! A create or a new version sent again with its request_id is applied once
//! and answered as the first time, also when the copies race, and also
//! when the retry comes after the clock moved on.

use time::macros::datetime;

use super::harness::*;
use crate::fixture::*;

fn open_15() -> pb::ServiceStandard {
    let first = version(datetime!(2026-03-01 0:00 UTC), 15, 9000, false, &[]);
    standard(
        "RO-OPEN-15",
        pb::StandardMoment::Arrival,
        pb::StandardMoment::Opened,
        first,
    )
}

async fn versions(c: &mut Standards) -> usize {
    let get = pb::GetServiceStandardRequest {
        code: "RO-OPEN-15".into(),
    };
    c.get_service_standard(get).await.answer().versions.len()
}

both!(
    a_retried_create_applies_once,
    crate::standards::harness::start,
    |s: Setup| async move {
        let _fx = Fixture::build(&s.h).await;
        s.set_clock(datetime!(2026-02-20 9:00 UTC));
        let oem = &mut s.oem();
        let request = create(open_15());
        let first = oem.create_service_standard(request.clone()).await.answer();
        s.set_clock(datetime!(2026-02-21 9:00 UTC));
        let again = oem.create_service_standard(request.clone()).await.answer();
        assert_eq!(again, first, "the first answer, creation time included");

        // Eight copies of another create at once.
        let other = create(pb::ServiceStandard {
            code: "RO-OPEN-10".into(),
            ..open_15()
        });
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..8 {
            let (mut c, r) = (s.oem(), other.clone());
            tasks.spawn(async move { c.create_service_standard(r).await.answer() });
        }
        let answers = tasks.join_all().await;
        assert!(answers.iter().all(|a| *a == answers[0]));
        let all = oem
            .list_service_standards(pb::ListServiceStandardsRequest::default())
            .await
            .answer()
            .service_standards;
        assert_eq!(all.len(), 2);

        // The same request_id with another request is refused.
        let reused = pb::CreateServiceStandardRequest {
            standard: Some(pb::ServiceStandard {
                code: "RO-OPEN-20".into(),
                ..open_15()
            }),
            request_id: request.request_id,
        };
        assert_eq!(
            oem.create_service_standard(reused).await.bad_field(),
            "request_id"
        );
    }
);

both!(
    a_retried_version_is_added_once,
    crate::standards::harness::start,
    |s: Setup| async move {
        let fx = Fixture::build(&s.h).await;
        s.set_clock(datetime!(2026-02-20 9:00 UTC));
        let oem = &mut s.oem();
        oem.create_service_standard(create(open_15()))
            .await
            .answer();

        s.set_clock(datetime!(2026-03-10 9:00 UTC));
        let v2 = version(datetime!(2026-03-16 0:00 UTC), 10, 9500, true, &[&fx.s1.id]);
        let request = add("RO-OPEN-15", v2);
        let first = oem.add_standard_version(request.clone()).await.answer();
        // Retried after the version took effect: answered, not judged again.
        s.set_clock(datetime!(2026-03-20 9:00 UTC));
        let again = oem.add_standard_version(request.clone()).await.answer();
        assert_eq!(again, first);
        assert_eq!(versions(oem).await, 2);

        // Eight copies of version 3 at once.
        let v3 = add(
            "RO-OPEN-15",
            version(datetime!(2026-04-01 0:00 UTC), 10, 9000, true, &[]),
        );
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..8 {
            let (mut c, r) = (s.oem(), v3.clone());
            tasks.spawn(async move { c.add_standard_version(r).await.answer() });
        }
        let answers = tasks.join_all().await;
        assert!(answers.iter().all(|a| *a == answers[0]));
        assert_eq!(answers[0].versions.len(), 3);
        assert_eq!(versions(oem).await, 3);

        let reused = pb::AddStandardVersionRequest {
            request_id: request.request_id,
            ..add(
                "RO-OPEN-15",
                version(datetime!(2026-05-01 0:00 UTC), 10, 9000, true, &[]),
            )
        };
        assert_eq!(
            oem.add_standard_version(reused).await.bad_field(),
            "request_id"
        );
        assert_eq!(versions(oem).await, 3);
    }
);
