//! Maintenance packages: created, read, listed and updated as head office,
//! one per model and interval; their prices in force at any time.

use crate::{fixture::*, labour_fixture::*};

both!(create_get_update, |h: Harness| async move {
    let c = &mut catalogue(&h).await;
    let created = create_package(c, city_12("CITY-E-12M")).await;
    let mut expected = city_12("CITY-E-12M");
    expected.etag = "1".into();
    expected.create_time = created.create_time;
    expected.update_time = created.create_time;
    assert!(created.create_time.is_some());
    assert_eq!(created, expected, "answered as asked, in the order given");
    assert_eq!(
        c.get_maintenance_package(get_pkg("CITY-E-12M"))
            .await
            .answer(),
        created
    );
    c.get_maintenance_package(get_pkg("NOPE"))
        .await
        .refused(Code::NotFound);

    // A list named is replaced as a whole; the others stay.
    let mut change = city_12("CITY-E-12M");
    change.operations = operations(&["INSPECT"]);
    change.display_name = "ignored".into();
    change.etag = "1".into();
    let new = c
        .update_maintenance_package(update_pkg(change, &["operations"]))
        .await
        .answer();
    assert_eq!(new.operations, operations(&["INSPECT"]));
    assert_eq!(new.parts, created.parts);
    assert_eq!(new.display_name, created.display_name);
    assert_eq!((new.etag.as_str(), new.price.clone()), ("2", eur(19900)));
    let mut change = pb::MaintenancePackage {
        package_id: "CITY-E-12M".into(),
        display_name: "Yearly service".into(),
        ..Default::default()
    };
    change.parts = vec![];
    let newer = c
        .update_maintenance_package(update_pkg(change, &["display_name", "parts"]))
        .await
        .answer();
    assert_eq!(newer.display_name, "Yearly service");
    assert_eq!(newer.parts, [], "an inspection with no parts");
    assert_eq!(newer.operations, operations(&["INSPECT"]));
    assert_eq!(
        newer.interval, created.interval,
        "the interval never changes"
    );
    assert_eq!(
        c.get_maintenance_package(get_pkg("CITY-E-12M"))
            .await
            .answer(),
        newer
    );
});

both!(listed_by_model_in_pages, |h: Harness| async move {
    let c = &mut catalogue(&h).await;
    for (id, model, months) in [
        ("VAN-24M", "VAN-E1", 24),
        ("CITY-24M", "CITY-E", 24),
        ("VAN-12M", "VAN-E1", 12),
        ("CITY-12M", "CITY-E", 12),
        ("CITY-36M", "CITY-E", 36),
    ] {
        let p = package(id, model, (months, 0), &["OIL-CHANGE"], &[("OF-1", 1)]);
        create_package(c, p).await;
    }
    let first = c
        .list_maintenance_packages(list_pkgs("CITY-E", 2, ""))
        .await
        .answer();
    assert_eq!(
        ids(&first.maintenance_packages, |p| &p.package_id),
        ["CITY-12M", "CITY-24M"]
    );
    let second = c
        .list_maintenance_packages(list_pkgs("CITY-E", 2, &first.next_page_token))
        .await
        .answer();
    assert_eq!(
        ids(&second.maintenance_packages, |p| &p.package_id),
        ["CITY-36M"]
    );
    assert_eq!(second.next_page_token, "");
    // Each comes with its own contents, as Get answers it.
    let got = c
        .get_maintenance_package(get_pkg("CITY-24M"))
        .await
        .answer();
    assert_eq!(first.maintenance_packages[1], got);
    assert_eq!(got.operations, operations(&["OIL-CHANGE"]));
    // A token is for its filter only.
    let other = list_pkgs("VAN-E1", 2, &first.next_page_token);
    assert_eq!(
        c.list_maintenance_packages(other).await.bad_field(),
        "page_token"
    );
    let all = c
        .list_maintenance_packages(list_pkgs("", 0, ""))
        .await
        .answer();
    assert_eq!(all.maintenance_packages.len(), 5);
    assert!(
        all.maintenance_packages
            .iter()
            .all(|p| p.parts.len() == 1 && p.operations.len() == 1)
    );
    let none = c
        .list_maintenance_packages(list_pkgs("TRIKE-3", 0, ""))
        .await
        .answer();
    assert_eq!(none.maintenance_packages, []);
});

both!(
    one_package_per_model_and_interval,
    |h: Harness| async move {
        let c = &mut catalogue(&h).await;
        create_package(c, city_12("CITY-E-12M")).await;
        // The same id.
        let mut same_id = city_12("CITY-E-12M");
        same_id.model_code = "VAN-E1".into();
        let s = c
            .create_maintenance_package(create_pkg(same_id))
            .await
            .refused(Code::AlreadyExists);
        assert!(s.message().contains("CITY-E-12M"), "{}", s.message());
        // The same model and interval under another id.
        let s = c
            .create_maintenance_package(create_pkg(city_12("OTHER")))
            .await
            .refused(Code::AlreadyExists);
        assert!(s.message().contains("months"), "{}", s.message());
        // Another interval of the model, or the interval of another model: fine.
        let mut longer = city_12("CITY-E-24M");
        longer.interval = Some(pb::ServiceInterval {
            months: 12,
            kilometres: 30_000,
        });
        create_package(c, longer).await;
        let mut van = city_12("VAN-E1-12M");
        van.model_code = "VAN-E1".into();
        create_package(c, van).await;
        c.get_maintenance_package(get_pkg("OTHER"))
            .await
            .refused(Code::NotFound);
    }
);

both!(a_stale_etag_is_aborted, |h: Harness| async move {
    let c = &mut catalogue(&h).await;
    create_package(c, city_12("CITY-E-12M")).await;
    let renamed = |etag: &str| pb::MaintenancePackage {
        package_id: "CITY-E-12M".into(),
        display_name: "Renamed".into(),
        etag: etag.into(),
        ..Default::default()
    };
    c.update_maintenance_package(update_pkg(renamed("1"), &["display_name"]))
        .await
        .answer();
    c.update_maintenance_package(update_pkg(renamed("1"), &["display_name"]))
        .await
        .refused(Code::Aborted);
    // A price change moves the etag on too.
    c.schedule_package_price_change(schedule_pkg("CITY-E-12M", now_seconds() + 60, 1))
        .await
        .answer();
    c.update_maintenance_package(update_pkg(renamed("2"), &["display_name"]))
        .await
        .refused(Code::Aborted);
    let mut missing = renamed("");
    missing.package_id = "NOPE".into();
    c.update_maintenance_package(update_pkg(missing, &["display_name"]))
        .await
        .refused(Code::NotFound);
    assert_eq!(
        c.get_maintenance_package(get_pkg("CITY-E-12M"))
            .await
            .answer()
            .etag,
        "3"
    );
});

both!(prices_in_force_at_any_time, |h: Harness| async move {
    let c = &mut catalogue(&h).await;
    let created = create_package(c, city_12("CITY-E-12M")).await;
    let created_at = created.create_time.expect("create time").seconds;
    let (past, future) = (created_at - 86_400, now_seconds() + 86_400);
    let later = c
        .schedule_package_price_change(schedule_pkg("CITY-E-12M", future, 21900))
        .await
        .answer();
    assert_eq!(later.package_id, "CITY-E-12M");
    assert_eq!(
        (later.effective_time, later.price.clone()),
        (at(future), eur(21900))
    );
    let early = c
        .schedule_package_price_change(schedule_pkg("CITY-E-12M", past, 17900))
        .await
        .answer();
    let at_time = |t| pkg_price_at("CITY-E-12M", Some(t));
    let now = c
        .get_package_price(pkg_price_at("CITY-E-12M", None))
        .await
        .answer();
    assert_eq!(
        (now.price, now.effective_time),
        (eur(19900), created.create_time)
    );
    assert_eq!(
        c.get_maintenance_package(get_pkg("CITY-E-12M"))
            .await
            .answer()
            .price,
        eur(19900)
    );
    assert_eq!(c.get_package_price(at_time(past)).await.answer(), early);
    assert_eq!(
        c.get_package_price(at_time(future - 1))
            .await
            .answer()
            .price,
        eur(19900)
    );
    assert_eq!(c.get_package_price(at_time(future)).await.answer(), later);
    c.get_package_price(at_time(past - 1))
        .await
        .refused(Code::NotFound);
    c.get_package_price(pkg_price_at("NOPE", None))
        .await
        .refused(Code::NotFound);
    c.schedule_package_price_change(schedule_pkg("CITY-E-12M", past, 1))
        .await
        .refused(Code::AlreadyExists);
    c.schedule_package_price_change(schedule_pkg("NOPE", past, 1))
        .await
        .refused(Code::NotFound);
    assert_eq!(c.get_package_price(at_time(past)).await.answer(), early);
});

both!(
    a_price_in_force_now_shows_on_the_package,
    |h: Harness| async move {
        let c = &mut catalogue(&h).await;
        let created = create_package(c, city_12("CITY-E-12M")).await;
        // In force from just after the package (the last thing made): by the
        // next read, now.
        let effective_time = just_after(created.create_time);
        c.schedule_package_price_change(pb::SchedulePackagePriceChangeRequest {
            effective_time,
            ..schedule_pkg("CITY-E-12M", 0, 20900)
        })
        .await
        .answer();
        c.schedule_labour_price_change(pb::ScheduleLabourPriceChangeRequest {
            effective_time,
            ..schedule_op("OIL-CHANGE", 0, 4900)
        })
        .await
        .answer();
        let got = c
            .get_maintenance_package(get_pkg("CITY-E-12M"))
            .await
            .answer();
        assert_eq!(got.price, eur(20900));
        let listed = c
            .list_maintenance_packages(list_pkgs("CITY-E", 0, ""))
            .await
            .answer();
        assert_eq!(listed.maintenance_packages, [got]);
        let op = c.get_labour_operation(get_op("OIL-CHANGE")).await.answer();
        assert_eq!(op.price, eur(4900));
        let ops = c.list_labour_operations(list_ops(0, "")).await.answer();
        assert_eq!(ops.labour_operations[1], op);
    }
);

both!(reads_see_a_package_whole, |h: Harness| async move {
    let c = catalogue(&h).await;
    create_package(&mut c.clone(), city_12("CITY-E-12M")).await;
    // The writer flips the package between two versions, each naming its
    // operation; readers must never see one version's name with the other's
    // contents.
    let flip = |n: usize| {
        let op = ["OIL-CHANGE", "INSPECT"][n % 2];
        let p = pb::MaintenancePackage {
            package_id: "CITY-E-12M".into(),
            display_name: op.into(),
            operations: operations(&[op]),
            ..Default::default()
        };
        update_pkg(p, &["display_name", "operations"])
    };
    let mut writer = c.clone();
    let writes = tokio::spawn(async move {
        for n in 0..30 {
            writer.update_maintenance_package(flip(n)).await.answer();
        }
    });
    let whole = |p: &pb::MaintenancePackage| {
        p.display_name == "Service CITY-E-12M" || p.operations == operations(&[&p.display_name])
    };
    let mut reader = c.clone();
    while !writes.is_finished() {
        let got = reader
            .get_maintenance_package(get_pkg("CITY-E-12M"))
            .await
            .answer();
        assert!(whole(&got), "{got:?}");
        let listed = reader
            .list_maintenance_packages(list_pkgs("", 0, ""))
            .await
            .answer();
        assert!(listed.maintenance_packages.iter().all(whole), "{listed:?}");
    }
    writes.await.expect("the writer finishes");
});
