//! Safe retries of every LabourService mutation: sent again with its
//! request_id, applied once and answered as the first time, also when eight
//! copies race.

use aftercare_test_support::once;

use crate::{fixture::*, labour_fixture::*};

both!(labour_mutations_apply_once, |h: Harness| async move {
    let c = h.labour(who::oem());
    let mut oem = h.labour(who::oem());
    for race in [false, true] {
        let code = format!("OP-{}", u8::from(race));
        let created = once(
            race,
            &c,
            create_op(operation(&code, 50)),
            |mut c, r| async move { c.create_labour_operation(r).await },
        )
        .await;
        assert_eq!(created.etag, "1");

        let t = now_seconds() + 3600;
        let change = once(
            race,
            &c,
            schedule_op(&code, t, 5000),
            |mut c, r| async move { c.schedule_labour_price_change(r).await },
        )
        .await;
        assert_eq!(change.effective_time, at(t));
        assert_eq!(
            oem.get_labour_operation(get_op(&code)).await.answer().etag,
            "2"
        );

        let renamed = pb::LabourOperation {
            operation_code: code.clone(),
            display_name: "Renamed".into(),
            ..Default::default()
        };
        let updated = once(
            race,
            &c,
            update_op(renamed, &["display_name"]),
            |mut c, r| async move { c.update_labour_operation(r).await },
        )
        .await;
        assert_eq!(updated.etag, "3");
        assert_eq!(
            oem.get_labour_operation(get_op(&code)).await.answer(),
            updated
        );
    }
    let all = oem.list_labour_operations(list_ops(0, "")).await.answer();
    assert_eq!(all.labour_operations.len(), 2);
});

both!(package_mutations_apply_once, |h: Harness| async move {
    let c = catalogue(&h).await;
    let mut oem = c.clone();
    for race in [false, true] {
        let id = format!("PKG-{}", u8::from(race));
        let mut p = city_12(&id);
        p.interval = Some(pb::ServiceInterval {
            months: 12 + i32::from(u8::from(race)),
            kilometres: 0,
        });
        let created = once(race, &c, create_pkg(p), |mut c, r| async move {
            c.create_maintenance_package(r).await
        })
        .await;
        assert_eq!(created.etag, "1");

        let t = now_seconds() + 3600;
        let change = once(
            race,
            &c,
            schedule_pkg(&id, t, 25000),
            |mut c, r| async move { c.schedule_package_price_change(r).await },
        )
        .await;
        assert_eq!(change.price, eur(25000));

        let mut shorter = pb::MaintenancePackage {
            package_id: id.clone(),
            ..Default::default()
        };
        shorter.operations = operations(&["INSPECT"]);
        let updated = once(
            race,
            &c,
            update_pkg(shorter, &["operations"]),
            |mut c, r| async move { c.update_maintenance_package(r).await },
        )
        .await;
        assert_eq!(updated.etag, "3");
        assert_eq!(updated.operations, operations(&["INSPECT"]));
        assert_eq!(
            oem.get_maintenance_package(get_pkg(&id)).await.answer(),
            updated
        );
    }
    let all = oem
        .list_maintenance_packages(list_pkgs("", 0, ""))
        .await
        .answer();
    assert_eq!(all.maintenance_packages.len(), 2);
});

both!(
    a_request_id_reused_for_another_request_is_refused,
    |h: Harness| async move {
        let mut c = catalogue(&h).await;
        let first = create_pkg(city_12("PKG-1"));
        c.create_maintenance_package(first.clone()).await.answer();
        let mut other = create_op(operation("OP-9", 10));
        other.request_id = first.request_id;
        assert_eq!(
            c.create_labour_operation(other).await.bad_field(),
            "request_id"
        );
        c.get_labour_operation(get_op("OP-9"))
            .await
            .refused(Code::NotFound);
    }
);

both!(
    racing_creates_of_one_interval_make_one,
    |h: Harness| async move {
        let c = catalogue(&h).await;
        let mut tasks = tokio::task::JoinSet::new();
        for n in 0..6 {
            let mut c = c.clone();
            // Other ids, one model and interval.
            tasks.spawn(async move {
                c.create_maintenance_package(create_pkg(city_12(&format!("P-{n}"))))
                    .await
            });
        }
        let codes: Vec<Code> = tasks
            .join_all()
            .await
            .into_iter()
            .map(|r| r.map_or_else(|s| s.code(), |_| Code::Ok))
            .collect();
        assert_eq!(
            codes.iter().filter(|c| **c == Code::Ok).count(),
            1,
            "{codes:?}"
        );
        assert!(
            codes
                .iter()
                .all(|c| matches!(c, Code::Ok | Code::AlreadyExists)),
            "{codes:?}"
        );
    }
);
